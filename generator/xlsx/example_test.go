package xlsx

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// exampleModel opens the example site at the repository's root.
func exampleModel(t testing.TB) *plan.Model {
	t.Helper()
	m, err := plan.Open(os.DirFS(filepath.Join("..", "..")))
	if err != nil {
		t.Fatalf("the example site: %v", err)
	}
	return m
}

// TestExampleSite writes every workbook of the example (Vietnamese) site
// and reads each back: every unit's sheets, in the site's words, without
// a problem.
func TestExampleSite(t *testing.T) {
	m := exampleModel(t)
	out, err := output.Stage(filepath.Join(t.TempDir(), "public"))
	must(t, err)
	defer out.Abort()
	must(t, Render(m, out, Options{Units: m.Units, Date: buildDate}))
	if got, want := len(out.Files()), len(m.Units)+len(m.Levels); got != want {
		t.Errorf("Render wrote %d files, want %d", got, want)
	}
	for _, u := range m.Units {
		name := "xlsx/units/" + u.Code + ".xlsx"
		data, err := os.ReadFile(filepath.Join(out.Root(), name))
		must(t, err)
		wb := readBook(t, m, name, data)
		if len(wb.Problems) > 0 {
			t.Errorf("%s:\n%s", name, problemLines(wb.Problems))
		}
		if len(wb.Sheets) != 1+len(u.Children) {
			t.Errorf("%s: %d sheets, want %d", name, len(wb.Sheets), 1+len(u.Children))
			continue
		}
		for i, s := range wb.Sheets {
			want := u
			if i > 0 {
				want = u.Children[i-1]
			}
			if s.Unit != want.Code || s.Version != want.Checklist.Version || len(s.Rows) != len(wantKeys(want.Checklist)) {
				t.Errorf("%s sheet %q: unit %s version %s, %d rows; want %s %s %d", name, s.Name, s.Unit, s.Version, len(s.Rows), want.Code, want.Checklist.Version, len(wantKeys(want.Checklist)))
			}
		}
	}
	// The status list is in Vietnamese.
	data, err := os.ReadFile(filepath.Join(out.Root(), "xlsx/levels/polling.xlsx"))
	must(t, err)
	f := open(t, data)
	dvs, err := f.GetDataValidations(f.GetSheetList()[0])
	must(t, err)
	if len(dvs) == 0 || dvs[0].Formula1 != `"Đã xong,Chưa xong,Không áp dụng"` {
		t.Errorf("status list %+v, want the Vietnamese labels", dvs)
	}
	if v, _ := f.GetCellValue(f.GetSheetList()[0], "D2"); !strings.Contains(v, "ngày ") {
		t.Errorf("date line %q, want the Vietnamese form", v)
	}
}

// benchUnit is a commune with its polling areas: the workbook a commune
// officer hands out.
func benchUnit(b *testing.B, m *plan.Model) *plan.Unit {
	for _, u := range m.Units {
		if len(u.Children) > 0 && len(u.Children[0].Children) == 0 {
			return u
		}
	}
	b.Fatal("no unit with children")
	return nil
}

// BenchmarkWriteUnit writes a commune's workbook (its own sheet and one
// per polling area) of the example site.
func BenchmarkWriteUnit(b *testing.B) {
	m := exampleModel(b)
	u := benchUnit(b, m)
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteUnit(&buf, m, u, Options{Date: buildDate}); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "workbooks/s")
	b.ReportMetric(float64(size), "bytes/workbook")
	b.ReportMetric(float64(1+len(u.Children)), "sheets")
}

// BenchmarkRender writes every workbook of the example site, in parallel.
func BenchmarkRender(b *testing.B) {
	m := exampleModel(b)
	var files int
	var bytes int64
	for b.Loop() {
		out, err := output.Stage(filepath.Join(b.TempDir(), "public"))
		if err != nil {
			b.Fatal(err)
		}
		if err := Render(m, out, Options{Units: m.Units, Date: buildDate}); err != nil {
			b.Fatal(err)
		}
		files, bytes = 0, 0
		for _, rel := range out.Files() {
			st, err := os.Stat(filepath.Join(out.Root(), rel))
			if err != nil {
				b.Fatal(err)
			}
			files++
			bytes += st.Size()
		}
		out.Abort()
	}
	b.ReportMetric(float64(files*b.N)/b.Elapsed().Seconds(), "workbooks/s")
	b.ReportMetric(float64(bytes)/float64(files), "bytes/workbook")
}

// BenchmarkRead reads a commune's workbook back.
func BenchmarkRead(b *testing.B) {
	m := exampleModel(b)
	var buf bytes.Buffer
	if err := WriteUnit(&buf, m, benchUnit(b, m), Options{Date: buildDate}); err != nil {
		b.Fatal(err)
	}
	opts := ReadOptions{Labels: statusLabels(m)}
	for b.Loop() {
		if _, err := Read("b.xlsx", bytes.NewReader(buf.Bytes()), opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "workbooks/s")
}
