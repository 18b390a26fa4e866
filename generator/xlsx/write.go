package xlsx

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// Options says what to render.
type Options struct {
	Units    []*plan.Unit // the units to write a workbook for
	Date     time.Time    // the build's fixed date: document dates and the date line
	Workers  int          // units rendered at once; one per processor when 0
	Progress func(done, total int)
	// Key returns the key of everything a unit's outputs are made from; pass
	// it to out.Cached for per-unit files so that a rebuild can reuse them.
	Key func(u *plan.Unit) string
	// Password, when set, is needed to unprotect the sheets. Without it
	// the sheets are protected without a password: protection guards
	// against slips, not against anyone.
	Password string
}

// Render writes xlsx/levels/<level>.xlsx and xlsx/units/<code>.xlsx into out.
func Render(m *plan.Model, out output.Sink, opts Options) error {
	for _, l := range m.Levels {
		err := out.Render("xlsx/levels/"+l.ID+".xlsx", func(w io.Writer) error { return WriteLevel(w, m, l, opts) })
		if err != nil {
			return fmt.Errorf("writing xlsx/levels/%s.xlsx: %w", l.ID, err)
		}
	}
	// Units in parallel, assembled from templates made once per checklist
	// (assemble.go); the first error stops the rest.
	a := newAssembler(m, opts)
	return output.Parallel(len(opts.Units), opts.Workers, func(i int) error {
		return writeUnitFile(a, out, opts.Units[i])
	}, opts.Progress)
}

// writeUnitFile writes xlsx/units/<code>.xlsx, reusing the previous
// build's file when the unit's key says nothing it shows has changed.
func writeUnitFile(a *assembler, out output.Sink, u *plan.Unit) error {
	rel := "xlsx/units/" + u.Code + ".xlsx"
	write := func(w io.Writer) error { return a.writeUnit(w, u) }
	if a.opts.Key == nil {
		if err := out.Render(rel, write); err != nil {
			return fmt.Errorf("writing %s: %w", rel, err)
		}
		return nil
	}
	_, err := out.Cached(rel, unitKey(u, a.opts), write)
	return err
}

// unitKey is the cache key of a unit's workbook: the unit's own key and
// its children's (each child has a sheet), the layout's format and the
// password.
func unitKey(u *plan.Unit, opts Options) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", Format, opts.Password, opts.Key(u))
	for _, c := range u.Children {
		fmt.Fprintf(h, "%s\x00", opts.Key(c))
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}

// WriteUnit writes the workbook of unit u: its own sheet, one sheet per
// direct child, a summary and _meta.
func WriteUnit(w io.Writer, m *plan.Model, u *plan.Unit, opts Options) error {
	b := newBook(m, opts, KindUnit, u.Code)
	return b.write(w, unitSpecs(u), m.Label("summary")+": "+u.Name)
}

// unitSpecs are the checklist sheets of unit u's workbook: its own, then
// one per direct child.
func unitSpecs(u *plan.Unit) []*sheetSpec {
	specs := []*sheetSpec{{unit: u, level: u.LevelRef, list: u.Checklist}}
	for _, c := range u.Children {
		specs = append(specs, &sheetSpec{unit: c, level: c.LevelRef, list: c.Checklist})
	}
	return specs
}

// WriteLevel writes the blank form of level l: its checklist at the
// site's election day, naming no unit.
func WriteLevel(w io.Writer, m *plan.Model, l *plan.Level, opts Options) error {
	b := newBook(m, opts, KindLevel, l.ID)
	return b.write(w, []*sheetSpec{{level: l, list: l.Checklist}}, m.Label("summary")+": "+l.Name)
}

// sheetSpec is one checklist sheet to write.
type sheetSpec struct {
	unit  *plan.Unit // nil on a level's blank form
	level *plan.Level
	list  *plan.Checklist

	name string // the sheet's name
	end  int    // the row marked #end
	rows int    // task and item rows
}

// book is a workbook being written. Its methods record the first error
// and do nothing after it, so that the layout code reads straight.
type book struct {
	f    *excelize.File
	m    *plan.Model
	opts Options
	kind string
	code string
	err  error
	st   styles
}

type styles struct {
	org, number, title, line, lineRight, head        int
	no, text, item, itemNo, due, dueDate, dueTime    int
	standing                                         int
	answer, answerDate, closed                       int
	sign, signHint                                   int
	sumHead, sumText, sumInt, sumPct, sumTotal       int
	sumTotalInt, sumTotalPct, overdue, sumTotalLabel int
}

func newBook(m *plan.Model, opts Options, kind, code string) *book {
	f := excelize.NewFile()
	f.SetZipWriter(fastZip)
	b := &book{f: f, m: m, opts: opts, kind: kind, code: code}
	b.check(f.SetDefaultFont(fontName))
	b.st = b.makeStyles()
	return b
}

// fontName is the workbook's font: Times New Roman, as official forms use
// (LibreOffice shows Liberation Serif, which has the same metrics).
const fontName = "Times New Roman"

func (b *book) check(err error) {
	if b.err == nil && err != nil {
		b.err = err
	}
}

func (b *book) style(s *excelize.Style) int {
	if b.err != nil {
		return 0
	}
	if s.Font == nil {
		s.Font = &excelize.Font{}
	}
	s.Font.Family = fontName
	if s.Font.Size == 0 {
		s.Font.Size = 11
	}
	id, err := b.f.NewStyle(s)
	b.check(err)
	return id
}

func ptr[T any](v T) *T { return &v }

func (b *book) makeStyles() styles {
	border := []excelize.Border{
		{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1},
	}
	top := func(h string, wrap bool, indent int) *excelize.Alignment {
		return &excelize.Alignment{Horizontal: h, Vertical: "top", WrapText: wrap, Indent: indent}
	}
	fill := func(color string) excelize.Fill {
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
	}
	open := &excelize.Protection{Locked: false}
	const answerFill, headFill, itemFill = "FFF8DC", "D9E1F2", "F2F2F2"
	lang := b.m.Site.Language
	var s styles
	s.org = b.style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top", WrapText: true}})
	s.number = b.style(&excelize.Style{Font: &excelize.Font{Size: 12}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	s.title = b.style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	s.line = b.style(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	s.lineRight = b.style(&excelize.Style{Font: &excelize.Font{Italic: true, Size: 12}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	s.head = b.style(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill(headFill), Border: border,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	s.no = b.style(&excelize.Style{Border: border, Alignment: top("center", false, 0)})
	s.text = b.style(&excelize.Style{Border: border, Alignment: top("left", true, 0)})
	s.item = b.style(&excelize.Style{Border: border, Fill: fill(itemFill), Alignment: top("left", true, 2)})
	s.itemNo = b.style(&excelize.Style{Border: border, Fill: fill(itemFill), Alignment: top("center", false, 0)})
	s.due = b.style(&excelize.Style{Border: border, Alignment: top("center", true, 0)})
	s.dueDate = b.style(&excelize.Style{CustomNumFmt: ptr(dateNumFmt(lang, false))})
	s.dueTime = b.style(&excelize.Style{CustomNumFmt: ptr(dateNumFmt(lang, true))})
	s.standing = b.style(&excelize.Style{Border: border, Font: &excelize.Font{Italic: true}, Alignment: top("center", true, 0)})
	s.answer = b.style(&excelize.Style{Border: border, Fill: fill(answerFill), Protection: open, Alignment: top("left", true, 0)})
	s.answerDate = b.style(&excelize.Style{Border: border, Fill: fill(answerFill), Protection: open, CustomNumFmt: ptr(dateNumFmt(lang, false)), Alignment: top("center", false, 0)})
	s.closed = b.style(&excelize.Style{Border: border, Fill: fill(itemFill)})
	s.sign = b.style(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top", WrapText: true}})
	s.signHint = b.style(&excelize.Style{Font: &excelize.Font{Italic: true}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}})
	s.sumHead = s.head
	s.sumText = s.text
	s.sumInt = b.style(&excelize.Style{Border: border, Alignment: top("center", false, 0)})
	s.sumPct = b.style(&excelize.Style{Border: border, NumFmt: 9, Alignment: top("center", false, 0)})
	s.sumTotalLabel = b.style(&excelize.Style{Border: border, Fill: fill(headFill), Font: &excelize.Font{Bold: true}, Alignment: top("left", false, 0)})
	s.sumTotal = s.sumTotalLabel
	s.sumTotalInt = b.style(&excelize.Style{Border: border, Fill: fill(headFill), Font: &excelize.Font{Bold: true}, Alignment: top("center", false, 0)})
	s.sumTotalPct = b.style(&excelize.Style{Border: border, Fill: fill(headFill), Font: &excelize.Font{Bold: true}, NumFmt: 9, Alignment: top("center", false, 0)})
	if b.err == nil {
		id, err := b.f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: "9C0006"}, Fill: fill("FFC7CE")})
		b.check(err)
		s.overdue = id
	}
	return s
}

// str writes text as text: SetCellStr never makes a formula, whatever the
// text starts with.
func (b *book) str(sheet, cell, text string, style int) {
	if b.err != nil {
		return
	}
	b.check(b.f.SetCellStr(sheet, cell, text))
	b.styleCell(sheet, cell, cell, style)
}

func (b *book) styleCell(sheet, from, to string, style int) {
	if b.err == nil && style != 0 {
		b.check(b.f.SetCellStyle(sheet, from, to, style))
	}
}

func (b *book) merge(sheet, from, to string) {
	if b.err == nil {
		b.check(b.f.MergeCell(sheet, from, to))
	}
}

func (b *book) formula(sheet, cell, formula string, style int) {
	if b.err == nil {
		b.check(b.f.SetCellFormula(sheet, cell, formula))
		b.styleCell(sheet, cell, cell, style)
	}
}

func (b *book) height(sheet string, row int, h float64) {
	if b.err == nil {
		b.check(b.f.SetRowHeight(sheet, row, h))
	}
}

func cell(col string, row int) string { return col + strconv.Itoa(row) }

// xcell is a cell the writer fills: text, a formula, or only a style.
type xcell struct {
	ref     string
	text    string
	formula string // when set, the cell holds this formula, not text
	blank   bool   // a styled empty cell
	style   int
}

// xrow is a row of cells and its height in points (0: the default). The
// parts of a sheet that differ between units are made of them, so that
// excelize (book.put) and the assembler (writeRows) write the same.
type xrow struct {
	num    int
	height float64
	cells  []xcell
}

// put writes rows into sheet sh.
func (b *book) put(sh string, rows []xrow) {
	for _, r := range rows {
		for _, c := range r.cells {
			switch {
			case c.formula != "":
				b.formula(sh, c.ref, c.formula, c.style)
			case c.blank:
				b.styleCell(sh, c.ref, c.ref, c.style)
			default:
				b.str(sh, c.ref, c.text, c.style)
			}
		}
		if r.height > 0 {
			b.height(sh, r.num, r.height)
		}
	}
}

// write lays out every sheet and writes the workbook to w.
func (b *book) write(w io.Writer, specs []*sheetSpec, summaryTitle string) error {
	m := b.m
	summary := nameSheets(m, specs)
	for i, s := range specs {
		if i == 0 {
			b.check(b.f.SetSheetName("Sheet1", s.name))
		} else if b.err == nil {
			_, err := b.f.NewSheet(s.name)
			b.check(err)
		}
		b.checklistSheet(s)
	}
	b.summarySheet(summary, summaryTitle, specs)
	b.metaSheet(summary, specs)
	if b.err != nil {
		return b.err
	}
	b.f.SetActiveSheet(0)
	d := b.opts.Date.UTC().Format(time.RFC3339)
	b.check(b.f.SetDocProps(&excelize.DocProperties{
		Created: d, Modified: d, Creator: m.Site.Organisation, LastModifiedBy: m.Site.Organisation,
		Title:   bookTitle(m, summaryTitle),
		Subject: m.Site.Title, Identifier: Format, Language: m.Site.Language,
	}))
	b.check(b.f.ProtectWorkbook(&excelize.WorkbookProtectionOptions{LockStructure: true}))
	if b.err != nil {
		return b.err
	}
	return b.f.Write(w)
}

// nameSheets names every checklist sheet of a workbook (Excel's rules,
// no two alike) and returns the name of its summary sheet.
func nameSheets(m *plan.Model, specs []*sheetSpec) (summary string) {
	taken := map[string]bool{strings.ToLower(MetaSheet): true}
	summary = UniqueSheetName(taken, m.Label("summary"), "summary")
	for _, s := range specs {
		if s.unit != nil {
			s.name = UniqueSheetName(taken, s.unit.Name, s.unit.Code)
		} else {
			s.name = UniqueSheetName(taken, s.level.Name, s.level.ID)
		}
	}
	return summary
}

// bookTitle is the workbook's title in its document properties.
func bookTitle(m *plan.Model, summaryTitle string) string {
	return m.Label("checklist_title") + ": " + strings.TrimPrefix(summaryTitle, m.Label("summary")+": ")
}

// checklistSheet writes one checklist sheet.
func (b *book) checklistSheet(s *sheetSpec) {
	if b.err != nil {
		return
	}
	m, f, sh, st := b.m, b.f, s.name, b.st
	for _, c := range columns {
		b.check(f.SetColWidth(sh, c.name, c.name, c.width))
	}
	b.check(f.SetColWidth(sh, colKey, colHash, 30))
	b.check(f.SetColVisible(sh, colKey+":"+colHash, false))
	b.check(f.SetColWidth(sh, colDueDate, colDueDate, 16))
	b.check(f.SetColVisible(sh, colDueDate, false))

	b.put(sh, titleRows(m, st, s))
	for _, r := range [][2]string{{"A1", colResp + "1"}, {colSupport + "1", lastCol + "1"}, {"A2", colResp + "2"}, {colSupport + "2", lastCol + "2"}, {"A3", lastCol + "3"}, {"A4", lastCol + "4"}} {
		b.merge(sh, r[0], r[1])
	}
	b.str(sh, cell(colKey, headRow), headMark, 0)
	day := m.Site.ElectionDay
	if s.list != nil {
		day = s.list.Day
	}

	// Headers.
	for _, c := range columns {
		b.str(sh, cell(c.name, headRow), m.Label(c.label), st.head)
	}
	b.height(sh, headRow, 32)

	// Tasks and items.
	row := firstRow
	var taskRows, allRows []int
	if s.list != nil {
		for i, e := range s.list.Entries {
			t := e.Task
			b.check(f.SetCellInt(sh, cell(colNo, row), int64(i+1)))
			b.styleCell(sh, cell(colNo, row), cell(colNo, row), st.no)
			title := t.Title + " (" + sources(e) + ")"
			b.str(sh, cell(colTask, row), title, st.text)
			lv := ""
			if s.list.Level != nil {
				lv = s.list.Level.ID
			}
			resp := ""
			if t.ResponsibleBody != nil {
				resp = t.ResponsibleBody.NameAt(lv)
			}
			b.str(sh, cell(colResp, row), resp, st.text)
			var sup []string
			for _, sb := range t.SupportBodies {
				sup = append(sup, sb.NameAt(lv))
			}
			b.str(sh, cell(colSupport, row), strings.Join(sup, "; "), st.text)
			// The deadline as the PDF writes it; the day itself, a date,
			// in hidden column K for the overdue formulas.
			due := deadline(m, e)
			if e.Due == nil {
				b.str(sh, cell(colDue, row), due[0], st.standing)
			} else {
				b.str(sh, cell(colDue, row), strings.Join(due, "\n"), st.due)
				if e.Due.HasTime {
					b.check(f.SetCellFloat(sh, cell(colDueDate, row), momentSerial(e.Due), -1, 64))
					b.styleCell(sh, cell(colDueDate, row), cell(colDueDate, row), st.dueTime)
				} else {
					b.check(f.SetCellInt(sh, cell(colDueDate, row), int64(serial(e.Due.Date))))
					b.styleCell(sh, cell(colDueDate, row), cell(colDueDate, row), st.dueDate)
				}
			}
			b.styleCell(sh, cell(colStatus, row), cell(colNotes, row), st.answer)
			b.styleCell(sh, cell(colDate, row), cell(colDate, row), st.answerDate)
			b.str(sh, cell(colKey, row), t.Key(), 0)
			b.str(sh, cell(colHash, row), TaskHash(s.list, e), 0)
			h := max(lines(title, columns[1].width), lines(resp, columns[2].width), lines(strings.Join(sup, "; "), columns[3].width), len(due), 1)
			b.height(sh, row, rowHeight(h))
			taskRows = append(taskRows, row)
			allRows = append(allRows, row)
			row++
			for j, it := range t.Items {
				b.styleCell(sh, cell(colNo, row), cell(colNo, row), st.itemNo)
				b.str(sh, cell(colTask, row), it, st.item)
				b.styleCell(sh, cell(colResp, row), cell(colDue, row), st.closed)
				b.styleCell(sh, cell(colStatus, row), cell(colStatus, row), st.answer)
				b.styleCell(sh, cell(colDate, row), cell(colConfirmer, row), st.closed)
				b.styleCell(sh, cell(colNotes, row), cell(colNotes, row), st.answer)
				b.str(sh, cell(colKey, row), ItemKey(t.Key(), j+1), 0)
				b.height(sh, row, rowHeight(lines(it, columns[1].width-4)))
				allRows = append(allRows, row)
				row++
			}
		}
	}
	s.end, s.rows = row, row-firstRow
	b.str(sh, cell(colKey, s.end), endMark, 0)
	b.height(sh, s.end, 8)
	b.signature(sh, s.end+2, s.level)
	// excelize leaves the dimension at "A1"; readers that trust it see all.
	last := s.end
	if len(signers(s.level)) > 0 {
		last = s.end + 3
	}
	b.check(f.SetSheetDimension(sh, fmt.Sprintf("A1:%s%d", colDueDate, last)))

	// Validation, highlighting, protection, print setup.
	if len(allRows) > 0 {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = ranges(colStatus, allRows)
		var labels []string
		for _, k := range statusKeys {
			labels = append(labels, m.Label(k))
		}
		// A typed list is split at commas: a label with a comma (or too
		// long a list) takes the labels from their cells in _meta instead.
		if strings.ContainsAny(strings.Join(labels, ""), ",\"") || dv.SetDropList(labels) != nil {
			dv.SetSqrefDropList(quoteSheet(MetaSheet) + "!$B$8:$D$8")
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, m.Label("status"), strings.Join(labels, " / "))
		b.check(f.AddDataValidation(sh, dv))
	}
	if len(taskRows) > 0 {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = ranges(colDate, taskRows)
		lo, hi := day.Year-2, day.Year+2
		b.check(dv.SetRange(serial(plan.Date{Year: lo, Month: 1, Day: 1}), serial(plan.Date{Year: hi, Month: 12, Day: 31}),
			excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween))
		dv.SetError(excelize.DataValidationErrorStyleStop, m.Label("date_done"), fmt.Sprintf("%s, %d-%d", dateHint(m.Site.Language), lo, hi))
		b.check(f.AddDataValidation(sh, dv))

		r := strconv.Itoa(firstRow)
		cond := fmt.Sprintf(`AND(ISNUMBER($%s%s),$%s%s<TODAY(),$%s%s<>%s,$%s%s<>%s)`,
			colDueDate, r, colDueDate, r, colStatus, r, formulaString(m.Label("done")), colStatus, r, formulaString(m.Label("not_applicable")))
		b.check(f.SetConditionalFormat(sh, fmt.Sprintf("%s%d:%s%d", colNo, firstRow, lastCol, s.end-1),
			[]excelize.ConditionalFormatOptions{{Type: "formula", Criteria: cond, Format: &b.st.overdue}}))
	}
	b.check(f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: headRow, TopLeftCell: cell(colNo, firstRow), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: cell(colStatus, firstRow), ActiveCell: cell(colStatus, firstRow), Pane: "bottomLeft"}}}))
	b.printSetup(sh, fmt.Sprintf("$%d:$%d", headRow, headRow), footerID(s))
	b.check(f.ProtectSheet(sh, &excelize.SheetProtectionOptions{
		Password: b.opts.Password, SelectLockedCells: true, SelectUnlockedCells: true, FormatRows: true,
	}))
}

// titleChars and summaryTitleChars are how many characters of a title
// (bold, 14 points) a line across a checklist sheet (columns A-I) and
// across the summary holds, counted low: LibreOffice wraps a checklist
// sheet's title after about 150.
const titleChars, summaryTitleChars = 135, 100

// titleRows are rows 1-5 of a checklist sheet, the only rows that name
// its unit: the head of the unit's (or level's) papers, as the PDF prints
// it: the issuing body and its number left, the national title and motto
// and the date line right; then the title, the subject, and what
// identifies the sheet; and the hidden keys J1 (the unit) and J2 (the
// checklist's version).
func titleRows(m *plan.Model, st styles, s *sheetSpec) []xrow {
	head := s.level.Head
	if s.unit != nil {
		head = s.unit.Head
	}
	if head == nil {
		head = &plan.Head{}
	}
	left := append([]string(nil), head.Left...)
	if head.Rule == plan.RuleStar && len(left) > 0 {
		left = append(left, "*")
	}
	number := ""
	if head.Number != "" {
		sep := ": "
		if head.Rule == plan.RuleStar {
			sep = " "
		}
		number = m.Label("number") + sep + head.Number
	}
	var title, idLine string
	day := m.Site.ElectionDay
	if s.list != nil {
		day = s.list.Day
	}
	version := ""
	if s.list != nil {
		version = s.list.Version
	}
	key := levelTag + s.level.ID
	if s.unit != nil {
		key = s.unit.Code
		title = m.Label("checklist_title") + ": " + s.unit.Name
		idLine = fmt.Sprintf("%s: %s   ·   %s: %s   ·   %s: %s   ·   %s: %s   ·   %s: %s",
			m.Label("unit"), s.unit.Name, m.Label("code"), s.unit.Code,
			m.Label("level"), s.level.Name, m.Label("election_day"), m.Site.FormatDate(day), m.Label("version"), version)
	} else {
		title = m.Label("checklist_title") + ": " + s.level.Name
		idLine = fmt.Sprintf("%s: %s   ·   %s: %s   ·   %s: %s   ·   %s: ..............................",
			m.Label("level"), s.level.Name, m.Label("election_day"), m.Site.FormatDate(day), m.Label("version"), version, m.Label("unit"))
	}
	subject := head.Subject
	if subject == "" {
		subject = m.Site.Title
	}
	titleText := title
	if subject != "" {
		titleText += "\n" + subject
	}
	return []xrow{
		{num: 1, height: math.Max(20, 17*float64(max(len(left), len(head.Right)))+2), cells: []xcell{
			{ref: "A1", text: strings.Join(left, "\n"), style: st.org},
			{ref: colSupport + "1", text: strings.Join(head.Right, "\n"), style: st.org},
			{ref: colKey + "1", text: key},
		}},
		{num: 2, height: 20, cells: []xcell{
			{ref: "A2", text: number, style: st.number},
			{ref: colSupport + "2", text: m.Site.HeadDateLine(head), style: st.lineRight},
			{ref: colKey + "2", text: version},
		}},
		{num: 3, height: 18 * float64(lines(title, titleChars)+lines(subject, titleChars)), cells: []xcell{{ref: "A3", text: titleText, style: st.title}}},
		{num: 4, height: 16 * float64(lines(idLine, 190)), cells: []xcell{{ref: "A4", text: idLine, style: st.line}}},
		{num: 5, height: 6},
	}
}

func footerID(s *sheetSpec) string {
	id := ""
	if s.unit != nil {
		id = s.unit.Code
	} else {
		id = s.level.ID
	}
	if s.list != nil {
		id += " · " + s.list.Version
	}
	return id
}

// printSetup makes the sheet print on A4 landscape, fit to the page's
// width, with titles repeated and "page X of Y" in the footer.
func (b *book) printSetup(sh, titles, left string) {
	if b.err != nil {
		return
	}
	f, m := b.f, b.m
	b.check(f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: ptr(9), Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0)}))
	b.check(f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: ptr(true)}))
	b.check(f.SetPageMargins(sh, &excelize.PageLayoutMarginsOptions{
		Left: ptr(0.5), Right: ptr(0.5), Top: ptr(0.6), Bottom: ptr(0.7), Header: ptr(0.3), Footer: ptr(0.3),
	}))
	b.check(f.SetHeaderFooter(sh, &excelize.HeaderFooterOptions{OddFooter: footerFor(m, left)}))
	if titles != "" {
		b.check(f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: quoteSheet(sh) + "!" + titles, Scope: sh}))
	}
}

// footerFor is a sheet's footer: left, small, on the left (what the sheet
// is), "page X of Y" in the middle.
func footerFor(m *plan.Model, left string) string {
	return fmt.Sprintf("&L&8 %s&C%s &P %s &N", footerText(left), footerText(m.Label("page")), footerText(m.Label("of")))
}

// signers returns the signers of level l's forms (Level.Signers, else its
// sign roles).
func signers(l *plan.Level) []plan.Signer {
	if l == nil {
		return nil
	}
	if len(l.Signers) > 0 {
		return l.Signers
	}
	out := make([]plan.Signer, len(l.Sign))
	for i, t := range l.Sign {
		out[i] = plan.Signer{Title: t}
	}
	return out
}

// signature writes the level's signers from row on: capacity and title
// in bold, the note (or the label sign_hint) in italics under them.
func (b *book) signature(sh string, row int, l *plan.Level) {
	signs := signers(l)
	if len(signs) == 0 {
		return
	}
	// Left to right; the last signer (the one who signs off) sits under
	// the answers. More signers than slots share the first slot.
	var slots [][2]string
	switch len(signs) {
	case 1:
		slots = [][2]string{{colStatus, colNotes}}
	case 2:
		slots = [][2]string{{colTask, colTask}, {colStatus, colNotes}}
	default:
		slots = [][2]string{{colTask, colTask}, {colResp, colDue}, {colStatus, colNotes}}
	}
	type text struct{ role, hint string }
	texts := make([]text, len(signs))
	lines := 1
	for i, s := range signs {
		var role []string
		for _, t := range []string{s.For, s.Title} {
			if t != "" {
				role = append(role, t)
			}
		}
		lines = max(lines, len(role))
		hint := s.Note
		if hint == "" {
			hint = b.m.Label("sign_hint")
		}
		texts[i] = text{strings.Join(role, "\n"), hint}
	}
	if extra := len(texts) - len(slots); extra > 0 {
		var roles, hints []string
		for _, t := range texts[:extra+1] {
			roles, hints = append(roles, t.role), append(hints, t.hint)
		}
		texts = append([]text{{strings.Join(roles, " / "), hints[0]}}, texts[extra+1:]...)
	}
	for i, slot := range slots {
		b.str(sh, cell(slot[0], row), texts[i].role, b.st.sign)
		b.str(sh, cell(slot[0], row+1), texts[i].hint, b.st.signHint)
		if slot[0] != slot[1] {
			b.merge(sh, cell(slot[0], row), cell(slot[1], row))
			b.merge(sh, cell(slot[0], row+1), cell(slot[1], row+1))
		}
	}
	b.height(sh, row, math.Max(32, 17*float64(lines)))
	b.height(sh, row+1, 18)
	b.height(sh, row+2, 60)
}

// sources cites the plans an entry comes from: its task's plan number,
// and the statutory task's it carries out (Entry.Also).
func sources(e *plan.Entry) string {
	s := e.Task.Plan.Number
	if e.Also != nil && e.Also.Plan != e.Task.Plan {
		s += "; " + e.Also.Plan.Number
	}
	return s
}

// deadline says when an entry is due, one string a line, as the PDF
// writes it: the window's start, the day and time, the days from the
// election day, and the statutory limit when there is one.
func deadline(m *plan.Model, e *plan.Entry) []string {
	if e.Due == nil {
		return []string{m.Label("standing")}
	}
	moment := func(x *plan.Moment) string {
		s := m.Site.FormatDate(x.Date)
		if c := x.Clock(); c != "" {
			s += " " + c
		}
		return s
	}
	var out []string
	rel := e.Due.Relative()
	if e.Start != nil {
		out = append(out, moment(e.Start)+" –")
		rel = e.Start.Relative() + " – " + rel
	}
	out = append(out, moment(e.Due), "("+rel+")")
	if e.Limit != nil {
		out = append(out, m.Label("limit")+": "+moment(e.Limit))
	}
	return out
}

// ranges lists rows of a column as a space-separated sqref, runs joined:
// "F7:F9 F11".
func ranges(col string, rows []int) string {
	var parts []string
	for i := 0; i < len(rows); {
		j := i
		for j+1 < len(rows) && rows[j+1] == rows[j]+1 {
			j++
		}
		if i == j {
			parts = append(parts, cell(col, rows[i]))
		} else {
			parts = append(parts, cell(col, rows[i])+":"+cell(col, rows[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, " ")
}

// lines estimates how many lines text takes wrapped in a column of width
// characters. Excel and LibreOffice do not fit row heights to wrapped text
// written by excelize, so the writer sets them. The estimate is
// conservative: in Times New Roman 11 (Liberation Serif in LibreOffice)
// a line holds about 1.2 characters per unit of column width; we count 1.
func lines(text string, width float64) int {
	if text == "" {
		return 1
	}
	per := math.Max(1, math.Floor(width))
	n := 0
	for para := range strings.SplitSeq(text, "\n") {
		// Word wrap: count line by line so that long words do not split.
		line := 0.0
		count := 1
		for w := range strings.FieldsSeq(para) {
			l := float64(utf8.RuneCountInString(w))
			switch {
			case line == 0:
				line = l
			case line+1+l <= per:
				line += 1 + l
			default:
				count++
				line = l
			}
			for line > per {
				count++
				line -= per
			}
		}
		n += count
	}
	return n
}

// rowHeight is the height in points of a row of n lines.
func rowHeight(n int) float64 { return math.Max(18, float64(n)*14.5+4) }

// summaryHeads are the summary sheet's columns: their label keys and
// widths.
var summaryHeads = []struct {
	label string
	width float64
}{{"unit", 34}, {"code", 20}, {"tasks", 10}, {"done", 11}, {"not_done", 11}, {"not_applicable", 12}, {"blank", 11}, {"completion", 13}, {"overdue", 11}}

// summaryHeadRow is the summary sheet's header row.
const summaryHeadRow = 5

// summarySheet writes the summary: per checklist sheet, live counts of
// each status, completion and overdue tasks, then the totals.
func (b *book) summarySheet(sh, title string, specs []*sheetSpec) {
	if b.err != nil {
		return
	}
	f := b.f
	_, err := f.NewSheet(sh)
	b.check(err)
	last := string(rune('A' + len(summaryHeads) - 1))
	for i, h := range summaryHeads {
		col := string(rune('A' + i))
		b.check(f.SetColWidth(sh, col, col, h.width))
	}
	b.put(sh, summaryRows(b.m, b.st, b.kind, title, specs))
	for r := 1; r <= 3; r++ {
		b.merge(sh, cell("A", r), cell(last, r))
	}
	const head = summaryHeadRow
	b.check(f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: head, TopLeftCell: cell("A", head+1), ActivePane: "bottomLeft"}))
	b.printSetup(sh, fmt.Sprintf("$1:$%d", head), b.code)
	b.check(f.ProtectSheet(sh, &excelize.SheetProtectionOptions{
		Password: b.opts.Password, SelectLockedCells: true, SelectUnlockedCells: true,
	}))
}

// summaryRows are the rows of the summary sheet of a workbook of kind
// whose checklist sheets are specs (named, and their ends known): the
// issuer of the first sheet, the title and date line, the header, a row
// of live formulas per sheet, the totals.
func summaryRows(m *plan.Model, st styles, kind, title string, specs []*sheetSpec) []xrow {
	const head = summaryHeadRow
	// The issuer and date line of the workbook's first sheet.
	issuer := specs[0].level.Head
	if specs[0].unit != nil {
		issuer = specs[0].unit.Head
	}
	if issuer == nil {
		issuer = &plan.Head{}
	}
	rows := []xrow{
		{num: 1, cells: []xcell{{ref: "A1", text: strings.Join(issuer.Left, " "), style: st.org}}},
		{num: 2, height: 18 * float64(lines(title, summaryTitleChars)), cells: []xcell{{ref: "A2", text: title, style: st.title}}},
		{num: 3, cells: []xcell{{ref: "A3", text: m.Site.HeadDateLine(issuer), style: st.lineRight}}},
	}
	hr := xrow{num: head, height: 32}
	for i, h := range summaryHeads {
		label := h.label
		if i == 0 && kind == KindLevel {
			label = "level"
		}
		hr.cells = append(hr.cells, xcell{ref: cell(string(rune('A'+i)), head), text: m.Label(label), style: st.sumHead})
	}
	rows = append(rows, hr)
	done, notDone, na := criterionEq(m.Label("done")), criterionEq(m.Label("not_done")), criterionEq(m.Label("not_applicable"))
	row := head + 1
	for _, s := range specs {
		rng := func(col string) string {
			return fmt.Sprintf("%s!$%s$%d:$%s$%d", quoteSheet(s.name), col, firstRow, col, s.end)
		}
		no, status, due := rng(colNo), rng(colStatus), rng(colDueDate)
		r := strconv.Itoa(row)
		name, code := s.level.Name, s.level.ID
		if s.unit != nil {
			name, code = s.unit.Name, s.unit.Code
		}
		f := func(col, formula string, style int) xcell { return xcell{ref: col + r, formula: formula, style: style} }
		rows = append(rows, xrow{num: row, height: rowHeight(lines(name, summaryHeads[0].width)), cells: []xcell{
			{ref: "A" + r, text: name, style: st.sumText},
			{ref: "B" + r, text: code, style: st.sumText},
			f("C", fmt.Sprintf("COUNT(%s)", no), st.sumInt),
			f("D", fmt.Sprintf("COUNTIFS(%s,%s,%s,\"<>\")", status, done, no), st.sumInt),
			f("E", fmt.Sprintf("COUNTIFS(%s,%s,%s,\"<>\")", status, notDone, no), st.sumInt),
			f("F", fmt.Sprintf("COUNTIFS(%s,%s,%s,\"<>\")", status, na, no), st.sumInt),
			f("G", fmt.Sprintf("C%s-D%s-E%s-F%s", r, r, r, r), st.sumInt),
			f("H", fmt.Sprintf(`IF(C%s-F%s>0,D%s/(C%s-F%s),"")`, r, r, r, r, r), st.sumPct),
			f("I", fmt.Sprintf(`COUNTIFS(%s,"<"&TODAY(),%s,"<>"&%s,%s,"<>"&%s,%s,"<>")`,
				due, status, formulaString(m.Label("done")), status, formulaString(m.Label("not_applicable")), no), st.sumInt),
		}})
		row++
	}
	// Totals.
	r, from, to := strconv.Itoa(row), head+1, row-1
	total := xrow{num: row, height: 20, cells: []xcell{
		{ref: "A" + r, text: m.Label("total"), style: st.sumTotalLabel},
		{ref: "B" + r, blank: true, style: st.sumTotal},
	}}
	for _, col := range []string{"C", "D", "E", "F", "G", "H", "I"} {
		x := xcell{ref: col + r, formula: fmt.Sprintf("SUM(%s%d:%s%d)", col, from, col, to), style: st.sumTotalInt}
		if col == "H" {
			x = xcell{ref: col + r, formula: fmt.Sprintf(`IF(C%s-F%s>0,D%s/(C%s-F%s),"")`, r, r, r, r, r), style: st.sumTotalPct}
		}
		total.cells = append(total.cells, x)
	}
	return append(rows, total)
}

// metaSheet writes _meta and hides it from the user (very hidden: Excel's
// menus do not list it).
func (b *book) metaSheet(summary string, specs []*sheetSpec) {
	if b.err != nil {
		return
	}
	f := b.f
	_, err := f.NewSheet(MetaSheet)
	b.check(err)
	b.put(MetaSheet, metaSheetRows(b.m, b.opts, b.kind, b.code, summary, specs))
	b.check(f.ProtectSheet(MetaSheet, &excelize.SheetProtectionOptions{Password: b.opts.Password}))
	b.check(f.SetSheetVisible(MetaSheet, false, true))
}

// metaSheetRows are the rows of _meta (the package doc says what they
// hold).
func metaSheetRows(m *plan.Model, opts Options, kind, code, summary string, specs []*sheetSpec) []xrow {
	rows := [][]string{
		{metaFormat, Format},
		{metaSite, m.Site.Title},
		{metaOrganisation, m.Site.Organisation},
		{metaKind, kind},
		{metaCode, code},
		{metaDate, plan.DateOf(opts.Date.UTC()).String()},
		{metaLanguage, m.Site.Language},
		{metaStatus, m.Label("done"), m.Label("not_done"), m.Label("not_applicable")}, // row 8: the drop list may refer to B8:D8
		{metaSummary, summary},
		{},
		{metaSheetHead, metaCode, "level", "version", "rows"},
	}
	for _, s := range specs {
		code := ""
		if s.unit != nil {
			code = s.unit.Code
		}
		version := ""
		if s.list != nil {
			version = s.list.Version
		}
		rows = append(rows, []string{s.name, code, s.level.ID, version, strconv.Itoa(s.rows)})
	}
	out := make([]xrow, 0, len(rows))
	for i, r := range rows {
		if len(r) == 0 {
			continue
		}
		x := xrow{num: i + 1}
		for j, v := range r {
			x.cells = append(x.cells, xcell{ref: cell(string(rune('A'+j)), i+1), text: v})
		}
		out = append(out, x)
	}
	return out
}
