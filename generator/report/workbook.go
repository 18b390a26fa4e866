package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"checkgen/generator/plan"
	"checkgen/generator/xlsx"
)

// WriteWorkbook writes report.xlsx: a summary by level, a sheet per level
// with its units, the tasks across units, the overdue tasks and the
// problems. Counts are numbers, text is text (never a formula), and the
// document date is the report's day, so the same input gives the same
// bytes.
func WriteWorkbook(w io.Writer, r *Report) error {
	m := r.Model
	f := excelize.NewFile()
	defer f.Close()
	wr := &sheetWriter{f: f}
	wr.check(f.SetDefaultFont("Times New Roman"))
	wr.styles()
	taken := map[string]bool{strings.ToLower(xlsx.MetaSheet): true}
	name := func(want, alt string) string { return xlsx.UniqueSheetName(taken, want, alt) }
	title := func(sheet, head string) {
		wr.text(sheet, 1, 1, m.Site.Organisation, wr.bold)
		wr.text(sheet, 1, 2, head, wr.title)
		wr.text(sheet, 1, 3, fmt.Sprintf("%s: %s", m.Label("as_of"), m.Site.FormatDate(r.AsOf)), 0)
	}

	// Summary by level.
	summary := name(m.Label("summary"), "summary")
	wr.check(f.SetSheetName("Sheet1", summary))
	title(summary, m.Label("report")+": "+m.Site.Title)
	wr.header(summary, 5, []col{{"level", 24}, {"expected", 11}, {"returned", 11}, {"on_time", 11}, {"outdated", 13}, {"conflict", 11}, {"returned_nothing", 12},
		{"tasks", 10}, {"done", 10}, {"not_done", 10}, {"not_applicable", 12}, {"blank", 10}, {"rejected", 12}, {"reconfirm", 12}, {"completion", 13}, {"overdue", 10}}, m)
	row := 6
	var tot Counts
	var texp, tret, tont, tout, tcon, tmis int
	for _, l := range r.Levels {
		wr.text(summary, 1, row, l.Level.Name, wr.cell)
		wr.ints(summary, 2, row, l.Expected, l.Returned)
		if l.HasReturnBy() {
			wr.ints(summary, 4, row, l.OnTime)
		} else {
			wr.text(summary, 4, row, "–", wr.num)
		}
		wr.ints(summary, 5, row, l.Outdated, l.Conflicts, l.Missing)
		wr.counts(summary, 8, row, l.Counts)
		tot.add(l.Counts)
		texp, tret, tont, tout, tcon, tmis = texp+l.Expected, tret+l.Returned, tont+l.OnTime, tout+l.Outdated, tcon+l.Conflicts, tmis+l.Missing
		row++
	}
	wr.text(summary, 1, row, m.Label("total"), wr.bold)
	wr.ints(summary, 2, row, texp, tret, tont, tout, tcon, tmis)
	wr.counts(summary, 8, row, tot)

	// One sheet per level: its units.
	for _, l := range r.Levels {
		sh := name(l.Level.Name, l.Level.ID)
		_, err := f.NewSheet(sh)
		wr.check(err)
		title(sh, m.Label("report")+": "+l.Level.Name)
		wr.header(sh, 5, []col{{"code", 18}, {"unit", 32}, {"status", 16}, {"return_by", 14}, {"returned_on", 14}, {"on_time", 11}, {"tasks", 10}, {"done", 10}, {"not_done", 10}, {"not_applicable", 12},
			{"blank", 10}, {"rejected", 12}, {"reconfirm", 12}, {"completion", 13}, {"overdue", 10}, {"file", 40}}, m)
		row := 6
		for _, u := range l.Units {
			wr.text(sh, 1, row, u.Unit.Code, wr.cell)
			wr.text(sh, 2, row, u.Unit.Name, wr.cell)
			wr.text(sh, 3, row, m.Label(u.State.Key()), wr.cell)
			if u.ReturnBy != nil {
				wr.text(sh, 4, row, m.Site.FormatDate(u.ReturnBy.Date), wr.num)
			}
			if u.ReturnedOn != nil {
				wr.text(sh, 5, row, m.Site.FormatDate(*u.ReturnedOn), wr.num)
			}
			if u.OnTime() {
				wr.text(sh, 6, row, "✓", wr.num)
			}
			if u.State == Returned {
				wr.counts(sh, 7, row, u.Counts)
			}
			wr.text(sh, 16, row, joinSources(u.Sources), wr.cell)
			row++
		}
	}

	// Tasks across units.
	tasks := name(m.Label("tasks"), "tasks")
	_, err := f.NewSheet(tasks)
	wr.check(err)
	title(tasks, m.Label("report")+": "+m.Label("tasks"))
	wr.header(tasks, 5, []col{{"level", 18}, {"task", 50}, {"due", 20}, {"units", 10}, {"returned", 10}, {"done", 10}, {"not_done", 10},
		{"not_applicable", 12}, {"blank", 10}, {"rejected", 12}, {"reconfirm", 12}, {"completion", 13}, {"overdue", 10}}, m)
	row = 6
	for _, l := range r.Levels {
		for _, t := range l.Tasks {
			wr.text(tasks, 1, row, l.Level.Name, wr.cell)
			wr.text(tasks, 2, row, t.Entry.Task.Title+"\n"+t.Entry.Task.Key(), wr.cell)
			wr.text(tasks, 3, row, dueText(m, t.Entry.Due), wr.cell)
			wr.ints(tasks, 4, row, t.Units)
			wr.counts(tasks, 5, row, t.Counts)
			row++
		}
	}

	// Overdue.
	overdue := name(m.Label("overdue"), "overdue")
	_, err = f.NewSheet(overdue)
	wr.check(err)
	title(overdue, m.Label("report")+": "+m.Label("overdue"))
	wr.header(overdue, 5, []col{{"level", 18}, {"code", 18}, {"unit", 30}, {"task", 50}, {"due", 20}, {"status", 16}}, m)
	row = 6
	for _, u := range r.Units {
		for _, a := range u.Answers {
			if !a.Overdue {
				continue
			}
			for i, s := range []string{u.Unit.LevelRef.Name, u.Unit.Code, u.Unit.Name, a.Entry.Task.Title, dueText(m, a.Entry.Due), answerLabel(m, a)} {
				wr.text(overdue, i+1, row, s, wr.cell)
			}
			row++
		}
	}

	// Notes, as typed: text, never a formula.
	notes := name(m.Label("notes"), "notes")
	_, err = f.NewSheet(notes)
	wr.check(err)
	title(notes, m.Label("report")+": "+m.Label("notes"))
	wr.header(notes, 5, []col{{"level", 18}, {"code", 18}, {"unit", 30}, {"task", 50}, {"status", 16}, {"notes", 50}}, m)
	row = 6
	for _, u := range r.Units {
		for _, a := range u.Answers {
			if a.Row == nil || a.Row.Notes == "" {
				continue
			}
			for i, s := range []string{u.Unit.LevelRef.Name, u.Unit.Code, u.Unit.Name, a.Entry.Task.Title, answerLabel(m, a), a.Row.Notes} {
				wr.text(notes, i+1, row, s, wr.cell)
			}
			row++
		}
	}

	// Problems.
	problems := name(m.Label("problems"), "problems")
	_, err = f.NewSheet(problems)
	wr.check(err)
	title(problems, m.Label("report")+": "+m.Label("problems"))
	wr.header(problems, 5, []col{{"problems", 140}}, m)
	row = 6
	for _, p := range r.Problems {
		wr.text(problems, 1, row, p.Error(), wr.cell)
		row++
	}

	// What the reader needs to recognise the report.
	_, err = f.NewSheet(xlsx.MetaSheet)
	wr.check(err)
	for i, kv := range [][2]string{{"format", xlsx.ReportFormat}, {"site", m.Site.Title}, {"organisation", m.Site.Organisation}, {"as_of", r.AsOf.String()}} {
		wr.text(xlsx.MetaSheet, 1, i+1, kv[0], 0)
		wr.text(xlsx.MetaSheet, 2, i+1, kv[1], 0)
	}
	wr.check(f.SetSheetVisible(xlsx.MetaSheet, false, true))

	d := r.AsOf.Time().Format("2006-01-02T15:04:05Z")
	wr.check(f.SetDocProps(&excelize.DocProperties{Created: d, Modified: d, Creator: m.Site.Organisation, LastModifiedBy: m.Site.Organisation,
		Title: m.Label("report"), Subject: m.Site.Title, Identifier: xlsx.ReportFormat, Language: m.Site.Language}))
	f.SetActiveSheet(0)
	if wr.err != nil {
		return wr.err
	}
	return f.Write(w)
}

type col struct {
	label string
	width float64
}

// sheetWriter writes cells, keeping the first error.
type sheetWriter struct {
	f                                 *excelize.File
	err                               error
	bold, title, head, cell, num, pct int
}

func (w *sheetWriter) check(err error) {
	if w.err == nil && err != nil {
		w.err = err
	}
}

func (w *sheetWriter) style(s *excelize.Style) int {
	id, err := w.f.NewStyle(s)
	w.check(err)
	return id
}

func (w *sheetWriter) styles() {
	border := []excelize.Border{
		{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1},
	}
	w.bold = w.style(&excelize.Style{Font: &excelize.Font{Bold: true}})
	w.title = w.style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	w.head = w.style(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	w.cell = w.style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	w.num = w.style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}})
	w.pct = w.style(&excelize.Style{Border: border, NumFmt: 9, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}})
}

func (w *sheetWriter) ref(c, r int) string {
	s, err := excelize.CoordinatesToCellName(c, r)
	w.check(err)
	return s
}

// text writes s as text: SetCellStr never makes a formula.
func (w *sheetWriter) text(sheet string, c, r int, s string, style int) {
	if w.err != nil {
		return
	}
	ref := w.ref(c, r)
	w.check(w.f.SetCellStr(sheet, ref, s))
	if style != 0 {
		w.check(w.f.SetCellStyle(sheet, ref, ref, style))
	}
	if n := strings.Count(s, "\n") + 1; n > 1 {
		w.check(w.f.SetRowHeight(sheet, r, float64(n)*15+3))
	}
}

func (w *sheetWriter) ints(sheet string, c, r int, vals ...int) {
	for i, v := range vals {
		if w.err != nil {
			return
		}
		ref := w.ref(c+i, r)
		w.check(w.f.SetCellInt(sheet, ref, int64(v)))
		w.check(w.f.SetCellStyle(sheet, ref, ref, w.num))
	}
}

// counts writes tasks, done, not done, not applicable, blank, rejected,
// to re-confirm, completion and overdue from column c.
func (w *sheetWriter) counts(sheet string, c, r int, n Counts) {
	w.ints(sheet, c, r, n.Tasks, n.Done, n.NotDone, n.NotApplicable, n.Blank, n.Rejected, n.Stale)
	if w.err != nil {
		return
	}
	c++
	ref := w.ref(c+6, r)
	if share, ok := n.Completion(); ok {
		w.check(w.f.SetCellFloat(sheet, ref, share, 4, 64))
		w.check(w.f.SetCellStyle(sheet, ref, ref, w.pct))
	} else {
		w.text(sheet, c+6, r, "–", w.num)
	}
	w.ints(sheet, c+7, r, n.Overdue)
}

func (w *sheetWriter) header(sheet string, r int, cols []col, m *plan.Model) {
	for i, c := range cols {
		if w.err != nil {
			return
		}
		name, err := excelize.ColumnNumberToName(i + 1)
		w.check(err)
		w.check(w.f.SetColWidth(sheet, name, name, c.width))
		w.text(sheet, i+1, r, m.Label(c.label), w.head)
	}
	if w.err == nil {
		w.check(w.f.SetRowHeight(sheet, r, 32))
		w.check(w.f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: r, TopLeftCell: w.ref(1, r+1), ActivePane: "bottomLeft"}))
	}
}
