package site

import (
	"html/template"
)

// The values below are what the page layouts get. Every string in them is
// plain text that html/template escapes; only the fields of type
// template.HTML hold markup, and that markup comes from goldmark's safe
// renderer or from our own layouts.

// Link is a link as pages show it.
type Link struct {
	Href string // relative to the page
	Text string
	Note string // a short aside: a unit's code, a count
}

// Page is what every page layout gets; Data holds the part particular to
// its kind of page (IndexData, PlanData, LevelData, UnitData, BodyData,
// TimelineData).
type Page struct {
	Kind         string // "index", "plan", "level", "unit", "body", "timeline"
	Lang         string // "vi", "en"
	SiteTitle    string
	Organisation string
	ElectionDay  string   // the site's election day, formatted
	Title        string   // the page's one h1
	Root         string   // the relative path from the page to the site root: "", "../../"
	Crumbs       []Link   // the way up, home first, without the page itself
	Downloads    []Link   // the page's PDF, XLSX and calendar
	Form         Head     // the head a printed page shows: a unit's or level's own (empty on other pages)
	Scripts      []string // script paths, relative to the page
	Data         any
}

// Head is the head of a printed form (plan.Head), as the print head of a
// level's or unit's page shows it.
type Head struct {
	Left, Right []string
	Rule        string // "line" or "star" under the left block
	Number      string // "Số: ..." under the left block; "" for none
	DateLine    string // "Hà Nội, ngày 04 tháng 3 năm 2021", or a blank one to fill in
	Subject     string // the subject line under the title
}

// Signer is one signature of a form: up to three lines above the space to
// sign.
type Signer struct {
	For, Title, Note string
}

// IndexData is the overview page.
type IndexData struct {
	SearchIndex string // the unit index script, loaded when a search starts
	Roots       []Link // the top units
	Today       string // the build date, from which Next counts
	Next        []TimelineRow
	Plans       []PlanBrief
	Levels      []LevelBrief
	Bodies      []Link
	Counts      []Count
}

// PlanBrief is a plan in a list.
type PlanBrief struct {
	Href, Number, Date, Title, Issuer string
	Tasks                             int
}

// LevelBrief is a level in a list.
type LevelBrief struct {
	Href, Name   string
	Units, Tasks int
}

// Count is one line of the counts table.
type Count struct {
	Label string
	N     int
}

// PlanData is a plan page.
type PlanData struct {
	Number, Date, Issuer string
	Source               *Link // Href empty when the source is not a web address
	File                 Link  // the plan's TOML, as written
	Scope                []Link
	Summary              template.HTML
	Tasks                []PlanTask
}

// PlanTask is a task as its plan page shows it, with deadlines resolved at
// the site's election day.
type PlanTask struct {
	ID, Title                            string
	Levels                               []Link
	Responsible                          Link
	Support                              []Link
	Category                             string
	Due, Start, Limit                    *Moment
	Late                                 bool
	DueText                              string // the due as written: "E-70 17:00"
	When, Unless, Items, Evidence, Basis []string
	Details                              template.HTML
}

// LevelData is a level page.
type LevelData struct {
	Checklist *Checklist
	Sign      []Signer
	Units     []Link
	UnitCount int
	More      int // units of the level not listed
}

// UnitData is a unit page.
type UnitData struct {
	Code      string
	Level     Link
	Parent    *Link
	OwnDay    string        // the unit's election day when it differs from the site's
	Checklist template.HTML // the "checklist" template, rendered once per distinct checklist
	Sign      []Signer
	Children  []Link
}

// BodyData is a body page: what it owns and supports, by level.
type BodyData struct {
	Levels []BodyLevel
}

// BodyLevel is a body's tasks at one level.
type BodyLevel struct {
	ID                   string
	Level                Link
	Name                 string // the body's name at this level
	Responsible, Support []BodyRow
}

// BodyRow is a task in a body's list.
type BodyRow struct {
	Due         *Moment
	Title, Href string
	Plan        string
	Responsible Link
}

// TimelineData is the timeline page.
type TimelineData struct {
	Rows []TimelineRow
}

// TimelineRow is a dated task.
type TimelineRow struct {
	Due, Start  *Moment
	Title, Href string
	Plan        string
	Levels      []Link
	Responsible Link
}

// Checklist is a checklist as a table: its rows in the checklist's order,
// numbered as the PDF and the workbook number them, each naming its
// category.
type Checklist struct {
	Version string
	Count   int
	Rows    []Row
}

// Row is one task of a checklist.
type Row struct {
	N                 int
	ID                string // the row's anchor: "<plan>.<task>"
	Title, Href, Plan string
	Also              *Link    // the statutory task the row carries out, its plan's number as text
	Category          string   // the category's name, or the label uncategorised
	Applies           []string // on a level's page: the units the task is limited to ("Chỉ áp dụng cho: …")
	Items             []string
	Responsible       Link
	Support           []Link
	Due, Start, Limit *Moment
	Late              bool
	Evidence, Basis   []string
	Details           template.HTML
}
