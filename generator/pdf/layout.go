package pdf

import "math"

// Page geometry, in millimetres: A4 portrait with the margins of Decree
// 30/2020/ND-CP (top and bottom 20, left 30, right 15).
const (
	pageW        = 210.0
	pageH        = 297.0
	marginL      = 30.0
	marginR      = 15.0
	marginT      = 20.0
	marginB      = 20.0
	contentW     = pageW - marginL - marginR
	bottom       = pageH - marginB // where the body of a page ends
	footerY      = bottom + 4      // the footer sits in the bottom margin
	footerSize   = 9.0             // pt
	pageNoSize   = 13.0            // pt, the page number (Decree 30/2020: 13-14)
	pageNoY      = 9.0             // the page number's line, in the top margin
	tableSize    = 12.0            // pt, the table's text (Decree 30/2020: 12 or more)
	headerSize   = 12.0            // pt, the table header's text
	cellPad      = 1.3             // inside every table cell, all sides
	boxSize      = 3.0             // a checkbox's side
	boxGap       = 1.6             // between a checkbox and its text
	ruleGap      = 0.9             // between a line of the head and its rule
	afterHead    = 7.0             // between the form head and the title
	afterTitle   = 4.0             // between the title and the "Căn cứ" list or the table
	afterBasis   = 4.0             // between the "Căn cứ" list and the table
	beforeSign   = 6.0             // between the table and the signatures
	signSpace    = 24.0            // room to sign under the hints
	minSplitRows = 3               // lines a split row leaves on a page at least
)

// ptToMM converts a size in points to millimetres.
const ptToMM = 25.4 / 72

// lineHeight is the height of a line of text of size pt: single spacing
// as word processors set Times New Roman, 1.15 em.
func lineHeight(size float64) float64 { return math.Round(size*1.15*ptToMM*100) / 100 }

// The table's columns: No. | task | responsible / support | deadline |
// result | notes. Their widths add up to contentW.
const (
	colNo = iota
	colTask
	colWho
	colDue
	colResult
	colNotes
	ncols
)

var colW = [ncols]float64{11, 52.5, 29, 27, 33.5, 12}

// colX returns the left edge of column c.
func colX(c int) float64 {
	x := marginL
	for i := 0; i < c; i++ {
		x += colW[i]
	}
	return x
}

// line is one line of text, placed relative to the area it belongs to (a
// cell's inside, or the content width).
type line struct {
	text  string
	face  face
	size  float64 // pt
	h     float64 // mm, the line's height
	x, w  float64 // the line's box: offset from the area's left edge, width
	align string  // "L", "C" or "R"
	box   bool    // a checkbox at x - boxSize - boxGap
	rule  float64 // when > 0: a rule this long, centred under the text
}

// block is lines stacked top to bottom.
type block []line

func (b block) height() float64 {
	h := 0.0
	for _, l := range b {
		h += l.h
	}
	return h
}

// row is one table row: the lines of each cell, all of the table's line
// height, top aligned.
type row struct {
	cells [ncols][]line
}

// lines returns the number of lines of the row's tallest cell.
func (r *row) lines() int {
	n := 0
	for _, c := range r.cells {
		n = max(n, len(c))
	}
	return n
}

// piece is the part of a row drawn on one page: lines [from, to) of every
// cell. A row is one piece unless it is taller than a page.
type piece struct {
	row, from, to int
}

// page says what one page holds besides its head (page 1) and footer.
type page struct {
	pieces []piece
	signs  []int // rows of the signature block that follow the pieces
}

// paginate places rows, given as their number of lines of height lh, on
// pages. first is the height available for the table on page 1 (below the
// title), rest on every later page; both include the table header of
// height header, repeated on each page with rows. A row goes whole onto
// the page where it starts, or onto the next page when it does not fit;
// only a row taller than a page's room is split (and the first row, when
// taller than what page 1 has left), and then a page ends with at least
// minSplitRows of it (or the row starts on the next page). The
// rows of the signature block, of heights signs, follow the table: all on
// the current page when they fit; else, when they fit on one page, all on
// the next, with the table's last row unless that would leave its page
// empty or not fit; else each on the current page when it fits, else on
// the next.
func paginate(rows []int, lh, first, rest, header float64, signs []float64) []page {
	pages := []page{{}}
	room := first // what is left on the current page
	started := false
	newPage := func() {
		pages = append(pages, page{})
		room = rest
		started = false
	}
	// take reserves h on the current page, adding the table header in
	// front of the page's first piece.
	take := func(p piece, h float64) {
		if !started {
			room -= header
			started = true
		}
		cur := &pages[len(pages)-1]
		cur.pieces = append(cur.pieces, p)
		room -= h
	}
	// fits reports how many of n lines fit in what is left of the page.
	fits := func(n int) int {
		avail := room - 2*cellPad
		if !started {
			avail -= header
		}
		k := int(math.Floor((avail + 1e-9) / lh))
		return max(0, min(k, n))
	}
	pageLines := max(1, int(math.Floor((rest-header-2*cellPad+1e-9)/lh)))
	for i, n := range rows {
		n = max(n, 1)
		// Page 1 may have little room below the title: a first row
		// taller than that room starts there anyway, rather than leave
		// the page without a table.
		firstRow := len(pages) == 1 && len(pages[0].pieces) == 0
		switch {
		case fits(n) == n:
		case n <= pageLines && !(firstRow && fits(n) >= minSplitRows):
			newPage()
		default:
			// Taller than a page: split it, starting on this page when
			// enough of it fits.
			from := 0
			if fits(n) < minSplitRows && (len(pages) == 1 || len(pages[len(pages)-1].pieces) > 0) {
				newPage()
			}
			for {
				k := fits(n - from)
				if k == 0 {
					newPage()
					k = max(fits(n-from), 1)
				}
				take(piece{i, from, from + k}, float64(k)*lh+2*cellPad)
				from += k
				if from >= n {
					break
				}
				newPage()
			}
			continue
		}
		take(piece{i, 0, n}, float64(n)*lh+2*cellPad)
	}
	// The signature block keeps together when it fits on a page, and
	// does not stand alone on a page: when it has to go to the next
	// page, the table's last row goes with it if that row is whole and
	// not alone on its page, and both fit.
	total := 0.0
	for _, h := range signs {
		total += h
	}
	cur := &pages[len(pages)-1]
	switch {
	case len(signs) == 0:
	case total <= room+1e-9:
		// fits where the table ends
	case total <= rest+1e-9:
		var carry *piece
		if k := len(cur.pieces); k > 1 {
			last := cur.pieces[k-1]
			n := max(rows[last.row], 1)
			h := float64(n)*lh + 2*cellPad
			if last.from == 0 && last.to == n && header+h+total <= rest+1e-9 {
				carry = &last
				cur.pieces = cur.pieces[:k-1]
			}
		}
		newPage()
		if carry != nil {
			take(*carry, float64(carry.to)*lh+2*cellPad)
		}
	}
	for i, h := range signs {
		cur := pages[len(pages)-1]
		if h > room+1e-9 && (len(cur.pieces) > 0 || len(cur.signs) > 0 || len(pages) == 1) {
			newPage()
		}
		cur2 := &pages[len(pages)-1]
		cur2.signs = append(cur2.signs, i)
		room -= h
	}
	return pages
}
