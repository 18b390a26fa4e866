package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"

	"checkgen/generator/pdf/internal/fpdf"
	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"
)

// face is one of the three styles a checklist prints in.
type face int

const (
	regular face = iota
	bold
	italic
	faces = 3
)

// style is the fpdf style string of a face.
func (f face) style() string { return [...]string{"", "B", "I"}[f] }

func (f face) name() string { return [...]string{"regular", "bold", "italic"}[f] }

// family is the name the faces are registered under in every document.
const family = "serif"

// fontFile is one face: its TrueType bytes and its metrics as fpdf
// computes them.
type fontFile struct {
	ttf     []byte
	metrics *metrics
}

// fontSet holds the three faces, parsed once per process, and the same
// faces cut down to a few sets of runes.
//
// fpdf parses a face anew for every document, and much of that work grows
// with the number of characters the face maps. A document whose every
// rune is in the first of the cuts embeds the faces cut to it; else the
// next cut that has them all, else the full faces. Which is chosen depends
// only on the document's own text, so its bytes do not depend on other
// documents; the text printed is the same either way.
type fontSet struct {
	files [faces]fontFile
	cuts  []cut
}

// cut is the three faces cut down to a set of runes.
type cut struct {
	runes *runeSet // the runes every face of the cut has
	ttf   [faces][]byte
}

// tier returns the index of the first cut that has every rune of the
// lines, or len(cuts) for the full faces.
func (s *fontSet) tier(lines []line) int {
	for i, c := range s.cuts {
		ok := true
		for _, l := range lines {
			if ok = c.runes.hasAll(l.text); !ok {
				break
			}
		}
		if ok {
			return i
		}
	}
	return len(s.cuts)
}

// ttf returns the bytes of face f for tier i.
func (s *fontSet) ttf(i int, f face) []byte {
	if i < len(s.cuts) {
		return s.cuts[i].ttf[f]
	}
	return s.files[f].ttf
}

// loadFaces parses the three faces' metrics, once per process: all that
// checking text needs (see Check).
var loadFaces = sync.OnceValues(func() (*[faces]fontFile, error) {
	return parseFaces([faces][]byte{liberationserifregular.TTF, liberationserifbold.TTF, liberationserifitalic.TTF})
})

// loadFonts adds the cuts to the faces, once per process: what rendering
// needs.
var loadFonts = sync.OnceValues(func() (*fontSet, error) {
	files, err := loadFaces()
	if err != nil {
		return nil, err
	}
	return newFontSet(files), nil
})

func parseFaces(ttfs [faces][]byte) (*[faces]fontFile, error) {
	var files [faces]fontFile
	for i, b := range ttfs {
		m, err := parseMetrics(b)
		if err != nil {
			return nil, fmt.Errorf("reading the %s face: %w", face(i).name(), err)
		}
		files[i] = fontFile{ttf: b, metrics: m}
	}
	return &files, nil
}

func newFontSet(files *[faces]fontFile) *fontSet {
	s := &fontSet{files: *files}
	for _, ranges := range cutRanges {
		// Cut only to what every face has: fpdf's cut maps a rune a face
		// lacks to no glyph.
		c := cut{runes: &runeSet{}}
		var runes []rune
		for _, rg := range ranges {
			for r := rg[0]; r <= rg[1]; r++ {
				all := true
				for i := range s.files {
					all = all && s.files[i].metrics.has(r)
				}
				if all {
					c.runes.add(r)
					runes = append(runes, r)
				}
			}
		}
		for i := range s.files {
			c.ttf[i] = fpdf.UTF8CutFont(s.files[i].ttf, string(runes))
		}
		s.cuts = append(s.cuts, c)
	}
	return s
}

// cutRanges are the rune ranges of the cuts, smallest first: Vietnamese
// and Western European text; then all of Latin with combining marks,
// punctuation, currency and letter-like signs, arrows, mathematical
// operators and geometric shapes. Greek, Cyrillic, Hebrew and the rest
// print with the full faces.
var cutRanges = [][][2]rune{
	{
		{0x20, 0x17f},    // Basic Latin, Latin-1, Latin Extended-A
		{0x1a0, 0x1a1},   // Ơ ơ
		{0x1af, 0x1b0},   // Ư ư
		{0x1ea0, 0x1ef9}, // Vietnamese
		{0x2010, 0x2027}, // dashes, quotes, bullets, ellipsis
		{0x20ac, 0x20ac}, // €
		{0x2116, 0x2116}, // №
		{0x25a1, 0x25a1}, // □, the replacement
	},
	{
		{0x20, 0x24f},    // Basic Latin, Latin-1, Latin Extended-A and -B
		{0x250, 0x2ff},   // IPA, spacing modifiers
		{0x300, 0x36f},   // combining diacritical marks
		{0x1e00, 0x1eff}, // Latin Extended Additional, with Vietnamese
		{0x2000, 0x206f}, // general punctuation
		{0x20a0, 0x20cf}, // currency
		{0x2100, 0x214f}, // letter-like symbols
		{0x2190, 0x21ff}, // arrows
		{0x2200, 0x22ff}, // mathematical operators
		{0x25a0, 0x25ff}, // geometric shapes
	},
}

// runeSet is a set of runes of the Basic Multilingual Plane.
type runeSet [0x10000 / 64]uint64

func (s *runeSet) add(r rune) {
	if r >= 0 && r < 0x10000 {
		s[r/64] |= 1 << (r % 64)
	}
}

func (s *runeSet) has(r rune) bool {
	return r >= 0 && r < 0x10000 && s[r/64]&(1<<(r%64)) != 0
}

// hasAll reports whether every rune of str is in the set.
func (s *runeSet) hasAll(str string) bool {
	for _, r := range str {
		if !s.has(r) {
			return false
		}
	}
	return true
}

// metrics are what layout needs of a face: which runes it can print and
// their advance widths, in thousandths of an em rounded as fpdf rounds
// them, so that a width measured here equals fpdf's GetStringWidth.
type metrics struct {
	covered runeSet
	widths  [0x10000]uint16
}

// has reports whether the face has a glyph for r that fpdf can print:
// fpdf reads only the format 4 (Basic Multilingual Plane) character map.
func (m *metrics) has(r rune) bool { return m.covered.has(r) }

// width returns the advance of s in thousandths of an em. Runes the face
// lacks count as nothing: text is cleaned of them before layout.
func (m *metrics) width(s string) int {
	w := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			w += int(m.widths[c])
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r < 0x10000 {
			w += int(m.widths[r])
		}
		i += n
	}
	return w
}

var errFont = errors.New("not a TrueType font fpdf can read")

// parseMetrics reads the cmap, head, hhea and hmtx tables of a TrueType
// font, as fpdf does: the first Unicode format 4 subtable (platform 3
// encoding 1, or platform 0), advances rounded to 1000 units per em.
func parseMetrics(b []byte) (*metrics, error) {
	u16 := func(off int) (int, bool) {
		if off < 0 || off+2 > len(b) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(b[off:])), true
	}
	u32 := func(off int) (int, bool) {
		if off < 0 || off+4 > len(b) {
			return 0, false
		}
		return int(binary.BigEndian.Uint32(b[off:])), true
	}
	version, ok := u32(0)
	if !ok || (version != 0x00010000 && version != 0x74727565) {
		return nil, errFont
	}
	n, _ := u16(4)
	tables := map[string]int{}
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(b) {
			return nil, errFont
		}
		off, _ := u32(rec + 8)
		tables[string(b[rec:rec+4])] = off
	}
	for _, t := range []string{"cmap", "head", "hhea", "hmtx", "maxp"} {
		if _, ok := tables[t]; !ok {
			return nil, fmt.Errorf("%w: no %s table", errFont, t)
		}
	}
	upem, ok1 := u16(tables["head"] + 18)
	nhm, ok2 := u16(tables["hhea"] + 34)
	nglyphs, ok3 := u16(tables["maxp"] + 4)
	if !ok1 || !ok2 || !ok3 || upem == 0 || nhm == 0 {
		return nil, errFont
	}
	advance := func(g int) int {
		if g >= nhm {
			g = nhm - 1
		}
		a, ok := u16(tables["hmtx"] + 4*g)
		if !ok || a >= 1<<15 {
			return 0
		}
		return a
	}

	cmap := tables["cmap"]
	sub := -1
	nsub, _ := u16(cmap + 2)
	for i := range nsub {
		platform, _ := u16(cmap + 4 + 8*i)
		encoding, _ := u16(cmap + 4 + 8*i + 2)
		off, ok := u32(cmap + 4 + 8*i + 4)
		if !ok || !(platform == 3 && encoding == 1 || platform == 0) {
			continue
		}
		if format, _ := u16(cmap + off); format == 4 {
			sub = cmap + off
			break
		}
	}
	if sub < 0 {
		return nil, fmt.Errorf("%w: no Unicode format 4 character map", errFont)
	}
	segX2, ok := u16(sub + 6)
	if !ok {
		return nil, errFont
	}
	ends, starts, deltas, ranges := sub+14, sub+16+segX2, sub+16+2*segX2, sub+16+3*segX2
	m := &metrics{}
	scale := 1000 / float64(upem)
	for i := 0; i < segX2/2; i++ {
		end, ok1 := u16(ends + 2*i)
		start, ok2 := u16(starts + 2*i)
		delta, ok3 := u16(deltas + 2*i)
		ro, ok4 := u16(ranges + 2*i)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return nil, errFont
		}
		for c := start; c <= end && c < 0xffff; c++ {
			g := 0
			if ro == 0 {
				g = (c + delta) & 0xffff
			} else if v, ok := u16(ranges + 2*i + ro + 2*(c-start)); ok && v != 0 {
				g = (v + delta) & 0xffff
			}
			if g == 0 || g >= nglyphs {
				continue
			}
			m.covered.add(rune(c))
			w := int(scale*float64(advance(g)) + 0.5)
			m.widths[c] = uint16(w)
		}
	}
	return m, nil
}
