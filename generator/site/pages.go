package site

import (
	"io"
	"strings"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// Paths of pages, relative to the site root. Ids and codes are checked by
// the loader to be single path segments; segment checks again where files
// are written.
func planPath(p *plan.Plan) string   { return "plans/" + p.ID + "/index.html" }
func levelPath(l *plan.Level) string { return "levels/" + l.ID + "/index.html" }
func bodyPath(b *plan.Body) string   { return "bodies/" + b.ID + "/index.html" }
func unitPath(u *plan.Unit) string   { return "units/" + u.Code + "/index.html" }
func taskHref(root string, t *plan.Task) string {
	return root + planPath(t.Plan) + "#" + t.ID
}

func (r *renderer) levelLinks(root string, ids []string) []Link {
	links := make([]Link, 0, len(ids))
	for _, id := range ids {
		if l := r.m.Level(id); l != nil {
			links = append(links, Link{Href: root + levelPath(l), Text: l.Name})
		}
	}
	return links
}

func bodyLink(root string, b *plan.Body) Link {
	if b == nil {
		return Link{}
	}
	return Link{Href: root + bodyPath(b), Text: b.Name}
}

func bodyLinks(root string, bodies []*plan.Body) []Link { return bodyLinksAt(root, bodies, "") }

// bodyLinkAt links a body by its name at level (Body.NameAt); by its name
// when level is "".
func bodyLinkAt(root string, b *plan.Body, level string) Link {
	if b == nil {
		return Link{}
	}
	return Link{Href: root + bodyPath(b), Text: b.NameAt(level)}
}

func bodyLinksAt(root string, bodies []*plan.Body, level string) []Link {
	links := make([]Link, len(bodies))
	for i, b := range bodies {
		links[i] = bodyLinkAt(root, b, level)
	}
	return links
}

// unitLinks links units, each with its code as a note. Links go to every
// unit, built by this build or not: the parts of a build split with
// --only combine into the whole site.
func (r *renderer) unitLinks(root string, units []*plan.Unit) []Link {
	var links []Link
	for _, u := range units {
		links = append(links, Link{Href: root + unitPath(u), Text: u.Name, Note: u.Code})
	}
	return links
}

// checklist lays out a checklist as a table: its rows in the checklist's
// order and numbering, the same as the PDF's and the workbook's, each
// naming its category; bodies by their names at the checklist's level.
// A level's page (level true) says which units a row is limited to.
func (r *renderer) checklist(c *plan.Checklist, root string, level bool) *Checklist {
	v := &Checklist{Version: c.Version, Count: len(c.Entries)}
	lv := ""
	if c.Level != nil {
		lv = c.Level.ID
	}
	for i, e := range c.Entries {
		t := e.Task
		row := Row{
			N: i + 1, ID: t.Plan.ID + "." + t.ID, Title: t.Title, Href: taskHref(root, t), Plan: t.Plan.Number,
			Category: r.m.Label("uncategorised"),
			Items:    t.Items, Responsible: bodyLinkAt(root, t.ResponsibleBody, lv), Support: bodyLinksAt(root, t.SupportBodies, lv),
			Due: moment(e.Due, r.m.Site), Start: moment(e.Start, r.m.Site), Limit: moment(e.Limit, r.m.Site), Late: e.Late(),
			Evidence: t.Evidence, Basis: t.Basis, Details: r.details[t],
		}
		if t.CategoryRef != nil {
			row.Category = t.CategoryRef.Name
		}
		if a := e.Also; a != nil {
			row.Also = &Link{Href: taskHref(root, a), Text: a.Plan.Number}
			row.Basis = append(append([]string(nil), t.Basis...), a.Basis...)
		}
		if level {
			row.Applies = r.m.Applies(t)
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// head is the print head of a page with head h (nil: none).
func (r *renderer) head(h *plan.Head) Head {
	if h == nil {
		return Head{}
	}
	subject := h.Subject
	if subject == "" {
		subject = r.m.Site.Title
	}
	return Head{Left: h.Left, Right: h.Right, Rule: h.Rule, Number: h.Number, DateLine: r.m.Site.HeadDateLine(h), Subject: subject}
}

// signers returns the signatures of level l's forms.
func (r *renderer) signers(l *plan.Level) []Signer {
	var out []Signer
	if len(l.Signers) > 0 {
		for _, s := range l.Signers {
			out = append(out, Signer{For: s.For, Title: s.Title, Note: s.Note})
		}
		return out
	}
	for _, s := range l.Sign {
		out = append(out, Signer{Title: s})
	}
	return out
}

func (r *renderer) writeIndex(out output.Sink) error {
	m := r.m
	p := r.page("index", m.Site.Title, "")
	p.Scripts = []string{"assets/search.js"}
	d := &IndexData{SearchIndex: searchIndex, Roots: r.unitLinks("", m.Roots)}
	today := plan.DateOf(r.opts.Date)
	d.Today = r.m.Site.FormatDate(today)
	for _, e := range m.Timeline {
		if len(d.Next) == 10 {
			break
		}
		if e.Due != nil && !e.Due.Date.Before(today) {
			d.Next = append(d.Next, r.timelineRow("", e))
		}
	}
	for _, pl := range m.Plans {
		b := PlanBrief{Href: planPath(pl), Number: pl.Number, Title: pl.Title, Issuer: pl.Issuer, Tasks: len(pl.Tasks)}
		if pl.Date != nil {
			b.Date = r.m.Site.FormatDate(*pl.Date)
		}
		d.Plans = append(d.Plans, b)
	}
	for _, l := range m.Levels {
		d.Levels = append(d.Levels, LevelBrief{Href: levelPath(l), Name: l.Name, Units: len(l.Units), Tasks: len(l.Checklist.Entries)})
	}
	owned := map[*plan.Body]int{} // tasks a body is responsible for or supports
	for _, t := range m.Tasks {
		owned[t.ResponsibleBody]++
		for _, b := range t.SupportBodies {
			if b != t.ResponsibleBody {
				owned[b]++
			}
		}
	}
	for _, b := range m.Bodies {
		d.Bodies = append(d.Bodies, Link{Href: bodyPath(b), Text: b.Name, Note: itoa(owned[b])})
	}
	d.Counts = []Count{
		{m.Label("plans"), len(m.Plans)}, {m.Label("tasks"), len(m.Tasks)}, {m.Label("levels"), len(m.Levels)},
		{m.Label("units"), len(m.Units)}, {m.Label("bodies"), len(m.Bodies)},
	}
	p.Data = d
	if err := r.writePage(out, "index.html", "index.html", p); err != nil {
		return err
	}
	return r.siteCalendar(out)
}

func (r *renderer) timelineRow(root string, e *plan.Entry) TimelineRow {
	t := e.Task
	return TimelineRow{
		Due: moment(e.Due, r.m.Site), Start: moment(e.Start, r.m.Site), Title: t.Title, Href: taskHref(root, t),
		Plan: t.Plan.Number, Levels: r.levelLinks(root, t.Levels), Responsible: bodyLink(root, t.ResponsibleBody),
	}
}

func (r *renderer) writePlans(out output.Sink) error {
	m := r.m
	const root = "../../"
	for _, pl := range m.Plans {
		dir, err := segment("plan id", pl.ID)
		if err != nil {
			return err
		}
		p := r.page("plan", pl.Title, root)
		p.Crumbs = []Link{{Href: root + "index.html", Text: m.Label("home")}}
		d := &PlanData{Number: pl.Number, Issuer: pl.Issuer, Summary: r.summary[pl], Scope: r.unitLinks(root, unitsOf(m, pl.Scope))}
		if pl.Date != nil {
			d.Date = r.m.Site.FormatDate(*pl.Date)
		}
		if pl.Source != "" {
			d.Source = &Link{Text: pl.Source}
			if isWebAddress(pl.Source) {
				d.Source.Href = pl.Source
			}
		}
		if src, ok := m.Sources[pl.File]; ok {
			name := dir + ".toml"
			if err := out.WriteFile("plans/"+dir+"/"+name, []byte(src)); err != nil {
				return err
			}
			d.File = Link{Href: name, Text: pl.File}
		}
		e := m.Site.ElectionDay
		for _, t := range pl.Tasks {
			due, limit := t.Due.On(e), t.Limit.On(e)
			pt := PlanTask{
				ID: t.ID, Title: t.Title, Levels: r.levelLinks(root, t.Levels),
				Responsible: bodyLink(root, t.ResponsibleBody), Support: bodyLinks(root, t.SupportBodies),
				Due: moment(due, r.m.Site), Start: moment(t.Start.On(e), r.m.Site), Limit: moment(limit, r.m.Site),
				Late: due != nil && limit != nil && due.After(limit),
				When: t.When, Unless: t.Unless, Items: t.Items, Evidence: t.Evidence, Basis: t.Basis,
				Details: r.details[t],
			}
			if t.Due != nil {
				pt.DueText = t.Due.Text
			}
			if t.CategoryRef != nil {
				pt.Category = t.CategoryRef.Name
			}
			d.Tasks = append(d.Tasks, pt)
		}
		p.Data = d
		if err := r.writePage(out, "plans/"+dir+"/index.html", "plan.html", p); err != nil {
			return err
		}
	}
	return nil
}

func unitsOf(m *plan.Model, codes []string) []*plan.Unit {
	var units []*plan.Unit
	for _, c := range codes {
		if u := m.Unit(c); u != nil {
			units = append(units, u)
		}
	}
	return units
}

// isWebAddress reports whether s is an http(s) address, the only kind of
// source a page links to; anything else is shown as text.
func isWebAddress(s string) bool {
	l := strings.ToLower(s)
	return (strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) && !strings.ContainsAny(s, " \t\r\n\"'<>")
}

// maxLevelUnits caps the units listed on a level page: a level of 80,000
// polling areas is reached through its parents and the search.
const maxLevelUnits = 500

func (r *renderer) writeLevels(out output.Sink) error {
	m := r.m
	const root = "../../"
	for _, l := range m.Levels {
		dir, err := segment("level id", l.ID)
		if err != nil {
			return err
		}
		p := r.page("level", l.Name, root)
		p.Crumbs = []Link{{Href: root + "index.html", Text: m.Label("home")}}
		p.Downloads = r.downloads(root, "levels/"+dir)
		p.Scripts = []string{root + "assets/checklist.js"}
		// Only the units the page lists are linked: a level of a
		// national site has tens of thousands.
		units := r.unitLinks(root, l.Units[:min(len(l.Units), maxLevelUnits)])
		p.Form = r.head(l.Head)
		d := &LevelData{Checklist: r.checklist(l.Checklist, root, true), Sign: r.signers(l), UnitCount: len(l.Units)}
		d.More = len(l.Units) - len(units)
		d.Units = units
		p.Data = d
		if err := r.writePage(out, "levels/"+dir+"/index.html", "level.html", p); err != nil {
			return err
		}
		err = out.Render("levels/"+dir+"/calendar.ics", func(w io.Writer) error {
			return r.writeCalendar(w, l.Name, "level-"+l.ID, l.Checklist.Entries)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// downloads links a level's or unit's other outputs: pdf/<kind>/<id>.pdf,
// xlsx/<kind>/<id>.xlsx when those formats are built, and its calendar.
func (r *renderer) downloads(root, kindID string) []Link {
	var links []Link
	if r.opts.Formats["pdf"] {
		links = append(links, Link{Href: root + "pdf/" + kindID + ".pdf", Text: r.m.Label("pdf")})
	}
	if r.opts.Formats["xlsx"] {
		links = append(links, Link{Href: root + "xlsx/" + kindID + ".xlsx", Text: r.m.Label("xlsx")})
	}
	return append(links, Link{Href: "calendar.ics", Text: r.m.Label("calendar")})
}

func (r *renderer) writeBodies(out output.Sink) error {
	m := r.m
	const root = "../../"
	for _, b := range m.Bodies {
		dir, err := segment("body id", b.ID)
		if err != nil {
			return err
		}
		p := r.page("body", b.Name, root)
		p.Crumbs = []Link{{Href: root + "index.html", Text: m.Label("home")}}
		d := &BodyData{}
		for _, l := range m.Levels {
			bl := BodyLevel{ID: l.ID, Level: Link{Href: root + levelPath(l), Text: l.Name}, Name: b.NameAt(l.ID)}
			for _, e := range l.Checklist.Entries {
				t := e.Task
				row := BodyRow{Due: moment(e.Due, r.m.Site), Title: t.Title, Href: taskHref(root, t), Plan: t.Plan.Number, Responsible: bodyLinkAt(root, t.ResponsibleBody, l.ID)}
				if t.ResponsibleBody == b {
					bl.Responsible = append(bl.Responsible, row)
				}
				for _, s := range t.SupportBodies {
					if s == b {
						bl.Support = append(bl.Support, row)
						break
					}
				}
			}
			if len(bl.Responsible)+len(bl.Support) > 0 {
				d.Levels = append(d.Levels, bl)
			}
		}
		p.Data = d
		if err := r.writePage(out, "bodies/"+dir+"/index.html", "body.html", p); err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) writeTimeline(out output.Sink) error {
	m := r.m
	const root = "../"
	p := r.page("timeline", m.Label("timeline"), root)
	p.Crumbs = []Link{{Href: root + "index.html", Text: m.Label("home")}}
	d := &TimelineData{}
	for _, e := range m.Timeline {
		if e.Due != nil {
			d.Rows = append(d.Rows, r.timelineRow(root, e))
		}
	}
	p.Data = d
	return r.writePage(out, "timeline/index.html", "timeline.html", p)
}

// unitPage builds a unit's page: breadcrumbs up, its checklist, links down.
func (r *renderer) unitPage(u *plan.Unit) (*Page, error) {
	m := r.m
	const root = unitRoot
	p := r.page("unit", u.Name, root)
	p.Crumbs = []Link{{Href: root + "index.html", Text: m.Label("home")}}
	for _, a := range u.Ancestors() {
		p.Crumbs = append(p.Crumbs, Link{Href: root + unitPath(a), Text: a.Name})
	}
	p.Downloads = r.downloads(root, "units/"+u.Code)
	p.Form = r.head(u.Head)
	p.Scripts = []string{root + "assets/checklist.js"}
	d := &UnitData{Code: u.Code, Children: r.unitLinks(root, u.Children)}
	if l := u.LevelRef; l != nil {
		d.Level = Link{Href: root + levelPath(l), Text: l.Name}
		d.Sign = r.signers(l)
	}
	if pu := u.ParentUnit; pu != nil {
		d.Parent = &Link{Href: root + unitPath(pu), Text: pu.Name}
	}
	if u.Day != m.Site.ElectionDay {
		d.OwnDay = r.m.Site.FormatDate(u.Day)
	}
	if u.Checklist != nil {
		h, err := r.checklistHTML(u.Checklist)
		if err != nil {
			return nil, err
		}
		d.Checklist = h
	}
	p.Data = d
	return p, nil
}
