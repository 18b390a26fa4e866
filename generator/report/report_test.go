package report

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/xuri/excelize/v2"

	"checkgen/generator/plan"
	"checkgen/generator/starter"
	"checkgen/generator/xlsx"
)

var buildDate = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)

// asOf is the report's day in the starter tests: E-2 for most units.
var asOf = plan.Date{Year: 2027, Month: 6, Day: 4}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// starterModel returns the starter site, with files replaced or added.
func starterModel(t testing.TB, extra map[string]string) *plan.Model {
	t.Helper()
	fsys := fstest.MapFS{}
	must(t, fs.WalkDir(starter.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(starter.FS(), p)
		fsys[p] = &fstest.MapFile{Data: b}
		return err
	}))
	for p, s := range extra {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	m, err := plan.Open(fsys)
	if err != nil {
		t.Fatalf("plan.Open: %v", err)
	}
	return m
}

// book writes the workbook of unit code.
func book(t testing.TB, m *plan.Model, code string) []byte {
	t.Helper()
	var buf bytes.Buffer
	must(t, xlsx.WriteUnit(&buf, m, m.Unit(code), xlsx.Options{Date: buildDate}))
	return buf.Bytes()
}

// answer is what a user types into one row.
type answer struct {
	status, date, confirmer string
}

// fill types answers into a workbook, as a user would: sheet by unit
// code, row by task key (found in the hidden column J).
func fill(t testing.TB, m *plan.Model, data []byte, answers map[string]map[string]answer, also func(f *excelize.File)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	must(t, err)
	defer f.Close()
	for code, rows := range answers {
		sh := m.Unit(code).Name
		all, err := f.GetRows(sh)
		must(t, err)
		for key, a := range rows {
			r := 0
			for i, row := range all {
				if len(row) > 9 && row[9] == key {
					r = i + 1
				}
			}
			if r == 0 {
				t.Fatalf("no row %s in sheet %s", key, sh)
			}
			if a.status != "" {
				must(t, f.SetCellStr(sh, fmt.Sprint("F", r), a.status))
			}
			if a.date != "" {
				d, err := time.Parse("2006-01-02", a.date)
				must(t, err)
				serial := int(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
				must(t, f.SetCellInt(sh, fmt.Sprint("G", r), int64(serial)))
			}
			if a.confirmer != "" {
				must(t, f.SetCellStr(sh, fmt.Sprint("H", r), a.confirmer))
			}
		}
	}
	if also != nil {
		also(f)
	}
	var buf bytes.Buffer
	must(t, f.Write(&buf))
	return buf.Bytes()
}

// readAll reads named workbooks as ReadFiles would, without files.
func readAll(t testing.TB, m *plan.Model, files map[string][]byte) ([]*xlsx.Workbook, []*xlsx.Problem) {
	t.Helper()
	dir := t.TempDir()
	var names []string
	for name, data := range files {
		p := filepath.Join(dir, name)
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, data, 0o644))
	}
	found, problems := Files([]string{dir})
	if len(problems) > 0 {
		t.Fatalf("Files: %v", problems)
	}
	for _, f := range found {
		rel, err := filepath.Rel(dir, f)
		must(t, err)
		names = append(names, filepath.ToSlash(rel))
	}
	// Read under the short names, so that problems read "filled/x.xlsx:...".
	var books []*xlsx.Workbook
	for i, f := range found {
		data, err := os.ReadFile(f)
		must(t, err)
		wb, err := xlsx.Read(names[i], bytes.NewReader(data), xlsx.ReadOptions{Labels: labels(m)})
		if err != nil {
			p, _ := xlsx.AsProblem(err)
			problems = append(problems, p)
			continue
		}
		books = append(books, wb)
	}
	return books, problems
}

func labels(m *plan.Model) map[string]string {
	return map[string]string{"done": m.Label("done"), "not_done": m.Label("not_done"), "not_applicable": m.Label("not_applicable")}
}

func build(t testing.TB, m *plan.Model, files map[string][]byte) *Report {
	t.Helper()
	books, problems := readAll(t, m, files)
	return Build(m, books, problems, Options{AsOf: asOf})
}

func problemLines(r *Report) string {
	var lines []string
	for _, p := range r.Problems {
		lines = append(lines, p.Error())
	}
	return strings.Join(lines, "\n")
}

func unitReport(t testing.TB, r *Report, code string) *UnitReport {
	t.Helper()
	for _, u := range r.Units {
		if u.Unit.Code == code {
			return u
		}
	}
	t.Fatalf("unit %s not in the report", code)
	return nil
}

func overdueKeys(u *UnitReport) string {
	var keys []string
	for _, a := range u.Overdue() {
		keys = append(keys, a.Entry.Task.Key())
	}
	return strings.Join(keys, " ")
}

// roundTrip is the main scenario: a district workbook with its own sheet
// filled, and each station's own workbook.
func roundTrip(t testing.TB, m *plan.Model) map[string][]byte {
	t.Helper()
	return map[string][]byte{
		"filled/RV-N.xlsx": fill(t, m, book(t, m, "RV-N"), map[string]map[string]answer{
			"RV-N": {
				"preparation/appoint-teams": {"Done", "2027-04-15", "Trần Văn B"},
				"preparation/train-teams":   {"Not done", "", ""},
				"preparation/security":      {"not applicable", "", ""}, // labels match without case
			},
		}, nil),
		"filled/RV-N-01.xlsx": fill(t, m, book(t, m, "RV-N-01"), map[string]map[string]answer{
			"RV-N-01": {
				"preparation/check-materials": {"Done", "2027-06-03", ""}, // no confirmer
				"preparation/security":        {"xong", "", ""},
			},
		}, nil),
		"filled/RV-N-02.xlsx": fill(t, m, book(t, m, "RV-N-02"), map[string]map[string]answer{
			"RV-N-02": {
				"preparation/boat":              {"Done", "2027-06-10", "Lê C"}, // after the report's day
				"preparation/check-materials":   {"Done", "2027-06-03", "Lê C"},
				"preparation/check-materials#1": {"Done", "", ""},
				"preparation/check-materials#2": {"Not applicable", "", ""},
			},
		}, nil),
	}
}

func TestRoundTrip(t *testing.T) {
	m := starterModel(t, nil)
	r := build(t, m, roundTrip(t, m))

	wantProblems := strings.Join([]string{
		"filled/RV-N-01.xlsx:Station 1, Town Hall!H7: done without a confirmer: type who confirmed it",
		`filled/RV-N-01.xlsx:Station 1, Town Hall!F13: unknown status "xong" (use "Done", "Not done" or "Not applicable")`,
		"filled/RV-N-02.xlsx:Station 2, Harbour Island!G7: date done 10 Jun 2027 is in the future (the report is as of 4 Jun 2027)",
	}, "\n")
	if got := problemLines(r); got != wantProblems {
		t.Errorf("problems:\n%s\nwant:\n%s", got, wantProblems)
	}
	if r.Errors() != 3 {
		t.Errorf("Errors() = %d, want 3", r.Errors())
	}
	if r.Scope != nil {
		t.Errorf("scope = %v, want the whole site", r.Scope)
	}
	tests := []struct {
		code    string
		state   State
		counts  Counts
		overdue string
		sources string
	}{
		{"RV", Missing, Counts{}, "", ""},
		{"RV-N", Returned, Counts{Tasks: 3, Done: 1, NotDone: 1, NotApplicable: 1, Overdue: 1}, "preparation/train-teams", "filled/RV-N.xlsx:North district"},
		{"RV-N-01", Returned, Counts{Tasks: 3, Blank: 1, Rejected: 2}, "", "filled/RV-N-01.xlsx:Station 1, Town Hall"},
		{"RV-N-02", Returned, Counts{Tasks: 4, Done: 1, Blank: 2, Rejected: 1, Overdue: 1}, "preparation/boat", "filled/RV-N-02.xlsx:Station 2, Harbour Island"},
	}
	for _, tt := range tests {
		u := unitReport(t, r, tt.code)
		var src []string
		for _, s := range u.Sources {
			src = append(src, s.String())
		}
		if u.State != tt.state || u.Counts != tt.counts || overdueKeys(u) != tt.overdue || strings.Join(src, " ") != tt.sources {
			t.Errorf("%s: state %v counts %+v overdue %q sources %q;\nwant %v %+v %q %q", tt.code, u.State, u.Counts, overdueKeys(u), src, tt.state, tt.counts, tt.overdue, tt.sources)
		}
	}
	levels := map[string]*LevelReport{}
	for _, l := range r.Levels {
		levels[l.Level.ID] = l
	}
	if l := levels["station"]; l == nil || l.Expected != 2 || l.Returned != 2 || l.Counts.Done != 1 || l.Counts.Rejected != 3 {
		t.Errorf("station level = %+v", l)
	}
	// Per task across the stations.
	byKey := map[string]*TaskReport{}
	for _, tr := range levels["station"].Tasks {
		byKey[tr.Entry.Task.Key()] = tr
	}
	for key, want := range map[string]struct {
		units  int
		counts Counts
	}{
		"preparation/boat":            {1, Counts{Tasks: 1, Rejected: 1, Overdue: 1}},
		"preparation/check-materials": {2, Counts{Tasks: 2, Done: 1, Rejected: 1}},
		"preparation/security":        {2, Counts{Tasks: 2, Blank: 1, Rejected: 1}},
	} {
		tr := byKey[key]
		if tr == nil || tr.Units != want.units || tr.Counts != want.counts {
			t.Errorf("task %s = %+v, want units %d counts %+v", key, tr, want.units, want.counts)
		}
	}
	if got := r.MissingByParent(); len(got) != 1 || got[0].Parent != nil || len(got[0].Units) != 1 || got[0].Units[0].Unit.Code != "RV" {
		t.Errorf("MissingByParent = %v, want one group: RV, a top unit", got)
	}
}

// TestBadCases: each case is one thing wrong among the files handed in;
// each gives its lines, and the other units still count.
func TestBadCases(t *testing.T) {
	m := starterModel(t, nil)
	plan0, err := fs.ReadFile(starter.FS(), "content/plans/preparation.toml")
	must(t, err)
	units0, err := fs.ReadFile(starter.FS(), "content/units.toml")
	must(t, err)
	site0, err := fs.ReadFile(starter.FS(), "content/site.toml")
	must(t, err)
	old := starterModel(t, map[string]string{
		"content/plans/preparation.toml": strings.Replace(string(plan0), "Check the station's materials", "Check the materials", 1),
		"content/units.toml":             string(units0) + "\n[[unit]]\ncode = \"RV-N-03\"\nparent = \"RV-N\"\nname = \"Station 3\"\nlevel = \"station\"\n",
	})
	other := starterModel(t, map[string]string{
		"content/site.toml": strings.Replace(string(site0), "Municipal election 2027", "Regional election 2027", 1),
	})
	done := map[string]map[string]answer{"RV-N-01": {"preparation/security": {"Done", "2027-06-01", "An"}}}
	notDone := map[string]map[string]answer{"RV-N-01": {"preparation/security": {"Done", "2027-06-02", "Bình"}}}
	st1 := m.Unit("RV-N-01").Name
	var levelForm bytes.Buffer
	must(t, xlsx.WriteLevel(&levelForm, m, m.Level("station"), xlsx.Options{Date: buildDate}))
	var reportBook bytes.Buffer
	must(t, WriteWorkbook(&reportBook, build(t, m, nil)))

	tests := []struct {
		name  string
		files map[string][]byte
		want  []string
		state State // of RV-N-01
	}{
		{
			name: "conflict",
			files: map[string][]byte{
				"c/RV-N-01.xlsx": fill(t, m, book(t, m, "RV-N-01"), notDone, nil),
				"c/RV-N.xlsx":    fill(t, m, book(t, m, "RV-N"), done, nil),
			},
			want: []string{
				"c/RV-N-01.xlsx:Station 1, Town Hall: unit RV-N-01 is also filled in c/RV-N.xlsx:Station 1, Town Hall with other answers: a conflict; neither is counted",
				"c/RV-N.xlsx:Station 1, Town Hall: unit RV-N-01 is also filled in c/RV-N-01.xlsx:Station 1, Town Hall with other answers: a conflict; neither is counted",
			},
			state: Conflict,
		},
		{
			name: "conflict, a file name with a line break",
			files: map[string][]byte{
				"c/a\nb.xlsx": fill(t, m, book(t, m, "RV-N-01"), notDone, nil),
				"c/RV-N.xlsx": fill(t, m, book(t, m, "RV-N"), done, nil),
			},
			want: []string{
				`c/RV-N.xlsx:Station 1, Town Hall: unit RV-N-01 is also filled in "c/a\nb.xlsx":Station 1, Town Hall with other answers: a conflict; neither is counted`,
				`"c/a\nb.xlsx":Station 1, Town Hall: unit RV-N-01 is also filled in c/RV-N.xlsx:Station 1, Town Hall with other answers: a conflict; neither is counted`,
			},
			state: Conflict,
		},
		{
			name: "the same answers twice",
			files: map[string][]byte{
				"c/RV-N-01.xlsx": fill(t, m, book(t, m, "RV-N-01"), done, nil),
				"c/RV-N.xlsx":    fill(t, m, book(t, m, "RV-N"), done, nil),
			},
			want:  []string{"c/RV-N.xlsx:Station 1, Town Hall: warning: the same answers for unit RV-N-01 as c/RV-N-01.xlsx:Station 1, Town Hall: counted once"},
			state: Returned,
		},
		{
			name:  "outdated, written before task hashes",
			files: map[string][]byte{"o.xlsx": legacy(t, fill(t, old, book(t, old, "RV-N-01"), done, nil))},
			want: []string{fmt.Sprintf("o.xlsx:Station 1, Town Hall: filled against an outdated checklist (version %s; the current one is %s) in a workbook written before answers could be matched task by task: not counted; copy its answers into the current workbook",
				old.Unit("RV-N-01").Checklist.Version, m.Unit("RV-N-01").Checklist.Version)},
			state: Outdated,
		},
		{
			name:  "current, written before task hashes",
			files: map[string][]byte{"o.xlsx": legacy(t, fill(t, m, book(t, m, "RV-N-01"), done, nil))},
			state: Returned,
		},
		{
			name:  "older version, matched task by task",
			files: map[string][]byte{"o.xlsx": fill(t, old, book(t, old, "RV-N-01"), done, nil)},
			state: Returned,
		},
		{
			name: "outdated and current",
			files: map[string][]byte{
				"a.xlsx": fill(t, old, book(t, old, "RV-N-01"), done, nil),
				"b.xlsx": fill(t, m, book(t, m, "RV-N-01"), done, nil),
			},
			want: []string{fmt.Sprintf("a.xlsx:Station 1, Town Hall: warning: filled against an older checklist (version %s); b.xlsx:Station 1, Town Hall holds the current one (%s): this one is not counted",
				old.Unit("RV-N-01").Checklist.Version, m.Unit("RV-N-01").Checklist.Version)},
			state: Returned,
		},
		{
			name: "unit that does not exist",
			files: map[string][]byte{
				"u.xlsx": fill(t, old, book(t, old, "RV-N-03"), nil, nil),
				"b.xlsx": fill(t, m, book(t, m, "RV-N-01"), done, nil),
			},
			want:  []string{`u.xlsx:Station 3: unit "RV-N-03" does not exist in this site: skipped`},
			state: Returned,
		},
		{
			name: "another site",
			files: map[string][]byte{
				"x.xlsx": fill(t, other, book(t, other, "RV-N-01"), done, nil),
			},
			want:  []string{`x.xlsx: is a workbook of another site ("Regional election 2027", "Municipal Election Commission"), not of this one ("Municipal election 2027", "Municipal Election Commission"): skipped`},
			state: Missing,
		},
		{
			name: "deleted row",
			files: map[string][]byte{"d.xlsx": fill(t, m, book(t, m, "RV-N-01"), done, func(f *excelize.File) {
				must(t, f.UnprotectSheet(st1))
				must(t, f.RemoveRow(st1, 12))
			})},
			want:  []string{`d.xlsx:Station 1, Town Hall: the row of task preparation/open-station ("Open the station and seal the empty ballot boxes in front of voters") was deleted: not counted`},
			state: Returned,
		},
		{
			name: "reordered rows",
			files: map[string][]byte{"r.xlsx": fill(t, m, book(t, m, "RV-N-01"), nil, func(f *excelize.File) {
				for col, v := range map[string][2]string{"B": {"Keep order around every station", "Open the station"}, "J": {"preparation/security", "preparation/open-station"}, "F": {"Done", ""}, "H": {"An", ""}} {
					must(t, f.SetCellStr(st1, col+"12", v[0]))
					must(t, f.SetCellStr(st1, col+"13", v[1]))
				}
			})},
			want:  []string{"r.xlsx:Station 1, Town Hall!A12: rows were reordered (row 12 holds preparation/security, expected preparation/open-station there): read by task id"},
			state: Returned,
		},
		{
			name:  "a level's blank form, filled",
			files: map[string][]byte{"l.xlsx": fill(t, m, levelForm.Bytes(), nil, func(f *excelize.File) { must(t, f.SetCellStr("Polling station", "F7", "Done")) })},
			want:  []string{`l.xlsx:Polling station: the blank form of level "Polling station" names no unit: its answers are not counted; fill in the unit's own workbook`},
			state: Missing,
		},
		{
			name:  "a report",
			files: map[string][]byte{"report.xlsx": reportBook.Bytes()},
			want:  []string{"report.xlsx: warning: is a completion report, not a sign-off workbook: skipped (give the report.json beside it to merge a lower level's report)"},
			state: Missing,
		},
		{
			name:  "blank",
			files: map[string][]byte{"blank.xlsx": book(t, m, "RV-N-01")},
			state: Missing,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := build(t, m, tt.files)
			if got, want := problemLines(r), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("problems:\n%s\nwant:\n%s", got, want)
			}
			var u *UnitReport
			for _, x := range r.Units {
				if x.Unit.Code == "RV-N-01" {
					u = x
				}
			}
			got := Missing
			if u != nil {
				got = u.State
			}
			if got != tt.state {
				t.Errorf("RV-N-01 is %s, want %s", got.Key(), tt.state.Key())
			}
			if got == Returned && (u.Counts.Done != 1 || u.Counts.Rejected+u.Counts.Blank != 2) {
				t.Errorf("RV-N-01 counts %+v, want 1 done and 2 not", u.Counts)
			}
		})
	}
}

// TestScope: the whole site by default, or a unit and its subtree; every
// unit in scope that returned nothing is listed, and answers for units
// outside the scope are skipped with a warning.
func TestScope(t *testing.T) {
	m := starterModel(t, nil)
	tests := []struct {
		files    []string
		scope    string
		units    string // in the report
		missing  string
		problems string
	}{
		{[]string{"RV-N-01"}, "", "RV RV-N RV-N-01 RV-N-02", "RV RV-N RV-N-02", ""},
		{[]string{"RV-N-01"}, "RV-N", "RV-N RV-N-01 RV-N-02", "RV-N RV-N-02", ""},
		{[]string{"RV-N-01", "RV-N-02"}, "RV-N-02", "RV-N-02", "", "RV-N-01.xlsx:Station 1, Town Hall: warning: unit RV-N-01 is outside the report's scope (RV-N-02 Station 2, Harbour Island): skipped"},
		{[]string{"RV"}, "", "RV RV-N RV-N-01 RV-N-02", "RV-N RV-N-01 RV-N-02", ""},
		{nil, "", "RV RV-N RV-N-01 RV-N-02", "RV RV-N RV-N-01 RV-N-02", ""},
	}
	for _, tt := range tests {
		files := map[string][]byte{}
		for _, code := range tt.files {
			files[code+".xlsx"] = fill(t, m, book(t, m, code), map[string]map[string]answer{code: {"preparation/security": {"Not done", "", ""}}}, nil)
		}
		books, problems := readAll(t, m, files)
		opts := Options{AsOf: asOf}
		if tt.scope != "" {
			opts.Scope = m.Unit(tt.scope)
		}
		r := Build(m, books, problems, opts)
		var units, missing []string
		for _, u := range r.Units {
			units = append(units, u.Unit.Code)
			if u.State == Missing {
				missing = append(missing, u.Unit.Code)
			}
		}
		if strings.Join(units, " ") != tt.units || strings.Join(missing, " ") != tt.missing || problemLines(r) != tt.problems {
			t.Errorf("files %v, scope %q: units %v, missing %v, problems %q; want %q, %q, %q", tt.files, tt.scope, units, missing, problemLines(r), tt.units, tt.missing, tt.problems)
		}
	}
}

// legacy clears the task hashes (hidden column K) of every sheet: a
// workbook as written before they existed.
func legacy(t testing.TB, data []byte) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	must(t, err)
	defer f.Close()
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		must(t, err)
		for i, r := range rows {
			if len(r) > 10 && r[10] != "" {
				must(t, f.SetCellStr(sh, fmt.Sprint("K", i+1), ""))
			}
		}
	}
	var buf bytes.Buffer
	must(t, f.Write(&buf))
	return buf.Bytes()
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"a/b.xlsx", "a/~$b.xlsx", "a/.hidden/c.xlsx", "a/c.XLSX", "a/d.csv", "z.xlsx"} {
		full := filepath.Join(dir, p)
		must(t, os.MkdirAll(filepath.Dir(full), 0o755))
		must(t, os.WriteFile(full, nil, 0o644))
	}
	files, problems := Files([]string{filepath.Join(dir, "a"), filepath.Join(dir, "a", "d.csv"), filepath.Join(dir, "a", "b.xlsx"), filepath.Join(dir, "nope.xlsx")})
	var rel []string
	for _, f := range files {
		r, err := filepath.Rel(dir, f)
		must(t, err)
		rel = append(rel, filepath.ToSlash(r))
	}
	if got, want := strings.Join(rel, " "), "a/b.xlsx a/c.XLSX a/d.csv"; got != want {
		t.Errorf("Files = %s, want %s", got, want)
	}
	if len(problems) != 1 || problems[0].Error() != filepath.Join(dir, "nope.xlsx")+": no such file or directory" {
		t.Errorf("problems = %v, want one for nope.xlsx", problems)
	}
}
