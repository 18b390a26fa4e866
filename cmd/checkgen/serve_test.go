package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"checkgen/generator"
	"checkgen/generator/devserver"
	"checkgen/generator/fixture"
	"checkgen/generator/plan"
	"checkgen/generator/starter"
	"checkgen/generator/watch"
	"checkgen/generator/watch/watchtest"

	"checkgen/internal/cputime"
)

// serveBuffer is an output stream shared by the command and the test.
type serveBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *serveBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *serveBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveStarter writes the starter site into a new temp dir.
func serveStarter(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	err := fs.WalkDir(starter.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(starter.FS(), p)
		if err != nil {
			return err
		}
		return serveWrite(dir, p, string(b))
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func serveWrite(site, name, text string) error {
	p := filepath.Join(site, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(text), 0o644)
}

// serveSession is a `checkgen serve` running in-process.
type serveSession struct {
	t              testing.TB
	site           string
	url            string
	stdout, stderr *serveBuffer
	interrupt      chan os.Signal
	exit           chan int
	events         chan string   // the data of each reload event
	loads          chan bool     // on request: after each good load, whether pages reload
	gen            int           // the last generation seen
	wait           time.Duration // how long to wait for a reload event
	client         *http.Client
}

// startServe runs serve on 127.0.0.1:0 for site until the test ends.
// With o nil it goes through run, as from the command line, with args;
// else it calls serve with o (to shorten the debounce).
func startServe(t testing.TB, site string, o *serveOptions, args ...string) *serveSession {
	t.Helper()
	s := &serveSession{
		t: t, site: site, stdout: &serveBuffer{}, stderr: &serveBuffer{},
		interrupt: make(chan os.Signal, 1), exit: make(chan int, 1), events: make(chan string, 1000), loads: make(chan bool, 1000), wait: time.Minute,
		client: &http.Client{
			Timeout:       30 * time.Second,
			Transport:     &http.Transport{DisableKeepAlives: true},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	e := &env{stdout: s.stdout, stderr: s.stderr, getenv: func(string) string { return "" }, interrupt: s.interrupt}
	go func() {
		if o == nil {
			s.exit <- run(append([]string{"serve", "-s", site, "--port", "0"}, args...), e)
			return
		}
		oo := *o
		oo.site, oo.bind = site, "127.0.0.1"
		if oo.loaded == nil {
			oo.loaded = func(published bool) {
				select {
				case s.loads <- published:
				default:
				}
			}
		}
		if err := serve(e, oo); err != nil {
			fmt.Fprintln(s.stderr, "serve:", err)
			s.exit <- 1
			return
		}
		s.exit <- 0
	}()
	re := regexp.MustCompile(`at (http://127\.0\.0\.1:[0-9]+/)`)
	deadline := time.Now().Add(2 * time.Minute)
	for s.url == "" {
		if m := re.FindStringSubmatch(s.stdout.String()); m != nil {
			s.url = m[1]
			break
		}
		select {
		case code := <-s.exit:
			t.Fatalf("serve exited with %d before serving:\n%s\n%s", code, s.stdout, s.stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s\n%s", s.stdout, s.stderr)
		}
	}
	t.Cleanup(func() { s.stop(0) })
	// Serving starts before the first build; wait for its outcome (a
	// generated site of 10,000 units takes minutes).
	deadline = time.Now().Add(time.Hour)
	for !strings.Contains(s.stdout.String(), "\nbuilt ") && !strings.Contains(s.stderr.String(), "build failed") {
		if time.Now().After(deadline) {
			t.Fatalf("the first build did not end:\n%s\n%s", s.stdout, s.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.listen()
	return s
}

// listen opens the reload event stream and waits for its first event.
func (s *serveSession) listen() {
	s.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s.t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", s.url+"__livereload", nil)
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	go func() {
		defer resp.Body.Close()
		r := bufio.NewReader(resp.Body)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if data, ok := strings.CutPrefix(strings.TrimSpace(line), "data: "); ok {
				s.events <- data
			}
		}
	}()
	s.gen = s.waitEvent(func(int) bool { return true })
}

// waitEvent waits for a reload event whose generation satisfies ok.
func (s *serveSession) waitEvent(ok func(gen int) bool) int {
	s.t.Helper()
	timeout := time.After(s.wait)
	for {
		select {
		case data := <-s.events:
			gen, err := strconv.Atoi(data)
			if err != nil {
				s.t.Fatalf("reload event data %q is not a generation", data)
			}
			if ok(gen) {
				return gen
			}
		case <-timeout:
			s.t.Fatalf("no reload event within %s\nstdout:\n%s\nstderr:\n%s", s.wait, s.stdout, s.stderr)
		}
	}
}

// waitReload waits for the reload event of the next rebuild.
func (s *serveSession) waitReload() {
	s.t.Helper()
	prev := s.gen
	s.gen = s.waitEvent(func(gen int) bool { return gen > prev })
}

// reloadUntil waits for reloads until, after one, cond holds. A change
// that reached the watcher in two batches reloads twice, and only the
// second reload need show it: a test waits for what it wants to see, not
// for a number of reloads.
func (s *serveSession) reloadUntil(what string, cond func() bool) {
	s.t.Helper()
	timeout := time.After(s.wait)
	for {
		select {
		case data := <-s.events:
			gen, err := strconv.Atoi(data)
			if err != nil {
				s.t.Fatalf("reload event data %q is not a generation", data)
			}
			if gen <= s.gen {
				continue
			}
			s.gen = gen
			if cond() {
				return
			}
		case <-timeout:
			s.t.Fatalf("no reload with %s within %s\nstdout:\n%s\nstderr:\n%s", what, s.wait, s.stdout, s.stderr)
		}
	}
}

// loadUntil waits for good loads (serve on request) until, after one,
// cond holds; it returns whether that load reloaded the pages.
func (s *serveSession) loadUntil(what string, cond func() bool) bool {
	s.t.Helper()
	timeout := time.After(s.wait)
	for {
		select {
		case published := <-s.loads:
			if cond() {
				return published
			}
		case <-timeout:
			s.t.Fatalf("no load with %s within %s\nstdout:\n%s\nstderr:\n%s", what, s.wait, s.stdout, s.stderr)
		}
	}
}

// has reports whether the page at path contains every text of want.
func (s *serveSession) has(path string, want ...string) bool {
	s.t.Helper()
	_, _, body := s.get(path)
	for _, w := range want {
		if !strings.Contains(body, w) {
			return false
		}
	}
	return true
}

// lacks reports whether the page at path contains none of the texts.
func (s *serveSession) lacks(path string, not ...string) bool {
	s.t.Helper()
	_, _, body := s.get(path)
	for _, n := range not {
		if strings.Contains(body, n) {
			return false
		}
	}
	return true
}

func (s *serveSession) get(path string) (status int, location, body string) {
	s.t.Helper()
	resp, err := s.client.Get(s.url + strings.TrimPrefix(path, "/"))
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// write writes a file of the site in place.
func (s *serveSession) write(name, text string) {
	s.t.Helper()
	if err := serveWrite(s.site, name, text); err != nil {
		s.t.Fatal(err)
	}
}

// save writes a file of the site as editors save, atomically: the watcher
// sees the file appear once, whole, under its name.
func (s *serveSession) save(name, text string) {
	s.t.Helper()
	p := filepath.Join(s.site, filepath.FromSlash(name))
	tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".tmp")
	if err := serveWrite(s.site, filepath.ToSlash(mustRel(s.t, s.site, tmp)), text); err != nil {
		s.t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		s.t.Fatal(err)
	}
}

func mustRel(t testing.TB, base, p string) string {
	t.Helper()
	rel, err := filepath.Rel(base, p)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

func (s *serveSession) read(name string) string {
	s.t.Helper()
	b, err := os.ReadFile(filepath.Join(s.site, filepath.FromSlash(name)))
	if err != nil {
		s.t.Fatal(err)
	}
	return string(b)
}

// replace edits a file of the site and saves it atomically.
func (s *serveSession) replace(name, old, new string) {
	s.t.Helper()
	text := s.read(name)
	if !strings.Contains(text, old) {
		s.t.Fatalf("%s does not contain %q", name, old)
	}
	s.save(name, strings.Replace(text, old, new, 1))
}

// stop interrupts serve (once) and checks its exit status.
func (s *serveSession) stop(want int) {
	if s.interrupt == nil {
		return
	}
	s.interrupt <- os.Interrupt
	s.interrupt = nil
	select {
	case code := <-s.exit:
		if code != want {
			s.t.Errorf("serve exited with %d, want %d\n%s", code, want, s.stderr)
		}
	case <-time.After(60 * time.Second):
		s.t.Errorf("serve did not stop within 60s of an interrupt")
	}
}

const servePlan = "content/plans/preparation.toml"

// TestServe edits a site in every way an editor does while serve runs, and
// checks what the browser would see after each reload. Each step waits for
// a reload showing its change (see reloadUntil), never for a time.
//
// It runs twice: serving on request (the default) and with --render-to-disk.
func TestServe(t *testing.T) {
	t.Run("on-request", func(t *testing.T) { testServe(t, true) })
	t.Run("to-disk", func(t *testing.T) { testServe(t, false) })
}

func testServe(t *testing.T, onRequest bool) {
	site := serveStarter(t)
	s := startServe(t, site, &serveOptions{debounce: 50 * time.Millisecond, onRequest: onRequest})
	// A rebuild's line on the terminal: "rebuilt after ...", or on
	// request "reloaded after ...".
	rebuiltAfter := func(name string) bool {
		return strings.Contains(s.stdout.String(), "rebuilt after "+name) || strings.Contains(s.stdout.String(), "reloaded after "+name)
	}
	const data = "data/site.json"
	extra := "number = \"2/X\"\ntitle = \"Extra plan\"\n\n[[task]]\nid = \"extra-task\"\ntitle = \"An extra task\"\nlevels = [\"station\"]\nresponsible = \"station-team\"\ndue = \"E-3\"\n"
	noErrors := func() bool { return s.lacks("/", "checkgen-errors") }
	parent := t
	run := func(name string, f func(t *testing.T)) {
		t.Run(name, func(t *testing.T) {
			s.t = t // fail the subtest that runs, in its goroutine
			defer func() { s.t = parent }()
			f(t)
		})
	}

	run("write", func(t *testing.T) {
		// In place, as some editors save: the file may be seen empty
		// first, then whole.
		text := strings.Replace(s.read(servePlan), `"Appoint the polling station teams"`, `"Appoint the station teams (edited)"`, 1)
		s.write(servePlan, text)
		s.reloadUntil("the edit", func() bool { return s.has(data, `"Appoint the station teams (edited)"`) && noErrors() })
	})
	run("atomic rename save", func(t *testing.T) {
		s.replace(servePlan, "(edited)", "(saved atomically)")
		s.reloadUntil("the save", func() bool { return s.has(data, `"Appoint the station teams (saved atomically)"`) })
	})
	run("new file", func(t *testing.T) {
		s.save("content/plans/extra.toml", extra)
		s.reloadUntil("the new plan", func() bool { return s.has(data, `"id": "extra"`, `"An extra task"`) })
	})
	run("renamed file", func(t *testing.T) {
		if err := os.Rename(filepath.Join(site, "content/plans/extra.toml"), filepath.Join(site, "content/plans/extra2.toml")); err != nil {
			t.Fatal(err)
		}
		s.reloadUntil("the renamed plan", func() bool { return s.has(data, `"id": "extra2"`) && s.lacks(data, `"id": "extra"`) })
		if status, to, _ := s.get("plans/extra/"); status != http.StatusFound || to != "/" {
			t.Errorf("GET plans/extra/ after the rename: %d to %q, want 302 to /", status, to)
		}
	})
	run("deleted file", func(t *testing.T) {
		if err := os.Remove(filepath.Join(site, "content/plans/extra2.toml")); err != nil {
			t.Fatal(err)
		}
		s.reloadUntil("the plan gone", func() bool { return s.lacks(data, `"id": "extra2"`, "An extra task") })
		if onRequest {
			if status, _, _ := s.get("/data/units/RV-N-01.json"); status != http.StatusOK {
				t.Errorf("a unit's file is gone: %d", status)
			}
		} else if _, err := os.Stat(filepath.Join(site, "public/data/units/RV-N-01.json")); err != nil {
			t.Errorf("a unit's file is gone: %v", err)
		}
	})
	run("new directory with a file", func(t *testing.T) {
		// As a checkout does: the plans directory goes, then comes back
		// with its file already in it.
		plans, away := filepath.Join(site, "content/plans"), filepath.Join(t.TempDir(), "plans")
		if err := os.Rename(plans, away); err != nil {
			t.Fatal(err)
		}
		s.reloadUntil("the plans gone", func() bool {
			return !noErrors() || s.lacks(data, "(saved atomically)")
		})
		if err := os.MkdirAll(filepath.Join(site, "content/plans/new"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(away, "preparation.toml"), filepath.Join(site, servePlan)); err != nil {
			t.Fatal(err)
		}
		s.reloadUntil("the plans back", func() bool { return s.has(data, `"Appoint the station teams (saved atomically)"`) && noErrors() })
		// The directory made later is watched: a file in it is seen.
		s.save("content/plans/new/notes.txt", "not content, but a change")
		if onRequest {
			// Seen, and loaded, but no page shows it: no reload.
			if s.loadUntil("a load after notes.txt", func() bool {
				return strings.Contains(s.stdout.String(), "loaded after content/plans/new/notes.txt")
			}) {
				t.Errorf("notes.txt, which no page shows, reloaded the pages")
			}
			return
		}
		s.reloadUntil("a rebuild after notes.txt", func() bool {
			return rebuiltAfter("content/plans/new/notes.txt")
		})
	})
	run("removed unit goes to its parent", func(t *testing.T) {
		units := s.read("content/units.toml")
		at := strings.Index(units, "[[unit]]\ncode   = \"RV-N-02\"")
		if at < 0 {
			t.Fatal("units.toml has no RV-N-02")
		}
		s.save("content/units.toml", units[:at])
		s.reloadUntil("RV-N-02 redirected", func() bool {
			status, to, _ := s.get("units/RV-N-02/")
			return status == http.StatusFound && to == "/units/RV-N/"
		})
		if status, _, _ := s.get("data/units/RV-N-02.json"); status != http.StatusNotFound {
			t.Errorf("GET data/units/RV-N-02.json of a removed unit: %d, want 404", status)
		}
		s.save("content/units.toml", units)
		s.reloadUntil("RV-N-02 back", func() bool {
			status, _, _ := s.get("data/units/RV-N-02.json")
			return status == http.StatusOK
		})
	})
	// A burst of saves being one rebuild: TestServeBurst.
	run("error then fix", func(t *testing.T) {
		good := s.read(servePlan)
		s.replace(servePlan, `levels      = ["district"]`, `levels      = ["distrct"]`)
		s.reloadUntil("the errors", func() bool { return !noErrors() })
		line := 0
		for i, l := range strings.Split(s.read(servePlan), "\n") {
			if strings.Contains(l, "distrct") && line == 0 {
				line = i + 1
			}
		}
		where := fmt.Sprintf("content/plans/preparation.toml:%d:", line)
		for _, path := range []string{"/", "units/RV-N/", "no/such/page/"} {
			_, _, body := s.get(path)
			for _, want := range []string{`id="checkgen-errors"`, where, `levels      = [&#34;distrct&#34;]`, "distrct"} {
				if !strings.Contains(body, want) {
					t.Errorf("GET %s with an error: lacks %q", path, want)
				}
			}
		}
		// The terminal shows the errors by the time pages reload.
		if !strings.Contains(s.stderr.String(), where) || !strings.Contains(s.stderr.String(), `levels      = ["distrct"]`) {
			t.Errorf("terminal lacks %s and the source line:\n%s", where, s.stderr)
		}
		// The last good site is still served.
		if !s.has(data, `"Appoint the station teams (saved atomically)"`) {
			t.Errorf("%s is not the last good one", data)
		}

		s.save(servePlan, good)
		s.reloadUntil("the fix", noErrors)
		if _, _, body := s.get("units/RV-N/"); strings.Contains(body, "checkgen-errors") {
			t.Errorf("GET units/RV-N/ after the fix still shows the errors")
		}
	})
	run("layouts created later", func(t *testing.T) {
		// No site renderer names this file; it only has to be seen.
		s.save("layouts/checkgen-serve-test/readme.txt", "a new layouts directory")
		s.reloadUntil("a rebuild after readme.txt", func() bool {
			return rebuiltAfter("layouts/checkgen-serve-test/readme.txt")
		})
	})
	run("layout saved while the content has errors", func(t *testing.T) {
		good := s.read(servePlan)
		s.replace(servePlan, `levels      = ["district"]`, `levels      = ["distrct"]`)
		s.reloadUntil("the errors", func() bool { return !noErrors() })
		s.save("layouts/checkgen-serve-test/note.txt", "a layout folder's file")
		s.reloadUntil("the layout saved", func() bool {
			return strings.Contains(s.stderr.String(), "after layouts/checkgen-serve-test/note.txt")
		})
		if noErrors() {
			t.Errorf("a layout saved while the content has errors cleared them:\n%s\n%s", s.stdout, s.stderr)
		}
		s.save(servePlan, good)
		s.reloadUntil("the fix", noErrors)
	})
	run("served pages only", func(t *testing.T) {
		_, _, body := s.get("/")
		if !strings.Contains(body, "/__livereload") {
			t.Errorf("GET / lacks the reload script:\n%s", body)
		}
		filepath.WalkDir(filepath.Join(site, "public"), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if b, _ := os.ReadFile(p); bytes.Contains(b, []byte("__livereload")) || bytes.Contains(b, []byte("checkgen-errors")) {
					t.Errorf("%s in the build has the reload script or the overlay", p)
				}
			}
			return nil
		})
	})
	run("incremental equals full", func(t *testing.T) {
		if onRequest {
			serveEqualsBuild(t, s, site)
			return
		}
		full := filepath.Join(t.TempDir(), "full")
		if _, err := generator.Build(generator.Options{Site: site, Dest: full}); err != nil {
			t.Fatal(err)
		}
		serveSameTrees(t, filepath.Join(site, "public"), full)
	})
	s.stop(0)
	if !strings.Contains(s.stdout.String(), "stopped") {
		t.Errorf("no 'stopped' after the interrupt:\n%s", s.stdout)
	}
}

// TestServeBurst saves a plan 50 times on a watcher clock that stands
// still: the saves are one rebuild, whatever the machine's speed, and the
// next save is exactly one more.
func TestServeBurst(t *testing.T) {
	t.Run("to-disk", func(t *testing.T) { testServeBurst(t, false) })
	t.Run("on-request", func(t *testing.T) { testServeBurst(t, true) })
}

// rebuiltLine is how the terminal line of a rebuild starts, after the
// time.
func rebuiltLine(onRequest bool) string {
	if onRequest {
		return " reloaded after "
	}
	return " rebuilt after "
}

func testServeBurst(t *testing.T, onRequest bool) {
	site := serveStarter(t)
	clock := watchtest.NewClock()
	const poll, debounce = time.Second, 100 * time.Millisecond
	s := startServe(t, site, &serveOptions{poll: poll, debounce: debounce, clock: clock, formats: []string{"html"}, onRequest: onRequest})
	rebuilds := func() int { return strings.Count(s.stdout.String(), rebuiltLine(onRequest)) }
	// quiet lets the watcher scan, then lets the quiet time pass.
	quiet := func() {
		t.Helper()
		if !clock.WaitTimers(1, time.Minute) {
			t.Fatalf("watcher timers: %d, want the next scan's alone", clock.Timers())
		}
		clock.Advance(poll)
		if !clock.WaitTimers(2, time.Minute) {
			t.Fatalf("the scan found no change (timers: %d)", clock.Timers())
		}
		clock.Advance(debounce)
	}
	text := s.read(servePlan)
	before, gen := rebuilds(), s.gen
	for i := range 50 {
		s.write(servePlan, strings.Replace(text, "Appoint the polling station teams", fmt.Sprintf("Appoint team %d", i), 1))
	}
	quiet()
	s.waitReload()
	if n := rebuilds() - before; n != 1 || s.gen != gen+1 {
		t.Errorf("50 writes gave %d rebuilds and generation %d after %d, want 1 rebuild:\n%s", n, s.gen, gen, s.stdout)
	}
	if !s.has("data/site.json", `"Appoint team 49"`) {
		t.Error("data/site.json lacks the last write")
	}

	s.save(servePlan, text)
	quiet()
	s.waitReload()
	if n := rebuilds() - before; n != 2 || s.gen != gen+2 {
		t.Errorf("one more save: %d rebuilds and generation %d after %d, want 2 in all:\n%s", n, s.gen, gen, s.stdout)
	}
}

// serveSameTrees fails unless two directories hold the same files with
// the same bytes.
func serveSameTrees(t *testing.T, a, b string) {
	t.Helper()
	list := func(root string) map[string][]byte {
		files := map[string][]byte{}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			data, err := os.ReadFile(p)
			files[filepath.ToSlash(rel)] = data
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	fa, fb := list(a), list(b)
	if len(fa) == 0 {
		t.Fatalf("%s is empty", a)
	}
	for name, x := range fa {
		y, ok := fb[name]
		switch {
		case !ok:
			t.Errorf("%s: only in the incremental build", name)
		case !bytes.Equal(x, y):
			t.Errorf("%s: incremental and full builds differ (%d and %d bytes)", name, len(x), len(y))
		}
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			t.Errorf("%s: only in the full build", name)
		}
	}
}

// TestServeIncremental edits each kind of input once, and after each
// rebuild compares the served build with a full build, file by file.
func TestServeIncremental(t *testing.T) {
	site := serveStarter(t)
	s := startServe(t, site, &serveOptions{debounce: 50 * time.Millisecond})
	edits := []struct {
		name, file, old, new string
	}{
		{"task title", servePlan, `"Train every station team, with a counting drill"`, `"Train every station team"`},
		{"task due", servePlan, `due         = "E-5"`, `due         = "E-6"`},
		{"task level", servePlan, `levels      = ["district"]`, `levels      = ["district", "city"]`},
		{"plan title", servePlan, `title   = "Plan for preparing the municipal election"`, `title   = "Plan for the election"`},
		{"plan date", servePlan, `date    = 2027-03-01`, `date    = 2027-03-02`},
		{"body name", "content/bodies.toml", `name   = "Polling station team"`, `name   = "Station team"`},
		{"unit name", "content/units.toml", `name   = "North district"`, `name   = "Northern district"`},
		{"unit day", "content/units.toml", `election_day = 2027-06-05`, `election_day = 2027-06-04`},
		{"site title", "content/site.toml", `title        = "Municipal election 2027"`, `title        = "Municipal election"`},
		{"level name", "content/site.toml", `name = "Polling station"`, `name = "Station"`},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			s.replace(e.file, e.old, e.new)
			s.waitReload()
			if _, _, body := s.get("/"); strings.Contains(body, "checkgen-errors") {
				t.Fatalf("the edit broke the site:\n%s", s.stderr)
			}
			full := filepath.Join(t.TempDir(), "full")
			if _, err := generator.Build(generator.Options{Site: site, Dest: full}); err != nil {
				t.Fatal(err)
			}
			serveSameTrees(t, filepath.Join(site, "public"), full)
		})
	}
	if !regexp.MustCompile(`[1-9][0-9]* reused`).MatchString(s.stdout.String()) {
		t.Errorf("no rebuild reused a file:\n%s", s.stdout)
	}
}

// TestServeFirstBuildFails starts on a broken site: the server still runs
// and shows the errors, and the fix builds the site.
func TestServeFirstBuildFails(t *testing.T) {
	site := serveStarter(t)
	good, err := os.ReadFile(filepath.Join(site, "content/site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	serveWrite(site, "content/site.toml", strings.Replace(string(good), "election_day = 2027-06-06", "election_day = 2027-06-66", 1))
	s := startServe(t, site, nil)
	status, _, body := s.get("/")
	if status != http.StatusNotFound || !strings.Contains(body, "checkgen-errors") || !strings.Contains(body, "content/site.toml:5:") {
		t.Errorf("GET / before any good build: %d\n%s", status, body)
	}
	s.save("content/site.toml", string(good))
	s.reloadUntil("the fix", func() bool {
		status, _, body := s.get("data/site.json")
		return status == http.StatusOK && !strings.Contains(body, "checkgen-errors")
	})
}

// TestServePoll watches by polling, and stops with exit status 0 through
// run, as the command line does.
func TestServePoll(t *testing.T) {
	site := serveStarter(t)
	s := startServe(t, site, nil, "--poll", "50ms")
	if !strings.Contains(s.stdout.String(), "every 50ms") {
		t.Errorf("serve does not say it polls:\n%s", s.stdout)
	}
	s.replace(servePlan, `"Check the station's materials"`, `"Check the materials"`)
	s.reloadUntil("the edit", func() bool { return s.has("data/site.json", `"Check the materials"`) })
	s.stop(0)
}

// TestServeInterruptEarly interrupts serve while its first build may
// still run: it stops with exit status 0 and leaves no staging directory
// behind.
func TestServeInterruptEarly(t *testing.T) {
	site := serveStarter(t)
	var out, errb serveBuffer
	interrupt := make(chan os.Signal, 2)
	exit := make(chan int, 1)
	go func() {
		exit <- run([]string{"serve", "-s", site, "--port", "0"}, &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, interrupt: interrupt})
	}()
	for !strings.Contains(out.String(), "serving ") {
		select {
		case code := <-exit:
			t.Fatalf("serve exited with %d before serving:\n%s", code, errb.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	interrupt <- os.Interrupt
	select {
	case code := <-exit:
		if code != 0 || !strings.Contains(out.String(), "stopped") {
			t.Errorf("serve interrupted early: exit %d\n%s\n%s", code, out.String(), errb.String())
		}
		entries, _ := os.ReadDir(site)
		for _, e := range entries {
			if strings.Contains(e.Name(), ".building-") {
				t.Errorf("left behind: %s", e.Name())
			}
		}
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop within 60s")
	}
}

func TestServeBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	var out, errb bytes.Buffer
	code := run([]string{"serve", "-s", serveStarter(t), "--port", port}, &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	if code != exitContent || !strings.Contains(errb.String(), "already in use") || !strings.Contains(errb.String(), "--port") {
		t.Errorf("serve on a busy port: exit %d, stderr:\n%s", code, errb.String())
	}
}

func TestServeUsage(t *testing.T) {
	tests := [][]string{
		{"serve", "--port", "-1"},
		{"serve", "--port", "70000"},
		{"serve", "--poll", "-1s"},
		{"serve", "--poll", "often"},
		{"serve", "extra"},
		{"serve", "-d", "out"}, // without --render-to-disk
	}
	for _, args := range tests {
		var out, errb bytes.Buffer
		if code := run(args, &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}); code != exitUsage {
			t.Errorf("checkgen %s: exit %d, want %d\n%s", strings.Join(args, " "), code, exitUsage, errb.String())
		}
	}
}

// serveFDs counts the open file descriptors of the process, or -1 where
// that is unknown.
func serveFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

// TestServeNoLeaks rebuilds 60 times with an event stream and requests
// going, and checks that goroutines and file descriptors do not grow (a
// leak of one per rebuild would be 50 more than the 2 allowed).
func TestServeNoLeaks(t *testing.T) {
	t.Run("to-disk", func(t *testing.T) { testServeNoLeaks(t, false) })
	t.Run("on-request", func(t *testing.T) { testServeNoLeaks(t, true) })
}

func testServeNoLeaks(t *testing.T, onRequest bool) {
	n := 50
	if testing.Short() {
		n = 20
	}
	site := serveStarter(t)
	// HTML only: this is about serve's own goroutines and files, and
	// rendering PDFs and workbooks 200 times would only make it slow.
	s := startServe(t, site, &serveOptions{debounce: 5 * time.Millisecond, formats: []string{"html"}, onRequest: onRequest})
	text := s.read(servePlan)
	rebuild := func(i int) {
		// Saved atomically, so that a rebuild never reads a half-written
		// file: one save, one rebuild.
		tmp := filepath.Join(site, "content/plans/.preparation.toml.tmp")
		if err := os.WriteFile(tmp, []byte(strings.Replace(text, "Appoint the polling station teams", fmt.Sprintf("Appoint team %d", i), 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(site, servePlan)); err != nil {
			t.Fatal(err)
		}
		s.waitReload()
		for _, p := range []string{"/", "/units/RV-N-01/"} {
			if status, _, _ := s.get(p); status != http.StatusOK && status != http.StatusNotFound {
				t.Fatalf("GET %s: %d", p, status)
			}
		}
	}
	for i := range 10 {
		rebuild(i)
	}
	// The counts now are at least those of a serve at rest (a request's
	// or a build's goroutine may still be ending): after n more rebuilds
	// they must come back to them, and a leak of one per rebuild never
	// would.
	goroutines, fds := runtime.NumGoroutine(), serveFDs()
	for i := 10; i < 10+n; i++ {
		rebuild(i)
	}
	settle := func(limit int, count func() int) int {
		deadline := time.Now().Add(time.Minute)
		for count() > limit && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		return count()
	}
	if got := settle(goroutines+2, runtime.NumGoroutine); got > goroutines+2 {
		t.Errorf("goroutines: %d after 10 rebuilds, %d after %d more", goroutines, got, n)
	}
	if fds >= 0 {
		if got := settle(fds+2, serveFDs); got > fds+2 {
			t.Errorf("file descriptors: %d after 10 rebuilds, %d after %d more", fds, got, n)
		}
	}
	// Each line is printed before its reload: the count is exact.
	if got := strings.Count(s.stdout.String(), rebuiltLine(onRequest)); got != 10+n {
		t.Errorf("%d rebuilds printed, want %d", got, 10+n)
	}
}

// TestServeSIGINT runs serve in a process of its own (this test binary,
// see TestServeProcess), and stops it with a real SIGINT: it exits 0.
func TestServeSIGINT(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT on Windows")
	}
	site := serveStarter(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeProcess$")
	cmd.Env = append(os.Environ(), "CHECKGEN_SERVE_PROCESS=serve\n-s\n"+site+"\n--port\n0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr serveBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var url string
	timeout := time.After(2 * time.Minute)
	for url == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve ended before serving:\n%s", stderr.String())
			}
			if _, after, found := strings.Cut(l, " at http://"); found {
				url = "http://" + strings.Fields(after)[0]
			}
		case <-timeout:
			t.Fatalf("serve did not start:\n%s", stderr.String())
		}
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// An open event stream must not keep the server from stopping.
	sse, err := http.Get(url + "__livereload")
	if err != nil {
		t.Fatal(err)
	}
	defer sse.Body.Close()

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		for range lines {
		}
		done <- cmd.Wait()
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGINT: %v (want exit 0)\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not exit within 30s of SIGINT")
	}
}

// TestServeProcess is the process of TestServeSIGINT: with
// CHECKGEN_SERVE_PROCESS set to a command line (one argument a line), it
// runs it as main does, and exits with its status.
func TestServeProcess(t *testing.T) {
	args := os.Getenv("CHECKGEN_SERVE_PROCESS")
	if args == "" {
		t.Skip("the process of TestServeSIGINT")
	}
	os.Exit(run(strings.Split(args, "\n"), &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
}

// serveExample copies the example site (content/ and layouts/ at the
// repository root) into a temp dir. With units > 0 it replaces the units
// below the communes by generated polling units, for a site of that many
// units in all.
func serveExample(b testing.TB, units int) string {
	b.Helper()
	site := filepath.Join(b.TempDir(), "site")
	for _, dir := range []string{"content", "layouts"} {
		from := filepath.Join("..", "..", dir)
		err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
			return serveWrite(site, filepath.ToSlash(rel), string(data))
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if units == 0 {
		return site
	}
	os.Remove(filepath.Join(site, "content", "units.csv"))
	m, err := plan.Open(os.DirFS(site))
	if err != nil {
		b.Fatalf("the example site without units.csv: %v", err)
	}
	low := m.Levels[len(m.Levels)-1].ID
	var parents []*plan.Unit
	for _, u := range m.Units {
		if len(m.Levels) > 1 && u.Level == m.Levels[len(m.Levels)-2].ID {
			parents = append(parents, u)
		}
	}
	if len(parents) == 0 || len(m.Units) >= units {
		b.Fatalf("cannot generate %d units below %d parents", units, len(parents))
	}
	var csv strings.Builder
	csv.WriteString(plan.UnitsCSVHeader + "\n")
	for i := range units - len(m.Units) {
		p := parents[i%len(parents)]
		fmt.Fprintf(&csv, "%s-G%05d,%s,%s,Khu vực bỏ phiếu số %d,,\n", p.Code, i, p.Code, low, i/len(parents)+1)
	}
	if err := serveWrite(site, "content/units.csv", csv.String()); err != nil {
		b.Fatal(err)
	}
	return site
}

// BenchmarkServeReload measures the time from saving a file to the
// reload event reaching an open page, with serve as it runs for a user
// (default debounce, every format), for four kinds of edit, each once
// per iteration:
//
//   - every: the title of a task every unit of the lowest level shows;
//   - one-level: the title of a task of the top level only;
//   - unit-rename: the name of a unit of the lowest level in units.csv
//     (units.toml when there is none);
//   - layout: layouts/unit.html (copied from the default layouts first).
//
// After each reload it gets the page of a unit of the lowest level (the
// renamed one), which a browser shows (its reload script listens from
// it, so serve renders it again right after the reload), and then its
// PDF. It reports the median and 95th
// percentile of each in milliseconds, the median processor time the
// process used from the save to the reload (cpu-p50-ms: on a loaded
// machine the times between are mostly waits for a processor), and the
// peak resident memory of the process (VmHWM, which counts the
// benchmark's own model too):
//
//	go test -run '^$' -bench ServeReload -benchtime 10x ./cmd/checkgen/
//
// CHECKGEN_BENCH_UNITS=10000 adds a generated site of that many units (the
// example's upper levels, the rest polling units below its communes):
//
//	CHECKGEN_BENCH_UNITS=10000 go test -run '^$' -bench 'ServeReload/10000' -benchtime 5x -timeout 0 ./cmd/checkgen/
//
// CHECKGEN_BENCH_SITE=DIR adds a copy of the site in DIR, such as one
// mknational writes:
//
//	go run ./generator/national/mknational -s . -o /tmp/nat10k -polling 10000
//	CHECKGEN_BENCH_SITE=/tmp/nat10k go test -run '^$' -bench 'ServeReload/nat10k/on-request' -benchtime 10x -timeout 0 ./cmd/checkgen/
//
// Each site is served both ways: on-request (the default) and to-disk
// (--render-to-disk); CHECKGEN_BENCH_MODES=on-request picks one.
func BenchmarkServeReload(b *testing.B) {
	type siteCase struct {
		name  string
		units int
		dir   string
	}
	sites := []siteCase{{"example", 0, ""}}
	if n, err := strconv.Atoi(os.Getenv("CHECKGEN_BENCH_UNITS")); err == nil && n > 0 {
		sites = append(sites, siteCase{fmt.Sprintf("%d-units", n), n, ""})
	}
	if dir := os.Getenv("CHECKGEN_BENCH_SITE"); dir != "" {
		sites = append(sites, siteCase{filepath.Base(dir), 0, dir})
	}
	modes := []string{"on-request", "to-disk"}
	if m := os.Getenv("CHECKGEN_BENCH_MODES"); m != "" {
		modes = strings.Split(m, ",")
	}
	for _, sc := range sites {
		for _, mode := range modes {
			b.Run(sc.name+"/"+mode, func(b *testing.B) {
				serveReloadBench(b, sc.dir, sc.units, mode == "on-request")
			})
		}
	}
}

// benchEdit is one kind of edit of BenchmarkServeReload: the file it
// changes, its text before, and its text at iteration i.
type benchEdit struct {
	kind, file, orig string
	edit             func(i int) string
	unit             string // the unit whose page and PDF are got after the reload
}

// benchEdits finds the four kinds of edit in the site.
func benchEdits(b *testing.B, site string, m *plan.Model) []benchEdit {
	b.Helper()
	low, top := m.Levels[len(m.Levels)-1].ID, m.Levels[0].ID
	var lowUnit *plan.Unit
	for _, u := range m.Units {
		if u.Level == low && u.Checklist != nil {
			lowUnit = u
		}
	}
	if lowUnit == nil {
		b.Fatalf("no unit of level %s", low)
	}
	title := func(kind string, ok func(t *plan.Task) bool) benchEdit {
		for _, t := range m.Tasks {
			quoted := `"` + t.Title + `"`
			if ok(t) && strings.Count(m.Sources[t.Pos.File], quoted) == 1 {
				orig := m.Sources[t.Pos.File]
				return benchEdit{kind: kind, file: t.Pos.File, orig: orig, unit: lowUnit.Code, edit: func(i int) string {
					return strings.Replace(orig, quoted, fmt.Sprintf(`"%s (%d)"`, t.Title, i), 1)
				}}
			}
		}
		b.Fatalf("no task for the edit %s", kind)
		return benchEdit{}
	}
	every := title("every", func(t *plan.Task) bool {
		return t.HasLevel(low) && len(t.When) == 0 && len(t.Unless) == 0 && len(t.Plan.Scope) == 0
	})
	oneLevel := title("one-level", func(t *plan.Task) bool { return len(t.Levels) == 1 && t.Levels[0] == top })
	unitsFile := plan.UnitsCSV
	if _, ok := m.Sources[unitsFile]; !ok {
		unitsFile = plan.UnitsFile
	}
	units := m.Sources[unitsFile]
	// The unit's row (units.csv) or its name after its code (units.toml).
	before, name := "\n"+lowUnit.Code+","+lowUnit.ParentUnit.Code+","+lowUnit.Level+",", lowUnit.Name+","
	if unitsFile == plan.UnitsFile {
		before, name = `"`+lowUnit.Code+`"`, `"`+lowUnit.Name+`"`
	}
	at := strings.Index(units, before)
	if at < 0 || strings.Count(units, before) != 1 || !strings.Contains(units[at:], name) {
		b.Fatalf("%s: no unit %s named %q", unitsFile, lowUnit.Code, lowUnit.Name)
	}
	rename := benchEdit{kind: "unit-rename", file: unitsFile, orig: units, unit: lowUnit.Code, edit: func(i int) string {
		return units[:at] + strings.Replace(units[at:], name, strings.Replace(name, lowUnit.Name, fmt.Sprintf("%s %d", lowUnit.Name, i), 1), 1)
	}}
	layout, err := os.ReadFile(filepath.Join("..", "..", "layouts", "unit.html"))
	if err != nil {
		b.Fatal(err)
	}
	const layoutFile = "layouts/unit.html"
	if err := serveWrite(site, layoutFile, string(layout)); err != nil {
		b.Fatal(err)
	}
	layoutEdit := benchEdit{kind: "layout", file: layoutFile, orig: string(layout), unit: lowUnit.Code, edit: func(i int) string {
		return fmt.Sprintf("%s<!-- edit %d -->\n", layout, i)
	}}
	return []benchEdit{every, oneLevel, rename, layoutEdit}
}

// serveReloadBench is BenchmarkServeReload on one site, one way.
func serveReloadBench(b *testing.B, dir string, units int, onRequest bool) {
	site := ""
	if dir != "" {
		site = filepath.Join(b.TempDir(), "site")
		copyDir(b, dir, site)
	} else {
		site = serveExample(b, units)
	}
	m, err := plan.Open(os.DirFS(site))
	if err != nil {
		b.Fatal(err)
	}
	edits := benchEdits(b, site, m)
	m = nil
	s := startServe(b, site, &serveOptions{onRequest: onRequest})
	s.wait = time.Hour // a save can rebuild most of a large site
	s.client.Timeout = time.Hour
	parent := b
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	rank := func(times []time.Duration, p float64) time.Duration {
		slices.Sort(times)
		return times[max(0, int(math.Ceil(p*float64(len(times))))-1)]
	}
	timeGet := func(path string) time.Duration {
		start := time.Now()
		if status, _, body := s.get(path); status != http.StatusOK {
			b.Fatalf("GET %s: %d\n%s", path, status, body)
		}
		return time.Since(start)
	}
	s.openPage(edits[0].unit)
	for _, e := range edits {
		b.Run(e.kind, func(b *testing.B) {
			s.t = b // fail the benchmark that runs, in its goroutine
			defer func() { s.t = parent }()
			var reloads, pages, pdfs, cpu []time.Duration
			for i := range b.N {
				start, cpu0 := time.Now(), cputime.Used()
				s.write(e.file, e.edit(i))
				s.waitReload()
				reloads = append(reloads, time.Since(start))
				cpu = append(cpu, cputime.Used()-cpu0)
				pages = append(pages, timeGet("/units/"+e.unit+"/"))
				pdfs = append(pdfs, timeGet("/pdf/units/"+e.unit+".pdf"))
			}
			b.StopTimer()
			s.write(e.file, e.orig)
			s.waitReload()
			b.ReportMetric(ms(rank(reloads, 0.5)), "p50-ms")
			b.ReportMetric(ms(rank(cpu, 0.5)), "cpu-p50-ms")
			b.ReportMetric(ms(rank(reloads, 0.95)), "p95-ms")
			b.ReportMetric(ms(rank(pages, 0.5)), "page-p50-ms")
			b.ReportMetric(ms(rank(pdfs, 0.5)), "pdf-p50-ms")
			b.ReportMetric(float64(peakRSS())/(1<<20), "VmHWM-MiB")
			b.ReportMetric(0, "ns/op")
		})
	}
	b.Logf("%s:\n%s", site, s.stdout)
}

// peakRSS returns the peak resident memory of the process in bytes
// (VmHWM), or 0 where /proc does not tell it.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// copyDir copies the files under from into to.
func copyDir(tb testing.TB, from, to string) {
	tb.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return serveWrite(to, filepath.ToSlash(mustRel(tb, from, p)), string(data))
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// genWriter records the generation the pages were at when each line was
// written to the terminal.
type genWriter struct {
	mu    sync.Mutex
	ds    *devserver.Server
	lines []string
	gens  []uint64
}

func (w *genWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lines = append(w.lines, string(p))
	w.gens = append(w.gens, w.ds.Generation())
	return len(p), nil
}

// TestServeBuilderPrintsBeforePublish checks that a build prints its outcome
// before the pages reload (item 7 of issue 11: a test reading the terminal
// on the reload found the errors missing on a busy machine).
func TestServeBuilderPrintsBeforePublish(t *testing.T) {
	site := serveStarter(t)
	good, _ := os.ReadFile(filepath.Join(site, servePlan))
	bad := strings.Replace(string(good), `levels      = ["district"]`, `levels      = ["distrct"]`, 1)
	if err := serveWrite(site, servePlan, bad); err != nil {
		t.Fatal(err)
	}
	ds := devserver.New(filepath.Join(site, "public"))
	out := &genWriter{ds: ds}
	b := &builder{
		e:    &env{stdout: out, stderr: out, getenv: func(string) string { return "" }},
		site: site, dest: filepath.Join(site, "public"), formats: []string{"html"}, ds: ds,
	}
	check := func(what string, end, want buildEnd, gen uint64) {
		t.Helper()
		if end != want {
			t.Errorf("%s: build ended %d, want %d:\n%s", what, end, want, strings.Join(out.lines, ""))
		}
		if g := ds.Generation(); g != gen {
			t.Errorf("%s: generation %d, want %d", what, g, gen)
		}
		if len(out.lines) == 0 {
			t.Errorf("%s: nothing printed", what)
		}
		for i, g := range out.gens {
			if g != gen-1 {
				t.Errorf("%s: %q printed at generation %d, want %d (before the reload)", what, out.lines[i], g, gen-1)
			}
		}
		out.lines, out.gens = nil, nil
	}
	check("a failed build", b.build(context.Background(), nil), buildFailed, 1)
	if err := serveWrite(site, servePlan, string(good)); err != nil {
		t.Fatal(err)
	}
	check("a good rebuild", b.build(context.Background(), &watch.Batch{Paths: []string{filepath.Join(site, servePlan)}}), buildOK, 2)
}

// TestServeInterruptDuringBuild interrupts serve while its first build
// runs: the build is cancelled, serve stops with exit status 0, and the
// destination is as it was (here: not there) with no staging folder.
func TestServeInterruptDuringBuild(t *testing.T) {
	site := serveStarter(t)
	var out, errb serveBuffer
	interrupt := make(chan os.Signal, 2)
	cancelled := make(chan error, 1)
	var once sync.Once
	hook := func(o *generator.Options) {
		ctx := o.Context
		o.Progress = func(string, int, int) {
			// At the first progress of the build: interrupt, and go on
			// only once the build is cancelled.
			once.Do(func() {
				interrupt <- os.Interrupt
				select {
				case <-ctx.Done():
					cancelled <- nil
				case <-time.After(time.Minute):
					cancelled <- errors.New("the build was not cancelled within a minute of the interrupt")
				}
			})
		}
	}
	exit := make(chan error, 1)
	go func() {
		e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, interrupt: interrupt}
		exit <- serve(e, serveOptions{site: site, bind: "127.0.0.1", build: hook})
	}()
	select {
	case err := <-exit:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatalf("serve did not stop within 2 minutes:\n%s\n%s", out.String(), errb.String())
	}
	select {
	case err := <-cancelled:
		if err != nil {
			t.Error(err)
		}
	default:
		t.Fatalf("the build reported no progress:\n%s\n%s", out.String(), errb.String())
	}
	if o := out.String(); strings.Contains(o, "\nbuilt ") || !strings.Contains(o, "stopped") {
		t.Errorf("serve interrupted during its first build printed:\n%s", o)
	}
	if _, err := os.Stat(filepath.Join(site, "public")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("public/ after a cancelled first build: %v, want it not there", err)
	}
	entries, _ := os.ReadDir(site)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".building-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestServeChangeCancelsBuild saves while a rebuild runs (held at its first
// progress): the change cancels it, and the next build has the change. A
// build that never ends by itself, such as one stuck on a bad layout, thus
// gives way to the fix.
func TestServeChangeCancelsBuild(t *testing.T) {
	site := serveStarter(t)
	var builds atomic.Int32
	held := make(chan struct{})
	cancelled := make(chan error, 1)
	hook := func(o *generator.Options) {
		if builds.Add(1) != 2 {
			return
		}
		ctx := o.Context
		var once sync.Once
		o.Progress = func(string, int, int) {
			once.Do(func() {
				close(held)
				select {
				case <-ctx.Done():
					cancelled <- nil
				case <-time.After(time.Minute):
					cancelled <- errors.New("the build was not cancelled within a minute of the change")
				}
			})
		}
	}
	s := startServe(t, site, &serveOptions{debounce: 50 * time.Millisecond, formats: []string{"html"}, build: hook})
	s.replace(servePlan, `"Appoint the polling station teams"`, `"Appoint the teams (first)"`)
	select {
	case <-held:
	case <-time.After(time.Minute):
		t.Fatalf("the rebuild did not start within a minute:\n%s\n%s", s.stdout, s.stderr)
	}
	s.replace(servePlan, "(first)", "(second)")
	if err := <-cancelled; err != nil {
		t.Fatal(err)
	}
	s.reloadUntil("the second save", func() bool { return s.has("data/site.json", `"Appoint the teams (second)"`) })
	if !strings.Contains(s.stdout.String(), "during the build: building again") {
		t.Errorf("serve does not say it builds again:\n%s", s.stdout)
	}
}

// TestServeBadLayout saves a layout whose rendering fails: the pages show
// the error, and the next save, the fix, is built.
func TestServeBadLayout(t *testing.T) {
	t.Run("on-request", func(t *testing.T) { testServeBadLayout(t, true) })
	t.Run("to-disk", func(t *testing.T) { testServeBadLayout(t, false) })
}

func testServeBadLayout(t *testing.T, onRequest bool) {
	site := serveStarter(t)
	s := startServe(t, site, &serveOptions{debounce: 50 * time.Millisecond, formats: []string{"html"}, onRequest: onRequest})
	s.save("layouts/unit.html", "{{template \"base\" .}}\n{{define \"main\"}}{{.Data.NoSuchField}}{{end}}\n")
	s.reloadUntil("the layout's error", func() bool { return s.has("/", "checkgen-errors", "unit.html") })
	if err := os.Remove(filepath.Join(site, "layouts", "unit.html")); err != nil {
		t.Fatal(err)
	}
	s.reloadUntil("the fix", func() bool { return s.lacks("/", "checkgen-errors") })
	s.save("layouts/unit.html", "{{template \"base\" .}}\n{{define \"main\"}}<p>own layout</p>{{end}}\n")
	s.reloadUntil("the new layout", func() bool { return s.has("units/RV-N/", "<p>own layout</p>") && s.lacks("/", "checkgen-errors") })
}

// TestServeOverlayOutsideSite puts a plan that is a link to a file outside
// the site: neither the pages nor the terminal show its lines (D14).
func TestServeOverlayOutsideSite(t *testing.T) {
	site := serveStarter(t)
	secret := filepath.Join(filepath.Dir(site), "passwd")
	if err := os.WriteFile(secret, []byte("root:x:0:0:SECRET:/root:/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(site, "content", "plans", "zz.toml")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	s := startServe(t, site, &serveOptions{formats: []string{"html"}})
	_, _, body := s.get("/")
	if !strings.Contains(body, "checkgen-errors") || !strings.Contains(body, "content/plans/zz.toml") {
		t.Fatalf("GET / with a plan linked out of the site: no error about it:\n%s", body)
	}
	if strings.Contains(body, "SECRET") || strings.Contains(s.stderr.String(), "SECRET") {
		t.Errorf("a line of a file outside the site is shown:\n%s\n%s", body, s.stderr)
	}
}

// TestServeHTTPLimits checks the server's timeouts, and that no more than
// the limit of connections are served at once: one beyond it is answered
// only once another closes (D12).
func TestServeHTTPLimits(t *testing.T) {
	hs := newHTTPServer(http.NotFoundHandler(), nil)
	if hs.IdleTimeout <= 0 || hs.ReadHeaderTimeout <= 0 {
		t.Errorf("IdleTimeout %s, ReadHeaderTimeout %s: want both set", hs.IdleTimeout, hs.ReadHeaderTimeout)
	}
	if hs.WriteTimeout != 0 {
		t.Errorf("WriteTimeout %s would cut the reload event streams", hs.WriteTimeout)
	}

	const limit = 3
	s := startServe(t, serveStarter(t), &serveOptions{maxConns: limit, formats: []string{"html"}})
	// The reload event stream of startServe is one connection.
	addr := strings.TrimSuffix(strings.TrimPrefix(s.url, "http://"), "/")
	request := func(c net.Conn) {
		t.Helper()
		c.SetDeadline(time.Now().Add(time.Minute))
		if _, err := io.WriteString(c, "GET /data/site.json HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
	}
	read := func(c net.Conn) error {
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return err
	}
	var held []net.Conn
	for range limit - 1 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		request(c)
		if err := read(c); err != nil {
			t.Fatal(err)
		}
		held = append(held, c) // kept alive, idle
	}
	extra, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer extra.Close()
	request(extra)
	answered := make(chan error, 1)
	go func() { answered <- read(extra) }()
	// Before a held connection closes, the extra one is not answered. (A
	// server without a limit usually has answered by now; this check can
	// never fail with one.)
	for _, c := range held {
		request(c)
		if err := read(c); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case err := <-answered:
		t.Fatalf("a connection beyond the limit of %d was answered (%v) while the others were open", limit, err)
	default:
	}
	held[0].Close()
	if err := <-answered; err != nil {
		t.Errorf("the connection beyond the limit, after another closed: %v", err)
	}
}

// pageGen finds the generation in a served page's reload script.
var pageGen = regexp.MustCompile(`var gen = (\d+),`)

// serveEqualsBuild builds site with checkgen build's code into a new
// folder and asks s, serving on request, for every file of it: each has
// the bytes built, pages but for the reload script (devserver.Inject at
// the session's generation). Every kind of output is compared.
func serveEqualsBuild(t *testing.T, s *serveSession, site string) {
	t.Helper()
	full := filepath.Join(t.TempDir(), "full")
	if _, err := generator.Build(generator.Options{Site: site, Dest: full}); err != nil {
		t.Fatal(err)
	}
	var files []string
	err := filepath.WalkDir(full, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for i, p := range files {
		rel := filepath.ToSlash(mustRel(t, full, p))
		if !fixture.SampledFile(i, len(files), rel) {
			continue
		}
		built, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want := built
		if strings.HasSuffix(rel, ".html") {
			want = devserver.Inject(built, uint64(s.gen), nil)
		}
		status, _, body := s.get("/" + rel)
		// A change that reached the watcher in two batches reloads twice
		// (see reloadUntil): the page then carries a later generation
		// than the session saw. The generation is not the page's content:
		// inject the one the page carries.
		if g := pageGen.FindStringSubmatch(body); g != nil && strings.HasSuffix(rel, ".html") {
			n, _ := strconv.ParseUint(g[1], 10, 64)
			want = devserver.Inject(built, n, nil)
		}
		if status != http.StatusOK || body != string(want) {
			t.Errorf("GET /%s: %d, %d bytes; built: %d bytes (%d with the reload script), not the same", rel, status, len(body), len(built), len(want))
		}
		kinds[path.Ext(rel)]++
	}
	for _, k := range []string{".html", ".ics", ".pdf", ".xlsx", ".json", ".js", ".css", ".toml"} {
		if kinds[k] == 0 {
			t.Errorf("no file of kind %s compared (kinds: %v)", k, kinds)
		}
	}
	if _, err := os.Stat(filepath.Join(site, "public")); err == nil {
		t.Errorf("serving on request wrote %s", filepath.Join(site, "public"))
	}
}

// TestServeOnRequestEqualsBuild: serving the example on request, every
// file it serves has the bytes checkgen build writes, at start and after
// an edit of a task every polling area shows; then on the starter after
// each of the kinds of edit TestServeIncremental makes.
func TestServeOnRequestEqualsBuild(t *testing.T) {
	t.Run("example", func(t *testing.T) {
		site := serveExample(t, 0)
		s := startServe(t, site, &serveOptions{debounce: 50 * time.Millisecond, onRequest: true})
		serveEqualsBuild(t, s, site)
		s.replace("content/plans/luat-bau-cu-2015.toml", `= "Thành lập Ủy ban bầu cử"`, `= "Thành lập Ủy ban bầu cử (đã sửa)"`)
		s.reloadUntil("the edited title", func() bool { return s.has("/plans/luat-bau-cu-2015/", "(đã sửa)") })
		serveEqualsBuild(t, s, site)
	})
	t.Run("starter", func(t *testing.T) {
		site := serveStarter(t)
		s := startServe(t, site, &serveOptions{debounce: 50 * time.Millisecond, onRequest: true})
		serveEqualsBuild(t, s, site)
		for _, e := range []struct{ file, old, new string }{
			{servePlan, `"Train every station team, with a counting drill"`, `"Train every station team"`},
			{servePlan, `due         = "E-5"`, `due         = "E-6"`},
			{servePlan, `levels      = ["district"]`, `levels      = ["district", "city"]`},
			{servePlan, `title   = "Plan for preparing the municipal election"`, `title   = "Plan for the election"`},
			{servePlan, `date    = 2027-03-01`, `date    = 2027-03-02`},
			{"content/bodies.toml", `name   = "Polling station team"`, `name   = "Station team"`},
			{"content/units.toml", `name   = "North district"`, `name   = "Northern district"`},
			{"content/units.toml", `election_day = 2027-06-05`, `election_day = 2027-06-04`},
			{"content/site.toml", `title        = "Municipal election 2027"`, `title        = "Municipal election"`},
			{"content/site.toml", `name = "Polling station"`, `name = "Station"`},
		} {
			s.replace(e.file, e.old, e.new)
			s.waitReload()
			if _, _, body := s.get("/"); strings.Contains(body, "checkgen-errors") {
				t.Fatalf("%s: the edit broke the site:\n%s", e.new, s.stderr)
			}
			serveEqualsBuild(t, s, site)
		}
	})
}

// TestServeOnRequestRendersOne: after an edit of a task every unit
// shows, asking for one unit's PDF renders that PDF and nothing else;
// asked for again, it is not rendered again.
func TestServeOnRequestRendersOne(t *testing.T) {
	site := serveExample(t, 0)
	var mu sync.Mutex
	var renders []string
	hook := func(p string) {
		mu.Lock()
		renders = append(renders, p)
		mu.Unlock()
	}
	taken := func() []string {
		mu.Lock()
		defer mu.Unlock()
		r := renders
		renders = nil
		return r
	}
	s := startServe(t, site, &serveOptions{debounce: 50 * time.Millisecond, onRequest: true, rendered: hook})
	m, err := plan.Open(os.DirFS(site))
	if err != nil {
		t.Fatal(err)
	}
	// The last unit with a task whose title its plan file holds as written.
	var unit *plan.Unit
	var task *plan.Task
	for _, u := range m.Units {
		if u.Checklist == nil {
			continue
		}
		for _, e := range u.Checklist.Entries {
			if strings.Count(m.Sources[e.Task.Pos.File], `"`+e.Task.Title+`"`) == 1 {
				unit, task = u, e.Task
				break
			}
		}
	}
	if unit == nil {
		t.Fatal("no unit with a task to edit")
	}
	pdfPath := "pdf/units/" + unit.Code + ".pdf"
	if status, _, _ := s.get("/" + pdfPath); status != http.StatusOK {
		t.Fatalf("GET /%s: %d", pdfPath, status)
	}
	if got := taken(); !slices.Equal(got, []string{pdfPath}) {
		t.Errorf("first GET rendered %v, want only %s", got, pdfPath)
	}
	s.replace(task.Pos.File, `"`+task.Title+`"`, `"`+task.Title+` (đã sửa)"`)
	// A reload that came before the edit was read (a change can reach the
	// watcher in two batches, see reloadUntil) still serves the old PDF
	// from the cache: wait for the reload after which the GET renders it.
	var body string
	s.reloadUntil("the edited PDF rendered on request", func() bool {
		if got := taken(); len(got) != 0 {
			t.Errorf("the reload rendered %v, want nothing until asked", got)
		}
		_, _, body = s.get("/" + pdfPath)
		got := taken()
		if len(got) == 0 {
			return false // the model before the edit: from the cache
		}
		if !slices.Equal(got, []string{pdfPath}) {
			t.Errorf("GET after the edit rendered %v, want only %s", got, pdfPath)
		}
		return true
	})
	if !strings.HasPrefix(body, "%PDF-") {
		t.Errorf("GET /%s: not a PDF: %.40q", pdfPath, body)
	}
	s.get("/" + pdfPath)
	if got := taken(); len(got) != 0 {
		t.Errorf("a second GET rendered %v, want it from the cache", got)
	}
}

// TestServeOnRequestLoadsWhatChanged: on request, an edit that changes
// nothing a page shows (a comment, spaces) is loaded but sends no reload;
// a plan edit parses that plan alone (not units.toml), and reloads.
func TestServeOnRequestLoadsWhatChanged(t *testing.T) {
	site := serveStarter(t)
	var mu sync.Mutex
	var parsed []string
	s := startServe(t, site, &serveOptions{debounce: 20 * time.Millisecond, onRequest: true, formats: []string{"html"},
		parsed: func(name string) { mu.Lock(); parsed = append(parsed, name); mu.Unlock() }})
	took := func() []string {
		mu.Lock()
		defer mu.Unlock()
		p := parsed
		parsed = nil
		return p
	}
	took()
	text := s.read(servePlan)
	const title = `"Appoint the polling station teams"`
	if !strings.Contains(text, "title = "+title) && !strings.Contains(text, title) {
		t.Fatalf("%s: no %s", servePlan, title)
	}
	gen := s.gen
	s.save(servePlan, "# a comment\n\n"+strings.Replace(text, " = ", "   =   ", -1)+"\n# the end\n")
	if published := s.loadUntil("the comment", func() bool { return strings.Contains(s.stdout.String(), "no reload") }); published {
		t.Errorf("a comment and spaces reloaded the pages:\n%s", s.stdout)
	}
	if g := s.gen; g != gen {
		t.Errorf("generation %d after a comment, want %d", g, gen)
	}
	select {
	case data := <-s.events:
		t.Errorf("reload event %s after a comment", data)
	default:
	}
	if p := took(); !slices.Equal(p, []string{servePlan}) {
		t.Errorf("a comment in %s parsed %q, want the plan alone", servePlan, p)
	}

	s.save(servePlan, strings.Replace(text, title, `"Appoint the teams (edited)"`, 1))
	s.reloadUntil("the edit", func() bool { return s.has("data/site.json", "Appoint the teams (edited)") })
	if p := took(); !slices.Equal(p, []string{servePlan}) {
		t.Errorf("an edit of %s parsed %q, want the plan alone", servePlan, p)
	}
}

// TestServePrerendersOpenPages: after an edit, the page a browser shows
// (its reload script's event stream names it) is rendered again before
// the browser asks for it, and the browser's request finds it rendered,
// with the edit.
func TestServePrerendersOpenPages(t *testing.T) {
	site := serveExample(t, 0)
	renders := make(chan string, 1000)
	s := startServe(t, site, &serveOptions{debounce: 50 * time.Millisecond, onRequest: true, rendered: func(p string) { renders <- p }})
	m, err := plan.Open(os.DirFS(site))
	if err != nil {
		t.Fatal(err)
	}
	var unit *plan.Unit
	var task *plan.Task
	for _, u := range m.Units {
		for _, e := range checklistEntries(u) {
			if strings.Count(m.Sources[e.Task.Pos.File], `"`+e.Task.Title+`"`) == 1 {
				unit, task = u, e.Task
			}
		}
	}
	if unit == nil {
		t.Fatal("no unit with a task to edit")
	}
	page := "units/" + unit.Code + "/"
	s.openPage(unit.Code) // the page's reload script listens from the page

	s.replace(task.Pos.File, `"`+task.Title+`"`, `"`+task.Title+` (đã sửa)"`)
	name := page + "index.html"
	deadline := time.After(s.wait)
	for rendered := false; !rendered; {
		select {
		case p := <-renders:
			rendered = p == name
		case <-deadline:
			t.Fatalf("%s not rendered after the edit, without a request", name)
		}
	}
	if _, _, body := s.get("/" + page); !strings.Contains(body, task.Title+" (đã sửa)") {
		t.Errorf("GET /%s after the edit: no edited title", page)
	}
	for len(renders) > 0 {
		if p := <-renders; p == name {
			t.Errorf("GET /%s rendered the page again, want it rendered ahead", page)
		}
	}
}

// openPage opens the reload event stream of the page of the unit code, as
// a browser showing it does, until the test ends.
func (s *serveSession) openPage(code string) {
	s.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s.t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", s.url+"__livereload", nil)
	req.Header.Set("Referer", s.url+"units/"+code+"/")
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { resp.Body.Close() })
	if _, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil { // connected
		s.t.Fatal(err)
	}
}

// checklistEntries returns the entries of u's checklist, if any.
func checklistEntries(u *plan.Unit) []*plan.Entry {
	if u.Checklist == nil {
		return nil
	}
	return u.Checklist.Entries
}
