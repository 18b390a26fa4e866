package generator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"checkgen/generator/fixture"
	"checkgen/generator/output"
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

// state is every file under a destination with its bytes' hash and time,
// and the names beside it: what a build that must leave the destination
// as it was may not change.
type state struct {
	files  map[string]string // path -> bytes and time
	beside []string
}

func snapshot(t *testing.T, dir string) state {
	t.Helper()
	s := state{files: map[string]string{}}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		st, _ := os.Lstat(p)
		rel, _ := filepath.Rel(dir, p)
		s.files[filepath.ToSlash(rel)] = fmt.Sprintf("%x %d", sha256.Sum256(b), st.ModTime().UnixNano())
		return nil
	})
	entries, _ := os.ReadDir(filepath.Dir(dir))
	for _, e := range entries {
		s.beside = append(s.beside, e.Name())
	}
	return s
}

func sameState(t *testing.T, what string, got, want state) {
	t.Helper()
	if !slices.Equal(got.beside, want.beside) {
		t.Errorf("%s: beside the destination %v, want %v", what, got.beside, want.beside)
	}
	n := 0
	for rel, g := range got.files {
		if want.files[rel] != g {
			n++
			if n <= 5 {
				t.Errorf("%s: %s changed or appeared", what, rel)
			}
		}
	}
	for rel := range want.files {
		if _, ok := got.files[rel]; !ok {
			n++
			if n <= 5 {
				t.Errorf("%s: %s is gone", what, rel)
			}
		}
	}
}

// TestBuildCancel (item 10): a context cancelled during the HTML stage
// stops the build: no later stage starts, Build returns the context's
// error, and the destination (new or existing), its manifest and the
// folder beside it are as they were: no staging folder is left behind.
func TestBuildCancel(t *testing.T) {
	site := copyExample(t)
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	cancelled := func() (error, []string) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var mu sync.Mutex
		var after []string // stages reported after the cancel
		_, err := Build(Options{Site: site, Dest: dest, Context: ctx, Workers: 2, Progress: func(stage string, done, total int) {
			mu.Lock()
			defer mu.Unlock()
			if ctx.Err() != nil && stage != "html" {
				after = append(after, stage)
			}
			if stage == "html" && done == 2 {
				cancel()
			}
		}})
		return err, after
	}

	// A first build: no destination after it.
	err, after := cancelled()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled first build: %v, want context.Canceled", err)
	}
	if len(after) > 0 {
		t.Errorf("stages ran after the cancel: %v", after)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("a cancelled first build left %v", entries)
	}

	// A rebuild after an edit that changes every page.
	if _, err := Build(Options{Site: site, Dest: dest}); err != nil {
		t.Fatal(err)
	}
	toml := filepath.Join(site, "content/site.toml")
	b, _ := os.ReadFile(toml)
	b2 := bytes.Replace(b, []byte("\ntitle        = \""), []byte("\ntitle        = \"New "), 1)
	if bytes.Equal(b, b2) {
		t.Fatal("site.toml has no title")
	}
	os.WriteFile(toml, b2, 0o644)
	before := snapshot(t, dest)
	err, after = cancelled()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled rebuild: %v, want context.Canceled", err)
	}
	if len(after) > 0 {
		t.Errorf("stages ran after the cancel: %v", after)
	}
	sameState(t, "after a cancelled rebuild", snapshot(t, dest), before)
}

// TestBuildRefusesDest (D1, D16): destinations that hold or are part of
// the site, the root and the home folder are refused with what to do,
// and the site is left as it was.
func TestBuildRefusesDest(t *testing.T) {
	site := copyExample(t)
	os.MkdirAll(filepath.Join(site, "layouts"), 0o755)
	os.WriteFile(filepath.Join(site, "layouts/extra.css"), []byte("x"), 0o644)
	home := t.TempDir()
	t.Setenv("HOME", home)
	other := t.TempDir()
	os.MkdirAll(filepath.Join(other, "content"), 0o755)
	before := tree(t, site)
	for _, tt := range []struct{ dest, want string }{
		{site, "is the site folder itself"},
		{filepath.Join(site, "content"), "inside the site's content/"},
		{filepath.Join(site, "content/plans"), "inside the site's content/"},
		{filepath.Join(site, "layouts"), "inside the site's layouts/"},
		{filepath.Join(site, "layouts/out"), "inside the site's layouts/"},
		{filepath.Dir(site), "holds the site"},
		{"/", "is the root folder"},
		{home, "is your home folder"},
		{other, "holds a content/ folder"},
	} {
		_, err := Build(Options{Site: site, Dest: tt.dest, Force: true})
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "choose a folder of its own") {
			t.Errorf("Build(-d %s) = %v, want an error saying it %s and what to do", tt.dest, err, tt.want)
		}
	}
	diffTrees(t, tree(t, site), before)
}

// TestBuildForeignDest (D1): a first build into a folder of someone
// else's files is refused and removes nothing; with Force it keeps them.
func TestBuildForeignDest(t *testing.T) {
	site := copyExample(t)
	dest := filepath.Join(t.TempDir(), "www")
	os.MkdirAll(dest, 0o755)
	os.WriteFile(filepath.Join(dest, "robots.txt"), []byte("User-agent: *"), 0o644)
	_, err := Build(Options{Site: site, Dest: dest})
	var fe *output.ForeignError
	if !errors.As(err, &fe) {
		t.Fatalf("Build into a folder of user files = %v, want an output.ForeignError", err)
	}
	if got := tree(t, dest); len(got) != 1 {
		t.Errorf("after the refusal: %d files, want robots.txt only", len(got))
	}
	if _, err := Build(Options{Site: site, Dest: dest, Force: true, Formats: []string{"html"}}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "robots.txt")); string(b) != "User-agent: *" {
		t.Errorf("robots.txt = %q after a forced build", b)
	}
	if _, err := os.Stat(filepath.Join(dest, "index.html")); err != nil {
		t.Errorf("the forced build wrote no index.html: %v", err)
	}
}

// TestBuildSomeFormatsKeepsOthers (item 3): --formats html after a whole
// build keeps the PDFs and workbooks as they were, counts them, links to
// them, and writes nothing else; once a unit's PDF is missing, pages no
// longer link to PDFs.
func TestBuildSomeFormatsKeepsOthers(t *testing.T) {
	site := copyExample(t)
	dest := filepath.Join(t.TempDir(), "public")
	whole, err := Build(Options{Site: site, Dest: dest})
	if err != nil {
		t.Fatal(err)
	}
	var others []string
	for rel := range tree(t, dest) {
		if strings.HasPrefix(rel, "pdf/") || strings.HasPrefix(rel, "xlsx/") {
			others = append(others, rel)
		}
	}
	if len(others) == 0 {
		t.Fatal("the whole build wrote no pdf/ or xlsx/ files")
	}
	before := snapshot(t, dest)
	res, err := Build(Options{Site: site, Dest: dest, Formats: []string{"html"}})
	if err != nil {
		t.Fatal(err)
	}
	sameState(t, "after --formats html", snapshot(t, dest), before)
	if res.Kept != len(others) || !slices.Equal(res.KeptFormats, []string{"pdf", "xlsx"}) || res.Written != 0 {
		t.Errorf("--formats html: kept %d files of %v, wrote %d; want %d of [pdf xlsx], none written", res.Kept, res.KeptFormats, res.Written, len(others))
	}
	if res.Files+res.Kept != whole.Files {
		t.Errorf("--formats html: %d files + %d kept, the whole build had %d", res.Files, res.Kept, whole.Files)
	}

	u := whole.Model.Units[len(whole.Model.Units)-1]
	page := filepath.Join(dest, "units", u.Code, "index.html")
	link := "pdf/units/" + u.Code + ".pdf"
	if b, _ := os.ReadFile(page); !bytes.Contains(b, []byte(link)) {
		t.Fatalf("%s does not link %s", page, link)
	}
	os.Remove(filepath.Join(dest, link))
	if _, err := Build(Options{Site: site, Dest: dest, Formats: []string{"html"}}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(page); bytes.Contains(b, []byte(".pdf")) || !bytes.Contains(b, []byte(".xlsx")) {
		t.Errorf("with a PDF missing, the unit page still links PDFs (%v) or no longer workbooks (%v)", bytes.Contains(b, []byte(".pdf")), !bytes.Contains(b, []byte(".xlsx")))
	}
	// A whole build again equals one from scratch.
	if _, err := Build(Options{Site: site, Dest: dest}); err != nil {
		t.Fatal(err)
	}
	scratch := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Site: site, Dest: scratch}); err != nil {
		t.Fatal(err)
	}
	diffTrees(t, tree(t, dest), tree(t, scratch))
}
