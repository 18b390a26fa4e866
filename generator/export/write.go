package export

import (
	"bytes"
	"fmt"
	"slices"
	"unicode/utf8"

	"checkgen/generator/plan"
)

// A unit's data file is written here by hand, not by encoding/json: a
// national build writes one per unit (96,135), and encoding/json's
// reflection and indenting cost more than the rest of the file's making.
// appendUnitFile writes the bytes encode writes, field for field (see
// TestUnitFileBytes, which compares the two on every unit of the example,
// and FuzzUnitFileBytes).

// appendUnitFile appends the data file of u (unitFile(u, day)) as encode
// writes it: indented by two spaces, HTML left unescaped, and a newline
// at the end. A unit without its own deadlines, almost every one, is
// written straight from the model.
func appendUnitFile(b []byte, u *plan.Unit, day string) []byte {
	if c := u.Checklist; c != nil && c.Day.String() != day {
		return appendUnit(b, unitFile(u, day))
	}
	w := jsonWriter{b: b}
	w.begin('{')
	w.str("format", Format)
	w.str("code", u.Code)
	w.str("name", u.Name)
	w.str("level", u.Level)
	if u.Parent != "" {
		w.str("parent", u.Parent)
	}
	w.key("ancestors")
	w.begin('[')
	var up [8]*plan.Unit
	ancestors := up[:0]
	for p := u.ParentUnit; p != nil; p = p.ParentUnit {
		ancestors = append(ancestors, p)
	}
	for i := len(ancestors) - 1; i >= 0; i-- {
		w.next()
		w.unitBrief(ancestors[i])
	}
	w.end(']')
	w.key("children")
	w.begin('[')
	for _, c := range u.Children {
		w.next()
		w.unitBrief(c)
	}
	w.end(']')
	if len(u.Tags) > 0 {
		w.key("tags")
		w.begin('[')
		for _, t := range u.Tags {
			w.next()
			w.b = appendString(w.b, t)
		}
		w.end(']')
	}
	w.key("election_day")
	w.b = appendDate(w.b, u.Day)
	if u.Checklist != nil && u.Checklist.Version != "" {
		w.str("version", u.Checklist.Version)
	}
	w.end('}')
	return append(w.b, '\n')
}

// unitBrief writes brief(u).
func (w *jsonWriter) unitBrief(u *plan.Unit) {
	w.begin('{')
	w.str("code", u.Code)
	if u.Parent != "" {
		w.str("parent", u.Parent)
	}
	w.str("level", u.Level)
	w.str("name", u.Name)
	w.key("election_day")
	w.b = appendDate(w.b, u.Day)
	version := ""
	if u.Checklist != nil {
		version = u.Checklist.Version
	}
	w.str("version", version)
	w.end('}')
}

// appendDate appends day as a JSON string, as Date.String formats it.
func appendDate(b []byte, day plan.Date) []byte {
	y, m, d := day.Year, int(day.Month), day.Day
	if y < 0 || y > 9999 || m < 0 || m > 99 || d < 0 || d > 99 {
		return appendString(b, day.String())
	}
	return append(b, '"', byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10), '"')
}

// appendSite appends data/site.json of m as encode writes site(m): its
// units, one per unit of the site, by hand, the rest by encoding/json.
func appendSite(b []byte, m *plan.Model) ([]byte, error) {
	s := siteWithoutUnits(m)
	s.Units = []UnitBrief{}
	buf := bytes.NewBuffer(b)
	if err := encode(buf, s); err != nil {
		return nil, err
	}
	const tail = ",\n  \"units\": []\n}\n"
	rest, ok := bytes.CutSuffix(buf.Bytes(), []byte(tail))
	if !ok {
		return nil, fmt.Errorf("data/site.json does not end in %q", tail)
	}
	// About 250 bytes a unit.
	w := jsonWriter{b: slices.Grow(rest, 256*len(m.Units)+len(tail)), depth: 1}
	w.key("units")
	w.begin('[')
	for _, u := range m.Units {
		w.next()
		w.unitBrief(u)
	}
	w.end(']')
	w.end('}')
	return append(w.b, '\n'), nil
}

// appendUnit appends the data file u as encode writes it.
func appendUnit(b []byte, u Unit) []byte {
	w := jsonWriter{b: b}
	w.begin('{')
	w.str("format", u.Format)
	w.str("code", u.Code)
	w.str("name", u.Name)
	w.str("level", u.Level)
	if u.Parent != "" {
		w.str("parent", u.Parent)
	}
	w.briefs("ancestors", u.Ancestors)
	w.briefs("children", u.Children)
	if len(u.Tags) > 0 {
		w.key("tags")
		w.begin('[')
		for _, t := range u.Tags {
			w.next()
			w.b = appendString(w.b, t)
		}
		w.end(']')
	}
	w.str("election_day", u.ElectionDay)
	if u.Version != "" {
		w.str("version", u.Version)
	}
	if len(u.Deadlines) > 0 {
		w.key("deadlines")
		w.begin('[')
		for _, d := range u.Deadlines {
			w.next()
			w.deadline(d)
		}
		w.end(']')
	}
	w.end('}')
	return append(w.b, '\n')
}

// jsonWriter writes JSON indented as json.Encoder.SetIndent("", "  ")
// does: a member or element on a line of its own, "key": value, and an
// empty object or array as {} or [].
type jsonWriter struct {
	b     []byte
	depth int
	empty bool // the object or array being written has no member yet
}

func (w *jsonWriter) begin(c byte) {
	w.b = append(w.b, c)
	w.depth++
	w.empty = true
}

func (w *jsonWriter) end(c byte) {
	w.depth--
	if !w.empty {
		w.newline()
	}
	w.b = append(w.b, c)
	w.empty = false
}

// next starts a member or an element.
func (w *jsonWriter) next() {
	if !w.empty {
		w.b = append(w.b, ',')
	}
	w.newline()
	w.empty = false
}

func (w *jsonWriter) newline() {
	w.b = append(w.b, '\n')
	for range w.depth {
		w.b = append(w.b, "  "...)
	}
}

// key starts the member k; k needs no escaping.
func (w *jsonWriter) key(k string) {
	w.next()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, `": `...)
}

func (w *jsonWriter) str(k, v string) {
	w.key(k)
	w.b = appendString(w.b, v)
}

func (w *jsonWriter) briefs(k string, list []UnitBrief) {
	w.key(k)
	w.begin('[')
	for _, u := range list {
		w.next()
		w.brief(u)
	}
	w.end(']')
}

func (w *jsonWriter) brief(u UnitBrief) {
	w.begin('{')
	w.str("code", u.Code)
	if u.Parent != "" {
		w.str("parent", u.Parent)
	}
	w.str("level", u.Level)
	w.str("name", u.Name)
	w.str("election_day", u.ElectionDay)
	w.str("version", u.Version)
	w.end('}')
}

func (w *jsonWriter) deadline(d Deadline) {
	w.begin('{')
	w.str("task", d.Task)
	w.moment("due", d.Due)
	w.moment("start", d.Start)
	w.moment("limit", d.Limit)
	if d.Late {
		w.key("late")
		w.b = append(w.b, "true"...)
	}
	w.end('}')
}

// moment writes the member k, unless m is nil.
func (w *jsonWriter) moment(k string, m *Moment) {
	if m == nil {
		return
	}
	w.key(k)
	w.begin('{')
	w.str("date", m.Date)
	if m.Time != "" {
		w.str("time", m.Time)
	}
	w.str("relative", m.Relative)
	w.end('}')
}

// appendString appends s as a JSON string as encoding/json writes it
// with HTML escaping off: `"` and `\` escaped, \b \f \n \r \t by name,
// other control characters as \u00XX, U+2028 and U+2029 as \u2028 and
// \u2029, and each byte of invalid UTF-8 as \ufffd.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
