package plan

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Model is a resolved site: every reference checked, the checklist of every
// level and unit computed, with dates resolved from each unit's own
// election day. Renderers read it and never change it.
type Model struct {
	Site       *Site
	Labels     map[string]string // the built-in labels of the site's language, with its overrides
	Levels     []*Level
	Categories []*Category
	Bodies     []*Body
	Plans      []*Plan  // sorted by id
	Tasks      []*Task  // every task, by plan, in file order
	Units      []*Unit  // in site order: units.toml, then units.csv
	Roots      []*Unit  // units without a parent
	Timeline   []*Entry // every task resolved at the site's election day, in checklist order
	Warnings   ErrorList
	Sources    map[string]string // the text of every content file, by path

	levels     map[string]*Level
	categories map[string]*Category
	bodies     map[string]*Body
	units      map[string]*Unit

	groups unitGroups // which units share a checklist, for the next resolve (tree.go)
	tree   *unitTree  // when set, units is nil: the units by index (tree.go)
}

// Level returns the level with id, or nil.
func (m *Model) Level(id string) *Level { return m.levels[id] }

// Category returns the category with id, or nil.
func (m *Model) Category(id string) *Category { return m.categories[id] }

// Body returns the body with id, or nil.
func (m *Model) Body(id string) *Body { return m.bodies[id] }

// Unit returns the unit with code, or nil.
func (m *Model) Unit(code string) *Unit {
	if m.tree != nil {
		if i, ok := m.tree.index[code]; ok {
			return m.Units[i]
		}
		return nil
	}
	return m.units[code]
}

// Label returns the label for key in the site's language.
func (m *Model) Label(key string) string {
	if v, ok := m.Labels[key]; ok {
		return v
	}
	return key
}

// Open loads and resolves the site rooted at fsys, returning every error
// of both stages at once, sorted by place.
func Open(fsys fs.FS) (*Model, error) {
	set, err := Load(fsys)
	if set == nil {
		return nil, err
	}
	return Resolve(set)
}

// Resolve checks every reference of a loaded set and computes the
// checklists. It returns the load errors of the set too, so that a site
// with errors in several files reports all of them.
//
// Resolve does not change the set: the model holds copies of the set's
// site, levels, categories, bodies, units, plans and tasks, and fills in
// their resolved fields. Resolving one set twice gives two equal models
// that share nothing a renderer could see change.
func Resolve(s *Set) (*Model, error) { return resolve(s, nil, nil) }

// resolve is Resolve. prev, when not nil, is a model resolved without
// errors from a set with the same site.toml and units files: its units'
// links, election days and heads are taken instead of computed again
// (see Loader.Resolve). renamed, when not nil, says which units (by index)
// have another name or place than in prev: their heads, and those of the
// units below them, are resolved again.
func resolve(s *Set, prev *Model, renamed []bool) (*Model, error) {
	r := &resolver{set: s, errs: append(ErrorList(nil), s.errs...), prev: prev}
	site, bodies, units, plans := s.copyValues()
	m := &Model{
		Site:       site,
		Levels:     site.Levels,
		Categories: site.Categories,
		Bodies:     bodies,
		Plans:      plans,
		Units:      units,
		Sources:    s.Sources,
		levels:     map[string]*Level{},
		categories: map[string]*Category{},
		bodies:     map[string]*Body{},
		units:      map[string]*Unit{},
	}
	r.m = m
	m.Labels = labelsFor(s.Site.Language, s.Site.Labels)
	sort.Slice(m.Plans, func(i, j int) bool { return m.Plans[i].ID < m.Plans[j].ID })
	r.indexSite()
	r.checkBodies()
	if prev != nil {
		r.reuseUnits(prev) // tree.go
		if renamed != nil {
			r.headsOf(r.below(renamed)) // form.go
		}
	} else {
		r.linkUnits()
	}
	r.checkPlans()
	r.checkRanges()
	if prev == nil {
		r.heads()
	}
	if err := r.errs.Err(); err != nil {
		return nil, err
	}
	r.checklists()
	r.warn()
	m.Warnings.Sort()
	return m, nil
}

// copyValues returns copies of the set's values, linked to each other as
// the originals are (a task to its plan), without any field set by
// Resolve. Units and tasks are copied into one array each.
func (s *Set) copyValues() (*Site, []*Body, []*Unit, []*Plan) {
	site := *s.Site
	site.Levels = make([]*Level, len(s.Site.Levels))
	for i, l := range s.Site.Levels {
		c := *l
		c.Checklist, c.Units, c.Head = nil, nil, nil
		if len(c.Signers) == 0 && len(c.Sign) > 0 {
			c.Signers = make([]Signer, len(c.Sign))
			for j, s := range c.Sign {
				c.Signers[j] = Signer{Title: s}
			}
		}
		site.Levels[i] = &c
	}
	site.Categories = make([]*Category, len(s.Site.Categories))
	for i, c := range s.Site.Categories {
		cc := *c
		site.Categories[i] = &cc
	}
	bodies := make([]*Body, len(s.Bodies))
	for i, b := range s.Bodies {
		c := *b
		bodies[i] = &c
	}
	unitArr := make([]Unit, len(s.Units))
	units := make([]*Unit, len(s.Units))
	for i, u := range s.Units {
		c := &unitArr[i]
		*c = *u
		c.LevelRef, c.ParentUnit, c.Children, c.Day, c.Checklist, c.Head, c.depth = nil, nil, nil, Date{}, nil, nil, 0
		units[i] = c
	}
	n := 0
	for _, p := range s.Plans {
		n += len(p.Tasks)
	}
	taskArr := make([]Task, 0, n)
	plans := make([]*Plan, len(s.Plans))
	for i, p := range s.Plans {
		c := *p
		c.Tasks = make([]*Task, len(p.Tasks))
		for j, t := range p.Tasks {
			taskArr = append(taskArr, *t)
			ct := &taskArr[len(taskArr)-1]
			ct.Plan = &c
			ct.ResponsibleBody, ct.SupportBodies, ct.CategoryRef, ct.ImplementsTask = nil, nil, nil, nil
			c.Tasks[j] = ct
		}
		plans[i] = &c
	}
	return &site, bodies, units, plans
}

type resolver struct {
	set  *Set
	m    *Model
	errs ErrorList
	prev *Model // a model whose units this one's are: see resolve
}

func (r *resolver) levelList() string {
	ids := make([]string, len(r.m.Levels))
	for i, l := range r.m.Levels {
		ids[i] = l.ID
	}
	return strings.Join(ids, ", ")
}

func (r *resolver) indexSite() {
	m := r.m
	for _, l := range m.Levels {
		if l.ID == "" {
			continue
		}
		if prev, dup := m.levels[l.ID]; dup {
			r.errs.Add(l.Pos, "duplicate level %q (first defined at %s)", l.ID, prev.Pos)
			continue
		}
		m.levels[l.ID] = l
	}
	for _, c := range m.Categories {
		if c.ID == "" {
			continue
		}
		if prev, dup := m.categories[c.ID]; dup {
			r.errs.Add(c.Pos, "duplicate category %q (first defined at %s)", c.ID, prev.Pos)
			continue
		}
		m.categories[c.ID] = c
	}
}

// levelKnown reports whether id names a level; when the site could not be
// read every level is accepted, so one broken file does not cascade.
func (r *resolver) levelKnown(id string) bool {
	return r.m.levels[id] != nil || r.set.broken["site"]
}

func (r *resolver) checkBodies() {
	m := r.m
	for _, b := range m.Bodies {
		if b.ID == "" {
			continue
		}
		if prev, dup := m.bodies[b.ID]; dup {
			r.errs.Add(b.Pos, "duplicate body %q (first defined at %s)", b.ID, prev.Pos)
		} else {
			m.bodies[b.ID] = b
		}
		for i, l := range b.Levels {
			if !r.levelKnown(l) {
				r.errs.Add(b.ElemPos("levels", i), "unknown level %q (levels: %s)%s", l, r.levelList(), didYouMean(l, r.levelIDs()))
			}
		}
		for l := range b.Names {
			switch {
			case !r.levelKnown(l):
				r.errs.Add(b.names[l], "unknown level %q in [body.names] (levels: %s)%s", l, r.levelList(), didYouMean(l, r.levelIDs()))
			case !b.ExistsAt(l):
				r.errs.Add(b.names[l], "body %q does not exist at level %q (it exists at: %s): remove the name or add the level to levels", b.ID, l, strings.Join(b.Levels, ", "))
			}
		}
	}
}

func (r *resolver) linkUnits() {
	m := r.m
	folded := map[string]*Unit{}
	for _, u := range m.Units {
		if u.Code == "" {
			continue
		}
		if prev, dup := m.units[u.Code]; dup {
			r.errs.Add(u.KeyPos("code"), "duplicate unit code %q (first defined at %s)", u.Code, prev.Pos)
			continue
		}
		if prev, dup := folded[strings.ToLower(u.Code)]; dup {
			r.errs.Add(u.KeyPos("code"), "unit code %q differs from %q (%s) only in case: the two would share one output folder on Windows and macOS", u.Code, prev.Code, prev.Pos)
			continue
		}
		m.units[u.Code] = u
		folded[strings.ToLower(u.Code)] = u
	}
	for _, u := range m.Units {
		if m.units[u.Code] != u {
			continue
		}
		if u.Level != "" {
			u.LevelRef = m.levels[u.Level]
			if u.LevelRef == nil && !r.set.broken["site"] {
				r.errs.Add(u.KeyPos("level"), "unknown level %q (levels: %s)%s", u.Level, r.levelList(), didYouMean(u.Level, r.levelIDs()))
			}
		}
		if u.Parent == "" {
			if u.LevelRef != nil && u.LevelRef.Index > 0 {
				r.errs.Add(u.KeyPos("code"), "unit %s of level %q has no parent: give it a parent of level %q", u.Code, u.Level, m.Levels[u.LevelRef.Index-1].ID)
			}
			continue
		}
		p := m.units[u.Parent]
		if p == nil {
			r.errs.Add(u.KeyPos("parent"), "unknown parent unit %q%s", u.Parent, didYouMean(u.Parent, r.unitCodes()))
			continue
		}
		u.ParentUnit = p
		if u.LevelRef != nil && p.LevelRef != nil && p.LevelRef.Index != u.LevelRef.Index-1 {
			want := "none: it is a top-level unit"
			if u.LevelRef.Index > 0 {
				want = "a unit of level " + strconv.Quote(m.Levels[u.LevelRef.Index-1].ID)
			}
			r.errs.Add(u.KeyPos("parent"), "parent %q is of level %q, but a unit of level %q needs %s", p.Code, p.Level, u.Level, want)
		}
	}
	// Cycles: follow each chain; a chain longer than the unit count loops.
	state := map[*Unit]int{} // 1: on the current path, 2: done
	for _, u := range m.Units {
		var path []*Unit
		x := u
		for x != nil && state[x] == 0 {
			state[x] = 1
			path = append(path, x)
			x = x.ParentUnit
		}
		if x != nil && state[x] == 1 {
			var codes []string
			start := 0
			for i, p := range path {
				if p == x {
					start = i
				}
			}
			for _, p := range path[start:] {
				codes = append(codes, p.Code)
				p.ParentUnit = nil // break it so later walks end
			}
			r.errs.Add(x.KeyPos("parent"), "cycle of parents: %s -> %s", strings.Join(codes, " -> "), x.Code)
		}
		for _, p := range path {
			state[p] = 2
		}
	}
	for _, u := range m.Units {
		if m.units[u.Code] != u {
			continue
		}
		if u.ParentUnit == nil {
			m.Roots = append(m.Roots, u)
		} else {
			u.ParentUnit.Children = append(u.ParentUnit.Children, u)
		}
		if u.LevelRef != nil {
			u.LevelRef.Units = append(u.LevelRef.Units, u)
		}
	}
	var setDay func(u *Unit, day Date, depth int)
	setDay = func(u *Unit, day Date, depth int) {
		u.Day, u.depth = day, depth
		if u.ElectionDay != nil {
			u.Day = *u.ElectionDay
		}
		for _, c := range u.Children {
			setDay(c, u.Day, depth+1)
		}
	}
	for _, u := range m.Roots {
		setDay(u, m.Site.ElectionDay, 0)
	}
}

func (r *resolver) checkPlans() {
	m := r.m
	for _, p := range m.Plans {
		for i, code := range p.Scope {
			if m.Unit(code) == nil && !r.set.broken["units"] {
				r.errs.Add(p.ElemPos("scope", i), "unknown unit %q in scope%s", code, didYouMean(code, r.unitCodes()))
			}
		}
		seen := map[string]*Task{}
		for _, t := range p.Tasks {
			m.Tasks = append(m.Tasks, t)
			if t.ID != "" {
				if prev, dup := seen[t.ID]; dup {
					r.errs.Add(t.KeyPos("id"), "duplicate task id %q in this plan (first at line %d)", t.ID, prev.Pos.Line)
				}
				seen[t.ID] = t
			}
			r.checkTask(t)
		}
	}
	r.checkImplements()
}

// checkImplements links each task's implements to the task it names and
// checks its from. A task implements a task of another plan that
// implements nothing itself; sharing no level with it is a warning.
func (r *resolver) checkImplements() {
	m := r.m
	byKey := make(map[string]*Task, len(m.Tasks))
	for _, t := range m.Tasks {
		if _, dup := byKey[t.Key()]; !dup {
			byKey[t.Key()] = t
		}
	}
	for _, t := range m.Tasks {
		switch t.From {
		case "", FromUnit, FromSite:
		default:
			r.errs.Add(t.KeyPos("from"), "unknown from %q: use %q (relative deadlines count from the unit's election day, the default) or %q (from the site's)", t.From, FromUnit, FromSite)
		}
		if t.Implements == "" {
			continue
		}
		pos := t.KeyPos("implements")
		s := byKey[t.Implements]
		switch {
		case !strings.Contains(t.Implements, "/"):
			r.errs.Add(pos, "implements %q: write the task's id across the site, \"<plan id>/<task id>\"", t.Implements)
		case s == nil:
			if !r.set.broken["plans"] {
				r.errs.Add(pos, "implements %q: no such task (a task's id across the site is \"<plan id>/<task id>\", the plan id being its file name)", t.Implements)
			}
		case s == t:
			r.errs.Add(pos, "implements %q: a task cannot implement itself; name the statutory task it carries out", t.Implements)
		case s.Implements != "":
			r.errs.Add(pos, "implements %q, which itself implements %q: name the statutory task %q instead", t.Implements, s.Implements, s.Implements)
		default:
			t.ImplementsTask = s
			shared := false
			for _, l := range t.Levels {
				shared = shared || s.HasLevel(l)
			}
			if !shared {
				m.Warnings.Add(pos, "warning: implements %q, which shares no level with this task (levels %s against %s), so the two never meet on a checklist", t.Implements, strings.Join(t.Levels, ", "), strings.Join(s.Levels, ", "))
			}
		}
	}
}

func (r *resolver) checkTask(t *Task) {
	m := r.m
	levels := map[string]bool{}
	for i, l := range t.Levels {
		switch {
		case !r.levelKnown(l):
			r.errs.Add(t.ElemPos("levels", i), "unknown level %q (levels: %s)%s", l, r.levelList(), didYouMean(l, r.levelIDs()))
		case levels[l]:
			r.errs.Add(t.ElemPos("levels", i), "level %q listed twice", l)
		}
		levels[l] = true
	}
	if t.Responsible != "" {
		b := m.bodies[t.Responsible]
		switch {
		case b == nil && !r.set.broken["bodies"]:
			r.errs.Add(t.KeyPos("responsible"), "unknown body %q: define it in %s%s", t.Responsible, BodiesFile, didYouMean(t.Responsible, r.bodyIDs()))
		case b != nil:
			t.ResponsibleBody = b
			for _, l := range t.Levels {
				if r.m.levels[l] != nil && !b.ExistsAt(l) {
					r.errs.Add(t.KeyPos("responsible"), "body %q does not exist at level %q (it exists at: %s): choose another responsible body or add the level to the body in %s", b.ID, l, strings.Join(b.Levels, ", "), BodiesFile)
				}
			}
		}
	}
	for i, id := range t.Support {
		b := m.bodies[id]
		if b == nil {
			if !r.set.broken["bodies"] {
				r.errs.Add(t.ElemPos("support", i), "unknown body %q: define it in %s%s", id, BodiesFile, didYouMean(id, r.bodyIDs()))
			}
			continue
		}
		t.SupportBodies = append(t.SupportBodies, b)
	}
	if t.Category != "" {
		t.CategoryRef = m.categories[t.Category]
		if t.CategoryRef == nil && !r.set.broken["site"] {
			r.errs.Add(t.KeyPos("category"), "unknown category %q (categories: %s)%s", t.Category, r.categoryList(), didYouMean(t.Category, r.categoryIDs()))
		}
	}
	if t.Start != nil && t.Due != nil {
		e := m.Site.ElectionDay
		if t.Start.On(e).After(t.Due.On(e)) {
			r.errs.Add(t.Start.Pos, "start %s is after due %s: a window runs from start to due", t.Start.Text, t.Due.Text)
		}
	}
	if t.Start != nil && t.Due == nil {
		r.errs.Add(t.Start.Pos, "start without due: a window needs both; add a due or remove start")
	}
}

// checkRanges reports relative deadlines that fall outside the dates a
// workbook can hold, for the earliest or the latest election day among the
// site's and those of the units of the task's levels.
func (r *resolver) checkRanges() {
	m := r.m
	e := m.Site.ElectionDay
	if e.IsZero() {
		return // no election day: reported where it is missing
	}
	type span struct{ first, last Date }
	spans := map[string]span{}
	for _, u := range m.Units {
		if u.LevelRef == nil || u.Day.IsZero() {
			continue
		}
		sp, ok := spans[u.Level]
		if !ok {
			sp = span{e, e}
		}
		if u.Day.Before(sp.first) {
			sp.first = u.Day
		}
		if sp.last.Before(u.Day) {
			sp.last = u.Day
		}
		spans[u.Level] = sp
	}
	for _, t := range m.Tasks {
		days := span{e, e}
		for _, l := range t.Levels {
			if t.From == FromSite {
				break
			}
			if sp, ok := spans[l]; ok {
				if sp.first.Before(days.first) {
					days.first = sp.first
				}
				if days.last.Before(sp.last) {
					days.last = sp.last
				}
			}
		}
		for _, k := range []struct {
			key string
			sp  *DateSpec
		}{{"due", t.Due}, {"start", t.Start}, {"limit", t.Limit}} {
			if k.sp == nil || !k.sp.Relative {
				continue
			}
			for _, day := range []Date{days.first, days.last} {
				if d := day.AddDays(k.sp.Offset); !inRange(d) {
					r.errs.Add(k.sp.Pos, "%s %s falls on %s for units voting on %s: %s", k.key, k.sp.Text, d, day, rangeHint)
					break
				}
			}
		}
	}
}

func (r *resolver) categoryList() string {
	ids := make([]string, len(r.m.Categories))
	for i, c := range r.m.Categories {
		ids[i] = c.ID
	}
	if len(ids) == 0 {
		return "none defined; add [[category]] to site.toml"
	}
	return strings.Join(ids, ", ")
}

// checklists computes the checklist of every level and unit. Units whose
// checklists come out identical share one.
func (r *resolver) checklists() {
	m := r.m
	e := m.Site.ElectionDay
	levelTasks := map[string][]*Task{}
	for _, t := range m.Tasks {
		for _, l := range t.Levels {
			levelTasks[l] = append(levelTasks[l], t)
		}
	}
	cache := map[string]*Checklist{}
	build := func(l *Level, day Date, tasks []*Task) *Checklist {
		var key strings.Builder
		key.WriteString(l.ID)
		key.WriteByte(' ')
		key.WriteString(day.String())
		for _, t := range tasks {
			key.WriteByte(' ')
			key.WriteString(t.Key())
		}
		if c, ok := cache[key.String()]; ok {
			return c
		}
		c := newChecklist(l, day, e, tasks)
		cache[key.String()] = c
		return c
	}
	for _, l := range m.Levels {
		l.Checklist = build(l, e, levelTasks[l.ID])
	}
	m.Timeline = newChecklist(nil, e, e, m.Tasks).Entries
	scopes := make(map[*Plan]map[string]bool)
	for _, p := range m.Plans {
		if len(p.Scope) > 0 {
			scopes[p] = map[string]bool{}
			for _, c := range p.Scope {
				scopes[p][c] = true
			}
		}
	}
	r.unitChecklists(levelTasks, scopes, build) // tree.go
}

// applies reports whether a task of the unit's level binds the unit: the
// unit is in its plan's scope (in, the units inside it, is nil for a plan
// without one), the unit carries one of the task's when tags (if any)
// and none of its unless tags.
func applies(t *Task, u *Unit, in map[*Unit]bool) bool {
	if in != nil && !in[u] {
		return false
	}
	if len(t.When) > 0 {
		ok := false
		for _, tag := range t.When {
			ok = ok || u.HasTag(tag)
		}
		if !ok {
			return false
		}
	}
	for _, tag := range t.Unless {
		if u.HasTag(tag) {
			return false
		}
	}
	return true
}

// newChecklist resolves the tasks of level l (nil for the timeline) at
// election day day, and siteDay for tasks counted from the site's. On a
// level's or unit's checklist a task that implements another one listed
// there takes its place (Entry.Also); the timeline lists every task.
func newChecklist(l *Level, day, siteDay Date, tasks []*Task) *Checklist {
	c := &Checklist{Day: day, Level: l, Entries: make([]*Entry, 0, len(tasks))}
	var listed map[*Task]bool
	if l != nil {
		for _, t := range tasks {
			if t.ImplementsTask != nil {
				if listed == nil {
					listed = make(map[*Task]bool, len(tasks))
					for _, t := range tasks {
						listed[t] = true
					}
				}
				break
			}
		}
	}
	implemented := map[*Task]bool{}
	for _, t := range tasks {
		if s := t.ImplementsTask; s != nil && listed[s] {
			implemented[s] = true
		}
	}
	for _, t := range tasks {
		if implemented[t] {
			continue
		}
		d := t.dayFrom(day, siteDay)
		e := &Entry{Task: t, Due: t.Due.On(d), Start: t.Start.On(d), Limit: t.Limit.On(d)}
		if s := t.ImplementsTask; s != nil && listed[s] {
			e.Also = s
			if due := s.Due.On(s.dayFrom(day, siteDay)); due != nil && (e.Limit == nil || e.Limit.After(due)) {
				e.Limit, e.limitFromAlso = due, true
			}
		}
		c.Entries = append(c.Entries, e)
	}
	sort.SliceStable(c.Entries, func(i, j int) bool { return entryLess(c.Entries[i], c.Entries[j]) })
	c.Version = version(c)
	return c
}

// dayFrom is the election day the task's relative deadlines count from:
// the site's for a task with from = "site", else the checklist's.
func (t *Task) dayFrom(day, siteDay Date) Date {
	if t.From == FromSite {
		return siteDay
	}
	return day
}

// entryLess orders by due (standing duties last), then plan, then file order.
func entryLess(a, b *Entry) bool {
	switch {
	case a.Due == nil && b.Due != nil:
		return false
	case a.Due != nil && b.Due == nil:
		return true
	case a.Due != nil && b.Due != nil && a.Due.minutes() != b.Due.minutes():
		return a.Due.minutes() < b.Due.minutes()
	}
	if a.Task.Plan.ID != b.Task.Plan.ID {
		return a.Task.Plan.ID < b.Task.Plan.ID
	}
	return a.Task.Index < b.Task.Index
}

// version hashes exactly what the checklist says (see Checklist.Version).
func version(c *Checklist) string {
	h := sha256.New()
	for _, e := range c.Entries {
		c.writeEntry(h, e)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// EntryHash is a short hash of what entry e of the checklist says: its
// part of the Version (key, plan number, title, the Also task, category,
// responsible and supporting body names at the checklist's level, resolved
// due, start and limit, items, evidence, basis and details), not its
// position. A sign-off workbook keeps it on every task row, so that a
// sheet filled against an older version still counts for the tasks that
// did not change. c may be nil: body names are then the bodies' own.
func (c *Checklist) EntryHash(e *Entry) string {
	h := sha256.New()
	c.writeEntry(h, e)
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// writeEntry writes what entry e says into h, for Version and EntryHash.
func (c *Checklist) writeEntry(h hash.Hash, e *Entry) {
	t := e.Task
	field(h, "task", t.Key(), t.Plan.Number, t.Title)
	if e.Also != nil {
		field(h, "also", e.Also.Key(), e.Also.Plan.Number, e.Also.Title)
	}
	if t.CategoryRef != nil {
		field(h, "category", t.CategoryRef.Name)
	}
	if t.ResponsibleBody != nil {
		field(h, "responsible", c.bodyName(t.ResponsibleBody))
	}
	for _, b := range t.SupportBodies {
		field(h, "support", c.bodyName(b))
	}
	for _, mo := range []struct {
		name string
		m    *Moment
	}{{"due", e.Due}, {"start", e.Start}, {"limit", e.Limit}} {
		if mo.m != nil {
			field(h, mo.name, mo.m.String())
		}
	}
	field(h, "items", t.Items...)
	field(h, "evidence", t.Evidence...)
	field(h, "basis", t.Basis...)
	field(h, "details", t.Details)
}

// bodyName is the body's name on the checklist: at its level, or the
// body's name on the timeline.
func (c *Checklist) bodyName(b *Body) string {
	if c == nil || c.Level == nil {
		return b.Name
	}
	return b.NameAt(c.Level.ID)
}

// field writes a name and its values, each length-prefixed, so that no two
// different checklists hash the same bytes.
func field(h hash.Hash, name string, values ...string) {
	var n [8]byte
	for _, s := range append([]string{name}, values...) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	binary.BigEndian.PutUint64(n[:], ^uint64(0))
	h.Write(n[:])
}

// warn records what is allowed but probably wrong: a due later than its
// statutory limit in any checklist that holds the task (so also for units
// that vote early), and when/unless tags that no unit carries.
func (r *resolver) warn() {
	m := r.m
	var lists []*Checklist
	seen := map[*Checklist]bool{}
	for _, l := range m.Levels {
		if !seen[l.Checklist] {
			seen[l.Checklist] = true
			lists = append(lists, l.Checklist)
		}
	}
	tags := map[string]bool{}
	for _, u := range m.Units {
		if u.Checklist != nil && !seen[u.Checklist] {
			seen[u.Checklist] = true
			lists = append(lists, u.Checklist)
		}
		for _, t := range u.Tags {
			tags[t] = true
		}
	}
	late := map[*Task]bool{}
	for _, c := range lists {
		for _, e := range c.Entries {
			t := e.Task
			if late[t] || !e.Late() {
				continue
			}
			late[t] = true
			at := ""
			if c.Day != m.Site.ElectionDay {
				at = fmt.Sprintf(" for units voting on %s", c.Day)
			}
			if e.limitFromAlso {
				m.Warnings.Add(t.Due.Pos, "warning: due %s is later than the due %s of %s, which this task implements%s: check the date against %s",
					describe(t.Due, e.Due), describe(e.Also.Due, e.Limit), e.Also.Key(), at, strings.Join(append([]string{"the law"}, e.Also.Basis...)[min(1, len(e.Also.Basis)):], ", "))
				continue
			}
			m.Warnings.Add(t.Due.Pos, "warning: due %s is later than its limit %s%s: check the date against %s",
				describe(t.Due, e.Due), describe(t.Limit, e.Limit), at, strings.Join(append([]string{"the law"}, t.Basis...)[min(1, len(t.Basis)):], ", "))
		}
	}
	if len(m.Units) == 0 {
		return
	}
	for _, t := range m.Tasks {
		for i, tag := range t.When {
			if !tags[tag] {
				m.Warnings.Add(t.ElemPos("when", i), "warning: no unit carries the tag %q, so this task applies to no unit", tag)
			}
		}
		for i, tag := range t.Unless {
			if !tags[tag] {
				m.Warnings.Add(t.ElemPos("unless", i), "warning: no unit carries the tag %q", tag)
			}
		}
	}
}

// describe shows a deadline as written and in the other form: "E-48
// (2021-04-05)" or "2021-04-05 (E-48)".
func describe(s *DateSpec, m *Moment) string {
	if s.Relative {
		return fmt.Sprintf("%s (%s)", s.Text, m)
	}
	return fmt.Sprintf("%s (%s)", s.Text, m.Relative())
}
