// Package report turns filled sign-off workbooks into a completion report:
// which units returned their sheets, how far each got, which tasks are
// overdue, and what was wrong in the files.
//
// The stages are plain functions: Files finds the workbooks, ReadFiles
// reads them (xlsx.Read), Build matches them against the current model,
// and Render writes the report as HTML pages and report.xlsx.
//
// # Matching
//
// Each sheet names its unit and the checklist version it was written
// with. A sheet counts only when its unit exists, its version is the
// unit's current one and it holds answers; rows are matched by task key.
// A sheet filled against another version is listed as outdated, never
// merged. Two answered sheets for one unit are a conflict: both are listed
// and neither counts. A sheet with no answers counts as nothing returned.
//
// # Scope
//
// The report covers the lowest unit above every unit that returned a
// sheet, and everything below it: a commune officer who collects the
// sheets of its polling areas gets a report of the commune; a district
// officer who collects commune workbooks, one of the district. Units in
// scope that returned nothing are listed as such.
package report

import (
	"fmt"
	"sort"
	"strings"

	"checkgen/generator/plan"
	"checkgen/generator/xlsx"
)

// Options says how to build a report.
type Options struct {
	// AsOf is the report's day: a task due before it and not done is
	// overdue; a date done after it is an error. The command passes today.
	AsOf plan.Date
}

// State is what came back for a unit.
type State int

// The states of a unit.
const (
	Missing  State = iota // nothing returned (or only blank sheets)
	Returned              // one answered sheet against the current checklist
	Outdated              // answered sheets, all against an outdated checklist
	Conflict              // two or more answered sheets: none counts
)

// Key returns the state's label key.
func (s State) Key() string {
	return [...]string{"returned_nothing", "returned", "outdated", "conflict"}[s]
}

// Report is a completion report.
type Report struct {
	AsOf     plan.Date
	Model    *plan.Model
	Scope    *plan.Unit // the unit the report covers, with everything below it; nil for the whole site
	Files    int        // files: Build counts the workbooks read; a caller may set the number of files tried
	Sheets   int        // checklist sheets read
	Levels   []*LevelReport
	Units    []*UnitReport   // every unit in scope, in site order
	Problems []*xlsx.Problem // sorted by file, sheet and row
}

// Errors counts the problems that are not warnings.
func (r *Report) Errors() int {
	n := 0
	for _, p := range r.Problems {
		if !p.Warning {
			n++
		}
	}
	return n
}

// Counts totals answers.
type Counts struct {
	Tasks, Done, NotDone, NotApplicable, Blank, Rejected, Overdue int
}

func (c *Counts) add(d Counts) {
	c.Tasks += d.Tasks
	c.Done += d.Done
	c.NotDone += d.NotDone
	c.NotApplicable += d.NotApplicable
	c.Blank += d.Blank
	c.Rejected += d.Rejected
	c.Overdue += d.Overdue
}

// Completion is the share of applicable tasks done, from 0 to 1; ok is
// false when no task applies.
func (c Counts) Completion() (share float64, ok bool) {
	n := c.Tasks - c.NotApplicable
	if n <= 0 {
		return 0, false
	}
	return float64(c.Done) / float64(n), true
}

// Percent formats the completion, "63%", or "–" when no task applies.
func (c Counts) Percent() string {
	share, ok := c.Completion()
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%d%%", int(share*100+0.5))
}

// Source is a sheet a unit's answers came from.
type Source struct {
	File, Sheet string
	Version     string
}

// String names the sheet as problems do: file:Sheet, a name quoted when
// it holds a line break or another character that does not print.
func (s Source) String() string { return xlsx.QuoteName(s.File) + ":" + xlsx.QuoteName(s.Sheet) }

// UnitReport is one unit's part of the report.
type UnitReport struct {
	Unit    *plan.Unit
	State   State
	Sources []Source  // the answered sheets found for it
	Answers []*Answer // per entry of its checklist, when Returned
	Counts  Counts    // when Returned
}

// Overdue returns the answers that are overdue.
func (u *UnitReport) Overdue() []*Answer {
	var out []*Answer
	for _, a := range u.Answers {
		if a.Overdue {
			out = append(out, a)
		}
	}
	return out
}

// Answer is a unit's answer for one task.
type Answer struct {
	Entry    *plan.Entry
	Status   xlsx.Status // Blank when the row was rejected or deleted
	Row      *xlsx.Row   // nil when the row was deleted
	Rejected bool
	Overdue  bool
}

// LevelReport rolls up one level's units in scope.
type LevelReport struct {
	Level *plan.Level
	Units []*UnitReport
	// Units expected (in scope), and how many are in each state.
	Expected, Returned, Missing, Outdated, Conflicts int
	Counts                                           Counts // over the units returned
	Tasks                                            []*TaskReport
}

// TaskReport is one task across the returned units of a level.
type TaskReport struct {
	Entry  *plan.Entry // in the level's checklist, at the site's election day
	Units  int         // units in scope whose checklist holds the task
	Counts Counts      // over the returned units whose checklist holds it
}

// Build matches the workbooks read against the model. problems are those
// found while reading (files that could not be read, bad cells); Build
// adds its own and sorts them all.
func Build(m *plan.Model, books []*xlsx.Workbook, problems []*xlsx.Problem, opts Options) *Report {
	b := &builder{m: m, opts: opts, r: &Report{AsOf: opts.AsOf, Model: m, Files: len(books)}, sheets: map[*plan.Unit][]*xlsx.Sheet{}}
	b.r.Problems = append(b.r.Problems, problems...)
	for _, wb := range books {
		b.workbook(wb)
	}
	b.scope()
	for _, u := range b.r.Units {
		b.unit(u)
	}
	b.levels()
	sort.SliceStable(b.r.Problems, func(i, j int) bool { return b.r.Problems[i].Less(b.r.Problems[j]) })
	return b.r
}

type builder struct {
	m      *plan.Model
	opts   Options
	r      *Report
	sheets map[*plan.Unit][]*xlsx.Sheet // every sheet naming a unit, in file order
	order  []*plan.Unit                 // units with sheets, first seen first
}

func (b *builder) problem(p *xlsx.Problem) { b.r.Problems = append(b.r.Problems, p) }

// workbook sorts a workbook's sheets by unit, after checking that it
// belongs to this site.
func (b *builder) workbook(wb *xlsx.Workbook) {
	b.r.Problems = append(b.r.Problems, wb.Problems...)
	site := b.m.Site
	switch {
	case wb.Kind == xlsx.KindReport:
		b.problem(xlsx.FileProblem(wb.File, true, "is a completion report, not a sign-off workbook: skipped"))
		return
	case wb.Site != site.Title || wb.Organisation != site.Organisation:
		b.problem(xlsx.FileProblem(wb.File, false, "is a workbook of another site (%q, %q), not of this one (%q, %q): skipped",
			wb.Site, wb.Organisation, site.Title, site.Organisation))
		return
	}
	for _, s := range wb.Sheets {
		b.r.Sheets++
		if s.Unit == "" {
			l := b.m.Level(s.Level)
			name := s.Level
			if l != nil {
				name = l.Name
			}
			if s.Answered {
				b.problem(xlsx.SheetProblem(s, "", false, "the blank form of level %q names no unit: its answers are not counted; fill in the unit's own workbook", name))
			} else {
				b.problem(xlsx.SheetProblem(s, "", true, "the blank form of level %q: skipped", name))
			}
			continue
		}
		u := b.m.Unit(s.Unit)
		if u == nil {
			b.problem(xlsx.SheetProblem(s, "", false, "unit %q does not exist in this site: skipped", s.Unit))
			continue
		}
		if _, seen := b.sheets[u]; !seen {
			b.order = append(b.order, u)
		}
		b.sheets[u] = append(b.sheets[u], s)
	}
}

// scope finds the unit the report covers and lists the units in it.
func (b *builder) scope() {
	var scope *plan.Unit
	whole := false
	for i, u := range b.order {
		up := u.ParentUnit
		if up == nil {
			up = u
		}
		if i == 0 {
			scope = up
			continue
		}
		scope = common(scope, up)
		if scope == nil {
			whole = true
			break
		}
	}
	if whole {
		scope = nil
	}
	b.r.Scope = scope
	for _, u := range b.m.Units {
		if scope == nil || within(u, scope) {
			b.r.Units = append(b.r.Units, &UnitReport{Unit: u})
		}
	}
}

// common returns the lowest unit that is a or b or above both, or nil.
func common(a, b *plan.Unit) *plan.Unit {
	above := map[*plan.Unit]bool{}
	for x := a; x != nil; x = x.ParentUnit {
		above[x] = true
	}
	for x := b; x != nil; x = x.ParentUnit {
		if above[x] {
			return x
		}
	}
	return nil
}

func within(u, scope *plan.Unit) bool {
	for x := u; x != nil; x = x.ParentUnit {
		if x == scope {
			return true
		}
	}
	return false
}

// unit decides what counts for one unit and reads its answers.
func (b *builder) unit(ur *UnitReport) {
	u := ur.Unit
	var current, outdated []*xlsx.Sheet
	for _, s := range b.sheets[u] {
		switch {
		case !s.Answered:
			// A sheet with no answers: the unit returned nothing in it.
		case u.Checklist == nil || s.Version != u.Checklist.Version:
			outdated = append(outdated, s)
		default:
			current = append(current, s)
		}
	}
	for _, s := range outdated {
		now := ""
		if u.Checklist != nil {
			now = u.Checklist.Version
		}
		b.problem(xlsx.SheetProblem(s, "", false, "filled against an outdated checklist (version %s; the current one is %s): not counted; copy its answers into the current workbook", s.Version, now))
		ur.Sources = append(ur.Sources, Source{s.File, s.Name, s.Version})
	}
	switch {
	case len(current) > 1:
		ur.State = Conflict
		for _, s := range current {
			var others []string
			for _, o := range current {
				if o != s {
					others = append(others, Source{File: o.File, Sheet: o.Name}.String())
				}
			}
			b.problem(xlsx.SheetProblem(s, "", false, "unit %s is also filled in %s: a conflict; neither is counted", u.Code, strings.Join(others, ", ")))
		}
		ur.Sources = nil
		for _, s := range current {
			ur.Sources = append(ur.Sources, Source{s.File, s.Name, s.Version})
		}
	case len(current) == 1:
		ur.State = Returned
		ur.Sources = []Source{{current[0].File, current[0].Name, current[0].Version}}
		b.answers(ur, current[0])
	case len(outdated) > 0:
		ur.State = Outdated
	}
}

// answers reads a unit's one current sheet against its checklist.
func (b *builder) answers(ur *UnitReport, s *xlsx.Sheet) {
	byKey := map[string]*xlsx.Row{}
	for _, r := range s.Rows {
		if _, dup := byKey[r.Key]; !dup {
			byKey[r.Key] = r
		}
	}
	var want []string
	wanted := map[string]bool{}
	for _, e := range ur.Unit.Checklist.Entries {
		k := e.Task.Key()
		want = append(want, k)
		for i := range e.Task.Items {
			want = append(want, xlsx.ItemKey(k, i+1))
		}
	}
	for _, k := range want {
		wanted[k] = true
	}
	// Rows deleted, rows of other tasks, rows out of order.
	for _, k := range want {
		if byKey[k] == nil {
			task, item, _ := xlsx.SplitKey(k)
			if item > 0 {
				b.problem(xlsx.SheetProblem(s, "", false, "the row of item %d of task %s was deleted", item, task))
			} else {
				b.problem(xlsx.SheetProblem(s, "", false, "the row of task %s (%q) was deleted: not counted", k, title(ur.Unit, k)))
			}
		}
	}
	var order []*xlsx.Row
	for _, r := range s.Rows {
		if !wanted[r.Key] {
			b.problem(xlsx.SheetProblem(s, "J"+fmt.Sprint(r.Row), false, "task %s is not in this unit's checklist: ignored", r.Key))
			continue
		}
		if byKey[r.Key] == r {
			order = append(order, r)
		}
	}
	next := 0
	for _, r := range order {
		for next < len(want) && byKey[want[next]] == nil {
			next++ // deleted: already reported
		}
		if next < len(want) && want[next] != r.Key {
			b.problem(xlsx.SheetProblem(s, "A"+fmt.Sprint(r.Row), false, "rows were reordered (row %d holds %s, expected %s there): read by task id", r.Row, r.Key, want[next]))
			break
		}
		next++
	}
	// The answers.
	asOf := b.opts.AsOf
	for _, e := range ur.Unit.Checklist.Entries {
		k := e.Task.Key()
		a := &Answer{Entry: e, Row: byKey[k]}
		for i := range e.Task.Items {
			if r := byKey[xlsx.ItemKey(k, i+1)]; r != nil {
				b.check(s, r)
			}
		}
		switch r := a.Row; {
		case r == nil:
			a.Rejected = true
		default:
			b.check(s, r)
			a.Rejected = r.Rejected
			if !r.Rejected {
				a.Status = r.Status
			}
		}
		c := &ur.Counts
		c.Tasks++
		switch {
		case a.Rejected:
			c.Rejected++
		case a.Status == xlsx.Done:
			c.Done++
		case a.Status == xlsx.NotDone:
			c.NotDone++
		case a.Status == xlsx.NotApplicable:
			c.NotApplicable++
		default:
			c.Blank++
		}
		if e.Due != nil && e.Due.Date.Before(asOf) && a.Status != xlsx.Done && a.Status != xlsx.NotApplicable {
			a.Overdue = true
			c.Overdue++
		}
		ur.Answers = append(ur.Answers, a)
	}
}

// check applies the rules Read cannot know: no date done after the
// report's day, no task done without a confirmer. A row breaking one is
// rejected.
func (b *builder) check(s *xlsx.Sheet, r *xlsx.Row) {
	if r.Rejected {
		return
	}
	if r.Date != nil && b.opts.AsOf.Before(*r.Date) {
		b.problem(xlsx.SheetProblem(s, "G"+fmt.Sprint(r.Row), false, "date done %s is in the future (the report is as of %s)", b.m.Site.FormatDate(*r.Date), b.m.Site.FormatDate(b.opts.AsOf)))
		r.Rejected = true
	}
	if r.Item == 0 && r.Status == xlsx.Done && r.Confirmer == "" {
		b.problem(xlsx.SheetProblem(s, "H"+fmt.Sprint(r.Row), false, "done without a confirmer: type who confirmed it"))
		r.Rejected = true
	}
}

func title(u *plan.Unit, key string) string {
	for _, e := range u.Checklist.Entries {
		if e.Task.Key() == key {
			return e.Task.Title
		}
	}
	return ""
}

// levels rolls the units up by level, and the tasks by level across units.
func (b *builder) levels() {
	byLevel := map[*plan.Level]*LevelReport{}
	for _, l := range b.m.Levels {
		lr := &LevelReport{Level: l}
		byLevel[l] = lr
		b.r.Levels = append(b.r.Levels, lr)
	}
	for _, ur := range b.r.Units {
		lr := byLevel[ur.Unit.LevelRef]
		if lr == nil {
			continue
		}
		lr.Units = append(lr.Units, ur)
		lr.Expected++
		switch ur.State {
		case Returned:
			lr.Returned++
			lr.Counts.add(ur.Counts)
		case Missing:
			lr.Missing++
		case Outdated:
			lr.Outdated++
		case Conflict:
			lr.Conflicts++
		}
	}
	var kept []*LevelReport
	for _, lr := range b.r.Levels {
		if lr.Expected == 0 {
			continue
		}
		kept = append(kept, lr)
		if lr.Level.Checklist == nil {
			continue
		}
		for _, e := range lr.Level.Checklist.Entries {
			tr := &TaskReport{Entry: e}
			key := e.Task.Key()
			for _, ur := range lr.Units {
				if ur.Unit.Checklist == nil {
					continue
				}
				has := false
				for _, ue := range ur.Unit.Checklist.Entries {
					has = has || ue.Task.Key() == key
				}
				if !has {
					continue
				}
				tr.Units++
				for _, a := range ur.Answers {
					if a.Entry.Task.Key() == key {
						tr.Counts.add(answerCounts(a))
					}
				}
			}
			lr.Tasks = append(lr.Tasks, tr)
		}
	}
	b.r.Levels = kept
}

// answerCounts counts one answer.
func answerCounts(a *Answer) Counts {
	c := Counts{Tasks: 1}
	switch {
	case a.Rejected:
		c.Rejected = 1
	case a.Status == xlsx.Done:
		c.Done = 1
	case a.Status == xlsx.NotDone:
		c.NotDone = 1
	case a.Status == xlsx.NotApplicable:
		c.NotApplicable = 1
	default:
		c.Blank = 1
	}
	if a.Overdue {
		c.Overdue = 1
	}
	return c
}

// Totals sums the counts of every level.
func (r *Report) Totals() (c Counts, expected, returned int) {
	for _, l := range r.Levels {
		c.add(l.Counts)
		expected += l.Expected
		returned += l.Returned
	}
	return c, expected, returned
}

// MissingTops lists the units that returned nothing and whose parent is
// not itself missing (or out of scope): the short list to chase.
func (r *Report) MissingTops() []*UnitReport {
	missing := map[*plan.Unit]bool{}
	for _, u := range r.Units {
		if u.State == Missing {
			missing[u.Unit] = true
		}
	}
	var out []*UnitReport
	for _, u := range r.Units {
		if u.State == Missing && !missing[u.Unit.ParentUnit] {
			out = append(out, u)
		}
	}
	return out
}

// MissingBelow counts the units below u that returned nothing.
func (r *Report) MissingBelow(u *plan.Unit) int {
	n := 0
	for _, x := range r.Units {
		if x.State == Missing && x.Unit != u && within(x.Unit, u) {
			n++
		}
	}
	return n
}
