package xlsx

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// leanScan reads the XML that spreadsheet programs write, a token at a
// time, straight from the part's bytes: about ten times faster than
// encoding/xml, which dominated reading a filled workbook. It reads a
// strict subset of XML: an optional <?xml?> declaration in UTF-8, one
// root element, elements, attributes, text and the references XML
// defines. Anything else (comments, CDATA sections, processing
// instructions, DOCTYPE, a \r in text, names beyond ASCII) makes next
// report false, and the whole workbook is read by excelize instead
// (readExcelize): never a different answer, only a slower one.
// Malformed XML also reports false, so that excelize names the damage.
type leanScan struct {
	data  []byte
	pos   int
	stack [][]byte // the names of the open elements

	name       []byte     // of the start or end element
	attrs      []leanAttr // of the start element
	text       []byte     // raw text, references not yet replaced
	selfClose  bool       // the start element ends at once: next returns its end
	rootClosed bool
}

// leanAttr is one attribute: its qualified name and raw value.
type leanAttr struct{ name, value []byte }

type leanTok uint8

const (
	leanTokEnd leanTok = iota + 1
	leanTokStart
	leanTokText
	leanTokEOF // after the root element, only white space
)

// leanPlainXML reports whether data is UTF-8 holding only the characters
// XML allows (no control characters but tab and line breaks, no U+FFFE
// or U+FFFF), as encoding/xml requires.
func leanPlainXML(data []byte) bool {
	for i := 0; i < len(data); i++ {
		b := data[i]
		switch {
		case b < 0x20 && b != '\t' && b != '\n' && b != '\r':
			return false
		case b == 0xEF && i+2 < len(data) && data[i+1] == 0xBF && (data[i+2] == 0xBE || data[i+2] == 0xBF):
			return false
		}
	}
	return utf8.Valid(data)
}

func newLeanScan(data []byte) (*leanScan, bool) {
	s := &leanScan{data: data}
	if !leanPlainXML(data) {
		return nil, false
	}
	if bytes.HasPrefix(data, []byte("<?xml")) {
		end := bytes.Index(data, []byte("?>"))
		if end < 0 || !s.declaration(data[len("<?xml"):end]) {
			return nil, false
		}
		s.pos = end + 2
	}
	return s, true
}

// declaration checks the <?xml ...?> declaration: version 1.0 (or none)
// and UTF-8 (or no encoding).
func (s *leanScan) declaration(body []byte) bool {
	if len(body) > 0 && !leanIsSpace(body[0]) {
		return false // <?xml-stylesheet ...?> and the like
	}
	d := &leanScan{data: body}
	for {
		d.skipSpace()
		if d.pos >= len(d.data) {
			return true
		}
		a, ok := d.attr()
		if !ok {
			return false
		}
		v := string(a.value)
		switch string(a.name) {
		case "version":
			if v != "1.0" {
				return false
			}
		case "encoding":
			if !bytes.EqualFold(a.value, []byte("utf-8")) {
				return false
			}
		}
	}
}

func leanIsSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

func leanAllSpace(b []byte) bool {
	for _, c := range b {
		if !leanIsSpace(c) {
			return false
		}
	}
	return true
}

func (s *leanScan) skipSpace() {
	for s.pos < len(s.data) && leanIsSpace(s.data[s.pos]) {
		s.pos++
	}
}

// next reads the next token. ok is false on anything outside the subset
// or malformed, and at the end of the data with the root element open.
func (s *leanScan) next() (kind leanTok, ok bool) {
	if s.selfClose {
		s.selfClose = false
		return s.pop(s.name)
	}
	d := s.data
	if s.rootClosed {
		return leanTokEOF, leanAllSpace(d[s.pos:])
	}
	if s.pos >= len(d) {
		return 0, false
	}
	if d[s.pos] != '<' {
		i := bytes.IndexByte(d[s.pos:], '<')
		if i < 0 {
			i = len(d) - s.pos
		}
		s.text = d[s.pos : s.pos+i]
		s.pos += i
		if len(s.stack) == 0 {
			if !leanAllSpace(s.text) {
				return 0, false
			}
			return s.next()
		}
		return leanTokText, true
	}
	if s.pos+1 >= len(d) {
		return 0, false
	}
	switch d[s.pos+1] {
	case '/':
		s.pos += 2
		name, ok := s.readName()
		if !ok {
			return 0, false
		}
		s.skipSpace()
		if s.pos >= len(d) || d[s.pos] != '>' {
			return 0, false
		}
		s.pos++
		return s.pop(name)
	case '?', '!':
		return 0, false
	}
	s.pos++
	name, ok := s.readName()
	if !ok {
		return 0, false
	}
	s.name, s.attrs = name, s.attrs[:0]
	for {
		s.skipSpace()
		if s.pos >= len(d) {
			return 0, false
		}
		switch d[s.pos] {
		case '>':
			s.pos++
			s.stack = append(s.stack, name)
			return leanTokStart, true
		case '/':
			if s.pos+1 >= len(d) || d[s.pos+1] != '>' {
				return 0, false
			}
			s.pos += 2
			s.stack = append(s.stack, name)
			s.selfClose = true
			return leanTokStart, true
		}
		a, ok := s.attr()
		if !ok {
			return 0, false
		}
		s.attrs = append(s.attrs, a)
	}
}

func (s *leanScan) pop(name []byte) (leanTok, bool) {
	n := len(s.stack)
	if n == 0 || !bytes.Equal(s.stack[n-1], name) {
		return 0, false
	}
	s.stack = s.stack[:n-1]
	s.name = name
	s.rootClosed = n == 1
	return leanTokEnd, true
}

// readName reads an ASCII XML name with at most one colon, inside.
func (s *leanScan) readName() ([]byte, bool) {
	d, start, colons := s.data, s.pos, 0
	for s.pos < len(d) {
		c := d[s.pos]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_':
		case '0' <= c && c <= '9', c == '-', c == '.':
			if s.pos == start {
				return nil, false
			}
		case c == ':':
			colons++
		default:
			goto done
		}
		s.pos++
	}
done:
	name := d[start:s.pos]
	if len(name) == 0 || colons > 1 || name[0] == ':' || name[len(name)-1] == ':' {
		return nil, false
	}
	return name, true
}

// attr reads name="value" (or 'value'), at s.pos.
func (s *leanScan) attr() (leanAttr, bool) {
	name, ok := s.readName()
	if !ok {
		return leanAttr{}, false
	}
	s.skipSpace()
	d := s.data
	if s.pos >= len(d) || d[s.pos] != '=' {
		return leanAttr{}, false
	}
	s.pos++
	s.skipSpace()
	if s.pos >= len(d) || (d[s.pos] != '"' && d[s.pos] != '\'') {
		return leanAttr{}, false
	}
	q := d[s.pos]
	s.pos++
	end := bytes.IndexByte(d[s.pos:], q)
	if end < 0 {
		return leanAttr{}, false
	}
	v := d[s.pos : s.pos+end]
	s.pos += end + 1
	if bytes.IndexByte(v, '<') >= 0 {
		return leanAttr{}, false
	}
	return leanAttr{name, v}, true
}

// leanLocal returns the part of a qualified name after its prefix.
func leanLocal(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

func leanPrefixed(name []byte) bool { return bytes.IndexByte(name, ':') >= 0 }

// leanText returns raw text or an attribute value with its references
// replaced, as encoding/xml reads it; ok is false for what it would
// change otherwise (a \r, which it turns into \n) or refuse.
func leanText(raw []byte) (string, bool) {
	amp := bytes.IndexByte(raw, '&')
	if bytes.IndexByte(raw, '\r') >= 0 || bytes.Contains(raw, []byte("]]>")) {
		return "", false
	}
	if amp < 0 {
		return string(raw), true
	}
	b := make([]byte, 0, len(raw))
	for len(raw) > 0 {
		amp := bytes.IndexByte(raw, '&')
		if amp < 0 {
			b = append(b, raw...)
			break
		}
		b = append(b, raw[:amp]...)
		raw = raw[amp+1:]
		semi := bytes.IndexByte(raw, ';')
		if semi < 0 {
			return "", false
		}
		ref := raw[:semi]
		raw = raw[semi+1:]
		switch string(ref) {
		case "amp":
			b = append(b, '&')
		case "lt":
			b = append(b, '<')
		case "gt":
			b = append(b, '>')
		case "quot":
			b = append(b, '"')
		case "apos":
			b = append(b, '\'')
		default:
			r, ok := leanCharRef(ref)
			if !ok {
				return "", false
			}
			b = utf8.AppendRune(b, r)
		}
	}
	return string(b), true
}

// leanCharRef reads #233 or #xE9.
func leanCharRef(ref []byte) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	n, base := ref[1:], 10
	if n[0] == 'x' {
		n, base = n[1:], 16
	}
	v, err := strconv.ParseUint(string(n), base, 32)
	if err != nil || !xmlChar(rune(v)) {
		return 0, false
	}
	return rune(v), true
}

// leanAttrValue returns the value of the attribute named name (by its local
// name when any is set), decoded; found is false when it is absent, ok
// false when it cannot be decoded or is there twice.
func leanAttrValue(attrs []leanAttr, name string, anyPrefix bool) (v string, found, ok bool) {
	for _, a := range attrs {
		n := a.name
		if anyPrefix {
			n = leanLocal(n)
		}
		if string(n) != name {
			continue
		}
		if found {
			return "", true, false
		}
		found = true
		if v, ok = leanText(a.value); !ok {
			return "", true, false
		}
	}
	return v, found, true
}
