package export

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"checkgen/generator/fixture"
	"checkgen/generator/output"
	"checkgen/generator/plan"
	"checkgen/generator/starter"
)

func TestWrite(t *testing.T) {
	m, err := plan.Open(starter.FS())
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	out, err := output.Stage(dest)
	if err != nil {
		t.Fatal(err)
	}
	data, err := Prepare(m, nil, "g")
	if err != nil {
		t.Fatal(err)
	}
	if err := data.Write(out, 0); err != nil {
		t.Fatal(err)
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	read := func(rel string, v any) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dest, rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
	}
	var site Site
	read("data/site.json", &site)
	if site.Format != Format || site.ElectionDay != "2027-06-06" || len(site.Levels) != 3 || len(site.Units) != 4 || len(site.Plans) != 1 {
		t.Errorf("site.json = %+v", site)
	}
	if got := site.Plans[0].Tasks[2].Due; got != "E-1 17:00" {
		t.Errorf("a task's due as written = %q", got)
	}
	var u Unit
	read("data/units/RV-N-02.json", &u)
	if u.Format != Format || u.ElectionDay != "2027-06-05" || u.Parent != "RV-N" || len(u.Ancestors) != 2 || u.Ancestors[0].Code != "RV" {
		t.Errorf("unit = %+v", u)
	}
	if u.Checklist.Version != m.Unit("RV-N-02").Checklist.Version || len(u.Checklist.Entries) != 4 {
		t.Errorf("checklist = %+v", u.Checklist)
	}
	// The island unit votes a day early: "E-1 17:00" is 2027-06-04 17:00.
	var found bool
	for _, e := range u.Checklist.Entries {
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
	if len(data.keys) != 4 || data.Key(m.Unit("RV-N-01")) == data.Key(m.Unit("RV-N-02")) {
		t.Errorf("keys = %v", data.keys)
	}
}

// TestWriteUnitSplices: a unit's file, spliced from its head and its
// checklist's shared encoding, equals the unit encoded whole, for every
// unit of the example site and for names with characters JSON escapes.
func TestWriteUnitSplices(t *testing.T) {
	m, err := plan.Open(os.DirFS(fixture.Root()))
	if err != nil {
		t.Fatal(err)
	}
	m.Units[0].Name = `<b>"Tổ" & \ 1` + "\n" + `"checklist": x`
	for _, u := range m.Units {
		c, err := encodeChecklist(u.Checklist)
		if err != nil {
			t.Fatal(err)
		}
		var got, want bytes.Buffer
		if err := writeUnit(&got, u, c); err != nil {
			t.Fatal(err)
		}
		if err := encode(&want, unit(u, u.Checklist)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("%s: spliced file differs:\n%s\nwant\n%s", u.Code, got.Bytes(), want.Bytes())
		}
	}
}

// TestPrepareKeys: a child's checklist version is in its parent's data
// file, so it changes the parent's data key, but not the key of the
// parent's views (pages and PDFs show the child's name only).
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
	c := *child.Checklist
	c.Version = "000000000000"
	child.Checklist = &c
	after, err := Prepare(m, nil, "g")
	if err != nil {
		t.Fatal(err)
	}
	dataKey := func(d *Data, u *plan.Unit) string {
		for _, j := range d.jobs {
			if j.u == u {
				return j.key
			}
		}
		t.Fatalf("no job for %s", u.Code)
		return ""
	}
	if before.Key(parent) != after.Key(parent) {
		t.Error("a child's version changed the parent's view key")
	}
	if dataKey(before, parent) == dataKey(after, parent) {
		t.Error("a child's version did not change the parent's data key")
	}
	if before.Key(m.Unit("RV")) != after.Key(m.Unit("RV")) || dataKey(before, m.Unit("RV")) != dataKey(after, m.Unit("RV")) {
		t.Error("a grandchild's version changed the top unit's keys")
	}
}
