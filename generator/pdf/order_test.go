package pdf

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"checkgen/generator/fixture"
	"checkgen/generator/output"
	"checkgen/generator/plan"
	"checkgen/generator/site"
	"checkgen/generator/xlsx"
)

// htmlRow matches a task row of a checklist table on a unit's page: its
// anchor "<plan>.<task>" and its number.
var htmlRow = regexp.MustCompile(`<tr id="([^"]+)" class="task">\s*<td class="c-check">[^\n]*\n<td class="c-no">(\d+)</td>`)

// TestOneOrder checks, for every unit of the example site, that its web
// page, its PDF and its workbook show the same rows in the same order
// with the same numbers: the checklist's.
func TestOneOrder(t *testing.T) {
	if testing.Short() {
		t.Skip("renders the whole example site")
	}
	m, err := plan.Open(fixture.Example(t))
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	out, err := output.Stage(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Abort()
	if err := site.Render(m, out, site.Options{Units: m.Units}); err != nil {
		t.Fatal(err)
	}
	units := sampled(m.Units)
	if err := Render(m, out, Options{Units: units}); err != nil {
		t.Fatal(err)
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	taskX := colX(colTask) + cellPad
	noX := colX(colNo)
	checked := 0
	for _, u := range units {
		if u.Checklist == nil {
			continue
		}
		// What every format must show: numbers 1..n, the checklist's keys.
		var want []string
		titles := map[string]string{} // as the PDF prints them, with their sources
		for _, e := range u.Checklist.Entries {
			want = append(want, e.Task.Key())
			src := e.Task.Plan.Number
			if e.Also != nil && e.Also.Plan != e.Task.Plan {
				src += "; " + e.Also.Plan.Number
			}
			titles[e.Task.Key()] = squeeze(e.Task.Title + " (" + src + ")")
		}

		// The web page.
		page, err := os.ReadFile(filepath.Join(dest, "units", u.Code, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i, mm := range htmlRow.FindAllSubmatch(page, -1) {
			if string(mm[2]) != strconv.Itoa(i+1) {
				t.Errorf("unit %s page: row %d numbered %s", u.Code, i+1, mm[2])
			}
			got = append(got, strings.Replace(string(mm[1]), ".", "/", 1))
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("unit %s page rows:\n%v\nwant\n%v", u.Code, got, want)
		}

		// The workbook: the unit's own sheet, task rows by their keys.
		var buf bytes.Buffer
		if err := xlsx.WriteUnit(&buf, m, u, xlsx.Options{}); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetList()[0], excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, r := range rows {
			if len(r) < 10 || r[0] == "" || strings.Contains(r[9], "#") {
				continue // title rows, items, marks
			}
			if _, err := strconv.Atoi(r[0]); err != nil {
				continue
			}
			if r[0] != strconv.Itoa(len(got)+1) {
				t.Errorf("unit %s workbook: row %d numbered %s", u.Code, len(got)+1, r[0])
			}
			got = append(got, html.UnescapeString(r[9]))
		}
		f.Close()
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("unit %s workbook rows:\n%v\nwant\n%v", u.Code, got, want)
		}

		// The PDF: in each row, the number in the first column and, at
		// the same height, the first line of the task's title.
		b, err := os.ReadFile(filepath.Join(dest, "pdf", "units", u.Code+".pdf"))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, pg := range placedTexts(t, b) {
			for _, p := range pg {
				if p.x < noX || p.x >= noX+colW[colNo] || p.size != tableSize {
					continue
				}
				if _, err := strconv.Atoi(p.text); err != nil {
					continue // the header's "STT"
				}
				n++
				if p.text != strconv.Itoa(n) {
					t.Errorf("unit %s PDF: row %d numbered %s", u.Code, n, p.text)
				}
				first := ""
				for _, q := range pg {
					if q.y == p.y && q.x >= taskX-0.01 && q.x < taskX+1 {
						first = q.text
					}
				}
				if n > len(want) {
					break
				}
				if title := titles[want[n-1]]; first == "" || !strings.HasPrefix(title, squeeze(first)) {
					t.Errorf("unit %s PDF: row %d begins %q, want the title of %s, %q", u.Code, n, first, want[n-1], title)
				}
			}
		}
		if n != len(want) {
			t.Errorf("unit %s PDF: %d rows, want %d", u.Code, n, len(want))
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no unit has a checklist: the test checks nothing")
	}
}
