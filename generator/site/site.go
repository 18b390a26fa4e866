// Package site renders the static HTML site from the resolved model:
//
//	index.html                   overview: search, next deadlines, plans, levels, bodies, counts
//	plans/<plan>/index.html      a plan and every task of it; <plan>.toml beside it
//	levels/<level>/index.html    a level's checklist; calendar.ics beside it
//	units/<code>/index.html      a unit's checklist, linking to its calendar
//	bodies/<body>/index.html     what a body owns and supports, by level
//	timeline/index.html          every dated task in date order
//	calendar.ics                 every dated task, as calendar events
//	calendars/<v>-<yyyymmdd>.ics the calendar of checklist version <v> from
//	                             election day <yyyymmdd>, for every unit with them
//	assets/                      style.css, search.js and the unit index
//
// Pages come from the html/template layouts of package layouts, which a
// site overrides file by file in its own layouts/ directory. Every link is
// relative and nothing is loaded from elsewhere, so the site works opened
// from disk (file://) and from any sub-path of a web server.
package site

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strings"
	"sync"
	"time"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// Options says what to render.
type Options struct {
	Units    []*plan.Unit    // the units to render pages for
	Layouts  fs.FS           // the site's own layouts/ directory, or nil
	Formats  map[string]bool // the other formats built ("pdf", "xlsx"), to link to
	Date     time.Time       // the build's fixed date
	Workers  int             // units rendered at once; one per processor when 0
	Progress func(done, total int)
	// Key returns the key of everything a unit's outputs are made from; pass
	// it to out.Cached for per-unit files so that a rebuild can reuse them.
	Key func(u *plan.Unit) string

	limits limits // of each page's size and time; the defaults when zero
}

// searchIndex is the path of the unit index that the search loads.
const searchIndex = "assets/units.js"

// Render writes every page of the site into out.
func Render(m *plan.Model, out output.Sink, opts Options) error {
	r, err := newRenderer(m, opts)
	if err != nil {
		return err
	}
	for _, step := range []func(output.Sink) error{
		r.writeAssets, r.writeIndex, r.writePlans, r.writeLevels,
		r.writeBodies, r.writeTimeline, r.writeSearchIndex, r.writeUnits,
		r.writeUnitCalendars,
	} {
		if err := step(out); err != nil {
			return err
		}
	}
	return nil
}

// renderer holds what every page needs: the model, the parsed layouts,
// the rendered Markdown of every task, and the checklists already rendered.
type renderer struct {
	m     *plan.Model
	opts  Options
	lang  string
	theme *theme
	md    *markdown
	units []*plan.Unit // the units whose pages this build writes

	details map[*plan.Task]template.HTML
	summary map[*plan.Plan]template.HTML

	// fast is set when the site keeps the default layouts of unit pages,
	// which appendUnitPage writes without html/template (unitpage.go),
	// into buffers from pageBuffers.
	fast        bool
	pageBuffers sync.Pool

	mu         sync.Mutex
	checklists map[*plan.Checklist]*renderedChecklist
	events     map[*plan.Entry]string // calendar events, after the UID
}

type renderedChecklist struct {
	once sync.Once
	html template.HTML
	err  error
}

func newRenderer(m *plan.Model, opts Options) (*renderer, error) {
	r := &renderer{
		m: m, opts: opts, lang: m.Site.Language, md: newMarkdown(),
		units:   opts.Units,
		details: map[*plan.Task]template.HTML{}, summary: map[*plan.Plan]template.HTML{},
		checklists: map[*plan.Checklist]*renderedChecklist{},
		events:     map[*plan.Entry]string{},
	}
	if r.units == nil {
		r.units = m.Units
	}
	funcs := template.FuncMap{
		"L":   m.Label,
		"inc": func(i int) int { return i + 1 },
	}
	th, err := loadTheme(opts.Layouts, funcs, opts.limits)
	if err != nil {
		return nil, err
	}
	r.theme = th
	r.fast = usesDefaultUnitLayouts(th.src)
	return r, r.renderContent()
}

// renderContent renders the Markdown of every plan's summary and every
// task's details; a failure points at the key that holds the text.
func (r *renderer) renderContent() error {
	var errs plan.ErrorList
	for _, p := range r.m.Plans {
		h, err := r.md.render(p.Summary, p.ID+"..")
		if err != nil {
			errs.Add(p.KeyPos("summary"), "summary: %v", err)
		}
		r.summary[p] = h
		for _, t := range p.Tasks {
			h, err := r.md.render(t.Details, p.ID+"."+t.ID+".")
			if err != nil {
				errs.Add(t.KeyPos("details"), "details: %v", err)
			}
			r.details[t] = h
		}
	}
	return errs.Err()
}

// page returns the parts every page shares.
func (r *renderer) page(kind, title, root string) *Page {
	s := r.m.Site
	return &Page{
		Kind: kind, Lang: r.lang, SiteTitle: s.Title, Organisation: s.Organisation,
		ElectionDay: r.m.Site.FormatDate(s.ElectionDay), Title: title, Root: root,
	}
}

// writePage renders a page layout into rel.
func (r *renderer) writePage(out output.Sink, rel, layout string, p *Page) error {
	return out.Render(rel, func(w io.Writer) error { return r.theme.execute(w, layout, rel, p) })
}

func (r *renderer) writeAssets(out output.Sink) error {
	for _, name := range assetFiles {
		if err := out.WriteFile("assets/"+name, r.theme.assets[name]); err != nil {
			return err
		}
	}
	return nil
}

// writeUnits writes every unit's page, in parallel; each file
// depends only on its unit, so the bytes do not depend on the order.
func (r *renderer) writeUnits(out output.Sink) error {
	return output.Parallel(len(r.units), r.opts.Workers, func(i int) error {
		return r.writeUnit(out, r.units[i])
	}, r.opts.Progress)
}

func (r *renderer) writeUnit(out output.Sink, u *plan.Unit) error {
	dir, err := segment("unit code", u.Code)
	if err != nil {
		return err
	}
	key := "-"
	if r.opts.Key != nil {
		key = r.opts.Key(u)
	}
	rel := "units/" + dir + "/index.html"
	_, err = out.Cached(rel, key, func(w io.Writer) error { return r.renderUnit(w, u, rel) })
	return err
}

// renderUnit writes unit u's page, the file rel, into w: by
// appendUnitPage when the site keeps the default layouts, else by the
// layouts.
func (r *renderer) renderUnit(w io.Writer, u *plan.Unit, rel string) error {
	p, err := r.unitPage(u)
	if err != nil {
		return err
	}
	linkCalendar(p, u)
	if r.fast {
		buf, _ := r.pageBuffers.Get().(*[]byte)
		if buf == nil {
			buf = new([]byte)
		}
		defer r.pageBuffers.Put(buf)
		b, ok := r.appendUnitPage((*buf)[:0], p)
		*buf = b
		if ok && len(b) <= r.theme.limits.bytes {
			_, err := w.Write(b)
			return err
		}
	}
	return r.theme.execute(w, "unit.html", rel, p)
}

// segment checks that an id or code can be one path segment inside the
// destination. The loader only accepts such values; this guards the
// writer against a model built some other way.
func segment(what, s string) (string, error) {
	if s == "" || s == "." || s == ".." || strings.ContainsAny(s, "/\\:\x00") || output.Check(s) != nil {
		return "", fmt.Errorf("%s %q cannot be a folder name inside the destination", what, s)
	}
	return s, nil
}

// unitRoot is the way from a unit page, units/<code>/index.html, to the root.
const unitRoot = "../../"

// checklistHTML renders a checklist table once for all the unit pages that
// show it (units with identical checklists share one).
func (r *renderer) checklistHTML(c *plan.Checklist) (template.HTML, error) {
	r.mu.Lock()
	rc := r.checklists[c]
	if rc == nil {
		rc = &renderedChecklist{}
		r.checklists[c] = rc
	}
	r.mu.Unlock()
	rc.once.Do(func() {
		rc.html, rc.err = r.theme.executeHTML("unit.html", "checklist", r.checklist(c, unitRoot, false))
	})
	return rc.html, rc.err
}
