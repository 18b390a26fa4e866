package output

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"
)

// wholeFolders replaces, in moves, the files of a flat folder (see
// flatFolders) that this update rewrote for the most part by one move
// that swaps the folder whole: the staging tree's folder, completed with
// links to every other file the destination's holds, takes the place of
// the destination's, which goes with the staging folder. A folder whose
// destination holds anything but files (a folder, a link), or where the
// system cannot swap, keeps its moves file by file. files is the new
// manifest; gone lists the previous build's files that go.
func (d *Dir) wholeFolders(moves []move, files Manifest, gone []string) []move {
	if d.portable || len(d.flat) == 0 {
		return moves
	}
	fresh := map[string][]int{} // flat folder -> its files' moves
	for i, mv := range moves {
		if dir := path.Dir(mv.rel); !mv.dir && mv.n == 0 && d.flat[dir] > 0 {
			fresh[dir] = append(fresh[dir], i)
		}
	}
	var folders []string
	for dir, idx := range fresh {
		if 2*len(idx) >= d.flat[dir] {
			folders = append(folders, dir)
		}
	}
	if len(folders) == 0 || !d.canExchange() {
		return moves
	}
	goneSet := map[string]bool{}
	for _, rel := range gone {
		goneSet[rel] = true
	}
	olds := make([]int, len(folders)) // 0: keep the folder's moves file by file
	var wg sync.WaitGroup
	for k, dir := range folders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			written := map[string]bool{}
			for _, i := range fresh[dir] {
				written[moves[i].rel] = true
			}
			olds[k] = d.completeFolder(dir, written, goneSet)
		}()
	}
	wg.Wait()
	drop := map[int]bool{}
	var out []move
	for k, dir := range folders {
		if olds[k] > 0 {
			for _, i := range fresh[dir] {
				drop[i] = true
			}
			out = append(out, move{rel: dir, dir: true, whole: true, olds: olds[k]})
		}
	}
	for i, mv := range moves {
		if !drop[i] {
			out = append(out, mv)
		}
	}
	return out
}

// completeFolder links into the staging tree's folder dir every entry of
// the destination's that this update neither rewrote (written) nor
// removes (gone), and returns how many entries the destination's holds;
// or 0, when it holds anything but files or a link fails, and the
// folder's files move one by one.
func (d *Dir) completeFolder(dir string, written, gone map[string]bool) int {
	from := filepath.Join(d.dest, filepath.FromSlash(dir))
	to := filepath.Join(d.tree, filepath.FromSlash(dir))
	f, err := os.Open(from)
	if err != nil {
		return 0
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil || len(entries) == 0 {
		return 0
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			return 0
		}
	}
	for _, e := range entries {
		rel := dir + "/" + e.Name()
		if written[rel] || gone[rel] {
			continue
		}
		// Kept files, and files checkgen did not write, stay: the
		// same file, as a second name in the folder that replaces this one.
		if err := os.Link(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			return 0
		}
	}
	return len(entries)
}

// canExchange reports whether the system swaps entries of the staging
// folder's file system (the destination's), trying it on two new files.
func (d *Dir) canExchange() bool {
	a, b := filepath.Join(d.staging, "exchange-a"), filepath.Join(d.staging, "exchange-b")
	defer os.Remove(a)
	defer os.Remove(b)
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			return false
		}
	}
	return exchange(a, b) == nil
}

// swapWhole swaps move i's flat folder with the destination's, then puts
// back into the destination any file that appeared in it since
// completeFolder looked and that no build wrote.
func (u *update) swapWhole(i int, from, to string) error {
	if err := exchange(from, to); err != nil {
		return err
	}
	u.swapped[i] = true
	u.d.swaps.Add(1)
	// The replaced folder is at from now.
	rel := u.moves[i].rel
	returnStrays(from, to, func(name string) bool { _, ok := u.d.prev[rel+"/"+name]; return ok })
	return nil
}

// returnStrays moves back from the folder from into the folder to every
// file that is not ours (a build's) and that to lacks: a file someone
// put into a flat folder while Commit swapped it (into the destination's,
// or, when undo swaps it back, into the build's).
func returnStrays(from, to string, ours func(name string) bool) {
	f, err := os.Open(from)
	if err != nil {
		return
	}
	entries, _ := f.ReadDir(-1)
	f.Close()
	for _, e := range entries {
		if ours(e.Name()) {
			continue
		}
		back := filepath.Join(to, e.Name())
		if _, err := os.Lstat(back); errors.Is(err, fs.ErrNotExist) {
			os.Rename(filepath.Join(from, e.Name()), back)
		}
	}
}
