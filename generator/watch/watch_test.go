package watch

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"checkgen/generator/watch/watchtest"
)

func TestIgnored(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"a.toml", false},
		{"units.csv", false},
		{"unit.html", false},
		{"2021-plan.toml", false},
		{".a.toml.swp", true},
		{"a.toml.swp", true},
		{"a.toml.swo", true},
		{"a.toml~", true},
		{"4913", true},
		{"#a.toml#", true},
		{".#a.toml", true},
		{"a.toml___jb_tmp___", true},
		{"a.toml___jb_old___", true},
		{"a.toml.tmp", true},
		{".git", true},
		{".public.building-123", true},
		{"node_modules", true},
		{"sedX1b2c3", true},
		{"sed.toml", false},
		{"sediments.toml", false},
		{"#", false},
		{"", true},
	}
	for _, tt := range tests {
		if got := Ignored(tt.name); got != tt.want {
			t.Errorf("Ignored(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// modes are the two ways of watching; every behaviour test runs in both.
var modes = []struct {
	name string
	opts Options
}{
	{"notify", Options{Debounce: 50 * time.Millisecond}},
	{"poll", Options{Debounce: 50 * time.Millisecond, Poll: 20 * time.Millisecond}},
}

// site makes a temp dir with content/ and content/plans/a.toml.
func site(t *testing.T) (root, content string) {
	t.Helper()
	root = t.TempDir()
	content = filepath.Join(root, "content")
	write(t, filepath.Join(content, "plans", "a.toml"), "a = 1\n")
	write(t, filepath.Join(content, "site.toml"), "title = 'x'\n")
	return root, content
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// save replaces path as editors do, atomically: the watcher sees one
// change, the new name appearing (the temporary file is ignored).
func save(t *testing.T, path, text string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	write(t, tmp, text)
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func start(t *testing.T, opts Options) *Watcher {
	t.Helper()
	w, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// waitFor collects batches until every path in want was reported, and
// returns the batches received.
func waitFor(t *testing.T, w *Watcher, want ...string) []Batch {
	t.Helper()
	var got []Batch
	seen := map[string]bool{}
	deadline := time.After(10 * time.Second)
	for {
		missing := false
		for _, p := range want {
			missing = missing || !seen[p]
		}
		if !missing {
			return got
		}
		select {
		case b, ok := <-w.Batches():
			if !ok {
				t.Fatalf("Batches closed; got %v, want %v", got, want)
			}
			for _, err := range b.Errors {
				t.Errorf("batch error: %v", err)
			}
			got = append(got, b)
			for _, p := range b.Paths {
				seen[p] = true
			}
		case <-deadline:
			t.Fatalf("no batch with %v within 10s; got %v", want, got)
		}
	}
}

// receive waits for the next batch.
func receive(t *testing.T, w *Watcher) Batch {
	t.Helper()
	select {
	case b, ok := <-w.Batches():
		if !ok {
			t.Fatal("Batches closed")
		}
		return b
	case <-time.After(time.Minute):
		t.Fatal("no batch within a minute")
	}
	return Batch{}
}

// recorder is an Options.trace that keeps the paths the watcher took in.
type recorder struct {
	mu      sync.Mutex
	paths   map[string]bool
	changed chan struct{} // closed, and replaced, on every new path
}

func newRecorder() *recorder {
	return &recorder{paths: map[string]bool{}, changed: make(chan struct{})}
}

func (r *recorder) trace(path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.paths[path] {
		r.paths[path] = true
		close(r.changed)
		r.changed = make(chan struct{})
	}
}

// wait waits until the watcher has taken in a change to path.
func (r *recorder) wait(t *testing.T, path string) {
	t.Helper()
	deadline := time.After(time.Minute)
	for {
		r.mu.Lock()
		seen, changed := r.paths[path], r.changed
		r.mu.Unlock()
		if seen {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("the watcher did not take in %s within a minute", path)
		}
	}
}

// manual is a watcher on a clock that the test moves: a batch comes only
// when the test says the files have been quiet long enough.
type manual struct {
	w     *Watcher
	clock *watchtest.Clock
	rec   *recorder
	opts  Options
}

func startManual(t *testing.T, opts Options) *manual {
	t.Helper()
	m := &manual{clock: watchtest.NewClock(), rec: newRecorder()}
	opts.Clock, opts.trace = m.clock, m.rec.trace
	m.opts = opts
	m.w = start(t, opts)
	if opts.Poll > 0 && !m.clock.WaitTimers(1, time.Minute) { // the first scan's
		t.Fatal("the watcher set no timer for its first scan")
	}
	return m
}

// batch lets the files be quiet for the debounce time after the watcher
// took in the change to last (with notifications, which come in order,
// so every earlier change too), or after a scan (polling), and returns the
// batch reported.
func (m *manual) batch(t *testing.T, last string) Batch {
	t.Helper()
	if m.opts.Poll > 0 {
		// One timer, the next scan's; after it, the scan found changes
		// when there are two: the quiet time's and the next scan's.
		if !m.clock.WaitTimers(1, time.Minute) {
			t.Fatalf("timers: %d, want the next scan's alone", m.clock.Timers())
		}
		m.clock.Advance(m.opts.Poll)
		if !m.clock.WaitTimers(2, time.Minute) {
			t.Fatalf("the scan found no change (timers: %d)", m.clock.Timers())
		}
	} else {
		m.rec.wait(t, last)
	}
	m.clock.Advance(m.opts.Debounce)
	b := receive(t, m.w)
	// The advance may have been time for another scan too: let it end
	// (finding nothing) before the test changes files again.
	if m.opts.Poll > 0 && !m.clock.WaitTimers(1, time.Minute) {
		t.Fatalf("timers: %d, want the next scan's alone", m.clock.Timers())
	}
	return b
}

// samePaths fails unless b reports exactly want.
func samePaths(t *testing.T, what string, b Batch, want ...string) {
	t.Helper()
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(b.Paths, want) || b.Rescan || len(b.Errors) > 0 {
		t.Errorf("%s: batch %+v, want exactly %v", what, b, want)
	}
}

func TestChanges(t *testing.T) {
	tests := []struct {
		name string
		// do changes files below content/ and returns the paths that
		// must be reported, and paths that must not be.
		do func(t *testing.T, content string) (want, not []string)
	}{
		{"write", func(t *testing.T, c string) ([]string, []string) {
			p := filepath.Join(c, "plans", "a.toml")
			write(t, p, "a = 2 # changed\n")
			return []string{p}, nil
		}},
		{"atomic rename save", func(t *testing.T, c string) ([]string, []string) {
			p := filepath.Join(c, "plans", "a.toml")
			tmp := filepath.Join(c, "plans", ".a.toml.tmp1234")
			write(t, tmp, "a = 3 # saved atomically\n")
			if err := os.Rename(tmp, p); err != nil {
				t.Fatal(err)
			}
			return []string{p}, []string{tmp}
		}},
		{"vim save", func(t *testing.T, c string) ([]string, []string) {
			p := filepath.Join(c, "plans", "a.toml")
			probe := filepath.Join(c, "plans", "4913")
			write(t, probe, "")
			os.Remove(probe)
			if err := os.Rename(p, p+"~"); err != nil {
				t.Fatal(err)
			}
			write(t, p, "a = 4 # vim\n")
			os.Remove(p + "~")
			return []string{p}, []string{probe, p + "~"}
		}},
		{"new directory with a file", func(t *testing.T, c string) ([]string, []string) {
			p := filepath.Join(c, "plans", "x", "y", "b.toml")
			write(t, p, "b = 1\n")
			return []string{p}, nil
		}},
		{"deleted file", func(t *testing.T, c string) ([]string, []string) {
			p := filepath.Join(c, "site.toml")
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			return []string{p}, nil
		}},
		{"renamed file", func(t *testing.T, c string) ([]string, []string) {
			from, to := filepath.Join(c, "plans", "a.toml"), filepath.Join(c, "plans", "b.toml")
			if err := os.Rename(from, to); err != nil {
				t.Fatal(err)
			}
			return []string{from, to}, nil
		}},
		{"renamed directory", func(t *testing.T, c string) ([]string, []string) {
			from, to := filepath.Join(c, "plans"), filepath.Join(c, "tasks")
			if err := os.Rename(from, to); err != nil {
				t.Fatal(err)
			}
			return []string{from, to}, nil
		}},
	}
	for _, m := range modes {
		for _, tt := range tests {
			t.Run(m.name+"/"+tt.name, func(t *testing.T) {
				_, content := site(t)
				opts := m.opts
				opts.Dirs = []string{content}
				w := start(t, opts)
				want, not := tt.do(t, content)
				batches := waitFor(t, w, want...)
				for _, b := range batches {
					for _, p := range not {
						if slices.Contains(b.Paths, p) {
							t.Errorf("batch %v reports ignored %s", b.Paths, p)
						}
					}
				}
			})
		}
	}
}

// TestNewDirectoryIsWatched writes again into a directory that did not
// exist when watching began, and into the new name of a renamed one.
func TestNewDirectoryIsWatched(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			_, content := site(t)
			opts := m.opts
			opts.Dirs = []string{content}
			w := start(t, opts)
			p := filepath.Join(content, "x", "y", "b.toml")
			write(t, p, "b = 1\n")
			waitFor(t, w, p)
			write(t, p, "b = 22\n")
			waitFor(t, w, p)

			moved := filepath.Join(content, "z", "y", "b.toml")
			if err := os.Rename(filepath.Join(content, "x"), filepath.Join(content, "z")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, w, filepath.Join(content, "z"))
			write(t, moved, "b = 333\n")
			waitFor(t, w, moved)
		})
	}
}

// TestBurstIsOneBatch writes 50 times to five files with the clock
// standing still: however long the writes take, they are one batch, and
// the next change is a batch of its own.
func TestBurstIsOneBatch(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			_, content := site(t)
			opts := m.opts
			opts.Dirs = []string{content}
			w := startManual(t, opts)
			var want []string
			for i := range 50 {
				p := filepath.Join(content, "plans", fmt.Sprintf("p%d.toml", i%5))
				write(t, p, strings.Repeat("x", i+1))
				if i < 5 {
					want = append(want, p)
				}
			}
			last := filepath.Join(content, "plans", "q.toml")
			save(t, last, "q = 1\n")
			want = append(want, last)
			samePaths(t, "50 writes", w.batch(t, last), want...)

			// Nothing of the burst is left for a second batch.
			next := filepath.Join(content, "site.toml")
			save(t, next, "title = 'y'\n")
			samePaths(t, "the write after", w.batch(t, next), next)
		})
	}
}

// TestIgnoredChanges makes changes the watcher ignores, then one it does
// not: the batch holds that one alone.
func TestIgnoredChanges(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			root, content := site(t)
			dest := filepath.Join(content, "public")
			opts := m.opts
			opts.Dirs = []string{content}
			opts.Skip = func(p string) bool { return p == dest || strings.HasPrefix(p, dest+string(filepath.Separator)) }
			w := startManual(t, opts)
			write(t, filepath.Join(content, "plans", ".a.toml.swp"), "swap")
			write(t, filepath.Join(content, "plans", "a.toml~"), "backup")
			write(t, filepath.Join(content, "plans", "#a.toml#"), "autosave")
			write(t, filepath.Join(content, ".git", "HEAD"), "ref")
			write(t, filepath.Join(dest, "index.html"), "built")
			write(t, filepath.Join(root, "outside.toml"), "not watched")
			if m.opts.Poll == 0 {
				// Chmod-only events are dropped (polling does not see modes).
				if err := os.Chmod(filepath.Join(content, "plans", "a.toml"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			p := filepath.Join(content, "site.toml")
			save(t, p, "title = 'y'\n")
			samePaths(t, "ignored changes, then site.toml", w.batch(t, p), p)
		})
	}
}

// TestRootCreatedLater watches layouts/ before it exists.
func TestRootCreatedLater(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			root, content := site(t)
			layouts := filepath.Join(root, "layouts")
			opts := m.opts
			opts.Dirs = []string{content, layouts}
			w := start(t, opts)
			p := filepath.Join(layouts, "unit.html")
			write(t, p, "<p>{{.Name}}</p>")
			waitFor(t, w, p)
			write(t, p, "<p>{{.Code}}</p>")
			waitFor(t, w, p)
			if err := os.RemoveAll(layouts); err != nil {
				t.Fatal(err)
			}
			waitFor(t, w, layouts)
		})
	}
}

// TestOverflow loses events on purpose (by dropping a watch behind the
// watcher's back), then reports a queue overflow as fsnotify would: the
// batch says Rescan, and the directory made meanwhile is watched after.
func TestOverflow(t *testing.T) {
	_, content := site(t)
	m := startManual(t, Options{Dirs: []string{content}, Debounce: 50 * time.Millisecond})
	w := m.w
	plans := filepath.Join(content, "plans")
	if err := w.fw.Remove(plans); err != nil {
		t.Fatal(err)
	}
	unseen := filepath.Join(plans, "new", "c.toml")
	write(t, unseen, "c = 1\n")
	// The lost change is not reported: the next batch holds only a change
	// made after it.
	seen := filepath.Join(content, "site.toml")
	save(t, seen, "title = 'z'\n")
	samePaths(t, "after a lost change", m.batch(t, seen), seen)

	w.errMu.Lock()
	w.errQueue = append(w.errQueue, fsnotify.ErrEventOverflow)
	w.errMu.Unlock()
	w.errReady <- struct{}{}
	if !m.clock.WaitTimers(1, time.Minute) {
		t.Fatal("no wait set after an overflow")
	}
	m.clock.Advance(m.opts.Debounce)
	if b := receive(t, w); !b.Rescan {
		t.Errorf("after an overflow: batch %+v, want Rescan", b)
	}
	save(t, unseen, "c = 2\n")
	if b := m.batch(t, unseen); !slices.Contains(b.Paths, unseen) {
		t.Errorf("after the rescan: batch %+v, want %s", b, unseen)
	}
}

func TestCloseStopsEverything(t *testing.T) {
	before := runtime.NumGoroutine()
	for _, m := range modes {
		for range 20 {
			_, content := site(t)
			opts := m.opts
			opts.Dirs = []string{content}
			w, err := New(opts)
			if err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(content, "site.toml"), "x")
			if err := w.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			if _, ok := <-w.Batches(); ok {
				t.Error("Batches still open after Close")
			}
		}
	}
	deadline := time.Now().Add(time.Minute)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("goroutines: %d before, %d after 40 watchers closed", before, n)
	}
}

func TestNewErrors(t *testing.T) {
	root, content := site(t)
	tests := []struct {
		name string
		dirs []string
	}{
		{"no dirs", nil},
		{"a file", []string{filepath.Join(content, "site.toml")}},
		{"no parent", []string{filepath.Join(root, "missing", "content")}},
	}
	for _, tt := range tests {
		if w, err := New(Options{Dirs: tt.dirs}); err == nil {
			w.Close()
			t.Errorf("%s: New(%q) succeeded, want an error", tt.name, tt.dirs)
		}
	}
}
