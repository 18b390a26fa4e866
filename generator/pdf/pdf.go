// Package pdf renders printable A4 checklists: one PDF per level
// (pdf/levels/<level>.pdf) and one per unit (pdf/units/<code>.pdf).
//
// A checklist prints as an attachment to a plan in the layout of Decree
// 30/2020/ND-CP: A4 portrait, margins 20 mm top and bottom, 30 mm left and
// 15 mm right. Page 1 starts with the head of the unit's papers
// (plan.Unit.Head; a level's PDF, plan.Level.Head): the issuing body top
// left in bold capitals with a short rule under it (a star on a party's
// papers, Hướng dẫn 36-HD/VPTW) and the number ("Số: 23/KH-UBBC"; a
// party's "Số 10-KH/TU") under that; the national title and motto (or
// "ĐẢNG CỘNG SẢN VIỆT NAM") top right with a rule under them and the
// place and date line in italics, from the head's issue date or left
// blank to fill in at signing ("Hà Nội, ngày ... tháng ... năm 2021").
// Then the title, the subject (the site's title unless the head says)
// with a short rule, the unit's name, its ancestors and facts; the "Căn
// cứ" list of the plans the checklist draws on (number, date, issuer,
// title); and the table, 12 pt: No. | the task, citing its plan's number
// (and the statutory task's it carries out), a checkbox per item, its
// evidence and legal basis in italics, and on a level's blank form the
// units it is limited to | responsible / supporting, named at the
// checklist's level | deadline | result: done, not done, not applicable,
// as the workbook's status list | notes. The table header repeats on every
// page; rows are numbered as on the web page and in the workbook. Last,
// the signature block of the level, each signer as capacity, title and
// note above the room to sign, kept together and never alone on a page
// (the table's last row goes with it). Pages after the first carry their
// number centred in the top margin; every page carries the unit code and
// the checklist version in the footer.
//
// The font is Liberation Serif (Times New Roman metrics, every Vietnamese
// letter), embedded from Go modules. Characters the font lacks, such as
// emoji, print as a white square; Check lists the texts that hold them,
// without rendering, so that check and build print the same warnings.
// Output is reproducible: the dates stamped into the files are the
// build's date, and nothing depends on the clock or on map order.
//
// Rendering runs on all processors, one PDF per worker at a time. A
// checklist is laid out once for every unit that shares it. A level's PDF
// is typeset whole by fpdf (internal/fpdf, drawing through canvas.go); a
// unit's is assembled (assemble.go): the body of its pages (the "Căn cứ"
// list, the table, the signatures, the page numbers) is drawn and
// compressed once for all the units whose page 1 leaves the table the same
// room, and each unit adds only what names it (the head and title on page
// 1, the footer on every page, the document information) as small streams
// laid over the shared ones, with fonts cut by fpdf to the runes it shows
// (and the digits), made once per distinct set of runes. A unit whose head
// or title moves a page break gets a body of its own, laid out for its
// room. Both ways show the same text at the same places in the same fonts;
// documents whose text stays within common Latin (Vietnamese included)
// embed faces cut down once to those runes, which fpdf parses much faster
// than the full faces.
package pdf

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// Options says what to render.
type Options struct {
	Units    []*plan.Unit // the units to render a PDF for
	Date     time.Time    // the build's fixed date: creation date and the date line
	Workers  int          // units rendered at once; one per processor when 0
	Progress func(done, total int)
	// Key returns the key of everything a unit's outputs are made from; pass
	// it to out.Cached for per-unit files so that a rebuild can reuse them.
	Key func(u *plan.Unit) string
}

// Render writes pdf/levels/<level>.pdf and pdf/units/<code>.pdf into out.
// Levels always get their PDF; units only those in opts.Units.
func Render(m *plan.Model, out output.Sink, opts Options) error {
	return renderAs(m, out, opts, assembled)
}

// how says how units' PDFs are made: assembled from parts shared with
// the units of the same checklist (see assemble.go), or typeset whole
// by fpdf, as levels' PDFs always are. Both show the same.
type how int

const (
	assembled how = iota
	typeset
)

func renderAs(m *plan.Model, out output.Sink, opts Options, units how) error {
	fonts, err := loadFonts()
	if err != nil {
		return err
	}
	date := opts.Date
	if date.IsZero() {
		date = m.Site.ElectionDay.Time()
	}
	fm := newForm(m, fonts, date)

	// Tables are laid out here, once per checklist; each document is
	// described in its worker, so that memory does not grow with the
	// number of units.
	type job struct {
		rel   string
		doc   func() *document
		key   string // for out.Cached; "" to write without caching
		whole bool   // typeset whole rather than assembled
	}
	asm := newAssembler(fm)
	type tableKey struct {
		c     *plan.Checklist
		level bool // a level's blank form: rows say which units they apply to
	}
	// A table is laid out when a document first needs it, so that a
	// server rendering one document lays out only that one's.
	type lazyTable struct {
		once sync.Once
		t    *table
	}
	var mu, layMu sync.Mutex // layMu: one table laid out at a time, as before
	tables := map[tableKey]*lazyTable{}
	tableOf := func(c *plan.Checklist, level bool) func() *table {
		k := tableKey{c, level}
		mu.Lock()
		lt, ok := tables[k]
		if !ok {
			lt = &lazyTable{}
			tables[k] = lt
		}
		mu.Unlock()
		return func() *table {
			lt.once.Do(func() {
				layMu.Lock()
				defer layMu.Unlock()
				lt.t = fm.table(c, level)
			})
			return lt.t
		}
	}
	var jobs []job
	for _, l := range m.Levels {
		if l.Checklist == nil {
			continue
		}
		t := tableOf(l.Checklist, true)
		jobs = append(jobs, job{rel: "pdf/levels/" + l.ID + ".pdf", doc: func() *document { return fm.levelDoc(l, t()) }, whole: true})
	}
	levelJobs := len(jobs)
	for _, u := range opts.Units {
		if u.Checklist == nil {
			continue
		}
		key := "pdf"
		if opts.Key != nil {
			key = opts.Key(u)
		}
		t := tableOf(u.Checklist, false)
		jobs = append(jobs, job{rel: "pdf/units/" + u.Code + ".pdf", doc: func() *document { return fm.unitDoc(u, t()) }, key: key, whole: units == typeset})
	}

	// Workers take jobs in order; each writes its own file, so the bytes
	// do not depend on scheduling. Progress counts units: the levels'
	// documents come first.
	var progress func(done, total int)
	if opts.Progress != nil {
		progress = func(done, total int) { opts.Progress(max(0, done-levelJobs), total-levelJobs) }
	}
	return output.Parallel(len(jobs), opts.Workers, func(i int) error {
		j := jobs[i]
		write := func(w io.Writer) error {
			if j.whole {
				return fm.write(w, j.doc())
			}
			return asm.assemble(w, j.doc())
		}
		if j.key == "" {
			if err := out.Render(j.rel, write); err != nil {
				return errorf(j.rel, err)
			}
			return nil
		}
		_, err := out.Cached(j.rel, j.key, write)
		return err
	}, progress)
}

// Check lists the texts the PDFs of the levels and of units would print
// that hold characters the font lacks (they print as a white square), each
// once, at the key or array element that holds it, sorted by place. Messages start with
// "warning: ". It reads the model and renders nothing: it costs a pass over
// the text, so check runs it as well as build.
func Check(m *plan.Model, units []*plan.Unit) (plan.ErrorList, error) {
	files, err := loadFaces()
	if err != nil {
		return nil, err
	}
	c := newCleaner(files)
	var list plan.ErrorList
	check := func(pos plan.Pos, what, s string) {
		_, missing := c.clean(s)
		if len(missing) == 0 {
			return
		}
		chars := make([]string, len(missing))
		for i, r := range missing {
			chars[i] = fmt.Sprintf("%#U", r)
		}
		list.Add(pos, "warning: %s has characters the PDF font cannot print (%s); the PDFs show %q instead",
			what, strings.Join(chars, ", "), string(c.repl))
	}
	tasks := map[*plan.Task]bool{}
	bodies := map[*plan.Body]bool{}
	use := func(c *plan.Checklist) {
		if c == nil {
			return
		}
		for _, e := range c.Entries {
			tasks[e.Task] = true
			if e.Also != nil {
				tasks[e.Also] = true
			}
			if b := e.Task.ResponsibleBody; b != nil {
				bodies[b] = true
			}
			for _, b := range e.Task.SupportBodies {
				bodies[b] = true
			}
		}
	}
	for _, l := range m.Levels {
		use(l.Checklist)
	}
	for _, u := range units {
		use(u.Checklist)
	}
	plans := map[*plan.Plan]bool{}
	for _, t := range m.Tasks {
		if !tasks[t] {
			continue
		}
		if p := t.Plan; !plans[p] {
			plans[p] = true
			check(p.KeyPos("number"), "plan "+p.ID+": the number", p.Number)
			check(p.KeyPos("title"), "plan "+p.ID+": the title", p.Title)
			check(p.KeyPos("issuer"), "plan "+p.ID+": the issuer", p.Issuer)
		}
		what := "task " + t.Key()
		check(t.KeyPos("title"), what+": the title", t.Title)
		for i, s := range t.Items {
			check(t.ElemPos("items", i), fmt.Sprintf("%s: item %d", what, i+1), s)
		}
		for i, s := range t.Evidence {
			check(t.ElemPos("evidence", i), fmt.Sprintf("%s: evidence %d", what, i+1), s)
		}
		for i, s := range t.Basis {
			check(t.ElemPos("basis", i), fmt.Sprintf("%s: basis %d", what, i+1), s)
		}
		if t.ResponsibleBody == nil {
			check(t.KeyPos("responsible"), what+": the responsible", t.Responsible)
		}
	}
	for _, b := range m.Bodies {
		if !bodies[b] {
			continue
		}
		check(b.KeyPos("name"), "the name of body "+b.ID, b.Name)
		levels := make([]string, 0, len(b.Names))
		for l := range b.Names {
			levels = append(levels, l)
		}
		sort.Strings(levels)
		for _, l := range levels {
			check(b.KeyPos("names."+l), "the name of body "+b.ID+" at level "+l, b.Names[l])
		}
	}
	// A form prints the strings of its head as written, placeholders
	// filled with names checked above.
	checkForm := func(f *plan.Form, what string, keyPos func(string) plan.Pos, elemPos func(string, int) plan.Pos) {
		if f == nil {
			return
		}
		for _, k := range []struct {
			key   string
			lines []string
		}{{"left", f.Left}, {"right", f.Right}} {
			for i, s := range k.lines {
				check(elemPos(k.key, i), fmt.Sprintf("%s %s line %d", what, k.key, i+1), s)
			}
		}
		for _, k := range []struct{ key, s string }{{"place", f.Place}, {"number", f.Number}, {"subject", f.Subject}} {
			check(keyPos(k.key), "the "+k.key+" in "+what, k.s)
		}
	}
	// A unit's PDF names its ancestors too, and takes its head from them.
	named := map[*plan.Unit]bool{}
	for _, u := range units {
		for x := u; x != nil && !named[x]; x = x.ParentUnit {
			named[x] = true
		}
	}
	for _, u := range m.Units {
		if named[u] {
			check(u.KeyPos("name"), "the name of unit "+u.Code, u.Name)
			check(u.KeyPos("place"), "the place of unit "+u.Code, u.Place)
			checkForm(u.Form, "[unit.form] of unit "+u.Code,
				func(k string) plan.Pos { return u.KeyPos("form." + k) },
				func(k string, i int) plan.Pos { return u.ElemPos("form."+k, i) })
		}
	}
	for _, l := range m.Levels {
		check(l.KeyPos("name"), "the name of level "+l.ID, l.Name)
		for i, s := range signersOf(l, m.Label) {
			for _, t := range []string{s.For, s.Title, s.Note} {
				check(l.ElemPos("sign", i), fmt.Sprintf("level %s: sign %d", l.ID, i+1), t)
			}
		}
		checkForm(l.Form, "[level.form] of level "+l.ID,
			func(k string) plan.Pos { return l.KeyPos("form." + k) },
			func(k string, i int) plan.Pos { return l.ElemPos("form."+k, i) })
	}
	site := m.Site
	check(site.KeyPos("organisation"), "the organisation", site.Organisation)
	check(site.KeyPos("title"), "the title", site.Title)
	check(site.KeyPos("form.place"), "the place in [form]", site.Form.Place)
	for i, s := range site.Form.Left {
		check(site.ElemPos("form.left", i), fmt.Sprintf("[form] left line %d", i+1), s)
	}
	for i, s := range site.Form.Right {
		check(site.ElemPos("form.right", i), fmt.Sprintf("[form] right line %d", i+1), s)
	}
	check(site.KeyPos("form.number"), "the number in [form]", site.Form.Number)
	check(site.KeyPos("form.subject"), "the subject in [form]", site.Form.Subject)
	keys := make([]string, 0, len(m.Labels))
	for k := range m.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		check(site.KeyPos("labels."+k), "the label "+k, m.Labels[k])
	}
	list.Sort()
	return list, nil
}
