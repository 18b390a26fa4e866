package report

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"checkgen/generator/plan"
	"checkgen/generator/xlsx"
)

// Files lists the inputs named by paths: a file as given (whatever its
// name), a directory's .xlsx and .json files at any depth, sorted,
// without Excel's lock files (~$name.xlsx) and hidden entries. A path that cannot be read
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
			ext := filepath.Ext(name)
			if !d.IsDir() && (strings.EqualFold(ext, ".xlsx") || strings.EqualFold(ext, ".json")) && !strings.HasPrefix(name, "~$") {
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
	in := ReadInputs(files, nil, opts)
	return in.Books, in.Problems
}

// ReadInputs reads workbooks and report.json files (told apart by their
// first bytes) in parallel, in the order given; each file that cannot be
// read is one problem naming it. m checks that a report.json belongs to
// the site; with m nil, every file is read as a workbook.
func ReadInputs(files []string, m *plan.Model, opts xlsx.ReadOptions) Inputs {
	books := make([]*xlsx.Workbook, len(files))
	datas := make([]*Data, len(files))
	errs := make([]*xlsx.Problem, len(files))
	var wg sync.WaitGroup
	jobs := make(chan int)
	for range min(runtime.GOMAXPROCS(0), max(len(files), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if m != nil && isDataFile(files[i]) {
					datas[i], errs[i] = ReadDataFile(files[i], m)
					continue
				}
				books[i], errs[i] = readFile(files[i], opts)
			}
		}()
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	var in Inputs
	for i := range files {
		if books[i] != nil {
			in.Books = append(in.Books, books[i])
		}
		if datas[i] != nil {
			in.Lower = append(in.Lower, datas[i])
		}
		if errs[i] != nil {
			in.Problems = append(in.Problems, errs[i])
		}
	}
	return in
}

// isDataFile tells a report.json from a workbook by its name (.json) or
// first bytes (a file that cannot be opened is left to the workbook
// reader to name).
func isDataFile(name string) bool {
	if strings.EqualFold(filepath.Ext(name), ".json") {
		return true
	}
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	return IsData(head[:n])
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
