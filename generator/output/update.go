package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// An update is the moves and removals of one commitUpdate, and what it
// takes to undo them.
//
// A written file replaces the destination's in one step where the system
// can swap two files (exchange: Linux's RENAME_EXCHANGE): the replaced
// file lands in the staging folder, where the written one was, and goes
// with it; undoing swaps them again. Elsewhere, or where the file system
// refuses to swap, the replaced file is first linked (or moved) into a
// folder aside, then the written file is renamed over it.
type update struct {
	d     *Dir
	moves []move
	gone  []string // the previous build's files to remove, sorted

	exchanging atomic.Bool // swap files; false once the system refused

	// The state of move i: swapped[i] when it swapped, else saved[i]
	// is where the file it replaced went and moved[i] tells that it
	// happened. removed[j] is where gone[j] went.
	swapped, moved []bool
	saved          []string
	removed        []string

	asideOnce sync.Once
	aside     string // made on first use
	asideErr  error
}

// run makes every move, then every removal, many at a time (see
// removeWorkers); it stops at the first failure or at the end of the
// build's context.
func (u *update) run() error {
	u.swapped = make([]bool, len(u.moves))
	u.moved = make([]bool, len(u.moves))
	u.saved = make([]string, len(u.moves))
	u.removed = make([]string, len(u.gone))
	err := Parallel(len(u.moves), removeWorkers, u.move, nil)
	if err == nil {
		err = u.d.ctx.Err()
	}
	if err == nil {
		err = Parallel(len(u.gone), removeWorkers, u.remove, nil)
	}
	return err
}

// prefetch reads, removeWorkers at a time, the destination's folders and
// files that the numbered files of fresh replace, and returns a function
// that waits until it is done. A swap holds the file system's rename lock
// while it reads what it needs of both folders and files; after a build
// that wrote gigabytes, the destination's are no longer in memory, and
// reading them one swap at a time made swapping a national tree's 85,000
// unit pages take 7.6-8.4 s (4.3 s with the names still cached). Read
// beforehand, many at once, and beside the rest of Commit, they took
// 0.9 s to swap.
func (d *Dir) prefetch(fresh []staged) (wait func()) {
	var rels []string
	for _, f := range fresh {
		if f.n > 0 {
			rels = append(rels, f.rel)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Parallel(len(rels), removeWorkers, func(i int) error {
			if dir := path.Dir(rels[i]); i == 0 || dir != path.Dir(rels[i-1]) {
				// The folder's entries, which the swap changes.
				if f, err := os.Open(filepath.Join(d.dest, filepath.FromSlash(dir))); err == nil {
					f.Readdirnames(-1)
					f.Close()
				}
			}
			statFile(filepath.Join(d.dest, filepath.FromSlash(rels[i])))
			return nil
		}, nil)
	}()
	return func() { <-done }
}

// asideDir returns the folder aside, beside the destination.
func (u *update) asideDir() (string, error) {
	u.asideOnce.Do(func() {
		u.aside, u.asideErr = os.MkdirTemp(filepath.Dir(u.d.dest), "."+filepath.Base(u.d.dest)+".building-")
		if u.asideErr != nil {
			u.asideErr = fmt.Errorf("updating %s: %w", u.d.dest, writable(u.asideErr))
		}
	})
	return u.aside, u.asideErr
}

// clean removes the folder aside, with what it still holds.
func (u *update) clean() {
	if u.aside != "" {
		RemoveTree(u.aside)
	}
}

// paths returns where move i's file or folder is staged and where it goes.
func (u *update) paths(i int) (staged, dest string) {
	mv := u.moves[i]
	dest = filepath.Join(u.d.dest, filepath.FromSlash(mv.rel))
	if mv.n > 0 {
		return u.d.numberedFile(mv.n), dest
	}
	return filepath.Join(u.d.tree, filepath.FromSlash(mv.rel)), dest
}

// folderInTheWay is the error of a folder where the build writes a file.
func (u *update) folderInTheWay(to string) error {
	return fmt.Errorf("updating %s: %s is a folder where the build writes a file: move it away, then build again", u.d.dest, to)
}

// move makes move i.
func (u *update) move(i int) error {
	if err := u.d.ctx.Err(); err != nil {
		return err
	}
	mv := u.moves[i]
	from, to := u.paths(i)
	if mv.whole {
		if err := u.swapWhole(i, from, to); err != nil {
			return fmt.Errorf("updating %s: %w", to, err)
		}
		return nil
	}
	if !mv.dir && u.exchanging.Load() {
		if done, err := u.swap(i, from, to); done || err != nil {
			return err
		}
	}
	if !mv.dir {
		st, err := os.Lstat(to)
		switch {
		case err == nil && st.IsDir():
			return u.folderInTheWay(to)
		case err == nil:
			aside, err := u.asideDir()
			if err != nil {
				return err
			}
			p := filepath.Join(aside, strconv.Itoa(i))
			// A link keeps the old file in place until the rename
			// replaces it; where links fail, move it aside.
			if lerr := os.Link(to, p); lerr != nil {
				if rerr := os.Rename(to, p); rerr != nil {
					return fmt.Errorf("updating %s: %w", to, rerr)
				}
			}
			u.saved[i] = p
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("updating %s: %w", to, err)
		}
	}
	if err := os.Rename(from, to); err != nil {
		return fmt.Errorf("updating %s: %w", to, crossDevice(err))
	}
	u.moved[i] = true
	return nil
}

// swap exchanges the written file at from with the destination's at to.
// It reports false, and no error, when it did nothing: to is missing, or
// the system cannot swap files (then no later move tries).
func (u *update) swap(i int, from, to string) (done bool, err error) {
	err = exchange(from, to)
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		u.exchanging.Store(false)
		return false, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("updating %s: %w", to, crossDevice(err))
	}
	u.swapped[i] = true
	u.d.swaps.Add(1)
	// What was at to is at from now: a folder swaps back.
	st, err := os.Lstat(from)
	if err == nil && !st.IsDir() {
		return true, nil
	}
	if xerr := exchange(from, to); xerr != nil {
		return true, fmt.Errorf("updating %s: %w", to, xerr) // undo tries again
	}
	u.swapped[i] = false
	if err != nil {
		return true, fmt.Errorf("updating %s: %w", to, err)
	}
	return true, u.folderInTheWay(to)
}

// remove moves gone[j] aside, unless it is no longer a file this build
// may remove.
func (u *update) remove(j int) error {
	rel := u.gone[j]
	st, err := u.d.lstat(rel)
	if err != nil || !st.Mode().IsRegular() {
		// Gone already, or behind a link, or replaced by a folder or a
		// link: not a file this build may remove.
		return nil
	}
	aside, err := u.asideDir()
	if err != nil {
		return err
	}
	from := filepath.Join(u.d.dest, filepath.FromSlash(rel))
	p := filepath.Join(aside, "gone-"+strconv.Itoa(j))
	if err := os.Rename(from, p); err != nil {
		return fmt.Errorf("removing %s: %w", from, err)
	}
	u.removed[j] = p
	return nil
}

// undo puts back what run moved, then the manifest as it was before
// (before, had), and returns cause, or why the destination could not be
// put back.
func (u *update) undo(cause error, mpath string, before []byte, had bool) error {
	var mu sync.Mutex
	var failed []string
	fail := func(err error) {
		mu.Lock()
		failed = append(failed, err.Error())
		mu.Unlock()
	}
	Parallel(len(u.moves), removeWorkers, func(i int) error {
		from, to := u.paths(i)
		var err error
		switch {
		case u.swapped[i] && u.moves[i].whole:
			if err = exchange(from, to); err == nil {
				rel := u.moves[i].rel
				returnStrays(from, to, func(name string) bool {
					_, built := u.d.files[rel+"/"+name]
					_, was := u.d.prev[rel+"/"+name]
					return built || was
				})
			}
		case u.swapped[i]:
			err = exchange(from, to)
		case u.moved[i] && u.moves[i].dir:
			err = os.Rename(to, from)
		case u.saved[i] != "":
			if _, lerr := os.Lstat(u.saved[i]); lerr == nil {
				err = os.Rename(u.saved[i], to)
			}
		case u.moved[i]:
			err = os.Remove(to)
		}
		if err != nil {
			fail(err)
		}
		return nil
	}, nil)
	Parallel(len(u.gone), removeWorkers, func(j int) error {
		if p := u.removed[j]; p != "" {
			to := filepath.Join(u.d.dest, filepath.FromSlash(u.gone[j]))
			if err := os.Rename(p, to); err != nil {
				fail(err)
			}
		}
		return nil
	}, nil)
	if len(failed) > 0 {
		return fmt.Errorf("%v; putting the destination back failed too (%s): %s holds some files of this build and some of the previous one, and the manifest beside it lists both, so the next build completes the update",
			cause, strings.Join(failed[:min(len(failed), 3)], "; "), u.d.dest)
	}
	if err := restoreManifest(mpath, before, had); err != nil {
		return fmt.Errorf("%v; %s is as it was, but its manifest could not be put back (%v): the next build checks every file", cause, u.d.dest, err)
	}
	return cause
}

// displaced returns how many files of the destination run replaced or
// removed: they wait in the staging folder or the folder aside.
func (u *update) displaced() int {
	n := 0
	for i, mv := range u.moves {
		switch {
		case u.swapped[i] && mv.whole:
			n += mv.olds
		case u.swapped[i] || u.saved[i] != "":
			n++
		}
	}
	for _, p := range u.removed {
		if p != "" {
			n++
		}
	}
	return n
}

// pruneFolders removes the folders the removed files leave empty.
func (u *update) pruneFolders() {
	for j := len(u.gone) - 1; j >= 0; j-- {
		if u.removed[j] == "" {
			continue
		}
		for dir := path.Dir(u.gone[j]); dir != "."; dir = path.Dir(dir) {
			p := filepath.Join(u.d.dest, filepath.FromSlash(dir))
			if st, err := os.Lstat(p); err != nil || !st.IsDir() || os.Remove(p) != nil {
				break
			}
		}
	}
}
