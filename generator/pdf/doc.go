package pdf

import (
	"strconv"
	"strings"
	"time"

	"checkgen/generator/plan"
)

// form is what every document of a build shares: fonts, labels, the form
// head, the table header and the signature blocks of each level. It is
// read-only once built, so workers share it.
type form struct {
	fonts       *fontSet
	clean       cleaner
	lang        string
	label       func(key string) string
	site        *plan.Site
	date        time.Time
	sharedTier  int // the cut of the fonts the shared texts need (see fontSet)
	lh          float64
	head        [2]block // left and right, side by side
	headH       float64
	header      row
	headerLines int
	result      []line               // the result cell, the same in every row
	signs       map[string][]signRow // by level id
}

// signRow is one row of the signature block: up to three roles side by
// side.
type signRow struct {
	cols [][]line // per role: its lines, within the role's column
	colW float64
	x    float64 // where the first column starts, from the left margin
	h    float64 // with the room to sign
	tier int     // the cut of the fonts its text needs
}

// table is a checklist laid out: shared by every unit with that checklist.
type table struct {
	rows  []row
	lines []int // per row, its number of lines
	tier  int   // the cut of the fonts its text needs
}

// width measures s set in face f at size pt, in millimetres.
func (fm *form) width(f face, size float64) func(string) float64 {
	m := fm.fonts.files[f].metrics
	return func(s string) float64 { return float64(m.width(s)) * size / 1000 * ptToMM }
}

// para sets text in face f at size pt into lines of height h within an
// area w wide, starting indent from its left; box puts a checkbox before
// the first line.
func (fm *form) para(text string, f face, size, h, w, indent float64, align string, box bool) []line {
	text, _ = fm.clean.clean(text)
	var out []line
	lines := wrap(text, w-indent, fm.width(f, size))
	if len(lines) == 0 && box {
		lines = []string{""} // an empty item still gets its checkbox
	}
	for i, s := range lines {
		out = append(out, line{text: s, face: f, size: size, h: h, x: indent, w: w - indent, align: align, box: box && i == 0})
	}
	return out
}

// newForm lays out what all documents share.
func newForm(m *plan.Model, fonts *fontSet, date time.Time) *form {
	fm := &form{
		fonts: fonts,
		lang:  m.Site.Language,
		label: m.Label,
		site:  m.Site,
		date:  date,
		lh:    lineHeight(tableSize),
		signs: map[string][]signRow{},
	}
	fm.clean = newCleaner(&fonts.files)
	// The head: the issuing body top left, the national title and motto
	// (or whatever the site puts there) top right, each followed by a
	// rule; the place and date under the right one.
	const leftW, rightW = 68.0, contentW - 68.0
	var left, right block
	for _, s := range m.Site.Form.Left {
		left = append(left, fm.para(s, bold, 12.5, lineHeight(12.5), leftW, 0, "C", false)...)
	}
	if n := len(left); n > 0 {
		widest := 0.0
		for _, l := range left {
			widest = max(widest, fm.width(bold, l.size)(l.text))
		}
		left[n-1].rule = max(10, widest/3)
	}
	for i, s := range m.Site.Form.Right {
		size := 12.5
		if i > 0 {
			size = 13.5
		}
		right = append(right, fm.para(s, bold, size, lineHeight(size), rightW, 0, "C", false)...)
	}
	if n := len(right); n > 0 {
		right[n-1].rule = fm.width(bold, right[n-1].size)(right[n-1].text)
		right = append(right, line{h: 3.5})
	}
	right = append(right, fm.para(fm.dateLine(), italic, 13.5, lineHeight(13.5), rightW, 0, "C", false)...)
	for i := range right {
		right[i].x += leftW
	}
	fm.head = [2]block{left, right}
	fm.headH = max(left.height(), right.height())

	// The table header and the result cell.
	heads := [ncols]string{
		fm.label("no"), fm.label("task"), fm.label("responsible") + " / " + fm.label("support"),
		fm.label("due"), fm.label("result"), fm.label("notes"),
	}
	for c, s := range heads {
		fm.header.cells[c] = fm.para(s, bold, headerSize, fm.lh, colW[c]-2*cellPad, 0, "C", false)
	}
	fm.headerLines = fm.header.lines()
	for _, k := range []string{"done", "not_done"} {
		fm.result = append(fm.result, fm.para(fm.label(k), regular, tableSize, fm.lh, colW[colResult]-2*cellPad, boxSize+boxGap, "L", true)...)
	}

	// The signature blocks, per level: up to three roles a row.
	for _, l := range m.Levels {
		roles := l.Sign
		if len(roles) == 0 {
			roles = []string{strings.ToUpper(fm.label("confirmed_by"))}
		}
		var rows []signRow
		for i := 0; i < len(roles); i += 3 {
			part := roles[i:min(i+3, len(roles))]
			sr := signRow{colW: contentW / float64(len(part))}
			if len(part) == 1 {
				// One role signs on the right, as under a letter.
				sr.colW, sr.x = contentW/2, contentW/2
			}
			h := 0.0
			for _, role := range part {
				col := fm.para(role, bold, 12.5, lineHeight(12.5), sr.colW-4, 0, "C", false)
				col = append(col, fm.para(fm.label("sign_hint"), italic, 11.5, lineHeight(11.5), sr.colW-4, 0, "C", false)...)
				sr.cols = append(sr.cols, col)
				sr.tier = max(sr.tier, fonts.tier(col))
				h = max(h, block(col).height())
			}
			sr.h = h + signSpace
			if i == 0 {
				sr.h += beforeSign
			}
			rows = append(rows, sr)
		}
		fm.signs[l.ID] = rows
	}
	fm.sharedTier = max(fonts.tier(left), fonts.tier(right), fonts.tier(fm.result))
	for _, c := range fm.header.cells {
		fm.sharedTier = max(fm.sharedTier, fonts.tier(c))
	}
	return fm
}

// dateLine is the place-and-date line under the motto (plan.Site.DateLine)
// for the build's date.
func (fm *form) dateLine() string { return fm.site.DateLine(plan.DateOf(fm.date)) }

// day formats a date as the site's language writes it (plan.Site.FormatDate).
func (fm *form) day(d plan.Date) string { return fm.site.FormatDate(d) }

// table lays out a checklist's rows, once per checklist.
func (fm *form) table(c *plan.Checklist) *table {
	t := &table{}
	lh := fm.lh
	for i, e := range c.Entries {
		tk := e.Task
		var r row
		r.cells[colNo] = fm.para(strconv.Itoa(i+1), regular, tableSize, lh, colW[colNo]-2*cellPad, 0, "C", false)

		w := colW[colTask] - 2*cellPad
		task := fm.para((tk.Title), regular, tableSize, lh, w, 0, "L", false)
		for _, it := range tk.Items {
			task = append(task, fm.para((it), regular, tableSize, lh, w, boxSize+boxGap, "L", true)...)
		}
		if len(tk.Evidence) > 0 {
			ev := fm.label("evidence") + ": " + strings.Join(tk.Evidence, "; ")
			task = append(task, fm.para((ev), italic, tableSize, lh, w, 0, "L", false)...)
		}
		r.cells[colTask] = task

		w = colW[colWho] - 2*cellPad
		var who []line
		if b := tk.ResponsibleBody; b != nil {
			who = fm.para((b.Name), regular, tableSize, lh, w, 0, "L", false)
		} else {
			who = fm.para((tk.Responsible), regular, tableSize, lh, w, 0, "L", false)
		}
		if len(tk.SupportBodies) > 0 {
			names := make([]string, len(tk.SupportBodies))
			for j, b := range tk.SupportBodies {
				names[j] = b.Name
			}
			s := fm.label("support") + ": " + strings.Join(names, "; ")
			who = append(who, fm.para((s), italic, tableSize, lh, w, 0, "L", false)...)
		}
		r.cells[colWho] = who

		w = colW[colDue] - 2*cellPad
		var due []line
		for _, s := range fm.deadline(e) {
			due = append(due, fm.para((s), regular, tableSize, lh, w, 0, "C", false)...)
		}
		r.cells[colDue] = due
		r.cells[colResult] = fm.result
		for _, c := range r.cells {
			t.tier = max(t.tier, fm.fonts.tier(c))
		}
		t.rows = append(t.rows, r)
		t.lines = append(t.lines, r.lines())
	}
	return t
}

// deadline says when an entry is due, one string a line: the window's
// start, the day, the time, and the days from the election day.
func (fm *form) deadline(e *plan.Entry) []string {
	if e.Due == nil {
		return []string{fm.label("standing")}
	}
	var out []string
	rel := e.Due.Relative()
	if e.Start != nil {
		start := fm.day(e.Start.Date)
		if c := e.Start.Clock(); c != "" {
			start += " " + c
		}
		out = append(out, start, "–")
		rel = e.Start.Relative() + " – " + rel
	}
	out = append(out, fm.day(e.Due.Date))
	if c := e.Due.Clock(); c != "" {
		out = append(out, c)
	}
	return append(out, "("+rel+")")
}
