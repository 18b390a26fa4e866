package report

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/xuri/excelize/v2"

	"checkgen/generator/fixture"
	"checkgen/generator/output"
	"checkgen/generator/plan"
	"checkgen/generator/xlsx"
)

// thousandAreas is the example site with polling areas added under its
// communes until there are 1,000 of them.
func thousandAreas(b *testing.B) *plan.Model {
	b.Helper()
	fsys := fixture.Example(b)
	m, err := plan.Open(fsys)
	if err != nil {
		b.Fatal(err)
	}
	var communes []*plan.Unit
	areas := 0
	for _, u := range m.Units {
		switch u.Level {
		case "commune":
			communes = append(communes, u)
		case "polling":
			areas++
		}
	}
	csv := fsys["content/units.csv"]
	if csv == nil {
		csv = &fstest.MapFile{Data: []byte("code,parent,level,name,tags,election_day\n")}
	}
	var extra strings.Builder
	for i := 0; areas < 1000; i++ {
		c := communes[i%len(communes)]
		fmt.Fprintf(&extra, "%s-B%04d,%s,polling,Khu vực bỏ phiếu bổ sung %d,,\n", c.Code, i, c.Code, i)
		areas++
	}
	fsys["content/units.csv"] = &fstest.MapFile{Data: append(append([]byte{}, csv.Data...), extra.String()...)}
	m, err = plan.Open(fsys)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkReport1000 reads 1,000 filled polling-area workbooks of the
// example site, builds the report and writes it.
func BenchmarkReport1000(b *testing.B) {
	m := thousandAreas(b)
	dir := b.TempDir()
	labels := []string{m.Label("done"), m.Label("not_done"), m.Label("not_applicable"), ""}
	var files []string
	for _, u := range m.Units {
		if u.Level != "polling" {
			continue
		}
		var buf bytes.Buffer
		if err := xlsx.WriteUnit(&buf, m, u, xlsx.Options{}); err != nil {
			b.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			b.Fatal(err)
		}
		sh := f.GetSheetList()[0]
		rows, _ := f.GetRows(sh)
		n := len(files)
		for i, r := range rows {
			if len(r) < 10 || !strings.Contains(r[9], "/") {
				continue
			}
			row := i + 1
			status := labels[(n+i)%len(labels)]
			if n%10 == 0 && i == 7 {
				status = "xong" // one problem in every tenth workbook
			}
			f.SetCellStr(sh, fmt.Sprint("F", row), status)
			if status == labels[0] && !strings.Contains(r[9], "#") {
				f.SetCellInt(sh, fmt.Sprint("G", row), 44330)
				f.SetCellStr(sh, fmt.Sprint("H", row), "Nguyễn Văn A")
			}
		}
		name := filepath.Join(dir, u.Code+".xlsx")
		if err := f.SaveAs(name); err != nil {
			b.Fatal(err)
		}
		f.Close()
		files = append(files, name)
	}
	labelMap := map[string]string{"done": labels[0], "not_done": labels[1], "not_applicable": labels[2]}
	var r *Report
	for b.Loop() {
		books, problems := ReadFiles(files, xlsx.ReadOptions{Labels: labelMap})
		r = Build(m, books, problems, Options{AsOf: plan.Date{Year: 2021, Month: 5, Day: 20}})
		out, err := output.Stage(filepath.Join(b.TempDir(), "report"))
		if err != nil {
			b.Fatal(err)
		}
		if err := Render(r, out); err != nil {
			b.Fatal(err)
		}
		out.Abort()
	}
	if _, _, returned := r.Totals(); returned != 1000 || r.Errors() != 100 {
		_, _, ret := r.Totals()
		b.Fatalf("report: %d units returned, %d errors; want 1000 and 100", ret, r.Errors())
	}
	b.ReportMetric(float64(len(files)), "workbooks")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/report")
}
