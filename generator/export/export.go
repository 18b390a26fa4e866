// Package export writes the resolved model as JSON under data/, a stable,
// machine-readable form of the site for outside tools:
//
//	data/site.json           the site: levels with their checklists, categories,
//	                         bodies, plans with their tasks as written, and the
//	                         list of units with their checklist versions
//	data/units/<code>.json   one unit: its place in the tree and its checklist,
//	                         every deadline resolved from its own election day
//
// Every file carries "format": "checkgen-data/1". Within format 1, fields
// are only ever added, never renamed or removed. Dates are ISO 8601
// ("2021-05-23"); times "17:00"; "relative" gives the day's distance from
// the election day ("E-70"). Absent optional values are omitted.
package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// Format names the version of the JSON layout.
const Format = "checkgen-data/1"

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

// Unit is data/units/<code>.json.
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
	Checklist   Checklist   `json:"checklist"`
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

// Moment is a resolved deadline.
type Moment struct {
	Date     string `json:"date"`
	Time     string `json:"time,omitempty"`
	Relative string `json:"relative"`
}

// Data is the data/ of a build: site.json and one file per unit, with
// the keys of the units' outputs. Prepare computes it; Write writes it.
type Data struct {
	m     *plan.Model
	jobs  []dataJob
	keys  map[string]string
	units int
}

type dataJob struct {
	u   *plan.Unit
	c   *encodedChecklist
	key string // of the unit's data file
}

// Prepare computes, for each of units (every unit when units is nil), a
// key of everything the unit's own outputs show: the unit's data without
// the checklist versions of its ancestors and children (a unit's page and
// PDF show their names, not their checklists; the workbook, which has a
// sheet per child, adds its children's keys). global is mixed into every
// key; a unit's data file is rendered again only when its own key (with
// those versions) changes.
func Prepare(m *plan.Model, units []*plan.Unit, global string) (*Data, error) {
	if units == nil {
		units = m.Units
	}
	d := &Data{m: m, jobs: make([]dataJob, len(units)), keys: make(map[string]string, len(units))}
	// Each distinct checklist is encoded once, for every unit with it.
	checklists := map[*plan.Checklist]*encodedChecklist{}
	for i, u := range units {
		c, ok := checklists[u.Checklist]
		if !ok {
			var err error
			if c, err = encodeChecklist(u.Checklist); err != nil {
				return nil, err
			}
			checklists[u.Checklist] = c
		}
		// The unit without its checklist, which the checklist's hash stands
		// for, and without its neighbours' checklist versions: the key of
		// its views. The data file shows those versions: its key adds them.
		ju := unit(u, nil)
		var versions strings.Builder
		for _, list := range [][]UnitBrief{ju.Ancestors, ju.Children} {
			for i := range list {
				versions.WriteString(list[i].Version + ",")
				list[i].Version = ""
			}
		}
		b, err := json.Marshal(ju)
		if err != nil {
			return nil, err
		}
		d.keys[u.Code] = global + ":" + c.hash + ":" + hash(b)
		d.jobs[i] = dataJob{u, c, d.keys[u.Code] + ":" + hash([]byte(versions.String()))}
	}
	return d, nil
}

// Key returns the key of a prepared unit's outputs.
func (d *Data) Key(u *plan.Unit) string { return d.keys[u.Code] }

// Write writes data/site.json and the prepared units' data files, on
// workers goroutines (see output.Workers).
func (d *Data) Write(out output.Sink, workers int) error {
	if err := out.Render("data/site.json", func(w io.Writer) error { return encode(w, site(d.m)) }); err != nil {
		return err
	}
	return output.Parallel(len(d.jobs), workers, func(i int) error {
		j := d.jobs[i]
		_, err := out.Cached("data/units/"+j.u.Code+".json", j.key, func(w io.Writer) error {
			return writeUnit(w, j.u, j.c)
		})
		return err
	}, nil)
}

// encodedChecklist is a checklist's JSON, indented as the value of a
// unit's "checklist", and its hash.
type encodedChecklist struct {
	json []byte
	hash string
}

func encodeChecklist(c *plan.Checklist) (*encodedChecklist, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	if err := enc.Encode(checklist(c)); err != nil {
		return nil, err
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	return &encodedChecklist{json: b, hash: hash(b)}, nil
}

// checklistKey is how the last field of a unit's file starts.
var checklistKey = []byte(",\n  \"checklist\": ")

// writeUnit writes u's data file: the unit encoded with an empty
// checklist up to its "checklist" key, then c. The bytes equal encoding
// unit(u, u.Checklist) whole (a test checks), at a fraction of the cost.
func writeUnit(w io.Writer, u *plan.Unit, c *encodedChecklist) error {
	var buf bytes.Buffer
	if err := encode(&buf, unit(u, nil)); err != nil {
		return err
	}
	b := buf.Bytes()
	i := bytes.LastIndex(b, checklistKey)
	if i < 0 {
		return fmt.Errorf("data/units/%s.json: no checklist key", u.Code)
	}
	b = append(b[:i+len(checklistKey)], c.json...)
	b = append(b, "\n}\n"...)
	_, err := w.Write(b)
	return err
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

func site(m *plan.Model) Site {
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

// unit is u's data file, with checklist c (nil: an empty one).
func unit(u *plan.Unit, c *plan.Checklist) Unit {
	ju := Unit{
		Format: Format, Code: u.Code, Name: u.Name, Level: u.Level, Parent: u.Parent,
		Ancestors: []UnitBrief{}, Children: []UnitBrief{}, Tags: u.Tags,
		ElectionDay: u.Day.String(), Checklist: checklist(c),
	}
	for _, a := range u.Ancestors() {
		ju.Ancestors = append(ju.Ancestors, brief(a))
	}
	for _, c := range u.Children {
		ju.Children = append(ju.Children, brief(c))
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
