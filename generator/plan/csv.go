package plan

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// readUnitsCSV reads units.csv: the header code,parent,level,name,tags,
// election_day, then one unit per row; tags are separated by ';'. It
// reports false when the file could not be read as a whole.
func readUnitsCSV(file, src string, errs *ErrorList) ([]*Unit, bool) {
	f := parseUnitsCSV(file, src)
	var units []*Unit
	for _, r := range f.rows {
		*errs = append(*errs, r.errs...)
		if r.unit != nil {
			units = append(units, r.unit)
		}
	}
	*errs = append(*errs, f.errs...)
	return units, f.complete
}

// csvFile is what reading units.csv gave, row by row, so that a Loader
// can read again only the rows whose lines changed (csvmemo.go).
type csvFile struct {
	header   int      // the last line of the header
	rows     []csvRow // in file order
	errs     ErrorList
	complete bool // false when the file could not be read as a whole (the header or a record is malformed)
}

// csvRow is one record after the header: the unit it gives (nil for a
// row that gives none), the errors found in it, and its lines.
type csvRow struct {
	unit        *Unit
	errs        ErrorList
	first, last int32 // 1-based; a quoted field may hold line breaks
}

// parseUnitsCSV reads the whole of units.csv.
func parseUnitsCSV(file, src string) *csvFile {
	f := &csvFile{}
	p := newCSVParser(file, src, 1)
	header, err := p.cr.Read()
	if err != nil {
		f.errs.Add(Pos{File: file, Line: 1, Col: 1}, "cannot read the header: %v", csvMessage(err))
		return f
	}
	if got := strings.Join(header, ","); strings.TrimSpace(got) != UnitsCSVHeader {
		f.errs.Add(Pos{File: file, Line: 1, Col: 1}, "wrong header %q: the first row must be exactly %s", got, UnitsCSVHeader)
		return f
	}
	f.header = p.lastLine()
	var bad *Error
	f.rows, bad = p.rows()
	if bad != nil {
		f.errs = append(f.errs, bad)
		return f
	}
	f.complete = true
	return f
}

// csvParser reads the records of a text of whole lines of units.csv,
// which start at line first of the file.
type csvParser struct {
	file  string
	src   string
	lines []string
	first int
	cr    *csv.Reader
	off   int // the offset in src of the end of the last record read
	line  int // the line of src that offset is on (1-based)
}

func newCSVParser(file, src string, first int) *csvParser {
	cr := csv.NewReader(strings.NewReader(src))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvParser{file: file, src: src, lines: strings.Split(src, "\n"), first: first, cr: cr, line: 1}
}

// pos turns the csv package's line and byte column into a place in the
// file, clamped to the text: an unterminated quote is reported past the
// end of its line.
func (p *csvParser) pos(line, byteCol int) Pos {
	line = min(max(line, 1), len(p.lines))
	text := p.lines[line-1]
	byteCol = min(max(byteCol, 1), len(text)+1)
	for byteCol > 1 && byteCol-1 < len(text) && !utf8.RuneStart(text[byteCol-1]) {
		byteCol-- // not inside a character
	}
	return Pos{File: p.file, Line: line + p.first - 1, Col: utf8.RuneCountInString(text[:byteCol-1]) + 1}
}

// lastLine returns the line of the file the last record read ends on.
func (p *csvParser) lastLine() int {
	end := int(p.cr.InputOffset())
	if end > p.off {
		p.line += strings.Count(p.src[p.off:end], "\n")
		p.off = end
	}
	last := p.line
	if end > 0 && p.src[end-1] == '\n' {
		last-- // the record's line break
	}
	return last + p.first - 1
}

// rows reads the records up to the end of the text, or up to the first
// that is not well-formed CSV, which it returns as an error.
func (p *csvParser) rows() ([]csvRow, *Error) {
	var rows []csvRow
	for {
		row, err := p.cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return rows, &Error{Pos: p.pos(pe.Line, pe.Column), Msg: csvMessage(err)}
			}
			return rows, &Error{Pos: Pos{File: p.file}, Msg: err.Error()}
		}
		line, _ := p.cr.FieldPos(0)
		r := p.row(row)
		r.first, r.last = int32(line+p.first-1), int32(p.lastLine())
		rows = append(rows, r)
	}
}

// row reads the record just read, row.
func (p *csvParser) row(row []string) csvRow {
	var r csvRow
	line, _ := p.cr.FieldPos(0)
	at := func(i int) Pos {
		l, c := p.cr.FieldPos(i)
		return p.pos(l, c)
	}
	if len(row) != 6 {
		r.errs.Add(Pos{File: p.file, Line: line + p.first - 1, Col: 1}, "row has %d fields, want 6 (%s); quote fields that contain commas", len(row), UnitsCSVHeader)
		return r
	}
	u := &Unit{
		Code:   strings.TrimSpace(row[0]),
		Parent: strings.TrimSpace(row[1]),
		Level:  strings.TrimSpace(row[2]),
		Name:   strings.TrimSpace(row[3]),
		Pos:    Pos{File: p.file, Line: line + p.first - 1, Col: 1},
		fields: new([6][2]int32),
	}
	for i := range u.fields {
		p := at(i)
		u.fields[i] = [2]int32{int32(p.Line), int32(p.Col)}
	}
	for t := range strings.SplitSeq(row[4], ";") {
		if t = strings.TrimSpace(t); t != "" {
			u.Tags = append(u.Tags, t)
		}
	}
	switch {
	case u.Code == "":
		r.errs.Add(at(0), "unit is missing its code")
	case !isCode(u.Code):
		r.errs.Add(at(0), "malformed unit code %q: %s", u.Code, patternHint(codeRE))
	default:
		if msg := checkName(u.Code, "unit code"); msg != "" {
			r.errs.Add(at(0), "%s", msg)
		}
	}
	if u.Level == "" {
		r.errs.Add(at(2), "unit %s is missing its level", u.Code)
	}
	if u.Name == "" {
		r.errs.Add(at(3), "unit %s is missing its name", u.Code)
	}
	if d := strings.TrimSpace(row[5]); d != "" {
		t, err := time.Parse("2006-01-02", d)
		if err != nil {
			r.errs.Add(at(5), "election_day %q must be a date like 2021-05-22", d)
		} else if day := DateOf(t); !inRange(day) {
			r.errs.Add(at(5), "election_day %s is out of range: %s", d, rangeHint)
		} else {
			u.ElectionDay = &day
		}
	}
	r.unit = u
	return r
}

// isCode reports whether s matches codeRE, ^[A-Za-z0-9][A-Za-z0-9._-]*$,
// at a fraction of its cost: units.csv has a code per row.
func isCode(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-') {
			return false
		}
	}
	return s != ""
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "malformed CSV: " + pe.Err.Error() + ` (a field with commas or quotes must be quoted, with quotes doubled: "a ""b"", c")`
	}
	return err.Error()
}
