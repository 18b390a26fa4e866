package xlsx

import (
	"bytes"
	"checkgen/internal/cputime"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xuri/excelize/v2"

	"checkgen/generator/fixture"
	"checkgen/generator/output"
	"checkgen/generator/plan"
	"checkgen/generator/starter"
)

// assembled writes unit u's workbook with a fresh assembler.
func assembled(t testing.TB, m *plan.Model, u *plan.Unit, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := newAssembler(m, opts).writeUnit(&buf, u); err != nil {
		t.Fatalf("assembling %s: %v", u.Code, err)
	}
	return buf.Bytes()
}

// fullRender writes unit u's workbook with excelize.
func fullRender(t testing.TB, m *plan.Model, u *plan.Unit, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteUnit(&buf, m, u, opts); err != nil {
		t.Fatalf("WriteUnit(%s): %v", u.Code, err)
	}
	return buf.Bytes()
}

// TestAssembledEqualsFullRender: for every unit of the example site,
// with and without a password, the assembled workbook reads back with
// excelize exactly as the full render does: sheets, cells (values,
// types, formulas, styles), rows, columns, merges, validations,
// highlighting, protection, print setup, defined names and document
// properties. TestGrownAssembledEqualsFullRender (make e2e: it takes
// minutes) does the same for a site of 2,000 units.
func TestAssembledEqualsFullRender(t *testing.T) {
	m := exampleModel(t)
	t.Run("no password", func(t *testing.T) { sameSite(t, m, Options{Date: buildDate}) })
	t.Run("password", func(t *testing.T) { sameSite(t, m, Options{Date: buildDate, Password: "mật khẩu & <1>"}) })
}

// sameSite compares the assembled workbook of every unit of m with its
// full render.
func sameSite(t *testing.T, m *plan.Model, opts Options) {
	a := newAssembler(m, opts)
	withChildren := 0
	for i, u := range m.Units {
		if !fixture.Sampled(i, len(m.Units)) {
			continue
		}
		var buf bytes.Buffer
		if err := a.writeUnit(&buf, u); err != nil {
			t.Fatalf("assembling %s: %v", u.Code, err)
		}
		if len(u.Children) > 0 {
			withChildren++
		}
		sameBook(t, u.Code, fullRender(t, m, u, opts), buf.Bytes())
		if t.Failed() {
			return // one unit's differences are enough to read
		}
	}
	if withChildren == 0 || withChildren == len(m.Units) {
		t.Errorf("%d of %d units have children: the site does not test both kinds", withChildren, len(m.Units))
	}
	t.Logf("%d units from %d templates", len(m.Units), len(a.templates))
}

// sameBook compares two workbooks as excelize reads them.
func sameBook(t *testing.T, code string, want, got []byte) {
	t.Helper()
	fw, fg := open(t, want), open(t, got)
	same := func(what string, w, g any) {
		t.Helper()
		if !reflect.DeepEqual(w, g) {
			t.Errorf("%s: %s:\n got %+v\nwant %+v", code, what, g, w)
		}
	}
	both := func(what string, get func(f *excelize.File) (any, error)) {
		t.Helper()
		w, err := get(fw)
		must(t, err)
		g, err := get(fg)
		must(t, err)
		same(what, w, g)
	}
	sheets := fw.GetSheetList()
	same("sheets", sheets, fg.GetSheetList())
	if t.Failed() {
		return
	}
	both("defined names", func(f *excelize.File) (any, error) { return f.GetDefinedName(), nil })
	both("document properties", func(f *excelize.File) (any, error) { return f.GetDocProps() })
	both("application properties", func(f *excelize.File) (any, error) { return f.GetAppProps() })
	both("workbook properties", func(f *excelize.File) (any, error) { return f.GetWorkbookProps() })
	both("default font", func(f *excelize.File) (any, error) { return f.GetDefaultFont() })
	both("active sheet", func(f *excelize.File) (any, error) { return f.GetActiveSheetIndex(), nil })
	same("workbook protection", workbookProtection(t, want), workbookProtection(t, got))
	for _, sh := range sheets {
		sheet := func(what string, get func(f *excelize.File) (any, error)) {
			t.Helper()
			both(sh+": "+what, get)
		}
		sheet("visible", func(f *excelize.File) (any, error) { return f.GetSheetVisible(sh) })
		sheet("protection", func(f *excelize.File) (any, error) { return f.GetSheetProtection(sh) })
		sheet("page layout", func(f *excelize.File) (any, error) { return f.GetPageLayout(sh) })
		sheet("page margins", func(f *excelize.File) (any, error) { return f.GetPageMargins(sh) })
		sheet("header and footer", func(f *excelize.File) (any, error) { return f.GetHeaderFooter(sh) })
		sheet("sheet properties", func(f *excelize.File) (any, error) { return f.GetSheetProps(sh) })
		sheet("panes", func(f *excelize.File) (any, error) { return f.GetPanes(sh) })
		sheet("view", func(f *excelize.File) (any, error) { return f.GetSheetView(sh, 0) })
		sheet("dimension", func(f *excelize.File) (any, error) { return f.GetSheetDimension(sh) })
		sheet("merged cells", func(f *excelize.File) (any, error) { return mergeRefs(f, sh) })
		sheet("data validations", func(f *excelize.File) (any, error) { return f.GetDataValidations(sh) })
		sheet("conditional formats", func(f *excelize.File) (any, error) { return f.GetConditionalFormats(sh) })
		if t.Failed() {
			return
		}
		rows, err := fw.GetRows(sh) // how far to look; sameCells compares the values
		must(t, err)
		sameCells(t, code, sh, len(rows), fw, fg)
	}
}

// sameCells compares every cell, row and column of sheet sh, well past
// the last one used: value, type (a shared and an inline string are both
// text), formula, style (its number and what it says), heights, widths,
// hidden columns.
func sameCells(t *testing.T, code, sh string, rows int, fw, fg *excelize.File) {
	t.Helper()
	rw, rg := &cellReader{fw, map[int]string{}}, &cellReader{fg, map[int]string{}}
	const lastCol = 13 // M: one past the hidden columns
	for r := 1; r <= rows+2; r++ {
		hw, err := fw.GetRowHeight(sh, r)
		must(t, err)
		hg, err := fg.GetRowHeight(sh, r)
		must(t, err)
		if hw != hg {
			t.Errorf("%s: %s row %d: height %v, want %v", code, sh, r, hg, hw)
		}
		for c := 1; c <= lastCol; c++ {
			ref, _ := excelize.CoordinatesToCellName(c, r)
			w, err := rw.cell(sh, ref)
			must(t, err)
			g, err := rg.cell(sh, ref)
			must(t, err)
			if w != g {
				t.Errorf("%s: %s!%s:\n got %+v\nwant %+v", code, sh, ref, g, w)
			}
		}
	}
	for c := 1; c <= lastCol; c++ {
		col, _ := excelize.ColumnNumberToName(c)
		ww, err := fw.GetColWidth(sh, col)
		must(t, err)
		wg, err := fg.GetColWidth(sh, col)
		must(t, err)
		vw, err := fw.GetColVisible(sh, col)
		must(t, err)
		vg, err := fg.GetColVisible(sh, col)
		must(t, err)
		if ww != wg || vw != vg {
			t.Errorf("%s: %s column %s: width %v visible %v, want %v %v", code, sh, col, wg, vg, ww, vw)
		}
	}
}

// cellView is what a reader sees of a cell.
type cellView struct {
	value, formula, kind, style string
	styleID                     int
}

// cellReader reads cells of one workbook, each style described once.
type cellReader struct {
	f      *excelize.File
	styles map[int]string
}

func (r *cellReader) cell(sh, ref string) (cellView, error) {
	var v cellView
	var err error
	if v.value, err = r.f.GetCellValue(sh, ref, excelize.Options{RawCellValue: true}); err != nil {
		return v, err
	}
	if v.formula, err = r.f.GetCellFormula(sh, ref); err != nil {
		return v, err
	}
	kind, err := r.f.GetCellType(sh, ref)
	if err != nil {
		return v, err
	}
	if kind == excelize.CellTypeInlineString {
		kind = excelize.CellTypeSharedString
	}
	v.kind = fmt.Sprint(kind)
	if v.styleID, err = r.f.GetCellStyle(sh, ref); err != nil {
		return v, err
	}
	v.style, err = r.style(v.styleID)
	return v, err
}

// style says what style id is, pointers followed.
func (r *cellReader) style(id int) (string, error) {
	if s, ok := r.styles[id]; ok {
		return s, nil
	}
	style, err := r.f.GetStyle(id)
	if err != nil {
		return "", err
	}
	js, err := json.Marshal(style)
	r.styles[id] = string(js)
	return string(js), err
}

func mergeRefs(f *excelize.File, sh string) ([]string, error) {
	ms, err := f.GetMergeCells(sh, true)
	var refs []string
	for _, m := range ms {
		refs = append(refs, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	return refs, err
}

var workbookProtectionXML = regexp.MustCompile(`<workbookProtection[^>]*>`)

// workbookProtection returns the workbook's protection element
// (excelize has no getter for it).
func workbookProtection(t *testing.T, data []byte) string {
	return workbookProtectionXML.FindString(zipPart(t, data, "xl/workbook.xml"))
}

// BenchmarkWorkbooks writes every unit's workbook of a site into memory,
// as Render does (in parallel, one worker per processor): full renders
// by excelize against workbooks assembled from templates (made afresh in
// every iteration, as in a build).
func BenchmarkWorkbooks(b *testing.B) {
	sites := []struct {
		name string
		m    *plan.Model
	}{{"example", exampleModel(b)}}
	grown, err := plan.Open(fixture.Grow(b, fixture.Example(b), 2000))
	if err != nil {
		b.Fatal(err)
	}
	sites = append(sites, struct {
		name string
		m    *plan.Model
	}{"grown-2000", grown})
	opts := Options{Date: buildDate}
	for _, site := range sites {
		m := site.m
		// "assembled" makes the templates in every iteration, as a build
		// does; "assembled-warm" keeps them, as a site of 96,000 units
		// from some 40 templates nearly does.
		warm := newAssembler(m, opts)
		for _, way := range []string{"full", "assembled", "assembled-warm"} {
			b.Run(site.name+"/"+way, func(b *testing.B) {
				var size atomic.Int64
				cpu0 := cputime.Used()
				for b.Loop() {
					a := warm
					if way != "assembled-warm" {
						a = newAssembler(m, opts)
					}
					size.Store(0)
					err := output.Parallel(len(m.Units), 0, func(i int) error {
						w := &countingWriter{}
						defer func() { size.Add(w.n) }()
						if way == "full" {
							return WriteUnit(w, m, m.Units[i], opts)
						}
						return a.writeUnit(w, m.Units[i])
					}, nil)
					if err != nil {
						b.Fatal(err)
					}
				}
				books := float64(len(m.Units) * b.N)
				b.ReportMetric(books/b.Elapsed().Seconds(), "workbooks/s")
				// The machine may be shared: the processor time a workbook
				// takes says what two idle cores would do.
				b.ReportMetric(float64((cputime.Used()-cpu0).Microseconds())/books, "cpu-µs/workbook")
				b.ReportMetric(float64(size.Load())/float64(len(m.Units)), "bytes/workbook")
			})
		}
	}
}

// countingWriter counts and drops what is written.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// TestPiecesJoin: pieces deflated apart (per workbook, stored, once per
// template) join into one entry that archive/zip inflates, CRC checked,
// to their concatenation.
func TestPiecesJoin(t *testing.T) {
	text := func(n int) []byte {
		var b bytes.Buffer
		for i := 0; b.Len() < n; i++ {
			fmt.Fprintf(&b, "<row r=\"%d\"><c>Ủy ban %d</c></row>", i, i*i%97)
		}
		return b.Bytes()[:n]
	}
	cases := [][]piece{
		{deflatePiece(text(5000))},
		{storedPiece(nil)},
		{deflateOnce(text(30000)), deflatePiece(text(10)), storedPiece(text(300)), deflateOnce(text(0)), deflatePiece(text(2000))},
		{deflatePiece(text(storeBelow - 1)), deflatePiece(text(storeBelow)), deflateOnce(text(70000))},
	}
	for i, pieces := range cases {
		var want []byte
		for _, p := range pieces {
			want = append(want, p.raw...)
		}
		var buf bytes.Buffer
		must(t, writeEntries(&buf, []entry{{"a.xml", pieces}}))
		if got := zipPart(t, buf.Bytes(), "a.xml"); got != string(want) {
			t.Errorf("case %d: inflates to %d bytes, want the %d bytes of its pieces", i, len(got), len(want))
		}
	}
}

// TestAssembledReproducible: a unit's workbook has the same bytes
// whatever order the templates were made in and however many workers
// Render runs.
func TestAssembledReproducible(t *testing.T) {
	m := exampleModel(t)
	forward, backward := newAssembler(m, Options{Date: buildDate}), newAssembler(m, Options{Date: buildDate})
	var units []*plan.Unit
	for i, u := range m.Units {
		if fixture.Sampled(i, len(m.Units)) {
			units = append(units, u)
		}
	}
	books := map[string][]byte{}
	for _, u := range units {
		var buf bytes.Buffer
		must(t, forward.writeUnit(&buf, u))
		books[u.Code] = buf.Bytes()
	}
	for i := len(units) - 1; i >= 0; i-- {
		u := units[i]
		var buf bytes.Buffer
		must(t, backward.writeUnit(&buf, u))
		if !bytes.Equal(buf.Bytes(), books[u.Code]) {
			t.Errorf("%s: the bytes depend on the order templates were made in", u.Code)
		}
	}
	for _, workers := range []int{1, 3} {
		dir := t.TempDir()
		out, err := output.Stage(filepath.Join(dir, "public"))
		must(t, err)
		must(t, Render(m, out, Options{Units: units, Date: buildDate, Workers: workers}))
		for _, u := range units {
			got, err := os.ReadFile(filepath.Join(out.Root(), "xlsx/units/"+u.Code+".xlsx"))
			must(t, err)
			if !bytes.Equal(got, books[u.Code]) {
				t.Errorf("Render with %d workers: %s differs", workers, u.Code)
			}
		}
		out.Abort()
	}
}

// TestAssembledRoundTrip fills the assembled workbook of a commune and of
// a polling area as a user would (excelize) and reads them back (Read):
// every answer and every task hash comes back as written, and as from the
// full render filled the same way.
func TestAssembledRoundTrip(t *testing.T) {
	m := exampleModel(t)
	var commune, area *plan.Unit
	for _, u := range m.Units {
		if commune == nil && len(u.Children) > 1 && len(u.Children[0].Children) == 0 {
			commune = u
		}
		if area == nil && len(u.Children) == 0 && u.Checklist != nil && len(u.Checklist.Entries) > 0 {
			area = u
		}
	}
	if commune == nil || area == nil {
		t.Fatal("the example has no commune with polling areas, or no polling area")
	}
	labels := []string{m.Label("done"), m.Label("not_done"), m.Label("not_applicable"), ""}
	statuses := []Status{Done, NotDone, NotApplicable, Blank}
	opts := Options{Date: buildDate}
	for _, u := range []*plan.Unit{commune, area} {
		units := append([]*plan.Unit{u}, u.Children...)
		fill := func(data []byte) []byte {
			return edit(t, data, func(f *excelize.File) {
				for i := range units {
					sh := f.GetSheetList()[i]
					for j, row := 0, firstRow; row < firstRow+len(wantKeys(units[i].Checklist)); j, row = j+1, row+1 {
						must(t, f.SetCellStr(sh, cell(colStatus, row), labels[(i+j)%len(labels)]))
						must(t, f.SetCellStr(sh, cell(colNotes, row), fmt.Sprintf("ghi chú %d/%d", i, j)))
					}
				}
			})
		}
		got := readBook(t, m, u.Code+".xlsx", fill(assembled(t, m, u, opts)))
		want := readBook(t, m, u.Code+".xlsx", fill(fullRender(t, m, u, opts)))
		if len(got.Problems) > 0 {
			t.Fatalf("%s: problems:\n%s", u.Code, problemLines(got.Problems))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the assembled workbook reads back\n%+v\nthe full render\n%+v", u.Code, got, want)
		}
		if len(got.Sheets) != len(units) {
			t.Fatalf("%s: %d sheets, want %d", u.Code, len(got.Sheets), len(units))
		}
		for i, s := range got.Sheets {
			x := units[i]
			hashes := map[string]string{}
			for _, e := range x.Checklist.Entries {
				hashes[e.Task.Key()] = TaskHash(x.Checklist, e)
			}
			if s.Unit != x.Code || s.Version != x.Checklist.Version || len(s.Rows) != len(wantKeys(x.Checklist)) {
				t.Errorf("%s sheet %d: unit %s version %s %d rows, want %s %s %d", u.Code, i, s.Unit, s.Version, len(s.Rows), x.Code, x.Checklist.Version, len(wantKeys(x.Checklist)))
				continue
			}
			for j, r := range s.Rows {
				wantHash := ""
				if r.Item == 0 {
					wantHash = hashes[r.Key]
				}
				if r.Key != wantKeys(x.Checklist)[j] || r.Status != statuses[(i+j)%len(statuses)] || r.Notes != fmt.Sprintf("ghi chú %d/%d", i, j) || r.Hash != wantHash {
					t.Errorf("%s %s row %d: key %s status %v notes %q hash %q; want %s %v %q",
						u.Code, x.Code, j, r.Key, r.Status, r.Notes, r.Hash, wantKeys(x.Checklist)[j], statuses[(i+j)%len(statuses)], wantHash)
				}
			}
		}
	}
}

// TestAssembledOddNames: units named with text a spreadsheet or XML could
// take for something else, names that clash once made sheet names, and
// a long one: the assembled workbooks still read back as the full
// renders.
func TestAssembledOddNames(t *testing.T) {
	units, err := fs.ReadFile(starter.FS(), "content/units.toml")
	must(t, err)
	names := []string{"=2+2", " leading and trailing ", `a & <b> 'q' "d"`, "tab\there\nnewline", "ctrl\x01char", "_x0041_",
		"O'Brien's", "History", "A/B", "A-B", "A:B", strings.Repeat("Phường Nguyễn Thị Minh Khai ", 12), "[x]*?"}
	extra := string(units)
	for i, n := range names {
		extra += fmt.Sprintf("\n[[unit]]\ncode = \"RV-N-%02d\"\nparent = \"RV-N\"\nname = %s\nlevel = \"station\"\n", 10+i, tomlString(n))
	}
	m := starterModel(t, map[string]string{"content/units.toml": extra})
	sameSite(t, m, Options{Date: buildDate, Password: "x"})
}

// tomlString quotes s for TOML, control characters escaped.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteRune('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// TestAssembledReadsAsFullRender: every unit's workbook of the example,
// blank as written (inline strings, no other program has saved it),
// reads back (Read) as its full render does.
func TestAssembledReadsAsFullRender(t *testing.T) {
	m := exampleModel(t)
	opts := Options{Date: buildDate}
	a := newAssembler(m, opts)
	for i, u := range m.Units {
		if !fixture.Sampled(i, len(m.Units)) {
			continue
		}
		var buf bytes.Buffer
		must(t, a.writeUnit(&buf, u))
		got := readBook(t, m, u.Code+".xlsx", buf.Bytes())
		want := readBook(t, m, u.Code+".xlsx", fullRender(t, m, u, opts))
		if len(got.Problems) > 0 || len(got.Sheets) != 1+len(u.Children) {
			t.Errorf("%s: %d sheets, problems:\n%s", u.Code, len(got.Sheets), problemLines(got.Problems))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the assembled workbook reads back\n%+v\nthe full render\n%+v", u.Code, got, want)
		}
	}
}

// TestEscapedAsEncodingXML: the assembler escapes text as encoding/xml
// (and so excelize) does.
func TestEscapedAsEncodingXML(t *testing.T) {
	for _, s := range []string{
		"", "Khu vực bỏ phiếu số 12", "a<b", "Tom & Jerry", `"x"`, "it's", "a>b", "tab\there", "line\nbreak", "cr\r",
		"\x01", "\x7f", "\uFFFD", "\uFFFE", "x\uFFFFy", "\xff", "bad \xe1\xbb UTF-8", "😀 emoji", "\U0010FFFF",
	} {
		var want bytes.Buffer
		xml.EscapeText(&want, []byte(s))
		var x xmlBuf
		x.escaped(s)
		if x.String() != want.String() {
			t.Errorf("escaped(%q) = %q, want %q as encoding/xml writes it", s, x.String(), want.String())
		}
	}
}

func FuzzEscaped(f *testing.F) {
	f.Add("Khu vực bỏ phiếu số 12 & <x>")
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		xml.EscapeText(&want, []byte(s))
		var x xmlBuf
		x.escaped(s)
		if x.String() != want.String() {
			t.Fatalf("escaped(%q) = %q, want %q", s, x.String(), want.String())
		}
	})
}
