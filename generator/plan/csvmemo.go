package plan

import (
	"bytes"
	"io/fs"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// This file saves a Loader reading all of units.csv again after an edit
// of a few of its lines (a unit renamed, added or removed), the costliest
// load of a site of 100,000 units: the lines the old and new file share
// at their start and at their end keep the rows read from them, and only
// the lines between are read. The result is the one a full read gives.

// byteOrderMark is what SourceText drops from the start of a file.
var byteOrderMark = []byte("\xef\xbb\xbf")

// csvMemo is units.csv as a Loader last read it, complete and well formed.
type csvMemo struct {
	body   string   // the file's bytes without a byte-order mark
	text   string   // body as SourceText gives it
	normal bool     // body is text: normalising changed nothing
	file   *csvFile // what reading text gave
}

// newCSVMemo returns the memo of a file whose bytes raw gave the source
// text src, read as f; nil when f is not complete, or when raw is not
// what src was read from (the file changed between two reads).
func newCSVMemo(raw []byte, src string, f *csvFile) *csvMemo {
	if !f.complete {
		return nil
	}
	body := bytes.TrimPrefix(raw, byteOrderMark)
	switch {
	case string(body) == src:
		return &csvMemo{body: src, text: src, normal: true, file: f}
	case SourceText(raw) == src:
		return &csvMemo{body: string(body), text: src, file: f}
	}
	return nil
}

// loadUnitsCSV reads units.csv, whose bytes are raw (nil when readOK is
// false: they could not be read), into s, as (*Set).loadUnitsCSV does,
// reading only the lines that changed since the last read when it can.
func (l *Loader) loadUnitsCSV(s *Set, fsys fs.FS, raw []byte, readOK bool) {
	if readOK && l.csv != nil {
		if m := l.csv.update(raw); m != nil {
			l.csv = m
			s.Sources[UnitsCSV] = m.text
			s.addCSV(m.file)
			return
		}
	}
	l.csv = nil
	if _, err := fs.Stat(fsys, UnitsCSV); err != nil {
		return // a site may have units.toml only, or levels only
	}
	src, ok := s.read(fsys, UnitsCSV, false)
	if !ok {
		s.broken["units"] = true
		return
	}
	f := parseUnitsCSV(UnitsCSV, src)
	s.addCSV(f)
	if readOK {
		l.csv = newCSVMemo(raw, src, f)
	}
}

// addCSV adds the units and errors of units.csv to the set.
func (s *Set) addCSV(f *csvFile) {
	units := make([]*Unit, 0, len(f.rows))
	for _, r := range f.rows {
		s.errs = append(s.errs, r.errs...)
		if r.unit != nil {
			units = append(units, r.unit)
		}
	}
	s.errs = append(s.errs, f.errs...)
	s.Units = append(s.Units, units...)
	if !f.complete {
		s.broken["units"] = true
	}
}

// csvEdit is where a new units.csv differs from the memo's: the lines
// before line from (of both) are the same, and so are the lines from
// oldTo of the old file and newTo of the new one to their ends; the rows
// read from those lines are kept.
type csvEdit struct {
	from     int // the first line read again
	keepHead int // the rows kept from the start
	keepTail int // the index of the first row kept at the end (len(rows) for none)
	oldOff   [2]int
	newOff   [2]int // the bytes of the lines read again, in the old and new body
	shift    int    // lines added (or removed, when negative) before the rows kept at the end
}

// update returns the memo of the file whose bytes are raw, reading only
// the lines that differ from the memo's, or nil when it cannot: the
// header changed, or the lines read again are not whole well-formed
// records (then a full read finds the error and its place).
func (old *csvMemo) update(raw []byte) *csvMemo {
	body := bytes.TrimPrefix(raw, byteOrderMark)
	e, ok := old.diff(body)
	if !ok {
		return nil
	}
	region := body[e.newOff[0]:e.newOff[1]]
	if !utf8.Valid(region) {
		return nil
	}
	regionText := string(region)
	if !norm.NFC.IsNormalString(regionText) {
		regionText = norm.NFC.String(regionText)
	}
	p := newCSVParser(UnitsCSV, regionText, e.from)
	mid, bad := p.rows()
	if bad != nil {
		return nil
	}
	rows := old.file.rows
	var kept []csvRow
	if e.shift == 0 && len(mid) == e.keepTail-e.keepHead {
		// As many rows as before, on the same lines (a unit renamed): the
		// old memo's rows, which no one else holds, take the new ones.
		kept = rows
		copy(kept[e.keepHead:], mid)
	} else {
		kept = make([]csvRow, 0, e.keepHead+len(mid)+len(rows)-e.keepTail)
		kept = append(kept, rows[:e.keepHead]...)
		kept = append(kept, mid...)
		kept = append(kept, shiftRows(rows[e.keepTail:], e.shift)...)
	}

	t0, t1 := e.oldOff[0], e.oldOff[1]
	if !old.normal { // the old text's lines have other lengths
		t0, t1 = lineStart(old.text, e.from), len(old.text)
		if e.keepTail < len(rows) {
			t1 = lineStart(old.text, int(rows[e.keepTail].first))
		}
	}
	var b strings.Builder
	b.Grow(t0 + len(regionText) + len(old.text) - t1)
	b.WriteString(old.text[:t0])
	b.WriteString(regionText)
	b.WriteString(old.text[t1:])
	m := &csvMemo{text: b.String(), file: &csvFile{header: old.file.header, rows: kept, complete: true}}
	m.body, m.normal = m.text, true
	if !old.normal || regionText != string(region) {
		m.body, m.normal = string(body), false
	}
	return m
}

// diff finds the lines of body, a new units.csv, that differ from the
// memo's, widened to whole records of the memo; ok is false when the
// header is among them.
func (old *csvMemo) diff(body []byte) (csvEdit, bool) {
	var e csvEdit
	pre := commonLinePrefix(old.body, body)
	suf := commonLineSuffix(old.body[pre:], body[pre:])
	preLines := strings.Count(old.body[:pre], "\n") // the lines 1 to preLines are the same
	if old.file.header > preLines {
		return e, false
	}
	rows := old.file.rows
	e.keepHead = sort.Search(len(rows), func(i int) bool { return int(rows[i].last) > preLines })
	e.from = old.file.header + 1
	if e.keepHead > 0 {
		e.from = int(rows[e.keepHead-1].last) + 1
	}
	// The byte offset of line from: back from that of line preLines+1.
	start := pre
	for range preLines + 1 - e.from {
		start = strings.LastIndexByte(old.body[:start-1], '\n') + 1
	}
	e.oldOff = [2]int{start, len(old.body)}
	e.newOff = [2]int{start, len(body)}
	e.keepTail = len(rows)
	if suf > 0 {
		oldSuf, newSuf := len(old.body)-suf, len(body)-suf
		sufLine := preLines + strings.Count(old.body[pre:oldSuf], "\n") + 1 // of the old file
		e.shift = bytes.Count(body[pre:newSuf], []byte("\n")) - strings.Count(old.body[pre:oldSuf], "\n")
		e.keepTail = sort.Search(len(rows), func(i int) bool { return int(rows[i].first) >= sufLine })
		if e.keepTail < len(rows) {
			// The byte offset of the first kept row: on from that of sufLine.
			n := int(rows[e.keepTail].first) - sufLine
			e.oldOff[1] = nthLine(old.body, oldSuf, n)
			e.newOff[1] = newSuf + e.oldOff[1] - oldSuf // the lines from there are the same
		}
	}
	return e, true
}

// commonLinePrefix returns the length of the longest run of whole lines
// a and b start with.
func commonLinePrefix(a string, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	const block = 4096
	for i+block <= n && a[i:i+block] == string(b[i:i+block]) {
		i += block
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return strings.LastIndexByte(a[:i], '\n') + 1
}

// commonLineSuffix returns the length of the longest run of whole lines
// a and b end with: it starts at the start of a line (or of a and b).
func commonLineSuffix(a string, b []byte) int {
	n := min(len(a), len(b))
	i := 0 // bytes in common at the end
	const block = 4096
	for i+block <= n && a[len(a)-i-block:len(a)-i] == string(b[len(b)-i-block:len(b)-i]) {
		i += block
	}
	for i < n && a[len(a)-i-1] == b[len(b)-i-1] {
		i++
	}
	if (i == len(a) || a[len(a)-i-1] == '\n') && (i == len(b) || b[len(b)-i-1] == '\n') {
		return i
	}
	tail := a[len(a)-i:]
	k := strings.IndexByte(tail, '\n')
	if k < 0 {
		return 0
	}
	return len(tail) - k - 1
}

// nthLine returns the offset of the start of the line n lines after the
// one that starts at off.
func nthLine(s string, off, n int) int {
	for range n {
		off += strings.IndexByte(s[off:], '\n') + 1
	}
	return off
}

// lineStart returns the offset of the start of line n (1-based) of s.
func lineStart(s string, n int) int { return nthLine(s, 0, n-1) }

// shiftRows returns rows moved down by shift lines: copies, when shift is
// not 0, of their units and errors with their places moved.
func shiftRows(rows []csvRow, shift int) []csvRow {
	if shift == 0 || len(rows) == 0 {
		return rows
	}
	out := make([]csvRow, len(rows))
	units := make([]Unit, len(rows))
	fields := make([][6][2]int32, len(rows))
	for i, r := range rows {
		out[i] = csvRow{first: r.first + int32(shift), last: r.last + int32(shift)}
		if u := r.unit; u != nil {
			units[i] = *u
			units[i].Pos.Line += shift
			if u.fields != nil {
				fields[i] = *u.fields
				for j := range fields[i] {
					fields[i][j][0] += int32(shift)
				}
				units[i].fields = &fields[i]
			}
			out[i].unit = &units[i]
		}
		for _, err := range r.errs {
			moved := *err
			moved.Pos.Line += shift
			out[i].errs = append(out[i].errs, &moved)
		}
	}
	return out
}
