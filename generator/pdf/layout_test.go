package pdf

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"checkgen/generator/plan"
)

// checkPages verifies what must hold of any pagination: every line of every
// row placed once, in order; no page over full; a row split only when it is
// taller than a page (or is the first and starts on page 1); every sign
// row placed once, after the table.
func checkPages(t *testing.T, pages []page, rows []int, lh, first, rest, header float64, signs []float64) {
	t.Helper()
	next := piece{row: 0, from: 0}
	pageLines := int((rest - header - 2*cellPad + 1e-9) / lh)
	sign := 0
	for n, pg := range pages {
		room := rest
		if n == 0 {
			room = first
		}
		used := 0.0
		if len(pg.pieces) > 0 {
			used += header
		}
		for _, pc := range pg.pieces {
			for next.row < len(rows) && next.from >= max(rows[next.row], 1) {
				next = piece{row: next.row + 1}
			}
			if pc.row != next.row || pc.from != next.from || pc.to <= pc.from {
				t.Fatalf("page %d: piece %+v, want row %d from line %d", n+1, pc, next.row, next.from)
			}
			n := max(rows[pc.row], 1)
			if pc.to > n {
				t.Fatalf("page %d: piece %+v goes past the row's %d lines", n+1, pc, n)
			}
			// The first row may split when it starts on page 1.
			firstRow := pc.row == 0 && len(pages[0].pieces) > 0
			if (pc.from > 0 || pc.to < n) && n <= pageLines && !firstRow {
				t.Errorf("page %d: row %d (%d lines) split though a page holds %d", n+1, pc.row, n, pageLines)
			}
			used += float64(pc.to-pc.from)*lh + 2*cellPad
			next.from = pc.to
		}
		if len(pg.signs) > 0 && sign == 0 && len(pages) > n+1 {
			for _, later := range pages[n+1:] {
				if len(later.pieces) > 0 {
					t.Errorf("page %d: the signatures come before rows of page %d", n+1, n+2)
				}
			}
		}
		for _, s := range pg.signs {
			if s != sign {
				t.Fatalf("page %d: sign row %d, want %d", n+1, s, sign)
			}
			sign++
			used += signs[s]
		}
		onlyOne := len(pg.pieces)+len(pg.signs) == 1
		if used > room+1e-6 && !onlyOne {
			t.Errorf("page %d: holds %.1f mm, has room for %.1f", n+1, used, room)
		}
	}
	if len(rows) > 0 && (next.row != len(rows)-1 || next.from != max(rows[len(rows)-1], 1)) {
		t.Errorf("rows placed up to %+v, want all %d", next, len(rows))
	}
	if sign != len(signs) {
		t.Errorf("placed %d sign rows, want %d", sign, len(signs))
	}
}

func TestPaginate(t *testing.T) {
	const lh, header = 5.0, 10.0
	// A later page holds 100 mm: the header and 17 lines of one row
	// (17*5 + 2*1.3 = 87.6 <= 90).
	const rest = 100.0
	type want struct {
		pages  int
		pieces [][]piece // per page, when given
		signOn int       // the page (from 1) of the first sign row, when > 0
	}
	for _, tc := range []struct {
		name  string
		rows  []int
		first float64
		signs []float64
		want  want
	}{
		{"empty", nil, 80, nil, want{pages: 1, pieces: [][]piece{nil}}},
		{"empty with signatures", nil, 80, []float64{30}, want{pages: 1, signOn: 1}},
		{"all on page one", []int{2, 3, 1}, 80, []float64{30}, want{pages: 1,
			pieces: [][]piece{{{0, 0, 2}, {1, 0, 3}, {2, 0, 1}}}, signOn: 1}},
		{"signatures to the next page take the last row along", []int{2, 3, 1}, 60, []float64{30}, want{pages: 2,
			pieces: [][]piece{{{0, 0, 2}, {1, 0, 3}}, {{2, 0, 1}}}, signOn: 2}},
		{"the block keeps together", []int{2, 3, 1}, 70, []float64{15, 15}, want{pages: 2,
			pieces: [][]piece{{{0, 0, 2}, {1, 0, 3}}, {{2, 0, 1}}}, signOn: 2}},
		{"a row alone on its page stays", []int{3}, 40, []float64{30}, want{pages: 2,
			pieces: [][]piece{{{0, 0, 3}}, nil}, signOn: 2}},
		{"a last row that would not fit with the block stays", []int{2, 16}, 100, []float64{30}, want{pages: 3,
			pieces: [][]piece{{{0, 0, 2}}, {{1, 0, 16}}, nil}, signOn: 3}},
		{"row moves whole to the next page", []int{6, 6}, 60, nil, want{pages: 2,
			pieces: [][]piece{{{0, 0, 6}}, {{1, 0, 6}}}}},
		{"header repeats: every page with rows counts it", []int{8, 8, 8, 8}, 100, nil, want{pages: 2,
			pieces: [][]piece{{{0, 0, 8}, {1, 0, 8}}, {{2, 0, 8}, {3, 0, 8}}}}},
		{"a row exactly a page", []int{17}, 100, nil, want{pages: 1, pieces: [][]piece{{{0, 0, 17}}}}},
		{"a row taller than a page splits", []int{40}, 100, nil, want{pages: 3,
			pieces: [][]piece{{{0, 0, 17}}, {{0, 17, 34}}, {{0, 34, 40}}}}},
		{"a tall row starts on page one when enough fits", []int{2, 40}, 100, nil, want{pages: 3,
			pieces: [][]piece{{{0, 0, 2}, {1, 0, 14}}, {{1, 14, 31}}, {{1, 31, 40}}}}},
		{"a tall row does not start with a sliver", []int{15, 40}, 100, nil, want{pages: 4,
			pieces: [][]piece{{{0, 0, 15}}, {{1, 0, 17}}, {{1, 17, 34}}, {{1, 34, 40}}}}},
		{"a first row taller than page one's room starts there", []int{10}, 40, nil, want{pages: 2,
			pieces: [][]piece{{{0, 0, 5}}, {{0, 5, 10}}}}},
		{"no room on page one at all", []int{3}, 5, nil, want{pages: 2, pieces: [][]piece{nil, {{0, 0, 3}}}}},
		{"zero-line rows count as one", []int{0, 0}, 100, nil, want{pages: 1, pieces: [][]piece{{{0, 0, 1}, {1, 0, 1}}}}},
		{"many sign rows", []int{1}, 100, []float64{40, 40, 40}, want{pages: 2, signOn: 1}},
		{"sign taller than a page gets its own", nil, 30, []float64{500}, want{pages: 2, signOn: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pages := paginate(tc.rows, lh, tc.first, rest, header, tc.signs)
			checkPages(t, pages, tc.rows, lh, tc.first, rest, header, tc.signs)
			if len(pages) != tc.want.pages {
				t.Errorf("paginate(%v) = %d pages, want %d", tc.rows, len(pages), tc.want.pages)
			}
			if tc.want.pieces != nil {
				var got [][]piece
				for _, p := range pages {
					got = append(got, p.pieces)
				}
				if !reflect.DeepEqual(got, tc.want.pieces) {
					t.Errorf("paginate(%v) pieces = %v, want %v", tc.rows, got, tc.want.pieces)
				}
			}
			if tc.want.signOn > 0 {
				on := 0
				for i, p := range pages {
					if len(p.signs) > 0 && p.signs[0] == 0 {
						on = i + 1
					}
				}
				if on != tc.want.signOn {
					t.Errorf("paginate(%v): signatures start on page %d, want %d", tc.rows, on, tc.want.signOn)
				}
			}
		})
	}
}

// TestPaginateMany runs the invariants over many shapes of tables.
func TestPaginateMany(t *testing.T) {
	const lh, header, rest = 4.6, 12.0, 257.0
	for seed := 0; seed < 200; seed++ {
		var rows []int
		x := seed*7919 + 1
		for i := 0; i < seed%40; i++ {
			x = (x*1103515245 + 12345) % (1 << 31)
			n := x % 12
			if x%17 == 0 {
				n = 40 + x%200 // now and then a row taller than a page
			}
			rows = append(rows, n)
		}
		first := 40 + float64(seed%5)*40
		signs := []float64{float64(30 + seed%30)}
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			checkPages(t, paginate(rows, lh, first, rest, header, signs), rows, lh, first, rest, header, signs)
		})
	}
}

// cellText returns the texts of a cell's lines, marking lines that start
// with a checkbox with "[] ".
func cellText(lines []line) []string {
	var out []string
	for _, l := range lines {
		s := l.text
		if l.box {
			s = "[] " + s
		}
		out = append(out, s)
	}
	return out
}

func TestTableCells(t *testing.T) {
	m := open(t, starterFS())
	fm := newForm(m, mustFonts(t), m.Site.ElectionDay.Time())
	entry := func(code, key string) *plan.Entry {
		for _, e := range m.Unit(code).Checklist.Entries {
			if e.Task.Key() == key {
				return e
			}
		}
		t.Fatalf("unit %s has no task %s", code, key)
		return nil
	}
	for _, tc := range []struct {
		name string
		e    *plan.Entry
		task []string
		who  []string
		due  []string
	}{
		{"items get checkboxes", entry("RV-N-01", "preparation/check-materials"),
			[]string{"Check the station's materials", "(1/PLAN-MEC)", "[] Ballot boxes", "[] Ballots", "[] Seal and stamps", "[] Voter list"},
			[]string{"Polling station", "team"}, []string{"5 Jun 2027", "17:00", "(E-1)"}},
		{"a day early", entry("RV-N-02", "preparation/check-materials"),
			nil, nil, []string{"4 Jun 2027", "17:00", "(E-1)"}},
		{"a window", entry("RV-N", "preparation/train-teams"),
			nil, nil, []string{"17 May 2027", "–", "1 Jun 2027", "(E-20 – E-5)"}},
		{"support in italics", entry("RV-N-01", "preparation/open-station"),
			nil, []string{"Polling station", "team", "Supporting:", "Police"}, nil},
		{"standing duty", entry("RV-N-01", "preparation/security"), nil, nil, []string{"Standing duty"}},
		{"evidence in italics", entry("RV-N", "preparation/appoint-teams"),
			[]string{"Appoint the polling station", "teams (1/PLAN-MEC)", "Evidence to keep:", "Appointment decision", "Legal basis: Election Act, s.", "25"}, nil, nil},
		{"an empty item keeps its box", &plan.Entry{Task: &plan.Task{Plan: &plan.Plan{}, Title: "T", Items: []string{"", "x"}}},
			[]string{"T", "[] ", "[] x"}, nil, []string{"Standing duty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := fm.table(&plan.Checklist{Entries: []*plan.Entry{tc.e}}, false)
			if len(tb.rows) != 1 || tb.lines[0] != tb.rows[0].lines() {
				t.Fatalf("table has %d rows, lines %v", len(tb.rows), tb.lines)
			}
			r := tb.rows[0]
			if got := cellText(r.cells[colNo]); !reflect.DeepEqual(got, []string{"1"}) {
				t.Errorf("No. cell = %q", got)
			}
			if got := cellText(r.cells[colResult]); !reflect.DeepEqual(got, []string{"[] Done", "[] Not done", "[] Not applicable"}) {
				t.Errorf("result cell = %q", got)
			}
			for _, c := range []struct {
				col  int
				want []string
			}{{colTask, tc.task}, {colWho, tc.who}, {colDue, tc.due}} {
				if c.want == nil {
					continue
				}
				if got := cellText(r.cells[c.col]); !reflect.DeepEqual(got, c.want) {
					t.Errorf("column %d = %q, want %q", c.col, got, c.want)
				}
			}
			for c, cell := range r.cells {
				for _, l := range cell {
					if w := fm.width(l.face, l.size)(l.text); w > l.w+1e-9 || l.x+l.w > colW[c]-2*cellPad+1e-9 {
						t.Errorf("column %d: line %q (%.1f mm at %.1f) overflows its %.1f mm", c, l.text, w, l.x, colW[c]-2*cellPad)
					}
				}
			}
			for _, l := range r.cells[colWho] {
				if strings.HasPrefix(l.text, "Supporting") && l.face != italic {
					t.Errorf("the supporting bodies are not in italics")
				}
			}
		})
	}
}
