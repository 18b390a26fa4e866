package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"checkgen/generator/output"
	"checkgen/generator/plan"
	"checkgen/generator/starter"
)

func open(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("opening a written workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// zipPart returns one part of a workbook's zip.
func zipPart(t testing.TB, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	must(t, err)
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			must(t, err)
			b, err := io.ReadAll(rc)
			must(t, err)
			return string(b)
		}
	}
	t.Fatalf("no part %s", name)
	return ""
}

// TestLayout reads a written workbook back with excelize and checks what
// a user and a printer see.
func TestLayout(t *testing.T) {
	m := starterModel(t, nil)
	data := unitBook(t, m, "RV-N-02")
	f := open(t, data)
	u := m.Unit("RV-N-02")
	sh := u.Name
	if got, want := strings.Join(f.GetSheetList(), "|"), sh+"|Summary|_meta"; got != want {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	get := func(sheet, ref string) string {
		t.Helper()
		v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		must(t, err)
		return v
	}
	// Title rows.
	for ref, want := range map[string]string{
		"A1": strings.Join(u.Head.Left, "\n"),
		"D1": strings.Join(u.Head.Right, "\n"),
		"D2": m.Site.HeadDateLine(u.Head),
		"A3": "CHECKLIST: " + u.Name + "\nReadiness of Station 2, Harbour Island, North district", // units.toml: RV-N [unit.form] subject = "Readiness of {name}, North district"
		"A4": "Unit: Station 2, Harbour Island   ·   Code: RV-N-02   ·   Level: Polling station   ·   Election day: 5 Jun 2027   ·   Checklist version: " + u.Checklist.Version,
		"J1": "RV-N-02",
		"J2": u.Checklist.Version,
		"J6": headMark,
		"B6": "Task",
		"F6": "Status",
	} {
		if got := get(sh, ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	// Rows: the task keys and titles, items indented with their own status.
	row := firstRow
	for i, e := range u.Checklist.Entries {
		if got := get(sh, cell(colKey, row)); got != e.Task.Key() {
			t.Fatalf("J%d = %q, want %q", row, got, e.Task.Key())
		}
		if got := get(sh, cell(colNo, row)); got != strconv.Itoa(i+1) {
			t.Errorf("A%d = %q, want %d", row, got, i+1)
		}
		if got, want := get(sh, cell(colTask, row)), e.Task.Title+" (1/PLAN-MEC)"; got != want {
			t.Errorf("B%d = %q, want %q", row, got, want)
		}
		due := get(sh, cell(colDue, row))
		switch {
		case e.Due == nil && due != "Standing duty":
			t.Errorf("E%d = %q, want the standing label", row, due)
		case e.Due != nil:
			// As the site's pages write the day, then the days from the
			// election day; the window's start first.
			want := m.Site.FormatDate(e.Due.Date)
			if e.Due.HasTime {
				want += " " + e.Due.Clock()
			}
			want += "\n(" + e.Due.Relative() + ")"
			if e.Start != nil {
				want = m.Site.FormatDate(e.Start.Date) + " –\n" + strings.Replace(want, "(", "("+e.Start.Relative()+" – ", 1)
			}
			if e.Limit != nil {
				want += "\nStatutory limit: " + m.Site.FormatDate(e.Limit.Date)
				if e.Limit.HasTime {
					want += " " + e.Limit.Clock()
				}
			}
			if due != want {
				t.Errorf("E%d = %q, want %q", row, due, want)
			}
			// The day itself, as a date, in hidden column L.
			v, err := f.GetCellValue(sh, cell(colDueDate, row))
			must(t, err)
			wantK := m.Site.FormatDate(e.Due.Date)
			if e.Due.HasTime {
				wantK += " " + e.Due.Clock()
			}
			if v != wantK {
				t.Errorf("L%d shows %q, want %q", row, v, wantK)
			}
		}
		h, err := f.GetRowHeight(sh, row)
		must(t, err)
		if min := rowHeight(lines(e.Task.Title, columns[1].width)); h < min {
			t.Errorf("row %d height %v, want at least %v", row, h, min)
		}
		assertLocked(t, f, sh, row, map[string]bool{"A": true, "B": true, "C": true, "D": true, "E": true, "F": false, "G": false, "H": false, "I": false})
		row++
		for j, it := range e.Task.Items {
			if got := get(sh, cell(colKey, row)); got != ItemKey(e.Task.Key(), j+1) {
				t.Errorf("J%d = %q, want the item key", row, got)
			}
			if got := get(sh, cell(colTask, row)); got != it {
				t.Errorf("B%d = %q, want %q", row, got, it)
			}
			st, err := f.GetCellStyle(sh, cell(colTask, row))
			must(t, err)
			style, err := f.GetStyle(st)
			must(t, err)
			if style.Alignment == nil || style.Alignment.Indent == 0 {
				t.Errorf("item row %d is not indented", row)
			}
			assertLocked(t, f, sh, row, map[string]bool{"B": true, "F": false, "G": true, "H": true, "I": false})
			row++
		}
	}
	if got := get(sh, cell(colKey, row)); got != endMark {
		t.Errorf("J%d = %q, want %q", row, got, endMark)
	}
	// Hidden key column, frozen header, print setup.
	if vis, err := f.GetColVisible(sh, colKey); err != nil || vis {
		t.Errorf("column J visible = %v (%v), want hidden", vis, err)
	}
	if vis, err := f.GetColVisible(sh, colDueDate); err != nil || vis {
		t.Errorf("column L visible = %v (%v), want hidden", vis, err)
	}
	panes, err := f.GetPanes(sh)
	must(t, err)
	if !panes.Freeze || panes.YSplit != headRow {
		t.Errorf("panes %+v, want frozen at row %d", panes, headRow)
	}
	pl, err := f.GetPageLayout(sh)
	must(t, err)
	if pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("page layout %+v, want A4 landscape, one page wide", pl)
	}
	hf, err := f.GetHeaderFooter(sh)
	must(t, err)
	if hf == nil || !strings.Contains(hf.OddFooter, "Page &P of &N") || !strings.HasPrefix(hf.OddFooter, "&L&8 RV-N-02 · ") {
		t.Errorf("footer %+v, want page X of Y", hf)
	}
	titles := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sh && dn.RefersTo == "'"+sh+"'!$6:$6" {
			titles = true
		}
	}
	if !titles {
		t.Errorf("no print titles $6:$6 (the column headers; the head prints once) for %q in %+v", sh, f.GetDefinedName())
	}
	// Validation: the status list in the site's words, a date range.
	dvs, err := f.GetDataValidations(sh)
	must(t, err)
	var kinds []string
	for _, dv := range dvs {
		kinds = append(kinds, dv.Type+" "+dv.Sqref+" "+dv.Formula1)
	}
	if got, want := strings.Join(kinds, "\n"), "list F7:F14 \"Done,Not done,Not applicable\"\ndate G7:G8 G13:G14 45658"; !strings.HasPrefix(got, want) {
		t.Errorf("validations:\n%s\nwant:\n%s...", got, want)
	}
	cfs, err := f.GetConditionalFormats(sh)
	must(t, err)
	if cf := cfs["A7:I14"]; len(cf) != 1 || !strings.Contains(cf[0].Criteria, "TODAY()") {
		t.Errorf("conditional formats %+v, want the overdue rule on A7:I14", cfs)
	}
	// Protection, hidden metadata, reproducible dates.
	sheetXML := zipPart(t, data, "xl/worksheets/sheet1.xml")
	if !strings.Contains(sheetXML, `<sheetProtection`) || strings.Contains(sheetXML, `password=`) || strings.Contains(sheetXML, "saltValue") {
		t.Errorf("sheet protection missing or with a password: %s", sheetXML[strings.Index(sheetXML, "<sheetProtection"):][:200])
	}
	wbXML := zipPart(t, data, "xl/workbook.xml")
	if !strings.Contains(wbXML, `lockStructure="true"`) && !strings.Contains(wbXML, `lockStructure="1"`) {
		t.Errorf("workbook structure not locked: %s", wbXML)
	}
	if !regexp.MustCompile(`<sheet name="_meta"[^>]* state="veryHidden"`).MatchString(wbXML) {
		t.Errorf("_meta not very hidden: %s", wbXML)
	}
	if core := zipPart(t, data, "docProps/core.xml"); !strings.Contains(core, "2027-03-01T00:00:00Z") {
		t.Errorf("core properties without the build date: %s", core)
	}
	// The summary's formulas.
	for ref, want := range map[string]string{
		"C6": "COUNT('Station 2, Harbour Island'!$A$7:$A$15)",
		"D6": `COUNTIFS('Station 2, Harbour Island'!$F$7:$F$15,"=Done",'Station 2, Harbour Island'!$A$7:$A$15,"<>")`,
		"H7": `IF(C7-F7>0,D7/(C7-F7),"")`,
	} {
		got, err := f.GetCellFormula("Summary", ref)
		must(t, err)
		if got != want {
			t.Errorf("Summary!%s = %s, want %s", ref, got, want)
		}
	}
}

// assertLocked checks which cells of a row are locked.
func assertLocked(t *testing.T, f *excelize.File, sheet string, row int, want map[string]bool) {
	t.Helper()
	for col, locked := range want {
		id, err := f.GetCellStyle(sheet, cell(col, row))
		must(t, err)
		st, err := f.GetStyle(id)
		must(t, err)
		got := st.Protection == nil || st.Protection.Locked
		if got != locked {
			t.Errorf("%s%d locked = %v, want %v", col, row, got, locked)
		}
	}
}

// TestSummaryFormulas fills a workbook and lets excelize's own engine
// compute the summary (LibreOffice does it too, in the e2e test).
func TestSummaryFormulas(t *testing.T) {
	m := starterModel(t, nil)
	data := edit(t, unitBook(t, m, "RV-N"), func(f *excelize.File) {
		sh := m.Unit("RV-N").Name
		st := m.Unit("RV-N-02").Name
		must(t, f.SetCellStr(sh, "F7", "Done"))
		must(t, f.SetCellStr(sh, "F8", "Not applicable"))
		must(t, f.SetCellStr(st, "F7", "Not done"))
		must(t, f.SetCellStr(st, "F8", "Done"))
		must(t, f.SetCellStr(st, "F9", "Done")) // an item: not counted as a task
	})
	f := open(t, data)
	want := map[string]string{
		"C6": "3", "D6": "1", "E6": "0", "F6": "1", "G6": "1", "H6": "0.5",
		"C7": "3", "D7": "0", "E7": "0", "F7": "0", "G7": "3", "H7": "0",
		"C8": "4", "D8": "1", "E8": "1", "F8": "0", "G8": "2", "H8": "0.25",
		"C9": "10", "D9": "2", "E9": "1", "F9": "1", "G9": "6",
	}
	for ref, w := range want {
		got, err := f.CalcCellValue("Summary", ref, excelize.Options{RawCellValue: true})
		if err != nil || got != w {
			t.Errorf("Summary!%s = %q (%v), want %s", ref, got, err, w)
		}
	}
}

// TestTextStaysText: titles and names that look like formulas are stored
// as text, never as formulas.
func TestTextStaysText(t *testing.T) {
	units, err := fs.ReadFile(starter.FS(), "content/units.toml")
	must(t, err)
	titles := []string{`=1+1`, `+SUM(1,2)`, `-2+3`, `@SUM(1)`, `=HYPERLINK("http://example.org","x")`, "\t=1"}
	plan := "number = \"2/X\"\ntitle = \"=cmd|' /C calc'!A0\"\n"
	for i, s := range titles {
		plan += "[[task]]\nid = \"t" + string(rune('a'+i)) + "\"\ntitle = " + quoteTOML(s) + "\nlevels = [\"station\"]\nresponsible = \"station-team\"\nitems = [" + quoteTOML(s) + "]\n"
	}
	m := starterModel(t, map[string]string{
		"content/plans/inject.toml": plan,
		"content/units.toml":        string(units) + "\n[[unit]]\ncode = \"RV-N-03\"\nparent = \"RV-N\"\nname = \"=2+2\"\nlevel = \"station\"\n",
	})
	data := unitBook(t, m, "RV-N-03")
	f := open(t, data)
	sh := f.GetSheetList()[0]
	if sh != "=2+2" {
		t.Errorf("sheet name %q, want the unit's name", sh)
	}
	rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
	must(t, err)
	found := map[string]int{}
	for i, r := range rows {
		for j, v := range r {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if fx, _ := f.GetCellFormula(sh, ref); fx != "" {
				t.Errorf("%s!%s holds the formula %q", sh, ref, fx)
			}
			found[strings.TrimSuffix(v, " (2/X)")]++ // a task's title cites its plan
		}
	}
	for _, s := range titles {
		if found[s] != 2 { // the task and its item
			t.Errorf("%q found %d times as a cell's text, want 2", s, found[s])
		}
	}
}

func quoteTOML(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\t", `\t`).Replace(s) + `"`
}

func TestLevelWorkbook(t *testing.T) {
	m := starterModel(t, nil)
	l := m.Level("station")
	var buf bytes.Buffer
	must(t, WriteLevel(&buf, m, l, Options{Date: buildDate}))
	wb := readBook(t, m, "station.xlsx", buf.Bytes())
	if wb.Kind != KindLevel || wb.Code != "station" || len(wb.Sheets) != 1 || len(wb.Problems) != 0 {
		t.Fatalf("Read = kind %q code %q, %d sheets, problems %v", wb.Kind, wb.Code, len(wb.Sheets), problemLines(wb.Problems))
	}
	s := wb.Sheets[0]
	if s.Unit != "" || s.Level != "station" || s.Version != l.Checklist.Version || s.Name != l.Name {
		t.Errorf("sheet = %+v", s)
	}
	var keys []string
	for _, r := range s.Rows {
		keys = append(keys, r.Key)
	}
	if strings.Join(keys, " ") != strings.Join(wantKeys(l.Checklist), " ") {
		t.Errorf("keys %v, want %v", keys, wantKeys(l.Checklist))
	}
}

// TestReproducible: same input, same bytes, across workbooks written in
// parallel by Render.
func TestReproducible(t *testing.T) {
	m := starterModel(t, nil)
	render := func() map[string][]byte {
		dest := filepath.Join(t.TempDir(), "public")
		out, err := output.Stage(dest)
		must(t, err)
		defer out.Abort()
		must(t, Render(m, out, Options{Units: m.Units, Date: buildDate}))
		files := map[string][]byte{}
		for _, rel := range out.Files() {
			b, err := os.ReadFile(filepath.Join(out.Root(), rel))
			must(t, err)
			files[rel] = b
		}
		return files
	}
	a, b := render(), render()
	want := []string{"xlsx/levels/city.xlsx", "xlsx/levels/district.xlsx", "xlsx/levels/station.xlsx",
		"xlsx/units/RV-N-01.xlsx", "xlsx/units/RV-N-02.xlsx", "xlsx/units/RV-N.xlsx", "xlsx/units/RV.xlsx"}
	var got []string
	for rel := range a {
		got = append(got, rel)
	}
	sort.Strings(got)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Render wrote %v, want %v", got, want)
	}
	for rel, x := range a {
		if !bytes.Equal(x, b[rel]) {
			t.Errorf("%s differs between two builds", rel)
		}
	}
}

func TestSheetName(t *testing.T) {
	emoji, extB := "😀", "𠀀" // outside the BMP: two UTF-16 units each
	tests := []struct{ in, want string }{
		{"Khu vực bỏ phiếu số 3", "Khu vực bỏ phiếu số 3"},
		{"a/b\\c?d*e[f]g:h", "a-b-c-d-e-f-g-h"},
		{"'quoted'", "quoted"},
		{" ' x ' ", "x"},
		{"Ủy ban nhân dân phường Hàng Bài, quận Hoàn Kiếm", "Ủy ban nhân dân phường Hàng Bài"},
		{"   ", ""},
		{"a\tb\nc", "a b c"},
		{"a\xffb", "a\uFFFDb"},
		{strings.Repeat(emoji, 16), strings.Repeat(emoji, 15)},             // 32 units cut to 30
		{"a" + strings.Repeat(emoji, 16), "a" + strings.Repeat(emoji, 15)}, // 31
		{"ab" + strings.Repeat(extB, 15), "ab" + strings.Repeat(extB, 14)}, // 30: a 15th would make 32
		{strings.Repeat("a", 29) + " 'bb", strings.Repeat("a", 29)},        // the cut leaves an apostrophe at the end
	}
	for _, tt := range tests {
		if got := SheetName(tt.in); got != tt.want {
			t.Errorf("SheetName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUniqueSheetName(t *testing.T) {
	emoji := "😀"
	taken := map[string]bool{"summary": true}
	tests := []struct{ want, alt, got string }{
		{"Station 1", "S1", "Station 1"},
		{"station 1", "S2", "S2"}, // taken, without case
		{"Summary", "S3", "S3"},   // reserved
		{"Station 1", "S2", "S2 (2)"},
		{"", "", "(2)"},
		{"History", "H", "H"}, // Excel's own
		{strings.Repeat(emoji, 20), strings.Repeat(emoji, 20), strings.Repeat(emoji, 15)},
		// 15 emoji and " (2)" are 34 units: the name loses emoji until they fit.
		{strings.Repeat(emoji, 20), strings.Repeat(emoji, 20), strings.Repeat(emoji, 13) + " (2)"},
		{strings.Repeat(emoji, 20), strings.Repeat(emoji, 20), strings.Repeat(emoji, 13) + " (3)"},
	}
	for _, tt := range tests {
		if got := UniqueSheetName(taken, tt.want, tt.alt); got != tt.got {
			t.Errorf("UniqueSheetName(%q, %q) = %q, want %q", tt.want, tt.alt, got, tt.got)
		}
	}
}

// excelSheetName says why Excel would refuse a sheet's name ("" if it
// would not): Excel's rules, counted here independently of SheetName.
func excelSheetName(name string) string {
	switch {
	case name == "":
		return "empty"
	case len(utf16.Encode([]rune(name))) > 31:
		return "longer than 31 UTF-16 units"
	case strings.ContainsAny(name, `[]:*?/\`):
		return "holds one of []:*?/\\"
	case strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'"):
		return "starts or ends with an apostrophe"
	case strings.EqualFold(name, "History"):
		return "reserved"
	}
	return ""
}

// TestSheetNamesExcelAccepts: units named with astral characters and
// characters Excel forbids get sheet names Excel accepts, distinct, that
// excelize reads back and Read matches with _meta.
func TestSheetNamesExcelAccepts(t *testing.T) {
	m := starterModel(t, nil)
	long := strings.Repeat("😀", 12) + "[Tổ]" + strings.Repeat("𠀀", 12) // 52 units
	u := m.Unit("RV-N")
	u.Name = long
	u.Children[0].Name = long // the same cut name: numbered
	u.Children[1].Name = "'" + strings.Repeat("𠀀", 20) + ":/'"
	data := unitBook(t, m, "RV-N")
	f := open(t, data)
	defer f.Close()
	seen := map[string]bool{}
	for _, name := range f.GetSheetList() {
		if why := excelSheetName(name); why != "" {
			t.Errorf("sheet name %q: %s", name, why)
		}
		if seen[strings.ToLower(name)] {
			t.Errorf("sheet name %q twice", name)
		}
		seen[strings.ToLower(name)] = true
	}
	if len(seen) != 5 {
		t.Errorf("sheets %q, want 3 checklists, the summary and _meta", f.GetSheetList())
	}
	wb := readBook(t, m, "f.xlsx", data)
	if len(wb.Sheets) != 3 || len(wb.Problems) != 0 {
		t.Errorf("Read: %d sheets, problems %s; want 3 and none", len(wb.Sheets), problemLines(wb.Problems))
	}
}

func TestLines(t *testing.T) {
	tests := []struct {
		text  string
		width float64
		want  int
	}{
		{"", 50, 1},
		{"short", 50, 1},
		{strings.Repeat("word ", 20), 50, 2}, // 99 characters, 50 to a line
		{"a\nb\nc", 50, 3},
		{strings.Repeat("x", 100), 10, 10},
		{"Thường trực Hội đồng nhân dân; Ủy ban Mặt trận Tổ quốc Việt Nam", 18, 4}, // LibreOffice: 3
	}
	for _, tt := range tests {
		if got := lines(tt.text, tt.width); got != tt.want {
			t.Errorf("lines(%q, %v) = %d, want %d", tt.text, tt.width, got, tt.want)
		}
	}
}

// TestRenderIncremental: with keys, an unchanged unit's workbook is reused
// from the previous build, and a unit whose key (or a child's) changed is
// written again.
func TestRenderIncremental(t *testing.T) {
	m := starterModel(t, nil)
	dest := filepath.Join(t.TempDir(), "public")
	keys := map[string]string{}
	for _, u := range m.Units {
		keys[u.Code] = "1"
	}
	opts := Options{Units: m.Units, Date: buildDate, Key: func(u *plan.Unit) string { return keys[u.Code] }}
	out, err := output.Open(dest)
	must(t, err)
	must(t, Render(m, out, opts))
	must(t, out.Commit())

	// Rename RV-N-02: its workbook and its parent's (which has a sheet
	// for it) change; the others are reused. (Files whose key changed but
	// whose bytes did not are kept too, so the change must be real.)
	codes := map[string]bool{"RV": true, "RV-N": false, "RV-N-01": true, "RV-N-02": false}
	before := map[string]os.FileInfo{}
	for code := range codes {
		st, err := os.Stat(filepath.Join(dest, "xlsx", "units", code+".xlsx"))
		must(t, err)
		before[code] = st
	}
	m.Unit("RV-N-02").Name = "Station 2, renamed"
	keys["RV-N-02"] = "2"
	out, err = output.Open(dest)
	must(t, err)
	defer out.Abort()
	must(t, Render(m, out, opts))
	must(t, out.Commit())
	// A reused file is the same file as before; a written one replaced it.
	for code, wantReused := range codes {
		st, err := os.Stat(filepath.Join(dest, "xlsx", "units", code+".xlsx"))
		must(t, err)
		if reused := os.SameFile(before[code], st) && st.ModTime().Equal(before[code].ModTime()); reused != wantReused {
			t.Errorf("%s reused = %v, want %v", code, reused, wantReused)
		}
	}
}

// TestLabelWithComma: a status label with a comma cannot go in a typed
// drop list; the list then refers to the labels' cells in _meta, and the
// reader still knows the label.
func TestLabelWithComma(t *testing.T) {
	site, err := fs.ReadFile(starter.FS(), "content/site.toml")
	must(t, err)
	m := starterModel(t, map[string]string{"content/site.toml": string(site) + "\n[labels]\ndone = \"Done, checked\"\n"})
	data := unitBook(t, m, "RV-N-01")
	f := open(t, data)
	dvs, err := f.GetDataValidations(f.GetSheetList()[0])
	must(t, err)
	if len(dvs) == 0 || dvs[0].Formula1 != "'_meta'!$B$8:$D$8" {
		t.Fatalf("validations %+v, want the list from _meta", dvs)
	}
	for ref, want := range map[string]string{"B8": "Done, checked", "C8": "Not done", "D8": "Not applicable"} {
		if got, _ := f.GetCellValue(MetaSheet, ref); got != want {
			t.Errorf("_meta!%s = %q, want %q", ref, got, want)
		}
	}
	data = edit(t, data, func(f *excelize.File) {
		must(t, f.SetCellStr(f.GetSheetList()[0], "F7", "Done, checked"))
	})
	wb := readBook(t, m, "c.xlsx", data)
	if len(wb.Problems) > 0 || wb.Sheets[0].Rows[0].Status != Done {
		t.Errorf("read %v, problems %s; want Done", wb.Sheets[0].Rows[0].Status, problemLines(wb.Problems))
	}
}
