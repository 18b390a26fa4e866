package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strings"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

//go:embed templates/*.html
var templates embed.FS

// Render writes the report into out: index.html (the roll-up by level,
// a chart of the scope's children, the problems, answers to re-confirm,
// outdated and conflicting sheets, units that returned nothing by parent),
// levels/<level>/index.html (a chart and the table per unit, per task,
// overdue), report.xlsx (the same tables, for the level above) and
// report.json (for the level above to merge; see the package doc).
func Render(r *Report, out *output.Dir) error {
	t, err := parseTemplates(r)
	if err != nil {
		return err
	}
	m := r.Model
	base := page{Lang: m.Site.Language, R: r, Site: "../index.html", Home: "index.html"}
	index := base
	index.Title = m.Label("report") + " · " + m.Site.Title
	for _, u := range r.Units {
		switch u.State {
		case Outdated:
			index.Outdated = append(index.Outdated, u)
		case Conflict:
			index.Conflicts = append(index.Conflicts, u)
		case Missing:
			index.MissingCount++
		}
		for _, a := range u.Answers {
			if a.Stale {
				index.Stale = append(index.Stale, overdueRow{u.Unit, a})
			}
		}
	}
	for _, l := range r.Levels {
		index.Totals.Expected += l.Expected
		index.Totals.Returned += l.Returned
		index.Totals.OnTime += l.OnTime
		index.Totals.ReturnBy = index.Totals.ReturnBy || l.HasReturnBy()
		index.Totals.Late += l.Late
		index.Totals.Outdated += l.Outdated
		index.Totals.Conflicts += l.Conflicts
		index.Totals.Missing += l.Missing
		index.Totals.Counts.add(l.Counts)
	}
	for _, u := range r.Units {
		if u.State == Returned {
			for _, a := range u.Answers {
				if a.Overdue {
					index.Overdue = append(index.Overdue, overdueRow{u.Unit, a})
				}
			}
		}
	}
	index.Missing = r.MissingByParent()
	scope := m.Site.Title
	if r.Scope != nil {
		scope = r.Scope.Name
	}
	index.Chart = chart(m, m.Label("completion")+": "+scope, childBars(r))
	if err := execute(t, out, "index.html", "index.html", index); err != nil {
		return err
	}
	for _, l := range r.Levels {
		p := base
		p.Site, p.Home = "../../../index.html", "../../index.html"
		p.Level = l
		p.Title = m.Label("report") + ": " + l.Level.Name + " · " + m.Site.Title
		for _, o := range index.Overdue {
			if o.Unit.LevelRef == l.Level {
				p.Overdue = append(p.Overdue, o)
			}
		}
		for _, g := range index.Missing {
			var units []*UnitReport
			for _, u := range g.Units {
				if u.Unit.LevelRef == l.Level {
					units = append(units, u)
				}
			}
			if len(units) > 0 {
				p.Missing = append(p.Missing, &MissingGroup{Parent: g.Parent, Units: units})
			}
		}
		for _, u := range l.Units {
			for _, a := range u.Answers {
				if a.Row != nil && a.Row.Notes != "" {
					p.Notes = append(p.Notes, overdueRow{u.Unit, a})
				}
			}
		}
		p.Chart = chart(m, m.Label("completion")+": "+l.Level.Name, levelBars(l))
		if err := execute(t, out, "level.html", output.Join("levels", l.Level.ID, "index.html"), p); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, r); err != nil {
		return fmt.Errorf("writing report.xlsx: %w", err)
	}
	if err := out.WriteFile("report.xlsx", buf.Bytes()); err != nil {
		return err
	}
	buf.Reset()
	if err := WriteData(&buf, r); err != nil {
		return fmt.Errorf("writing report.json: %w", err)
	}
	return out.WriteFile("report.json", buf.Bytes())
}

// page is what a template sees.
type page struct {
	Lang, Title  string
	Site, Home   string // links to the site's index and the report's
	R            *Report
	Level        *LevelReport // on a level's page
	Chart        template.HTML
	Overdue      []overdueRow
	Stale        []overdueRow
	Notes        []overdueRow
	Outdated     []*UnitReport
	Conflicts    []*UnitReport
	Missing      []*MissingGroup
	MissingCount int
	Totals       struct {
		Expected, Returned, OnTime, Late, Outdated, Conflicts, Missing int
		Counts                                                         Counts
		ReturnBy                                                       bool // some level has a return_by
	}
}

type overdueRow struct {
	Unit   *plan.Unit
	Answer *Answer
}

func parseTemplates(r *Report) (*template.Template, error) {
	m := r.Model
	funcs := template.FuncMap{
		"label": m.Label,
		"date":  m.Site.FormatDate,
		"dateP": func(d *plan.Date) string {
			if d == nil {
				return "–"
			}
			return m.Site.FormatDate(*d)
		},
		"inc": func(i int) int { return i + 1 },
		"due": func(mo *plan.Moment) string { return dueText(m, mo) },
		"status": func(a *Answer) string {
			return answerLabel(m, a)
		},
		"levelName": func(u *plan.Unit) string {
			if u.LevelRef != nil {
				return u.LevelRef.Name
			}
			return u.Level
		},
		"staleSource": func(a *Answer) string {
			if a.stale == nil {
				return ""
			}
			return fmt.Sprint(a.stale.Row)
		},
	}
	return template.New("").Funcs(funcs).ParseFS(templates, "templates/*.html")
}

func execute(t *template.Template, out *output.Dir, name, rel string, data page) error {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("rendering report/%s: %w", rel, err)
	}
	return out.WriteFile(rel, buf.Bytes())
}

// dueText formats a deadline in the site's language, "20/05/2021 17:00
// (E-3)" or "20 May 2021 17:00 (E-3)", or the standing duty label.
func dueText(m *plan.Model, mo *plan.Moment) string {
	if mo == nil {
		return m.Label("standing")
	}
	s := m.Site.FormatDate(mo.Date)
	if c := mo.Clock(); c != "" {
		s += " " + c
	}
	return s + " (" + mo.Relative() + ")"
}

// answerLabel names an answer's status in the site's words.
func answerLabel(m *plan.Model, a *Answer) string {
	if a.Rejected {
		return m.Label("rejected")
	}
	if a.Stale {
		return m.Label("reconfirm")
	}
	return m.Label(a.Status.String())
}

// joinSources lists where a unit's answers came from.
func joinSources(ss []Source) string {
	var parts []string
	for _, s := range ss {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, "\n")
}
