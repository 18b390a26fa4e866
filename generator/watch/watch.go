// Package watch reports changes to the files below a set of directories,
// in batches: a burst of events (an editor's save, a checkout, 50 writes in
// a row) becomes one batch once the files have been quiet for a moment.
//
// With operating-system notifications (fsnotify) it watches directories,
// never files, since an atomic save replaces the file and would drop a
// watch on it. It adds every directory below the roots, and each new one as
// it appears; the files already inside a new directory count as changed,
// because they may have been written before the watch was in place. Editor
// temporary and swap files, hidden files and directories, and Chmod-only
// events are ignored. When the kernel's event queue overflows, the batch is
// marked Rescan: something changed, it is unknown what.
//
// Where notifications do not work (network shares, some virtual machines)
// the watcher can poll instead, comparing each file's size and modification
// time between scans.
//
// A root that does not exist yet is watched for from its parent, so that a
// site without layouts/ picks up a layouts/ created later.
package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultDebounce is how long the files must stay quiet before a batch is
// reported, when Options.Debounce is zero.
const DefaultDebounce = 50 * time.Millisecond

// Options says what to watch and how.
type Options struct {
	// Dirs are the directories to watch, with everything below them.
	Dirs []string
	// Skip, when set, reports whether a file or directory is to be ignored,
	// besides the hidden and temporary files always ignored (see Ignored).
	// It is given absolute paths.
	Skip func(path string) bool
	// Debounce is how long the files must stay quiet before a batch is
	// reported; DefaultDebounce when zero. A batch waits at most ten times
	// as long, however busy the files are.
	Debounce time.Duration
	// Poll, when positive, scans the directories at this interval instead
	// of using the operating system's notifications.
	Poll time.Duration
	// Clock, when set, is the clock that debouncing and polling run on
	// instead of the system's. Tests pass one they move by hand
	// (watchtest.Clock), so that which changes make one batch does not
	// depend on how busy the machine is.
	Clock Clock

	// trace, when set, is told each path recorded in the pending batch,
	// in the watcher's goroutine (tests: a change has been taken in).
	trace func(path string)
}

// Clock is the time a Watcher waits on.
type Clock interface {
	Now() time.Time
	// Timer returns a channel that receives once d has passed, and a
	// function that cancels it.
	Timer(d time.Duration) (<-chan time.Time, func())
}

// systemClock is the real time.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Timer(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTimer(d)
	return t.C, func() { t.Stop() }
}

// Batch is the set of changes reported at once.
type Batch struct {
	// Paths are the absolute paths of the files and directories created,
	// written, removed or renamed (old and new name), sorted, once each.
	Paths []string
	// Rescan says that events were lost (the event queue overflowed):
	// anything may have changed.
	Rescan bool
	// Errors are problems met while watching, such as running out of
	// inotify watches for a new directory. The watcher goes on.
	Errors []error
}

// Watcher watches directories and reports batches of changes.
type Watcher struct {
	opts    Options
	roots   []string      // absolute, cleaned
	out     chan Batch    // closed when the watcher stops
	stop    chan struct{} // closed by Close
	stopped chan struct{} // closed when run returns
	once    sync.Once
	fw      *fsnotify.Watcher // nil when polling
	dirs    map[string]bool   // directories watched below the roots (fsnotify)
	parents map[string]bool   // parents of the roots, watched for the roots themselves

	// Errors from fsnotify are taken off its channel at once by a goroutine
	// of their own and queued here: fsnotify may send an error while it
	// holds the lock that Add and Remove need.
	errMu    sync.Mutex
	errQueue []error
	errReady chan struct{} // capacity 1: errQueue is not empty
	errsDone chan struct{} // closed when queueErrors returns

	snapshot map[string]fileState // the last scan (polling)
}

// fileState is what polling compares between scans.
type fileState struct {
	size  int64
	mtime int64 // nanoseconds
	mode  fs.FileMode
}

// New starts watching. Close stops it.
func New(opts Options) (*Watcher, error) {
	if len(opts.Dirs) == 0 {
		return nil, errors.New("watch: no directories to watch")
	}
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.Clock == nil {
		opts.Clock = systemClock{}
	}
	w := &Watcher{
		opts:     opts,
		out:      make(chan Batch),
		stop:     make(chan struct{}),
		stopped:  make(chan struct{}),
		dirs:     map[string]bool{},
		parents:  map[string]bool{},
		errReady: make(chan struct{}, 1),
		errsDone: make(chan struct{}),
	}
	for _, d := range opts.Dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, fmt.Errorf("watch: %w", err)
		}
		if st, err := os.Stat(abs); err == nil && !st.IsDir() {
			return nil, fmt.Errorf("watch: %s is not a directory", abs)
		}
		w.roots = append(w.roots, abs)
	}
	if opts.Poll > 0 {
		w.snapshot = w.scan()
		close(w.errsDone)
		go w.run(nil)
		return w, nil
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch: %w (try polling)", err)
	}
	w.fw = fw
	for _, r := range w.roots {
		parent := filepath.Dir(r)
		if !w.parents[parent] {
			if err := fw.Add(parent); err != nil {
				fw.Close()
				return nil, fmt.Errorf("watch: watching %s: %w", parent, err)
			}
			w.parents[parent] = true
		}
		if errs := w.addTree(r, nil); len(errs) > 0 {
			fw.Close()
			return nil, errs[0]
		}
	}
	go w.queueErrors(fw.Errors)
	go w.run(fw.Events)
	return w, nil
}

// Batches returns the channel of batches. It is closed when the watcher
// stops. A batch waits, and keeps growing, until it is received.
func (w *Watcher) Batches() <-chan Batch { return w.out }

// Close stops watching and closes the Batches channel.
func (w *Watcher) Close() error {
	var err error
	w.once.Do(func() {
		close(w.stop)
		<-w.stopped
		if w.fw != nil {
			err = w.fw.Close()
		}
		<-w.errsDone
	})
	return err
}

// pending is a batch being collected.
type pending struct {
	paths  map[string]bool
	rescan bool
	errs   []error
	first  time.Time // when the first change came in
	taken  []string  // paths taken in since the last Options.trace call
}

func (p *pending) empty() bool { return len(p.paths) == 0 && !p.rescan && len(p.errs) == 0 }

// add records path and reports whether it is new to the batch.
func (p *pending) add(path string) bool {
	if p.paths == nil {
		p.paths = map[string]bool{}
	}
	p.taken = append(p.taken, path)
	if p.paths[path] {
		return false
	}
	p.paths[path] = true
	return true
}

func (p *pending) batch() Batch {
	b := Batch{Rescan: p.rescan, Errors: p.errs}
	for path := range p.paths {
		b.Paths = append(b.Paths, path)
	}
	sort.Strings(b.Paths)
	return b
}

// run collects changes and hands out a batch once they have been quiet for
// the debounce time and the receiver is ready. Every new change restarts
// the wait, up to ten debounce times after the first. When polling, it
// scans every Poll interval, the next wait starting when a scan is done.
func (w *Watcher) run(events <-chan fsnotify.Event) {
	defer close(w.stopped)
	defer close(w.out)
	clock := w.opts.Clock
	var tick <-chan time.Time
	stopTick := func() {}
	if w.opts.Poll > 0 {
		tick, stopTick = clock.Timer(w.opts.Poll)
	}
	defer func() { stopTick() }()
	var quiet <-chan time.Time // fires when the changes have been quiet long enough
	stopQuiet := func() {}
	defer func() { stopQuiet() }()
	var (
		p    pending
		send chan Batch // w.out once quiet long enough, else nil
		next Batch      // what send offers
	)
	// changed restarts the wait after something new was recorded, then
	// tells the trace what was: a test that sees a path knows the wait
	// for its batch is set.
	changed := func(news bool) {
		if news && !p.empty() {
			now := clock.Now()
			if p.first.IsZero() {
				p.first = now
			}
			wait := w.opts.Debounce
			if limit := p.first.Add(10 * w.opts.Debounce); now.Add(wait).After(limit) {
				wait = limit.Sub(now)
			}
			send = nil
			stopQuiet()
			quiet, stopQuiet = clock.Timer(max(wait, 0))
		}
		if w.opts.trace != nil {
			for _, path := range p.taken {
				w.opts.trace(path)
			}
		}
		p.taken = nil
	}
	for {
		select {
		case <-w.stop:
			return
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			changed(w.handle(ev, &p))
		case <-w.errReady:
			for _, err := range w.takeErrors() {
				if errors.Is(err, fsnotify.ErrEventOverflow) {
					p.rescan = true
					p.errs = append(p.errs, w.rescan()...)
				} else {
					p.errs = append(p.errs, fmt.Errorf("watch: %w", err))
				}
			}
			changed(true)
		case <-tick:
			changed(w.poll(&p))
			// The next scan is timed from the end of this one, and set
			// after the wait above: a test that sees both timers set
			// knows the scan is over.
			tick, stopTick = clock.Timer(w.opts.Poll)
		case <-quiet:
			quiet, stopQuiet = nil, func() {}
			next, send = p.batch(), w.out
		case send <- next:
			p, send, next = pending{}, nil, Batch{}
		}
	}
}

// queueErrors moves fsnotify's errors into the queue run reads.
func (w *Watcher) queueErrors(errs <-chan error) {
	defer close(w.errsDone)
	for err := range errs {
		w.errMu.Lock()
		w.errQueue = append(w.errQueue, err)
		w.errMu.Unlock()
		select {
		case w.errReady <- struct{}{}:
		default:
		}
	}
}

func (w *Watcher) takeErrors() []error {
	w.errMu.Lock()
	defer w.errMu.Unlock()
	errs := w.errQueue
	w.errQueue = nil
	return errs
}

// handle records one fsnotify event and reports whether it was a change.
// Every relevant event counts, even on a path already in the batch: a file
// still being written keeps the batch waiting.
func (w *Watcher) handle(ev fsnotify.Event, p *pending) bool {
	name := filepath.Clean(ev.Name)
	if !ev.Op.Has(fsnotify.Create | fsnotify.Write | fsnotify.Remove | fsnotify.Rename) {
		return false // Chmod only: touch, chmod, and Linux's unlink of a link
	}
	if !w.inRoots(name) || w.ignored(name) {
		return false
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// The path is gone: stop watching it and anything below it, since a
		// moved directory keeps its watches under the old names.
		w.unwatch(name)
		p.add(name)
	}
	if ev.Has(fsnotify.Create) {
		st, err := os.Lstat(name)
		switch {
		case err != nil:
			// Created and gone again before we looked: still a change.
			p.add(name)
		case st.IsDir():
			p.errs = append(p.errs, w.addTree(name, p)...)
		default:
			p.add(name)
		}
	}
	if ev.Has(fsnotify.Write) {
		p.add(name)
	}
	return true
}

// addTree watches dir and every directory below it. With p set, it records
// dir and every file found as changed: they may have appeared before the
// watch did.
func (w *Watcher) addTree(dir string, p *pending) []error {
	var errs []error
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path != dir || !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, fmt.Errorf("watch: %w", err))
			}
			return nil
		}
		if path != dir && w.ignored(path) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if p != nil {
			p.add(path)
		}
		if !d.IsDir() || w.dirs[path] {
			return nil
		}
		if err := w.fw.Add(path); err != nil {
			errs = append(errs, fmt.Errorf("watch: watching %s: %w", path, err))
			return filepath.SkipDir
		}
		w.dirs[path] = true
		return nil
	})
	return errs
}

// unwatch forgets path and every directory below it.
func (w *Watcher) unwatch(path string) {
	for d := range w.dirs {
		if d == path || strings.HasPrefix(d, path+string(filepath.Separator)) {
			delete(w.dirs, d)
			w.fw.Remove(d) // the kernel may have dropped it already
		}
	}
}

// rescan walks every root again after lost events: it watches directories
// that appeared and forgets those that went.
func (w *Watcher) rescan() []error {
	for d := range w.dirs {
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			delete(w.dirs, d)
			w.fw.Remove(d)
		}
	}
	var errs []error
	for _, r := range w.roots {
		errs = append(errs, w.addTree(r, nil)...)
	}
	return errs
}

// inRoots reports whether path is a root or lies below one.
func (w *Watcher) inRoots(path string) bool {
	for _, r := range w.roots {
		if path == r || strings.HasPrefix(path, r+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// ignored reports whether path is skipped: by Options.Skip, or because it
// or a directory between it and its root is hidden or temporary.
func (w *Watcher) ignored(path string) bool {
	if w.opts.Skip != nil && w.opts.Skip(path) {
		return true
	}
	for _, r := range w.roots {
		if rel, err := filepath.Rel(r, path); err == nil && rel != "." && filepath.IsLocal(rel) {
			for _, part := range strings.Split(rel, string(filepath.Separator)) {
				if Ignored(part) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// Ignored reports whether a file or directory name is one the watcher
// never reports: hidden names (".git", ".a.toml.swp", emacs ".#a.toml"),
// backups ("a.toml~"), vim swap and probe files (".swp", "4913"), emacs
// autosaves ("#a.toml#"), JetBrains safe-write files ("___jb_tmp___"),
// sed -i's "sedAbC123" and other temporary files ("a.toml.tmp"), and
// node_modules.
func Ignored(name string) bool {
	switch {
	case name == "" || name == "node_modules":
		return true
	case strings.HasPrefix(name, "."), strings.HasSuffix(name, "~"):
		return true
	case strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#") && len(name) > 1:
		return true
	case strings.Contains(name, "___jb_"):
		return true
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".swp", ".swo", ".swx", ".swpx", ".tmp", ".temp", ".bak", ".part", ".crdownload":
		return true
	}
	// vim writes "4913" to probe a directory; sed -i writes "sedAbC123".
	return allDigits(name) || len(name) == 9 && strings.HasPrefix(name, "sed") && !strings.Contains(name, ".")
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// scan lists every file and directory below the roots (polling).
func (w *Watcher) scan() map[string]fileState {
	seen := map[string]fileState{}
	for _, r := range w.roots {
		filepath.WalkDir(r, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // gone, or unreadable: absent from this scan
			}
			if path != r && w.ignored(path) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return nil
			}
			st := fileState{mode: info.Mode().Type()}
			if !d.IsDir() {
				st.size, st.mtime = info.Size(), info.ModTime().UnixNano()
			}
			seen[path] = st
			return nil
		})
	}
	return seen
}

// poll scans, records what differs from the last scan, and reports
// whether anything did.
func (w *Watcher) poll(p *pending) bool {
	now := w.scan()
	news := false
	for path, st := range now {
		if old, ok := w.snapshot[path]; !ok || old != st {
			p.add(path)
			news = true
		}
	}
	for path := range w.snapshot {
		if _, ok := now[path]; !ok {
			p.add(path)
			news = true
		}
	}
	w.snapshot = now
	return news
}
