package pdf

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"checkgen/generator/plan"
)

// form is what every document of a build shares: fonts, labels, the table
// header, the signature blocks of each level and the heads laid out so
// far. It is safe for concurrent use: workers share it.
type form struct {
	fonts       *fontSet
	clean       cleaner
	lang        string
	label       func(key string) string
	site        *plan.Site
	units       func(code string) *plan.Unit
	applies     func(t *plan.Task) []string // plan.Model.Applies
	date        time.Time
	sharedTier  int // the cut of the fonts the shared texts need (see fontSet)
	lh          float64
	header      row
	headerLines int
	result      []line               // the result cell, the same in every row
	signs       map[string][]signRow // by level id

	heads *heads
}

// heads are the heads laid out so far. Heads are interned: units with one
// head share its layout.
type heads struct {
	mu sync.Mutex
	m  map[*plan.Head]*headLayout
}

// headLayout is a form head laid out: the issuing body, the rule, the
// number left; the national title and motto and the date line right.
type headLayout struct {
	blocks [2]block
	h      float64
	tier   int
}

// signRow is one row of the signature block: up to three signers side by
// side.
type signRow struct {
	cols [][]line // per signer: its lines, within the signer's column
	colW float64
	x    float64 // where the first column starts, from the left margin
	h    float64 // with the room to sign
	tier int     // the cut of the fonts its text needs
}

// table is a checklist laid out: shared by every unit with that checklist.
type table struct {
	rows  []row
	lines []int // per row, its number of lines
	basis block // the "Căn cứ" list above the table
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

// text sets a paragraph of the table's text size in a cell of column c.
func (fm *form) cellPara(c int, text string, f face, indent float64, align string, box bool) []line {
	return fm.para(text, f, tableSize, fm.lh, colW[c]-2*cellPad, indent, align, box)
}

// newForm lays out what all documents share.
func newForm(m *plan.Model, fonts *fontSet, date time.Time) *form {
	fm := &form{
		fonts:   fonts,
		lang:    m.Site.Language,
		label:   m.Label,
		site:    m.Site,
		units:   m.Unit,
		applies: m.Applies,
		date:    date,
		lh:      lineHeight(tableSize),
		signs:   map[string][]signRow{},
		heads:   &heads{m: map[*plan.Head]*headLayout{}},
	}
	fm.clean = newCleaner(&fonts.files)

	// The table header and the result cell: the choices of the
	// workbook's status list.
	heads := [ncols]string{
		fm.label("no"), fm.label("task"), fm.label("responsible") + " / " + fm.label("support"),
		fm.label("due"), fm.label("result"), fm.label("notes"),
	}
	for c, s := range heads {
		fm.header.cells[c] = fm.para(s, bold, headerSize, fm.lh, colW[c]-2*cellPad, 0, "C", false)
	}
	fm.headerLines = fm.header.lines()
	for _, k := range resultKeys {
		fm.result = append(fm.result, fm.cellPara(colResult, fm.label(k), regular, boxSize+boxGap, "L", true)...)
	}

	// The signature blocks, per level: up to three signers a row.
	for _, l := range m.Levels {
		fm.signs[l.ID] = fm.signRows(signersOf(l, fm.label))
	}
	fm.sharedTier = fonts.tier(fm.result)
	for _, c := range fm.header.cells {
		fm.sharedTier = max(fm.sharedTier, fonts.tier(c))
	}
	return fm
}

// resultKeys are the label keys of the result column's choices, as the
// workbook's status list offers them.
var resultKeys = []string{"done", "not_done", "not_applicable"}

// signersOf returns the signers of level l's forms: its sign entries, or
// one "confirmed by" when it has none.
func signersOf(l *plan.Level, label func(string) string) []plan.Signer {
	if len(l.Signers) > 0 {
		return l.Signers
	}
	if len(l.Sign) > 0 {
		s := make([]plan.Signer, len(l.Sign))
		for i, t := range l.Sign {
			s[i] = plan.Signer{Title: t}
		}
		return s
	}
	return []plan.Signer{{Title: strings.ToUpper(label("confirmed_by"))}}
}

// signRows lays out signers, up to three a row. Each prints as Decree 30
// sets a signature: the capacity ("TM. TỔ BẦU CỬ"), the title, a note in
// italics (the label sign_hint when none is written), then the room to
// sign.
func (fm *form) signRows(signers []plan.Signer) []signRow {
	var rows []signRow
	for i := 0; i < len(signers); i += 3 {
		part := signers[i:min(i+3, len(signers))]
		sr := signRow{colW: contentW / float64(len(part))}
		if len(part) == 1 {
			// One signer signs on the right, as under a letter.
			sr.colW, sr.x = contentW/2, contentW/2
		}
		h := 0.0
		for _, s := range part {
			var col []line
			for _, t := range []string{s.For, s.Title} {
				if t != "" {
					col = append(col, fm.para(t, bold, 13, lineHeight(13), sr.colW-4, 0, "C", false)...)
				}
			}
			note := s.Note
			if note == "" {
				note = fm.label("sign_hint")
			}
			col = append(col, fm.para(note, italic, 12, lineHeight(12), sr.colW-4, 0, "C", false)...)
			sr.cols = append(sr.cols, col)
			sr.tier = max(sr.tier, fm.fonts.tier(col))
			h = max(h, block(col).height())
		}
		sr.h = h + signSpace
		if i == 0 {
			sr.h += beforeSign
		}
		rows = append(rows, sr)
	}
	return rows
}

// head returns the layout of head h, laid out on first use.
func (fm *form) head(h *plan.Head) *headLayout {
	fm.heads.mu.Lock()
	defer fm.heads.mu.Unlock()
	if hl, ok := fm.heads.m[h]; ok {
		return hl
	}
	hl := fm.layHead(h)
	fm.heads.m[h] = hl
	return hl
}

// layHead lays out a form head as Decree 30/2020 sets it: the issuing body
// top left in bold capitals, a short rule (or, on a party's papers, a
// star) under it, and the number under that; the national title and
// motto (or "ĐẢNG CỘNG SẢN VIỆT NAM") top right, a rule as long as the
// motto under it, and the place and date line in italics.
func (fm *form) layHead(h *plan.Head) *headLayout {
	const leftW, rightW = 72.0, contentW - 72.0
	if h == nil {
		h = &plan.Head{}
	}
	var left, right block
	for _, s := range h.Left {
		left = append(left, fm.para(s, bold, 12.5, lineHeight(12.5), leftW, 0, "C", false)...)
	}
	if n := len(left); n > 0 {
		if h.Rule == plan.RuleStar {
			left = append(left, fm.para("*", regular, 13, lineHeight(13), leftW, 0, "C", false)...)
		} else {
			widest := 0.0
			for _, l := range left {
				widest = max(widest, fm.width(bold, l.size)(l.text))
			}
			left[n-1].rule = max(10, widest/3)
			left = append(left, line{h: 2})
		}
	}
	if h.Number != "" {
		// "Số: 23/KH-UBBC" (Decree 30); party papers write "Số 10-KH/TU".
		sep := ": "
		if h.Rule == plan.RuleStar {
			sep = " "
		}
		left = append(left, fm.para(fm.label("number")+sep+h.Number, regular, 13, lineHeight(13), leftW, 0, "C", false)...)
	}
	for i, s := range h.Right {
		size := 12.5
		switch {
		case len(h.Right) == 1:
			size = 14 // a party's title stands alone, larger
		case i > 0:
			size = 13.5
		}
		right = append(right, fm.para(s, bold, size, lineHeight(size), rightW, 0, "C", false)...)
	}
	if n := len(right); n > 0 {
		right[n-1].rule = fm.width(bold, right[n-1].size)(right[n-1].text)
		right = append(right, line{h: 3.5})
	}
	right = append(right, fm.para(fm.site.HeadDateLine(h), italic, 13.5, lineHeight(13.5), rightW, 0, "C", false)...)
	for i := range right {
		right[i].x += leftW
	}
	return &headLayout{
		blocks: [2]block{left, right},
		h:      max(left.height(), right.height()),
		tier:   max(fm.fonts.tier(left), fm.fonts.tier(right)),
	}
}

// day formats a date as the site's language writes it (plan.Site.FormatDate).
func (fm *form) day(d plan.Date) string { return fm.site.FormatDate(d) }

// plans lists the plans of a checklist, one a line: "- 23/KH-UBBC,
// 04/03/2021, Ủy ban bầu cử tỉnh Bắc Kạn: <title>".
func (fm *form) plans(c *plan.Checklist) block {
	ps := c.Plans()
	if len(ps) == 0 {
		return nil
	}
	b := block(fm.para(fm.label("basis")+":", bold, 12, lineHeight(12), contentW, 0, "L", false))
	for _, p := range ps {
		var parts []string
		for _, s := range []string{p.Number, fm.optDay(p.Date), p.Issuer} {
			if s != "" {
				parts = append(parts, s)
			}
		}
		s := strings.Join(parts, ", ")
		if p.Title != "" {
			s += ": " + p.Title
		}
		lines := fm.para(s, regular, 12, lineHeight(12), contentW, 5, "L", false)
		if len(lines) > 0 {
			lines[0].x, lines[0].w = 0, contentW
			lines[0].text = "- " + lines[0].text
		}
		b = append(b, lines...)
	}
	return b
}

func (fm *form) optDay(d *plan.Date) string {
	if d == nil {
		return ""
	}
	return fm.day(*d)
}

// bodyName is body b's name at the checklist's level.
func bodyName(b *plan.Body, c *plan.Checklist) string {
	if c.Level != nil {
		return b.NameAt(c.Level.ID)
	}
	return b.Name
}

// table lays out a checklist's rows, once per checklist. On a level's
// blank form (level true) a row that applies only to some of its units
// says which.
func (fm *form) table(c *plan.Checklist, level bool) *table {
	t := &table{basis: fm.plans(c)}
	for i, e := range c.Entries {
		tk := e.Task
		var r row
		r.cells[colNo] = fm.cellPara(colNo, strconv.Itoa(i+1), regular, 0, "C", false)

		// The title and, as on the web page, the plans it comes from.
		sources := tk.Plan.Number
		if e.Also != nil && e.Also.Plan != tk.Plan {
			sources += "; " + e.Also.Plan.Number
		}
		title := tk.Title
		if sources != "" {
			title += " (" + sources + ")"
		}
		task := fm.cellPara(colTask, title, regular, 0, "L", false)
		for _, it := range tk.Items {
			task = append(task, fm.cellPara(colTask, it, regular, boxSize+boxGap, "L", true)...)
		}
		if len(tk.Evidence) > 0 {
			ev := fm.label("evidence") + ": " + strings.Join(tk.Evidence, "; ")
			task = append(task, fm.cellPara(colTask, ev, italic, 0, "L", false)...)
		}
		basis := tk.Basis
		if e.Also != nil {
			basis = append(append([]string(nil), basis...), e.Also.Basis...)
		}
		if len(basis) > 0 {
			task = append(task, fm.cellPara(colTask, fm.label("basis")+": "+strings.Join(basis, "; "), italic, 0, "L", false)...)
		}
		if level {
			for _, s := range fm.applies(tk) {
				task = append(task, fm.cellPara(colTask, s, bold, 0, "L", false)...)
			}
		}
		r.cells[colTask] = task

		var who []line
		if b := tk.ResponsibleBody; b != nil {
			who = fm.cellPara(colWho, bodyName(b, c), regular, 0, "L", false)
		} else {
			who = fm.cellPara(colWho, tk.Responsible, regular, 0, "L", false)
		}
		if len(tk.SupportBodies) > 0 {
			names := make([]string, len(tk.SupportBodies))
			for j, b := range tk.SupportBodies {
				names[j] = bodyName(b, c)
			}
			s := fm.label("support") + ": " + strings.Join(names, "; ")
			who = append(who, fm.cellPara(colWho, s, italic, 0, "L", false)...)
		}
		r.cells[colWho] = who

		var due []line
		for _, s := range fm.deadline(e) {
			due = append(due, fm.cellPara(colDue, s, regular, 0, "C", false)...)
		}
		r.cells[colDue] = due
		r.cells[colResult] = fm.result
		for _, c := range r.cells {
			t.tier = max(t.tier, fm.fonts.tier(c))
		}
		t.rows = append(t.rows, r)
		t.lines = append(t.lines, r.lines())
	}
	t.tier = max(t.tier, fm.fonts.tier(t.basis))
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
	out = append(out, "("+rel+")")
	// The statutory ceiling, when there is one: an implementing task's
	// limit is the statutory task's due (Entry.Also).
	if e.Limit != nil {
		limit := fm.label("limit") + ": " + fm.day(e.Limit.Date)
		if c := e.Limit.Clock(); c != "" {
			limit += " " + c
		}
		out = append(out, limit)
	}
	return out
}
