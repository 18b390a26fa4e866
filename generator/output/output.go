// Package output writes a build into a staging directory beside its
// destination and swaps it in only when every renderer succeeded, so a
// failed build leaves the destination exactly as it was and files of
// removed units never linger. Every path is checked to stay inside the
// destination.
package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Keep lists the top-level entries of an existing destination that a build
// carries over untouched: report/ is written by `checkgen report`.
var Keep = []string{"report"}

// Dir is a build being written. It is safe for concurrent use.
type Dir struct {
	dest    string // the final destination
	staging string // where the files go until Commit

	mu    sync.Mutex
	files map[string]bool
	keys  Manifest // the key of each cached output written

	prev Manifest // the previous build's keys, when building incrementally
}

// Manifest maps an output path to the key of everything it was made from.
// A long-running process (checkgen serve) keeps the manifest of its last
// build so that the next build reuses every file whose key is unchanged.
type Manifest map[string]string

// Stage starts a build for dest in a new directory beside it.
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
	return &Dir{dest: dest, staging: staging, files: map[string]bool{}, keys: Manifest{}}, nil
}

// Incremental makes Cached reuse files of the previous build, found in the
// destination, whose key in prev equals the new key.
func (d *Dir) Incremental(prev Manifest) { d.prev = prev }

// Manifest returns the keys of the cached outputs written by this build.
func (d *Dir) Manifest() Manifest {
	d.mu.Lock()
	defer d.mu.Unlock()
	m := make(Manifest, len(d.keys))
	for k, v := range d.keys {
		m[k] = v
	}
	return m
}

// Cached writes rel with render, unless the previous build (see
// Incremental) wrote rel from the same key: then it reuses that file. The
// key must cover every input of the output, so that the reused bytes equal
// what render would write.
func (d *Dir) Cached(rel, key string, render func(w io.Writer) error) (reused bool, err error) {
	full, err := d.claim(rel)
	if err != nil {
		return false, err
	}
	d.mu.Lock()
	d.keys[rel] = key
	d.mu.Unlock()
	if d.prev != nil && d.prev[rel] == key {
		old := filepath.Join(d.dest, filepath.FromSlash(rel))
		if os.Link(old, full) == nil {
			return true, nil
		}
		if b, err := os.ReadFile(old); err == nil {
			return true, os.WriteFile(full, b, 0o644)
		}
	}
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return false, fmt.Errorf("rendering %s: %w", rel, err)
	}
	return false, d.put(rel, full, buf.Bytes())
}

// put writes data to full, or links the destination's file at rel when it
// holds the same bytes: an unchanged file keeps its modification time (a
// rebuild changes only what changed) and costs a link, not a write.
func (d *Dir) put(rel, full string, data []byte) error {
	old := filepath.Join(d.dest, filepath.FromSlash(rel))
	if st, err := os.Stat(old); err == nil && st.Mode().IsRegular() && st.Size() == int64(len(data)) {
		if b, err := os.ReadFile(old); err == nil && bytes.Equal(b, data) && os.Link(old, full) == nil {
			return nil
		}
	}
	return os.WriteFile(full, data, 0o644)
}

type bufFile struct {
	d         *Dir
	rel, full string
	bytes.Buffer
}

func (f *bufFile) Close() error { return f.d.put(f.rel, f.full, f.Bytes()) }

// Root returns the staging directory's path.
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

func (d *Dir) claim(rel string) (string, error) {
	if err := Check(rel); err != nil {
		return "", err
	}
	d.mu.Lock()
	dup := d.files[rel]
	d.files[rel] = true
	d.mu.Unlock()
	if dup {
		return "", fmt.Errorf("output path %q written twice", rel)
	}
	full := filepath.Join(d.staging, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return "", err
	}
	return full, nil
}

// WriteFile writes data to rel, a slash-separated path inside the build.
func (d *Dir) WriteFile(rel string, data []byte) error {
	full, err := d.claim(rel)
	if err != nil {
		return err
	}
	return d.put(rel, full, data)
}

// Create opens rel for writing; the caller closes it.
func (d *Dir) Create(rel string) (io.WriteCloser, error) {
	full, err := d.claim(rel)
	if err != nil {
		return nil, err
	}
	return &bufFile{d: d, rel: rel, full: full}, nil
}

// Abort removes the staging directory. It is safe to call after Commit.
func (d *Dir) Abort() { os.RemoveAll(d.staging) }

// Commit swaps the build in: entries named in Keep move over from the old
// destination, then the old destination is replaced. (Unchanged files are
// already links to the old ones, so they keep their modification times.)
func (d *Dir) Commit() error {
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
