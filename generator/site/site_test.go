package site

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"checkgen/generator/output"
	"checkgen/generator/plan"
	"checkgen/generator/starter"
	"checkgen/layouts"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// buildDate is the fixed date the tests render with.
var buildDate = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)

// starterFS returns a copy of the starter site that tests can change.
func starterFS(t testing.TB) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(starter.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(starter.FS(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func open(t testing.TB, fsys fs.FS) *plan.Model {
	t.Helper()
	m, err := plan.Open(fsys)
	if err != nil {
		t.Fatalf("plan.Open: %v", err)
	}
	return m
}

// render renders m into dest (a new directory when dest is "") and
// commits; it returns dest.
func render(t testing.TB, m *plan.Model, dest string, opts Options) string {
	t.Helper()
	if dest == "" {
		dest = filepath.Join(t.TempDir(), "public")
	}
	if opts.Date.IsZero() {
		opts.Date = buildDate
	}
	out, err := output.Stage(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Abort()
	if err := Render(m, out, opts); err != nil {
		t.Fatalf("Render: %v", err)
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	return dest
}

// tree reads every file under dir, by slash path.
func tree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestGolden renders the starter site and compares every page, calendar
// and the search index with testdata/golden (go test -update rewrites it).
// The style sheet, scripts and icon are copies of layouts/, checked
// separately.
func TestGolden(t *testing.T) {
	m := open(t, starter.FS())
	got := tree(t, render(t, m, "", Options{Formats: map[string]bool{"pdf": true, "xlsx": true}}))
	for _, name := range assetFiles {
		delete(got, "assets/"+name)
	}
	golden := filepath.Join("testdata", "golden")
	if *update {
		os.RemoveAll(golden)
		for rel, b := range got {
			p := filepath.Join(golden, filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want := tree(t, golden)
	for rel, b := range want {
		g, ok := got[rel]
		if !ok {
			t.Errorf("%s: not written", rel)
			continue
		}
		if !bytes.Equal(g, b) {
			t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", rel, diff(string(b), string(g)))
		}
	}
	for rel := range got {
		if _, ok := want[rel]; !ok {
			t.Errorf("%s: written but not in testdata/golden (go test -update adds it)", rel)
		}
	}
}

// diff shows the first lines where want and got differ.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 8; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			shown++
			b.WriteString("line " + itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl + "\n")
		}
	}
	return b.String()
}

func TestAssetsAreTheLayouts(t *testing.T) {
	got := tree(t, render(t, open(t, starter.FS()), "", Options{}))
	for _, name := range assetFiles {
		want, err := fs.ReadFile(layouts.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got["assets/"+name], want) {
			t.Errorf("assets/%s is not layouts/%s", name, name)
		}
	}
}

// TestReproducible renders twice: same input, same bytes, file for file.
func TestReproducible(t *testing.T) {
	for _, site := range []struct {
		name string
		fsys fs.FS
	}{{"starter", starter.FS()}, {"example", exampleFS(t)}} {
		t.Run(site.name, func(t *testing.T) {
			a := tree(t, render(t, open(t, site.fsys), "", Options{}))
			b := tree(t, render(t, open(t, site.fsys), "", Options{}))
			if len(a) != len(b) {
				t.Fatalf("first build wrote %d files, second %d", len(a), len(b))
			}
			for rel, x := range a {
				if !bytes.Equal(x, b[rel]) {
					t.Errorf("%s differs between two builds", rel)
				}
			}
		})
	}
}

// TestFailedBuildLeavesDest checks that a build whose layouts fail leaves
// the previous site exactly as it was, and that a good rebuild drops the
// files of a removed unit.
func TestFailedBuildLeavesDest(t *testing.T) {
	m := open(t, starter.FS())
	dest := render(t, m, "", Options{})
	before := tree(t, dest)

	bad := fstest.MapFS{"unit.html": {Data: []byte("{{template \"base\" .}}\n{{define \"main\"}}{{.Data.Nope}}{{end}}\n")}}
	out, err := output.Stage(dest)
	if err != nil {
		t.Fatal(err)
	}
	err = Render(m, out, Options{Layouts: bad, Date: buildDate})
	out.Abort()
	if err == nil {
		t.Fatal("Render with a broken unit.html succeeded")
	}
	after := tree(t, dest)
	if len(after) != len(before) {
		t.Fatalf("after a failed build DEST has %d files, before %d", len(after), len(before))
	}
	for rel, b := range before {
		if !bytes.Equal(after[rel], b) {
			t.Errorf("%s changed by a failed build", rel)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	if len(entries) != 1 {
		t.Errorf("staging directories left beside DEST: %v", entries)
	}

	fsys := starterFS(t)
	units := string(fsys["content/units.toml"].Data)
	cut := strings.Index(units, "[[unit]]\ncode   = \"RV-N-02\"")
	if cut < 0 {
		t.Fatal("starter units.toml changed: cannot find RV-N-02")
	}
	fsys["content/units.toml"] = &fstest.MapFile{Data: []byte(units[:cut])}
	render(t, open(t, fsys), dest, Options{})
	if _, err := os.Stat(filepath.Join(dest, "units", "RV-N-02")); err == nil {
		t.Error("units/RV-N-02 lingers after the unit was removed")
	}
	if _, err := os.Stat(filepath.Join(dest, "units", "RV-N-01", "index.html")); err != nil {
		t.Errorf("units/RV-N-01: %v", err)
	}
}

// TestWriterStaysInDest gives the writer ids and codes the loader would
// reject: nothing may be written outside the destination.
func TestWriterStaysInDest(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(m *plan.Model)
	}{
		{"unit code ..", func(m *plan.Model) { m.Units[1].Code = ".." }},
		{"unit code ../x", func(m *plan.Model) { m.Units[1].Code = "../../escaped" }},
		{"unit code absolute", func(m *plan.Model) { m.Units[1].Code = "/tmp/escaped" }},
		{"unit code backslash", func(m *plan.Model) { m.Units[1].Code = `..\escaped` }},
		{"plan id", func(m *plan.Model) { m.Plans[0].ID = "../escaped" }},
		{"level id", func(m *plan.Model) { m.Levels[0].ID = ".." }},
		{"body id", func(m *plan.Model) { m.Bodies[0].ID = "../../escaped" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := open(t, starter.FS())
			tc.break_(m)
			root := t.TempDir()
			dest := filepath.Join(root, "site", "public")
			out, err := output.Stage(dest)
			if err != nil {
				t.Fatal(err)
			}
			err = Render(m, out, Options{Date: buildDate})
			out.Abort()
			if err == nil {
				t.Fatal("Render succeeded")
			}
			if !strings.Contains(err.Error(), "cannot be a folder name") && !strings.Contains(err.Error(), "would leave the destination") {
				t.Errorf("error %q does not say the path is refused", err)
			}
			var stray []string
			filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				if err == nil && p != root {
					stray = append(stray, p)
				}
				return nil
			})
			if len(stray) > 1 { // only root/site may remain
				t.Errorf("files left after a refused build: %v", stray)
			}
		})
	}
}
