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

var langTag = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)

// write lays the document out on pages and writes the PDF to w.
func (fm *form) write(w io.Writer, d *document) error {
	lh := fm.lh
	headerH := float64(fm.headerLines)*lh + 2*cellPad
	top := marginT + d.head.h + afterHead + d.title.height() + afterTitle
	if len(d.table.basis) > 0 {
		top += d.table.basis.height() + afterBasis
	}
	var noTasks block
	if len(d.table.rows) == 0 {
		noTasks = fm.para(fm.label("no_tasks"), bold, 12.5, lineHeight(12.5), contentW-12, 6, "C", false)
	}
	noTasksH := 0.0
	if len(noTasks) > 0 {
		noTasksH = noTasks.height() + 12
	}
	signH := make([]float64, len(d.signs))
	for i, s := range d.signs {
		signH[i] = s.h
	}
	pages := paginate(d.table.lines, lh, bottom-top-noTasksH, bottom-marginT, headerH, signH)

	p := fpdf.New("P", "mm", "A4", "")
	p.SetMargins(marginL, marginT, marginR)
	p.SetAutoPageBreak(false, marginB)
	p.SetCellMargin(0)
	p.SetCatalogSort(true)
	p.SetCreationDate(fm.date)
	p.SetModificationDate(fm.date)
	p.SetTitle(d.meta, true)
	if org, _ := fm.clean.clean(fm.site.Organisation); org != "" {
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

	for n, pg := range pages {
		p.AddPage()
		y := marginT
		if n == 0 {
			for _, b := range d.head.blocks {
				drawLines(p, b, marginL, y)
			}
			y += d.head.h + afterHead
			y = drawLines(p, d.title, marginL, y) + afterTitle
			if len(d.table.basis) > 0 {
				y = drawLines(p, d.table.basis, marginL, y) + afterBasis
			}
			if len(noTasks) > 0 {
				p.Rect(marginL, y, contentW, noTasksH, "D")
				drawLines(p, noTasks, marginL, y+6)
				y += noTasksH
			}
		} else {
			// Decree 30/2020: the page number centred in the top
			// margin, from page 2 on.
			drawLines(p, block{{text: strconv.Itoa(n + 1), face: regular, size: pageNoSize, h: lineHeight(pageNoSize), w: contentW, align: "C"}}, marginL, pageNoY)
		}
		if len(pg.pieces) > 0 {
			fm.drawHeader(p, y, headerH)
			y += headerH
		}
		for _, pc := range pg.pieces {
			h := float64(pc.to-pc.from)*lh + 2*cellPad
			r := &d.table.rows[pc.row]
			// The task column goes last, so that the text of a row split
			// across pages runs on in the content from page to page.
			for _, c := range [...]int{colNo, colWho, colDue, colResult, colNotes, colTask} {
				p.Rect(colX(c), y, colW[c], h, "D")
				cell := r.cells[c]
				if pc.from < len(cell) {
					drawLines(p, cell[pc.from:min(pc.to, len(cell))], colX(c)+cellPad, y+cellPad)
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
				drawLines(p, col, marginL+s.x+float64(j)*s.colW+2, y)
			}
			y += s.h
			if i == 0 {
				y -= beforeSign
			}
		}
		fm.drawFooter(p, d.footer)
	}
	if err := p.Error(); err != nil {
		return err
	}
	return p.Output(w)
}

func (fm *form) drawHeader(p *fpdf.Fpdf, y, h float64) {
	for c := 0; c < ncols; c++ {
		p.Rect(colX(c), y, colW[c], h, "D")
		cell := fm.header.cells[c]
		off := (h - float64(len(cell))*fm.lh) / 2
		drawLines(p, cell, colX(c)+cellPad, y+off)
	}
}

// drawFooter prints the code and version in the bottom margin. A code too
// long for one line wraps to a second, cut short with "…" beyond that.
func (fm *form) drawFooter(p *fpdf.Fpdf, text string) {
	lh := lineHeight(footerSize)
	width := fm.width(regular, footerSize)
	left := fm.para(text, regular, footerSize, lh, contentW, 0, "L", false)
	if len(left) > 2 {
		left = left[:2]
		left[1].text = fit(left[1].text+"…", left[1].w, width)
	}
	drawLines(p, left, marginL, footerY)
}

// drawLines draws lines from (x, y) down and returns the y below them.
func drawLines(p *fpdf.Fpdf, lines []line, x, y float64) float64 {
	for _, l := range lines {
		if l.text != "" {
			p.SetFont(family, l.face.style(), l.size)
			p.SetXY(x+l.x, y)
			p.CellFormat(l.w, l.h, l.text, "", 0, l.align, false, 0, "")
		}
		if l.box {
			p.Rect(x+l.x-boxSize-boxGap, y+(l.h-boxSize)/2, boxSize, boxSize, "D")
		}
		if l.rule > 0 {
			cx := x + l.x + l.w/2
			p.Line(cx-l.rule/2, y+l.h+ruleGap, cx+l.rule/2, y+l.h+ruleGap)
		}
		y += l.h
	}
	return y
}

// errorf wraps an error with the output it was for.
func errorf(rel string, err error) error { return fmt.Errorf("rendering %s: %w", rel, err) }
