package xlsx

import (
	"bytes"
	"encoding/xml"
	"errors"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// The lean reader: what Read needs of a workbook (the sheet list, the
// shared strings, the cells of columns A-L, merged ranges, the document's
// modification time, the cell counts of every part) read with leanScan,
// giving exactly what excelize gives for the same file. Opening a
// workbook with excelize decodes every part into structures through
// encoding/xml; at 10,000 workbooks that was nearly all of a report's
// time. Whatever the lean reader does not understand, it leaves to
// excelize (openLean reports false, or a sheet is not usable): a workbook
// checkgen, Excel or LibreOffice wrote reads lean; a damaged or unusual
// one reads as before. It checks that every part it reads is well-formed,
// and the styles, theme and calculation chain too, as excelize does on
// opening; it does not decode what it does not need (a style's or a
// column's attributes, a sheet's page setup), so a file damaged only
// there reads where excelize called it damaged.

// Namespaces the parts' root elements must be in.
const (
	leanNSMain     = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	leanNSRels     = "http://schemas.openxmlformats.org/package/2006/relationships"
	leanNSDocRels  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	leanNSDrawing  = "http://schemas.openxmlformats.org/drawingml/2006/main"
	leanRelOffice  = leanNSDocRels + "/officeDocument"
	leanMaxCol     = 12 // the columns kept: A-L
	leanTotalRows  = 1048576
	leanMaxColumns = 16384
)

// Parts as excelize names them.
const (
	leanPartContentTypes  = "[Content_Types].xml"
	leanPartSharedStrings = "xl/sharedStrings.xml"
	leanPartRels          = "_rels/.rels"
	leanPartWorkbook      = "xl/workbook.xml"
	leanPartWorkbookRels  = "xl/_rels/workbook.xml.rels"
	leanPartStyles        = "xl/styles.xml"
	leanPartTheme         = "xl/theme/theme1.xml"
	leanPartCalcChain     = "xl/calcChain.xml"
	leanPartCore          = "docProps/core.xml"
)

// leanPartName is the name excelize stores a zip entry under.
func leanPartName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	switch strings.ToLower(name) {
	case "[content_types].xml":
		return leanPartContentTypes
	case "xl/sharedstrings.xml":
		return leanPartSharedStrings
	}
	return name
}

// leanBook is a workbook read by the lean reader.
type leanBook struct {
	sheets   []leanSheetRef
	parsed   map[string]*leanSheet // by part
	counts   map[string]int64      // cells laid out, by part (countCells)
	modified string                // docProps/core.xml dcterms:modified
}

type leanSheetRef struct{ name, part string }

// leanSheet is what the lean reader kept of a worksheet.
type leanSheet struct {
	usable  bool       // every construct read; else the workbook goes to excelize
	shared  bool       // a shared formula: excelize must translate it
	badSST  bool       // a cell names a shared string that does not exist
	cells   []leanCell // columns A-L, rows up to maxRows+1, by row then column
	merges  []leanMerge
	lastRow int // the number of the last row element
}

type leanCell struct {
	row, col int
	t        string // the type attribute
	v        string // the raw value, as excelize's GetCellValue with RawCellValue
	f        string // the formula
	hasF     bool
	badIndex bool // t="s" naming no shared string: excelize gives an error
}

type leanMerge struct {
	rect   [4]int // col1, row1, col2, row2, sorted
	c0, r0 int    // the first cell of its ref, as written
}

// openLean reads a workbook's unpacked parts; ok is false when excelize
// must read it.
func openLean(parts map[string][]byte) (*leanBook, bool) {
	for _, data := range parts {
		if bytes.Contains(data, []byte("purl.oclc.org")) {
			return nil, false // strict OOXML: excelize rewrites its namespaces
		}
	}
	wbRels, ok := leanReadRels(parts, leanPartRels)
	if !ok {
		return nil, false
	}
	wbPath := ""
	for _, r := range wbRels {
		if r.typ == leanRelOffice {
			wbPath = strings.TrimPrefix(r.target, "/")
			break
		}
	}
	if wbPath != leanPartWorkbook {
		return nil, false
	}
	rels, ok := leanReadRels(parts, leanPartWorkbookRels)
	if !ok {
		return nil, false
	}
	sheets, ok := leanReadSheetList(parts[leanPartWorkbook], rels, parts)
	if !ok {
		return nil, false
	}
	for _, p := range []struct{ part, root, ns string }{{leanPartStyles, "styleSheet", leanNSMain}, {leanPartTheme, "theme", leanNSDrawing}, {leanPartCalcChain, "calcChain", leanNSMain}} {
		if data, ok := parts[p.part]; ok {
			if _, ok := leanScanWhole(data, p.root, p.ns); !ok {
				return nil, false
			}
		}
	}
	sst, ok := leanReadSharedStrings(parts[leanPartSharedStrings])
	if !ok {
		return nil, false
	}
	b := &leanBook{sheets: sheets, parsed: map[string]*leanSheet{}, counts: map[string]int64{}}
	for _, s := range sheets {
		if _, done := b.parsed[s.part]; !done {
			b.parsed[s.part], b.counts[s.part] = leanReadSheet(parts[s.part], sst)
		}
	}
	var total int64
	for name, data := range parts {
		if !strings.HasSuffix(strings.ToLower(name), ".xml") {
			continue
		}
		if _, done := b.counts[name]; !done {
			b.counts[name] = leanCountPart(data)
		}
		total += b.counts[name]
		if b.counts[name] > maxPartCells {
			return nil, false // excelize's path names the part
		}
	}
	if total > maxBookCells {
		return nil, false
	}
	b.modified = leanCoreModified(parts[leanPartCore])
	return b, true
}

type leanRel struct{ id, typ, target string }

// leanReadRels reads a relationships part; a missing part has none.
func leanReadRels(parts map[string][]byte, name string) ([]leanRel, bool) {
	data, present := parts[name]
	if !present {
		return nil, name != leanPartRels
	}
	s, ok := newLeanScan(data)
	if !ok {
		return nil, false
	}
	var rels []leanRel
	seen := map[string]bool{}
	for depth := 0; ; {
		kind, ok := s.next()
		switch {
		case !ok:
			return nil, false
		case kind == leanTokEOF:
			return rels, true
		case kind == leanTokEnd:
			depth--
		case kind == leanTokStart:
			depth++
			switch {
			case depth == 1 && !leanIsRoot(s, "Relationships", leanNSRels):
				return nil, false
			case depth == 2 && string(leanLocal(s.name)) == "Relationship":
				if leanPrefixed(s.name) || leanAnyPrefixedAttr(s.attrs) {
					return nil, false
				}
				id, _, ok1 := leanAttrValue(s.attrs, "Id", false)
				typ, _, ok2 := leanAttrValue(s.attrs, "Type", false)
				target, _, ok3 := leanAttrValue(s.attrs, "Target", false)
				if !ok1 || !ok2 || !ok3 || seen[id] {
					return nil, false
				}
				seen[id] = true
				rels = append(rels, leanRel{id, typ, target})
			}
		}
	}
}

func leanAnyPrefixedAttr(attrs []leanAttr) bool {
	for _, a := range attrs {
		if leanPrefixed(a.name) {
			return true
		}
	}
	return false
}

// leanIsRoot reports whether the start element s holds is named local in
// namespace ns, declared on itself.
func leanIsRoot(s *leanScan, name, ns string) bool {
	if string(leanLocal(s.name)) != name {
		return false
	}
	decl := "xmlns"
	if i := bytes.IndexByte(s.name, ':'); i >= 0 {
		decl = "xmlns:" + string(s.name[:i])
	}
	v, found, ok := leanAttrValue(s.attrs, decl, false)
	return found && ok && v == ns
}

// leanReadSheetList reads the sheets of workbook.xml and where their parts
// are: each must be a worksheet part of the file, as excelize resolves it.
func leanReadSheetList(data []byte, rels []leanRel, parts map[string][]byte) ([]leanSheetRef, bool) {
	s, ok := newLeanScan(data)
	if !ok {
		return nil, false
	}
	var list []leanSheetRef
	relPrefix, sheetsSeen, sheetsOpen := "", 0, false
	for depth := 0; ; {
		kind, ok := s.next()
		switch {
		case !ok:
			return nil, false
		case kind == leanTokEOF:
			return list, sheetsSeen == 1
		case kind == leanTokEnd:
			depth--
			sheetsOpen = sheetsOpen && depth > 1
		case kind == leanTokStart:
			depth++
			sheetsOpen = sheetsOpen || (depth == 2 && string(leanLocal(s.name)) == "sheets")
			if sheetsOpen {
				for _, a := range s.attrs {
					if bytes.HasPrefix(a.name, []byte("xmlns")) {
						return nil, false // the r:id prefix declared again
					}
				}
			}
			switch {
			case depth == 1:
				if !leanIsRoot(s, "workbook", leanNSMain) {
					return nil, false
				}
				for _, a := range s.attrs {
					if p, ok := bytes.CutPrefix(a.name, []byte("xmlns:")); ok && string(a.value) == leanNSDocRels {
						relPrefix = string(p)
					}
				}
			case depth == 2 && string(leanLocal(s.name)) == "sheets":
				if leanPrefixed(s.name) {
					return nil, false
				}
				sheetsSeen++
			case depth == 3 && sheetsOpen && string(leanLocal(s.name)) == "sheet" && sheetsSeen == 1:
				ref, ok := leanSheetRefOf(s, relPrefix, rels, parts)
				if !ok {
					return nil, false
				}
				for _, l := range list {
					if strings.EqualFold(l.name, ref.name) {
						return nil, false
					}
				}
				list = append(list, ref)
			}
		}
	}
}

func leanSheetRefOf(s *leanScan, relPrefix string, rels []leanRel, parts map[string][]byte) (leanSheetRef, bool) {
	if leanPrefixed(s.name) || relPrefix == "" {
		return leanSheetRef{}, false
	}
	id := ""
	for _, a := range s.attrs {
		switch {
		case string(a.name) == relPrefix+":id":
			v, ok := leanText(a.value)
			if !ok || id != "" {
				return leanSheetRef{}, false
			}
			id = v
		case leanPrefixed(a.name):
			return leanSheetRef{}, false
		}
	}
	name, _, ok1 := leanAttrValue(s.attrs, "name", false)
	sid, hasID, ok2 := leanAttrValue(s.attrs, "sheetId", false)
	if !ok1 || !ok2 || id == "" || leanSheetNameInvalid(name) {
		return leanSheetRef{}, false
	}
	if _, err := strconv.Atoi(strings.TrimSpace(sid)); hasID && sid != "" && err != nil {
		return leanSheetRef{}, false
	}
	for _, r := range rels {
		if r.id != id {
			continue
		}
		if strings.Contains(r.target, "\\") {
			return leanSheetRef{}, false
		}
		p := strings.TrimPrefix(path.Clean("xl/"+r.target), "/")
		if strings.HasPrefix(r.target, "/") {
			p = strings.TrimPrefix(path.Clean(r.target), "/")
		}
		if _, ok := parts[p]; !ok || !strings.HasPrefix(p, "xl/worksheets/") {
			return leanSheetRef{}, false
		}
		return leanSheetRef{name, p}, true
	}
	return leanSheetRef{}, false
}

// leanSheetNameInvalid is excelize's check of a sheet name, which refuses to
// read a sheet whose name fails it.
func leanSheetNameInvalid(name string) bool {
	return name == "" || len(utf16.Encode([]rune(name))) > excelize.MaxSheetNameLength ||
		strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'") || strings.ContainsAny(name, ":\\/?*[]")
}

// leanScanWhole reads a part through, checking its root, and counts its
// cells as countCells does.
func leanScanWhole(data []byte, root, ns string) (int64, bool) {
	s, ok := newLeanScan(data)
	if !ok {
		return 0, false
	}
	c := newLeanCellCounter()
	for depth := 0; ; {
		kind, ok := s.next()
		switch {
		case !ok:
			return 0, false
		case kind == leanTokEOF:
			return c.total(), true
		case kind == leanTokEnd:
			depth--
		case kind == leanTokStart:
			depth++
			if depth == 1 && root != "" && !leanIsRoot(s, root, ns) {
				return 0, false
			}
			if !c.start(s) {
				return 0, false
			}
		}
	}
}

// leanCountPart is countCells of a part the lean reader does not read.
func leanCountPart(data []byte) int64 {
	if n, ok := leanScanWhole(data, "", ""); ok {
		return n
	}
	return countCells(data, maxAnyCells)
}

// leanCellCounter counts the cells a part lays out exactly as countCells
// does, as its elements stream past.
type leanCellCounter struct {
	n                  int64
	row, col, maxRow   int
	curRow, curLast    int
	lastCol            map[int]int
	over               bool // past maxPartCells: the count stops
	overLimit, started bool
}

func newLeanCellCounter() *leanCellCounter { return &leanCellCounter{curRow: -1} }

func (c *leanCellCounter) total() int64 { return c.n + int64(c.maxRow) }

// start counts a start element; false when an attribute it reads cannot
// be decoded.
func (c *leanCellCounter) start(s *leanScan) bool {
	if c.over {
		return true
	}
	switch string(leanLocal(s.name)) {
	case "row":
		c.row, c.col = c.row+1, 0
		v, ok := leanFirstAttr(s.attrs, "r")
		if !ok {
			return false
		}
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			c.row = n
		}
		c.maxRow = max(c.maxRow, c.row)
	case "c":
		c.col++
		r := c.row
		v, ok := leanFirstAttr(s.attrs, "r")
		if !ok {
			return false
		}
		if v != "" {
			if col, row, ok := leanCellCoords(v); ok {
				c.col, r = col, row
			}
		}
		c.maxRow = max(c.maxRow, r)
		c.n++
		if c.total() > maxPartCells {
			c.over = true
			return true
		}
		if r != c.curRow {
			if c.curRow >= 0 {
				if c.lastCol == nil {
					c.lastCol = map[int]int{}
				}
				c.lastCol[c.curRow] = c.curLast
			}
			c.curRow, c.curLast = r, c.lastCol[r]
		}
		if c.col > c.curLast {
			c.n += int64(c.col - c.curLast)
			c.curLast = c.col
		}
	}
	c.over = c.total() > maxPartCells
	return true
}

// leanFirstAttr is the decoded value of the first attribute of that local
// name, "" when there is none, as countCells's attr reads it.
func leanFirstAttr(attrs []leanAttr, name string) (string, bool) {
	for _, a := range attrs {
		if string(leanLocal(a.name)) == name {
			return leanText(a.value)
		}
	}
	return "", true
}

// leanCellCoords is excelize.CellNameToCoordinates, without its cost for a
// reference as spreadsheet programs write it (F7).
func leanCellCoords(ref string) (col, row int, ok bool) {
	if col, row, ok := leanRef(ref); ok {
		return col, row, true
	}
	col, row, err := excelize.CellNameToCoordinates(ref)
	return col, row, err == nil
}

// leanRef reads a reference of one to three capital letters and a
// row number without leading zeros, within the sheet's bounds.
func leanRef(ref string) (col, row int, ok bool) {
	i := 0
	for i < len(ref) && i < 4 && 'A' <= ref[i] && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	if i == 0 || i > 3 || i == len(ref) || ref[i] == '0' || len(ref)-i > 7 {
		return 0, 0, false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, 0, false
		}
		row = row*10 + int(c-'0')
	}
	if col > leanMaxColumns || row > leanTotalRows {
		return 0, 0, false
	}
	return col, row, true
}

// Roles of the elements the lean reader interprets, by where they are.
type leanRole uint8

const (
	leanOther leanRole = iota
	leanRoot
	leanData     // sheetData
	leanRow      // sheetData/row
	leanCellRole // row/c
	leanV        // c/v
	leanF        // c/f
	leanSI       // sst/si or c/is
	leanSIT      // si/t
	leanRun      // si/r
	leanRunT     // si/r/t
	leanMerges
	leanMergeRole
)

// leanRichText gathers a shared string item or inline string: its t, then
// the t of each run, as excelize's xlsxSI.String.
type leanRichText struct {
	b         strings.Builder
	hasT      bool
	runHasT   bool
	runs      []string
	t         string
	duplicate bool
}

func (r *leanRichText) reset() { *r = leanRichText{} }

func (r *leanRichText) String() string {
	s := r.t + strings.Join(r.runs, "")
	if s == "" {
		return ""
	}
	return leanBstrUnmarshal(s)
}

// leanReadSharedStrings reads xl/sharedStrings.xml; a missing part has none.
func leanReadSharedStrings(data []byte) ([]string, bool) {
	if data == nil {
		return nil, true
	}
	s, ok := newLeanScan(data)
	if !ok {
		return nil, false
	}
	var (
		sst   []string
		roles []leanRole
		rt    leanRichText
		text  []byte
	)
	for {
		kind, ok := s.next()
		if !ok {
			return nil, false
		}
		switch kind {
		case leanTokEOF:
			return sst, true
		case leanTokStart:
			parent := leanOther
			if len(roles) > 0 {
				parent = roles[len(roles)-1]
			}
			r := leanOther
			if len(roles) == 0 {
				if !leanIsRoot(s, "sst", leanNSMain) || !leanIntAttrs(s.attrs, "count", "uniqueCount") {
					return nil, false
				}
				r = leanRoot
			} else if parent == leanRoot && string(leanLocal(s.name)) == "si" {
				if leanPrefixed(s.name) {
					return nil, false
				}
				r = leanSI
			} else if parent == leanSI || parent == leanRun || parent == leanSIT || parent == leanRunT {
				if r, ok = leanRichRole(parent, s, &rt); !ok {
					return nil, false
				}
			}
			if r == leanSI {
				rt.reset()
			}
			roles = append(roles, r)
			text = text[:0]
		case leanTokText:
			switch roles[len(roles)-1] {
			case leanSIT, leanRunT:
				text = append(text, s.text...)
			}
		case leanTokEnd:
			r := roles[len(roles)-1]
			roles = roles[:len(roles)-1]
			if !leanEndRich(r, text, &rt) {
				return nil, false
			}
			if r == leanSI {
				if rt.duplicate {
					return nil, false
				}
				sst = append(sst, rt.String())
			}
		}
	}
}

// leanRichRole is the role of a start element within a rich text (an si or
// is element, or below).
func leanRichRole(parent leanRole, s *leanScan, rt *leanRichText) (leanRole, bool) {
	name := string(leanLocal(s.name))
	switch {
	case leanPrefixed(s.name) || parent == leanSIT || parent == leanRunT:
		return 0, false // a foreign element, or an element inside text
	case parent == leanSI && name == "t":
		if rt.hasT {
			rt.duplicate = true
		}
		rt.hasT = true
		return leanSIT, true
	case parent == leanSI && name == "r":
		rt.runHasT = false
		rt.runs = append(rt.runs, "")
		return leanRun, true
	case parent == leanRun && name == "t":
		if rt.runHasT {
			rt.duplicate = true
		}
		rt.runHasT = true
		return leanRunT, true
	}
	return leanOther, true
}

// leanEndRich stores the text of a t element that ends.
func leanEndRich(r leanRole, text []byte, rt *leanRichText) bool {
	switch r {
	case leanSIT, leanRunT:
		t, ok := leanText(text)
		if !ok {
			return false
		}
		if r == leanSIT {
			rt.t = t
		} else {
			rt.runs[len(rt.runs)-1] = t
		}
	}
	return true
}

// leanIntAttrs reports whether the attributes named (by local name) hold
// integers, as encoding/xml requires of excelize's int fields.
func leanIntAttrs(attrs []leanAttr, names ...string) bool {
	return leanAttrsParse(attrs, names, func(v string) error { _, err := strconv.ParseInt(v, 10, 64); return err })
}

// leanBoolAttrs is leanIntAttrs for bool fields.
func leanBoolAttrs(attrs []leanAttr, names ...string) bool {
	return leanAttrsParse(attrs, names, func(v string) error { _, err := strconv.ParseBool(v); return err })
}

// leanFloatAttrs is leanIntAttrs for float fields.
func leanFloatAttrs(attrs []leanAttr, names ...string) bool {
	return leanAttrsParse(attrs, names, func(v string) error { _, err := strconv.ParseFloat(v, 64); return err })
}

// leanAttrsParse reports whether each attribute named that is present and
// not blank parses with parse (its value trimmed).
func leanAttrsParse(attrs []leanAttr, names []string, parse func(string) error) bool {
	for _, n := range names {
		v, found, ok := leanAttrValue(attrs, n, true)
		if !ok {
			return false
		}
		if v = strings.TrimSpace(v); found && v != "" && parse(v) != nil {
			return false
		}
	}
	return true
}

// leanSheetReader holds the state of leanReadSheet.
type leanSheetReader struct {
	ls        *leanSheet
	sst       []string
	roles     []leanRole
	text      []byte
	cell      leanCell
	rawV      string
	hasV      bool
	hasIS     bool
	isText    string
	rt        leanRichText
	row       int // the current row element's number
	col       int // the last cell's column in it
	dataSeen  bool
	mergeSeen bool
}

// leanReadSheet reads a worksheet: its cells in columns A-L and its merged
// ranges, and counts its cells as countCells does. A sheet it cannot
// read is not usable (and counted by countCells).
func leanReadSheet(data []byte, sst []string) (*leanSheet, int64) {
	ls := &leanSheet{}
	s, ok := newLeanScan(data)
	if !ok {
		return ls, countCells(data, maxAnyCells)
	}
	c := newLeanCellCounter()
	sr := &leanSheetReader{ls: ls, sst: sst}
	ls.usable = true
	for {
		kind, ok := s.next()
		if !ok {
			ls.usable = false
			return ls, countCells(data, maxAnyCells)
		}
		switch kind {
		case leanTokEOF:
			if c.over {
				ls.usable = false
			}
			return ls, c.total()
		case leanTokStart:
			if !c.start(s) {
				ls.usable = false
				return ls, countCells(data, maxAnyCells)
			}
			r := leanOther
			if ls.usable && !c.over {
				if r, ok = sr.start(s); !ok {
					ls.usable = false
				}
			}
			sr.roles = append(sr.roles, r)
		case leanTokText:
			switch sr.roles[len(sr.roles)-1] {
			case leanV, leanF, leanSIT, leanRunT:
				sr.text = append(sr.text, s.text...)
			}
		case leanTokEnd:
			r := sr.roles[len(sr.roles)-1]
			sr.roles = sr.roles[:len(sr.roles)-1]
			if ls.usable && !sr.end(r) {
				ls.usable = false
			}
		}
	}
}

// start gives a start element its role, checking what excelize would
// decode of it.
func (sr *leanSheetReader) start(s *leanScan) (leanRole, bool) {
	depth := len(sr.roles)
	if depth == 0 {
		return leanRoot, leanIsRoot(s, "worksheet", leanNSMain)
	}
	parent := sr.roles[depth-1]
	name, pre := string(leanLocal(s.name)), leanPrefixed(s.name)
	switch parent {
	case leanRoot:
		switch name {
		case "sheetData":
			if pre || sr.dataSeen {
				return 0, false
			}
			sr.dataSeen = true
			return leanData, true
		case "mergeCells":
			if pre || sr.mergeSeen || !leanIntAttrs(s.attrs, "count") {
				return 0, false
			}
			sr.mergeSeen = true
			return leanMerges, true
		}
	case leanData:
		if name == "row" {
			return leanRow, !pre && sr.startRow(s)
		}
	case leanRow:
		if name == "c" {
			return leanCellRole, !pre && sr.startCell(s)
		}
	case leanCellRole:
		switch name {
		case "v":
			if pre || sr.hasV {
				return 0, false
			}
			sr.hasV, sr.text = true, sr.text[:0]
			return leanV, true
		case "f":
			if pre || sr.cell.hasF || !leanIntAttrs(s.attrs, "si") || !leanBoolAttrs(s.attrs, "aca", "dt2D", "dtr", "del1", "del2", "ca", "bx") {
				return 0, false
			}
			t, _, ok := leanAttrValue(s.attrs, "t", true)
			if !ok {
				return 0, false
			}
			sr.ls.shared = sr.ls.shared || t == "shared"
			sr.cell.hasF, sr.text = true, sr.text[:0]
			return leanF, true
		case "is":
			if pre || sr.hasIS {
				return 0, false
			}
			sr.hasIS = true
			sr.rt.reset()
			return leanSI, true
		}
	case leanV, leanF:
		return 0, false // an element inside a value
	case leanSI, leanRun, leanSIT, leanRunT:
		r, ok := leanRichRole(parent, s, &sr.rt)
		if r == leanSIT || r == leanRunT {
			sr.text = sr.text[:0]
		}
		return r, ok
	case leanMerges:
		if name == "mergeCell" {
			return leanMergeRole, !pre && sr.merge(s)
		}
	}
	return leanOther, true
}

func (sr *leanSheetReader) startRow(s *leanScan) bool {
	v, found, ok := leanAttrValue(s.attrs, "r", true)
	if !ok || !found {
		return false
	}
	n, err := strconv.Atoi(v)
	if err != nil || strconv.Itoa(n) != v || n <= sr.row || n > leanTotalRows {
		return false
	}
	if !leanIntAttrs(s.attrs, "s") || !leanFloatAttrs(s.attrs, "ht") || !leanBoolAttrs(s.attrs, "customFormat", "hidden", "customHeight", "collapsed", "thickTop", "thickBot", "ph") {
		return false
	}
	if v, found, ok := leanAttrValue(s.attrs, "outlineLevel", true); !ok || (found && strings.TrimSpace(v) != "" && !leanIsUint(v, 8)) {
		return false
	}
	sr.row, sr.col, sr.ls.lastRow = n, 0, n
	return true
}

func leanIsUint(v string, bits int) bool {
	_, err := strconv.ParseUint(strings.TrimSpace(v), 10, bits)
	return err == nil
}

func (sr *leanSheetReader) startCell(s *leanScan) bool {
	ref, found, ok := leanAttrValue(s.attrs, "r", true)
	if !ok || !found {
		return false
	}
	col, row, ok := leanRef(ref)
	if !ok || row != sr.row || col <= sr.col || !leanIntAttrs(s.attrs, "s") || !leanBoolAttrs(s.attrs, "ph") {
		return false
	}
	for _, n := range []string{"cm", "vm"} {
		if v, found, ok := leanAttrValue(s.attrs, n, true); !ok || (found && !leanIsUint(v, 0)) {
			return false
		}
	}
	t, _, ok := leanAttrValue(s.attrs, "t", true)
	if !ok {
		return false
	}
	sr.col = col
	sr.cell = leanCell{row: row, col: col, t: leanInternType(t)}
	sr.rawV, sr.hasV, sr.hasIS, sr.isText = "", false, false, ""
	return true
}

// leanInternType avoids a string per cell for the types in use.
func leanInternType(t string) string {
	for _, k := range [...]string{"", "s", "n", "str", "inlineStr", "b", "d", "e"} {
		if t == k {
			return k
		}
	}
	return t
}

func (sr *leanSheetReader) merge(s *leanScan) bool {
	ref, _, ok := leanAttrValue(s.attrs, "ref", true)
	if !ok || ref == "" {
		return false // excelize fails on an empty range
	}
	first, last, ok := strings.Cut(ref, ":")
	if !ok || strings.Contains(last, ":") {
		return false
	}
	c0, r0, ok0 := leanRef(first)
	c1, r1, ok1 := leanRef(last)
	if !ok0 || !ok1 {
		return false
	}
	sr.ls.merges = append(sr.ls.merges, leanMerge{rect: [4]int{min(c0, c1), min(r0, r1), max(c0, c1), max(r0, r1)}, c0: c0, r0: r0})
	return true
}

// end finishes an element.
func (sr *leanSheetReader) end(r leanRole) bool {
	switch r {
	case leanV, leanF:
		t, ok := leanText(sr.text)
		if !ok {
			return false
		}
		if r == leanV {
			sr.rawV = t
		} else {
			sr.cell.f = t
		}
	case leanSIT, leanRunT:
		return leanEndRich(r, sr.text, &sr.rt)
	case leanSI:
		if sr.rt.duplicate {
			return false
		}
		sr.isText = sr.rt.String()
	case leanCellRole:
		sr.endCell()
	}
	return true
}

// endCell gives the cell its value as excelize's GetCellValue gives it
// with RawCellValue, and keeps it when Read may ask for it.
func (sr *leanSheetReader) endCell() {
	c := &sr.cell
	switch c.t {
	case "s":
		if sr.rawV != "" {
			i, _ := strconv.Atoi(strings.TrimSpace(sr.rawV))
			if i < 0 || i >= len(sr.sst) {
				c.badIndex, sr.ls.badSST = true, true
			} else {
				c.v = sr.sst[i]
			}
		}
	case "inlineStr":
		c.v = sr.rawV
		if sr.hasIS {
			c.v = sr.isText
		}
	default:
		c.v = sr.rawV
	}
	if c.col <= leanMaxCol && c.row <= maxRows+1 {
		sr.ls.cells = append(sr.ls.cells, *c)
	}
}

// find returns the cell a reference reads, after excelize's redirection
// of a merged range's cells to its first; nil when empty.
func (ls *leanSheet) find(col, row int) *leanCell {
	for _, m := range ls.merges {
		if col >= m.rect[0] && col <= m.rect[2] && row >= m.rect[1] && row <= m.rect[3] {
			col, row = m.c0, m.r0
			break
		}
	}
	i := sort.Search(len(ls.cells), func(i int) bool {
		c := &ls.cells[i]
		return c.row > row || (c.row == row && c.col >= col)
	})
	if i < len(ls.cells) && ls.cells[i].row == row && ls.cells[i].col == col {
		return &ls.cells[i]
	}
	return nil
}

// leanBstrExp and leanBstrUnmarshal are excelize's (lib.go), which it applies to
// every shared and inline string: _x000D_ is a carriage return.
var leanBstrExp = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)

func leanBstrUnmarshal(s string) (result string) {
	if !strings.Contains(s, "_x") {
		return s
	}
	matches, l, cursor := leanBstrExp.FindAllStringSubmatchIndex(s, -1), len(s), 0
	for _, match := range matches {
		result += s[cursor:match[0]]
		subStr := s[match[0]:match[1]]
		if subStr == "_x005F_" {
			cursor = match[1]
			result += "_"
			continue
		}
		if leanBstrExp.MatchString(subStr) {
			cursor = match[1]
			v, _ := strconv.Unquote(`"\u` + s[match[0]+2:match[1]-1] + `"`)
			result += v
		}
	}
	if cursor < l {
		result += s[cursor:]
	}
	return result
}

// leanCoreModified is dcterms:modified of docProps/core.xml, as excelize's
// GetDocProps reads it ("" when absent or unreadable).
func leanCoreModified(data []byte) string {
	if v, ok := leanScanModified(data); ok {
		return v
	}
	var core struct {
		XMLName  xml.Name `xml:"http://schemas.openxmlformats.org/package/2006/metadata/core-properties coreProperties"`
		Modified *struct {
			Text string `xml:",chardata"`
		} `xml:"http://purl.org/dc/terms/ modified"`
	}
	if err := xml.NewDecoder(bytes.NewReader(data)).Decode(&core); err != nil || core.Modified == nil {
		return ""
	}
	return core.Modified.Text
}

// leanScanModified is leanCoreModified for the usual core.xml: namespaces
// declared on the root, the date as plain text.
func leanScanModified(data []byte) (string, bool) {
	if len(data) == 0 {
		return "", true
	}
	s, ok := newLeanScan(data)
	if !ok {
		return "", false
	}
	termsPrefix, modified, depth, in := "", "", 0, false
	var text []byte
	for {
		kind, ok := s.next()
		if !ok {
			return "", false
		}
		switch kind {
		case leanTokEOF:
			return modified, true
		case leanTokText:
			if in {
				text = append(text, s.text...)
			}
		case leanTokEnd:
			depth--
			if in {
				t, ok := leanText(text)
				if !ok {
					return "", false
				}
				modified, in = t, false
			}
		case leanTokStart:
			depth++
			if in {
				return "", false
			}
			if depth > 1 {
				for _, a := range s.attrs {
					if bytes.HasPrefix(a.name, []byte("xmlns")) {
						return "", false
					}
				}
			}
			switch {
			case depth == 1:
				if !leanIsRoot(s, "coreProperties", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties") {
					return "", true // excelize's decoding fails: no date
				}
				for _, a := range s.attrs {
					if p, ok := bytes.CutPrefix(a.name, []byte("xmlns:")); ok && string(a.value) == "http://purl.org/dc/terms/" {
						termsPrefix = string(p)
					}
				}
			case depth == 2 && termsPrefix != "" && string(s.name) == termsPrefix+":modified":
				in, text = true, text[:0]
			case depth == 2 && string(leanLocal(s.name)) == "modified":
				return "", false // another spelling of the namespace
			}
		}
	}
}

// leanCellTypes is excelize's map from a cell's type attribute to GetCellType.
var leanCellTypes = map[string]excelize.CellType{
	"b":         excelize.CellTypeBool,
	"d":         excelize.CellTypeDate,
	"n":         excelize.CellTypeNumber,
	"e":         excelize.CellTypeError,
	"s":         excelize.CellTypeSharedString,
	"str":       excelize.CellTypeFormula,
	"inlineStr": excelize.CellTypeInlineString,
}

// The lean reader as the reader's workbookSource.

func (b *leanBook) sheetList() []string {
	names := make([]string, len(b.sheets))
	for i, s := range b.sheets {
		names[i] = s.name
	}
	return names
}

func (b *leanBook) sheet(name string) *leanSheet {
	for _, s := range b.sheets {
		if strings.EqualFold(s.name, name) {
			return b.parsed[s.part]
		}
	}
	return nil
}

// readable reports whether the lean reader read all a sheet's cells as
// excelize reads them: for a checklist sheet (cells), by cell; else as
// its row iterator reads _meta.
func (b *leanBook) readable(name string, cells bool) bool {
	ls := b.sheet(name)
	switch {
	case ls == nil || !ls.usable:
		return false
	case cells:
		return !ls.shared
	}
	return !ls.badSST
}

func (b *leanBook) metaRows(name string) ([][]string, error) {
	ls := b.sheet(name)
	var rows [][]string
	next := 0 // the next cell
	for r := 1; r <= min(ls.lastRow, maxMetaRows); r++ {
		var row []string
		for ; next < len(ls.cells) && ls.cells[next].row <= r; next++ {
			c := &ls.cells[next]
			if c.row < r || c.col > 6 {
				continue
			}
			for len(row) < c.col-1 {
				row = append(row, "")
			}
			row = append(row, c.v)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func (b *leanBook) grid(name string) (grid, error) { return b.sheet(name), nil }

func (ls *leanSheet) at(ref string) *leanCell {
	col, row, ok := leanRef(ref)
	if !ok {
		return nil
	}
	return ls.find(col, row)
}

func (ls *leanSheet) value(ref string) (string, error) {
	c := ls.at(ref)
	switch {
	case c == nil:
		return "", nil
	case c.badIndex:
		return "", errLeanBadIndex
	}
	return c.v, nil
}

var errLeanBadIndex = errors.New("invalid shared string index")

func (ls *leanSheet) formula(ref string) (string, error) {
	if c := ls.at(ref); c != nil && c.hasF {
		return c.f, nil
	}
	return "", nil
}

func (ls *leanSheet) cellType(ref string) (excelize.CellType, error) {
	if c := ls.at(ref); c != nil {
		return leanCellTypes[c.t], nil
	}
	return excelize.CellTypeUnset, nil
}
