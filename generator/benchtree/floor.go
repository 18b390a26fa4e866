package benchtree

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
)

// File is one file of a built tree: its slash path inside the tree and
// its size.
type File struct {
	Path string
	Size int64
}

// Files lists the regular files under dir, in path order.
func Files(dir string) ([]File, error) {
	var files []File
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		files = append(files, File{filepath.ToSlash(rel), info.Size()})
		return err
	})
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, err
}

// Bytes is the sum of the files' sizes.
func Bytes(files []File) int64 {
	var n int64
	for _, f := range files {
		n += f.Size
	}
	return n
}

// WriteFloor writes files into the new folder dir, each of its size (all
// its bytes 'x'), in the same folders, one worker per processor, and no
// rendering: the least a build writing those files can take on this
// disk. Folders are made first, then files are written with
// os.WriteFile in parallel.
func WriteFloor(dir string, files []File) error {
	dirs := map[string]bool{}
	var biggest int64
	for _, f := range files {
		dirs[filepath.Dir(filepath.Join(dir, filepath.FromSlash(f.Path)))] = true
		biggest = max(biggest, f.Size)
	}
	for d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	data := make([]byte, biggest)
	for i := range data {
		data[i] = 'x'
	}
	workers := runtime.GOMAXPROCS(0)
	next := make(chan File)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f.Path)), data[:f.Size], 0o644); err != nil {
					errs <- err
					for range next {
					}
					return
				}
			}
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	close(errs)
	return <-errs
}
