package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"checkgen/generator/internal/fixedflate"
	"checkgen/generator/plan"
)

// Rendering a workbook with excelize costs about two milliseconds a
// sheet, nearly all of it in the rows of tasks, which are the same for
// every unit with the same checklist. So Render assembles unit workbooks
// instead: for each checklist (and level) it renders one workbook with
// excelize, the template, and keeps its parts deflated; for each unit
// it deflates only what names the unit (the title rows and footer of
// each checklist sheet, the summary, _meta, the sheet names and the
// title) and joins those pieces with the template's into the zip
// entries. WriteUnit still renders the whole workbook; the tests hold
// both to the same cells, styles, validations, protection and print
// setup.
//
// Strings the assembler writes are inline (t="inlineStr") rather than
// shared: a shared string table would number the strings of every
// sheet together, so no sheet's XML could be made once.

// assembler writes unit workbooks from templates, one per checklist and
// level, made when first needed. It is safe for concurrent use.
type assembler struct {
	m    *plan.Model
	opts Options

	mu        sync.Mutex
	templates map[templateKey]*templateOnce
	plumbing  map[int]*plumbing // by number of sheets
}

// templateKey says what a checklist sheet's rows from the header on are
// made of: the checklist and the level (its signers).
type templateKey struct {
	list  *plan.Checklist
	level *plan.Level
}

type templateOnce struct {
	once sync.Once
	t    *template
	err  error
}

func newAssembler(m *plan.Model, opts Options) *assembler {
	return &assembler{m: m, opts: opts, templates: map[templateKey]*templateOnce{}, plumbing: map[int]*plumbing{}}
}

// template is a one-sheet workbook rendered by excelize, cut where the
// parts that name a unit go.
type template struct {
	st     styles
	static []entry // parts every workbook holds unchanged

	// A checklist sheet: its XML up to <sheetData> (the first sheet's is
	// selected), the title rows go between, then body from the header
	// row to the footer, whose text goes between footer[0] and [1].
	sheetHead [2]piece
	body      piece
	footer    [2]string
	end, rows int // the row marked #end; the task and item rows

	summaryHead, summaryMid piece // around the summary's rows, up to its footer
	summaryFooter           [2]string
	metaHead, metaTail      piece // around _meta's rows

	bookHead, bookTail piece // workbook.xml around <sheets>...</definedNames>
	coreHead, coreTail piece // docProps/core.xml around the title
}

// entry is a zip entry: its name and its data, deflated in pieces.
type entry struct {
	name   string
	pieces []piece
}

// template returns the template of checklist sheet s, rendering it on
// first use.
func (a *assembler) template(s *sheetSpec) (*template, error) {
	k := templateKey{s.list, s.level}
	a.mu.Lock()
	o := a.templates[k]
	if o == nil {
		o = &templateOnce{}
		a.templates[k] = o
	}
	a.mu.Unlock()
	o.once.Do(func() { o.t, o.err = a.makeTemplate(s) })
	return o.t, o.err
}

// The parts of the template workbook: excelize numbers sheets in the
// order they are made.
const (
	partChecklist = "xl/worksheets/sheet1.xml"
	partSummary   = "xl/worksheets/sheet2.xml"
	partMeta      = "xl/worksheets/sheet3.xml"
	partStrings   = "xl/sharedStrings.xml"
	partBook      = "xl/workbook.xml"
	partCore      = "docProps/core.xml"
)

// staticParts are the template's parts that every workbook holds as
// they are.
var staticParts = []string{"_rels/.rels", "docProps/app.xml", "xl/styles.xml", "xl/theme/theme1.xml"}

// makeTemplate renders checklist sheet s alone in a workbook with
// excelize and cuts it up.
func (a *assembler) makeTemplate(s *sheetSpec) (*template, error) {
	spec := &sheetSpec{unit: s.unit, level: s.level, list: s.list}
	b := newBook(a.m, a.opts, KindUnit, "")
	var buf bytes.Buffer
	if err := b.write(&buf, []*sheetSpec{spec}, a.m.Label("summary")+": "); err != nil {
		return nil, err
	}
	parts, err := unzipParts(buf.Bytes())
	if err != nil {
		return nil, err
	}
	t := &template{st: b.st, end: spec.end, rows: spec.rows}
	for _, name := range slices.Concat(staticParts, []string{partChecklist, partSummary, partMeta, partStrings, partBook, partCore}) {
		if parts[name] == nil {
			return nil, fmt.Errorf("the template workbook has no %s", name)
		}
	}
	for _, name := range staticParts {
		t.static = append(t.static, entry{name, []piece{deflateOnce(parts[name])}})
	}
	cut := &cutter{}
	if err := t.cutChecklist(cut, parts[partChecklist], sharedStrings(parts[partStrings])); err != nil {
		return nil, err
	}
	summary := parts[partSummary]
	t.summaryHead = deflateOnce(cut.upTo(summary, "<sheetData>", true))
	t.summaryMid = deflateOnce(cut.between(summary, "</sheetData>", "<headerFooter>"))
	t.summaryFooter = cut.footer(summary)
	meta := parts[partMeta]
	t.metaHead = deflateOnce(cut.upTo(meta, "<sheetData>", true))
	t.metaTail = deflateOnce(cut.from(meta, "</sheetData>"))
	book := parts[partBook]
	t.bookHead, t.bookTail = deflateOnce(cut.upTo(book, "<sheets>", false)), deflateOnce(cut.after(book, "</definedNames>"))
	core := parts[partCore]
	t.coreHead, t.coreTail = deflateOnce(cut.upTo(core, "<dc:title>", true)), deflateOnce(cut.from(core, "</dc:title>"))
	if cut.err != nil {
		return nil, fmt.Errorf("cutting the template workbook: %w", cut.err)
	}
	return t, nil
}

// cutChecklist cuts the checklist sheet: its head, the body from the
// header row with every shared string made inline, the footer.
func (t *template) cutChecklist(cut *cutter, sheet []byte, strs [][]byte) error {
	head := cut.upTo(sheet, "<sheetData>", true)
	t.sheetHead[1] = deflateOnce(head)
	t.sheetHead[0] = deflateOnce(bytes.Replace(head, []byte(` tabSelected="true"`), nil, 1))
	body := cut.between(sheet, `<row r="`+strconv.Itoa(headRow)+`"`, "<headerFooter>")
	t.footer = cut.footer(sheet)
	if cut.err != nil {
		return cut.err
	}
	body, err := inlineStrings(body, strs)
	if err != nil {
		return err
	}
	t.body = deflateOnce(body)
	return nil
}

// cutter cuts XML at marks, recording the first mark it misses.
type cutter struct{ err error }

func (c *cutter) index(data []byte, mark string) int {
	i := bytes.Index(data, []byte(mark))
	if i < 0 && c.err == nil {
		c.err = fmt.Errorf("no %q in %.80q", mark, data)
	}
	return i
}

// upTo returns data before mark, or up to its end when with is set.
func (c *cutter) upTo(data []byte, mark string, with bool) []byte {
	i := c.index(data, mark)
	if i < 0 {
		return nil
	}
	if with {
		i += len(mark)
	}
	return data[:i]
}

// from returns data from mark on; after, from mark's end.
func (c *cutter) from(data []byte, mark string) []byte {
	if i := c.index(data, mark); i >= 0 {
		return data[i:]
	}
	return nil
}

func (c *cutter) after(data []byte, mark string) []byte {
	if i := c.index(data, mark); i >= 0 {
		return data[i+len(mark):]
	}
	return nil
}

// between returns data from the start of mark a to the start of b.
func (c *cutter) between(data []byte, a, b string) []byte {
	i, j := c.index(data, a), c.index(data, b)
	if i < 0 || j < i {
		return nil
	}
	return data[i:j]
}

// footer returns the sheet's XML around its footer's text.
func (c *cutter) footer(sheet []byte) [2]string {
	i, j, k := c.index(sheet, "<headerFooter>"), c.index(sheet, "<oddFooter>"), c.index(sheet, "</oddFooter>")
	if i < 0 || j < i || k < j {
		return [2]string{}
	}
	return [2]string{string(sheet[i : j+len("<oddFooter>")]), string(sheet[k:])}
}

func unzipParts(data []byte) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		parts[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
	}
	return parts, nil
}

var (
	sharedItem = regexp.MustCompile(`(?s)<si>(.*?)</si>`)
	sharedCell = regexp.MustCompile(`<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="s"><v>([0-9]+)</v></c>`)
)

// sharedStrings returns the XML inside each <si> of a shared string
// table, as excelize writes it.
func sharedStrings(sst []byte) [][]byte {
	var out [][]byte
	for _, m := range sharedItem.FindAllSubmatch(sst, -1) {
		out = append(out, m[1])
	}
	return out
}

// inlineStrings rewrites every shared string cell of sheet XML as an
// inline string cell holding the same XML.
func inlineStrings(sheet []byte, strs [][]byte) ([]byte, error) {
	var err error
	out := sharedCell.ReplaceAllFunc(sheet, func(c []byte) []byte {
		m := sharedCell.FindSubmatch(c)
		i, _ := strconv.Atoi(string(m[3]))
		if i >= len(strs) {
			err = fmt.Errorf("cell %s: shared string %d of %d", m[1], i, len(strs))
			return c
		}
		return fmt.Appendf(nil, `<c r="%s"%s t="inlineStr"><is>%s</is></c>`, m[1], m[2], strs[i])
	})
	if err == nil && bytes.Contains(out, []byte(` t="s"`)) {
		err = fmt.Errorf("a shared string cell the template's cutter does not know: %.200q", out)
	}
	return out, err
}

// writeUnit assembles the workbook of unit u: the same sheets as
// WriteUnit's.
func (a *assembler) writeUnit(w io.Writer, u *plan.Unit) error {
	m := a.m
	specs := unitSpecs(u)
	summary := nameSheets(m, specs)
	tpls := make([]*template, len(specs))
	for i, s := range specs {
		t, err := a.template(s)
		if err != nil {
			return err
		}
		tpls[i], s.end, s.rows = t, t.end, t.rows
	}
	t0 := tpls[0]
	n := len(specs) + 2 // and the summary and _meta
	plumb := a.plumbingFor(n)
	title := m.Label("summary") + ": " + u.Name
	x := xmlBufs.Get().(*xmlBuf)
	defer x.release()

	entries := []entry{plumb.contentTypes, plumb.bookRels}
	entries = append(entries, t0.static...)
	x.escaped(bookTitle(m, title))
	entries = append(entries, entry{partCore, []piece{t0.coreHead, x.piece(), t0.coreTail}})
	entries = append(entries, entry{partBook, []piece{t0.bookHead, a.workbookXML(x, specs, summary), t0.bookTail}})
	for i, s := range specs {
		t := tpls[i]
		selected := 0
		if i == 0 {
			selected = 1
		}
		x.rows(titleRows(m, t0.st, s))
		rows := x.piece()
		x.footer(t.footer, m, footerID(s))
		entries = append(entries, entry{sheetPart(i + 1), []piece{t.sheetHead[selected], rows, t.body, x.piece()}})
	}
	x.rows(summaryRows(m, t0.st, KindUnit, title, specs))
	rows := x.piece()
	x.footer(t0.summaryFooter, m, u.Code)
	entries = append(entries, entry{sheetPart(n - 1), []piece{t0.summaryHead, rows, t0.summaryMid, x.piece()}})
	x.rows(metaSheetRows(m, a.opts, KindUnit, u.Code, summary, specs))
	entries = append(entries, entry{sheetPart(n), []piece{t0.metaHead, x.piece(), t0.metaTail}})
	return writeEntries(w, entries)
}

func sheetPart(i int) string { return "xl/worksheets/sheet" + strconv.Itoa(i) + ".xml" }

// workbookXML deflates what xl/workbook.xml says of one workbook: the
// sheets, in order, and their print titles.
func (a *assembler) workbookXML(x *xmlBuf, specs []*sheetSpec, summary string) piece {
	x.text("<sheets>")
	names := make([]string, 0, len(specs)+2)
	for _, s := range specs {
		names = append(names, s.name)
	}
	names = append(names, summary, MetaSheet)
	for i, name := range names {
		x.text(`<sheet name="`)
		x.escaped(name)
		fmt.Fprintf(x, `" sheetId="%d" r:id="rId%d"`, i+1, i+1)
		if name == MetaSheet {
			x.text(` state="veryHidden"`)
		}
		x.text("></sheet>")
	}
	x.text("</sheets><definedNames>")
	for i, name := range names[:len(names)-1] {
		titles := fmt.Sprintf("$%d:$%d", headRow, headRow)
		if i == len(specs) {
			titles = fmt.Sprintf("$1:$%d", summaryHeadRow)
		}
		fmt.Fprintf(x, `<definedName localSheetId="%d" name="_xlnm.Print_Titles">`, i)
		x.escaped(quoteSheet(name) + "!" + titles)
		x.text("</definedName>")
	}
	x.text("</definedNames>")
	return x.piece()
}

// plumbing holds the parts that depend only on the number of sheets.
type plumbing struct {
	contentTypes, bookRels entry
}

const (
	relsNS      = "http://schemas.openxmlformats.org/package/2006/relationships"
	officeRelNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	xmlHead     = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	mlType      = "application/vnd.openxmlformats-officedocument."
)

func (a *assembler) plumbingFor(n int) *plumbing {
	a.mu.Lock()
	defer a.mu.Unlock()
	if p := a.plumbing[n]; p != nil {
		return p
	}
	var ct, rels strings.Builder
	ct.WriteString(xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"></Default>` +
		`<Default Extension="xml" ContentType="application/xml"></Default>` +
		`<Override PartName="/xl/theme/theme1.xml" ContentType="` + mlType + `theme+xml"></Override>` +
		`<Override PartName="/xl/styles.xml" ContentType="` + mlType + `spreadsheetml.styles+xml"></Override>` +
		`<Override PartName="/xl/workbook.xml" ContentType="` + mlType + `spreadsheetml.sheet.main+xml"></Override>` +
		`<Override PartName="/docProps/app.xml" ContentType="` + mlType + `extended-properties+xml"></Override>` +
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"></Override>`)
	rels.WriteString(xmlHead + `<Relationships xmlns="` + relsNS + `">`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&ct, `<Override PartName="/%s" ContentType="%sspreadsheetml.worksheet+xml"></Override>`, sheetPart(i), mlType)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Target="worksheets/sheet%d.xml" Type="%sworksheet"></Relationship>`, i, i, officeRelNS)
	}
	ct.WriteString("</Types>")
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Target="styles.xml" Type="%sstyles"></Relationship>`, n+1, officeRelNS)
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Target="theme/theme1.xml" Type="%stheme"></Relationship>`, n+2, officeRelNS)
	rels.WriteString("</Relationships>")
	p := &plumbing{
		contentTypes: entry{"[Content_Types].xml", []piece{deflateOnce([]byte(ct.String()))}},
		bookRels:     entry{"xl/_rels/workbook.xml.rels", []piece{deflateOnce([]byte(rels.String()))}},
	}
	a.plumbing[n] = p
	return p
}

// xmlBuf gathers the XML of a workbook's own pieces, one after the
// other, and deflates each as it is done into a second buffer: a piece
// keeps slices of both (what append copies when a buffer grows stays
// where it was), so a workbook's pieces cost two growing buffers rather
// than two allocations each.
type xmlBuf struct {
	b     []byte // the XML gathered
	start int    // where in b the piece being gathered starts
	z     []byte // the pieces deflated
}

// xmlBufs keeps xmlBufs for the next workbooks, grown to what one takes.
var xmlBufs = sync.Pool{New: func() any { return &xmlBuf{} }}

// release puts x back in xmlBufs, emptied: the pieces made with it must
// have been written.
func (x *xmlBuf) release() {
	x.b, x.start, x.z = x.b[:0], 0, x.z[:0]
	xmlBufs.Put(x)
}

func (x *xmlBuf) Write(p []byte) (int, error) {
	x.b = append(x.b, p...)
	return len(p), nil
}

func (x *xmlBuf) text(s string) { x.b = append(x.b, s...) }

// String returns the piece being gathered.
func (x *xmlBuf) String() string { return string(x.b[x.start:]) }

// escaped writes s as XML character data, as encoding/xml (and so
// excelize) escapes it: " ' & < > tab, newline and carriage return as
// character references, and what XML cannot hold (bytes that are not
// UTF-8, U+FFFE, U+FFFF, control characters) as U+FFFD.
func (x *xmlBuf) escaped(s string) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		var esc string
		width := 1
		switch {
		case c >= utf8.RuneSelf:
			var r rune
			r, width = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && width == 1 || r == 0xfffe || r == 0xffff {
				esc = "\uFFFD"
			}
		case c == '"':
			esc = "&#34;"
		case c == '\'':
			esc = "&#39;"
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '\t':
			esc = "&#x9;"
		case c == '\n':
			esc = "&#xA;"
		case c == '\r':
			esc = "&#xD;"
		case c < ' ':
			esc = "\uFFFD"
		}
		if esc != "" {
			x.b = append(x.b, s[last:i]...)
			x.b = append(x.b, esc...)
			last = i + width
		}
		i += width
	}
	x.b = append(x.b, s[last:]...)
}

// piece deflates what was gathered since the last piece.
func (x *xmlBuf) piece() piece {
	raw := x.b[x.start:len(x.b):len(x.b)]
	x.start = len(x.b)
	at := len(x.z)
	if len(raw) < storeBelow {
		x.z = appendStored(x.z, raw)
		return piece{z: x.z[at:len(x.z):len(x.z)], raw: raw}
	}
	x.z = fixedflate.Append(x.z, raw, false)
	return piece{z: x.z[at:len(x.z):len(x.z)], raw: raw}
}

// footer writes a sheet's footer naming left, in the frame cut from the
// template.
func (x *xmlBuf) footer(frame [2]string, m *plan.Model, left string) {
	x.text(frame[0])
	x.escaped(footerFor(m, left))
	x.text(frame[1])
}

// rows writes rows as excelize writes them, with inline strings.
func (x *xmlBuf) rows(rows []xrow) {
	for _, r := range rows {
		x.text(`<row r="`)
		x.text(strconv.Itoa(r.num))
		x.text(`"`)
		if r.height > 0 {
			x.text(` ht="`)
			x.text(strconv.FormatFloat(r.height, 'f', -1, 64))
			x.text(`" customHeight="true"`)
		}
		x.text(">")
		for _, c := range r.cells {
			x.cell(c)
		}
		x.text("</row>")
	}
}

func (x *xmlBuf) cell(c xcell) {
	x.text(`<c r="`)
	x.text(c.ref)
	x.text(`"`)
	if c.style != 0 {
		x.text(` s="`)
		x.text(strconv.Itoa(c.style))
		x.text(`"`)
	}
	switch {
	case c.formula != "":
		x.text(` t="str"><f>`)
		x.escaped(c.formula)
		x.text(`</f></c>`)
	case c.blank:
		x.text(`></c>`)
	default:
		x.text(` t="inlineStr"><is><t`)
		if keepsSpace(c.text) {
			x.text(` xml:space="preserve"`)
		}
		x.text(">")
		x.escaped(c.text)
		x.text(`</t></is></c>`)
	}
}

// keepsSpace says whether text starts or ends with white space, which an
// XML reader keeps only when told to (excelize's rule).
func keepsSpace(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte{s[0], s[len(s)-1]} {
		switch c {
		case '\t', '\n', '\r', ' ':
			return true
		}
	}
	return false
}

// writeEntries writes the zip of entries: every entry deflated, with no
// time stamp (as excelize's), so the same workbook has the same bytes.
func writeEntries(w io.Writer, entries []entry) error {
	zw := zip.NewWriter(w)
	for _, e := range entries {
		if err := writeEntry(zw, e); err != nil {
			return fmt.Errorf("writing %s: %w", e.name, err)
		}
	}
	return zw.Close()
}
