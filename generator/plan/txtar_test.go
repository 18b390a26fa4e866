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

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the expected output of testdata cases")

// file is a case file, as a txtar archive holds it.
func file(name, data string) txtar.File { return txtar.File{Name: name, Data: []byte(data)} }

// siteFS builds a site from the base archive with the case's files laid
// over it. A case file whose content is "(delete)" removes the file; a
// name ending in "/" makes a directory.
func siteFS(t *testing.T, files []txtar.File) fstest.MapFS {
	t.Helper()
	base, err := os.ReadFile("testdata/base.txt")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range txtar.Parse(base).Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	for _, f := range files {
		switch {
		case !strings.HasPrefix(f.Name, "content"):
			continue
		case strings.TrimSpace(string(f.Data)) == "(delete)":
			delete(fsys, f.Name)
		case strings.HasSuffix(f.Name, "/"):
			fsys[strings.TrimSuffix(f.Name, "/")] = &fstest.MapFile{Mode: os.ModeDir | 0o755}
		default:
			data := string(f.Data)
			// \xNN escapes let cases hold bytes that are not UTF-8.
			if strings.Contains(data, `\xff`) {
				data = strings.ReplaceAll(data, `\xff`, "\xff")
			}
			if strings.HasPrefix(data, `\ufeff`) {
				data = "\ufeff" + strings.TrimPrefix(data, `\ufeff`)
			}
			fsys[f.Name] = &fstest.MapFile{Data: []byte(data)}
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
			a := txtar.Parse(src)
			got := map[string]string{"errors": "", "warnings": ""}
			m, err := Open(siteFS(t, a.Files))
			if err != nil {
				got["errors"] = err.Error() + "\n"
			} else {
				got["warnings"] = m.Warnings.Error()
				if got["warnings"] != "" {
					got["warnings"] += "\n"
				}
			}
			changed := false
			for i, f := range a.Files {
				if f.Name != "errors" && f.Name != "warnings" {
					continue
				}
				if string(f.Data) != got[f.Name] {
					if *update {
						a.Files[i].Data = []byte(got[f.Name])
						changed = true
						continue
					}
					t.Errorf("%s: %s differ\ngot:\n%s\nwant:\n%s", file, f.Name, got[f.Name], f.Data)
				}
			}
			if changed {
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if !hasSection(a, "errors") && got["errors"] != "" {
				t.Errorf("unexpected errors:\n%s", got["errors"])
			}
		})
	}
}

func hasSection(a *txtar.Archive, name string) bool {
	for _, f := range a.Files {
		if f.Name == name {
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
