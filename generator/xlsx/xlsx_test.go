package xlsx

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/xuri/excelize/v2"

	"checkgen/generator/plan"
	"checkgen/generator/starter"
)

// buildDate is the fixed date the tests build with.
var buildDate = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)

// starterModel returns the resolved starter site, with extra files.
func starterModel(t testing.TB, extra map[string]string) *plan.Model {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(starter.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(starter.FS(), p)
		fsys[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, s := range extra {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	m, err := plan.Open(fsys)
	if err != nil {
		t.Fatalf("plan.Open: %v", err)
	}
	return m
}

// unitBook writes the workbook of unit code.
func unitBook(t testing.TB, m *plan.Model, code string) []byte {
	t.Helper()
	u := m.Unit(code)
	if u == nil {
		t.Fatalf("no unit %q", code)
	}
	var buf bytes.Buffer
	if err := WriteUnit(&buf, m, u, Options{Date: buildDate}); err != nil {
		t.Fatalf("WriteUnit(%s): %v", code, err)
	}
	return buf.Bytes()
}

// edit opens a workbook, lets fn change it as a user would, and saves it.
func edit(t testing.TB, data []byte, fn func(f *excelize.File)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("opening the workbook to edit: %v", err)
	}
	defer f.Close()
	fn(f)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatalf("saving the edited workbook: %v", err)
	}
	return buf.Bytes()
}

// must fails the test on err.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// rowOf returns the sheet row holding key, found by the hidden column.
func rowOf(t testing.TB, f *excelize.File, sheet, key string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	must(t, err)
	for i, r := range rows {
		if len(r) > 9 && r[9] == key {
			return i + 1
		}
	}
	t.Fatalf("no row with key %q in sheet %q", key, sheet)
	return 0
}

func readBook(t testing.TB, m *plan.Model, name string, data []byte) *Workbook {
	t.Helper()
	wb, err := Read(name, bytes.NewReader(data), ReadOptions{Labels: statusLabels(m)})
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return wb
}

func statusLabels(m *plan.Model) map[string]string {
	return map[string]string{"done": m.Label("done"), "not_done": m.Label("not_done"), "not_applicable": m.Label("not_applicable")}
}

func problemLines(ps []*Problem) string {
	var lines []string
	for _, p := range ps {
		lines = append(lines, p.Error())
	}
	return strings.Join(lines, "\n")
}

// wantKeys lists the row keys a checklist's sheet holds, in order.
func wantKeys(c *plan.Checklist) []string {
	var keys []string
	for _, e := range c.Entries {
		keys = append(keys, e.Task.Key())
		for i := range e.Task.Items {
			keys = append(keys, ItemKey(e.Task.Key(), i+1))
		}
	}
	return keys
}

func TestRoundTripBlank(t *testing.T) {
	m := starterModel(t, nil)
	for _, code := range []string{"RV", "RV-N", "RV-N-02"} {
		u := m.Unit(code)
		wb := readBook(t, m, code+".xlsx", unitBook(t, m, code))
		if wb.Kind != KindUnit || wb.Code != code || wb.Site != m.Site.Title || wb.Organisation != m.Site.Organisation || wb.Format != Format {
			t.Errorf("%s: read kind %q code %q site %q org %q format %q", code, wb.Kind, wb.Code, wb.Site, wb.Organisation, wb.Format)
		}
		if len(wb.Problems) > 0 {
			t.Errorf("%s: problems in a blank workbook:\n%s", code, problemLines(wb.Problems))
		}
		want := append([]*plan.Unit{u}, u.Children...)
		if len(wb.Sheets) != len(want) {
			t.Fatalf("%s: %d sheets, want %d", code, len(wb.Sheets), len(want))
		}
		for i, s := range wb.Sheets {
			w := want[i]
			if s.Unit != w.Code || s.Version != w.Checklist.Version || s.Written != s.Name || s.Answered {
				t.Errorf("%s sheet %d: unit %q version %q written %q name %q answered %v; want unit %q version %q", code, i, s.Unit, s.Version, s.Written, s.Name, s.Answered, w.Code, w.Checklist.Version)
			}
			var got []string
			for _, r := range s.Rows {
				got = append(got, r.Key)
				if r.Status != Blank || r.Date != nil || r.Confirmer != "" || r.Rejected {
					t.Errorf("%s %s row %d: not blank: %+v", code, s.Name, r.Row, r)
				}
			}
			if strings.Join(got, " ") != strings.Join(wantKeys(w.Checklist), " ") {
				t.Errorf("%s %s: keys\n%v\nwant\n%v", code, s.Name, got, wantKeys(w.Checklist))
			}
		}
	}
}

func TestRoundTripFilled(t *testing.T) {
	m := starterModel(t, nil)
	data := unitBook(t, m, "RV-N")
	station := m.Unit("RV-N-02").Name
	data = edit(t, data, func(f *excelize.File) {
		sh := m.Unit("RV-N").Name
		r := rowOf(t, f, sh, "preparation/appoint-teams")
		must(t, f.SetCellStr(sh, cell(colStatus, r), m.Label("done")))
		must(t, f.SetCellInt(sh, cell(colDate, r), int64(serial(plan.Date{Year: 2027, Month: 4, Day: 10}))))
		must(t, f.SetCellStr(sh, cell(colConfirmer, r), "  Nguyễn Văn A "))
		must(t, f.SetCellStr(sh, cell(colNotes, r), "=not a formula"))
		r = rowOf(t, f, sh, "preparation/train-teams")
		must(t, f.SetCellStr(sh, cell(colStatus, r), " not DONE "))
		must(t, f.SetCellStr(sh, cell(colDate, r), "2 Jun 2027"))
		r = rowOf(t, f, station, "preparation/check-materials#2")
		must(t, f.SetCellStr(station, cell(colStatus, r), m.Label("not_applicable")))
	})
	wb := readBook(t, m, "filled/RV-N.xlsx", data)
	if len(wb.Problems) > 0 {
		t.Fatalf("problems:\n%s", problemLines(wb.Problems))
	}
	rows := map[string]*Row{}
	answered := map[string]bool{}
	for _, s := range wb.Sheets {
		answered[s.Unit] = s.Answered
		for _, r := range s.Rows {
			rows[s.Unit+" "+r.Key] = r
		}
	}
	if !answered["RV-N"] || answered["RV-N-01"] || !answered["RV-N-02"] {
		t.Errorf("answered = %v, want RV-N and RV-N-02 only", answered)
	}
	tests := []struct {
		key, status, date, confirmer, notes string
	}{
		{"RV-N preparation/appoint-teams", "done", "2027-04-10", "Nguyễn Văn A", "=not a formula"},
		{"RV-N preparation/train-teams", "not_done", "2027-06-02", "", ""},
		{"RV-N preparation/security", "blank", "", "", ""},
		{"RV-N-02 preparation/check-materials#2", "not_applicable", "", "", ""},
		{"RV-N-02 preparation/check-materials", "blank", "", "", ""},
	}
	for _, tt := range tests {
		r := rows[tt.key]
		if r == nil {
			t.Errorf("no row %s", tt.key)
			continue
		}
		date := ""
		if r.Date != nil {
			date = r.Date.String()
		}
		if r.Status.String() != tt.status || date != tt.date || r.Confirmer != tt.confirmer || r.Notes != tt.notes || r.Rejected {
			t.Errorf("%s = status %v date %q confirmer %q notes %q rejected %v; want %s %q %q %q", tt.key, r.Status, date, r.Confirmer, r.Notes, r.Rejected, tt.status, tt.date, tt.confirmer, tt.notes)
		}
	}
}

// TestBadCells edits one thing in a written workbook and checks the one
// line Read reports for it.
func TestBadCells(t *testing.T) {
	m := starterModel(t, nil)
	blank := unitBook(t, m, "RV-N")
	sh := m.Unit("RV-N").Name
	station := m.Unit("RV-N-01").Name
	tests := []struct {
		name   string
		edit   func(f *excelize.File)
		want   string // the one problem line, with ROW for the edited row
		key    string // the row that must be rejected, if any
		sheets int    // sheets read
	}{
		{
			name: "unknown status",
			edit: func(f *excelize.File) {
				must(t, f.SetCellStr(sh, cell(colStatus, rowOf(t, f, sh, "preparation/train-teams")), "xong"))
			},
			want: `f.xlsx:North district!F8: unknown status "xong" (use "Done", "Not done" or "Not applicable")`,
			key:  "preparation/train-teams", sheets: 3,
		},
		{
			name: "bad date",
			edit: func(f *excelize.File) {
				must(t, f.SetCellStr(sh, cell(colDate, rowOf(t, f, sh, "preparation/train-teams")), "31/02/2027"))
			},
			want: `f.xlsx:North district!G8: bad date "31/02/2027": type a day as d Mmm yyyy (9 Mar 2026) or yyyy-mm-dd (2026-03-09)`,
			key:  "preparation/train-teams", sheets: 3,
		},
		{
			name: "ambiguous date",
			edit: func(f *excelize.File) {
				must(t, f.SetCellStr(sh, cell(colDate, rowOf(t, f, sh, "preparation/train-teams")), "9/3/2027"))
			},
			want: `f.xlsx:North district!G8: ambiguous date "9/3/2027": 9 Mar 2027 or 3 Sep 2027? type the month as a word, or the day as yyyy-mm-dd`,
			key:  "preparation/train-teams", sheets: 3,
		},
		{
			name: "formula",
			edit: func(f *excelize.File) {
				must(t, f.SetCellFormula(sh, cell(colConfirmer, rowOf(t, f, sh, "preparation/appoint-teams")), `CONCAT("a","b")`))
			},
			want: `f.xlsx:North district!H7: formula =CONCAT("a","b") in an answer cell: type the value itself`,
			key:  "preparation/appoint-teams", sheets: 3,
		},
		{
			name: "inserted row",
			edit: func(f *excelize.File) {
				must(t, f.InsertRows(sh, 8, 1))
				must(t, f.SetCellStr(sh, "B8", "my own task"))
				must(t, f.SetCellStr(sh, "F8", "Done"))
			},
			want:   `f.xlsx:North district!A8: row 8 has no task id: was it inserted? its content is ignored`,
			sheets: 3,
		},
		{
			name: "copied row",
			edit: func(f *excelize.File) {
				must(t, f.SetCellStr(sh, "J8", "preparation/appoint-teams"))
			},
			want:   `f.xlsx:North district!A8: rows 7 and 8 are the same task preparation/appoint-teams (a row was copied): neither is counted`,
			key:    "preparation/appoint-teams",
			sheets: 3,
		},
		{
			name: "renamed sheet",
			edit: func(f *excelize.File) {
				must(t, f.SetSheetName(station, "Town Hall"))
			},
			want:   `f.xlsx:Town Hall: warning: sheet "Station 1, Town Hall" was renamed to "Town Hall"; read by its unit code`,
			sheets: 3,
		},
		{
			name: "deleted sheet",
			edit: func(f *excelize.File) {
				must(t, f.DeleteSheet(station))
			},
			want:   `f.xlsx: sheet "Station 1, Town Hall" (unit RV-N-01) is missing: it was deleted, or its hidden column J cleared`,
			sheets: 2,
		},
		{
			name: "added sheet",
			edit: func(f *excelize.File) {
				_, err := f.NewSheet("Notes")
				must(t, err)
			},
			want:   `f.xlsx:Notes: warning: not a checklist sheet of this workbook (no unit code in its hidden column J): ignored`,
			sheets: 3,
		},
		{
			name: "end mark deleted",
			edit: func(f *excelize.File) {
				rows, _ := f.GetRows(sh)
				for i, r := range rows {
					if len(r) > 9 && r[9] == endMark {
						must(t, f.SetCellStr(sh, cell(colKey, i+1), ""))
					}
				}
			},
			want:   `f.xlsx:North district: warning: the row after the last task (marked #end in hidden column J) was deleted`,
			sheets: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wb := readBook(t, m, "f.xlsx", edit(t, blank, tt.edit))
			if got := problemLines(wb.Problems); got != tt.want {
				t.Errorf("problems:\n%s\nwant:\n%s", got, tt.want)
			}
			if len(wb.Sheets) != tt.sheets {
				t.Errorf("%d sheets read, want %d", len(wb.Sheets), tt.sheets)
			}
			for _, s := range wb.Sheets {
				for _, r := range s.Rows {
					if want := s.Unit == "RV-N" && r.Key == tt.key; r.Rejected != want {
						t.Errorf("%s %s rejected = %v, want %v", s.Unit, r.Key, r.Rejected, want)
					}
				}
			}
		})
	}
}

// inLanguage returns a copy of m whose site is in language lang (the
// labels stay as they are).
func inLanguage(m *plan.Model, lang string) *plan.Model {
	c := *m
	site := *m.Site
	site.Language = lang
	c.Site = &site
	return &c
}

// TestDatesFollowLanguage: a workbook shows its dates as the site's
// language writes them, hints at that format, and reads a typed date in
// it; a date cell means one day in both.
func TestDatesFollowLanguage(t *testing.T) {
	en := starterModel(t, nil)
	tests := []struct {
		m                 *plan.Model
		numFmt, dueTime   string // date cells, and deadlines with a time
		electionDay, hint string
		typed             string // "9/3/2027" read as this, or this problem
	}{
		{inLanguage(en, "vi"), "dd/mm/yyyy", "dd/mm/yyyy hh:mm", "06/06/2027", "dd/mm/yyyy, 2025-2029", "2027-03-09"},
		{en, "[$-409]d mmm yyyy", "[$-409]d mmm yyyy hh:mm", "6 Jun 2027", "d Mmm yyyy (9 Mar 2026) or yyyy-mm-dd (2026-03-09), 2025-2029",
			`f.xlsx:North district!G8: ambiguous date "9/3/2027": 9 Mar 2027 or 3 Sep 2027? type the month as a word, or the day as yyyy-mm-dd`},
	}
	for _, tt := range tests {
		t.Run(tt.m.Site.Language, func(t *testing.T) {
			m := tt.m
			data := unitBook(t, m, "RV-N")
			f := open(t, data)
			sh := m.Unit("RV-N").Name
			numFmt := func(ref string) string {
				id, err := f.GetCellStyle(sh, ref)
				must(t, err)
				st, err := f.GetStyle(id)
				must(t, err)
				if st.CustomNumFmt == nil {
					return ""
				}
				return *st.CustomNumFmt
			}
			formats := map[string]bool{}
			for _, e := range m.Unit("RV-N").Checklist.Entries {
				r := rowOf(t, f, sh, e.Task.Key())
				if e.Due != nil {
					want := tt.numFmt
					if e.Due.HasTime {
						want = tt.dueTime
					}
					if got := numFmt(cell(colDueDate, r)); got != want {
						t.Errorf("L%d number format %q, want %q", r, got, want)
					}
					formats[want] = true
				}
				if got := numFmt(cell(colDate, r)); got != tt.numFmt {
					t.Errorf("G%d number format %q, want %q", r, got, tt.numFmt)
				}
			}
			if !formats[tt.numFmt] {
				t.Errorf("no deadline without a time on the sheet: the test checks nothing")
			}
			a4, err := f.GetCellValue(sh, "A4")
			must(t, err)
			if !strings.Contains(a4, ": "+tt.electionDay+" ") {
				t.Errorf("A4 = %q, want the election day as %s", a4, tt.electionDay)
			}
			dvs, err := f.GetDataValidations(sh)
			must(t, err)
			hint := ""
			for _, dv := range dvs {
				if strings.HasPrefix(dv.Sqref, colDate) && dv.Error != nil {
					hint = *dv.Error
				}
			}
			if hint != tt.hint {
				t.Errorf("date validation message %q, want %q", hint, tt.hint)
			}
			f.Close()

			key := "preparation/train-teams"
			typed := edit(t, data, func(f *excelize.File) {
				must(t, f.SetCellStr(sh, cell(colDate, rowOf(t, f, sh, key)), "9/3/2027"))
			})
			got := ""
			wb := readBook(t, m, "f.xlsx", typed)
			if r := findRow(wb, "RV-N", key); r != nil && r.Date != nil {
				got = r.Date.String()
			}
			if p := problemLines(wb.Problems); p != "" {
				got = p
			}
			if got != tt.typed {
				t.Errorf("typed 9/3/2027: read as %q, want %q", got, tt.typed)
			}
			// A date cell holds a serial number: one day whatever the language.
			cellDate := edit(t, data, func(f *excelize.File) {
				must(t, f.SetCellInt(sh, cell(colDate, rowOf(t, f, sh, key)), 46455)) // 2027-03-09: 46455 days after 1899-12-30
			})
			wb = readBook(t, m, "f.xlsx", cellDate)
			if r := findRow(wb, "RV-N", key); r == nil || r.Date == nil || r.Date.String() != "2027-03-09" || len(wb.Problems) > 0 {
				t.Errorf("date cell 46455 read as %+v, problems %q; want 2027-03-09", r, problemLines(wb.Problems))
			}
		})
	}
}

// findRow returns the row with key on the sheet of unit.
func findRow(wb *Workbook, unit, key string) *Row {
	for _, s := range wb.Sheets {
		for _, r := range s.Rows {
			if s.Unit == unit && r.Key == key {
				return r
			}
		}
	}
	return nil
}
