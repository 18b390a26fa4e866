package watch

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
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

// quiet fails if a batch comes within d.
func quiet(t *testing.T, w *Watcher, d time.Duration) {
	t.Helper()
	select {
	case b := <-w.Batches():
		t.Fatalf("unexpected batch %+v", b)
	case <-time.After(d):
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

func TestBurstIsOneBatch(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			_, content := site(t)
			opts := m.opts
			opts.Dirs = []string{content}
			// A long quiet time, so that a slow machine still writes the
			// whole burst within it.
			opts.Debounce = 500 * time.Millisecond
			w := start(t, opts)
			var want []string
			for i := range 50 {
				p := filepath.Join(content, "plans", fmt.Sprintf("p%d.toml", i%5))
				write(t, p, strings.Repeat("x", i+1))
				if i < 5 {
					want = append(want, p)
				}
			}
			batches := waitFor(t, w, want...)
			if len(batches) != 1 {
				t.Errorf("50 writes gave %d batches, want 1: %v", len(batches), batches)
			}
			quiet(t, w, 3*opts.Debounce)
		})
	}
}

func TestIgnoredChanges(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			root, content := site(t)
			dest := filepath.Join(content, "public")
			opts := m.opts
			opts.Dirs = []string{content}
			opts.Skip = func(p string) bool { return p == dest || strings.HasPrefix(p, dest+string(filepath.Separator)) }
			w := start(t, opts)
			write(t, filepath.Join(content, "plans", ".a.toml.swp"), "swap")
			write(t, filepath.Join(content, "plans", "a.toml~"), "backup")
			write(t, filepath.Join(content, "plans", "#a.toml#"), "autosave")
			write(t, filepath.Join(content, ".git", "HEAD"), "ref")
			write(t, filepath.Join(dest, "index.html"), "built")
			write(t, filepath.Join(root, "outside.toml"), "not watched")
			if m.opts.Poll == 0 {
				// Chmod-only events are dropped (polling does not see modes).
				if err := os.Chmod(filepath.Join(content, "site.toml"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			quiet(t, w, 5*opts.Debounce+5*opts.Poll)
			// The watcher still works.
			p := filepath.Join(content, "site.toml")
			write(t, p, "title = 'y'\n")
			waitFor(t, w, p)
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
	w := start(t, Options{Dirs: []string{content}, Debounce: 50 * time.Millisecond})
	plans := filepath.Join(content, "plans")
	if err := w.fw.Remove(plans); err != nil {
		t.Fatal(err)
	}
	unseen := filepath.Join(plans, "new", "c.toml")
	write(t, unseen, "c = 1\n")
	quiet(t, w, 200*time.Millisecond)

	w.errMu.Lock()
	w.errQueue = append(w.errQueue, fsnotify.ErrEventOverflow)
	w.errMu.Unlock()
	w.errReady <- struct{}{}
	select {
	case b := <-w.Batches():
		if !b.Rescan {
			t.Errorf("after an overflow: batch %+v, want Rescan", b)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no batch after an overflow")
	}
	write(t, unseen, "c = 2\n")
	waitFor(t, w, unseen)
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
	deadline := time.Now().Add(5 * time.Second)
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
