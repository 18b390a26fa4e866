package plan

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

// Form is the head of printed forms, from site.toml [form].
type Form struct {
	Left  []string // issuing body, top left
	Right []string // national title and motto (or a party's title), top right
	Place string   // for the "<place>, ngày 04 tháng 3 năm 2021" line
}

// Workbook holds options of the sign-off workbooks, from site.toml [workbook].
type Workbook struct {
	// Password, when set, is needed to unprotect the sheets. Sheet
	// protection keeps honest users from editing the task columns by
	// mistake; it is not security.
	Password string
}

// Level is one level of the organisation, top first.
type Level struct {
	ID    string
	Name  string
	Sign  []string // signature roles on this level's forms
	Index int      // 0 for the top level
	Pos   Pos

	places places

	Checklist *Checklist // set by Resolve: the level's checklist at the site's election day
	Units     []*Unit    // set by Resolve: the units of this level, in site order
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
	Levels []string // where such a body exists; every level when empty
	Pos    Pos

	places places
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
	ElectionDay *Date // as written; nil to inherit
	Pos         Pos

	LevelRef   *Level     // set by Resolve
	ParentUnit *Unit      // set by Resolve; nil for a top unit
	Children   []*Unit    // set by Resolve, in site order
	Day        Date       // set by Resolve: its own election day, else the nearest ancestor's, else the site's
	Checklist  *Checklist // set by Resolve; units with identical checklists share one

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
	Pos         Pos

	ResponsibleBody *Body     // set by Resolve
	SupportBodies   []*Body   // set by Resolve
	CategoryRef     *Category // set by Resolve; nil without a category

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
	Day     Date // the election day the dates were resolved against
	Entries []*Entry
}

// Entry is one task of a checklist, with its deadlines resolved.
type Entry struct {
	Task  *Task
	Due   *Moment // nil for a standing duty
	Start *Moment
	Limit *Moment
}

// Late reports whether the due is later than the statutory limit.
func (e *Entry) Late() bool { return e.Due != nil && e.Limit != nil && e.Due.After(e.Limit) }
