// Package output writes a build into its destination directory so that a
// failed build leaves the destination exactly as it was, files of removed
// units never linger, every path stays inside the destination, and no file
// the build did not write is ever removed.
//
// A Dir works in one of three ways. New (Open, when the destination does
// not exist): every file goes into a staging directory beside the
// destination, which becomes the destination on Commit. Updated (Open on
// an existing destination): only files whose bytes change are written,
// into the staging directory, and Commit moves them into the destination
// and removes the files the previous build wrote and this one does not.
// Swapped (Stage): the staging directory replaces the destination whole
// on Commit, for a folder only checkgen writes, such as report/.
//
// The manifest (Open and Commit keep it beside the destination, as
// .<dest>.manifest) records per output file the key of its inputs, a
// hash of its bytes, its size and its modification time. It is also how a
// build knows which files are its own: Open refuses a destination that
// holds files but no manifest (unless Options.Force), and Commit removes
// only files a manifest lists. A file whose key is unchanged, and which
// is still in the destination as the manifest saw it, is not rendered
// again (Cached); a rendered file whose bytes are unchanged is not
// written again (put), so it keeps its modification time.
//
// Commit is a transaction. Before it moves anything it writes a manifest
// listing the files of both builds, so that after a crash the next build
// finds every file either wrote and completes the update; when a move
// fails, or the build's context is cancelled, it puts back what it had
// moved and the previous manifest. No file is written or removed through
// a symbolic link inside the destination.
//
// Staging directories are named .<dest>.building-*. A build holds a lock
// (flock) on its own while it runs; Open removes the ones nobody holds,
// left by builds that were killed.
package output

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/zeebo/xxh3"
)

// Keep lists the top-level entries of an existing destination that a build
// carries over untouched: report/ is written by `checkgen report`. (An
// update never touches files it did not write; Stage's swap moves these
// over, and Open does not count them as foreign files.)
var Keep = []string{"report"}

// Options says how Open treats the destination.
type Options struct {
	// Context, when set, stops the build: once it is done, writing a
	// file fails with its error, and Commit puts back what it had moved
	// and returns it.
	Context context.Context
	// Force builds into a destination that holds files but no manifest of
	// a checkgen build, which Open otherwise refuses (ForeignError): the
	// build writes its files there, replacing files at the same paths,
	// and leaves every other file as it is.
	Force bool
	// Leftover, when set, is offered the staging folder of an update
	// once Commit has put every file in place and written the manifest:
	// it then holds the files the update replaced or removed (Files of
	// them, about), which only wait to be removed. When Leftover returns
	// true it owns the folder and its lock (see Leftover) and Commit
	// returns without removing them; otherwise Commit removes them, as
	// it does without Leftover. It is not called when the update
	// displaced nothing, or where folders cannot be locked.
	Leftover func(Leftover) bool
}

// A Leftover is the staging folder of a committed update, with the files
// the update replaced or removed, while its lock holds it: no other
// build removes a locked staging folder, and a build finding it unlocked
// (its remover was killed) removes it. Remove removes the folder, then
// releases the lock; a process given the lock's file keeps the lock
// until it closes it or ends.
type Leftover struct {
	Dir   string
	Lock  *os.File
	Files int
}

// Remove removes the folder and everything in it, then releases the lock.
func (l Leftover) Remove() error {
	defer l.Lock.Close()
	return RemoveTree(l.Dir)
}

// RemoveLeftover is Leftover.Remove in a process of its own, which was
// given the Leftover's folder dir and its lock, open and held, as the file
// lock. It refuses, removing nothing, a dir that is not an absolute path
// named as a staging folder, or is not the folder lock is open on.
func RemoveLeftover(dir string, lock *os.File) error {
	defer lock.Close()
	_, name := filepath.Split(dir)
	if !filepath.IsAbs(dir) || !strings.HasPrefix(name, ".") || !strings.Contains(name, ".building-") {
		return fmt.Errorf("%s is not a staging folder of checkgen", dir)
	}
	held, err := lock.Stat()
	if err != nil {
		return fmt.Errorf("removing %s: its lock: %w", dir, err)
	}
	st, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !st.IsDir() || !os.SameFile(held, st) {
		return fmt.Errorf("%s is not the folder whose lock this process was given", dir)
	}
	return RemoveTree(dir)
}

// ForeignError is OpenWith's error for a destination that holds files
// but no manifest of an earlier checkgen build: a build would mix its
// files with someone else's, and could not tell them apart later.
type ForeignError struct {
	Dest    string
	Entries []string // some of its entries, sorted
	More    bool     // it has more entries than Entries
}

func (e *ForeignError) Error() string {
	list := strings.Join(e.Entries, ", ")
	if e.More {
		list += ", …"
	}
	return fmt.Sprintf("the destination %s holds files (%s) but no manifest of a checkgen build beside it (%s), so checkgen cannot tell which files are its own: choose a new or empty folder as the destination",
		e.Dest, list, filepath.Base(ManifestPath(e.Dest)))
}

// Dir is a build being written. It is safe for concurrent use.
type Dir struct {
	dest    string          // the final destination, absolute, links resolved
	staging string          // where written files go until Commit
	tree    string          // the staging tree: staging, or staging/t in an update
	held    *os.File        // the staging directory, locked while the build runs
	ctx     context.Context // stops the build
	persist bool            // keep a manifest beside dest (Open)
	update  bool            // dest existed: update it in place
	swap    bool            // replace dest whole (Stage)
	old     bool            // dest existed when the build began
	dirs    sync.Map        // staging folders already made
	realMu  sync.RWMutex
	real    map[string]bool // folders of dest (slash paths) known to be folders, not links

	mu      sync.Mutex
	files   Manifest          // every output of this build; zero Record until known
	fresh   []staged          // the outputs written into the staging directory
	prev    Manifest          // the previous build's outputs, when updating
	prevSum Sum               // the hash of the manifest file prev was read from
	carry   func(string) bool // previous outputs to keep although not built
	carried []string          // what Commit kept that way
	done    bool              // Commit or Abort ran

	// portable makes Commit move files without swapping them, as where
	// the system cannot (tests set it); swaps counts the files it swapped.
	portable bool
	swaps    atomic.Int64

	written, reused atomic.Int64
	flat            map[string]int      // the previous build's flat folders and their files (see flatFolders)
	leftover        func(Leftover) bool // Options.Leftover
	displaced       int                 // files a committed update left in the staging folder
	changed         atomic.Bool         // a record differs from the previous build's, or is new
	numbered        atomic.Int64        // the last number of a file of staging/f
}

// A staged file is one written into the staging directory: in its place
// in the staging tree, or when n > 0 as staging/f/<n> (see stagingFile).
type staged struct {
	rel string
	n   int64
}

// Record is what a manifest knows of one output file.
type Record struct {
	Key  Sum   // the hash of the key it was made from (Cached), else zero
	Sum  Sum   // the hash of its bytes
	Size int64 // its size in bytes
	Mod  int64 // its modification time in the destination, Unix nanoseconds
}

// Sum is a 128-bit hash: XXH3-128, big-endian. It tells files apart,
// not files from forgeries: whoever edits the plans writes the site
// anyway. (SHA-256 took a tenth of the processor time of a national
// build, 7.3 of 75 CPU-seconds; XXH3 hashes the same bytes about 30
// times as fast.)
type Sum [16]byte

func sum(b []byte) Sum { return xxh3.Hash128(b).Bytes() }

// Manifest maps an output path to its record.
type Manifest map[string]Record

// Stage starts a build for dest in a new directory beside it. The build
// replaces dest whole on Commit (keeping the entries named in Keep); no
// manifest is read or kept on disk. It is for folders only checkgen
// writes.
func Stage(dest string) (*Dir, error) {
	d, err := start(dest, Options{})
	if err != nil {
		return nil, err
	}
	d.swap = true
	return d, nil
}

// Open starts a build for dest that keeps a manifest beside it (see
// OpenWith).
func Open(dest string) (*Dir, error) { return OpenWith(dest, Options{}) }

// OpenWith starts a build for dest that keeps a manifest beside it. When
// dest does not exist, Commit creates it. When it exists, Commit updates
// it in place: with the manifest of the build that wrote it, only changed
// outputs are rendered and written, and files that build wrote and this
// one does not are removed. A destination with files but no readable
// manifest is refused with a ForeignError, unless opts.Force.
func OpenWith(dest string, opts Options) (*Dir, error) {
	d, err := start(dest, opts)
	if err != nil {
		return nil, err
	}
	d.persist = true
	if !d.old {
		return d, nil
	}
	d.update = true
	d.tree = filepath.Join(d.staging, "t")
	mpath := ManifestPath(d.dest)
	if data, err := os.ReadFile(mpath); err == nil {
		if m, err := parseManifest(mpath, data); err == nil {
			d.prev, d.prevSum = m, sum(data)
			d.files = make(Manifest, len(m))
			d.flat = flatFolders(m)
			return d, nil
		}
	}
	if !opts.Force {
		if ferr := foreign(d.dest); ferr != nil {
			d.Abort()
			return nil, ferr
		}
	}
	return d, nil
}

// start checks dest and makes the staging directory beside it.
func start(dest string, opts Options) (*Dir, error) {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	if filepath.Dir(abs) == abs {
		return nil, fmt.Errorf("the destination %s is the root folder: choose a folder of its own for the build", abs)
	}
	d := &Dir{dest: abs, files: Manifest{}, real: map[string]bool{}, ctx: opts.Context, leftover: opts.Leftover}
	if d.ctx == nil {
		d.ctx = context.Background()
	}
	st, err := os.Lstat(abs)
	if err == nil && st.Mode()&fs.ModeSymlink != 0 {
		// The destination itself may be a link (public -> /var/www/x):
		// the build goes where it points.
		real, rerr := filepath.EvalSymlinks(abs)
		if rerr != nil {
			return nil, fmt.Errorf("the destination %s is a symbolic link to a missing folder: %w", abs, rerr)
		}
		d.dest = real
		st, err = os.Lstat(real)
	}
	switch {
	case err == nil && !st.IsDir():
		return nil, fmt.Errorf("the destination %s exists and is not a folder: choose a folder", d.dest)
	case err == nil:
		d.old = true
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("the destination %s: %w", d.dest, err)
	}
	if err := d.newStaging(); err != nil {
		return nil, err
	}
	if d.old {
		// A destination on another file system than its parent (a mount
		// point) cannot receive the staged files by rename.
		sst, serr := os.Stat(d.staging)
		if serr == nil && !sameDevice(st, sst) {
			d.Abort()
			return nil, fmt.Errorf("the destination %s is on another file system than the folder that holds it (a mount point?): checkgen writes beside the destination and moves the files in, so choose a folder inside it, such as %s",
				d.dest, filepath.Join(d.dest, "site"))
		}
	}
	return d, nil
}

// newStaging makes the staging directory beside the destination and locks
// it, after removing the staging directories of builds that no longer
// run. All this happens under a lock on the parent folder, which Commit
// takes too: a build never sees another's staging directory unlocked.
func (d *Dir) newStaging() error {
	parent, base := filepath.Dir(d.dest), filepath.Base(d.dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", parent, writable(err))
	}
	unlock := lockParent(parent)
	defer unlock()
	removeStale(parent, base)
	staging, err := os.MkdirTemp(parent, "."+base+".building-")
	if err != nil {
		return fmt.Errorf("creating a staging folder beside %s: %w", d.dest, writable(err))
	}
	d.staging = staging
	d.tree = staging
	// MkdirTemp makes it private; the site is for a web server to read.
	if err := os.Chmod(staging, 0o755); err != nil {
		os.Remove(staging)
		return err
	}
	if f, err := os.Open(staging); err == nil {
		if ok, _ := lock(f, false); ok {
			d.held = f
		} else {
			f.Close()
		}
	}
	return nil
}

// writable adds what to do to an error of a read-only file system.
func writable(err error) error {
	if isReadOnly(err) {
		return fmt.Errorf("%w (choose a destination on a disk checkgen can write to)", err)
	}
	return err
}

// lockParent waits for the lock on the folder parent and returns its
// release. Where locks are not available it returns at once.
func lockParent(parent string) (unlock func()) {
	f, err := os.Open(parent)
	if err != nil {
		return func() {}
	}
	if ok, _ := lock(f, true); !ok {
		f.Close()
		return func() {}
	}
	return func() { f.Close() }
}

// removeStale removes, in parent, the staging folders of builds of base
// that no longer run (their lock is free) and manifest files left half
// written. The caller holds the parent's lock.
func removeStale(parent, base string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(parent, name)
		switch {
		case strings.HasPrefix(name, "."+base+".manifest.tmp-") && e.Type().IsRegular():
			os.Remove(p)
		case strings.HasPrefix(name, "."+base+".building-") && e.IsDir():
			f, err := os.Open(p)
			if err != nil {
				continue
			}
			free, _ := lock(f, false)
			if free {
				RemoveTree(p) // a killed remover's may hold a national edit's files
			}
			f.Close()
		}
	}
}

// foreign returns a ForeignError when dir holds entries other than those
// a checkgen command writes there.
func foreign(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("reading the destination %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		if !ours(e.Name()) {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)
	return &ForeignError{Dest: dir, Entries: names[:min(len(names), 3)], More: len(names) > 3}
}

// ours reports whether a top-level entry of a destination is one that
// other checkgen commands write: report/ and its staging folders.
func ours(name string) bool {
	for _, k := range Keep {
		if name == k || strings.HasPrefix(name, "."+k+".building-") {
			return true
		}
	}
	return false
}

// ManifestPath is where Open and Commit keep dest's manifest.
func ManifestPath(dest string) string {
	dest = filepath.Clean(dest)
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".manifest")
}

// Updating reports whether the build updates the destination in place.
func (d *Dir) Updating() bool { return d.update }

// Counts returns how many files this build wrote and how many it kept
// from the previous build as they were.
func (d *Dir) Counts() (written, kept int) {
	return int(d.written.Load()), int(d.reused.Load())
}

// Cached writes rel with render, unless the previous build wrote rel from
// the same key and the file is still as that build left it: then it keeps
// that file. The key must cover every input of the output, so that the
// kept bytes equal what render would write.
func (d *Dir) Cached(rel, key string, render func(w io.Writer) error) (reused bool, err error) {
	if err := d.claim(rel); err != nil {
		return false, err
	}
	k := sum([]byte(key))
	if rec, ok := d.unchanged(rel, func(r Record) bool { return r.Key == k }); ok {
		return true, d.keep(rel, rec)
	}
	buf, err := rendered(render)
	defer release(buf)
	if err != nil {
		return false, fmt.Errorf("rendering %s: %w", rel, err)
	}
	return false, d.put(rel, k, buf.Bytes())
}

// buffers holds the buffers Render and Cached render into: a national
// build renders about 385,000 files of 2 to 60 KB, and a new buffer for
// each, grown from empty by doubling, cost 5 % of its processor time in
// copying and clearing, and more in collecting the garbage.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooled is the largest buffer put back into the pool: the few large
// files of a build (levels' workbooks, the search index) do not stay
// in memory for the many small ones.
const maxPooled = 1 << 20

// rendered renders into a buffer from the pool. Give it back with release
// once its bytes are written: put keeps none of them.
func rendered(render func(w io.Writer) error) (*bytes.Buffer, error) {
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	return buf, render(buf)
}

// release puts buf back into the pool.
func release(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooled {
		buffers.Put(buf)
	}
}

// unchanged returns the previous record of rel when match accepts it and
// the file in the destination still has that record's size and time.
func (d *Dir) unchanged(rel string, match func(Record) bool) (Record, bool) {
	rec, ok := d.prev[rel]
	if !ok || !match(rec) {
		return Record{}, false
	}
	if !d.realParents(rel) {
		return Record{}, false
	}
	size, mod, regular, err := statFile(filepath.Join(d.dest, filepath.FromSlash(rel)))
	if err != nil || !regular || size != rec.Size || mod != rec.Mod {
		return Record{}, false
	}
	return rec, true
}

// lstat returns the destination's entry at rel, or an error when a folder
// on the way is missing, is a link, or is not a folder.
func (d *Dir) lstat(rel string) (fs.FileInfo, error) {
	if !d.realParents(rel) {
		return nil, fs.ErrNotExist
	}
	return os.Lstat(filepath.Join(d.dest, filepath.FromSlash(rel)))
}

// realParents reports whether every folder on the way to rel inside the
// destination is a folder, not a link to one.
func (d *Dir) realParents(rel string) bool {
	var checked []string
	for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
		d.realMu.RLock()
		ok := d.real[dir]
		d.realMu.RUnlock()
		if ok {
			break // and so are its parents
		}
		st, err := os.Lstat(filepath.Join(d.dest, filepath.FromSlash(dir)))
		if err != nil || !st.IsDir() {
			return false
		}
		checked = append(checked, dir)
	}
	if len(checked) > 0 {
		d.realMu.Lock()
		for _, dir := range checked {
			d.real[dir] = true
		}
		d.realMu.Unlock()
	}
	return true
}

// keep carries the destination's file at rel over into this build.
func (d *Dir) keep(rel string, rec Record) error {
	d.reused.Add(1)
	d.record(rel, rec)
	if !d.swap {
		return nil // it stays where it is
	}
	full, err := d.staged(rel)
	if err != nil {
		return err
	}
	old := filepath.Join(d.dest, filepath.FromSlash(rel))
	if os.Link(old, full) == nil {
		return nil
	}
	b, err := os.ReadFile(old)
	if err != nil {
		return err
	}
	return os.WriteFile(full, b, 0o644)
}

// put writes data to rel, unless the destination's file at rel holds the
// same bytes: an unchanged file keeps its modification time (a rebuild
// changes only what changed) and costs a link, or nothing, not a write.
func (d *Dir) put(rel string, key Sum, data []byte) error {
	s := sum(data)
	if rec, ok := d.unchanged(rel, func(r Record) bool { return r.Sum == s }); ok {
		if rec.Key != key {
			rec.Key = key
			d.changed.Store(true)
		}
		return d.keep(rel, rec)
	}
	d.changed.Store(true)
	if _, known := d.prev[rel]; d.old && !known {
		// No record of it: compare with the destination's file itself.
		if st, err := d.lstat(rel); err == nil && st.Mode().IsRegular() && st.Size() == int64(len(data)) {
			if b, err := os.ReadFile(filepath.Join(d.dest, filepath.FromSlash(rel))); err == nil && bytes.Equal(b, data) {
				return d.keep(rel, Record{Key: key, Sum: s, Size: st.Size(), Mod: st.ModTime().UnixNano()})
			}
		}
	}
	full, n, err := d.stagingFile(rel)
	if err != nil {
		return err
	}
	size, mod, err := writeFile(full, data)
	if err != nil {
		return err
	}
	d.written.Add(1)
	d.record(rel, Record{Key: key, Sum: s, Size: size, Mod: mod})
	d.mu.Lock()
	d.fresh = append(d.fresh, staged{rel, n})
	d.mu.Unlock()
	return nil
}

func (d *Dir) record(rel string, rec Record) {
	d.mu.Lock()
	d.files[rel] = rec
	d.mu.Unlock()
}

// Root returns the staging tree's path: every file of a new or staged
// build is there until Commit. (An update puts most of its written files
// elsewhere: see stagingFile.)
func (d *Dir) Root() string { return d.tree }

// Dest returns the destination's path.
func (d *Dir) Dest() string { return d.dest }

// Len returns how many paths were written so far.
func (d *Dir) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.files)
}

// Files returns the paths written so far, sorted.
func (d *Dir) Files() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]string, 0, len(d.files))
	for f := range d.files {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// Has reports whether the previous build wrote rel and the file is still
// in the destination, as a regular file.
func (d *Dir) Has(rel string) bool {
	if _, ok := d.prev[rel]; !ok {
		return false
	}
	st, err := d.lstat(rel)
	return err == nil && st.Mode().IsRegular()
}

// Carry makes Commit keep the previous build's files for which keep
// reports true and that this build does not write: they stay in the
// destination and in the manifest, as they were. A build of some formats
// carries the other formats' files over this way.
func (d *Dir) Carry(keep func(rel string) bool) {
	d.mu.Lock()
	d.carry = keep
	d.mu.Unlock()
}

// Carried returns, after Commit, the files it kept through Carry, sorted.
func (d *Dir) Carried() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.carried)
}

// Check reports whether rel is a clean, slash-separated path that stays
// inside the destination.
func Check(rel string) error {
	if rel == "" || !fs.ValidPath(rel) || strings.Contains(rel, `\`) || !filepath.IsLocal(filepath.FromSlash(rel)) {
		return fmt.Errorf("output path %q would leave the destination directory", rel)
	}
	return nil
}

// claim checks rel and records that this build writes it. Once the
// build's context is done, it returns the context's error: every writer
// claims its file first, so the workers of Parallel stop at their next
// file.
func (d *Dir) claim(rel string) error {
	if err := d.ctx.Err(); err != nil {
		return err
	}
	if err := Check(rel); err != nil {
		return err
	}
	d.mu.Lock()
	_, dup := d.files[rel]
	d.files[rel] = Record{}
	d.mu.Unlock()
	if dup {
		return fmt.Errorf("output path %q written twice", rel)
	}
	return nil
}

// staged returns rel's path in the staging directory, with its parents.
func (d *Dir) staged(rel string) (string, error) {
	full := filepath.Join(d.tree, filepath.FromSlash(rel))
	if err := d.stagingDir(filepath.Dir(full)); err != nil {
		return "", err
	}
	return full, nil
}

// stagingDir makes the staging folder dir and its parents unless this
// build made it already. Most folders of a build are new and their
// parent exists, so it tries one mkdir before os.MkdirAll, which first
// stats the folder (96,135 stats that fail in a national build).
func (d *Dir) stagingDir(dir string) error {
	if _, ok := d.dirs.Load(dir); ok {
		return nil
	}
	if os.Mkdir(dir, 0o755) != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	d.dirs.Store(dir, true)
	return nil
}

// stagingFile returns where put writes rel. In an update, a file whose
// folders the destination has goes into a numbered folder of the staging
// directory, as file n (see numberedFile): Commit swaps it into its
// place, and the file it replaces goes with that folder. So an update
// makes few folders and removes few for such files (on this project's
// disk, a folder made and removed costs about 2 ms, most of an update of
// a national tree when every unit's page was rewritten). Any other file
// goes to its place in the staging tree (n = 0), to move with a folder
// new to the destination, or with a flat folder (see flatFolders).
func (d *Dir) stagingFile(rel string) (full string, n int64, err error) {
	if !d.update || d.flat[path.Dir(rel)] > 0 || !d.realParents(rel) {
		full, err = d.staged(rel)
		return full, 0, err
	}
	n = d.numbered.Add(1)
	full = d.numberedFile(n)
	if err := d.stagingDir(filepath.Dir(full)); err != nil {
		return "", 0, err
	}
	return full, n, nil
}

// flatMin is how many files a folder of the previous build holds, and no
// folders, for an update to write its files into that folder in the
// staging tree (see flatFolders).
const flatMin = 1000

// flatFolders returns the folders of manifest m that hold flatMin files
// or more and no folder: a national build's pdf/units/, xlsx/units/ and
// data/units/, of 96,135 files each. An update writes the files of such a
// folder into the same folder in the staging tree; when it rewrote most
// of them, Commit links the others in beside them and swaps the two
// folders whole (see wholeFolders) instead of each file: swaps of files
// across folders take one lock of the file system in turn, about 16 µs
// each here, 1.4 s for a national pdf/units/.
func flatFolders(m Manifest) map[string]int {
	files := map[string]int{}
	parents := map[string]bool{}
	for rel := range m {
		dir := path.Dir(rel)
		if files[dir]++; files[dir] == 1 {
			for p := path.Dir(dir); p != "." && p != "/"; p = path.Dir(p) {
				parents[p] = true
			}
		}
	}
	flat := map[string]int{}
	for dir, n := range files {
		if n >= flatMin && dir != "." && !parents[dir] {
			flat[dir] = n
		}
	}
	return flat
}

// numberedFiles is how many numbered files share a staging folder. One
// folder for all of them made creating each file three times as costly
// in an update of a national tree (360,292 files: 150 µs of processor
// time per file created, against 46 µs in a new build's folders).
const numberedFiles = 1024

// numberedSpread is how many staging folders take consecutive numbered
// files in turn. Creating a file holds its folder's lock while the file
// system finds an inode, so the renderers' workers, writing at once,
// waited on each other in one folder (perf: rwsem_spin_on_owner under
// openat).
const numberedSpread = 8

// numberedFile returns the staging path of numbered file n:
// staging/f/<folder>/<n>, file n going to folder n mod numberedSpread
// of the group of numberedSpread folders that holds it.
func (d *Dir) numberedFile(n int64) string {
	folder := n/(numberedFiles*numberedSpread)*numberedSpread + n%numberedSpread
	return filepath.Join(d.staging, "f", strconv.FormatInt(folder, 10), strconv.FormatInt(n, 10))
}

// WriteFile writes data to rel, a slash-separated path inside the build.
func (d *Dir) WriteFile(rel string, data []byte) error {
	if err := d.claim(rel); err != nil {
		return err
	}
	return d.put(rel, Sum{}, data)
}

// Render writes rel with render (see also Cached, which can skip it).
// An error from render is returned as it is.
func (d *Dir) Render(rel string, render func(w io.Writer) error) error {
	if err := d.claim(rel); err != nil {
		return err
	}
	buf, err := rendered(render)
	defer release(buf)
	if err != nil {
		return err
	}
	return d.put(rel, Sum{}, buf.Bytes())
}

// Abort removes the staging directory. It is safe to call after Commit.
func (d *Dir) Abort() {
	d.mu.Lock()
	d.done = true
	d.mu.Unlock()
	if d.staging != "" {
		RemoveTree(d.staging)
	}
	if d.held != nil {
		d.held.Close()
		d.held = nil
	}
}

// Commit puts the build in place: it creates the destination, updates it
// or (Stage) replaces it, then writes the manifest when the Dir keeps one.
// On error the destination and the manifest are as they were, unless the
// error says otherwise. The staging directory is gone after Commit, or
// handed to Options.Leftover.
func (d *Dir) Commit() (err error) {
	defer func() {
		if err == nil {
			d.handOff()
		}
		d.Abort()
	}()
	if err := d.ctx.Err(); err != nil {
		return err
	}
	unlock := lockParent(filepath.Dir(d.dest))
	defer unlock()
	if d.swap {
		return d.commitSwap()
	}
	mpath := ManifestPath(d.dest)
	before, rerr := os.ReadFile(mpath)
	had := rerr == nil
	prev, read := d.prev, had && d.prev != nil && sum(before) == d.prevSum
	if had && !read {
		// Another build committed since Open: its manifest counts too
		// (the files it wrote and this one does not go).
		cur, _ := parseManifest(mpath, before)
		prev = make(Manifest, len(d.prev)+len(cur))
		maps.Copy(prev, d.prev)
		maps.Copy(prev, cur)
	}
	st, err := os.Lstat(d.dest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if d.reused.Load() > 0 || d.update {
			return fmt.Errorf("the destination %s was removed during the build: build again", d.dest)
		}
		return d.commitNew(before, had)
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("the destination %s exists and is not a folder: choose a folder", d.dest)
	}
	if !d.update && len(prev) == 0 {
		// It appeared during the build.
		if err := foreign(d.dest); err != nil {
			return err
		}
	}
	return d.commitUpdate(prev, read, before, had)
}

// handOff offers the staging folder of a committed update, when it holds
// displaced files, to Options.Leftover.
func (d *Dir) handOff() {
	if d.leftover == nil || d.displaced == 0 || d.held == nil || d.staging == "" {
		return
	}
	if d.leftover(Leftover{Dir: d.staging, Lock: d.held, Files: d.displaced}) {
		d.staging, d.held = "", nil
	}
}

// restoreManifest puts back the manifest file as it was before Commit.
func restoreManifest(file string, before []byte, had bool) error {
	if !had {
		if err := os.Remove(file); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return writeManifestBytes(file, before)
}

// commitNew makes the staging directory the destination. The manifest
// goes first: were the process killed in between, the next build would
// find a manifest and no destination, and build it new.
func (d *Dir) commitNew(before []byte, had bool) error {
	d.mu.Lock()
	err := writeManifest(ManifestPath(d.dest), d.files, nil)
	d.mu.Unlock()
	if err != nil {
		return err
	}
	if err := os.Rename(d.staging, d.dest); err != nil {
		restoreManifest(ManifestPath(d.dest), before, had)
		return fmt.Errorf("creating %s: %w", d.dest, err)
	}
	return nil
}

// commitSwap swaps the staging directory in: entries named in Keep move
// over from the old destination, then the old destination is replaced.
// (Unchanged files are already links to the old ones, so they keep their
// modification times.)
func (d *Dir) commitSwap() error {
	old, err := os.Stat(d.dest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.Rename(d.staging, d.dest)
	case err != nil:
		return err
	case !old.IsDir():
		return fmt.Errorf("%s exists and is not a directory", d.dest)
	}
	for _, k := range Keep {
		from := filepath.Join(d.dest, k)
		if _, err := os.Stat(from); err == nil && !d.has(k) {
			if err := os.Rename(from, filepath.Join(d.staging, k)); err != nil {
				return fmt.Errorf("keeping %s: %w", from, err)
			}
		}
	}
	trash := d.staging + ".old"
	if err := os.Rename(d.dest, trash); err != nil {
		return fmt.Errorf("replacing %s: %w", d.dest, err)
	}
	if err := os.Rename(d.staging, d.dest); err != nil {
		os.Rename(trash, d.dest) // put the old site back
		return fmt.Errorf("replacing %s: %w", d.dest, err)
	}
	return os.RemoveAll(trash)
}

// A move is one rename (or swap) of Commit: a file, a folder new to the
// destination with every file under it, or a flat folder swapped whole.
type move struct {
	rel   string
	n     int64 // the file's number in staging/f, or 0: it is at rel in the staging tree
	dir   bool
	whole bool // a flat folder that replaces the destination's (see wholeFolders)
	olds  int  // the entries of the folder it replaces
}

// commitUpdate moves the written files into the destination and removes
// the files of the previous build (prev) that this one neither wrote nor
// carries. When read, the manifest file holds prev as it is: a build that
// changed nothing leaves it as it is. The manifest written first lists the files of both builds:
// were the process killed during the moves, the next build would find
// each file either as this build or as the previous one left it (its
// record tells which) and complete the update. Any other failure, or the
// context's end, puts back what was moved and the previous manifest.
func (d *Dir) commitUpdate(prev Manifest, read bool, before []byte, had bool) error {
	mpath := ManifestPath(d.dest)
	d.mu.Lock()
	files := d.files // the build is over: Commit runs after every write
	fresh := slices.Clone(d.fresh)
	carry := d.carry
	d.mu.Unlock()
	var gone, carried []string
	for rel := range prev {
		if _, ok := files[rel]; ok {
			continue
		}
		if carry != nil && carry(rel) {
			if st, err := d.lstat(rel); err == nil && st.Mode().IsRegular() {
				carried = append(carried, rel)
			}
			continue
		}
		gone = append(gone, rel)
	}
	if len(carried) > 0 {
		files = maps.Clone(files)
		for _, rel := range carried {
			files[rel] = prev[rel]
		}
	}
	slices.SortFunc(fresh, func(a, b staged) int { return strings.Compare(a.rel, b.rel) })
	sort.Strings(gone)
	sort.Strings(carried)
	prefetched := d.prefetch(fresh)
	defer prefetched()

	moves, err := d.planMoves(fresh)
	if err != nil {
		return err
	}
	moves = d.wholeFolders(moves, files, gone)
	d.mu.Lock()
	d.carried = carried
	d.mu.Unlock()
	if len(moves) == 0 && len(gone) == 0 {
		if read && !d.changed.Load() && len(files) == len(prev) {
			// Every file kept its previous record: the manifest says it
			// already.
			return nil
		}
		return writeManifest(mpath, files, nil)
	}
	pending := make(Manifest, len(gone))
	for _, rel := range gone {
		pending[rel] = prev[rel]
	}
	if err := writeManifest(mpath, files, pending); err != nil {
		return err
	}
	// Replaced and removed files wait until the end, to be put back on
	// failure: in the staging folder, where the written file was, or in
	// a folder aside named as a staging folder. Were the process killed,
	// the next build would remove both.
	prefetched()
	u := &update{d: d, moves: moves, gone: gone}
	u.exchanging.Store(!d.portable)
	defer u.clean()
	if err := u.run(); err != nil {
		return u.undo(err, mpath, before, had)
	}
	u.pruneFolders()
	if err := writeManifest(mpath, files, nil); err != nil {
		return fmt.Errorf("%s is updated, but %w: the next build checks every file", d.dest, err)
	}
	if d.leftover != nil && u.aside != "" {
		// The replaced files set aside go with the staging folder.
		if os.Rename(u.aside, filepath.Join(d.staging, "aside")) == nil {
			u.aside = ""
		}
	}
	d.displaced = u.displaced()
	return nil
}

// planMoves turns the written files (sorted) into renames: a file whose
// folders exist in the destination moves alone; a folder the destination
// lacks moves whole. A folder on the way that is a link, or a file where
// a folder goes, stops the commit before anything moved; so does a
// folder removed during the build where it held files being written
// outside the staging tree.
func (d *Dir) planMoves(fresh []staged) ([]move, error) {
	missing := map[string]bool{} // the folders looked at: missing or not
	var moves []move
	covered := "" // the last folder that moves whole
	for _, f := range fresh {
		if f.n == 0 && covered != "" && strings.HasPrefix(f.rel, covered+"/") {
			continue
		}
		dir, err := d.firstMissing(f.rel, missing)
		switch {
		case err != nil:
			return nil, err
		case dir == "":
			moves = append(moves, move{rel: f.rel, n: f.n})
		case f.n != 0:
			return nil, fmt.Errorf("updating %s: its folder %s was removed during the build: build again", d.dest, dir)
		default:
			moves = append(moves, move{rel: dir, dir: true})
			covered = dir
		}
	}
	return moves, nil
}

// firstMissing returns the first folder on the way to rel that the
// destination lacks, or "". A link or a file where a folder goes is an
// error. missing remembers the folders looked at.
func (d *Dir) firstMissing(rel string, missing map[string]bool) (string, error) {
	for i := strings.IndexByte(rel, '/'); i >= 0; i = next(rel, i) {
		dir := rel[:i]
		gone, ok := missing[dir]
		if !ok {
			p := filepath.Join(d.dest, filepath.FromSlash(dir))
			st, err := os.Lstat(p)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				gone = true
			case err != nil:
				return "", fmt.Errorf("updating %s: %w", d.dest, err)
			case st.Mode()&fs.ModeSymlink != 0:
				return "", fmt.Errorf("updating %s: %s is a symbolic link where the build writes a folder; checkgen writes nothing through a link: remove the link, then build again", d.dest, p)
			case !st.IsDir():
				return "", fmt.Errorf("updating %s: %s is a file where the build writes a folder: move it away, then build again", d.dest, p)
			}
			missing[dir] = gone
		}
		if gone {
			return dir, nil
		}
	}
	return "", nil
}

// next returns the index of the first slash of rel after i, or -1.
func next(rel string, i int) int {
	j := strings.IndexByte(rel[i+1:], '/')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

func (d *Dir) has(top string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	for f := range d.files {
		if f == top || strings.HasPrefix(f, top+"/") {
			return true
		}
	}
	return false
}

// Join joins slash-separated path elements, for renderers building paths.
func Join(elem ...string) string { return path.Join(elem...) }

// Workers is how many units a renderer writes at once when asked for n:
// n when positive, else one per processor Go may use.
func Workers(n int) int {
	if n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// Parallel calls do(i) for i in [0, n) on workers goroutines (see
// Workers), taking indexes in order, and tells progress (when not nil) of
// each call done, one call at a time. After the first error no new call
// starts; the error with the lowest index is returned. Renderers use it
// with one output file per index, so the bytes never depend on scheduling;
// each call claims its file from a Dir first, which fails once the
// build's context is done, so a cancelled build stops at the next index.
func Parallel(n, workers int, do func(i int) error, progress func(done, total int)) error {
	errs := make([]error, n)
	var next atomic.Int64
	var failed atomic.Bool
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for range min(Workers(workers), max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if errs[i] = do(i); errs[i] != nil {
					failed.Store(true)
				}
				if progress != nil {
					mu.Lock()
					done++
					progress(done, n)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return firstError(errs)
}

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
