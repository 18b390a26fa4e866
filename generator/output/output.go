// Package output writes a build into its destination directory so that a
// failed build leaves the destination exactly as it was, files of removed
// units never linger, and every path stays inside the destination.
//
// A Dir works in one of two ways. Staged (Stage, and Open when there is
// nothing to update): every file goes into a new directory beside the
// destination, which replaces the destination on Commit. Updated (Open on
// a destination with a valid manifest): only files whose bytes change are
// written, into a small staging directory, and Commit moves them into the
// destination and removes the files the build no longer has.
//
// The manifest (Open and Commit keep it beside the destination, as
// .<dest>.manifest) records per output file the key of its inputs, a
// hash of its bytes, its size and its modification time. A file whose key
// is unchanged, and which is still in the destination as the manifest saw
// it, is not rendered again (Cached); a rendered file whose bytes are
// unchanged is not written again (put), so it keeps its modification time.
package output

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Keep lists the top-level entries of an existing destination that a build
// carries over untouched: report/ is written by `checkgen report`.
var Keep = []string{"report"}

// Dir is a build being written. It is safe for concurrent use.
type Dir struct {
	dest    string   // the final destination
	staging string   // where written files go until Commit
	update  bool     // update dest in place instead of replacing it
	persist bool     // keep the manifest beside dest
	old     bool     // dest existed when the build began
	dirs    sync.Map // staging folders already made

	mu    sync.Mutex
	files Manifest // every output of this build; zero Record until known
	fresh []string // the outputs written into the staging directory
	prev  Manifest // the previous build's outputs, when updating

	written, reused atomic.Int64
}

// Record is what a manifest knows of one output file.
type Record struct {
	Key  Sum   // the hash of the key it was made from (Cached), else zero
	Sum  Sum   // the hash of its bytes
	Size int64 // its size in bytes
	Mod  int64 // its modification time in the destination, Unix nanoseconds
}

// Sum is a 128-bit hash.
type Sum [16]byte

func sum(b []byte) Sum {
	s := sha256.Sum256(b)
	return Sum(s[:16])
}

// Manifest maps an output path to its record.
type Manifest map[string]Record

// Stage starts a build for dest in a new directory beside it. The build
// replaces dest on Commit; no manifest is read or kept on disk.
func Stage(dest string) (*Dir, error) {
	dest = filepath.Clean(dest)
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", parent, err)
	}
	staging, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".building-")
	if err != nil {
		return nil, fmt.Errorf("creating a staging directory beside %s: %w", dest, err)
	}
	// MkdirTemp makes it private; the site is for a web server to read.
	if err := os.Chmod(staging, 0o755); err != nil {
		os.Remove(staging)
		return nil, err
	}
	st, err := os.Stat(dest)
	return &Dir{dest: dest, staging: staging, files: Manifest{}, old: err == nil && st.IsDir()}, nil
}

// Open starts a build for dest that keeps a manifest beside it. When dest
// exists and the manifest of the build that wrote it is readable, the
// build updates dest in place; otherwise it is staged, as with Stage.
func Open(dest string) (*Dir, error) {
	d, err := Stage(dest)
	if err != nil {
		return nil, err
	}
	d.persist = true
	if st, err := os.Stat(d.dest); err == nil && st.IsDir() {
		if m, err := readManifest(ManifestPath(d.dest)); err == nil {
			d.prev, d.update = m, true
		}
	}
	return d, nil
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
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return false, fmt.Errorf("rendering %s: %w", rel, err)
	}
	return false, d.put(rel, k, buf.Bytes())
}

// unchanged returns the previous record of rel when match accepts it and
// the file in the destination still has that record's size and time.
func (d *Dir) unchanged(rel string, match func(Record) bool) (Record, bool) {
	rec, ok := d.prev[rel]
	if !ok || !match(rec) {
		return Record{}, false
	}
	st, err := os.Lstat(filepath.Join(d.dest, filepath.FromSlash(rel)))
	if err != nil || !st.Mode().IsRegular() || st.Size() != rec.Size || st.ModTime().UnixNano() != rec.Mod {
		return Record{}, false
	}
	return rec, true
}

// keep carries the destination's file at rel over into this build.
func (d *Dir) keep(rel string, rec Record) error {
	d.reused.Add(1)
	d.record(rel, rec)
	if d.update {
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
		rec.Key = key
		return d.keep(rel, rec)
	}
	if !d.update && d.old {
		// No manifest: compare with the destination's file itself.
		old := filepath.Join(d.dest, filepath.FromSlash(rel))
		if st, err := os.Lstat(old); err == nil && st.Mode().IsRegular() && st.Size() == int64(len(data)) {
			if b, err := os.ReadFile(old); err == nil && bytes.Equal(b, data) {
				return d.keep(rel, Record{Key: key, Sum: s, Size: st.Size(), Mod: st.ModTime().UnixNano()})
			}
		}
	}
	full, err := d.staged(rel)
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
	d.fresh = append(d.fresh, rel)
	d.mu.Unlock()
	return nil
}

func (d *Dir) record(rel string, rec Record) {
	d.mu.Lock()
	d.files[rel] = rec
	d.mu.Unlock()
}

// Root returns the staging directory's path: every file of a staged
// build, and the written files of an updating one, are there until Commit.
func (d *Dir) Root() string { return d.staging }

// Dest returns the destination's path.
func (d *Dir) Dest() string { return d.dest }

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

// Check reports whether rel is a clean, slash-separated path that stays
// inside the destination.
func Check(rel string) error {
	if rel == "" || !fs.ValidPath(rel) || strings.Contains(rel, `\`) || !filepath.IsLocal(filepath.FromSlash(rel)) {
		return fmt.Errorf("output path %q would leave the destination directory", rel)
	}
	return nil
}

// claim checks rel and records that this build writes it.
func (d *Dir) claim(rel string) error {
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
	full := filepath.Join(d.staging, filepath.FromSlash(rel))
	dir := filepath.Dir(full)
	if _, ok := d.dirs.Load(dir); !ok {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		d.dirs.Store(dir, true)
	}
	return full, nil
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
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	return d.put(rel, Sum{}, buf.Bytes())
}

// Abort removes the staging directory. It is safe to call after Commit.
func (d *Dir) Abort() { os.RemoveAll(d.staging) }

// Commit puts the build in place: it replaces the destination (staged) or
// moves the written files into it and removes the ones no longer built
// (updating); then it writes the manifest, when the Dir keeps one.
func (d *Dir) Commit() error {
	var err error
	if d.update {
		err = d.commitUpdate()
	} else {
		err = d.commitSwap()
	}
	if err != nil || !d.persist {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return writeManifest(ManifestPath(d.dest), d.files)
}

// commitSwap swaps the staging directory in: entries named in Keep move
// over from the old destination, then the old destination is replaced.
// (Unchanged files are already links to the old ones, so they keep their
// modification times.)
func (d *Dir) commitSwap() error {
	if d.persist {
		os.Remove(ManifestPath(d.dest))
	}
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

// commitUpdate moves the written files into the destination and removes
// the files of the previous build that this one did not write. The
// manifest goes first: were the moves interrupted, the next build would
// find none, and replace the destination whole.
func (d *Dir) commitUpdate() error {
	if err := os.Remove(ManifestPath(d.dest)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// Parents first; moves in parallel (they are file system work).
	d.mu.Lock()
	moved := slices.Clone(d.fresh)
	d.mu.Unlock()
	sort.Strings(moved)
	made := map[string]bool{}
	for _, rel := range moved {
		dir := path.Dir(rel)
		if made[dir] {
			continue
		}
		made[dir] = true
		to := filepath.Join(d.dest, filepath.FromSlash(dir))
		if err := os.MkdirAll(to, 0o755); err != nil {
			return err
		}
	}
	err := Parallel(len(moved), 4, func(i int) error {
		rel := filepath.FromSlash(moved[i])
		from, to := filepath.Join(d.staging, rel), filepath.Join(d.dest, rel)
		err := os.Rename(from, to)
		if err != nil {
			// A folder where the file goes (rare): replace it.
			if st, serr := os.Lstat(to); serr == nil && st.IsDir() && os.RemoveAll(to) == nil {
				err = os.Rename(from, to)
			}
		}
		if err != nil {
			return fmt.Errorf("updating %s: %w", d.dest, err)
		}
		return nil
	}, nil)
	if err != nil {
		return err
	}
	var gone []string
	d.mu.Lock()
	for rel := range d.prev {
		if _, ok := d.files[rel]; !ok {
			gone = append(gone, rel)
		}
	}
	d.mu.Unlock()
	sort.Sort(sort.Reverse(sort.StringSlice(gone))) // files before their folders
	for _, rel := range gone {
		p := filepath.Join(d.dest, filepath.FromSlash(rel))
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing %s: %w", p, err)
		}
		// Remove the folders it leaves empty (Remove fails on the others).
		for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
			if os.Remove(filepath.Join(d.dest, filepath.FromSlash(dir))) != nil {
				break
			}
		}
	}
	return os.RemoveAll(d.staging)
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
// with one output file per index, so the bytes never depend on scheduling.
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
