package diff

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"checkgen/generator/plan"
)

// base is a small site: two provinces, three districts, four polling areas.
var base = map[string]string{
	"content/site.toml": `title        = "Test site"
language     = "en"
election_day = 2021-05-23

[[level]]
id   = "province"
name = "Province"

[[level]]
id   = "district"
name = "District"

[[level]]
id   = "polling"
name = "Polling area"

[[category]]
id   = "security"
name = "Security"

[form]
left = ["ELECTION COMMITTEE"]
`,
	"content/bodies.toml": `[[body]]
id   = "committee"
name = "Election committee"

[[body]]
id   = "police"
name = "Police"
`,
	"content/units.toml": `[[unit]]
code  = "01"
name  = "Province One"
level = "province"

[[unit]]
code  = "02"
name  = "Province Two"
level = "province"
`,
	"content/units.csv": `code,parent,level,name,tags,election_day
01-A,01,district,District A,,
01-B,01,district,District B,,
02-A,02,district,District C,,
01-A-1,01-A,polling,Polling area 1,,
01-A-2,01-A,polling,Polling area 2,island,2021-05-22
01-B-1,01-B,polling,Polling area 3,,
02-A-1,02-A,polling,Polling area 4,,
`,
	"content/plans/p.toml": `number = "1/KH"
date   = 2021-01-10
issuer = "Committee"
title  = "Plan one"

[[task]]
id          = "a"
title       = "Task A"
levels      = ["province", "district"]
responsible = "committee"
category    = "security"
due         = "E-10"
items       = ["first", "second", "third"]
details     = """
Line one.
Line two.
"""

[[task]]
id          = "b"
title       = "Task B"
levels      = ["polling"]
responsible = "committee"
due         = "E-1"
when        = ["island"]

[[task]]
id          = "c"
title       = "Task C"
levels      = ["district"]
responsible = "police"
due         = "E-5"
`,
}

// site returns base with edits applied: per file, pairs of old and new
// text; each old text must be there.
func site(t *testing.T, edits map[string][]string) *plan.Model {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range base {
		for i := 0; i < len(edits[name]); i += 2 {
			s := strings.Replace(text, edits[name][i], edits[name][i+1], 1)
			if s == text {
				t.Fatalf("%s: %q not found", name, edits[name][i])
			}
			text = s
		}
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	for name := range edits {
		if _, ok := base[name]; !ok {
			t.Fatalf("no file %s in the base site", name)
		}
	}
	m, err := plan.Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func codes(r *Result) []string {
	var c []string
	for _, rp := range r.Reprint {
		c = append(c, rp.Code)
	}
	return c
}

func TestSame(t *testing.T) {
	r := Compare(site(t, nil), site(t, nil))
	if !r.Empty() || r.AllUnits != 9 {
		t.Errorf("Compare(base, base): %+v; want empty, 9 units", r)
	}
	var b bytes.Buffer
	Write(&b, r)
	if want := "no changes\n0 tasks changed, 0 added, 0 removed; papers of 0 of 9 units changed\n"; b.String() != want {
		t.Errorf("Write = %q, want %q", b.String(), want)
	}
}

func TestTaskFields(t *testing.T) {
	old := site(t, nil)
	cur := site(t, map[string][]string{"content/plans/p.toml": {
		`due         = "E-10"`, `due         = "E-10 17:00"`,
		`items       = ["first", "second", "third"]`, `items       = ["first", "third", "fourth"]`,
		"Line two.", "Line 2.",
		`levels      = ["district"]`, `levels      = ["province", "district"]`,
		`responsible = "police"`, `responsible = "committee"
support     = ["police"]`,
		`due         = "E-5"`, `due         = "E-05"`, // the same deadline
	}})
	r := Compare(old, cur)
	if len(r.Tasks) != 2 {
		t.Fatalf("tasks %+v, want a and c changed", r.Tasks)
	}
	a, c := r.Tasks[0], r.Tasks[1]
	if a.Key != "p/a" || a.Status != Changed || c.Key != "p/c" {
		t.Fatalf("tasks %+v", r.Tasks)
	}
	var fields []string
	for _, ch := range a.Changes {
		fields = append(fields, ch.Field)
	}
	if want := []string{"due", "items", "details"}; !slices.Equal(fields, want) {
		t.Errorf("changes of p/a: %q, want %q", fields, want)
	}
	fields = nil
	for _, ch := range c.Changes {
		fields = append(fields, ch.Field)
	}
	if want := []string{"levels", "responsible", "support"}; !slices.Equal(fields, want) {
		t.Errorf("changes of p/c: %q, want %q (E-5 and E-05 are one deadline)", fields, want)
	}
	var b bytes.Buffer
	Write(&b, r)
	for _, want := range []string{
		"      due: E-10 → E-10 17:00\n",
		"      items:\n        - \"second\"\n        + \"fourth\"\n",
		"      details:\n        - Line two.\n        + Line 2.\n",
		"      levels: [district] → [province, district]\n",
		"      responsible: police → committee\n",
		"      support: [] → [police]\n",
		"2 tasks changed, 0 added, 0 removed; papers of 5 of 9 units changed\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Write output lacks %q:\n%s", want, b.String())
		}
	}
	// a is at province and district, c now too: the 2 provinces and 3
	// districts changed, the polling areas did not.
	if got, want := codes(r), []string{"01", "02", "01-A", "01-B", "02-A"}; !slices.Equal(got, want) {
		t.Errorf("reprint %q, want %q", got, want)
	}
}

func TestPlanFields(t *testing.T) {
	r := Compare(site(t, nil), site(t, map[string][]string{"content/plans/p.toml": {
		`number = "1/KH"`, `number = "2/KH"`,
		`date   = 2021-01-10`, `date   = 2021-01-12`,
		`issuer = "Committee"`, `issuer = "The committee"`,
		`title  = "Plan one"`, `title  = "Plan one, amended"
scope  = ["01"]`,
	}}))
	if len(r.Plans) != 1 || r.Plans[0].Key != "p" {
		t.Fatalf("plans %+v", r.Plans)
	}
	var b bytes.Buffer
	Write(&b, r)
	for _, want := range []string{
		"  changed p \"Plan one, amended\"\n",
		"      number: 1/KH → 2/KH\n",
		"      date: 2021-01-10 → 2021-01-12\n",
		"      issuer: \"Committee\" → \"The committee\"\n",
		"      title: \"Plan one\" → \"Plan one, amended\"\n",
		"      scope: [] → [01]\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Write output lacks %q:\n%s", want, b.String())
		}
	}
	// The number is in every checklist entry; the scope drops province
	// 02's tasks: every unit with a task changed, not the three polling
	// areas whose checklists were empty and stay empty.
	if got, want := codes(r), []string{"01", "02", "01-A", "01-B", "02-A", "01-A-2"}; !slices.Equal(got, want) {
		t.Errorf("reprint %q, want %q", got, want)
	}
}

func TestUnits(t *testing.T) {
	old := site(t, nil)
	cur := site(t, map[string][]string{"content/units.csv": {
		"01-B,01,district,District B,,\n", "01-B,02,district,District B,,\n", // moved
		"01-A-1,01-A,polling,Polling area 1,,\n", "", // removed
		"02-A-1,02-A,polling,Polling area 4,,\n", "02-A-1,02-A,polling,Polling area 4,,\n02-A-2,02-A,polling,Polling area 5,,\n", // added
		"island,2021-05-22", "island,2021-05-21", // election day moved
	}, "content/units.toml": {`name  = "Province Two"`, `name  = "Province 2"`}})
	r := Compare(old, cur)
	var got []string
	for _, u := range r.Units {
		s := string(u.Status) + " " + u.Key
		for _, c := range u.Changes {
			s += " " + c.Field + ":" + strings.Join(c.Old, ",") + ">" + strings.Join(c.New, ",")
		}
		got = append(got, s)
	}
	want := []string{
		"changed 02 name:Province Two>Province 2",
		"changed 01-B parent:01>02",
		"removed 01-A-1",
		"changed 01-A-2 election_day:2021-05-22>2021-05-21",
		"added 02-A-2",
	}
	if !slices.Equal(got, want) {
		t.Errorf("units:\n%q\nwant\n%q", got, want)
	}
	// Reprint, in site order, the removed unit where it stood: 02
	// (renamed), 01-B (moved), 02-A (parent renamed), 01-A-1 (removed),
	// 01-A-2 (day), 01-B-1 (parents), 02-A-1 (parents), 02-A-2 (new).
	var b bytes.Buffer
	if err := WriteList(&b, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var list []string
	for _, row := range rows {
		list = append(list, strings.Join(row, "|"))
	}
	v := func(code string) string { return old.Unit(code).Checklist.Version }
	n := func(code string) string { return cur.Unit(code).Checklist.Version }
	wantList := []string{
		"code|name|level|old_version|new_version",
		"02|Province 2|province|" + v("02") + "|" + n("02"),
		"01-B|District B|district|" + v("01-B") + "|" + n("01-B"),
		"02-A|District C|district|" + v("02-A") + "|" + n("02-A"),
		"01-A-1|Polling area 1|polling|" + v("01-A-1") + "|",
		"01-A-2|Polling area 2|polling|" + v("01-A-2") + "|" + n("01-A-2"),
		"01-B-1|Polling area 3|polling|" + v("01-B-1") + "|" + n("01-B-1"),
		"02-A-1|Polling area 4|polling|" + v("02-A-1") + "|" + n("02-A-1"),
		"02-A-2|Polling area 5|polling||" + n("02-A-2"),
	}
	if !slices.Equal(list, wantList) {
		t.Errorf("list:\n%s\nwant\n%s", strings.Join(list, "\n"), strings.Join(wantList, "\n"))
	}
	if v("01-A-2") == n("01-A-2") {
		t.Errorf("moving the election day left the version of 01-A-2 as it was: relative dues moved")
	}
	// Per level: 1 of 2 provinces, 2 of 3 districts, 5 of 5 polling areas (4 old, 1 new).
	var per []string
	for _, lp := range r.Papers {
		per = append(per, lp.ID+":"+itoa(lp.Changed)+"/"+itoa(lp.Units))
	}
	if want := []string{"province:1/2", "district:2/3", "polling:5/5"}; !slices.Equal(per, want) {
		t.Errorf("papers per level %q, want %q", per, want)
	}
}

// A change in the head every form prints reprints every unit; a level's
// name, the units of the level.
func TestFormAndLevel(t *testing.T) {
	old := site(t, nil)
	r := Compare(old, site(t, map[string][]string{"content/site.toml": {`left = ["ELECTION COMMITTEE"]`, `left = ["THE ELECTION COMMITTEE"]`}}))
	if len(r.Reprint) != 9 || len(r.Site) != 1 || r.Site[0].Field != "form.left" {
		t.Errorf("form head changed: %d units to reprint, site changes %+v; want 9 and form.left", len(r.Reprint), r.Site)
	}
	r = Compare(old, site(t, map[string][]string{"content/site.toml": {`name = "District"`, `name = "County"`}}))
	if got, want := codes(r), []string{"01-A", "01-B", "02-A"}; !slices.Equal(got, want) || len(r.Levels) != 1 {
		t.Errorf("level renamed: reprint %q, levels %+v; want %q", got, r.Levels, want)
	}
}

// CSV is data: a name starting with = or holding a comma or a quote is
// written as it is, quoted as CSV needs.
func TestListQuoting(t *testing.T) {
	r := &Result{Reprint: []Reprint{{Code: "X", Name: `=HYPERLINK("a", "b"), c`, Level: "polling", OldVersion: "1"}}}
	var b bytes.Buffer
	if err := WriteList(&b, r); err != nil {
		t.Fatal(err)
	}
	want := "code,name,level,old_version,new_version\nX,\"=HYPERLINK(\"\"a\"\", \"\"b\"\"), c\",polling,1,\n"
	if b.String() != want {
		t.Errorf("WriteList = %q, want %q", b.String(), want)
	}
}

func TestMergeKeys(t *testing.T) {
	tests := []struct{ old, new, want string }{
		{"a b c", "a b c", "a b c"},
		{"a b c", "a c", "a b c"},
		{"x a b", "a b", "x a b"},
		{"a b x y", "a b", "a b x y"},
		{"a b", "a n b", "a n b"},
		{"a x b", "b a", "b a x"},
		{"", "a", "a"},
		{"a", "", "a"},
	}
	for _, tt := range tests {
		if got := strings.Join(mergeKeys(strings.Fields(tt.old), strings.Fields(tt.new)), " "); got != tt.want {
			t.Errorf("mergeKeys(%q, %q) = %q, want %q", tt.old, tt.new, got, tt.want)
		}
	}
}

func TestEdits(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"a b c", "a b c", ""},
		{"a b c", "a c", "-b"},
		{"a c", "a b c", "+b"},
		{"a b", "c d", "-a -b +c +d"},
		{"", "x", "+x"},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range edits(strings.Fields(tt.a), strings.Fields(tt.b)) {
			got = append(got, string(e.op)+e.text)
		}
		if s := strings.Join(got, " "); s != tt.want {
			t.Errorf("edits(%q, %q) = %q, want %q", tt.a, tt.b, s, tt.want)
		}
	}
}
