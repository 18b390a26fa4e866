package generator

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"checkgen/generator/fixture"
)

// tree reads every file under dir: path -> bytes.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// copyTree copies the files of from into to, over what is there: how the
// README combines the parts of a split build.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	for rel, b := range tree(t, from) {
		p := filepath.Join(to, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func diffTrees(t *testing.T, got, want map[string][]byte) {
	t.Helper()
	var missing, extra, differ []string
	for rel, b := range want {
		g, ok := got[rel]
		switch {
		case !ok:
			missing = append(missing, rel)
		case !bytes.Equal(g, b):
			differ = append(differ, rel)
		}
	}
	for rel := range got {
		if _, ok := want[rel]; !ok {
			extra = append(extra, rel)
		}
	}
	for what, list := range map[string][]string{"missing": missing, "extra": extra, "different": differ} {
		sort.Strings(list)
		if len(list) > 0 {
			t.Errorf("%d files %s, e.g. %v", len(list), what, list[:min(5, len(list))])
		}
	}
}

// TestOnlyPartsCombine builds the example site whole, then split by
// province with --only into three destinations (as on three machines),
// copies the parts into one folder and finds it identical to the whole.
func TestOnlyPartsCombine(t *testing.T) {
	site := fixture.Root()
	tmp := t.TempDir()
	whole := filepath.Join(tmp, "whole")
	res, err := Build(Options{Site: site, Dest: whole})
	if err != nil {
		t.Fatal(err)
	}
	combined := filepath.Join(tmp, "combined")
	units := 0
	for _, root := range res.Model.Roots {
		part := filepath.Join(tmp, "part-"+root.Code)
		r, err := Build(Options{Site: site, Dest: part, Only: []string{root.Code}, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		units += r.Units
		if _, err := os.Stat(filepath.Join(part, "units", res.Model.Roots[0].Code)); (err == nil) != (root == res.Model.Roots[0]) {
			t.Errorf("part %s: has the first province's page = %v", root.Code, err == nil)
		}
		copyTree(t, part, combined)
	}
	if units != len(res.Model.Units) || res.Units != units {
		t.Errorf("the parts built %d units, the whole %d, the site has %d", units, res.Units, len(res.Model.Units))
	}
	diffTrees(t, tree(t, combined), tree(t, whole))
}

// TestRebuildUpdatesInPlace: a second build with nothing changed writes no
// file; after an edit to one unit's name, it writes only what shows that
// name, and the result equals a build from scratch.
func TestRebuildUpdatesInPlace(t *testing.T) {
	site := copyExample(t)
	dest := filepath.Join(t.TempDir(), "public")
	first, err := Build(Options{Site: site, Dest: dest})
	if err != nil {
		t.Fatal(err)
	}
	if first.Updated || first.Written != first.Files {
		t.Errorf("first build: updated %v, wrote %d of %d files", first.Updated, first.Written, first.Files)
	}
	again, err := Build(Options{Site: site, Dest: dest})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Updated || again.Written != 0 || again.Files != first.Files {
		t.Errorf("no-change build: updated %v, wrote %d of %d files", again.Updated, again.Written, again.Files)
	}

	// Rename one polling area (a row of units.csv).
	csv := filepath.Join(site, "content/units.csv")
	b, _ := os.ReadFile(csv)
	b2 := bytes.Replace(b, []byte("01834-KV02,01834,polling,Khu vực bỏ phiếu số 2"), []byte("01834-KV02,01834,polling,Khu vực bỏ phiếu số 2 (Nhà văn hóa)"), 1)
	if bytes.Equal(b, b2) {
		t.Fatal("units.csv changed: cannot find 01834-KV02")
	}
	os.WriteFile(csv, b2, 0o644)
	edit, err := Build(Options{Site: site, Dest: dest})
	if err != nil {
		t.Fatal(err)
	}
	// Its page, calendar, PDF, workbook and data; its commune's page,
	// workbook (a sheet per child) and data; data/site.json; the search
	// index. Nothing else.
	if !edit.Updated || edit.Written < 8 || edit.Written > 14 {
		t.Errorf("after renaming one unit: updated %v, wrote %d of %d files", edit.Updated, edit.Written, edit.Files)
	}
	t.Logf("renamed one unit: wrote %d of %d files", edit.Written, edit.Files)
	scratch := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Site: site, Dest: scratch}); err != nil {
		t.Fatal(err)
	}
	diffTrees(t, tree(t, dest), tree(t, scratch))
}

// copyExample copies the example site's content/ into a new directory.
func copyExample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, filepath.Join(fixture.Root(), "content"), filepath.Join(dir, "content"))
	return dir
}
