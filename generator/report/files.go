package report

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"checkgen/generator/xlsx"
)

// Files lists the workbooks named by paths: a file as given (whatever its
// name), a directory's .xlsx files at any depth, sorted, without Excel's
// lock files (~$name.xlsx) and hidden entries. A path that cannot be read
// is a problem naming it; the others are still listed.
func Files(paths []string) ([]string, []*xlsx.Problem) {
	var files []string
	var problems []*xlsx.Problem
	seen := map[string]bool{}
	add := func(p string) {
		clean := filepath.Clean(p)
		if !seen[clean] {
			seen[clean] = true
			files = append(files, p)
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			problems = append(problems, xlsx.FileProblem(p, false, "%s", describeErr(err)))
			continue
		}
		if !st.IsDir() {
			add(p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				problems = append(problems, xlsx.FileProblem(path, false, "%s", describeErr(err)))
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			name := d.Name()
			if path != p && strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(name), ".xlsx") && !strings.HasPrefix(name, "~$") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			problems = append(problems, xlsx.FileProblem(p, false, "%s", describeErr(err)))
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return files, problems
}

func describeErr(err error) string {
	var pe *fs.PathError
	switch {
	case os.IsNotExist(err):
		return "no such file or directory"
	case os.IsPermission(err):
		return "permission denied"
	case errors.As(err, &pe):
		return pe.Err.Error()
	}
	return err.Error()
}

// ReadFiles reads the workbooks in parallel. It returns those read, in the
// order given, and one problem for each file that could not be read.
func ReadFiles(files []string, opts xlsx.ReadOptions) ([]*xlsx.Workbook, []*xlsx.Problem) {
	books := make([]*xlsx.Workbook, len(files))
	errs := make([]*xlsx.Problem, len(files))
	var wg sync.WaitGroup
	jobs := make(chan int)
	for range min(runtime.GOMAXPROCS(0), max(len(files), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				books[i], errs[i] = readFile(files[i], opts)
			}
		}()
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	var read []*xlsx.Workbook
	var problems []*xlsx.Problem
	for i := range files {
		if books[i] != nil {
			read = append(read, books[i])
		}
		if errs[i] != nil {
			problems = append(problems, errs[i])
		}
	}
	return read, problems
}

func readFile(name string, opts xlsx.ReadOptions) (*xlsx.Workbook, *xlsx.Problem) {
	f, err := os.Open(name)
	if err != nil {
		return nil, xlsx.FileProblem(name, false, "%s", describeErr(err))
	}
	defer f.Close()
	wb, err := xlsx.Read(name, f, opts)
	if err != nil {
		if p, ok := xlsx.AsProblem(err); ok {
			return nil, p
		}
		return nil, xlsx.FileProblem(name, false, "%s", err.Error())
	}
	return wb, nil
}
