// Package export writes the resolved model as JSON under data/, a stable,
// machine-readable form of the site for outside tools:
//
//	data/site.json                 the site: levels with their checklists,
//	                               categories, bodies, plans with their tasks
//	                               as written, and the list of units with
//	                               their checklist versions
//	data/checklists/<version>.json one checklist: its entries with every
//	                               deadline resolved, once for all the units
//	                               that have it
//	data/units/<code>.json         one unit: its place in the tree, its
//	                               election day and its checklist version
//
// Every file carries "format": "checkgen-data/2". Within a format, fields
// are only ever added, never renamed or removed. Dates are ISO 8601
// ("2021-05-23"); times "17:00"; "relative" gives the day's distance from
// the election day ("E-70"). Absent optional values are omitted.
//
// # A unit's checklist
//
// A unit file names its checklist by "version" (the checklist version
// printed on its PDF and kept in its workbook); the checklist is
// data/checklists/<version>.json, written once however many units share
// it. The version covers every entry and every resolved date, so all the
// units with one version have the same entries on the same dates; only
// the election day their relative days count from ("relative": "E-3")
// can differ, when the dated tasks are fixed dates. The checklist file is
// resolved from the election day of the first unit in site order (the
// order of units.toml and units.csv) with its version, and says which in
// its "election_day". A unit whose "election_day" differs from its
// checklist file's carries "deadlines": one object per entry, in the
// entries' order, with the entry's "task" key and its "due", "start",
// "limit" and "late" resolved from the unit's own election day, which
// replace the entry's. So a unit's resolved checklist is:
//
//	c := read("data/checklists/" + unit.version + ".json")
//	c.election_day = unit.election_day
//	if unit.deadlines present:
//	    for i, d := range unit.deadlines:
//	        c.entries[i].due, .start, .limit, .late = d.due, d.start, d.limit, d.late
//
// which is, field for field, the "checklist" object of the unit's format 1
// file. A unit no task binds has a checklist too, with no entries.
//
// # From format 1
//
// Format 1 (checkgen-data/1) wrote each unit's whole checklist into its
// file, under "checklist": {"version", "election_day", "entries"}, about
// 19 KB per polling area of a 40-task checklist, the same bytes for every
// unit with the version. Format 2 replaces "checklist" with "version"
// and "deadlines" as above. A reader of format 1 changes in one place:
// where it read unit.checklist, it reads the checklist file of
// unit.version and applies the rule above. data/site.json is unchanged
// but for its "format".
package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"sort"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// Format names the version of the JSON layout.
const Format = "checkgen-data/2"

// Site is data/site.json.
type Site struct {
	Format       string      `json:"format"`
	Title        string      `json:"title"`
	Language     string      `json:"language"`
	ElectionDay  string      `json:"election_day"`
	Organisation string      `json:"organisation,omitempty"`
	Levels       []Level     `json:"levels"`
	Categories   []Named     `json:"categories"`
	Bodies       []Body      `json:"bodies"`
	Plans        []Plan      `json:"plans"`
	Units        []UnitBrief `json:"units"`
}

// Named is anything with an id and a name.
type Named struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Level is a level with its checklist at the site's election day.
type Level struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Sign      []string  `json:"sign,omitempty"`
	Checklist Checklist `json:"checklist"`
}

// Body is a responsible body and the levels where it exists.
type Body struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Levels []string `json:"levels,omitempty"`
}

// Plan is a plan document with its tasks as written.
type Plan struct {
	ID      string   `json:"id"`
	Number  string   `json:"number"`
	Date    string   `json:"date,omitempty"`
	Issuer  string   `json:"issuer,omitempty"`
	Title   string   `json:"title"`
	Source  string   `json:"source,omitempty"`
	Scope   []string `json:"scope,omitempty"`
	Summary string   `json:"summary,omitempty"`
	Tasks   []Task   `json:"tasks"`
}

// Task is a task as written in its plan.
type Task struct {
	ID          string   `json:"id"`
	Key         string   `json:"key"`
	Title       string   `json:"title"`
	Levels      []string `json:"levels"`
	Responsible string   `json:"responsible"`
	Support     []string `json:"support,omitempty"`
	Category    string   `json:"category,omitempty"`
	Due         string   `json:"due,omitempty"`
	Start       string   `json:"start,omitempty"`
	Limit       string   `json:"limit,omitempty"`
	When        []string `json:"when,omitempty"`
	Unless      []string `json:"unless,omitempty"`
	Items       []string `json:"items,omitempty"`
	Evidence    []string `json:"evidence,omitempty"`
	Basis       []string `json:"basis,omitempty"`
	Details     string   `json:"details,omitempty"`
}

// UnitBrief is a unit in the site's list.
type UnitBrief struct {
	Code        string `json:"code"`
	Parent      string `json:"parent,omitempty"`
	Level       string `json:"level"`
	Name        string `json:"name"`
	ElectionDay string `json:"election_day"`
	Version     string `json:"version"`
}

// Unit is data/units/<code>.json: the unit and its place in the tree.
// Its checklist is data/checklists/<Version>.json; Deadlines, when
// present, replace that file's deadlines (see the package doc).
type Unit struct {
	Format      string      `json:"format"`
	Code        string      `json:"code"`
	Name        string      `json:"name"`
	Level       string      `json:"level"`
	Parent      string      `json:"parent,omitempty"`
	Ancestors   []UnitBrief `json:"ancestors"`
	Children    []UnitBrief `json:"children"`
	Tags        []string    `json:"tags,omitempty"`
	ElectionDay string      `json:"election_day"`
	Version     string      `json:"version,omitempty"`
	Deadlines   []Deadline  `json:"deadlines,omitempty"`
}

// ChecklistFile is data/checklists/<version>.json: a checklist's
// entries, with the deadlines resolved from its election day.
type ChecklistFile struct {
	Format string `json:"format"`
	Checklist
}

// Checklist is a resolved checklist.
type Checklist struct {
	Version     string  `json:"version"`
	ElectionDay string  `json:"election_day"`
	Entries     []Entry `json:"entries"`
}

// Entry is one task of a checklist with its deadlines resolved.
type Entry struct {
	Task        string   `json:"task"` // the task key, "<plan>/<task>"
	Plan        string   `json:"plan"` // the plan's number
	PlanID      string   `json:"plan_id"`
	PlanTitle   string   `json:"plan_title"`
	Title       string   `json:"title"`
	Category    *Named   `json:"category,omitempty"`
	Responsible Named    `json:"responsible"`
	Support     []Named  `json:"support,omitempty"`
	Due         *Moment  `json:"due,omitempty"`
	Start       *Moment  `json:"start,omitempty"`
	Limit       *Moment  `json:"limit,omitempty"`
	Late        bool     `json:"late,omitempty"` // due later than limit
	Items       []string `json:"items,omitempty"`
	Evidence    []string `json:"evidence,omitempty"`
	Basis       []string `json:"basis,omitempty"`
	Details     string   `json:"details,omitempty"`
}

// Deadline is an entry's deadlines resolved from a unit's own election
// day, in a unit file whose election day differs from its checklist
// file's.
type Deadline struct {
	Task  string  `json:"task"`
	Due   *Moment `json:"due,omitempty"`
	Start *Moment `json:"start,omitempty"`
	Limit *Moment `json:"limit,omitempty"`
	Late  bool    `json:"late,omitempty"`
}

// Moment is a resolved deadline.
type Moment struct {
	Date     string `json:"date"`
	Time     string `json:"time,omitempty"`
	Relative string `json:"relative"`
}

// Data is the data/ of a build: site.json, one file per checklist
// version and one per unit. Prepare computes it; Write writes it.
type Data struct {
	m          *plan.Model
	global     string
	jobs       []dataJob
	checklists []checklistJob
}

type dataJob struct {
	u   *plan.Unit
	day string // the election day of the unit's checklist file
}

// checklistJob is one data/checklists/<version>.json, encoded.
type checklistJob struct {
	rel  string
	key  string
	json []byte
}

// Prepare lists the data files of units (every unit when units is nil)
// and encodes the checklist file of each version the units have. global
// is mixed into every file's key: a data file is written again only when
// its key changes.
func Prepare(m *plan.Model, units []*plan.Unit, global string) (*Data, error) {
	if units == nil {
		units = m.Units
	}
	d := &Data{m: m, global: global, jobs: make([]dataJob, len(units))}
	files := canonical(m)
	written := map[string]bool{}
	for i, u := range units {
		var day string
		if c := u.Checklist; c != nil {
			f := files[c.Version]
			if f == nil { // a unit outside m.Units
				f = c
				files[c.Version] = c
			}
			day = f.Day.String()
			if !written[c.Version] {
				written[c.Version] = true
				job, err := encodeChecklistFile(f, global)
				if err != nil {
					return nil, err
				}
				d.checklists = append(d.checklists, job)
			}
		}
		d.jobs[i] = dataJob{u, day}
	}
	sort.Slice(d.checklists, func(i, j int) bool { return d.checklists[i].rel < d.checklists[j].rel })
	return d, nil
}

// canonical returns, per checklist version, the checklist its file is
// written from: that of the first unit in site order with the version.
// Every unit with a version has the same entries and dates (the version
// covers them); only the election day the relative days count from may
// differ, and a unit whose day differs from its file's carries its own
// deadlines. Choosing from every unit, not the ones built, keeps the
// file the same in a build of some units.
func canonical(m *plan.Model) map[string]*plan.Checklist {
	files := map[string]*plan.Checklist{}
	for _, u := range m.Units {
		if c := u.Checklist; c != nil {
			if _, ok := files[c.Version]; !ok {
				files[c.Version] = c
			}
		}
	}
	return files
}

// Write writes data/site.json, the prepared checklist files and the
// prepared units' data files, on workers goroutines (see output.Workers).
// A unit's data file is keyed by its own bytes: written by hand (see
// write.go), it costs less to make than any key of its inputs.
func (d *Data) Write(out output.Sink, workers int) error {
	err := out.Render("data/site.json", func(w io.Writer) error {
		b, err := appendSite(nil, d.m)
		if err == nil {
			_, err = w.Write(b)
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, c := range d.checklists {
		b := c.json
		_, err := out.Cached(c.rel, c.key, func(w io.Writer) error { _, err := w.Write(b); return err })
		if err != nil {
			return err
		}
	}
	return output.Parallel(len(d.jobs), workers, func(i int) error {
		j := d.jobs[i]
		b := appendUnitFile(make([]byte, 0, 2048), j.u, j.day)
		// The closure makes the file again rather than keep b: a list of
		// outputs (serve's) holds it until the file is asked for.
		_, err := out.Cached("data/units/"+j.u.Code+".json", d.fileKey(b), func(w io.Writer) error {
			_, err := w.Write(appendUnitFile(make([]byte, 0, len(b)), j.u, j.day))
			return err
		})
		return err
	}, nil)
}

// fileKey is the key of a unit's data file with the bytes b.
func (d *Data) fileKey(b []byte) string { return d.global + ":" + hash(b) }

// encodeChecklistFile encodes data/checklists/<version>.json of c.
func encodeChecklistFile(c *plan.Checklist, global string) (checklistJob, error) {
	var buf bytes.Buffer
	if err := encode(&buf, ChecklistFile{Format: Format, Checklist: checklist(c)}); err != nil {
		return checklistJob{}, err
	}
	b := buf.Bytes()
	return checklistJob{rel: "data/checklists/" + c.Version + ".json", key: global + ":" + hash(b), json: b}, nil
}

func hash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:16])
}

func encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// siteWithoutUnits is data/site.json with no units listed.
func siteWithoutUnits(m *plan.Model) Site {
	s := Site{
		Format:       Format,
		Title:        m.Site.Title,
		Language:     m.Site.Language,
		ElectionDay:  m.Site.ElectionDay.String(),
		Organisation: m.Site.Organisation,
		Levels:       []Level{},
		Categories:   []Named{},
		Bodies:       []Body{},
		Plans:        []Plan{},
		Units:        []UnitBrief{},
	}
	for _, l := range m.Levels {
		s.Levels = append(s.Levels, Level{ID: l.ID, Name: l.Name, Sign: l.Sign, Checklist: checklist(l.Checklist)})
	}
	for _, c := range m.Categories {
		s.Categories = append(s.Categories, Named{c.ID, c.Name})
	}
	for _, b := range m.Bodies {
		s.Bodies = append(s.Bodies, Body{b.ID, b.Name, b.Levels})
	}
	for _, p := range m.Plans {
		jp := Plan{ID: p.ID, Number: p.Number, Issuer: p.Issuer, Title: p.Title, Source: p.Source, Scope: p.Scope, Summary: p.Summary, Tasks: []Task{}}
		if p.Date != nil {
			jp.Date = p.Date.String()
		}
		for _, t := range p.Tasks {
			jp.Tasks = append(jp.Tasks, Task{
				ID: t.ID, Key: t.Key(), Title: t.Title, Levels: t.Levels, Responsible: t.Responsible,
				Support: t.Support, Category: t.Category, Due: specText(t.Due), Start: specText(t.Start),
				Limit: specText(t.Limit), When: t.When, Unless: t.Unless, Items: t.Items,
				Evidence: t.Evidence, Basis: t.Basis, Details: t.Details,
			})
		}
		s.Plans = append(s.Plans, jp)
	}
	return s
}

func site(m *plan.Model) Site {
	s := siteWithoutUnits(m)
	for _, u := range m.Units {
		s.Units = append(s.Units, brief(u))
	}
	return s
}

func specText(s *plan.DateSpec) string {
	if s == nil {
		return ""
	}
	return s.Text
}

func brief(u *plan.Unit) UnitBrief {
	b := UnitBrief{Code: u.Code, Parent: u.Parent, Level: u.Level, Name: u.Name, ElectionDay: u.Day.String()}
	if u.Checklist != nil {
		b.Version = u.Checklist.Version
	}
	return b
}

// unit is u's data file without its own deadlines.
func unit(u *plan.Unit) Unit {
	ju := Unit{
		Format: Format, Code: u.Code, Name: u.Name, Level: u.Level, Parent: u.Parent,
		Ancestors: []UnitBrief{}, Children: []UnitBrief{}, Tags: u.Tags,
		ElectionDay: u.Day.String(),
	}
	if u.Checklist != nil {
		ju.Version = u.Checklist.Version
	}
	for _, a := range u.Ancestors() {
		ju.Ancestors = append(ju.Ancestors, brief(a))
	}
	for _, c := range u.Children {
		ju.Children = append(ju.Children, brief(c))
	}
	return ju
}

// unitFile is u's data file, whose checklist file's election day is day:
// when u's own differs, it carries its own deadlines.
func unitFile(u *plan.Unit, day string) Unit {
	ju := unit(u)
	if c := u.Checklist; c != nil && c.Day.String() != day {
		ju.Deadlines = []Deadline{}
		for _, e := range c.Entries {
			ju.Deadlines = append(ju.Deadlines, Deadline{
				Task: e.Task.Key(), Due: moment(e.Due), Start: moment(e.Start), Limit: moment(e.Limit), Late: e.Late(),
			})
		}
	}
	return ju
}

func checklist(c *plan.Checklist) Checklist {
	jc := Checklist{Entries: []Entry{}}
	if c == nil {
		return jc
	}
	jc.Version, jc.ElectionDay = c.Version, c.Day.String()
	for _, e := range c.Entries {
		t := e.Task
		je := Entry{
			Task: t.Key(), Plan: t.Plan.Number, PlanID: t.Plan.ID, PlanTitle: t.Plan.Title, Title: t.Title,
			Due: moment(e.Due), Start: moment(e.Start), Limit: moment(e.Limit), Late: e.Late(),
			Items: t.Items, Evidence: t.Evidence, Basis: t.Basis, Details: t.Details,
		}
		if t.CategoryRef != nil {
			je.Category = &Named{t.CategoryRef.ID, t.CategoryRef.Name}
		}
		if t.ResponsibleBody != nil {
			je.Responsible = Named{t.ResponsibleBody.ID, t.ResponsibleBody.Name}
		}
		for _, b := range t.SupportBodies {
			je.Support = append(je.Support, Named{b.ID, b.Name})
		}
		jc.Entries = append(jc.Entries, je)
	}
	return jc
}

func moment(m *plan.Moment) *Moment {
	if m == nil {
		return nil
	}
	return &Moment{Date: m.Date.String(), Time: m.Clock(), Relative: m.Relative()}
}
