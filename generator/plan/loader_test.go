package plan_test

import (
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"checkgen/generator/fixture"
	"checkgen/generator/plan"

	"checkgen/internal/cputime"
)

// BenchmarkLoaderPlanEdit measures what serve does after a plan edit:
// a Loader loads the site again (parsing the one plan) and resolves it.
// On the example, or on the site in CHECKGEN_BENCH_SITE:
//
//	CHECKGEN_BENCH_SITE=/tmp/national go test -run '^$' -bench LoaderPlanEdit -benchtime 5x ./generator/plan
func BenchmarkLoaderPlanEdit(b *testing.B) {
	var fsys fstest.MapFS
	if dir := os.Getenv("CHECKGEN_BENCH_SITE"); dir != "" {
		fsys = mapFS(b, dir)
	} else {
		fsys = fixture.Example(b)
	}
	var l plan.Loader
	if _, err := l.Load(fsys, nil); err != nil {
		b.Fatal(err)
	}
	name := ""
	for p := range fsys {
		if strings.HasPrefix(p, plan.PlansDir+"/") && (name == "" || p < name) {
			name = p
		}
	}
	orig := fsys[name].Data
	for i := 0; b.Loop(); i++ {
		fsys[name] = &fstest.MapFile{Data: fmt.Appendf(append([]byte(nil), orig...), "\n# edit %d\n", i)}
		set, err := l.Load(fsys, plan.Changes{name})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := l.Resolve(set); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoaderUnitRename measures what serve does after a unit is
// renamed in units.csv: a Loader loads the site again (reading units.csv)
// and resolves it. On the example, or on the site in CHECKGEN_BENCH_SITE:
//
//	CHECKGEN_BENCH_SITE=/tmp/national go test -run '^$' -bench LoaderUnitRename -benchtime 10x ./generator/plan
func BenchmarkLoaderUnitRename(b *testing.B) {
	var fsys fstest.MapFS
	if dir := os.Getenv("CHECKGEN_BENCH_SITE"); dir != "" {
		fsys = mapFS(b, dir)
	} else {
		fsys = fixture.Example(b)
	}
	var l plan.Loader
	set, err := l.Load(fsys, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := l.Resolve(set); err != nil {
		b.Fatal(err)
	}
	orig := string(fsys[plan.UnitsCSV].Data)
	// The last row's name, the fourth field.
	start := strings.LastIndex(strings.TrimRight(orig, "\n"), "\n") + 1
	row := strings.Split(orig[start:], ",")
	if len(row) < 6 {
		b.Fatalf("%s: last row %q", plan.UnitsCSV, orig[start:])
	}
	cpu0 := cputime.Used()
	for i := 0; b.Loop(); i++ {
		edited := slices.Clone(row)
		edited[3] = fmt.Sprintf("%s %d", row[3], i)
		fsys[plan.UnitsCSV] = &fstest.MapFile{Data: []byte(orig[:start] + strings.Join(edited, ","))}
		set, err := l.Load(fsys, plan.Changes{plan.UnitsCSV})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := l.Resolve(set); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cputime.Used()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// mapFS reads the content of the site in dir into memory.
func mapFS(tb testing.TB, dir string) fstest.MapFS {
	tb.Helper()
	fsys := fstest.MapFS{}
	root := os.DirFS(dir)
	err := fsWalk(root, func(p string, data []byte) { fsys[p] = &fstest.MapFile{Data: data} })
	if err != nil {
		tb.Fatal(err)
	}
	return fsys
}

func fsWalk(fsys fs.FS, f func(p string, data []byte)) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err == nil {
			f(p, b)
		}
		return err
	})
}

// TestLoader: a Loader given the files that changed parses only those
// (units.csv not after a plan edit, no plan after a units.csv edit), and
// every model it resolves, reusing the units of the last, equals the
// model Open resolves from the same files.
func TestLoader(t *testing.T) {
	fsys := fixture.Example(t)
	csv := string(fsys[plan.UnitsCSV].Data)
	if csv == "" {
		t.Fatal("the example has no units.csv")
	}
	var parsed []string
	l := plan.Loader{Parsed: func(name string) { parsed = append(parsed, name) }}
	step := func(what string, changed plan.Changes, wantParsed ...string) *plan.Model {
		t.Helper()
		parsed = nil
		set, err := l.Load(fsys, changed)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		m, err := l.Resolve(set)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		slices.Sort(parsed)
		if wantParsed != nil && !slices.Equal(parsed, wantParsed) {
			t.Errorf("%s: parsed %q, want %q", what, parsed, wantParsed)
		}
		want, err := plan.Open(fsys)
		if err != nil {
			t.Fatal(err)
		}
		sameModel(t, what, m, want)
		return m
	}
	first := step("first load", nil)
	task := first.Plans[0].Tasks[0]
	planFile := first.Plans[0].File
	src := string(fsys[planFile].Data)
	if !strings.Contains(src, `"`+task.Title+`"`) {
		t.Fatalf("%s: no %q", planFile, task.Title)
	}
	fsys[planFile] = &fstest.MapFile{Data: []byte(strings.Replace(src, `"`+task.Title+`"`, `"`+task.Title+` (edited)"`, 1))}
	m := step("a task title edited", plan.Changes{planFile}, planFile)
	if got := m.Plans[0].Tasks[0].Title; got != task.Title+" (edited)" {
		t.Errorf("title %q after the edit, want %q", got, task.Title+" (edited)")
	}

	levels := regexp.MustCompile(`(?m)^levels\s*=.*$`)
	edited := string(fsys[planFile].Data)
	if loc := levels.FindStringIndex(edited); loc == nil {
		t.Fatalf("%s: no levels", planFile)
	} else {
		edited = edited[:loc[0]] + `levels = ["` + task.Levels[0] + `"]` + edited[loc[1]:]
	}
	fsys[planFile] = &fstest.MapFile{Data: []byte(edited)}
	step("a task's levels changed", plan.Changes{planFile}, planFile)

	// A scope given to a plan with tasks for every polling area splits
	// them: those of one commune keep the tasks, the others lose them.
	var scoped *plan.Plan
	for _, p := range first.Plans {
		for _, t := range p.Tasks {
			if len(p.Scope) == 0 && len(t.When) == 0 && len(t.Unless) == 0 && t.HasLevel("polling") && p.File != planFile {
				scoped = p
			}
		}
	}
	if scoped == nil {
		t.Fatal("no plan without a scope with a task for every polling area")
	}
	var commune string
	for _, u := range first.Units {
		if u.Level == "polling" {
			commune = u.Parent
			break
		}
	}
	scopedSrc := string(fsys[scoped.File].Data)
	fsys[scoped.File] = &fstest.MapFile{Data: []byte(`scope = ["` + commune + `"]` + "\n" + scopedSrc)}
	m = step("a scope given", plan.Changes{scoped.File}, scoped.File)
	if a, b := m.Unit(m.Unit(commune).Children[0].Code), lastPolling(m); a.Checklist == b.Checklist {
		t.Errorf("a scope given: polling areas %s and %s share a checklist", a.Code, b.Code)
	}
	fsys[scoped.File] = &fstest.MapFile{Data: []byte(scopedSrc)}
	step("the scope gone", plan.Changes{scoped.File}, scoped.File)

	lines := strings.SplitN(csv, "\n", 3)
	fields := strings.Split(lines[1], ",") // code,parent,level,name,...
	code := fields[0]
	fields[3] += " (renamed)"
	renamed := lines[0] + "\n" + strings.Join(fields, ",") + "\n" + lines[2]
	fsys[plan.UnitsCSV] = &fstest.MapFile{Data: []byte(renamed)}
	m = step("a unit renamed", plan.Changes{plan.UnitsCSV}, plan.UnitsCSV)
	if u := m.Unit(code); u == nil || !strings.HasSuffix(u.Name, " (renamed)") {
		t.Errorf("unit %s not renamed: %+v", code, u)
	}
	fields[4] = "island" // its tags: the units link as before, a when task may apply
	fsys[plan.UnitsCSV] = &fstest.MapFile{Data: []byte(lines[0] + "\n" + strings.Join(fields, ",") + "\n" + lines[2])}
	step("a unit's tags changed", plan.Changes{plan.UnitsCSV}, plan.UnitsCSV)

	step("nothing changed", plan.Changes{}, []string{}...)
	step("everything may have changed, nothing did", nil, []string{}...)
	fsys[planFile] = &fstest.MapFile{Data: []byte(src)}
	step("the plan as it was, lost events", nil, planFile)
}

// sameModel compares what a renderer reads of two models: units with
// their links, days, heads and checklists, levels, plans and tasks.
func sameModel(t *testing.T, what string, got, want *plan.Model) {
	t.Helper()
	codes := func(us []*plan.Unit) []string {
		var list []string
		for _, u := range us {
			list = append(list, u.Code)
		}
		return list
	}
	if len(got.Units) != len(want.Units) {
		t.Fatalf("%s: %d units, want %d", what, len(got.Units), len(want.Units))
	}
	if !slices.Equal(codes(got.Roots), codes(want.Roots)) {
		t.Errorf("%s: roots %q, want %q", what, codes(got.Roots), codes(want.Roots))
	}
	for i, u := range got.Units {
		w := want.Units[i]
		parent := func(u *plan.Unit) string {
			if u.ParentUnit == nil {
				return ""
			}
			return u.ParentUnit.Code
		}
		version := func(u *plan.Unit) string {
			if u.Checklist == nil {
				return ""
			}
			return u.Checklist.Version
		}
		switch {
		case u.Code != w.Code || u.Name != w.Name || parent(u) != parent(w) || u.Day != w.Day || u.LevelRef.ID != w.LevelRef.ID:
			t.Errorf("%s: unit %d is %s %q under %q on %s at %s, want %s %q under %q on %s at %s", what, i,
				u.Code, u.Name, parent(u), u.Day, u.LevelRef.ID, w.Code, w.Name, parent(w), w.Day, w.LevelRef.ID)
		case !slices.Equal(codes(u.Children), codes(w.Children)):
			t.Errorf("%s: unit %s has children %q, want %q", what, u.Code, codes(u.Children), codes(w.Children))
		case version(u) != version(w):
			t.Errorf("%s: unit %s has checklist %s, want %s", what, u.Code, version(u), version(w))
		case !reflect.DeepEqual(u.Head, w.Head):
			t.Errorf("%s: unit %s has head %+v, want %+v", what, u.Code, u.Head, w.Head)
		case got.Unit(u.Code) != u:
			t.Errorf("%s: Unit(%q) is not the unit", what, u.Code)
		}
	}
	for i, l := range got.Levels {
		w := want.Levels[i]
		if l.Checklist.Version != w.Checklist.Version || !reflect.DeepEqual(l.Head, w.Head) || !slices.Equal(codes(l.Units), codes(w.Units)) {
			t.Errorf("%s: level %s differs", what, l.ID)
		}
	}
	if len(got.Tasks) != len(want.Tasks) {
		t.Errorf("%s: %d tasks, want %d", what, len(got.Tasks), len(want.Tasks))
	}
	for i := range min(len(got.Tasks), len(want.Tasks)) {
		if got.Tasks[i].Key() != want.Tasks[i].Key() || got.Tasks[i].Title != want.Tasks[i].Title {
			t.Errorf("%s: task %d is %s %q, want %s %q", what, i, got.Tasks[i].Key(), got.Tasks[i].Title, want.Tasks[i].Key(), want.Tasks[i].Title)
		}
	}
	if got.Warnings.Error() != want.Warnings.Error() {
		t.Errorf("%s: warnings\n%v\nwant\n%v", what, got.Warnings, want.Warnings)
	}
}

// TestDigest: spaces, comments and blank lines leave a set's digest as
// it was; a changed value, even inside a string's spaces, changes it.
func TestDigest(t *testing.T) {
	fsys := fixture.Example(t)
	digest := func() string {
		t.Helper()
		s, err := plan.Load(fsys)
		if err != nil {
			t.Fatal(err)
		}
		return s.Digest()
	}
	before := digest()
	name := plan.SiteFile
	src := string(fsys[name].Data)
	edit := func(text string) string {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
		return digest()
	}
	title := regexp.MustCompile(`(?m)^title\s*=\s*"([^"]*)"`).FindStringSubmatch(src)
	if title == nil {
		t.Fatalf("%s: no title", name)
	}
	for _, c := range []struct {
		what, text string
		same       bool
	}{
		{"a comment", "# a comment\n" + src + "\n# another\n", true},
		{"blank lines and spaces around =", "\n\n" + strings.Replace(src, title[0], `title   =   "`+title[1]+`"`, 1), true},
		{"the title", strings.Replace(src, title[0], `title = "`+title[1]+` (edited)"`, 1), false},
		{"a space inside the title", strings.Replace(src, title[0], `title = "`+title[1]+` "`, 1), false},
	} {
		if got := edit(c.text); (got == before) != c.same {
			t.Errorf("%s: digest same = %v, want %v", c.what, got == before, c.same)
		}
	}
	fsys[name] = &fstest.MapFile{Data: []byte(src)}
	csv := string(fsys[plan.UnitsCSV].Data)
	fsys[plan.UnitsCSV] = &fstest.MapFile{Data: []byte(csv + "\n")}
	if digest() == before {
		t.Errorf("units.csv edited: digest unchanged")
	}
}

// lastPolling returns the last polling area of the model.
func lastPolling(m *plan.Model) *plan.Unit {
	for i := len(m.Units) - 1; i >= 0; i-- {
		if m.Units[i].Level == "polling" {
			return m.Units[i]
		}
	}
	return nil
}

// TestLoaderUnitsCSV: after each edit of units.csv a Loader reads only
// the lines that changed, keeping the units of the others (the same
// values, where no line moved), and its set, errors and model are those
// plan.Load and plan.Open give for the same files.
func TestLoaderUnitsCSV(t *testing.T) {
	fsys := fixture.Example(t)
	orig := string(fsys[plan.UnitsCSV].Data)
	lines := strings.SplitAfter(orig, "\n")
	if len(lines) < 20 {
		t.Fatalf("%s has %d lines", plan.UnitsCSV, len(lines))
	}
	var l plan.Loader
	var last *plan.Set
	// load loads text as units.csv and compares with a fresh load. It
	// returns the loader's set.
	load := func(what, text string) *plan.Set {
		t.Helper()
		fsys[plan.UnitsCSV] = &fstest.MapFile{Data: []byte(text)}
		got, gotErr := l.Load(fsys, plan.Changes{plan.UnitsCSV})
		want, wantErr := plan.Load(fsys)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Fatalf("%s: Loader.Load errors\n%v\nplan.Load errors\n%v", what, gotErr, wantErr)
		}
		if got.Sources[plan.UnitsCSV] != want.Sources[plan.UnitsCSV] {
			t.Errorf("%s: the loader's text of %s differs from plan.Load's", what, plan.UnitsCSV)
		}
		if len(got.Units) != len(want.Units) {
			t.Fatalf("%s: %d units, want %d", what, len(got.Units), len(want.Units))
		}
		for i, u := range got.Units {
			if !reflect.DeepEqual(u, want.Units[i]) {
				t.Errorf("%s: unit %d is %+v, want %+v", what, i, *u, *want.Units[i])
			}
			for _, key := range []string{"code", "parent", "level", "name", "tags", "election_day"} {
				if g, w := u.KeyPos(key), want.Units[i].KeyPos(key); g != w {
					t.Errorf("%s: unit %s's %s at %s, want %s", what, u.Code, key, g, w)
				}
			}
		}
		if got.Digest() != want.Digest() {
			t.Errorf("%s: digest differs from plan.Load's", what)
		}
		if gotErr == nil {
			m, err := l.Resolve(got)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			w, err := plan.Open(fsys)
			if err != nil {
				t.Fatal(err)
			}
			sameModel(t, what, m, w)
		}
		last = got
		return got
	}
	// kept checks that the units of the rows of the lines keep (indexes
	// of units.csv's rows, the header not counted) are those of the last
	// set: not read again.
	kept := func(what string, before, after *plan.Set, keep func(i int) (int, bool)) {
		t.Helper()
		n := 0
		for i, u := range before.Units {
			if j, ok := keep(i); ok {
				n++
				if after.Units[j] != u {
					t.Errorf("%s: unit %s (row %d) read again", what, u.Code, i+1)
				}
			}
		}
		if n == 0 {
			t.Fatalf("%s: no row kept", what)
		}
	}
	csvUnits := func(s *plan.Set) int { // the units before units.csv's
		for i, u := range s.Units {
			if u.Pos.File == plan.UnitsCSV {
				return i
			}
		}
		return len(s.Units)
	}
	join := func(ls ...[]string) string {
		var b strings.Builder
		for _, l := range ls {
			b.WriteString(strings.Join(l, ""))
		}
		return b.String()
	}
	with := func(i int, line string) []string { // lines with line i replaced
		c := slices.Clone(lines)
		c[i] = line
		return c
	}
	field := func(line string, i int) string { return strings.Split(line, ",")[i] }
	mid := len(lines) / 2

	first := load("first load", orig)
	off := csvUnits(first)
	renamed := strings.Replace(lines[mid], ","+field(lines[mid], 3)+",", ","+field(lines[mid], 3)+" (renamed),", 1)
	s := load("a unit renamed", join(with(mid, renamed)))
	kept("a unit renamed", first, s, func(i int) (int, bool) { return i, i >= off && i != off+mid-1 })

	code := field(lines[mid], 0)
	added := code + "-new," + field(lines[mid], 1) + "," + field(lines[mid], 2) + ",Đơn vị mới,,\n"
	before := last
	s = load("a row inserted", join(lines[:mid], []string{added}, lines[mid:]))
	kept("a row inserted", before, s, func(i int) (int, bool) {
		switch {
		case i < off:
			return 0, false
		case i < off+mid-2:
			return i, true
		}
		return 0, false // moved down a line: copies
	})
	if u := s.Units[off+mid]; u.Code != code || u.Pos.Line != mid+2 {
		t.Errorf("a row inserted: unit %d is %s at line %d, want %s at %d", off+mid, u.Code, u.Pos.Line, code, mid+2)
	}
	load("the row removed", orig)
	load("a row removed", join(lines[:mid], lines[mid+1:]))
	moved := join(lines[:3], lines[4:mid], lines[3:4], lines[mid:])
	load("a row moved down", moved)
	load("the row moved back", orig)

	load("a row with five fields", join(with(mid, code+",x,polling,Bad\n")))
	load("fixed", orig)
	load("a field without its closing quote", join(with(mid, code+`,"x,polling,Bad,,`+"\n")))
	load("fixed again", orig)
	load("a name missing", join(with(mid, code+","+field(lines[mid], 1)+",polling,,,\n")))
	load("a row inserted above it", join(lines[:5], []string{added}, with(mid, code+","+field(lines[mid], 1)+",polling,,,\n")[5:]))
	load("fixed at last", orig)

	quoted := code + "," + field(lines[mid], 1) + ",polling,\"Tổ 1\nthôn 2, xã 3\",,\n"
	load("a name over two lines", join(with(mid, quoted)))
	load("the row after it renamed", join(with(mid, quoted)[:mid+1], []string{strings.Replace(lines[mid+1], ",polling,", ",polling,X ", 1)}, lines[mid+2:]))
	load("its second line edited", join(with(mid, strings.Replace(quoted, "thôn 2", "thôn 4", 1))))
	load("its quote opened", join(with(mid, strings.Replace(quoted, "\nthôn 2, xã 3\"", "\nthôn 2, xã 3", 1))))
	load("back", orig)

	load("the header changed", strings.Replace(orig, "election_day", "day", 1))
	load("the header back", orig)
	load("a byte-order mark", "\ufeff"+orig)
	load("a unit renamed after it", "\ufeff"+join(with(mid, renamed)))
	load("blank lines", join(lines[:mid], []string{"\n", "\n"}, lines[mid:]))
	load("no line break at the end", strings.TrimSuffix(orig, "\n"))
	last3 := strings.TrimSuffix(lines[len(lines)-2], "\n")
	load("the last row renamed", join(lines[:len(lines)-2], []string{strings.Replace(last3, ","+field(last3, 3)+",", ","+field(last3, 3)+" 2,", 1)}))
	load("a line break at the end again", orig)
	crlf := strings.ReplaceAll(orig, "\n", "\r\n")
	load("CRLF line ends", crlf)
	load("a unit renamed with CRLF", strings.ReplaceAll(join(with(mid, renamed)), "\n", "\r\n"))

	decomposed := strings.Replace(lines[mid], ","+field(lines[mid], 3)+",", ",Ha\u0300 Nô\u0323i,", 1) // NFD: read as NFC
	load("a name not in NFC", join(with(mid, decomposed)))
	load("a unit renamed after it", join(with(mid, decomposed)[:mid+2], []string{strings.Replace(lines[mid+2], ",polling,", ",polling,Y ", 1)}, lines[mid+3:]))
	load("and before it", join(with(mid, decomposed)[:3], []string{strings.Replace(lines[3], ",polling,", ",polling,Z ", 1)}, lines[4:]))
	load("an invalid byte", join(with(mid, "\xff"+lines[mid])))
	load("all back", orig)
}
