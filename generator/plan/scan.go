package plan

import "strings"

// The TOML decoder's positions are wrong inside arrays of tables and count
// bytes, so the loader records positions itself: scan walks the source once
// and notes, for every table and array-of-tables element, where each key and
// its value (and each element of an array value) starts. It runs only on
// files the decoder accepted, but never panics or loops on any input.

// tablePos holds the places inside one table: its header and its keys.
type tablePos struct {
	header Pos
	keyAt  map[string]Pos   // key -> start of the key itself
	keys   map[string]Pos   // key -> start of its value
	elems  map[string][]Pos // key -> start of each element of an array value
}

// fileIndex maps a table name ("" for the root, "task", "unit", ...) to the
// positions of each of its instances, in file order.
type fileIndex map[string][]*tablePos

// table returns the i-th instance of a table, or an empty one.
func (ix fileIndex) table(name string, i int) *tablePos {
	if t := ix[name]; i < len(t) {
		return t[i]
	}
	return &tablePos{}
}

type scanner struct {
	file string
	src  []rune
	i    int
	line int
	col  int
}

func scan(file, src string) fileIndex {
	s := &scanner{file: file, src: []rune(src), line: 1, col: 1}
	ix := fileIndex{}
	cur := &tablePos{header: Pos{File: file, Line: 1, Col: 1}, keyAt: map[string]Pos{}, keys: map[string]Pos{}, elems: map[string][]Pos{}}
	ix[""] = []*tablePos{cur}
	for s.i < len(s.src) {
		s.skipSpace()
		if s.i >= len(s.src) {
			break
		}
		switch c := s.src[s.i]; {
		case c == '\n':
			s.next()
		case c == '#':
			s.skipComment()
		case c == '[':
			pos := s.pos()
			name := strings.TrimSpace(s.untilEOL())
			if i := strings.Index(name, "#"); i >= 0 {
				name = strings.TrimSpace(name[:i])
			}
			name = strings.Trim(name, "[] \t")
			cur = &tablePos{header: pos, keyAt: map[string]Pos{}, keys: map[string]Pos{}, elems: map[string][]Pos{}}
			// A plain [table] may come once per element of its array
			// ([level.form] after each [[level]]): keep every one, in order.
			ix[name] = append(ix[name], cur)
		default:
			at := s.pos()
			key := s.key()
			s.skipSpace()
			if s.i < len(s.src) && s.src[s.i] == '=' {
				s.next()
				s.skipSpace()
				cur.keyAt[key] = at
				cur.keys[key] = s.pos()
				s.value(cur, key, true)
			} else if s.i < len(s.src) && s.src[s.i] != '\n' {
				s.next() // not TOML we understand: move on
			}
		}
	}
	return ix
}

func (s *scanner) pos() Pos { return Pos{File: s.file, Line: s.line, Col: s.col} }

func (s *scanner) peek(n int) rune {
	if s.i+n < len(s.src) {
		return s.src[s.i+n]
	}
	return 0
}

func (s *scanner) next() {
	if s.i >= len(s.src) {
		return
	}
	if s.src[s.i] == '\n' {
		s.line++
		s.col = 1
	} else {
		s.col++
	}
	s.i++
}

func (s *scanner) skipSpace() {
	for s.i < len(s.src) && (s.src[s.i] == ' ' || s.src[s.i] == '\t' || s.src[s.i] == '\r' || s.src[s.i] == '\ufeff') {
		s.next()
	}
}

func (s *scanner) skipComment() {
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		s.next()
	}
}

func (s *scanner) untilEOL() string {
	start := s.i
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		s.next()
	}
	return string(s.src[start:s.i])
}

// key reads a (possibly quoted or dotted) key up to '=' and returns it with
// quotes removed from simple quoted keys.
func (s *scanner) key() string {
	var b strings.Builder
	for s.i < len(s.src) {
		c := s.src[s.i]
		if c == '=' || c == '\n' {
			break
		}
		if c == '"' || c == '\'' {
			s.next()
			for s.i < len(s.src) && s.src[s.i] != c && s.src[s.i] != '\n' {
				if c == '"' && s.src[s.i] == '\\' {
					s.next()
				}
				if s.i < len(s.src) {
					b.WriteRune(s.src[s.i])
				}
				s.next()
			}
			s.next()
			continue
		}
		b.WriteRune(c)
		s.next()
	}
	return strings.TrimSpace(b.String())
}

// value skips one value; for an array value of a key (top is true), it
// records the start of each element.
func (s *scanner) value(t *tablePos, key string, top bool) {
	if s.i >= len(s.src) {
		return
	}
	switch c := s.src[s.i]; c {
	case '"', '\'':
		if s.peek(1) == c && s.peek(2) == c {
			s.next()
			s.next()
			s.next()
			for s.i < len(s.src) {
				if c == '"' && s.src[s.i] == '\\' {
					s.next()
					s.next()
					continue
				}
				if s.src[s.i] == c && s.peek(1) == c && s.peek(2) == c {
					// A closing delimiter may be followed by up to two more quotes.
					for s.i < len(s.src) && s.src[s.i] == c {
						s.next()
					}
					return
				}
				s.next()
			}
			return
		}
		s.next()
		for s.i < len(s.src) && s.src[s.i] != c && s.src[s.i] != '\n' {
			if c == '"' && s.src[s.i] == '\\' {
				s.next()
			}
			s.next()
		}
		s.next()
	case '[':
		s.next()
		for s.i < len(s.src) {
			s.skipBlank()
			if s.i >= len(s.src) {
				return
			}
			switch s.src[s.i] {
			case ']':
				s.next()
				return
			case ',':
				s.next()
				continue
			}
			if top {
				t.elems[key] = append(t.elems[key], s.pos())
			}
			before := s.i
			s.value(t, key, false)
			if s.i == before {
				s.next()
			}
		}
	case '{':
		depth := 0
		for s.i < len(s.src) {
			switch s.src[s.i] {
			case '{':
				depth++
			case '}':
				depth--
			case '"', '\'':
				s.value(t, key, false)
				continue
			}
			s.next()
			if depth == 0 {
				return
			}
		}
	default:
		for s.i < len(s.src) {
			switch s.src[s.i] {
			case ' ', '\t', '\r', '\n', ',', ']', '}', '#':
				return
			}
			s.next()
		}
	}
}

// skipBlank skips spaces, newlines and comments inside an array.
func (s *scanner) skipBlank() {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ', '\t', '\r', '\n':
			s.next()
		case '#':
			s.skipComment()
		default:
			return
		}
	}
}
