package pdf

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"checkgen/generator/pdf/internal/fpdf"

	"checkgen/generator/plan"
)

// document is one PDF to write: a unit's or a level's checklist with what
// names it.
type document struct {
	head   *headLayout
	title  block // the title lines under the head, on page 1
	table  *table
	signs  []signRow
	footer string // code and version, printed on every page
	meta   string // the PDF's title
}

// unitDoc describes the PDF of unit u, under the unit's own head.
func (fm *form) unitDoc(u *plan.Unit, t *table) *document {
	lv := u.LevelRef
	var up []string
	for p := u.ParentUnit; p != nil; p = p.ParentUnit {
		up = append(up, p.Name)
	}
	dayLabel := fm.label("election_day")
	if u.Day != fm.site.ElectionDay {
		dayLabel = fm.label("own_election_day")
	}
	levelName := u.Level
	if lv != nil {
		levelName = lv.Name
	}
	info := []string{
		fm.label("level") + ": " + levelName,
		fm.label("code") + ": " + u.Code,
		dayLabel + ": " + fm.day(u.Day),
	}
	d := fm.doc(u.Head, u.Name, strings.Join(up, ", "), strings.Join(info, " · "), t)
	d.footer = fm.label("code") + ": " + u.Code + " · " + fm.label("version") + ": " + u.Checklist.Version
	if lv != nil {
		d.signs = fm.signs[lv.ID]
	}
	return d
}

// levelDoc describes the PDF of level l: its checklist at the site's
// election day, under the level's head.
func (fm *form) levelDoc(l *plan.Level, t *table) *document {
	info := fm.label("election_day") + ": " + fm.day(l.Checklist.Day)
	d := fm.doc(l.Head, l.Name, "", info, t)
	d.footer = fm.label("level") + ": " + l.Name + " · " + fm.label("version") + ": " + l.Checklist.Version
	d.signs = fm.signs[l.ID]
	return d
}

// doc sets the title block: the kind of paper, the subject (the site's
// title unless the head says otherwise) with a short rule under it, the
// name, the context (a unit's ancestors, nearest first) and a line of
// facts.
func (fm *form) doc(h *plan.Head, name, context, info string, t *table) *document {
	subject := fm.site.Title
	if h != nil && h.Subject != "" {
		subject = h.Subject
	}
	var b block
	b = append(b, fm.para(fm.label("checklist_title"), bold, 14, lineHeight(14), contentW, 0, "C", false)...)
	if subject != "" {
		s := fm.para(subject, bold, 13, lineHeight(13), contentW-20, 0, "C", false)
		for i := range s {
			s[i].x = 10
		}
		s[len(s)-1].rule = 30
		b = append(append(b, s...), line{h: 2.5})
	}
	b = append(b, fm.para(name, bold, 13, lineHeight(13), contentW, 0, "C", false)...)
	if context != "" {
		b = append(b, fm.para(context, italic, 12, lineHeight(12), contentW, 0, "C", false)...)
	}
	b = append(b, fm.para(info, regular, 12, lineHeight(12), contentW, 0, "C", false)...)
	meta := fm.label("checklist_title") + " – " + name
	meta, _ = fm.clean.clean(meta)
	return &document{head: fm.head(h), title: b, table: t, meta: meta}
}

// tier returns the cut of the fonts the document needs (see fontSet).
func (fm *form) tier(d *document) int {
	t := max(fm.sharedTier, d.head.tier, d.table.tier, fm.fonts.tier(d.title), fm.fonts.tier([]line{{text: d.footer}}))
	for _, s := range d.signs {
		t = max(t, s.tier)
	}
	return t
}

// fit returns s, or when s is wider than room its longest prefix that fits
// with "…" after it ("…" alone when nothing does).
func fit(s string, room float64, width func(string) float64) string {
	if width(s) <= room {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && width(string(r)+"…") > room {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// laid is a document laid out on pages.
type laid struct {
	d        *document
	top      float64 // where the body of page 1 starts, as pagination counts it
	bodyY    float64 // the same, as drawing reaches it
	headerH  float64 // the table header's height
	noTasks  block   // the box of a checklist without tasks
	noTasksH float64
	pages    []page
}

// lay lays document d out on pages.
func (fm *form) lay(d *document) *laid {
	lh := fm.lh
	l := &laid{d: d, headerH: float64(fm.headerLines)*lh + 2*cellPad, bodyY: titleEnd(d)}
	l.top = marginT + d.head.h + afterHead + d.title.height() + afterTitle
	if len(d.table.basis) > 0 {
		l.top += d.table.basis.height() + afterBasis
	}
	if len(d.table.rows) == 0 {
		l.noTasks = fm.para(fm.label("no_tasks"), bold, 12.5, lineHeight(12.5), contentW-12, 6, "C", false)
		l.noTasksH = l.noTasks.height() + 12
	}
	signH := make([]float64, len(d.signs))
	for i, s := range d.signs {
		signH[i] = s.h
	}
	l.pages = paginate(d.table.lines, lh, bottom-l.top-l.noTasksH, bottom-marginT, l.headerH, signH)
	return l
}

// titleEnd returns where the title block of page 1 ends, with the room
// after it: where drawTop leaves off.
func titleEnd(d *document) float64 {
	y := marginT + d.head.h + afterHead
	for _, l := range d.title {
		y += l.h
	}
	return y + afterTitle
}

var langTag = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)

// write lays the document out on pages and typesets the whole PDF with
// fpdf into w.
func (fm *form) write(w io.Writer, d *document) error {
	l := fm.lay(d)
	p := fpdf.New("P", "mm", "A4", "")
	p.SetMargins(marginL, marginT, marginR)
	p.SetAutoPageBreak(false, marginB)
	p.SetCellMargin(0)
	p.SetCatalogSort(true)
	p.SetCreationDate(fm.date)
	p.SetModificationDate(fm.date)
	p.SetTitle(d.meta, true)
	if org := fm.author(); org != "" {
		p.SetAuthor(org, true)
	}
	p.SetCreator("checkgen", false)
	if langTag.MatchString(fm.lang) {
		p.SetLang(fm.lang)
	}
	tier := fm.tier(d)
	for f := face(0); f < faces; f++ {
		p.AddUTF8FontFromBytes(family, f.style(), fm.fonts.ttf(tier, f))
	}
	p.SetLineWidth(0.25)

	c := fpdfCanvas{p}
	for n := range l.pages {
		p.AddPage()
		if n == 0 {
			fm.drawTop(c, d)
		}
		fm.drawBody(c, l, n)
		fm.drawFooter(c, d.footer)
	}
	if err := p.Error(); err != nil {
		return err
	}
	return p.Output(w)
}

// author is the PDF's author: the organisation.
func (fm *form) author() string {
	org, _ := fm.clean.clean(fm.site.Organisation)
	return org
}

// drawTop draws what names the document at the top of page 1: the form
// head and the title block. It ends at titleEnd(d).
func (fm *form) drawTop(c canvas, d *document) {
	y := marginT
	for _, b := range d.head.blocks {
		drawLines(c, b, marginL, y)
	}
	y += d.head.h + afterHead
	drawLines(c, d.title, marginL, y)
}

// drawBody draws page n's part of the checklist, the same for every
// document with the same table, signatures and title height: on page 1
// the "Căn cứ" list under the title, on later pages the page number; the
// table header, the rows and the signatures that fall on the page.
func (fm *form) drawBody(c canvas, l *laid, n int) {
	lh := fm.lh
	d := l.d
	pg := l.pages[n]
	y := marginT
	if n == 0 {
		y = l.bodyY
		if len(d.table.basis) > 0 {
			y = drawLines(c, d.table.basis, marginL, y) + afterBasis
		}
		if len(l.noTasks) > 0 {
			c.rect(marginL, y, contentW, l.noTasksH)
			drawLines(c, l.noTasks, marginL, y+6)
			y += l.noTasksH
		}
	} else {
		// Decree 30/2020: the page number centred in the top
		// margin, from page 2 on.
		drawLines(c, block{{text: strconv.Itoa(n + 1), face: regular, size: pageNoSize, h: lineHeight(pageNoSize), w: contentW, align: "C"}}, marginL, pageNoY)
	}
	if len(pg.pieces) > 0 {
		fm.drawHeader(c, y, l.headerH)
		y += l.headerH
	}
	for _, pc := range pg.pieces {
		h := float64(pc.to-pc.from)*lh + 2*cellPad
		r := &d.table.rows[pc.row]
		// The task column goes last, so that the text of a row split
		// across pages runs on in the content from page to page.
		for _, col := range [...]int{colNo, colWho, colDue, colResult, colNotes, colTask} {
			c.rect(colX(col), y, colW[col], h)
			cell := r.cells[col]
			if pc.from < len(cell) {
				drawLines(c, cell[pc.from:min(pc.to, len(cell))], colX(col)+cellPad, y+cellPad)
			}
		}
		y += h
	}
	for _, i := range pg.signs {
		s := d.signs[i]
		if i == 0 {
			y += beforeSign
		}
		for j, col := range s.cols {
			drawLines(c, col, marginL+s.x+float64(j)*s.colW+2, y)
		}
		y += s.h
		if i == 0 {
			y -= beforeSign
		}
	}
}

func (fm *form) drawHeader(c canvas, y, h float64) {
	for col := 0; col < ncols; col++ {
		c.rect(colX(col), y, colW[col], h)
		cell := fm.header.cells[col]
		off := (h - float64(len(cell))*fm.lh) / 2
		drawLines(c, cell, colX(col)+cellPad, y+off)
	}
}

// drawFooter prints the code and version in the bottom margin. A code too
// long for one line wraps to a second, cut short with "…" beyond that.
func (fm *form) drawFooter(c canvas, text string) {
	drawLines(c, fm.footerLines(text), marginL, footerY)
}

func (fm *form) footerLines(text string) []line {
	width := fm.width(regular, footerSize)
	left := fm.para(text, regular, footerSize, lineHeight(footerSize), contentW, 0, "L", false)
	if len(left) > 2 {
		left = left[:2]
		left[1].text = fit(left[1].text+"…", left[1].w, width)
	}
	return left
}

// drawLines draws lines from (x, y) down and returns the y below them.
func drawLines(c canvas, lines []line, x, y float64) float64 {
	for i := range lines {
		l := &lines[i]
		if l.text != "" {
			c.text(l, x+l.x, y)
		}
		if l.box {
			c.rect(x+l.x-boxSize-boxGap, y+(l.h-boxSize)/2, boxSize, boxSize)
		}
		if l.rule > 0 {
			cx := x + l.x + l.w/2
			c.rule(cx-l.rule/2, y+l.h+ruleGap, cx+l.rule/2, y+l.h+ruleGap)
		}
		y += l.h
	}
	return y
}

// errorf wraps an error with the output it was for.
func errorf(rel string, err error) error { return fmt.Errorf("rendering %s: %w", rel, err) }
