package devserver

import (
	"bufio"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"checkgen/generator/plan"
	"checkgen/generator/starter"
)

const page = "<!DOCTYPE html>\n<html><head><title>Unit</title></head>\n<body><h1>Unit RV-N</h1></body>\n</html>\n"

// serve writes files into a build directory and serves it on 127.0.0.1.
func serve(t *testing.T, files map[string]string) (*Server, *httptest.Server, string) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "public")
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := New(root)
	hs := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		hs.Close()
	})
	return s, hs, root
}

// noRedirect is a client that reports redirects instead of following them.
var noRedirect = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       10 * time.Second,
}

func get(t *testing.T, url string) (status int, header http.Header, body string) {
	t.Helper()
	resp, err := noRedirect.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

func TestServe(t *testing.T) {
	s, hs, root := serve(t, map[string]string{
		"index.html":            page,
		"units/RV-N/index.html": page,
		"units/RV-N/other.HTM":  "<p>no body tag</p>",
		"data/site.json":        `{"format":"checkgen-data/1"}`,
		"pdf/units/RV-N.pdf":    "%PDF-1.7 not really",
		"izmir.html":            "<html><head><title>İzmir</title></head><body><p>x</p></body></html>",
	})
	outside := filepath.Join(filepath.Dir(root), "secret.txt")
	os.WriteFile(outside, []byte("TOPSECRET"), 0o644)
	if err := os.Symlink(outside, filepath.Join(root, "escape.txt")); err != nil {
		t.Fatal(err)
	}
	s.Publish(nil)

	tests := []struct {
		path     string
		status   int
		location string // for redirects
		contains []string
		lacks    []string
		ctype    string
	}{
		{path: "/", status: 200, contains: []string{"<h1>Unit RV-N</h1>", EventsPath, "new EventSource"}, ctype: "text/html"},
		{path: "/index.html", status: 200, contains: []string{EventsPath}},
		{path: "/units/RV-N/", status: 200, contains: []string{"<h1>Unit RV-N</h1>", EventsPath}},
		{path: "/units/RV-N", status: 302, location: "/units/RV-N/"},
		{path: "/units/RV-N/other.HTM", status: 200, contains: []string{"<p>no body tag</p>", EventsPath}},
		{path: "/data/site.json", status: 200, contains: []string{`{"format":"checkgen-data/1"}`}, lacks: []string{EventsPath}, ctype: "application/json"},
		{path: "/data/site.json/", status: 302, location: "/data/site.json"},
		{path: "/pdf/units/RV-N.pdf", status: 200, lacks: []string{EventsPath}, ctype: "application/pdf"},
		{path: "/data/", status: 200, contains: []string{`href="site.json"`, EventsPath}},
		{path: "/units/", status: 200, contains: []string{`href="RV-N/"`}},
		{path: "/nope/", status: 404, contains: []string{"Not found", EventsPath}},
		{path: "/../secret.txt", status: 404, lacks: []string{"TOPSECRET"}},
		{path: "/..%2fsecret.txt", status: 404, lacks: []string{"TOPSECRET"}},
		{path: "/escape.txt", status: 404, lacks: []string{"TOPSECRET"}},
		{path: EventsPath + "x", status: 404},
		// D8: text longer once lowered, before the 404 page's </body>.
		{path: "/" + strings.Repeat("Ⱥ", 40), status: 404, contains: []string{"Not found", EventsPath, "</script>\n</body>"}},
		{path: "/izmir.html", status: 200, contains: []string{"<title>İzmir</title>", "</script>\n</body>"}},
	}
	for _, tt := range tests {
		status, h, body := get(t, hs.URL+tt.path)
		if status != tt.status {
			t.Errorf("GET %s: status %d, want %d", tt.path, status, tt.status)
		}
		if tt.location != "" && h.Get("Location") != tt.location {
			t.Errorf("GET %s: Location %q, want %q", tt.path, h.Get("Location"), tt.location)
		}
		for _, c := range tt.contains {
			if !strings.Contains(body, c) {
				t.Errorf("GET %s: body lacks %q:\n%s", tt.path, c, body)
			}
		}
		for _, c := range tt.lacks {
			if strings.Contains(body, c) {
				t.Errorf("GET %s: body has %q:\n%s", tt.path, c, body)
			}
		}
		if lm := h.Get("Last-Modified"); lm != "" {
			t.Errorf("GET %s: Last-Modified %q: a file rebuilt within the second would look unchanged", tt.path, lm)
		}
		if tt.ctype != "" && !strings.HasPrefix(h.Get("Content-Type"), tt.ctype) {
			t.Errorf("GET %s: Content-Type %q, want %s", tt.path, h.Get("Content-Type"), tt.ctype)
		}
	}
	// The script is added when serving, never to the files.
	b, err := os.ReadFile(filepath.Join(root, "index.html"))
	if err != nil || string(b) != page {
		t.Errorf("index.html on disk = %q, %v; want it unchanged", b, err)
	}
}

func TestOverlay(t *testing.T) {
	s, hs, _ := serve(t, map[string]string{"index.html": page})
	s.Publish(nil)
	problems := []Problem{{
		Pos: "content/plans/a.toml:3:9", Msg: `unknown level "tinh"`, Line: 3, Col: 9,
		Source: `levels = ["tinh"] # <script>alert(1)</script>`,
	}}
	s.Publish(problems)
	for _, path := range []string{"/", "/missing/"} {
		_, _, body := get(t, hs.URL+path)
		for _, want := range []string{
			`id="checkgen-errors"`, "The last rebuild failed: 1 error.", "content/plans/a.toml:3:9",
			"unknown level &#34;tinh&#34;", `3 | levels = [&#34;tinh&#34;] # &lt;script&gt;`, "\n  |         ^",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s while failing: body lacks %q:\n%s", path, want, body)
			}
		}
		if strings.Contains(body, "<script>alert(1)") {
			t.Errorf("GET %s: source line not escaped:\n%s", path, body)
		}
	}
	s.Publish(nil)
	if _, _, body := get(t, hs.URL+"/"); strings.Contains(body, "checkgen-errors") {
		t.Errorf("overlay still shown after a good rebuild:\n%s", body)
	}
}

// readEvent reads one event of an SSE stream and returns its data.
func readEvent(t *testing.T, r *bufio.Reader) (event, data string) {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the event stream: %v", err)
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "" && data != "":
			return event, data
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data = strings.TrimPrefix(line, "data: ")
		}
	}
}

func TestEvents(t *testing.T) {
	s, hs, _ := serve(t, map[string]string{"index.html": page})
	s.Publish(nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", hs.URL+EventsPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q, want text/event-stream", ct)
	}
	r := bufio.NewReader(resp.Body)
	if ev, data := readEvent(t, r); ev != "reload" || data != "1" {
		t.Errorf("first event %q %q, want reload 1 (the current generation)", ev, data)
	}
	// The page served now carries generation 1.
	if _, _, body := get(t, hs.URL+"/"); !strings.Contains(body, `gen = "1"`) {
		t.Errorf("page lacks its generation:\n%s", body)
	}
	s.Publish(nil)
	if ev, data := readEvent(t, r); ev != "reload" || data != "2" {
		t.Errorf("after a rebuild: event %q %q, want reload 2", ev, data)
	}
	s.Publish([]Problem{{Msg: "broken"}})
	if ev, data := readEvent(t, r); ev != "reload" || data != "3" {
		t.Errorf("after a failed rebuild: event %q %q, want reload 3", ev, data)
	}
	if n := s.Clients(); n != 1 {
		t.Errorf("Clients() = %d, want 1", n)
	}
	// Close ends the stream, so that a server can shut down.
	s.Close()
	if _, err := io.ReadAll(r); err != nil {
		t.Errorf("stream after Close: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.Clients() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := s.Clients(); n != 0 {
		t.Errorf("Clients() after Close = %d, want 0", n)
	}
}

// TestOpen: the pages open are those whose reload scripts' event streams
// came from this server's pages (their Referer), each once; a stream from
// elsewhere or without a Referer names none.
func TestOpen(t *testing.T) {
	s, hs, _ := serve(t, map[string]string{"index.html": page})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, referer := range []string{hs.URL + "/units/a%20b/", hs.URL + "/", hs.URL + "/units/a%20b/", "http://elsewhere.example/units/c/", ""} {
		req, _ := http.NewRequestWithContext(ctx, "GET", hs.URL+EventsPath, nil)
		if referer != "" {
			req.Header.Set("Referer", referer)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		readEvent(t, bufio.NewReader(resp.Body)) // connected
	}
	if got, want := s.Open(), []string{"/", "/units/a b/"}; !slices.Equal(got, want) {
		t.Errorf("Open() = %q, want %q", got, want)
	}
}

// TestSwap requests a page while a build swaps the build directory in: the
// request waits for the build to end, however long that takes, and gets
// the page.
func TestSwap(t *testing.T) {
	s, hs, root := serve(t, map[string]string{"index.html": page})
	waiting := make(chan string, 10)
	s.waiting = waiting
	s.Publish(nil)
	s.Building(true)
	if err := os.Rename(root, root+".old"); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		status int
		body   string
	}
	got := make(chan answer, 1)
	go func() {
		resp, err := noRedirect.Get(hs.URL + "/")
		if err != nil {
			got <- answer{body: err.Error()}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- answer{resp.StatusCode, string(b)}
	}()
	select {
	case name := <-waiting:
		if name != "." {
			t.Errorf("the request waits for %q, want \".\"", name)
		}
	case a := <-got:
		t.Fatalf("GET / during a swap did not wait for the build: %d\n%s", a.status, a.body)
	}
	if err := os.Rename(root+".old", root); err != nil {
		t.Fatal(err)
	}
	s.Building(false)
	if a := <-got; a.status != 200 || !strings.Contains(a.body, "Unit RV-N") {
		t.Errorf("GET / during a swap: %d\n%s", a.status, a.body)
	}

	// A build that ends without the directory: not found, at once.
	s.Building(true)
	if err := os.Rename(root, root+".old"); err != nil {
		t.Fatal(err)
	}
	go func() {
		<-waiting
		s.Building(false)
	}()
	if status, _, _ := get(t, hs.URL+"/"); status != http.StatusNotFound {
		t.Errorf("GET / after a build left no directory: %d, want 404", status)
	}
	// No build: nothing to wait for.
	if status, _, _ := get(t, hs.URL+"/"); status != http.StatusNotFound {
		t.Errorf("GET / with no directory and no build: %d, want 404", status)
	}
}

// starterWith is the starter site with some files replaced.
func starterWith(t *testing.T, files map[string]string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(starter.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(starter.FS(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		m[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return m
}

func open(t *testing.T, fsys fs.FS) *plan.Model {
	t.Helper()
	m, err := plan.Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMoved(t *testing.T) {
	s, hs, _ := serve(t, map[string]string{"units/RV/index.html": page, "units/RV-N/index.html": page})
	full := open(t, starter.FS())
	units, _ := fs.ReadFile(starter.FS(), "content/units.toml")
	// Without the polling stations of the district.
	cut := string(units[:strings.Index(string(units), "[[unit]]\ncode   = \"RV-N-01\"")])
	less := open(t, starterWith(t, map[string]string{"content/units.toml": cut}))
	s.Moved(full, less)
	s.Publish(nil)

	tests := []struct{ path, to string }{
		{"/units/RV-N-02/", "/units/RV-N/"},
		{"/units/RV-N-02/index.html", "/units/RV-N/"},
		{"/units/RV-N-01", "/units/RV-N/"},
		{"/units/RV-N-01/?x=1", "/units/RV-N/?x=1"},
	}
	for _, tt := range tests {
		status, h, _ := get(t, hs.URL+tt.path)
		if status != http.StatusFound || h.Get("Location") != tt.to {
			t.Errorf("GET %s: %d to %q, want 302 to %q", tt.path, status, h.Get("Location"), tt.to)
		}
	}
	// The page itself, while it exists, is served; back in the model, its
	// redirect is gone.
	if status, _, _ := get(t, hs.URL+"/units/RV-N/"); status != 200 {
		t.Errorf("GET /units/RV-N/: %d, want 200", status)
	}
	s.Moved(less, full)
	if status, _, _ := get(t, hs.URL+"/units/RV-N-02/"); status != 404 {
		t.Errorf("GET /units/RV-N-02/ after it came back (not yet built): %d, want 404", status)
	}
}

// writeSite writes files into a new site directory.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestProblems(t *testing.T) {
	plans, _ := fs.ReadFile(starter.FS(), "content/plans/preparation.toml")
	broken := strings.Replace(string(plans), `levels      = ["district"]`, `levels      = ["distrct"]`, 1)
	broken = "\xef\xbb\xbf" + strings.Replace(broken, `title       = "Appoint`, `title       = "Chỉ định	`, 1)
	fsys := starterWith(t, map[string]string{"content/plans/preparation.toml": broken})
	_, err := plan.Open(fsys)
	if err == nil {
		t.Fatal("plan.Open of a broken site succeeded")
	}
	dir := writeSite(t, map[string]string{"content/plans/preparation.toml": broken})
	got := Problems(err, dir)
	if len(got) == 0 {
		t.Fatalf("Problems(%v) = none", err)
	}
	p := got[0]
	if !strings.HasPrefix(p.Pos, "content/plans/preparation.toml:") || p.Line == 0 {
		t.Errorf("problem %+v: want a place in preparation.toml", p)
	}
	if !strings.Contains(p.Source, "distrct") {
		t.Errorf("problem %+v: Source %q, want the offending line", p, p.Source)
	}
	if p.String() != p.Pos+": "+p.Msg {
		t.Errorf("String() = %q", p.String())
	}

	other := Problems(errors.New("rendering units/RV.html: boom"), dir)
	if len(other) != 1 || other[0].Pos != "" || other[0].Msg != "rendering units/RV.html: boom" {
		t.Errorf("Problems(plain error) = %+v", other)
	}
	if Problems(nil, dir) != nil {
		t.Error("Problems(nil) is not nil")
	}
}

// TestProblemsOnlyInsideSite places errors in files that lead out of the
// site: the overlay shows no line of them (D14), but does show lines of
// files inside it, through a link or not.
func TestProblemsOnlyInsideSite(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"content/plans/a.toml":      "title = \"inside\"\n",
		"content/shared/common.txt": "shared = \"inside too\"\n",
	})
	secret := filepath.Join(filepath.Dir(dir), "passwd")
	if err := os.WriteFile(secret, []byte("root:x:0:0:SECRET:/root:/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"content/plans/out.toml":    secret,                                      // absolute, out
		"content/plans/rel.toml":    filepath.Join("..", "..", "..", "passwd"),   // relative, out
		"content/plans/shared.toml": filepath.Join("..", "shared", "common.txt"), // relative, in
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "content/plans/rel.toml")); err != nil || !strings.Contains(string(b), "SECRET") {
		t.Fatalf("the relative link does not lead to the secret: %q, %v", b, err)
	}
	var list plan.ErrorList
	for _, name := range []string{"content/plans/out.toml", "content/plans/rel.toml", "content/plans/shared.toml", "content/plans/a.toml", "content/plans/missing.toml"} {
		list.Add(plan.Pos{File: name, Line: 1, Col: 1}, "bad")
	}
	want := map[string]string{
		"content/plans/out.toml:1:1":     "",
		"content/plans/rel.toml:1:1":     "",
		"content/plans/shared.toml:1:1":  `shared = "inside too"`,
		"content/plans/a.toml:1:1":       `title = "inside"`,
		"content/plans/missing.toml:1:1": "",
	}
	for _, p := range Problems(list, dir) {
		if p.Source != want[p.Pos] {
			t.Errorf("%s: Source %q, want %q", p.Pos, p.Source, want[p.Pos])
		}
		if strings.Contains(p.Excerpt(), "SECRET") {
			t.Errorf("%s: shows a line from outside the site: %s", p.Pos, p.Excerpt())
		}
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{Line: 3, Col: 9, Source: `levels = ["tinh"]`}, "3 | levels = [\"tinh\"]\n  |         ^"},
		{Problem{Line: 12, Col: 1, Source: "x"}, "12 | x\n   | ^"},
		{Problem{Line: 4, Col: 3, Source: "\tỦy ban"}, "4 | \tỦy ban\n  | \t ^"},
		{Problem{Line: 5, Col: 4, Source: "ab"}, "5 | ab\n  |    ^"},
		{Problem{Line: 7, Source: "no column"}, "7 | no column"},
		{Problem{Line: 7}, ""},
		{Problem{Source: "no line"}, ""},
	}
	for _, tt := range tests {
		if got := tt.p.Excerpt(); got != tt.want {
			t.Errorf("Excerpt(%+v) =\n%s\nwant\n%s", tt.p, got, tt.want)
		}
	}
}

func TestInject(t *testing.T) {
	tests := []struct {
		page string
		// before and after: text that must come before and after the script
		before, after string
	}{
		{"<html><body><p>x</p></body></html>", "<p>x</p>", "</body></html>"},
		{"<HTML><BODY><p>x</p></BODY></HTML>", "<p>x</p>", "</BODY></HTML>"},
		{"<p>a</p></body><p>b</p></body>", "<p>b</p>", "</body>"},
		{"<p>fragment</p>", "<p>fragment</p>", ""},
	}
	for _, tt := range tests {
		got := string(Inject([]byte(tt.page), 7, nil))
		at := strings.Index(got, "<script>")
		if at < 0 || !strings.Contains(got[:at], tt.before) || !strings.HasSuffix(got, tt.after) || !strings.Contains(got, `gen = "7"`) {
			t.Errorf("Inject(%q) =\n%s", tt.page, got)
		}
		if strings.Contains(got, "checkgen-errors") {
			t.Errorf("Inject(%q) without problems shows the overlay", tt.page)
		}
	}
}

// TestInjectNonASCII injects into pages whose text changes length when
// lowered (D8): the script goes right before the page's </body>, and the
// rest of the page is kept byte for byte.
func TestInjectNonASCII(t *testing.T) {
	tests := []string{
		"<html><head><title>İzmir</title></head><body><h1>İzmir</h1></body></html>",
		"<html><body><p>" + strings.Repeat("Ⱥ", 40) + "</p></body></html>",
		"<html><body><p>" + strings.Repeat("Ⱥ", 40) + "</p></BODY >\n</html>",
		strings.Repeat("İ", 100) + "</body>",
		"<p>" + strings.Repeat("Ⱥ", 40) + "</p>",
	}
	for _, page := range tests {
		got := string(Inject([]byte(page), 7, []Problem{{Msg: "broken"}}))
		start := strings.Index(got, "\n<style>")
		end := strings.LastIndex(got, "</script>\n")
		if start < 0 || end < 0 {
			t.Errorf("Inject(%q): no overlay or script:\n%s", page, got)
			continue
		}
		end += len("</script>\n")
		if rest := got[:start] + got[end:]; rest != page {
			t.Errorf("Inject(%q): the page around the snippet is\n%q", page, rest)
		}
		before, after := got[:start], got[end:]
		if strings.Contains(strings.ToLower(page), "</body") && !strings.HasPrefix(strings.ToLower(after), "</body") {
			t.Errorf("Inject(%q): the snippet is not right before </body>: ...%q", page, after)
		}
		if strings.Count(before, "<") != strings.Count(before, ">") {
			t.Errorf("Inject(%q): the snippet is inside a tag: %q", page, before)
		}
	}
}
