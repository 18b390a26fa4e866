package report

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// render writes the report into a fresh directory and returns its files.
func render(t *testing.T, r *Report) map[string][]byte {
	t.Helper()
	out, err := output.Stage(filepath.Join(t.TempDir(), "report"))
	must(t, err)
	defer out.Abort()
	must(t, Render(r, out))
	files := map[string][]byte{}
	for _, rel := range out.Files() {
		b, err := os.ReadFile(filepath.Join(out.Root(), rel))
		must(t, err)
		files[rel] = b
	}
	return files
}

func TestRender(t *testing.T) {
	m := starterModel(t, nil)
	r := build(t, m, roundTrip(t, m))
	files := render(t, r)
	var names []string
	for n := range files {
		names = append(names, n)
	}
	want := map[string]bool{"index.html": true, "levels/city/index.html": true, "levels/district/index.html": true, "levels/station/index.html": true, "report.xlsx": true, "report.json": true}
	if len(files) != len(want) {
		t.Errorf("files %v, want %v", names, want)
	}
	for n := range want {
		if files[n] == nil {
			t.Errorf("no %s", n)
		}
	}
	index := string(files["index.html"])
	for _, s := range []string{
		`<html lang="en">`,
		"As of: 4 Jun 2027",
		`<a href="levels/station/index.html">Polling station</a>`,
		`<li>filled/RV-N-02.xlsx:Station 2, Harbour Island!G7: date done 10 Jun 2027 is in the future (the report is as of 4 Jun 2027)</li>`,
		`unknown status &#34;xong&#34;`,
		"<li><strong>–</strong> (1): RV Riverton</li>",
		`<a class="skip" href="#main">Skip to the content</a>`,
		`<main id="main">`,
		`<a href="../index.html">Home: Municipal election 2027</a>`,
		`<svg class="chart" role="img"`,
	} {
		if !strings.Contains(index, s) {
			t.Errorf("index.html lacks %q", s)
		}
	}
	station := string(files["levels/station/index.html"])
	for _, s := range []string{
		`<a href="../../index.html">Completion report</a>`,
		"<td>RV-N-02</td><td>Station 2, Harbour Island</td><td>Book the boat that brings the ballots back</td><td>2 Jun 2027 (E-3)</td><td>Rejected</td>",
		`<td class="n">4</td><td class="n">1</td><td class="n">0</td><td class="n">0</td><td class="n">2</td><td class="n">1</td><td class="n">0</td><td class="n">25%</td>`,
		`<a href="../../../index.html">Home: Municipal election 2027</a>`,
		`<main id="main">`,
	} {
		if !strings.Contains(station, s) {
			t.Errorf("levels/station/index.html lacks %q", s)
		}
	}
	// Nothing leaves the machine: no external references.
	ext := regexp.MustCompile(`(?i)(src|href)="(https?:)?//`)
	for n, b := range files {
		if strings.HasSuffix(n, ".html") && ext.Match(b) {
			t.Errorf("%s refers outside: %s", n, ext.Find(b))
		}
	}
	// The workbook: the same numbers, read back.
	f, err := excelize.OpenReader(bytes.NewReader(files["report.xlsx"]))
	must(t, err)
	defer f.Close()
	if got, want := strings.Join(f.GetSheetList(), "|"), "Summary|City|District|Polling station|Tasks|Overdue|Notes|Problems|_meta"; got != want {
		t.Errorf("report.xlsx sheets %s, want %s", got, want)
	}
	rows, err := f.GetRows("Polling station")
	must(t, err)
	if got, want := strings.Join(rows[len(rows)-1], "|"), "RV-N-02|Station 2, Harbour Island|Returned||3 Jun 2027||4|1|0|0|2|1|0|25%|1|filled/RV-N-02.xlsx:Station 2, Harbour Island"; got != want {
		t.Errorf("report.xlsx station row:\n%s\nwant:\n%s", got, want)
	}
	rows, err = f.GetRows("Overdue")
	must(t, err)
	var overdue []string
	for _, r := range rows[5:] {
		overdue = append(overdue, r[1]+" "+r[3])
	}
	if got, want := strings.Join(overdue, "\n"), "RV-N Train every station team, with a counting drill\nRV-N-02 Book the boat that brings the ballots back"; got != want {
		t.Errorf("overdue sheet:\n%s\nwant:\n%s", got, want)
	}
	// Same input, same bytes.
	again := render(t, build(t, m, roundTrip(t, m)))
	for n, b := range files {
		if !bytes.Equal(b, again[n]) {
			t.Errorf("%s differs between two runs", n)
		}
	}
}

// TestRenderDatesFollowLanguage: the report's pages, problems and workbook
// write days as the site's language does.
func TestRenderDatesFollowLanguage(t *testing.T) {
	en := starterModel(t, nil)
	vi := *en
	site := *en.Site
	site.Language = "vi"
	vi.Site = &site
	tests := []struct {
		m               *plan.Model
		asOf, done, due string
	}{
		{en, "4 Jun 2027", "10 Jun 2027", "2 Jun 2027 (E-3)"},
		{&vi, "04/06/2027", "10/06/2027", "02/06/2027 (E-3)"},
	}
	for _, tt := range tests {
		t.Run(tt.m.Site.Language, func(t *testing.T) {
			files := render(t, build(t, tt.m, roundTrip(t, tt.m)))
			index, station := string(files["index.html"]), string(files["levels/station/index.html"])
			for _, s := range []string{
				"As of: " + tt.asOf,
				"date done " + tt.done + " is in the future (the report is as of " + tt.asOf + ")",
			} {
				if !strings.Contains(index, s) {
					t.Errorf("index.html lacks %q", s)
				}
			}
			if s := "<td>Book the boat that brings the ballots back</td><td>" + tt.due + "</td>"; !strings.Contains(station, s) {
				t.Errorf("levels/station/index.html lacks %q", s)
			}
			f, err := excelize.OpenReader(bytes.NewReader(files["report.xlsx"]))
			must(t, err)
			defer f.Close()
			if got, err := f.GetCellValue("Summary", "A3"); err != nil || got != "As of: "+tt.asOf {
				t.Errorf("report.xlsx Summary!A3 = %q (%v), want %q", got, err, "As of: "+tt.asOf)
			}
		})
	}
}

// TestWorkbookSheetNames: levels named with astral characters (two UTF-16
// units each) and characters Excel forbids get sheet names Excel accepts,
// counted here in UTF-16 units as Excel counts them.
func TestWorkbookSheetNames(t *testing.T) {
	m := starterModel(t, nil)
	long := strings.Repeat("😀", 20) + "[a]" // 43 units
	m.Level("city").Name = long
	m.Level("district").Name = long
	m.Level("station").Name = "'" + strings.Repeat("𠀀", 20) + ":/'"
	var buf bytes.Buffer
	must(t, WriteWorkbook(&buf, build(t, m, nil)))
	f, err := excelize.OpenReader(&buf)
	must(t, err)
	defer f.Close()
	seen := map[string]bool{}
	for _, name := range f.GetSheetList() {
		n := len(utf16.Encode([]rune(name)))
		if name == "" || n > 31 || strings.ContainsAny(name, `[]:*?/\`) || strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'") {
			t.Errorf("sheet name %q (%d UTF-16 units): Excel refuses it", name, n)
		}
		if seen[strings.ToLower(name)] {
			t.Errorf("sheet name %q twice", name)
		}
		seen[strings.ToLower(name)] = true
	}
	if len(seen) != 9 {
		t.Errorf("sheets %q, want 9", f.GetSheetList())
	}
}
