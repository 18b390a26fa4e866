package site

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// fold is how names are compared, the unit search's fold() in
// layouts/search.js done the same way in Go (heading ids use it too):
// lowercase; Unicode's canonical decomposition without the nonspacing marks
// it splits off ("Bạch Đằng" -> "bach đang", "Αθήνα" -> "αθηνα"); then the
// letters whose mark is part of them written plain (foldLetters).
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if f, ok := foldLetters[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldLetters are the lowercase letters that Unicode does not decompose but
// that readers type without their mark; FOLD in layouts/search.js is the
// same table. ς (final sigma) is σ: JavaScript's toLowerCase gives ς at the
// end of a word, Go's unicode.ToLower never does.
var foldLetters = map[rune]string{
	'đ': "d", 'ð': "d", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o",
	'ł': "l", 'þ': "th", 'ı': "i", 'ħ': "h", 'ŧ': "t", 'ς': "σ",
}

// searchWords splits a folded name into the words the search matches
// against: runs of letters, digits and the marks fold keeps, of any script.
func searchWords(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
	})
}

// searchData is the unit index that assets/search.js loads on demand. It is
// written as compactly as stays simple: each distinct name once, and a
// unit's code as "~" plus what follows its parent's code when it starts
// with it ("01842-KV03" under "01842" is "~-KV03").
type searchData struct {
	Levels []string `json:"levels"`
	Names  []string `json:"names"`
	Units  []any    `json:"units"` // code, name index, parent index (-1: none), level index
}

func (r *renderer) writeSearchIndex(out output.Sink) error {
	return out.Render(searchIndex, r.searchIndexJS)
}

// searchIndexJS writes the unit index.
func (r *renderer) searchIndexJS(w io.Writer) error {
	d := searchData{Units: make([]any, 0, 4*len(r.m.Units))}
	for _, l := range r.m.Levels {
		d.Levels = append(d.Levels, l.Name)
	}
	names := map[string]int{}
	index := make(map[*plan.Unit]int, len(r.m.Units))
	for i, u := range r.m.Units {
		index[u] = i
	}
	for i, u := range r.m.Units {
		n, ok := names[u.Name]
		if !ok {
			n = len(d.Names)
			names[u.Name] = n
			d.Names = append(d.Names, u.Name)
		}
		parent := -1
		code := u.Code
		if pu := u.ParentUnit; pu != nil {
			if pi, ok := index[pu]; ok {
				parent = pi
				// The script decodes in order: only an earlier parent's code is known.
				if pi < i && len(code) > len(pu.Code) && strings.HasPrefix(code, pu.Code) {
					code = "~" + code[len(pu.Code):]
				}
			}
		}
		level := 0
		if u.LevelRef != nil {
			level = u.LevelRef.Index
		}
		d.Units = append(d.Units, code, n, parent, level)
	}
	var buf bytes.Buffer
	buf.WriteString("checkgenUnits(")
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // the encoder's newline
	buf.WriteString(");\n")
	_, err := w.Write(buf.Bytes())
	return err
}
