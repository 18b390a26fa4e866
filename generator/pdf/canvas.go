package pdf

import (
	"strconv"

	"checkgen/generator/pdf/internal/fpdf"
)

// canvas is what the drawing code draws on: fpdf, for a document typeset
// whole, or a content stream, for the parts of an assembled one (see
// assemble.go). Places are in millimetres from the page's top left.
type canvas interface {
	// text sets l's text in its face and size, aligned in the box of
	// width l.w and height l.h whose top left is (x, y).
	text(l *line, x, y float64)
	// rect strokes a rectangle.
	rect(x, y, w, h float64)
	// rule strokes a line from (x1, y1) to (x2, y2).
	rule(x1, y1, x2, y2 float64)
}

// fpdfCanvas draws on the current page of an fpdf document.
type fpdfCanvas struct{ p *fpdf.Fpdf }

func (c fpdfCanvas) text(l *line, x, y float64) {
	c.p.SetFont(family, l.face.style(), l.size)
	c.p.SetXY(x, y)
	c.p.CellFormat(l.w, l.h, l.text, "", 0, l.align, false, 0, "")
}

func (c fpdfCanvas) rect(x, y, w, h float64) { c.p.Rect(x, y, w, h, "D") }

func (c fpdfCanvas) rule(x1, y1, x2, y2 float64) { c.p.Line(x1, y1, x2, y2) }

// The page as fpdf sets it up for A4 in millimetres: its scale (points per
// millimetre) and its height in millimetres. The content streams written
// here use the same numbers, so that a text lands where fpdf puts it.
const (
	scale     = 72 / 25.4
	pageHUser = 841.89 / scale
)

// fontName is the resource name of face f in an assembled PDF's pages.
func fontName(f face) string { return [...]string{"/R", "/B", "/I"}[f] }

// stream writes the operators of a content stream, as fpdf writes them
// for the same calls, and notes the runes it shows in each face: the
// glyphs the PDF's fonts must hold.
type stream struct {
	buf   []byte
	runes [faces][]rune // with repeats, in the order shown
	width func(f face, size float64) func(string) float64
}

// begin starts the stream: what fpdf sets on every page (line caps and
// joins, line width 0.25 mm, black), inside q ... Q so that streams that
// follow one another on a page do not inherit each other's state.
func (s *stream) begin() { s.buf = append(s.buf, "q\n0 J\n0 j\n0.71 w\n0 G\n0 g\n"...) }

// end closes what begin opened.
func (s *stream) end() { s.buf = append(s.buf, "Q\n"...) }

func (s *stream) num(v float64) {
	s.buf = strconv.AppendFloat(s.buf, v, 'f', 2, 64)
}

// text writes what fpdf's CellFormat writes for a cell without border or
// fill: the font, then the text at its baseline, as UTF-16BE.
func (s *stream) text(l *line, x, y float64) {
	if l.text == "" {
		return
	}
	s.buf = append(s.buf, "BT "...)
	s.buf = append(s.buf, fontName(l.face)...)
	s.buf = append(s.buf, ' ')
	s.num(l.size)
	s.buf = append(s.buf, " Tf ET\n"...)
	dx := 0.0
	switch l.align {
	case "C":
		dx = (l.w - s.width(l.face, l.size)(l.text)) / 2
	case "R":
		dx = l.w - s.width(l.face, l.size)(l.text)
	}
	fontSize := l.size / scale
	s.buf = append(s.buf, "BT "...)
	s.num((x + dx) * scale)
	s.buf = append(s.buf, ' ')
	s.num((pageHUser - (y + .5*l.h + .3*fontSize)) * scale)
	s.buf = append(s.buf, " Td ("...)
	for _, r := range l.text {
		s.runes[l.face] = append(s.runes[l.face], r)
		var u [4]byte
		n := 2
		if r >= 0x10000 {
			// fpdf writes runes beyond the BMP as surrogate pairs;
			// cleaned text holds none (the fonts map none).
			r1, r2 := surrogates(r)
			u = [4]byte{byte(r1 >> 8), byte(r1), byte(r2 >> 8), byte(r2)}
			n = 4
		} else {
			u[0], u[1] = byte(r>>8), byte(r)
		}
		for _, b := range u[:n] {
			switch b {
			case '\\', '(', ')':
				s.buf = append(s.buf, '\\', b)
			case '\r':
				s.buf = append(s.buf, '\\', 'r')
			default:
				s.buf = append(s.buf, b)
			}
		}
	}
	s.buf = append(s.buf, ")Tj ET\n"...)
}

func surrogates(r rune) (uint16, uint16) {
	r -= 0x10000
	return uint16(0xd800 + (r>>10)&0x3ff), uint16(0xdc00 + r&0x3ff)
}

func (s *stream) rect(x, y, w, h float64) {
	s.num(x * scale)
	s.buf = append(s.buf, ' ')
	s.num((pageHUser - y) * scale)
	s.buf = append(s.buf, ' ')
	s.num(w * scale)
	s.buf = append(s.buf, ' ')
	s.num(-h * scale)
	s.buf = append(s.buf, " re S\n"...)
}

func (s *stream) rule(x1, y1, x2, y2 float64) {
	s.num(x1 * scale)
	s.buf = append(s.buf, ' ')
	s.num((pageHUser - y1) * scale)
	s.buf = append(s.buf, " m "...)
	s.num(x2 * scale)
	s.buf = append(s.buf, ' ')
	s.num((pageHUser - y2) * scale)
	s.buf = append(s.buf, " l S\n"...)
}
