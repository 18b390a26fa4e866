package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"checkgen/generator/plan"
)

// Limits on what Read accepts. A filled workbook of a few hundred tasks is
// well under a megabyte, unpacked.
const (
	MaxFileSize = 32 << 20  // bytes of the .xlsx file
	MaxUnpacked = 128 << 20 // bytes of all its parts, unpacked (zip bombs)
)

// ReadOptions says how to read.
type ReadOptions struct {
	// Labels maps "done", "not_done" and "not_applicable" to the current
	// site's labels. The labels stored in the workbook when it was written
	// are accepted as well, so a relabelled site still reads old sheets.
	Labels map[string]string
}

// Workbook is what a filled workbook says.
type Workbook struct {
	File         string // the name it was read as
	Format       string // Format, or ReportFormat
	Kind         string // KindUnit, KindLevel or KindReport
	Site         string // the site's title when written
	Organisation string
	Code         string // the unit's code (a level's id on a blank form)
	Date         string // the build date, ISO 8601
	Language     string
	// Modified is the day the file was last saved, from its document
	// properties (docProps/core.xml dcterms:modified); nil when absent
	// or unreadable.
	Modified *plan.Date
	Sheets   []*Sheet   // the checklist sheets, in workbook order
	Problems []*Problem // what was wrong in the sheets; each names its cell
}

// Sheet is one filled checklist sheet.
type Sheet struct {
	File     string
	Name     string // as found
	Written  string // the name it was written with; "" when not listed in _meta
	Index    int    // its position among the workbook's sheets, from 0
	Unit     string // the unit's code; "" on a level's blank form
	Level    string // the level's id on a level's blank form
	Version  string // the checklist version it was written with
	Rows     []*Row // the rows with a task key, in sheet order
	Answered bool   // whether any answer cell holds anything
	// Hashed is set when the task rows carry their task's hash: the sheet
	// can be matched task by task against a newer checklist version. A
	// workbook written before hashes existed has none.
	Hashed bool
}

// Row is one task or item row of a sheet.
type Row struct {
	Key        string // "<plan>/<task>", or "<plan>/<task>#<n>" for item n
	Task       string // the task's key
	Item       int    // 0 for a task row
	Row        int    // the row's number in the sheet, for messages
	Status     Status
	StatusText string     // as typed
	Date       *plan.Date // the date done, when given and valid
	DateText   string     // as found (a serial number for a date cell), for messages
	Confirmer  string
	Notes      string
	// Hash is TaskHash of the task as printed on the row (hidden column
	// K); "" on an item row and in workbooks written before it existed.
	Hash string
	// Rejected is set when a cell of the row was rejected (a problem names
	// it): its answers must not be counted.
	Rejected bool
}

// Problem is something wrong in a file, a sheet or a cell, printed as
// "file:Sheet!F7: message".
type Problem struct {
	File    string
	Sheet   string // "" for the whole file
	Cell    string // "" for the whole sheet
	Msg     string
	Warning bool // nothing was rejected: the data was read

	order [2]int // sheet index and row, for sorting
}

// Error prints the problem on one line: a file or sheet name holding a
// line break or another character that does not print is quoted
// (QuoteName), and any such character left in the message is escaped.
func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(QuoteName(p.File))
	if p.Sheet != "" {
		b.WriteString(":" + QuoteName(p.Sheet))
		if p.Cell != "" {
			b.WriteString("!" + p.Cell)
		}
	}
	b.WriteString(": ")
	if p.Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(escapeUnprintable(p.Msg))
	return b.String()
}

// QuoteName returns a file or sheet name as it is, or quoted as Go quotes
// strings ("a\nb.xlsx") when it holds a character that does not print
// (a line break, a control character, invalid UTF-8), so that a problem
// stays on one line and the name can be told apart.
func QuoteName(name string) string {
	if printable(name) {
		return name
	}
	return strconv.Quote(name)
}

func printable(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// escapeUnprintable writes each character of s that does not print as Go
// escapes it in a quoted string (\n, \x00, \u2028).
func escapeUnprintable(s string) string {
	if printable(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			_, size := utf8.DecodeRuneInString(s[i:])
			if size == 1 {
				fmt.Fprintf(&b, `\x%02x`, s[i])
				continue
			}
			b.WriteRune(r)
		case unicode.IsPrint(r):
			b.WriteRune(r)
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
	}
	return b.String()
}

// Less orders problems by file, sheet, row, then column.
func (p *Problem) Less(q *Problem) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.order != q.order {
		if p.order[0] != q.order[0] {
			return p.order[0] < q.order[0]
		}
		return p.order[1] < q.order[1]
	}
	return p.Cell < q.Cell
}

// SheetProblem returns a problem with sheet s (cell may be "").
func SheetProblem(s *Sheet, cell string, warning bool, format string, args ...any) *Problem {
	row := 0
	if cell != "" {
		_, row, _ = excelize.SplitCellName(cell)
	}
	return &Problem{File: s.File, Sheet: s.Name, Cell: cell, Msg: fmt.Sprintf(format, args...), Warning: warning, order: [2]int{s.Index, row}}
}

// FileProblem returns a problem with a whole file.
func FileProblem(file string, warning bool, format string, args ...any) *Problem {
	return &Problem{File: file, Msg: fmt.Sprintf(format, args...), Warning: warning, order: [2]int{-1, 0}}
}

func fileProblem(file, format string, args ...any) *Problem {
	return FileProblem(file, false, format, args...)
}

// Read reads a filled workbook. name is how problems name the file. A
// file that cannot be read at all gives a nil Workbook and a *Problem as
// the error; problems within sheets are in Workbook.Problems. Read never
// panics, whatever the bytes.
//
// A workbook is read lean (read_lean.go) when the lean reader
// understands all of it that Read needs, else by excelize: both give the
// same answers and problems.
func Read(name string, r io.Reader, opts ReadOptions) (wb *Workbook, err error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fileProblem(name, "cannot be read: %v", err)
	}
	if len(data) > MaxFileSize {
		return nil, fileProblem(name, "is larger than %d MiB: not a sign-off workbook", MaxFileSize>>20)
	}
	parts, p := sniff(name, data)
	if p != nil {
		return nil, p
	}
	if parts != nil {
		if lb, ok := openLean(parts); ok {
			if wb, p, ok := readLean(name, lb, opts); ok {
				if p != nil {
					return nil, p
				}
				return wb, nil
			}
		}
	}
	return readExcelize(name, data, opts)
}

// readLean reads a workbook the lean reader opened; ok is false when a
// sheet Read needs must be read by excelize after all.
func readLean(name string, lb *leanBook, opts ReadOptions) (wb *Workbook, p *Problem, ok bool) {
	rd := &reader{src: lb, wb: &Workbook{File: name}, opts: opts, partCells: lb.counts}
	if meta := rd.metaSheet(); meta != "" && !lb.readable(meta, false) {
		return nil, nil, false
	}
	if p := rd.meta(); p != nil {
		return nil, p, true
	}
	rd.setModified(lb.modified)
	if rd.wb.Kind != KindReport {
		if p := rd.checkCells(); p != nil {
			return nil, p, true
		}
		for _, s := range rd.checklistSheets() {
			if !lb.readable(s, true) {
				return nil, nil, false
			}
		}
		rd.sheets()
	}
	return rd.wb, nil, true
}

// readExcelize reads a workbook with excelize.
func readExcelize(name string, data []byte, opts ReadOptions) (wb *Workbook, err error) {
	defer func() {
		// excelize is large and parses hostile input; a panic in it must not
		// take the other files down with it.
		if v := recover(); v != nil {
			wb, err = nil, fileProblem(name, "cannot be read as a workbook: it is damaged (%v)", v)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: MaxUnpacked, UnzipXMLSizeLimit: MaxUnpacked, // never spill to temporary files
	})
	if err != nil {
		return nil, fileProblem(name, "cannot be read as a workbook: it is damaged (%v)", err)
	}
	defer f.Close()
	cells, p := countParts(f, name)
	if p != nil {
		return nil, p
	}
	rd := &reader{src: excelBook{f}, wb: &Workbook{File: name}, opts: opts, partCells: cells}
	if p := rd.meta(); p != nil {
		return nil, p
	}
	if props, err := f.GetDocProps(); err == nil {
		rd.setModified(props.Modified)
	}
	if rd.wb.Kind != KindReport {
		if p := rd.checkCells(); p != nil {
			return nil, p
		}
		rd.sheets()
	}
	return rd.wb, nil
}

// setModified sets the day the file was last saved from its document
// properties' dcterms:modified.
func (rd *reader) setModified(modified string) {
	if modified == "" {
		return
	}
	if t, err := time.Parse(time.RFC3339, strings.TrimSpace(modified)); err == nil {
		d := plan.DateOf(t.UTC())
		rd.wb.Modified = &d
	}
}

// workbookSource is what the reader reads a workbook through: excelize
// (excelBook) or the lean reader (*leanBook).
type workbookSource interface {
	sheetList() []string
	// metaRows reads the first six cells of the first maxMetaRows rows of
	// a sheet, as excelize's row iterator gives them.
	metaRows(sheet string) ([][]string, error)
	// grid returns a sheet's cells.
	grid(sheet string) (grid, error)
}

// grid is the cells of one sheet, read as excelize's GetCellValue (with
// RawCellValue), GetCellFormula and GetCellType read them: a cell of a
// merged range reads as its first cell.
type grid interface {
	value(ref string) (string, error)
	formula(ref string) (string, error)
	cellType(ref string) (excelize.CellType, error)
}

var (
	cfbMagic       = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
	encryptionInfo = utf16le("EncryptionInfo")
)

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// sniff recognises what a file is when it is not a readable .xlsx, to say
// so in one line, and checks the zip's unpacked size before anything is
// unpacked. It returns the unpacked parts (unpack), nil when some could
// not be unpacked.
func sniff(name string, data []byte) (map[string][]byte, *Problem) {
	switch {
	case len(data) == 0:
		return nil, fileProblem(name, "is empty")
	case bytes.HasPrefix(data, cfbMagic):
		if bytes.Contains(data, encryptionInfo) {
			return nil, fileProblem(name, "is protected with a password (encrypted): open it, remove the password (File > Info > Protect Workbook) and save it again")
		}
		return nil, fileProblem(name, "is an Excel 97-2003 (.xls) file, not a sign-off workbook (.xlsx)")
	case !bytes.HasPrefix(data, []byte("PK")):
		head := data[:min(len(data), 512)]
		lower := bytes.ToLower(head)
		switch {
		case bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<!doctype")):
			return nil, fileProblem(name, "is a web page (HTML), not an Excel workbook")
		case bytes.HasPrefix(bytes.TrimSpace(lower), []byte("<?xml")):
			return nil, fileProblem(name, "is an XML file, not an Excel workbook")
		case utf8.Valid(head) || utf8.Valid(head[:max(0, len(head)-3)]):
			return nil, fileProblem(name, "is a text file (CSV?), not an Excel workbook: fill in the .xlsx workbook checkgen wrote")
		}
		return nil, fileProblem(name, "is not an Excel workbook (.xlsx files are zip archives)")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fileProblem(name, "is damaged or truncated: not a complete zip archive (%v)", err)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > MaxUnpacked || f.UncompressedSize64 > MaxUnpacked {
			return nil, fileProblem(name, "unpacks to more than %d MiB: refused (a zip bomb?)", MaxUnpacked>>20)
		}
	}
	parts, whole, part, line, col, msg := unpack(zr)
	if msg != "" {
		return nil, fileProblem(name, "%s:%d:%d: %s", part, line, col, msg)
	}
	if !whole {
		return nil, nil
	}
	return parts, nil
}

type reader struct {
	src       workbookSource
	wb        *Workbook
	opts      ReadOptions
	partCells map[string]int64 // part -> cells it lays out (countCells)

	summary string
	listed  []listedSheet
	labels  map[string]Status // normalised label -> status
	names   []string          // the labels to suggest
}

// listedSheet is a row of _meta's sheet table.
type listedSheet struct {
	name, code, level, version string
	found                      bool
}

// metaSheet is the name of the _meta sheet as found ("" when missing).
func (rd *reader) metaSheet() string {
	sheet := ""
	for _, s := range rd.src.sheetList() {
		if strings.EqualFold(s, MetaSheet) {
			sheet = s
		}
	}
	return sheet
}

// checklistSheets are the sheets sheets reads: all but _meta and the
// summary.
func (rd *reader) checklistSheets() []string {
	var names []string
	for _, name := range rd.src.sheetList() {
		if !strings.EqualFold(name, MetaSheet) && name != rd.summary {
			names = append(names, name)
		}
	}
	return names
}

// meta reads _meta: what the workbook is.
func (rd *reader) meta() *Problem {
	wb := rd.wb
	sheet := rd.metaSheet()
	if sheet == "" {
		return fileProblem(wb.File, "is not a checkgen sign-off workbook: it has no %s sheet (was it made by hand, or copied into a new workbook?)", MetaSheet)
	}
	rows, err := rd.src.metaRows(sheet)
	if err != nil {
		return fileProblem(wb.File, "cannot be read: sheet %s is damaged (%v)", MetaSheet, err)
	}
	kv := map[string][]string{}
	table := false
	for _, r := range rows {
		if len(r) == 0 || r[0] == "" {
			continue
		}
		if table {
			l := listedSheet{name: r[0]}
			for i, p := range []*string{&l.code, &l.level, &l.version} {
				if i+1 < len(r) {
					*p = strings.TrimSpace(r[i+1])
				}
			}
			rd.listed = append(rd.listed, l)
			continue
		}
		if r[0] == metaSheetHead {
			table = true
			continue
		}
		if _, dup := kv[r[0]]; !dup {
			kv[r[0]] = r[1:]
		}
	}
	get := func(k string) string {
		if v := kv[k]; len(v) > 0 {
			return norm.NFC.String(strings.TrimSpace(v[0]))
		}
		return ""
	}
	wb.Format = get(metaFormat)
	wb.Site, wb.Organisation = get(metaSite), get(metaOrganisation)
	wb.Kind, wb.Code, wb.Date, wb.Language = get(metaKind), get(metaCode), get(metaDate), get(metaLanguage)
	rd.summary = get(metaSummary)
	switch {
	case wb.Format == ReportFormat:
		wb.Kind = KindReport
		return nil
	case wb.Format == "":
		return fileProblem(wb.File, "is not a checkgen sign-off workbook: its %s sheet names no format", MetaSheet)
	case wb.Format != Format:
		return fileProblem(wb.File, "was written in format %q, which this checkgen cannot read (it reads %s): use the workbook of the current build", wb.Format, Format)
	case wb.Kind != KindUnit && wb.Kind != KindLevel:
		return fileProblem(wb.File, "is not a checkgen sign-off workbook: unknown kind %q in %s", wb.Kind, MetaSheet)
	}
	// Status labels: those written into the workbook, then the site's now.
	rd.labels = map[string]Status{}
	add := func(label string, s Status) {
		k := labelKey(label)
		if k == "" {
			return
		}
		if _, ok := rd.labels[k]; !ok {
			rd.labels[k] = s
			rd.names = append(rd.names, strconv.Quote(strings.TrimSpace(label)))
		}
	}
	written := kv[metaStatus]
	for i := range statusKeys {
		if i < len(written) {
			add(written[i], Done+Status(i))
		}
	}
	for i, k := range statusKeys {
		add(rd.opts.Labels[k], Done+Status(i))
	}
	return nil
}

// maxMetaRows bounds the rows read of _meta: a dozen, then one per sheet.
const maxMetaRows = 10000

// excelBook reads a workbook with excelize.
type excelBook struct{ f *excelize.File }

func (b excelBook) sheetList() []string { return b.f.GetSheetList() }

// metaRows reads _meta row by row: excelize's GetRows would hold every
// row to its last cell, and only maxAnyCells bounds the sheet yet
// (checkCells comes after _meta says what the file is, so that a large
// completion report is still recognised and skipped).
func (b excelBook) metaRows(sheet string) ([][]string, error) {
	it, err := b.f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var rows [][]string
	for len(rows) < maxMetaRows && it.Next() {
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		rows = append(rows, append([]string(nil), cells[:min(len(cells), 6)]...))
	}
	return rows, it.Error()
}

// labelKey normalises a status for comparison: NFC, trimmed, folded case,
// inner runs of spaces made one.
func labelKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(s)), " "))
}

// sheets reads every checklist sheet.
func (rd *reader) sheets() {
	wb := rd.wb
	byCode := map[string]*listedSheet{}
	for i := range rd.listed {
		l := &rd.listed[i]
		byCode[sheetID(l.code, l.level)] = l
	}
	for i, name := range rd.src.sheetList() {
		if strings.EqualFold(name, MetaSheet) || name == rd.summary {
			continue
		}
		g, err := rd.src.grid(name)
		s := &Sheet{File: wb.File, Name: name, Index: i}
		if err != nil {
			wb.Problems = append(wb.Problems, SheetProblem(s, "", false, "cannot be read: the sheet is damaged (%v)", err))
			continue
		}
		j1, j2 := at(g, 1, colKey), at(g, 2, colKey)
		var listed *listedSheet
		switch {
		case strings.HasPrefix(j1, levelTag):
			s.Level = strings.TrimPrefix(j1, levelTag)
			listed = byCode[sheetID("", s.Level)]
		case j1 != "":
			s.Unit = j1
			listed = byCode[sheetID(s.Unit, "")]
		default:
			for k := range rd.listed {
				if rd.listed[k].name == name {
					listed = &rd.listed[k]
				}
			}
			if listed == nil {
				wb.Problems = append(wb.Problems, SheetProblem(s, "", true, "not a checklist sheet of this workbook (no unit code in its hidden column %s): ignored", colKey))
				continue
			}
			s.Unit, s.Level = listed.code, listed.level
			if s.Unit != "" {
				s.Level = ""
			}
		}
		s.Version = j2
		if listed != nil {
			if listed.found {
				wb.Problems = append(wb.Problems, SheetProblem(s, "", false, "a second sheet for %s: copied? ignored", describe(s)))
				continue
			}
			listed.found = true
			s.Written = listed.name
			if s.Version == "" {
				s.Version = listed.version
			}
			if s.Written != name {
				wb.Problems = append(wb.Problems, SheetProblem(s, "", true, "sheet %q was renamed to %q; read by its unit code", s.Written, name))
			}
		}
		rd.rows(s, g)
		wb.Sheets = append(wb.Sheets, s)
	}
	for _, l := range rd.listed {
		if !l.found {
			what := "unit " + l.code
			if l.code == "" {
				what = "level " + l.level
			}
			wb.Problems = append(wb.Problems, fileProblem(wb.File, "sheet %q (%s) is missing: it was deleted, or its hidden column %s cleared", l.name, what, colKey))
		}
	}
}

func sheetID(code, level string) string {
	if code != "" {
		return "unit:" + code
	}
	return levelTag + level
}

func describe(s *Sheet) string {
	if s.Unit != "" {
		return "unit " + s.Unit
	}
	return "level " + s.Level
}

// maxRows bounds the rows read of a sheet: a checklist has a few hundred.
const maxRows = 20000

// emptyRun is how many empty rows in a row end the search for the last
// task when the #end mark is missing.
const emptyRun = 200

// excelGrid reads the cells of one sheet with excelize, which parses the
// sheet once, on the first cell asked for; each cell after that is a
// lookup. (Its streaming GetRows would parse the sheet a second time,
// and the dimension it stores is not kept up to date.)
type excelGrid struct {
	f     *excelize.File
	sheet string
}

func (b excelBook) grid(sheet string) (grid, error) {
	if _, err := b.f.GetCellValue(sheet, "A1"); err != nil { // parses the sheet
		return nil, err
	}
	return excelGrid{b.f, sheet}, nil
}

func (g excelGrid) value(ref string) (string, error) {
	return g.f.GetCellValue(g.sheet, ref, excelize.Options{RawCellValue: true})
}

func (g excelGrid) formula(ref string) (string, error) { return g.f.GetCellFormula(g.sheet, ref) }

func (g excelGrid) cellType(ref string) (excelize.CellType, error) {
	return g.f.GetCellType(g.sheet, ref)
}

// at returns the trimmed raw value of a cell ("" when it cannot be read).
func at(g grid, row int, col string) string {
	v, err := g.value(col + strconv.Itoa(row))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(v)
}

// rows reads the task and item rows of a sheet, between #head and #end.
func (rd *reader) rows(s *Sheet, g grid) {
	wb := rd.wb
	// Find the marks. Without #head the rows start at the first key;
	// without #end they end at the last key, found by reading on until a
	// long run of empty rows.
	start, end, firstKey, lastKey, empty := 0, 0, 0, 0, 0
	for r := 1; r <= maxRows && end == 0 && empty < emptyRun; r++ {
		j := at(g, r, colKey)
		switch {
		case j == headMark && start == 0:
			start = r
		case j == endMark && r > start:
			end = r
		case j != "":
			if _, _, ok := SplitKey(j); ok {
				lastKey = r
				if firstKey == 0 {
					firstKey = r
				}
			}
		}
		if j == "" && !rowHasContent(g, r) {
			empty++
		} else {
			empty = 0
		}
	}
	if start == 0 {
		start = max(firstKey-1, 0)
		if firstKey == 0 {
			start = headRow
		}
	}
	if end == 0 {
		end = max(lastKey+1, start+1)
		wb.Problems = append(wb.Problems, SheetProblem(s, "", true, "the row after the last task (marked %s in hidden column %s) was deleted", endMark, colKey))
	}
	seen := map[string]*Row{}
	for r := start + 1; r < end; r++ {
		key := at(g, r, colKey)
		task, item, ok := SplitKey(key)
		if !ok {
			if rowHasContent(g, r) {
				wb.Problems = append(wb.Problems, SheetProblem(s, cell(colNo, r), false, "row %d has no task id: was it inserted? its content is ignored", r))
			}
			continue
		}
		row := &Row{Key: key, Task: task, Item: item, Row: r}
		if item == 0 {
			row.Hash = at(g, r, colHash)
			s.Hashed = s.Hashed || row.Hash != ""
		}
		rd.cells(s, row, g)
		if prev, dup := seen[key]; dup {
			wb.Problems = append(wb.Problems, SheetProblem(s, cell(colNo, r), false, "rows %d and %d are the same task %s (a row was copied): neither is counted", prev.Row, r, key))
			prev.Rejected, row.Rejected = true, true
		}
		seen[key] = row
		s.Rows = append(s.Rows, row)
	}
}

func rowHasContent(g grid, r int) bool {
	for _, c := range columns {
		if at(g, r, c.name) != "" {
			return true
		}
	}
	return false
}

// cells reads the answers of one row.
func (rd *reader) cells(s *Sheet, row *Row, g grid) {
	wb, r := rd.wb, row.Row
	reject := func(col string, format string, args ...any) {
		wb.Problems = append(wb.Problems, SheetProblem(s, cell(col, r), false, format, args...))
		row.Rejected = true
	}
	cols := answerCols
	if row.Item > 0 {
		cols = []string{colStatus, colNotes} // an item's date and confirmer are the task's
	}
	for _, col := range cols {
		if at(g, r, col) != "" {
			s.Answered = true
		}
		if fx, err := g.formula(cell(col, r)); err == nil && fx != "" {
			reject(col, "formula =%s in an answer cell: type the value itself", fx)
		}
	}
	row.StatusText = norm.NFC.String(at(g, r, colStatus))
	if row.StatusText != "" {
		if st, ok := rd.labels[labelKey(row.StatusText)]; ok {
			row.Status = st
		} else {
			row.Status = Unknown
			reject(colStatus, "unknown status %q (use %s)", row.StatusText, orList(rd.names))
		}
	}
	row.Notes = norm.NFC.String(at(g, r, colNotes))
	if row.Item > 0 {
		return
	}
	row.Confirmer = norm.NFC.String(at(g, r, colConfirmer))
	row.DateText = at(g, r, colDate)
	if row.DateText == "" {
		return
	}
	d, msg := rd.date(g, cell(colDate, r), row.DateText)
	if msg != "" {
		reject(colDate, "%s", msg)
		return
	}
	row.Date = &d
}

// date reads a date cell: a serial number (what Excel and LibreOffice
// store when they recognise a date: it means one day), an ISO date (t="d"
// cells), or a date typed as text, read in the workbook's language. msg
// says what is wrong.
func (rd *reader) date(g grid, ref, raw string) (d plan.Date, msg string) {
	lang := rd.wb.Language
	bad := fmt.Sprintf("bad date %q: type a day as %s", raw, dateHint(lang))
	t, err := g.cellType(ref)
	if err != nil {
		return plan.Date{}, bad
	}
	switch t {
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString, excelize.CellTypeFormula, excelize.CellTypeDate:
		return parseDateText(raw, lang)
	case excelize.CellTypeBool, excelize.CellTypeError:
		return plan.Date{}, bad
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return parseDateText(raw, lang)
	}
	if d, ok := serialDate(v); ok {
		return d, ""
	}
	return plan.Date{}, bad
}

// orList joins quoted choices: "a", "b" or "c".
func orList(names []string) string {
	switch len(names) {
	case 0:
		return "nothing"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// errProblem is what the fuzz test and callers can match with errors.As.
var _ error = (*Problem)(nil)

// AsProblem returns err as a *Problem when it is one.
func AsProblem(err error) (*Problem, bool) {
	var p *Problem
	ok := errors.As(err, &p)
	return p, ok
}
