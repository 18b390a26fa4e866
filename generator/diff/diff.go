// Package diff compares two versions of a site, as resolved models: what
// changed in site.toml, the levels, categories, bodies, plans, tasks and
// units, field by field, and which units' printed papers changed and must
// be reprinted. Compare computes a Result of plain values; Write prints it
// as text and WriteList writes the reprint list as CSV.
//
// A unit's papers changed when its checklist version changed (see
// plan.Checklist.Version: what the checklist says), or when something else
// printed on its papers changed: its name, its level or the level's name
// or signature roles, the names of the units above it, its election day,
// or the head every form shares (title, organisation, language, labels,
// [form]).
package diff

import (
	"slices"
	"strconv"
	"strings"

	"checkgen/generator/plan"
)

// Status says what happened to a thing between the two versions.
type Status string

// The statuses of an Item.
const (
	Added   Status = "added"
	Removed Status = "removed"
	Changed Status = "changed"
)

// Kind says how a Change's values read.
type Kind int

// The kinds of a Change.
const (
	Value Kind = iota // one short value: an id, a date, a code; Old or New may be empty (absent)
	Text              // one line of text, printed quoted
	IDs               // a short list of ids, printed on one line
	List              // a list of sentences, printed one per line
	Lines             // a multi-line text (Markdown), split into its lines
)

// Change is one field that differs: its values in the old and the new
// version. A Value or Text holds at most one value; none means absent.
type Change struct {
	Field    string
	Kind     Kind
	Old, New []string
}

// Item is one thing added, removed or changed: a level, category, body,
// plan, task or unit.
type Item struct {
	Key     string // its id; a task's "<plan>/<task>", a unit's code
	Name    string // its name or title in the new version (the old one when removed)
	Status  Status
	Summary string   // for an added or removed item: a few facts about it
	Changes []Change // for a changed item: every field that differs
}

// Reprint is one unit whose papers changed. A removed unit has no new
// version, an added one no old version.
type Reprint struct {
	Code, Name, Level      string // as in the new version (the old one when removed)
	OldVersion, NewVersion string
	Reasons                []string // why: see the Reason constants
}

// Why a unit's papers changed.
const (
	ReasonAdded     = "added"
	ReasonRemoved   = "removed"
	ReasonChecklist = "checklist"    // its checklist version changed
	ReasonName      = "name"         // its name
	ReasonLevel     = "level"        // its level, or the level's name or signature roles
	ReasonParents   = "parents"      // the units above it, or their names
	ReasonDay       = "election day" // its election day, or how it is labelled
	ReasonForm      = "form"         // the head every form shares
)

// LevelPapers counts, for one level, the units whose papers changed, and
// gives the level's own checklist version in both sites.
type LevelPapers struct {
	ID, Name               string
	Changed, Units         int            // units whose papers changed, of the units of the level in either version
	Reasons                map[string]int // how many changed units have each reason
	OldVersion, NewVersion string         // the level checklist; empty where the level does not exist
}

// Result is everything that differs between two versions of a site.
type Result struct {
	Site       []Change // site.toml: title, language, election day, organisation, form, labels, workbook
	Levels     []Item
	Categories []Item
	Bodies     []Item
	Plans      []Item
	Tasks      []Item
	Units      []Item
	Papers     []LevelPapers // one per level, new order first, then levels only the old version has
	Reprint    []Reprint     // in site order; a removed unit stands where it stood
	AllUnits   int           // units in either version
}

// Empty reports whether the two versions are the same in every way
// Compare looks at.
func (r *Result) Empty() bool {
	return len(r.Site) == 0 && len(r.Levels) == 0 && len(r.Categories) == 0 && len(r.Bodies) == 0 &&
		len(r.Plans) == 0 && len(r.Tasks) == 0 && len(r.Units) == 0 && len(r.Reprint) == 0
}

// Count returns how many items of list have status s.
func Count(list []Item, s Status) int {
	n := 0
	for _, it := range list {
		if it.Status == s {
			n++
		}
	}
	return n
}

// Compare compares two resolved versions of a site.
func Compare(old, new *plan.Model) *Result {
	r := &Result{}
	r.Site = compareSite(old, new)
	r.Levels = compareLevels(old, new)
	r.Categories = compareCategories(old, new)
	r.Bodies = compareBodies(old, new)
	r.Plans = comparePlans(old, new)
	r.Tasks = compareTasks(old, new)
	r.Units = compareUnits(old, new)
	r.Reprint, r.Papers, r.AllUnits = comparePapers(old, new)
	return r
}

// changes collects the fields that differ.
type changes []Change

func (c *changes) value(field, old, new string) {
	if old != new {
		*c = append(*c, Change{Field: field, Kind: Value, Old: opt(old), New: opt(new)})
	}
}

func (c *changes) text(field, old, new string) {
	if old != new {
		*c = append(*c, Change{Field: field, Kind: Text, Old: opt(old), New: opt(new)})
	}
}

func (c *changes) lines(field, old, new string) {
	c.list(field, Lines, splitLines(old), splitLines(new))
}

func (c *changes) list(field string, kind Kind, old, new []string) {
	if !slices.Equal(old, new) {
		*c = append(*c, Change{Field: field, Kind: kind, Old: old, New: new})
	}
}

func opt(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func dateText(d *plan.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func compareSite(old, new *plan.Model) []Change {
	o, n := old.Site, new.Site
	var c changes
	c.text("title", o.Title, n.Title)
	c.value("language", o.Language, n.Language)
	c.value("election_day", o.ElectionDay.String(), n.ElectionDay.String())
	c.text("organisation", o.Organisation, n.Organisation)
	c.list("form.left", List, o.Form.Left, n.Form.Left)
	c.list("form.right", List, o.Form.Right, n.Form.Right)
	c.text("form.place", o.Form.Place, n.Form.Place)
	for _, k := range mergeKeys(sortedKeys(o.Labels), sortedKeys(n.Labels)) {
		c.text("labels."+k, o.Labels[k], n.Labels[k])
	}
	if o.Workbook.Password != n.Workbook.Password {
		// The password itself is not printed.
		c = append(c, Change{Field: "workbook.password", Kind: Value, Old: opt(set(o.Workbook.Password)), New: opt(set(n.Workbook.Password))})
	}
	return c
}

func set(s string) string {
	if s == "" {
		return ""
	}
	return "(set)"
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// compareItems pairs the things of two versions by key, in merged order
// (see mergeKeys), and calls diff for those in both.
func compareItems[T any](old, new []T, key func(T) string, name func(T) string, summary func(T) string, diff func(o, n T) []Change) []Item {
	om, nm := map[string]T{}, map[string]T{}
	var ok, nk []string
	for _, x := range old {
		om[key(x)] = x
		ok = append(ok, key(x))
	}
	for _, x := range new {
		nm[key(x)] = x
		nk = append(nk, key(x))
	}
	var items []Item
	for _, k := range mergeKeys(ok, nk) {
		o, inOld := om[k]
		n, inNew := nm[k]
		switch {
		case !inOld:
			items = append(items, Item{Key: k, Name: name(n), Status: Added, Summary: summary(n)})
		case !inNew:
			items = append(items, Item{Key: k, Name: name(o), Status: Removed, Summary: summary(o)})
		default:
			if c := diff(o, n); len(c) > 0 {
				items = append(items, Item{Key: k, Name: name(n), Status: Changed, Changes: c})
			}
		}
	}
	return items
}

// mergeKeys returns the keys of the new version in their order, each key
// only the old version has standing after the key it followed there.
func mergeKeys(old, new []string) []string {
	inNew := make(map[string]bool, len(new))
	for _, k := range new {
		inNew[k] = true
	}
	after := map[string][]string{} // surviving old key ("" for the start) -> removed keys after it
	prev := ""
	inOld := make(map[string]bool, len(old))
	for _, k := range old {
		inOld[k] = true
		if inNew[k] {
			prev = k
			continue
		}
		after[prev] = append(after[prev], k)
	}
	out := make([]string, 0, len(new)+len(after))
	out = append(out, after[""]...)
	for _, k := range new {
		out = append(out, k)
		if inOld[k] {
			out = append(out, after[k]...)
		}
	}
	return out
}

func noSummary[T any](T) string { return "" }

func compareLevels(old, new *plan.Model) []Item {
	return compareItems(old.Levels, new.Levels,
		func(l *plan.Level) string { return l.ID },
		func(l *plan.Level) string { return l.Name },
		noSummary[*plan.Level],
		func(o, n *plan.Level) []Change {
			var c changes
			c.text("name", o.Name, n.Name)
			c.list("sign", List, o.Sign, n.Sign)
			if o.Index != n.Index {
				c.value("position", itoa(o.Index+1), itoa(n.Index+1))
			}
			return c
		})
}

func compareCategories(old, new *plan.Model) []Item {
	return compareItems(old.Categories, new.Categories,
		func(x *plan.Category) string { return x.ID },
		func(x *plan.Category) string { return x.Name },
		noSummary[*plan.Category],
		func(o, n *plan.Category) []Change {
			var c changes
			c.text("name", o.Name, n.Name)
			return c
		})
}

func compareBodies(old, new *plan.Model) []Item {
	return compareItems(old.Bodies, new.Bodies,
		func(x *plan.Body) string { return x.ID },
		func(x *plan.Body) string { return x.Name },
		noSummary[*plan.Body],
		func(o, n *plan.Body) []Change {
			var c changes
			c.text("name", o.Name, n.Name)
			c.list("levels", IDs, o.Levels, n.Levels)
			return c
		})
}

func comparePlans(old, new *plan.Model) []Item {
	return compareItems(old.Plans, new.Plans,
		func(p *plan.Plan) string { return p.ID },
		func(p *plan.Plan) string { return p.Title },
		func(p *plan.Plan) string {
			s := p.Number
			if s != "" {
				s += ", "
			}
			return s + itoa(len(p.Tasks)) + " task" + plural(len(p.Tasks))
		},
		func(o, n *plan.Plan) []Change {
			var c changes
			c.value("number", o.Number, n.Number)
			c.value("date", dateText(o.Date), dateText(n.Date))
			c.text("issuer", o.Issuer, n.Issuer)
			c.text("title", o.Title, n.Title)
			c.value("source", o.Source, n.Source)
			c.list("scope", IDs, o.Scope, n.Scope)
			c.lines("summary", o.Summary, n.Summary)
			return c
		})
}

func compareTasks(old, new *plan.Model) []Item {
	return compareItems(old.Tasks, new.Tasks,
		(*plan.Task).Key,
		func(t *plan.Task) string { return t.Title },
		func(t *plan.Task) string {
			s := "levels " + strings.Join(t.Levels, ", ")
			if t.Due != nil {
				s += "; due " + t.Due.Text
			}
			return s
		},
		func(o, n *plan.Task) []Change {
			var c changes
			c.text("title", o.Title, n.Title)
			c.spec("due", o.Due, n.Due)
			c.spec("start", o.Start, n.Start)
			c.spec("limit", o.Limit, n.Limit)
			c.list("levels", IDs, o.Levels, n.Levels)
			c.value("responsible", o.Responsible, n.Responsible)
			c.list("support", IDs, o.Support, n.Support)
			c.value("category", o.Category, n.Category)
			c.list("when", IDs, o.When, n.When)
			c.list("unless", IDs, o.Unless, n.Unless)
			c.list("items", List, o.Items, n.Items)
			c.list("evidence", List, o.Evidence, n.Evidence)
			c.list("basis", List, o.Basis, n.Basis)
			c.lines("details", o.Details, n.Details)
			return c
		})
}

// spec records a deadline that changed, as written; "E-5" and "E-05" are
// the same deadline.
func (c *changes) spec(field string, o, n *plan.DateSpec) {
	if sameSpec(o, n) {
		return
	}
	text := func(s *plan.DateSpec) string {
		if s == nil {
			return ""
		}
		return s.Text
	}
	*c = append(*c, Change{Field: field, Kind: Value, Old: opt(text(o)), New: opt(text(n))})
}

func sameSpec(a, b *plan.DateSpec) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Relative == b.Relative && a.Offset == b.Offset && a.Date == b.Date &&
		a.HasTime == b.HasTime && a.Hour == b.Hour && a.Minute == b.Minute
}

func compareUnits(old, new *plan.Model) []Item {
	return compareItems(old.Units, new.Units,
		func(u *plan.Unit) string { return u.Code },
		func(u *plan.Unit) string { return u.Name },
		func(u *plan.Unit) string {
			s := u.Level
			if u.Parent != "" {
				s += " in " + u.Parent
			}
			return s
		},
		func(o, n *plan.Unit) []Change {
			var c changes
			c.text("name", o.Name, n.Name)
			c.value("parent", o.Parent, n.Parent)
			c.value("level", o.Level, n.Level)
			c.list("tags", IDs, o.Tags, n.Tags)
			if od, nd := dateText(o.ElectionDay), dateText(n.ElectionDay); od != nd {
				c.value("election_day", ownDay(o), ownDay(n))
			}
			return c
		})
}

// ownDay shows a unit's election day as written, or where it comes from.
func ownDay(u *plan.Unit) string {
	if u.ElectionDay != nil {
		return u.ElectionDay.String()
	}
	return "inherited (" + u.Day.String() + ")"
}

// comparePapers lists the units whose papers changed and counts them per
// level.
func comparePapers(old, new *plan.Model) ([]Reprint, []LevelPapers, int) {
	formChanged := old.Site.Title != new.Site.Title || old.Site.Organisation != new.Site.Organisation ||
		!slices.Equal(old.Site.Form.Left, new.Site.Form.Left) || !slices.Equal(old.Site.Form.Right, new.Site.Form.Right) ||
		old.Site.Form.Place != new.Site.Form.Place || !sameLabels(old.Labels, new.Labels)

	var oldCodes, newCodes []string
	for _, u := range old.Units {
		oldCodes = append(oldCodes, u.Code)
	}
	for _, u := range new.Units {
		newCodes = append(newCodes, u.Code)
	}
	codes := mergeKeys(oldCodes, newCodes)

	var list []Reprint
	byLevel := map[string]*LevelPapers{}
	level := func(id string) *LevelPapers {
		if lp := byLevel[id]; lp != nil {
			return lp
		}
		lp := &LevelPapers{ID: id, Reasons: map[string]int{}}
		byLevel[id] = lp
		return lp
	}
	for _, code := range codes {
		o, n := old.Unit(code), new.Unit(code)
		var rp Reprint
		switch {
		case o == nil:
			rp = Reprint{Code: code, Name: n.Name, Level: n.Level, NewVersion: version(n), Reasons: []string{ReasonAdded}}
		case n == nil:
			rp = Reprint{Code: code, Name: o.Name, Level: o.Level, OldVersion: version(o), Reasons: []string{ReasonRemoved}}
		default:
			rp = Reprint{Code: code, Name: n.Name, Level: n.Level, OldVersion: version(o), NewVersion: version(n)}
			rp.Reasons = unitReasons(old, new, o, n, formChanged)
		}
		lp := level(rp.Level)
		lp.Units++
		if len(rp.Reasons) == 0 {
			continue
		}
		lp.Changed++
		for _, why := range rp.Reasons {
			lp.Reasons[why]++
		}
		list = append(list, rp)
	}

	var oldLevels, newLevels []string
	for _, l := range old.Levels {
		oldLevels = append(oldLevels, l.ID)
	}
	for _, l := range new.Levels {
		newLevels = append(newLevels, l.ID)
	}
	var papers []LevelPapers
	for _, id := range mergeKeys(oldLevels, newLevels) {
		lp := level(id)
		if l := old.Level(id); l != nil {
			lp.Name, lp.OldVersion = l.Name, l.Checklist.Version
		}
		if l := new.Level(id); l != nil {
			lp.Name, lp.NewVersion = l.Name, l.Checklist.Version
		}
		papers = append(papers, *lp)
	}
	return list, papers, len(codes)
}

func version(u *plan.Unit) string {
	if u.Checklist == nil {
		return ""
	}
	return u.Checklist.Version
}

// unitReasons says why the papers of a unit present in both versions
// changed, or nothing when they did not.
func unitReasons(old, new *plan.Model, o, n *plan.Unit, formChanged bool) []string {
	var why []string
	if version(o) != version(n) {
		why = append(why, ReasonChecklist)
	}
	if o.Name != n.Name {
		why = append(why, ReasonName)
	}
	if o.Level != n.Level || levelPrint(old, o.Level) != levelPrint(new, n.Level) {
		why = append(why, ReasonLevel)
	}
	if parents(o) != parents(n) {
		why = append(why, ReasonParents)
	}
	if o.Day != n.Day || (o.Day == old.Site.ElectionDay) != (n.Day == new.Site.ElectionDay) {
		why = append(why, ReasonDay)
	}
	if formChanged {
		why = append(why, ReasonForm)
	}
	return why
}

// levelPrint is what a unit's papers print of its level: its name and
// signature roles.
func levelPrint(m *plan.Model, id string) string {
	l := m.Level(id)
	if l == nil {
		return ""
	}
	return l.Name + "\x00" + strings.Join(l.Sign, "\x00")
}

// parents is what a unit's papers print of the units above it.
func parents(u *plan.Unit) string {
	var b strings.Builder
	for p := u.ParentUnit; p != nil; p = p.ParentUnit {
		b.WriteString(p.Code)
		b.WriteByte(0)
		b.WriteString(p.Name)
		b.WriteByte(0)
	}
	return b.String()
}

func sameLabels(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func itoa(n int) string { return strconv.Itoa(n) }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
