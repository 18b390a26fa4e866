package plan

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

// openCase opens the base site with the given files laid over it.
func openCase(t *testing.T, files ...txtar.File) *Model {
	t.Helper()
	m, err := Open(siteFS(t, files))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return m
}

func planFile(tasks string) txtar.File {
	return file("content/plans/p.toml", "number = \"1/KH\"\ntitle = \"Plan one\"\n"+tasks)
}

func entryKeys(c *Checklist) string {
	var keys []string
	for _, e := range c.Entries {
		keys = append(keys, e.Task.ID)
	}
	return strings.Join(keys, " ")
}

func TestParseRelative(t *testing.T) {
	tests := []struct {
		in       string
		offset   int
		hasTime  bool
		hour, mi int
		bad      bool
	}{
		{in: "E"},
		{in: "E-70", offset: -70},
		{in: "E+3", offset: 3},
		{in: "E-70 17:00", offset: -70, hasTime: true, hour: 17},
		{in: "E 07:30", hasTime: true, hour: 7, mi: 30},
		{in: " E-1 ", offset: -1},
		{in: "E-1 24:00", bad: true},
		{in: "E-1 7", bad: true},
		{in: "e-1", bad: true},
		{in: "E - 1", bad: true},
		{in: "D-1", bad: true},
		{in: "2021-04-03", bad: true},
		{in: "", bad: true},
	}
	for _, tt := range tests {
		sp, msg := parseRelative(tt.in)
		if tt.bad {
			if msg == "" {
				t.Errorf("parseRelative(%q) = %+v, want an error", tt.in, sp)
			}
			continue
		}
		if msg != "" {
			t.Errorf("parseRelative(%q): %s", tt.in, msg)
			continue
		}
		if !sp.Relative || sp.Offset != tt.offset || sp.HasTime != tt.hasTime || sp.Hour != tt.hour || sp.Minute != tt.mi {
			t.Errorf("parseRelative(%q) = %+v", tt.in, sp)
		}
	}
}

func TestDeadlines(t *testing.T) {
	m := openCase(t, planFile(`
[[task]]
id = "rel"
title = "Relative"
levels = ["polling"]
responsible = "team"
due = "E-70 17:00"
start = "E-80"
limit = "E-65"

[[task]]
id = "abs"
title = "Absolute"
levels = ["polling"]
responsible = "team"
due = 2021-04-03

[[task]]
id = "abstime"
title = "Absolute with time"
levels = ["polling"]
responsible = "team"
due = 2021-03-14T17:00:00

[[task]]
id = "after"
title = "After E"
levels = ["polling"]
responsible = "team"
due = "E+3"

[[task]]
id = "standing"
title = "Standing duty"
levels = ["polling"]
responsible = "team"
`))
	tests := []struct {
		unit, task, due, rel, start string
	}{
		// Site election day 2021-05-23.
		{"01-A-1", "rel", "2021-03-14T17:00", "E-70", "2021-03-04"},
		{"01-A-1", "abs", "2021-04-03", "E-50", ""},
		{"01-A-1", "abstime", "2021-03-14T17:00", "E-70", ""},
		{"01-A-1", "after", "2021-05-26", "E+3", ""},
		// The island area votes on 2021-05-22: relative dates move a day
		// earlier, absolute ones stay and are one day further from its E.
		{"01-A-2", "rel", "2021-03-13T17:00", "E-70", "2021-03-03"},
		{"01-A-2", "abs", "2021-04-03", "E-49", ""},
		{"01-A-2", "after", "2021-05-25", "E+3", ""},
	}
	for _, tt := range tests {
		var e *Entry
		for _, x := range m.Unit(tt.unit).Checklist.Entries {
			if x.Task.ID == tt.task {
				e = x
			}
		}
		if e == nil {
			t.Errorf("%s: no task %s", tt.unit, tt.task)
			continue
		}
		if e.Due.String() != tt.due || e.Due.Relative() != tt.rel {
			t.Errorf("%s %s: due = %s (%s), want %s (%s)", tt.unit, tt.task, e.Due, e.Due.Relative(), tt.due, tt.rel)
		}
		if got := ""; e.Start != nil {
			got = e.Start.String()
			if got != tt.start {
				t.Errorf("%s %s: start = %s, want %s", tt.unit, tt.task, got, tt.start)
			}
		} else if tt.start != "" {
			t.Errorf("%s %s: no start, want %s", tt.unit, tt.task, tt.start)
		}
	}
	// Order: by due (a day with a time before the same day without), then
	// plan, then file order; standing duties last.
	if got, want := entryKeys(m.Unit("01-A-1").Checklist), "rel abstime abs after standing"; got != want {
		t.Errorf("order = %q, want %q", got, want)
	}
}

func TestElectionDayInheritance(t *testing.T) {
	m := openCase(t,
		file("content/units.toml", `
[[unit]]
code = "01"
name = "Province"
level = "province"
election_day = 2021-05-21
[[unit]]
code = "01-A"
parent = "01"
name = "District"
level = "district"
`),
		file("content/units.csv", "code,parent,level,name,tags,election_day\n01-A-1,01-A,polling,Area 1,,\n01-A-2,01-A,polling,Area 2,,2021-05-22\n"),
	)
	want := map[string]string{"01": "2021-05-21", "01-A": "2021-05-21", "01-A-1": "2021-05-21", "01-A-2": "2021-05-22"}
	for code, day := range want {
		if got := m.Unit(code).Day.String(); got != day {
			t.Errorf("unit %s: day = %s, want %s", code, got, day)
		}
	}
	if got := m.Level("province").Checklist.Day.String(); got != "2021-05-23" {
		t.Errorf("level checklist day = %s, want the site's 2021-05-23", got)
	}
}

func TestApplies(t *testing.T) {
	m := openCase(t,
		file("content/units.toml", `
[[unit]]
code = "01"
name = "Province one"
level = "province"
[[unit]]
code = "02"
name = "Province two"
level = "province"
[[unit]]
code = "01-A"
parent = "01"
name = "District A"
level = "district"
[[unit]]
code = "02-A"
parent = "02"
name = "District 2A"
level = "district"
`),
		file("content/units.csv", "code,parent,level,name,tags,election_day\n01-A-1,01-A,polling,Area 1,,\n01-A-2,01-A,polling,Area 2,island,\n01-A-3,01-A,polling,Area 3,island;no-council,\n02-A-1,02-A,polling,Area 2-1,,\n"),
		planFile(`
[[task]]
id = "all"
title = "Everyone"
levels = ["polling"]
responsible = "team"

[[task]]
id = "island"
title = "Islands only"
levels = ["polling"]
responsible = "team"
when = ["island"]

[[task]]
id = "council"
title = "Not without a council"
levels = ["polling"]
responsible = "team"
unless = ["no-council"]
`),
		file("content/plans/q.toml", `number = "2/KH"
title = "Scoped to province two"
scope = ["02"]
[[task]]
id = "scoped"
title = "Province two only"
levels = ["polling"]
responsible = "team"
`),
	)
	want := map[string]string{
		"01-A-1": "all council",
		"01-A-2": "all island council",
		"01-A-3": "all island",
		"02-A-1": "all council scoped",
	}
	for code, keys := range want {
		if got := entryKeys(m.Unit(code).Checklist); got != keys {
			t.Errorf("unit %s: tasks = %q, want %q", code, got, keys)
		}
	}
	// A level's checklist holds every task of the level, whatever the filters.
	if got := entryKeys(m.Level("polling").Checklist); got != "all island council scoped" {
		t.Errorf("polling level: tasks = %q", got)
	}
}

func TestSharedChecklists(t *testing.T) {
	m := openCase(t, file("content/units.csv", "code,parent,level,name,tags,election_day\n01-A-1,01-A,polling,Area 1,,\n01-A-2,01-A,polling,Area 2,,\n01-A-3,01-A,polling,Area 3,island,\n"))
	a, b, c := m.Unit("01-A-1").Checklist, m.Unit("01-A-2").Checklist, m.Unit("01-A-3").Checklist
	if a != b {
		t.Error("units with the same checklist do not share it")
	}
	if a == c || a.Version == c.Version {
		t.Error("units with different checklists share one")
	}
}

// TestVersion checks that the version covers exactly what the checklist says.
func TestVersion(t *testing.T) {
	base := `
[[task]]
id = "a"
title = "Task A"
levels = ["polling"]
responsible = "team"
support = ["police"]
due = "E-1"
items = ["Box", "Seal"]
evidence = ["Minutes"]
basis = ["Law"]
details = "Details."
`
	version := func(tasks string, extra ...txtar.File) string {
		t.Helper()
		m := openCase(t, append([]txtar.File{planFile(tasks)}, extra...)...)
		return m.Unit("01-A-1").Checklist.Version
	}
	v0 := version(base)
	if len(v0) != 12 {
		t.Fatalf("version %q is not 12 hex digits", v0)
	}
	if v := version(base); v != v0 {
		t.Errorf("same content, version %s then %s", v0, v)
	}
	// Comments and layout of the file do not change what the checklist says.
	if v := version("# a comment\n" + strings.ReplaceAll(base, " = ", "=")); v != v0 {
		t.Errorf("reformatted file changed the version")
	}
	changes := map[string]string{
		"title":    strings.Replace(base, "Task A", "Task A!", 1),
		"item":     strings.Replace(base, `"Seal"`, `"Seals"`, 1),
		"item add": strings.Replace(base, `"Seal"]`, `"Seal", "Stamp"]`, 1),
		"due":      strings.Replace(base, `"E-1"`, `"E-2"`, 1),
		"due time": strings.Replace(base, `"E-1"`, `"E-1 17:00"`, 1),
		"support":  strings.Replace(base, `support = ["police"]`, `support = []`, 1),
		"evidence": strings.Replace(base, "Minutes", "Record", 1),
		"basis":    strings.Replace(base, `"Law"`, `"Act"`, 1),
		"details":  strings.Replace(base, "Details.", "More details.", 1),
		"start":    strings.Replace(base, `due = "E-1"`, "due = \"E-1\"\nstart = \"E-9\"", 1),
	}
	for name, tasks := range changes {
		if v := version(tasks); v == v0 {
			t.Errorf("changing the %s did not change the version", name)
		}
	}
	// A body's name is what the checklist prints: renaming it changes the version.
	bodies := file("content/bodies.toml", `
[[body]]
id = "committee"
name = "Election committee"
levels = ["province", "district"]
[[body]]
id = "team"
name = "Polling team"
levels = ["polling"]
[[body]]
id = "police"
name = "Police"
`)
	if v := version(base, bodies); v == v0 {
		t.Error("renaming the responsible body did not change the version")
	}
	// A unit's name is not part of its checklist.
	units := file("content/units.csv", "code,parent,level,name,tags,election_day\n01-A-1,01-A,polling,Renamed area,,\n")
	if v := version(base, units); v != v0 {
		t.Error("renaming the unit changed its checklist version")
	}
	// Election day moves relative dates, so it changes the version.
	early := file("content/units.csv", "code,parent,level,name,tags,election_day\n01-A-1,01-A,polling,Area 1,,2021-05-22\n")
	if v := version(base, early); v == v0 {
		t.Error("an earlier election day did not change the version")
	}
}

func TestNFC(t *testing.T) {
	// "Tỉnh" and "Khu vực" written decomposed (NFD), as pasted from a PDF.
	nfd := "Ti\u0309nh"
	m := openCase(t,
		file("content/units.csv", "code,parent,level,name,tags,election_day\n01-A-1,01-A,polling,Khu vu\u031b\u0323c "+nfd+",,\n"),
		planFile("[[task]]\nid = \"a\"\ntitle = \"Ki\u00ea\u0309m tra\"\nlevels = [\"polling\"]\nresponsible = \"team\"\n"),
	)
	if got := m.Unit("01-A-1").Name; got != "Khu vực Tỉnh" {
		t.Errorf("unit name = %q (% x), want NFC %q", got, got, "Khu vực Tỉnh")
	}
	if got := m.Tasks[0].Title; got != "Kiểm tra" {
		t.Errorf("title = %q, want NFC", got)
	}
}

func TestLabels(t *testing.T) {
	m := openCase(t, file("content/site.toml", strings.Replace(mustRead(t, "content/site.toml"), `language     = "en"`, `language = "vi"`, 1)+"\n[labels]\ndue = \"Hạn chót\"\n"))
	if got := m.Label("due"); got != "Hạn chót" {
		t.Errorf("overridden label = %q", got)
	}
	if got := m.Label("responsible"); got != "Chủ trì" {
		t.Errorf("vi label = %q", got)
	}
	for _, lang := range Languages() {
		for _, k := range LabelKeys() {
			if builtinLabels[lang][k] == "" {
				t.Errorf("label %q has no %s text", k, lang)
			}
		}
	}
}

// mustRead returns a file of the base archive.
func mustRead(t *testing.T, name string) string {
	t.Helper()
	fsys := siteFS(t, nil)
	f, ok := fsys[name]
	if !ok {
		t.Fatalf("no %s in base", name)
	}
	return string(f.Data)
}

func TestStarterFixtureIndependent(t *testing.T) {
	// Load must work from any fs.FS: a MapFS with only the required files.
	fsys := fstest.MapFS{
		"content/site.toml":   {Data: []byte("title = \"T\"\nelection_day = 2030-01-01\n[[level]]\nid = \"a\"\nname = \"A\"\n")},
		"content/bodies.toml": {Data: []byte("[[body]]\nid = \"b\"\nname = \"B\"\n")},
	}
	m, err := Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Units) != 0 || len(m.Plans) != 0 || m.Site.Language != "vi" {
		t.Errorf("minimal site: %d units, %d plans, language %q", len(m.Units), len(m.Plans), m.Site.Language)
	}
	_ = os.ErrNotExist
}
