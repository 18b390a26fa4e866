//go:build e2e

package xlsx

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"checkgen/generator/fixture"
	"checkgen/generator/plan"
)

// toCSV converts every sheet of a workbook to CSV with LibreOffice, which
// computes the formulas on load, and returns the rows of each sheet.
func toCSV(t *testing.T, path string) map[string][][]string {
	t.Helper()
	dir := t.TempDir()
	fixture.Soffice(t, t.TempDir(), "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", dir, path)
	base := strings.TrimSuffix(filepath.Base(path), ".xlsx")
	sheets := map[string][][]string{}
	files, _ := filepath.Glob(filepath.Join(dir, base+"-*.csv"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		must(t, err)
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		must(t, err)
		sheets[strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), base+"-"), ".csv")] = rows
	}
	if len(sheets) == 0 {
		t.Fatalf("LibreOffice wrote no CSV for %s", path)
	}
	return sheets
}

// TestLibreOfficeSummary fills a commune workbook of the example site,
// rendered whole and assembled, lets LibreOffice compute it, and checks
// every number of the summary against counts made here.
func TestLibreOfficeSummary(t *testing.T) {
	m := exampleModel(t)
	var u *plan.Unit
	for _, x := range m.Units {
		if len(x.Children) > 1 && len(x.Children[0].Children) == 0 {
			u = x
			break
		}
	}
	if u == nil {
		t.Fatal("no commune with polling areas in the example")
	}
	opts := Options{Date: buildDate}
	t.Run("full", func(t *testing.T) { libreOfficeSummary(t, m, u, fullRender(t, m, u, opts)) })
	t.Run("assembled", func(t *testing.T) { libreOfficeSummary(t, m, u, assembled(t, m, u, opts)) })
}

func libreOfficeSummary(t *testing.T, m *plan.Model, u *plan.Unit, book []byte) {
	buf := bytes.NewBuffer(book)
	labels := []string{m.Label("done"), m.Label("not_done"), m.Label("not_applicable"), ""}
	today := plan.DateOf(time.Now())
	type counts struct{ tasks, done, notDone, na, overdue int }
	want := map[string]*counts{}
	units := append([]*plan.Unit{u}, u.Children...)
	data := edit(t, buf.Bytes(), func(f *excelize.File) {
		for i, x := range units {
			sh := f.GetSheetList()[i]
			c := &counts{}
			want[x.Code] = c
			row := firstRow
			for j, e := range x.Checklist.Entries {
				status := labels[(i+j)%len(labels)]
				must(t, f.SetCellStr(sh, cell(colStatus, row), status))
				c.tasks++
				switch status {
				case labels[0]:
					c.done++
				case labels[1]:
					c.notDone++
				case labels[2]:
					c.na++
				}
				if e.Due != nil && e.Due.Date.Before(today) && status != labels[0] && status != labels[2] {
					c.overdue++
				}
				row++
				for range e.Task.Items {
					must(t, f.SetCellStr(sh, cell(colStatus, row), labels[0])) // items are not tasks
					row++
				}
			}
		}
	})
	path := filepath.Join(t.TempDir(), "commune.xlsx")
	must(t, os.WriteFile(path, data, 0o644))
	sheets := toCSV(t, path)
	rows := sheets[m.Label("summary")]
	if rows == nil {
		t.Fatalf("no summary sheet among %v", keys(sheets))
	}
	var total counts
	for i, x := range units {
		r := rows[5+i]
		c := want[x.Code]
		total.tasks += c.tasks
		total.done += c.done
		total.notDone += c.notDone
		total.na += c.na
		total.overdue += c.overdue
		checkRow(t, x.Code, r, x.Code, c.tasks, c.done, c.notDone, c.na, c.overdue)
	}
	checkRow(t, "total", rows[5+len(units)], "", total.tasks, total.done, total.notDone, total.na, total.overdue)
}

// checkRow compares a summary row: code, tasks, done, not done, n/a,
// blank, completion, overdue.
func checkRow(t *testing.T, name string, r []string, code string, tasks, done, notDone, na, overdue int) {
	t.Helper()
	if len(r) < 9 {
		t.Fatalf("%s: short summary row %q", name, r)
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
		if err != nil {
			t.Errorf("%s: %q is not a number (row %q)", name, s, r)
		}
		return v
	}
	got := []float64{num(r[2]), num(r[3]), num(r[4]), num(r[5]), num(r[6]), num(r[8])}
	wantN := []float64{float64(tasks), float64(done), float64(notDone), float64(na), float64(tasks - done - notDone - na), float64(overdue)}
	for i := range got {
		if got[i] != wantN[i] {
			t.Errorf("%s: summary %q, want tasks/done/not done/n.a./blank/overdue %v", name, r, wantN)
			break
		}
	}
	if code != "" && r[1] != code {
		t.Errorf("%s: code %q", name, r[1])
	}
	if share := float64(done) / float64(tasks-na); tasks > na {
		got := num(r[7])
		if strings.HasSuffix(r[7], "%") {
			got /= 100
		}
		if got < share-0.0001 || got > share+0.0001 {
			t.Errorf("%s: completion %v, want %v", name, got, share)
		}
	}
}

func keys(m map[string][][]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestLibreOfficeOpensEveryKind converts a level's blank form and a unit's
// workbook to PDF: LibreOffice opens them, prints A4 landscape pages.
func TestLibreOfficeOpensEveryKind(t *testing.T) {
	m := exampleModel(t)
	dir := t.TempDir()
	var lvl bytes.Buffer
	must(t, WriteLevel(&lvl, m, m.Levels[len(m.Levels)-1], Options{Date: buildDate}))
	opts := Options{Date: buildDate, Password: "pw"}
	for name, b := range map[string][]byte{
		"level.xlsx":     lvl.Bytes(),
		"unit.xlsx":      fullRender(t, m, m.Roots[0], opts),
		"assembled.xlsx": assembled(t, m, m.Roots[0], opts),
	} {
		must(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
		fixture.Soffice(t, t.TempDir(), "--convert-to", "pdf", "--outdir", dir, filepath.Join(dir, name))
		pdf, err := os.ReadFile(filepath.Join(dir, strings.TrimSuffix(name, ".xlsx")+".pdf"))
		must(t, err)
		// A4 landscape: 841.89 x 595.28 points.
		if !bytes.Contains(pdf, []byte("/MediaBox[0 0 841.889763779528 595.303937007874]")) && !bytes.Contains(pdf, []byte("/MediaBox [0 0 841.89")) {
			t.Errorf("%s: the PDF has no A4 landscape page", name)
		}
	}
}

// TestGrownAssembledEqualsFullRender is TestAssembledEqualsFullRender for
// every unit of the example grown to 2,000 units: communes of 25 polling
// areas, one unit in 50 voting early (another checklist version).
func TestGrownAssembledEqualsFullRender(t *testing.T) {
	m, err := plan.Open(fixture.Grow(t, fixture.Example(t), 2000))
	must(t, err)
	sameSite(t, m, Options{Date: buildDate})
}

// TestLibreOfficeComputesAssembled gives LibreOffice an assembled
// commune workbook as written (no other program has saved it): it reads
// the inline strings of every sheet and computes the summary of the
// blank checklists.
func TestLibreOfficeComputesAssembled(t *testing.T) {
	m := exampleModel(t)
	var u *plan.Unit
	for _, x := range m.Units {
		if len(x.Children) > 1 && len(x.Children[0].Children) == 0 {
			u = x
			break
		}
	}
	if u == nil {
		t.Fatal("no commune with polling areas in the example")
	}
	path := filepath.Join(t.TempDir(), "commune.xlsx")
	must(t, os.WriteFile(path, assembled(t, m, u, Options{Date: buildDate}), 0o644))
	sheets := toCSV(t, path)
	rows := sheets[m.Label("summary")]
	if rows == nil {
		t.Fatalf("no summary sheet among %v", keys(sheets))
	}
	today := plan.DateOf(time.Now())
	units := append([]*plan.Unit{u}, u.Children...)
	var tasks, overdue int
	for i, x := range units {
		n, late := len(x.Checklist.Entries), 0
		for _, e := range x.Checklist.Entries {
			if e.Due != nil && e.Due.Date.Before(today) {
				late++
			}
		}
		tasks, overdue = tasks+n, overdue+late
		checkRow(t, x.Code, rows[5+i], x.Code, n, 0, 0, 0, late)
		if got := rows[5+i][0]; got != x.Name {
			t.Errorf("summary row %d names %q, want %q", 6+i, got, x.Name)
		}
	}
	checkRow(t, "total", rows[5+len(units)], "", tasks, 0, 0, 0, overdue)
	first := sheets[SheetName(u.Name)]
	if len(first) < firstRow || !strings.HasPrefix(first[2][0], m.Label("checklist_title")+": "+u.Name) {
		t.Fatalf("the commune's sheet starts %q, want its title", first[:min(len(first), 3)])
	}
	if first[firstRow-1][1] != u.Checklist.Entries[0].Task.Title+" ("+sources(u.Checklist.Entries[0])+")" {
		t.Errorf("the first task reads %q, want %q", first[firstRow-1][1], u.Checklist.Entries[0].Task.Title)
	}
}
