package national

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"checkgen/generator/fixture"
	"checkgen/generator/plan"
)

func TestScale(t *testing.T) {
	if got := Scale(Vietnam2021.Polling); got != Vietnam2021 {
		t.Errorf("Scale(%d) = %v, want %v", Vietnam2021.Polling, got, Vietnam2021)
	}
	for _, tt := range []struct {
		n    int
		want Sizes
	}{
		{1, Sizes{1, 1, 1, 1}},
		{0, Sizes{1, 1, 1, 1}},
		{2000, Sizes{1, 17, 250, 2000}},
		{8477, Sizes{6, 71, 1060, 8477}},
		{10 * 84767, Sizes{63, 7050, 106000, 847670}},
	} {
		if got := Scale(tt.n); got != tt.want {
			t.Errorf("Scale(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
	for _, n := range []int{1, 7, 100, 999, 2000, 12345, 84766, 84768, 200000} {
		s := Scale(n)
		if s.Polling != n || s.Provinces < 1 || s.Provinces > 63 || s.Provinces > s.Districts || s.Districts > s.Communes || s.Communes > s.Polling {
			t.Errorf("Scale(%d) = %v: want 1 <= provinces <= 63, provinces <= districts <= communes <= polling = %d", n, s, n)
		}
	}
}

func TestWriteSmall(t *testing.T) {
	testWrite(t, Scale(2000))
}

func TestWriteNational(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and loads 96,135 units")
	}
	m := testWrite(t, Vietnam2021)
	// The wards without a council of Đà Nẵng and Hồ Chí Minh City.
	for _, d := range []string{"48D01", "48D02", "79D01", "79D02"} {
		u := m.Unit(d)
		if u == nil || len(u.Children) == 0 {
			t.Fatalf("district %s: missing or without communes", d)
		}
		for _, c := range u.Children {
			if !c.HasTag("no-council") || !strings.HasPrefix(c.Name, "Phường") {
				t.Errorf("%s %q: tags %v, want a ward tagged no-council", c.Code, c.Name, c.Tags)
			}
		}
	}
	if u := m.Unit("79D03X01"); u == nil || u.HasTag("no-council") {
		t.Errorf("79D03X01 = %s: want a commune with a council", show(u))
	}
	if u := m.Unit("79"); u == nil || u.Name != "Thành phố Hồ Chí Minh" {
		t.Errorf("province 79 = %s, want Thành phố Hồ Chí Minh", show(u))
	}
	if u := m.Unit("77"); u == nil || u.Name != "Tỉnh Bà Rịa - Vũng Tàu" {
		t.Errorf("province 77 = %s, want Tỉnh Bà Rịa - Vũng Tàu", show(u))
	}
}

// testWrite writes a national site of sizes twice, loads it and checks it
// against the example site; it returns the loaded model.
func testWrite(t *testing.T, sizes Sizes) *plan.Model {
	t.Helper()
	root := fixture.Root()
	ex, err := plan.Open(os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	var exCount [4]int
	for _, u := range ex.Units {
		exCount[u.LevelRef.Index]++
	}
	want := sizes.slice()
	for i := range want {
		want[i] = max(want[i], exCount[i])
	}

	dir := t.TempDir()
	got, err := Write(dir, root, sizes)
	if err != nil {
		t.Fatalf("Write(%v): %v", sizes, err)
	}
	if got != sizesOf(want) {
		t.Errorf("Write(%v) = %v, want %v", sizes, got, sizesOf(want))
	}
	if sizes.Provinces >= exCount[0] && sizes.Districts >= exCount[1] && sizes.Communes >= exCount[2] && sizes.Polling >= exCount[3] && got != sizes {
		t.Errorf("Write(%v) = %v, want the sizes asked for", sizes, got)
	}
	m, err := plan.Open(os.DirFS(dir))
	if err != nil {
		t.Fatalf("loading the written site: %v", err)
	}
	for _, w := range m.Warnings {
		t.Errorf("warning: %v", w)
	}

	var count [4]int
	for _, u := range m.Units {
		count[u.LevelRef.Index]++
	}
	if count != want {
		t.Errorf("units per level = %v, want %v", count, want)
	}
	for i, l := range m.Levels {
		if len(l.Units) != want[i] {
			t.Errorf("level %s has %d units, want %d", l.ID, len(l.Units), want[i])
		}
	}

	// Every unit of the example, as it was.
	for _, x := range ex.Units {
		u := m.Unit(x.Code)
		if u == nil {
			t.Errorf("example unit %s (%s) is missing", x.Code, x.Name)
			continue
		}
		if u.Name != x.Name || u.Parent != x.Parent || u.Level != x.Level || !slices.Equal(u.Tags, x.Tags) || u.Day != x.Day || (u.ElectionDay == nil) != (x.ElectionDay == nil) {
			t.Errorf("unit %s = %q %s %s %v %s, want the example's %q %s %s %v %s",
				x.Code, u.Name, u.Parent, u.Level, u.Tags, u.Day, x.Name, x.Parent, x.Level, x.Tags, x.Day)
		}
	}
	if u := m.Unit("07198-KV03"); u == nil || u.Day.String() != "2021-05-22" {
		t.Errorf("07198-KV03 = %s, want the example's island area voting 2021-05-22", show(u))
	}

	// Synthetic island areas voting the day before, in a synthetic commune tagged island.
	early := m.Site.ElectionDay.AddDays(-1)
	islands := 0
	for _, u := range m.Levels[3].Units[exCount[3]:] {
		switch {
		case u.HasTag("island"):
			islands++
			if u.Day != early || u.ElectionDay == nil {
				t.Errorf("island area %s votes %s (own day %v), want %s", u.Code, u.Day, u.ElectionDay, early)
			}
			if !u.ParentUnit.HasTag("island") {
				t.Errorf("island area %s: commune %s is not tagged island", u.Code, u.Parent)
			}
		case u.Day != m.Site.ElectionDay:
			t.Errorf("area %s votes %s, want %s", u.Code, u.Day, m.Site.ElectionDay)
		}
	}
	synth := want[3] - exCount[3]
	if wantIslands := max((synth+islandEvery/2)/islandEvery, 1); islands != wantIslands {
		t.Errorf("%d synthetic island areas among %d, want %d", islands, synth, wantIslands)
	}

	// Every unit above the polling areas has children.
	for _, l := range m.Levels[:3] {
		for _, u := range l.Units {
			if len(u.Children) == 0 {
				t.Errorf("%s %s %q has no children", l.ID, u.Code, u.Name)
			}
		}
	}

	// The files: site.toml with the organisation replaced, the rest as it was.
	if m.Site.Organisation != Organisation {
		t.Errorf("organisation = %q, want %q", m.Site.Organisation, Organisation)
	}
	exSite := readFile(t, root, plan.SiteFile)
	site := readFile(t, dir, plan.SiteFile)
	exLines, lines := strings.Split(exSite, "\n"), strings.Split(site, "\n")
	if len(exLines) != len(lines) {
		t.Errorf("site.toml has %d lines, want %d", len(lines), len(exLines))
	} else {
		for i := range lines {
			if lines[i] != exLines[i] && !strings.HasPrefix(lines[i], "organisation = ") {
				t.Errorf("site.toml:%d = %q, want %q", i+1, lines[i], exLines[i])
			}
		}
	}
	files := []string{plan.BodiesFile}
	plans, _ := fs.Glob(os.DirFS(root), plan.PlansDir+"/*.toml")
	files = append(files, plans...)
	for _, f := range files {
		if readFile(t, dir, f) != readFile(t, root, f) {
			t.Errorf("%s differs from the example's", f)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(plan.UnitsFile))); err == nil {
		t.Errorf("%s was written", plan.UnitsFile)
	}
	if _, err := os.Stat(filepath.Join(dir, "layouts")); err == nil {
		t.Errorf("layouts were copied")
	}
	csv := readFile(t, dir, plan.UnitsCSV)
	if m.Sources[plan.UnitsCSV] != csv {
		t.Errorf("units.csv is not NFC: the loader changed it")
	}

	// Twice, the same bytes; over an earlier run, no stale files.
	dir2 := t.TempDir()
	stale := []string{plan.UnitsFile, plan.PlansDir + "/old-plan.toml"}
	for _, f := range stale {
		p := filepath.Join(dir2, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("stale"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Write(dir2, root, sizes); err != nil {
		t.Fatal(err)
	}
	if csv2 := readFile(t, dir2, plan.UnitsCSV); csv2 != csv {
		t.Errorf("two Writes of %v give different units.csv (%d and %d bytes)", sizes, len(csv), len(csv2))
	}
	for _, f := range stale {
		if _, err := os.Stat(filepath.Join(dir2, filepath.FromSlash(f))); err == nil {
			t.Errorf("stale %s was kept", f)
		}
	}
	return m
}

// TestWriteFallback asks for more units at a level whose parents the
// example has all filled: they go under the example's units, numbered
// after its own children.
func TestWriteFallback(t *testing.T) {
	dir := t.TempDir()
	got, err := Write(dir, fixture.Root(), Sizes{0, 25, 0, 400})
	if err != nil {
		t.Fatal(err)
	}
	m, err := plan.Open(os.DirFS(dir))
	if err != nil {
		t.Fatalf("loading the written site: %v", err)
	}
	var count [4]int
	for _, u := range m.Units {
		count[u.LevelRef.Index]++
	}
	if want := got.slice(); count != want || got.Districts != 25 || got.Polling != 400 {
		t.Errorf("Write(...) = %v, loaded %v, want 25 districts and 400 polling areas", got, count)
	}
	// The ward 00241 of Hai Bà Trưng has KV01 to KV06 in the example.
	if u := m.Unit("00241-KV07"); u == nil || u.Name != "Khu vực bỏ phiếu số 7" || !u.HasTag("no-council") {
		t.Errorf("00241-KV07 = %s, want Khu vực bỏ phiếu số 7 tagged no-council like its ward", show(u))
	}
}

// show describes a unit in a test message.
func show(u *plan.Unit) string {
	if u == nil {
		return "missing"
	}
	return fmt.Sprintf("%q (%s, tags %v, votes %s)", u.Name, u.Level, u.Tags, u.Day)
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteRefusesItsSource(t *testing.T) {
	// A copy of the example, so that a failure cannot touch the repository.
	site := t.TempDir()
	if err := os.CopyFS(filepath.Join(site, plan.ContentDir), os.DirFS(filepath.Join(fixture.Root(), plan.ContentDir))); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, site, plan.UnitsFile)
	if _, err := Write(site, site, Scale(500)); err == nil {
		t.Errorf("Write(site, site) succeeded, want an error")
	}
	if _, err := Write(filepath.Join(site, "."), site+string(filepath.Separator), Scale(500)); err == nil {
		t.Errorf("Write(site/., site/) succeeded, want an error")
	}
	if readFile(t, site, plan.UnitsFile) != before {
		t.Errorf("the source's units.toml changed")
	}
}

func TestSetOrganisation(t *testing.T) {
	const org = `organisation = "Hội đồng bầu cử quốc gia"`
	for _, tt := range []struct {
		in, want string
		err      bool
	}{
		{"title = \"T\"\norganisation = \"Ủy ban\"\n\n[[level]]\n", "title = \"T\"\n" + org + "\n\n[[level]]\n", false},
		{"organisation = 'Ủy ban' # a comment\r\n[[level]]\r\n", org + " # a comment\r\n[[level]]\r\n", false},
		{"\uFEFForganisation=\"A \\\"B\\\"\"\n[form]\norganisation = \"x\"\n", "\uFEFForganisation=\"Hội đồng bầu cử quốc gia\"\n[form]\norganisation = \"x\"\n", false},
		{"title = \"T\"\n\n[[level]]\nid = \"a\"\n", "title = \"T\"\n\n" + org + "\n[[level]]\nid = \"a\"\n", false},
		{"organisation = \"\"\"\nA\"\"\"\n[[level]]\n", "", true},
		{"title = \"T\"\n", "", true},
	} {
		got, err := setOrganisation([]byte(tt.in), Organisation)
		if (err != nil) != tt.err || !bytes.Equal(got, []byte(tt.want)) {
			t.Errorf("setOrganisation(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestSpread(t *testing.T) {
	for _, tt := range []struct{ n, k int }{{0, 3}, {2, 5}, {5, 5}, {683, 60}, {10571, 702}, {84583, 10571}} {
		got := spread(tt.n, tt.k, 1)
		sum := 0
		for _, c := range got {
			sum += c
			if tt.n >= tt.k && c < 1 {
				t.Errorf("spread(%d, %d) gives a parent %d children", tt.n, tt.k, c)
			}
		}
		if len(got) != tt.k || sum != tt.n {
			t.Errorf("spread(%d, %d): %d parents, %d children", tt.n, tt.k, len(got), sum)
		}
	}
}
