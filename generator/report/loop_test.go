package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"checkgen/generator/fixture"
	"checkgen/generator/output"
	"checkgen/generator/plan"
	"checkgen/generator/starter"
	"checkgen/generator/xlsx"
)

// starterFile returns a file of the starter site.
func starterFile(t testing.TB, name string) string {
	t.Helper()
	b, err := fs.ReadFile(starter.FS(), name)
	must(t, err)
	return string(b)
}

func replaceOnce(t testing.TB, s, old, new string) string {
	t.Helper()
	if strings.Count(s, old) != 1 {
		t.Fatalf("%q is not in the text exactly once", old)
	}
	return strings.Replace(s, old, new, 1)
}

// dataOf is a report as report.json holds it, decoded.
func dataOf(t testing.TB, r *Report) *Data {
	t.Helper()
	var buf bytes.Buffer
	must(t, WriteData(&buf, r))
	var d Data
	must(t, json.Unmarshal(buf.Bytes(), &d))
	return &d
}

// TestAmendment: a sheet filled against the plan as first issued is read
// against the plan amended (one task's title, another's due): the
// unchanged task counts, the two changed ones are listed to re-confirm
// and not counted, and nothing else changes.
func TestAmendment(t *testing.T) {
	old := starterModel(t, nil)
	prep := starterFile(t, "content/plans/preparation.toml")
	prep = replaceOnce(t, prep, `title       = "Check the station's materials"`, `title       = "Check the station's materials and seals"`)
	prep = replaceOnce(t, prep, `due         = "E 07:00"`, `due         = "E 06:30"`)
	amended := starterModel(t, map[string]string{"content/plans/preparation.toml": prep})
	if old.Unit("RV-N-01").Checklist.Version == amended.Unit("RV-N-01").Checklist.Version {
		t.Fatal("the amendment did not change the checklist version")
	}
	files := map[string][]byte{
		"RV-N-01.xlsx": fill(t, old, book(t, old, "RV-N-01"), map[string]map[string]answer{"RV-N-01": {
			"preparation/check-materials": {"Done", "2027-06-03", "An"},
			"preparation/open-station":    {"Not done", "", ""},
			"preparation/security":        {"Done", "2027-06-01", "An"},
		}}, nil),
		"RV-N-02.xlsx": fill(t, old, book(t, old, "RV-N-02"), map[string]map[string]answer{"RV-N-02": {
			"preparation/boat": {"Done", "2027-06-01", "Lê C"},
		}}, nil),
	}
	before := build(t, old, files)
	after := build(t, amended, files)

	if got := problemLines(before); got != "" {
		t.Errorf("against the plan as issued, problems:\n%s", got)
	}
	wantProblems := strings.Join([]string{
		`RV-N-01.xlsx:Station 1, Town Hall!F7: warning: task preparation/check-materials ("Check the station's materials and seals") was answered against an older wording: re-confirm it in the current workbook; not counted`,
		`RV-N-01.xlsx:Station 1, Town Hall!F12: warning: task preparation/open-station ("Open the station and seal the empty ballot boxes in front of voters") was answered against an older wording: re-confirm it in the current workbook; not counted`,
	}, "\n")
	if got := problemLines(after); got != wantProblems {
		t.Errorf("against the amended plan, problems:\n%s\nwant:\n%s", got, wantProblems)
	}
	u0, u1 := unitReport(t, before, "RV-N-01"), unitReport(t, after, "RV-N-01")
	if want := (Counts{Tasks: 3, Done: 2, NotDone: 1}); u0.Counts != want {
		t.Errorf("RV-N-01 before: %+v, want %+v", u0.Counts, want)
	}
	if want := (Counts{Tasks: 3, Done: 1, Stale: 2}); u1.State != Returned || u1.Counts != want {
		t.Errorf("RV-N-01 after: %s %+v, want returned %+v", u1.State.Key(), u1.Counts, want)
	}
	var stale []string
	for _, a := range u1.Answers {
		if a.Stale {
			stale = append(stale, a.Entry.Task.Key())
		}
	}
	if got := strings.Join(stale, " "); got != "preparation/check-materials preparation/open-station" {
		t.Errorf("stale answers %q", got)
	}
	// Nothing else changes: every other unit reads the same.
	d0, d1 := dataOf(t, before), dataOf(t, after)
	for i := range d0.Units {
		a, b := d0.Units[i], d1.Units[i]
		if a.Code == "RV-N-01" {
			continue
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("unit %s changed:\n%s\n%s", a.Code, ja, jb)
		}
	}
	// A workbook already handed out (no task hashes) is checked whole.
	files["RV-N-01.xlsx"] = legacy(t, files["RV-N-01.xlsx"])
	r := build(t, amended, files)
	if u := unitReport(t, r, "RV-N-01"); u.State != Outdated || r.Legacy != 1 {
		t.Errorf("legacy sheet: %s, Legacy %d; want outdated, 1", u.State.Key(), r.Legacy)
	}
}

// TestOnTime: a level's return_by resolved per unit; a sheet is returned
// on its latest date done.
func TestOnTime(t *testing.T) {
	site := starterFile(t, "content/site.toml")
	site = replaceOnce(t, site, `id   = "station"`, "return_by = \"E-2\"\nid   = \"station\"")
	m := starterModel(t, map[string]string{"content/site.toml": site})
	if m.Level("station").ReturnBy == nil {
		t.Fatal("return_by not read")
	}
	// E is 6 Jun 2027: return by 4 Jun.
	r := build(t, m, map[string][]byte{
		"a.xlsx": fill(t, m, book(t, m, "RV-N-01"), map[string]map[string]answer{"RV-N-01": {
			"preparation/security":        {"Done", "2027-06-01", "An"},
			"preparation/check-materials": {"Done", "2027-06-04", "An"},
		}}, nil),
		"b.xlsx": fill(t, m, book(t, m, "RV-N-02"), map[string]map[string]answer{"RV-N-02": {
			"preparation/security": {"Not done", "", ""},
		}}, nil),
	})
	u1, u2 := unitReport(t, r, "RV-N-01"), unitReport(t, r, "RV-N-02")
	if u1.ReturnBy == nil || u1.ReturnBy.Date.String() != "2027-06-04" || u1.ReturnedOn == nil || u1.ReturnedOn.String() != "2027-06-04" || !u1.OnTime() {
		t.Errorf("RV-N-01: return by %v, returned on %v, on time %v; want 2027-06-04, 2027-06-04, true", u1.ReturnBy, u1.ReturnedOn, u1.OnTime())
	}
	if u2.ReturnedOn != nil || u2.OnTime() {
		t.Errorf("RV-N-02 (no date done, never saved since built): returned on %v, on time %v; want unknown, false", u2.ReturnedOn, u2.OnTime())
	}
	for _, l := range r.Levels {
		if l.Level.ID == "station" && (l.OnTime != 1 || l.Returned != 2 || l.Late != 0) {
			t.Errorf("station level: %d on time, %d returned, %d late; want 1, 2, 0", l.OnTime, l.Returned, l.Late)
		}
	}
	files := render(t, r)
	if s := string(files["levels/station/index.html"]); !strings.Contains(s, `<td class="n">4 Jun 2027</td><td class="n">4 Jun 2027 ✓</td>`) {
		t.Errorf("station page lacks RV-N-01's return by and returned on, in the site's language")
	}
	// As of after the day, the unit that never returned is late.
	r = Build(m, nil, nil, Options{AsOf: plan.Date{Year: 2027, Month: 6, Day: 5}})
	for _, l := range r.Levels {
		if l.Level.ID == "station" && l.Late != 2 {
			t.Errorf("station level as of 5 Jun with nothing returned: %d late, want 2", l.Late)
		}
	}
}

// exampleModel opens the example site, with files replaced.
func exampleModel(t testing.TB, edit func(fsys map[string][]byte)) *plan.Model {
	t.Helper()
	fsys := fixture.Example(t)
	if edit != nil {
		files := map[string][]byte{}
		for k, v := range fsys {
			files[k] = v.Data
		}
		edit(files)
		for k, v := range files {
			fsys[k].Data = v
		}
	}
	m, err := plan.Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRollUp: three districts report on their own workbooks into
// separate folders; the province reports from their report.json files.
// Every number equals a report on all the workbooks at once.
func TestRollUp(t *testing.T) {
	m := exampleModel(t, nil)
	province := m.Units[0]
	if province.Level != "province" || len(province.Children) < 3 {
		t.Fatalf("the example's first unit %s is not a province with 3 districts", province.Code)
	}
	// One polling-level task retitled in the version some sheets were
	// filled against.
	var pollTask *plan.Task
	var area *plan.Unit
	for _, u := range m.Units {
		if u.Level == "polling" && len(u.Checklist.Entries) > 2 {
			area = u
			pollTask = u.Checklist.Entries[1].Task
			break
		}
	}
	old := exampleModel(t, func(files map[string][]byte) {
		p := "content/plans/" + pollTask.Plan.ID + ".toml"
		files[p] = []byte(replaceOnce(t, string(files[p]), pollTask.Title, pollTask.Title+" (bản cũ)"))
	})
	asOf := plan.Date{Year: 2021, Month: 5, Day: 20}
	statuses := []string{m.Label("done"), m.Label("not_done"), m.Label("not_applicable"), ""}
	byDistrict := map[*plan.Unit]map[string][]byte{}
	all := map[string][]byte{}
	n := 0
	for _, d := range province.Children[:3] {
		byDistrict[d] = map[string][]byte{}
		var units []*plan.Unit
		var walk func(u *plan.Unit)
		walk = func(u *plan.Unit) {
			units = append(units, u)
			for _, c := range u.Children {
				walk(c)
			}
		}
		walk(d)
		for i, u := range units {
			if i%3 == 2 {
				continue // returned nothing
			}
			mm := m
			if u == area || (u.Level == "polling" && i%4 == 1) {
				mm = old
			}
			answers := map[string]answer{}
			for j, e := range mm.Unit(u.Code).Checklist.Entries {
				st := statuses[(n+j)%len(statuses)]
				a := answer{status: st}
				if st == statuses[0] {
					a.date, a.confirmer = fmt.Sprintf("2021-05-%02d", 1+(n+j)%19), "Nguyễn Văn A"
					if j%7 == 3 {
						a.confirmer = "" // rejected: done without a confirmer
					}
				}
				answers[e.Task.Key()] = a
			}
			n++
			data := fill(t, mm, book(t, mm, u.Code), map[string]map[string]answer{u.Code: answers}, nil)
			name := d.Code + "/" + u.Code + ".xlsx"
			byDistrict[d][name] = data
			all[name] = data
		}
	}
	// Per district, into separate folders; then the province from the
	// report.json files.
	dir := t.TempDir()
	var lower []string
	for d, files := range byDistrict {
		books, problems := readAll(t, m, files)
		r := Merge(m, Inputs{Books: books, Problems: problems}, Options{AsOf: asOf, Scope: d})
		out, err := output.Stage(filepath.Join(dir, d.Code, "report"))
		must(t, err)
		must(t, Render(r, out))
		must(t, out.Commit())
		lower = append(lower, filepath.Join(dir, d.Code, "report", "report.json"))
	}
	found, problems := Files([]string{dir})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	var jsons []string
	for _, f := range found {
		if strings.HasSuffix(f, ".json") {
			jsons = append(jsons, f)
		}
	}
	if len(jsons) != 3 {
		t.Fatalf("Files found %v, want the 3 report.json files", jsons)
	}
	in := ReadInputs(jsons, m, xlsx.ReadOptions{Labels: labels(m)})
	if len(in.Lower) != 3 || len(in.Books) != 0 {
		t.Fatalf("read %d report.json, %d workbooks; want 3, 0 (problems %v)", len(in.Lower), len(in.Books), in.Problems)
	}
	up := Merge(m, in, Options{AsOf: asOf, Scope: province})

	books, problems := readAll(t, m, all)
	once := Merge(m, Inputs{Books: books, Problems: problems}, Options{AsOf: asOf, Scope: province})

	if once.Errors() == 0 || upCount(once, func(u *UnitReport) bool { return u.Counts.Stale > 0 }) == 0 {
		t.Fatalf("the scenario has no rejected or stale answers: %d errors", once.Errors())
	}
	a, b := dataOf(t, up), dataOf(t, once)
	for _, d := range []*Data{a, b} {
		for i := range d.Units {
			d.Units[i].Sources = nil
		}
	}
	ja, _ := json.MarshalIndent(a, "", " ")
	jb, _ := json.MarshalIndent(b, "", " ")
	if !bytes.Equal(ja, jb) {
		la, lb := strings.Split(string(ja), "\n"), strings.Split(string(jb), "\n")
		for i := range min(len(la), len(lb)) {
			if la[i] != lb[i] {
				t.Fatalf("report.json from the districts' reports differs from one over all workbooks at line %d:\n%s\n%s", i+1, la[i], lb[i])
			}
		}
		t.Fatalf("report.json lengths differ: %d and %d lines", len(la), len(lb))
	}
	ca, ea, ra := up.Totals()
	cb, eb, rb := once.Totals()
	if ca != cb || ea != eb || ra != rb {
		t.Errorf("totals %+v %d %d, want %+v %d %d", ca, ea, ra, cb, eb, rb)
	}
	for i := range up.Levels {
		la, lb := up.Levels[i], once.Levels[i]
		if la.Expected != lb.Expected || la.Returned != lb.Returned || la.OnTime != lb.OnTime || la.Counts != lb.Counts {
			t.Errorf("level %s: %+v, want %+v", la.Level.ID, la, lb)
		}
		for j := range la.Tasks {
			if la.Tasks[j].Counts != lb.Tasks[j].Counts || la.Tasks[j].Units != lb.Tasks[j].Units {
				t.Errorf("level %s task %s differs", la.Level.ID, la.Tasks[j].Entry.Task.Key())
			}
		}
	}
	// The inputs were only read.
	for _, f := range lower {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	// The same units from a district's report.json and from the workbooks
	// it was made from count once.
	in.Books = books
	both := Merge(m, in, Options{AsOf: asOf, Scope: province})
	bd := dataOf(t, both)
	for i := range bd.Units {
		bd.Units[i].Sources = nil
	}
	jc, _ := json.MarshalIndent(bd, "", " ")
	if !bytes.Equal(jc, jb) {
		t.Errorf("report.json over the workbooks and the districts' report.json differs from one over the workbooks")
	}
	for _, u := range both.Units {
		if u.State == Conflict {
			t.Errorf("unit %s is a conflict between the same answers", u.Unit.Code)
		}
	}
}

func upCount(r *Report, f func(u *UnitReport) bool) int {
	n := 0
	for _, u := range r.Units {
		if f(u) {
			n++
		}
	}
	return n
}

// TestHostileInputs: report.json files that are truncated, of another
// site, of a newer format or naming a unit not in the site are each one
// line naming the file, the rest still counts; notes holding a formula or
// a script stay text in report.xlsx, report.json and the HTML.
func TestHostileInputs(t *testing.T) {
	m := starterModel(t, nil)
	hostile := []string{`=HYPERLINK("http://evil.example/","click")`, `<script>alert(1)</script>`}
	good := fill(t, m, book(t, m, "RV-N-01"), map[string]map[string]answer{"RV-N-01": {
		"preparation/open-station": {"Not done", "", ""},
	}}, func(f *excelize.File) {
		must(t, f.SetCellStr("Station 1, Town Hall", "I12", hostile[0]))
		must(t, f.SetCellStr("Station 1, Town Hall", "I13", hostile[1]))
		must(t, f.SetCellStr("Station 1, Town Hall", "F13", "Not done"))
	})
	r := build(t, m, map[string][]byte{"RV-N-01.xlsx": good})
	var buf bytes.Buffer
	must(t, WriteData(&buf, r))
	valid := buf.Bytes()

	other := starterModel(t, map[string]string{"content/site.toml": strings.Replace(starterFile(t, "content/site.toml"), "Municipal election 2027", "Regional election 2027", 1)})
	var otherBuf bytes.Buffer
	must(t, WriteData(&otherBuf, build(t, other, nil)))

	unknownUnit := bytes.Replace(valid, []byte(`"code": "RV-N-01"`), []byte(`"code": "ZZ-9"`), 1)
	newer := bytes.Replace(valid, []byte(JSONFormat), []byte("checkgen-report-json/2"), 1)
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"a/truncated.json": valid[:len(valid)/2],
		"b/other.json":     otherBuf.Bytes(),
		"c/unknown.json":   unknownUnit,
		"d/newer.json":     newer,
		"e/RV-N-01.xlsx":   good,
	} {
		p := filepath.Join(dir, name)
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, data, 0o644))
	}
	found, problems := Files([]string{dir})
	in := ReadInputs(found, m, xlsx.ReadOptions{Labels: labels(m)})
	in.Problems = append(problems, in.Problems...)
	r = Merge(m, in, Options{AsOf: asOf})
	var got []string
	for _, p := range r.Problems {
		got = append(got, strings.TrimPrefix(p.Error(), dir+string(filepath.Separator)))
	}
	want := []string{
		"a/truncated.json: is truncated: the JSON ends early; copy the whole report.json again",
		`b/other.json: is a report of another site ("Regional election 2027", "Municipal Election Commission"), not of this one ("Municipal election 2027", "Municipal Election Commission"): skipped`,
		`c/unknown.json:ZZ-9: unit "ZZ-9" does not exist in this site: skipped`,
		`d/newer.json: was written in format "checkgen-report-json/2", which this checkgen cannot read (it reads checkgen-report-json/1): use the report.json of the same checkgen version, or update checkgen`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if u := unitReport(t, r, "RV-N-01"); u.State != Returned || u.Counts.NotDone != 2 {
		t.Errorf("RV-N-01: %s %+v; want returned, 2 not done", u.State.Key(), u.Counts)
	}
	files := render(t, r)
	for _, name := range []string{"index.html", "levels/station/index.html"} {
		s := string(files[name])
		if strings.Contains(s, "<script>alert") {
			t.Errorf("%s holds the script unescaped", name)
		}
	}
	if s := string(files["levels/station/index.html"]); !strings.Contains(s, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(s, "=HYPERLINK(&#34;http://evil.example/&#34;,&#34;click&#34;)") {
		t.Errorf("the station page does not show the notes as text")
	}
	f, err := excelize.OpenReader(bytes.NewReader(files["report.xlsx"]))
	must(t, err)
	defer f.Close()
	texts := 0
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		must(t, err)
		for i, row := range rows {
			for j, c := range row {
				if c != hostile[0] && c != hostile[1] {
					continue
				}
				texts++
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if fx, _ := f.GetCellFormula(sh, ref); fx != "" {
					t.Errorf("report.xlsx %s!%s is a formula %q", sh, ref, fx)
				}
			}
		}
	}
	if texts != 2 {
		t.Errorf("report.xlsx shows %d of the 2 hostile notes as text", texts)
	}
	var d Data
	must(t, json.Unmarshal(files["report.json"], &d))
	notes := 0
	for _, u := range d.Units {
		for _, tk := range u.Tasks {
			if tk.Notes == hostile[0] || tk.Notes == hostile[1] {
				notes++
			}
		}
	}
	if notes != 2 {
		t.Errorf("report.json holds %d of the 2 notes as typed", notes)
	}
	// The inputs are untouched.
	if b, err := os.ReadFile(filepath.Join(dir, "a/truncated.json")); err != nil || !bytes.Equal(b, valid[:len(valid)/2]) {
		t.Errorf("an input was changed")
	}
}
