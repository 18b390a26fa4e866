package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"testing/fstest"

	"checkgen/generator/fixture"
	"checkgen/generator/output"
	"checkgen/generator/plan"
	"checkgen/generator/starter"
)

// write prepares and writes the data of units (all when nil) of m into a
// new destination and returns it.
func write(t *testing.T, m *plan.Model, units []*plan.Unit) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	out, err := output.Stage(dest)
	if err != nil {
		t.Fatal(err)
	}
	data, err := Prepare(m, units, "g")
	if err != nil {
		t.Fatal(err)
	}
	if err := data.Write(out, 0); err != nil {
		t.Fatal(err)
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	return dest
}

func readJSON(t *testing.T, dest, rel string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
}

func TestWrite(t *testing.T) {
	m, err := plan.Open(starter.FS())
	if err != nil {
		t.Fatal(err)
	}
	dest := write(t, m, nil)
	var site Site
	readJSON(t, dest, "data/site.json", &site)
	if site.Format != "checkgen-data/2" || site.ElectionDay != "2027-06-06" || len(site.Levels) != 3 || len(site.Units) != 4 || len(site.Plans) != 1 {
		t.Errorf("site.json = %+v", site)
	}
	if got := site.Plans[0].Tasks[2].Due; got != "E-1 17:00" {
		t.Errorf("a task's due as written = %q", got)
	}
	var u Unit
	readJSON(t, dest, "data/units/RV-N-02.json", &u)
	if u.Format != "checkgen-data/2" || u.ElectionDay != "2027-06-05" || u.Parent != "RV-N" || len(u.Ancestors) != 2 || u.Ancestors[0].Code != "RV" {
		t.Errorf("unit = %+v", u)
	}
	// The island unit's checklist (it has the boat task) is its own: its
	// file is resolved from its day, and the unit carries no deadlines.
	if u.Version != m.Unit("RV-N-02").Checklist.Version || u.Deadlines != nil {
		t.Errorf("unit version %q, deadlines %v; want %q and none", u.Version, u.Deadlines, m.Unit("RV-N-02").Checklist.Version)
	}
	var c ChecklistFile
	readJSON(t, dest, "data/checklists/"+u.Version+".json", &c)
	if c.Format != "checkgen-data/2" || c.Version != u.Version || c.ElectionDay != "2027-06-05" || len(c.Entries) != 4 {
		t.Errorf("checklist file = %+v", c)
	}
	// The island unit votes a day early: "E-1 17:00" is 2027-06-04 17:00.
	var found bool
	for _, e := range c.Entries {
		if e.Task == "preparation/check-materials" {
			found = true
			if e.Due == nil || *e.Due != (Moment{Date: "2027-06-04", Time: "17:00", Relative: "E-1"}) {
				t.Errorf("due = %+v", e.Due)
			}
			if e.Responsible.ID != "station-team" || len(e.Items) != 4 || e.PlanID != "preparation" {
				t.Errorf("entry = %+v", e)
			}
		}
	}
	if !found {
		t.Error("no check-materials entry")
	}
}

// TestFormat1Fields: for every unit of the example site and of the
// starter, the unit's format 2 file read with its checklist file, by the
// rule of the package doc, gives every field its format 1 file gave;
// format 1 is built here from the model as its documentation described
// it, not by the package's own code.
func TestFormat1Fields(t *testing.T) {
	sites := map[string]fs.FS{"example": os.DirFS(fixture.Root()), "starter": starter.FS(), "fixed dates": fixedDates(t)}
	for name, fsys := range sites {
		t.Run(name, func(t *testing.T) {
			m, err := plan.Open(fsys)
			if err != nil {
				t.Fatal(err)
			}
			dest := write(t, m, nil)
			for _, u := range m.Units {
				got := readFormat2(t, dest, u.Code)
				want := format1(t, u)
				if !reflect.DeepEqual(got, want) {
					g, _ := json.MarshalIndent(got, "", " ")
					w, _ := json.MarshalIndent(want, "", " ")
					t.Fatalf("%s: format 2 read as format 1:\n%s\nwant\n%s", u.Code, g, w)
				}
			}
		})
	}
}

// TestOwnDeadlines: two units with one version (fixed dates) but
// different election days share a checklist file, resolved from the
// first unit's day; the second carries its own deadlines.
func TestOwnDeadlines(t *testing.T) {
	m, err := plan.Open(fixedDates(t))
	if err != nil {
		t.Fatal(err)
	}
	a, b := m.Unit("RV-N-01"), m.Unit("RV-N-02")
	if a.Checklist.Version != b.Checklist.Version || a.Day == b.Day {
		t.Fatalf("the fixture should give one version on two days: %s %s, %s %s", a.Checklist.Version, a.Day, b.Checklist.Version, b.Day)
	}
	dest := write(t, m, nil)
	var ua, ub Unit
	readJSON(t, dest, "data/units/RV-N-01.json", &ua)
	readJSON(t, dest, "data/units/RV-N-02.json", &ub)
	var c ChecklistFile
	readJSON(t, dest, "data/checklists/"+a.Checklist.Version+".json", &c)
	if c.ElectionDay != "2027-06-06" || ua.Deadlines != nil {
		t.Errorf("checklist file of day %s, RV-N-01 deadlines %v: want the first unit's day and none", c.ElectionDay, ua.Deadlines)
	}
	want := []Deadline{{Task: "preparation/check-materials", Due: &Moment{Date: "2027-06-04", Relative: "E-1"}}}
	if !reflect.DeepEqual(ub.Deadlines, want) {
		t.Errorf("RV-N-02 deadlines = %+v, want %+v", ub.Deadlines, want)
	}
	if c.Entries[0].Due.Relative != "E-2" {
		t.Errorf("checklist file's due = %+v, want E-2 from 2027-06-06", c.Entries[0].Due)
	}
	// A build of the island unit alone writes the same checklist file.
	only := write(t, m, []*plan.Unit{b})
	for _, rel := range []string{"data/checklists/" + c.Version + ".json", "data/units/RV-N-02.json"} {
		x, _ := os.ReadFile(filepath.Join(dest, rel))
		y, err := os.ReadFile(filepath.Join(only, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs in a build of RV-N-02 alone (%v)", rel, err)
		}
	}
}

// TestChecklistFiles: data/checklists holds one file per distinct
// version of the units built, and nothing else.
func TestChecklistFiles(t *testing.T) {
	m, err := plan.Open(os.DirFS(fixture.Root()))
	if err != nil {
		t.Fatal(err)
	}
	for _, units := range [][]*plan.Unit{nil, m.Units[len(m.Units)-3:]} {
		dest := write(t, m, units)
		if units == nil {
			units = m.Units
		}
		want := map[string]bool{}
		for _, u := range units {
			want[u.Checklist.Version+".json"] = true
		}
		entries, err := os.ReadDir(filepath.Join(dest, "data", "checklists"))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Name())
		}
		if len(got) != len(want) {
			t.Errorf("%d units: data/checklists holds %d files %v, want one per version: %d", len(units), len(got), got, len(want))
		}
		for _, name := range got {
			if !want[name] {
				t.Errorf("data/checklists/%s: no unit built has that version", name)
			}
		}
	}
}

// TestPrepareKeys: a unit's data file shows its children's checklist
// versions, so a child's version changes the parent's data key, and the
// child's own; not the key of a grandparent, which shows only its
// children.
func TestPrepareKeys(t *testing.T) {
	m, err := plan.Open(starter.FS())
	if err != nil {
		t.Fatal(err)
	}
	parent, child := m.Unit("RV-N"), m.Unit("RV-N-01")
	before, err := Prepare(m, nil, "g")
	if err != nil {
		t.Fatal(err)
	}
	// Keys are made from the model as Write finds it: take them now.
	keys := map[string]bool{}
	beforeKey := map[*plan.Unit]string{}
	for _, u := range m.Units {
		beforeKey[u] = dataKey(t, before, u)
		keys[beforeKey[u]] = true
	}
	if len(keys) != len(m.Units) {
		t.Errorf("%d units, %d data keys", len(m.Units), len(keys))
	}
	c := *child.Checklist
	c.Version = "000000000000"
	child.Checklist = &c
	after, err := Prepare(m, nil, "g")
	if err != nil {
		t.Fatal(err)
	}
	if beforeKey[parent] == dataKey(t, after, parent) {
		t.Error("a child's version did not change the parent's data key")
	}
	if beforeKey[child] == dataKey(t, after, child) {
		t.Error("the child's own version did not change its data key")
	}
	if beforeKey[m.Unit("RV")] != dataKey(t, after, m.Unit("RV")) {
		t.Error("a grandchild's version changed the top unit's data key")
	}
	other, err := Prepare(m, nil, "h")
	if err != nil {
		t.Fatal(err)
	}
	if dataKey(t, other, parent) == dataKey(t, after, parent) {
		t.Error("the global key is not in the data key")
	}
}

// TestPrepareKeysFileDay: a unit's data file carries deadlines when its
// checklist file is resolved from another day, which another unit
// decides: a change of that day changes the unit's data key.
func TestPrepareKeysFileDay(t *testing.T) {
	m, err := plan.Open(fixedDates(t))
	if err != nil {
		t.Fatal(err)
	}
	b := m.Unit("RV-N-02")
	before, err := Prepare(m, []*plan.Unit{b}, "g")
	if err != nil {
		t.Fatal(err)
	}
	beforeKey := dataKey(t, before, b)
	// RV-N-01's checklist, now resolved from RV-N-02's day.
	a := m.Unit("RV-N-01")
	a.Checklist = b.Checklist
	after, err := Prepare(m, []*plan.Unit{b}, "g")
	if err != nil {
		t.Fatal(err)
	}
	if beforeKey == dataKey(t, after, b) {
		t.Error("the day of the checklist file changed, but not RV-N-02's data key")
	}
	if before.checklists[0].key == after.checklists[0].key {
		t.Error("the checklist file's key did not change with its day")
	}
}

// dataKey is the key Write gives u's data file.
func dataKey(t *testing.T, d *Data, u *plan.Unit) string {
	t.Helper()
	for _, j := range d.jobs {
		if j.u == u {
			return d.fileKey(appendUnitFile(nil, j.u, j.day))
		}
	}
	t.Fatalf("no job for %s", u.Code)
	return ""
}

// fixedDates is the starter with one station task, due on a fixed date:
// both stations have one checklist version, though the island one votes
// a day early.
func fixedDates(t *testing.T) fstest.MapFS {
	t.Helper()
	site := fstest.MapFS{}
	err := fs.WalkDir(starter.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(starter.FS(), p)
		site[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	site["content/plans/preparation.toml"] = &fstest.MapFile{Data: []byte(`number = "1/PLAN"
title  = "Plan"

[[task]]
id          = "check-materials"
title       = "Check the station's materials"
levels      = ["station"]
responsible = "station-team"
due         = 2027-06-04
`)}
	return site
}

// readFormat2 reads a unit's data file and its checklist file and
// applies the rule of the package doc: the unit's resolved checklist,
// under "checklist", with the unit's other fields, as format 1 had them.
func readFormat2(t *testing.T, dest, code string) map[string]any {
	t.Helper()
	var u map[string]any
	readJSON(t, dest, "data/units/"+code+".json", &u)
	if u["format"] != "checkgen-data/2" {
		t.Fatalf("%s: format %v", code, u["format"])
	}
	version, _ := u["version"].(string)
	var c map[string]any
	readJSON(t, dest, "data/checklists/"+version+".json", &c)
	if c["format"] != "checkgen-data/2" || c["version"] != version {
		t.Fatalf("%s: checklist file of format %v, version %v", code, c["format"], c["version"])
	}
	delete(c, "format")
	c["election_day"] = u["election_day"]
	if ds, ok := u["deadlines"].([]any); ok {
		entries := c["entries"].([]any)
		if len(ds) != len(entries) {
			t.Fatalf("%s: %d deadlines for %d entries", code, len(ds), len(entries))
		}
		for i, d := range ds {
			d := d.(map[string]any)
			e := entries[i].(map[string]any)
			if d["task"] != e["task"] {
				t.Fatalf("%s: deadline %d is of %v, entry of %v", code, i, d["task"], e["task"])
			}
			for _, k := range []string{"due", "start", "limit", "late"} {
				delete(e, k)
				if v, ok := d[k]; ok {
					e[k] = v
				}
			}
		}
	}
	delete(u, "version")
	delete(u, "deadlines")
	delete(u, "format")
	u["checklist"] = c
	return u
}

// format1 is a unit's format 1 file without its "format", built from
// the model field by field as format 1 was documented, through JSON so
// that it compares with what readFormat2 decodes.
func format1(t *testing.T, u *plan.Unit) map[string]any {
	t.Helper()
	brief := func(v *plan.Unit) map[string]any {
		b := map[string]any{"code": v.Code, "level": v.Level, "name": v.Name, "election_day": v.Day.String(), "version": v.Checklist.Version}
		if v.Parent != "" {
			b["parent"] = v.Parent
		}
		return b
	}
	f := map[string]any{"code": u.Code, "name": u.Name, "level": u.Level, "election_day": u.Day.String()}
	if u.Parent != "" {
		f["parent"] = u.Parent
	}
	if len(u.Tags) > 0 {
		f["tags"] = u.Tags
	}
	ancestors, children := []any{}, []any{}
	for p := u.ParentUnit; p != nil; p = p.ParentUnit {
		ancestors = append([]any{brief(p)}, ancestors...)
	}
	for _, c := range u.Children {
		children = append(children, brief(c))
	}
	f["ancestors"], f["children"] = ancestors, children
	moment := func(m *plan.Moment) map[string]any {
		j := map[string]any{"date": fmt.Sprintf("%04d-%02d-%02d", m.Date.Year, m.Date.Month, m.Date.Day)}
		if m.HasTime {
			j["time"] = fmt.Sprintf("%02d:%02d", m.Hour, m.Minute)
		}
		switch {
		case m.Offset == 0:
			j["relative"] = "E"
		case m.Offset < 0:
			j["relative"] = fmt.Sprintf("E%d", m.Offset)
		default:
			j["relative"] = fmt.Sprintf("E+%d", m.Offset)
		}
		return j
	}
	named := func(id, name string) map[string]any { return map[string]any{"id": id, "name": name} }
	entries := []any{}
	for _, e := range u.Checklist.Entries {
		tk := e.Task
		j := map[string]any{
			"task": tk.Plan.ID + "/" + tk.ID, "plan": tk.Plan.Number, "plan_id": tk.Plan.ID,
			"plan_title": tk.Plan.Title, "title": tk.Title,
			"responsible": named(tk.ResponsibleBody.ID, tk.ResponsibleBody.Name),
		}
		if tk.CategoryRef != nil {
			j["category"] = named(tk.CategoryRef.ID, tk.CategoryRef.Name)
		}
		var support []any
		for _, b := range tk.SupportBodies {
			support = append(support, named(b.ID, b.Name))
		}
		if support != nil {
			j["support"] = support
		}
		for k, m := range map[string]*plan.Moment{"due": e.Due, "start": e.Start, "limit": e.Limit} {
			if m != nil {
				j[k] = moment(m)
			}
		}
		if e.Due != nil && e.Limit != nil && (e.Due.Date.Time().After(e.Limit.Date.Time()) ||
			e.Due.Date == e.Limit.Date && dayMinutes(e.Due) > dayMinutes(e.Limit)) {
			j["late"] = true
		}
		for k, v := range map[string][]string{"items": tk.Items, "evidence": tk.Evidence, "basis": tk.Basis} {
			if len(v) > 0 {
				j[k] = v
			}
		}
		if tk.Details != "" {
			j["details"] = tk.Details
		}
		entries = append(entries, j)
	}
	f["checklist"] = map[string]any{"version": u.Checklist.Version, "election_day": u.Day.String(), "entries": entries}
	// Through JSON, as the files are read.
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// dayMinutes is the minute of the day a moment falls due: its time, or
// the end of the day without one.
func dayMinutes(m *plan.Moment) int {
	if !m.HasTime {
		return 24 * 60
	}
	return m.Hour*60 + m.Minute
}

// TestReproducible: two writes of the example give the same bytes in
// every file.
func TestReproducible(t *testing.T) {
	m, err := plan.Open(os.DirFS(fixture.Root()))
	if err != nil {
		t.Fatal(err)
	}
	a, b := write(t, m, nil), write(t, m, nil)
	files := 0
	err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two writes (%v)", rel, err)
		}
		files++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + len(m.Units) + versions(m); files != want {
		t.Errorf("%d files, want site.json, one per unit and one per version: %d", files, want)
	}
}

func versions(m *plan.Model) int {
	seen := map[string]bool{}
	for _, u := range m.Units {
		seen[u.Checklist.Version] = true
	}
	return len(seen)
}
