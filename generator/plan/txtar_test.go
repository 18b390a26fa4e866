package plan

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite the expected output of testdata cases")

// archive is a txtar archive: a comment, then "-- name --" sections.
type archive struct {
	comment string
	files   []archiveFile
}

type archiveFile struct {
	name string
	data string
}

func parseArchive(src string) archive {
	var a archive
	lines := strings.SplitAfter(src, "\n")
	cur := -1
	var b strings.Builder
	flush := func() {
		if cur < 0 {
			a.comment = b.String()
		} else {
			a.files[cur].data = b.String()
		}
		b.Reset()
	}
	for _, l := range lines {
		t := strings.TrimRight(l, "\r\n")
		if strings.HasPrefix(t, "-- ") && strings.HasSuffix(t, " --") && len(t) > 6 {
			flush()
			a.files = append(a.files, archiveFile{name: strings.TrimSpace(t[3 : len(t)-3])})
			cur = len(a.files) - 1
			continue
		}
		b.WriteString(l)
	}
	flush()
	return a
}

func formatArchive(a archive) string {
	var b strings.Builder
	b.WriteString(a.comment)
	for _, f := range a.files {
		b.WriteString("-- " + f.name + " --\n")
		b.WriteString(f.data)
	}
	return b.String()
}

// siteFS builds a site from the base archive with the case's files laid
// over it. A case file whose content is "(delete)" removes the file; a
// name ending in "/" makes a directory.
func siteFS(t *testing.T, files []archiveFile) fstest.MapFS {
	t.Helper()
	base, err := os.ReadFile("testdata/base.txt")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range parseArchive(string(base)).files {
		fsys[f.name] = &fstest.MapFile{Data: []byte(f.data)}
	}
	for _, f := range files {
		switch {
		case !strings.HasPrefix(f.name, "content"):
			continue
		case strings.TrimSpace(f.data) == "(delete)":
			delete(fsys, f.name)
		case strings.HasSuffix(f.name, "/"):
			fsys[strings.TrimSuffix(f.name, "/")] = &fstest.MapFile{Mode: os.ModeDir | 0o755}
		default:
			data := f.data
			// \xNN escapes let cases hold bytes that are not UTF-8.
			if strings.Contains(data, `\xff`) {
				data = strings.ReplaceAll(data, `\xff`, "\xff")
			}
			if strings.HasPrefix(data, `\ufeff`) {
				data = "\ufeff" + strings.TrimPrefix(data, `\ufeff`)
			}
			fsys[f.name] = &fstest.MapFile{Data: []byte(data)}
		}
	}
	return fsys
}

// TestErrors runs testdata/errors/*.txt: each holds content files laid
// over testdata/base.txt and the exact errors (or warnings) checking them
// must print, one per line.
func TestErrors(t *testing.T) {
	cases, _ := filepath.Glob("testdata/errors/*.txt")
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, file := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			a := parseArchive(string(src))
			got := map[string]string{"errors": "", "warnings": ""}
			m, err := Open(siteFS(t, a.files))
			if err != nil {
				got["errors"] = err.Error() + "\n"
			} else {
				got["warnings"] = m.Warnings.Error()
				if got["warnings"] != "" {
					got["warnings"] += "\n"
				}
			}
			changed := false
			for i, f := range a.files {
				if f.name != "errors" && f.name != "warnings" {
					continue
				}
				if f.data != got[f.name] {
					if *update {
						a.files[i].data = got[f.name]
						changed = true
						continue
					}
					t.Errorf("%s: %s differ\ngot:\n%s\nwant:\n%s", file, f.name, got[f.name], f.data)
				}
			}
			if changed {
				os.WriteFile(file, []byte(formatArchive(a)), 0o644)
			}
			if !hasSection(a, "errors") && got["errors"] != "" {
				t.Errorf("unexpected errors:\n%s", got["errors"])
			}
		})
	}
}

func hasSection(a archive, name string) bool {
	for _, f := range a.files {
		if f.name == name {
			return true
		}
	}
	return false
}

// TestBaseIsValid keeps the base of the error cases free of errors.
func TestBaseIsValid(t *testing.T) {
	m, err := Open(siteFS(t, nil))
	if err != nil {
		t.Fatalf("base site: %v", err)
	}
	if len(m.Warnings) > 0 {
		t.Fatalf("base site warnings: %v", m.Warnings)
	}
	var codes []string
	for _, u := range m.Units {
		codes = append(codes, u.Code)
	}
	sort.Strings(codes)
	if !bytes.Equal([]byte(strings.Join(codes, " ")), []byte("01 01-A 01-A-1 01-A-2")) {
		t.Errorf("base units = %v", codes)
	}
}
