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
	lines := strings.Split(src, "\n")
	// charPos turns the csv package's line and byte column into a place in
	// the text, clamped to it: an unterminated quote is reported past the
	// end of its line.
	charPos := func(line, byteCol int) Pos {
		line = min(max(line, 1), len(lines))
		text := lines[line-1]
		byteCol = min(max(byteCol, 1), len(text)+1)
		for byteCol > 1 && byteCol-1 < len(text) && !utf8.RuneStart(text[byteCol-1]) {
			byteCol-- // not inside a character
		}
		return Pos{File: file, Line: line, Col: utf8.RuneCountInString(text[:byteCol-1]) + 1}
	}
	cr := csv.NewReader(strings.NewReader(src))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		errs.Add(Pos{File: file, Line: 1, Col: 1}, "cannot read the header: %v", csvMessage(err))
		return nil, false
	}
	if got := strings.Join(header, ","); strings.TrimSpace(got) != UnitsCSVHeader {
		errs.Add(Pos{File: file, Line: 1, Col: 1}, "wrong header %q: the first row must be exactly %s", got, UnitsCSVHeader)
		return nil, false
	}
	var units []*Unit
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				errs.Add(charPos(pe.Line, pe.Column), "%s", csvMessage(err))
			} else {
				errs.Add(Pos{File: file}, "%v", err)
			}
			return units, false
		}
		line, _ := cr.FieldPos(0)
		at := func(i int) Pos {
			l, c := cr.FieldPos(i)
			return charPos(l, c)
		}
		if len(row) != 6 {
			errs.Add(Pos{File: file, Line: line, Col: 1}, "row has %d fields, want 6 (%s); quote fields that contain commas", len(row), UnitsCSVHeader)
			continue
		}
		u := &Unit{
			Code:   strings.TrimSpace(row[0]),
			Parent: strings.TrimSpace(row[1]),
			Level:  strings.TrimSpace(row[2]),
			Name:   strings.TrimSpace(row[3]),
			Pos:    Pos{File: file, Line: line, Col: 1},
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
			errs.Add(at(0), "unit is missing its code")
		case !isCode(u.Code):
			errs.Add(at(0), "malformed unit code %q: %s", u.Code, patternHint(codeRE))
		default:
			if msg := checkName(u.Code, "unit code"); msg != "" {
				errs.Add(at(0), "%s", msg)
			}
		}
		if u.Level == "" {
			errs.Add(at(2), "unit %s is missing its level", u.Code)
		}
		if u.Name == "" {
			errs.Add(at(3), "unit %s is missing its name", u.Code)
		}
		if d := strings.TrimSpace(row[5]); d != "" {
			t, err := time.Parse("2006-01-02", d)
			if err != nil {
				errs.Add(at(5), "election_day %q must be a date like 2021-05-22", d)
			} else if day := DateOf(t); !inRange(day) {
				errs.Add(at(5), "election_day %s is out of range: %s", d, rangeHint)
			} else {
				u.ElectionDay = &day
			}
		}
		units = append(units, u)
	}
	return units, true
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
