package plan

import "sort"

// The types below are filled by Load (the fields as written in content/)
// and completed by Resolve (the fields marked "set by Resolve"). Renderers
// read them and never change them.

// Site is content/site.toml.
type Site struct {
	Title        string
	Language     string // "vi" or "en"
	ElectionDay  Date
	Organisation string
	Levels       []*Level
	Categories   []*Category
	Form         Form
	Workbook     Workbook
	Labels       map[string]string // overrides of built-in labels, as written
	Pos          Pos

	places places         // keys of the root table, and of [form], [labels], [workbook] as "form.left"
	tables map[string]Pos // "form", "labels", "workbook" -> its header
}

// Form is a head of printed forms as written: the site's [form], a
// level's [level.form] or a unit's [unit.form]. Strings may hold
// placeholders ({name:commune}); Resolve fills them per unit into a Head.
// A key that is not written is taken from the next form out (see Head).
type Form struct {
	Left    []string // issuing body, top left
	Right   []string // national title and motto (or a party's title), top right
	Place   string   // for the "<place>, ngày 04 tháng 3 năm 2021" line
	Issued  *Date    // the issue date of the date line; nil: a blank date line
	Number  string   // the "Số: ..." line under the left block
	Subject string   // the subject line under the title
	Rule    string   // "line" or "star" under the left block; "" as not written
	Pos     Pos      // the table's header, or the key that holds it

	set    map[string]bool // the keys written
	places places          // where each key's value (and array element) starts
}

// Has reports whether the form writes key ("left", "place", "issued", ...).
// A form made in code rather than loaded writes the keys it has a value for.
func (f *Form) Has(key string) bool {
	switch {
	case f == nil:
		return false
	case f.set != nil:
		return f.set[key]
	}
	switch key {
	case "left":
		return f.Left != nil
	case "right":
		return f.Right != nil
	case "place":
		return f.Place != ""
	case "issued":
		return f.Issued != nil
	case "number":
		return f.Number != ""
	case "subject":
		return f.Subject != ""
	case "rule":
		return f.Rule != ""
	}
	return false
}

// Head is the resolved head of a printed form (Decree 30/2020): what a
// unit's or a level's PDF, workbook title rows and HTML print head show.
// Resolve fills it key by key (see the package doc, "Official papers").
type Head struct {
	Left    []string // issuing body, top left (placeholders already filled)
	Right   []string // national title and motto, or "ĐẢNG CỘNG SẢN VIỆT NAM"
	Rule    string   // "line" (default, Decree 30) or "star" (party documents) under the left block
	Place   string   // the place of the date line ("Hà Nội"); "" leaves it blank
	Issued  *Date    // the issue date; nil: a blank "ngày ... tháng ... năm YYYY" line (YYYY: the election year)
	Number  string   // the "Số: ..." line under the left block; "" for none
	Subject string   // the subject line under the title; the site title when not set
}

// Signer is one signature of a form, printed as up to three lines above
// the space for the signature: "TM. TỔ BẦU CỬ" / "TỔ TRƯỞNG" /
// "(Ký, ghi rõ họ tên, đóng dấu)".
type Signer struct{ For, Title, Note string }

// Workbook holds options of the sign-off workbooks, from site.toml [workbook].
type Workbook struct {
	// Password, when set, is needed to unprotect the sheets. Sheet
	// protection keeps honest users from editing the task columns by
	// mistake; it is not security.
	Password string
}

// Level is one level of the organisation, top first.
type Level struct {
	ID      string
	Name    string
	Sign    []string // signature roles on this level's forms: each entry's title (see Signers)
	Signers []Signer // the signatures as written: a string entry is Signer{Title: s}
	Form    *Form    // [level.form] as written; nil when absent
	Index   int      // 0 for the top level
	// ReturnBy is when the level's units hand their filled sheets back
	// (return_by = "E+3"), resolved per unit by Unit.ReturnBy; nil when
	// not set.
	ReturnBy *DateSpec
	Pos      Pos

	places places

	Checklist *Checklist // set by Resolve: the level's checklist at the site's election day
	Units     []*Unit    // set by Resolve: the units of this level, in site order
	Head      *Head      // set by Resolve: the head of the level's own papers ([level.form], else [form]; placeholders as blanks)
}

// Category groups tasks.
type Category struct {
	ID   string
	Name string
	Pos  Pos

	places places
}

// Body is an agency, committee or team that can own a task.
type Body struct {
	ID     string
	Name   string
	Levels []string          // where such a body exists; every level when empty
	Names  map[string]string // [body.names]: level id -> the body's name at that level
	Pos    Pos

	places places
	names  map[string]Pos // where each [body.names] key was written
}

// NameAt returns the body's name at level id: its [body.names] entry, else
// its name.
func (b *Body) NameAt(level string) string {
	if n, ok := b.Names[level]; ok {
		return n
	}
	return b.Name
}

// ExistsAt reports whether such a body exists at level id.
func (b *Body) ExistsAt(level string) bool {
	if len(b.Levels) == 0 {
		return true
	}
	for _, l := range b.Levels {
		if l == level {
			return true
		}
	}
	return false
}

// Unit is one unit of the organisation: a province, a district, a polling area.
type Unit struct {
	Code        string
	Parent      string
	Level       string
	Name        string
	Tags        []string
	ElectionDay *Date  // as written; nil to inherit
	Place       string // as written; PlaceOf inherits it
	Form        *Form  // [unit.form] as written; nil when absent
	Pos         Pos

	LevelRef   *Level     // set by Resolve
	ParentUnit *Unit      // set by Resolve; nil for a top unit
	Children   []*Unit    // set by Resolve, in site order
	Day        Date       // set by Resolve: its own election day, else the nearest ancestor's, else the site's
	Checklist  *Checklist // set by Resolve; units with identical checklists share one
	Head       *Head      // set by Resolve: the head of the unit's papers; units with identical heads share one

	places places       // where each key was written (units.toml)
	fields *[6][2]int32 // line and column of each field (units.csv): a map per row would cost 500 bytes
	depth  int          // set by Resolve: 0 for a top unit
}

// Ancestors returns the unit's ancestors, top first.
func (u *Unit) Ancestors() []*Unit {
	var up []*Unit
	for p := u.ParentUnit; p != nil; p = p.ParentUnit {
		up = append(up, p)
	}
	for i, j := 0, len(up)-1; i < j; i, j = i+1, j-1 {
		up[i], up[j] = up[j], up[i]
	}
	return up
}

// PlaceOf returns the unit's place: its own, else the nearest ancestor's,
// else "".
func (u *Unit) PlaceOf() string {
	for x := u; x != nil; x = x.ParentUnit {
		if x.Place != "" {
			return x.Place
		}
	}
	return ""
}

// HasTag reports whether the unit carries tag.
func (u *Unit) HasTag(tag string) bool {
	for _, t := range u.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// Plan is one plan document, content/plans/<id>.toml.
type Plan struct {
	ID      string // the file name without .toml
	File    string // the file's path relative to the site root
	Number  string
	Date    *Date
	Issuer  string
	Title   string
	Source  string
	Scope   []string
	Summary string // Markdown
	Tasks   []*Task
	Pos     Pos

	places places
}

// Task is one duty of a plan.
type Task struct {
	Plan        *Plan
	ID          string // unique within its plan
	Index       int    // position in the plan file, from 0
	Title       string
	Levels      []string
	Responsible string
	Support     []string
	Category    string
	Due         *DateSpec // nil for a standing duty
	Start       *DateSpec
	Limit       *DateSpec
	When        []string
	Unless      []string
	Items       []string
	Evidence    []string
	Basis       []string
	Details     string // Markdown
	Implements  string // as written: "<plan id>/<task id>" of the statutory task it carries out
	From        string // "unit" (default, also when written as "") or "site": relative deadlines count from the site's election day
	Pos         Pos

	ResponsibleBody *Body     // set by Resolve
	SupportBodies   []*Body   // set by Resolve
	CategoryRef     *Category // set by Resolve; nil without a category
	ImplementsTask  *Task     // set by Resolve: the task named by Implements

	places places
}

// Key is the task's id across the site: "<plan id>/<task id>".
func (t *Task) Key() string { return t.Plan.ID + "/" + t.ID }

// HasLevel reports whether the task applies at level id.
func (t *Task) HasLevel(id string) bool {
	for _, l := range t.Levels {
		if l == id {
			return true
		}
	}
	return false
}

// Checklist is a resolved list of tasks: a level's, or a unit's.
type Checklist struct {
	// Version is a short hash of exactly what the checklist says: per entry,
	// in order, the task key, plan number, title, category, responsible and
	// supporting body names, resolved due, start and limit, items, evidence,
	// basis and details. Same content, same version; a change of any of
	// these changes it. Unit names, labels and the form head are not covered.
	Version string
	Day     Date   // the election day the dates were resolved against
	Level   *Level // the level whose body names it uses (Body.NameAt); nil for the timeline
	Entries []*Entry
}

// Plans returns the plans the checklist's entries come from, the plans of
// their Also tasks included, by plan date (undated last), then id: the
// "Căn cứ" list of a printed checklist.
func (c *Checklist) Plans() []*Plan {
	seen := map[*Plan]bool{}
	var ps []*Plan
	add := func(t *Task) {
		if t != nil && !seen[t.Plan] {
			seen[t.Plan] = true
			ps = append(ps, t.Plan)
		}
	}
	for _, e := range c.Entries {
		add(e.Task)
		add(e.Also)
	}
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		switch {
		case a.Date == nil && b.Date != nil:
			return false
		case a.Date != nil && b.Date == nil:
			return true
		case a.Date != nil && b.Date != nil && *a.Date != *b.Date:
			return a.Date.Before(*b.Date)
		}
		return a.ID < b.ID
	})
	return ps
}

// Entry is one task of a checklist, with its deadlines resolved.
type Entry struct {
	Task  *Task
	Due   *Moment // nil for a standing duty
	Start *Moment
	Limit *Moment // the task's limit, or the Also task's due when that is earlier (or the task has none)
	// Also is the statutory task this entry carries out (Task.Implements)
	// when both reach the checklist: that task is then not listed on its own.
	Also *Task

	limitFromAlso bool // Limit is Also's due
}

// Values of Task.From.
const (
	FromUnit = "unit" // relative deadlines count from the unit's election day (the default)
	FromSite = "site" // from the site's election day
)

// Late reports whether the due is later than the statutory limit.
func (e *Entry) Late() bool { return e.Due != nil && e.Limit != nil && e.Due.After(e.Limit) }
