// Package report turns filled sign-off workbooks, and the report.json
// files of lower levels, into a completion report: which units returned
// their sheets and when, how far each got, which tasks are overdue, and
// what was wrong in the files.
//
// The stages are plain functions: Files finds the inputs, ReadFiles reads
// the workbooks (xlsx.Read) and ReadData the report.json files, Merge
// matches them against the current model, and Render writes the report as
// HTML pages, report.xlsx and report.json.
//
// # Scope
//
// The report covers the whole site, or Options.Scope and everything below
// it. Every unit in scope is expected; those that returned nothing are
// listed, grouped under their parent.
//
// # Matching
//
// Each sheet names its unit and the checklist version it was written
// with; every task row holds its task key and, since format 1 gained it,
// a hash of that task's content (xlsx.TaskHash: title, due, items, bodies
// ... what the checklist version covers, per task). A sheet filled against
// the unit's current version counts whole. A sheet filled against an
// older version counts for every row whose task hash equals the task's
// hash now; an answered row whose task changed is listed as "answered
// against an older wording: re-confirm" (counted as Stale, not as done),
// a task added since shows as blank. A workbook written before task
// hashes existed is checked as a whole: against an older version it is
// listed as outdated and not counted, and the report says why.
//
// Two inputs with different answers for one unit are a conflict: both are
// listed and neither counts. The same answers twice (a district's
// report.json and the workbook it was made from) count once. A sheet with
// no answers counts as nothing returned.
//
// # Returned on time
//
// A level's return_by in site.toml ("E+3") is resolved per unit against
// its election day, like a task's due. A unit's sheet was returned on the
// latest "date done" it holds; a sheet with no date done was returned on
// the day its workbook was last saved (docProps/core.xml dcterms:modified)
// when that is after the day it was built, else on an unknown day, which
// is never on time. It is on time when returned on or before its
// return_by day.
//
// # report.json
//
// Render writes report/report.json (JSONFormat, "checkgen-report-json/1"),
// a UTF-8 JSON object:
//
//	format        "checkgen-report-json/1"; a reader refuses other values
//	site          {title, organisation, election_day}: a report of another
//	              site is refused
//	scope         the code of the unit the report covers, "" for the site
//	as_of         the report's day, YYYY-MM-DD
//	units         every unit in scope, in site order:
//	  code, level, name
//	  state       "returned", "returned_nothing", "outdated" or "conflict"
//	  version     the checklist version its answers were filled against
//	  return_by   YYYY-MM-DD, when its level has a return_by
//	  returned_on YYYY-MM-DD, when known
//	  on_time     true when returned on or before return_by
//	  sources     the sheets its answers came from ("file:sheet")
//	  tasks       when returned, every task answered (a task not listed
//	              is blank), in checklist order:
//	    key       "<plan>/<task>"
//	    hash      the task's hash as the answer was given against it
//	    status    "done", "not_done", "not_applicable" or "rejected"
//	              (a cell of the row was rejected, or the row deleted)
//	    date, confirmer, notes   as typed (date as YYYY-MM-DD)
//	    on_time   done on or before the task's due
//
// Merge reads such files beside workbooks: each unit of one is an input
// like a sheet, matched by code, version and task hash the same way, so a
// province reporting on its districts' report.json files gets the numbers
// a report on all their workbooks at once would give. Inputs are never
// written to.
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
	// Scope is the unit the report covers, with everything below it; nil
	// for the whole site.
	Scope *plan.Unit
}

// Inputs is what a report is made from.
type Inputs struct {
	Books    []*xlsx.Workbook
	Lower    []*Data         // report.json files of lower levels (ReadData)
	Problems []*xlsx.Problem // found while finding and reading them
}

// State is what came back for a unit.
type State int

// The states of a unit.
const (
	Missing  State = iota // nothing returned (or only blank sheets)
	Returned              // answers counted, from one input (or the same answers from several)
	Outdated              // answered sheets, all against an outdated checklist that cannot be matched task by task
	Conflict              // inputs with different answers: none counts
)

// Key returns the state's label key.
func (s State) Key() string {
	return [...]string{"returned_nothing", "returned", "outdated", "conflict"}[s]
}

// stateOf is the State of a label key, for report.json.
func stateOf(key string) (State, bool) {
	for s := Missing; s <= Conflict; s++ {
		if s.Key() == key {
			return s, true
		}
	}
	return Missing, false
}

// Report is a completion report.
type Report struct {
	AsOf     plan.Date
	Model    *plan.Model
	Scope    *plan.Unit // the unit the report covers, with everything below it; nil for the whole site
	Files    int        // files: Merge counts the inputs read; a caller may set the number of files tried
	Sheets   int        // checklist sheets read, and units read from report.json files
	Levels   []*LevelReport
	Units    []*UnitReport   // every unit in scope, in site order
	Problems []*xlsx.Problem // sorted by file, sheet and row
	// Legacy counts the sheets written before task hashes: matched as a
	// whole against the current checklist version.
	Legacy int
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
	Tasks, Done, NotDone, NotApplicable, Blank, Rejected int
	// Stale answers were given against an older wording of their task:
	// not counted as done until re-confirmed.
	Stale   int
	Overdue int
}

func (c *Counts) add(d Counts) {
	c.Tasks += d.Tasks
	c.Done += d.Done
	c.NotDone += d.NotDone
	c.NotApplicable += d.NotApplicable
	c.Blank += d.Blank
	c.Rejected += d.Rejected
	c.Stale += d.Stale
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

// Source is a sheet, or a unit of a report.json, a unit's answers came
// from.
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
	// Version is the checklist version the counted answers were filled
	// against (the unit's current one, or an older one matched by task).
	Version string
	// ReturnBy is the day the unit's sheet is due back (its level's
	// return_by); nil when the level has none.
	ReturnBy *plan.Moment
	// ReturnedOn is the day the counted sheet was returned (see the
	// package doc); nil when unknown.
	ReturnedOn *plan.Date
}

// OnTime reports whether the unit returned its sheet by its return_by day.
func (u *UnitReport) OnTime() bool {
	return u.State == Returned && u.ReturnBy != nil && u.ReturnedOn != nil && !u.ReturnBy.Date.Before(*u.ReturnedOn)
}

// Late reports whether the unit's return_by day has passed by asOf
// without a counted return.
func (u *UnitReport) Late(asOf plan.Date) bool {
	return u.State != Returned && u.ReturnBy != nil && u.ReturnBy.Date.Before(asOf)
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
	Status   xlsx.Status // Blank when the row was rejected, deleted or stale
	Row      *xlsx.Row   // nil when there was no row for the task
	Rejected bool
	Stale    bool // answered against an older wording of the task: re-confirm
	Overdue  bool

	stale *xlsx.Row // the row of a stale answer
}

// OnTime reports whether the task was done on or before its due.
func (a *Answer) OnTime() bool {
	if a.Status != xlsx.Done || a.Row == nil || a.Row.Date == nil {
		return false
	}
	return a.Entry.Due == nil || !a.Entry.Due.Date.Before(*a.Row.Date)
}

// LevelReport rolls up one level's units in scope.
type LevelReport struct {
	Level *plan.Level
	Units []*UnitReport
	// Units expected (in scope), and how many are in each state.
	Expected, Returned, Missing, Outdated, Conflicts int
	// OnTime counts the units returned by their return_by day; Late those
	// whose return_by passed without a counted return.
	OnTime, Late int
	Counts       Counts // over the units returned
	Tasks        []*TaskReport
}

// HasReturnBy reports whether the level has a return_by day.
func (l *LevelReport) HasReturnBy() bool { return l.Level.ReturnBy != nil }

// TaskReport is one task across the returned units of a level.
type TaskReport struct {
	Entry  *plan.Entry // in the level's checklist, at the site's election day
	Units  int         // units in scope whose checklist holds the task
	Counts Counts      // over the returned units whose checklist holds it
}

// Build matches the workbooks read against the model: Merge without
// report.json inputs.
func Build(m *plan.Model, books []*xlsx.Workbook, problems []*xlsx.Problem, opts Options) *Report {
	return Merge(m, Inputs{Books: books, Problems: problems}, opts)
}

// Merge matches the workbooks and lower reports read against the model.
// The problems of in are those found while reading; Merge adds its own and
// sorts them all.
func Merge(m *plan.Model, in Inputs, opts Options) *Report {
	b := &builder{m: m, opts: opts, r: &Report{AsOf: opts.AsOf, Model: m, Scope: opts.Scope, Files: len(in.Books) + len(in.Lower)}, rets: map[*plan.Unit][]*ret{}}
	b.r.Problems = append(b.r.Problems, in.Problems...)
	for _, wb := range in.Books {
		b.workbook(wb)
	}
	for _, d := range in.Lower {
		b.lower(d)
	}
	for _, u := range m.Units {
		if opts.Scope == nil || within(u, opts.Scope) {
			b.r.Units = append(b.r.Units, &UnitReport{Unit: u, ReturnBy: u.ReturnBy()})
		}
	}
	for u, rs := range b.rets {
		if opts.Scope != nil && !within(u, opts.Scope) {
			for _, r := range rs {
				if r.answered() {
					b.problem(r.problem("", true, "unit %s is outside the report's scope (%s %s): skipped", u.Code, opts.Scope.Code, opts.Scope.Name))
				}
			}
		}
	}
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
	rets   map[*plan.Unit][]*ret // every input naming a unit, in input order
	hashed map[*plan.Checklist]map[string]string
	keyed  map[*plan.Checklist]checklistKeys
}

// checklistKeys are the row keys of a checklist's sheet, in order, and
// as a set.
type checklistKeys struct {
	want   []string
	wanted map[string]bool
}

// keys returns the row keys of a checklist, computed once per checklist.
func (b *builder) keys(c *plan.Checklist) (want []string, wanted map[string]bool) {
	if k, ok := b.keyed[c]; ok {
		return k.want, k.wanted
	}
	wanted = map[string]bool{}
	for _, e := range c.Entries {
		k := e.Task.Key()
		want = append(want, k)
		for i := range e.Task.Items {
			want = append(want, xlsx.ItemKey(k, i+1))
		}
	}
	for _, k := range want {
		wanted[k] = true
	}
	if b.keyed == nil {
		b.keyed = map[*plan.Checklist]checklistKeys{}
	}
	b.keyed[c] = checklistKeys{want, wanted}
	return want, wanted
}

// hashes returns the task hashes of a checklist by task key, computed once
// per checklist (units with the same checklist share one).
func (b *builder) hashes(c *plan.Checklist) map[string]string {
	if h, ok := b.hashed[c]; ok {
		return h
	}
	h := make(map[string]string, len(c.Entries))
	for _, e := range c.Entries {
		h[e.Task.Key()] = xlsx.TaskHash(c, e)
	}
	if b.hashed == nil {
		b.hashed = map[*plan.Checklist]map[string]string{}
	}
	b.hashed[c] = h
	return h
}

// ret is one input's return for a unit: a sheet of a workbook, or a unit
// of a lower report.json (a sheet made from it).
type ret struct {
	sheet    *xlsx.Sheet
	book     *xlsx.Workbook // nil for a report.json unit
	state    State          // what a report.json said: Returned, Outdated or Conflict
	returned *plan.Date     // a report.json's returned_on
}

func (r *ret) json() bool { return r.book == nil }

func (r *ret) answered() bool {
	return r.sheet.Answered || (r.json() && r.state != Returned && r.state != Missing)
}

func (r *ret) source() Source { return Source{r.sheet.File, r.sheet.Name, r.sheet.Version} }

func (r *ret) problem(cell string, warning bool, format string, args ...any) *xlsx.Problem {
	if r.json() {
		cell = ""
	}
	return xlsx.SheetProblem(r.sheet, cell, warning, format, args...)
}

func (b *builder) problem(p *xlsx.Problem) { b.r.Problems = append(b.r.Problems, p) }

// workbook sorts a workbook's sheets by unit, after checking that it
// belongs to this site.
func (b *builder) workbook(wb *xlsx.Workbook) {
	b.r.Problems = append(b.r.Problems, wb.Problems...)
	site := b.m.Site
	switch {
	case wb.Kind == xlsx.KindReport:
		b.problem(xlsx.FileProblem(wb.File, true, "is a completion report, not a sign-off workbook: skipped (give the report.json beside it to merge a lower level's report)"))
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
		b.rets[u] = append(b.rets[u], &ret{sheet: s, book: wb, state: Returned})
	}
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
	var current, outdated, conflicted []*ret
	for _, r := range b.rets[u] {
		s := r.sheet
		switch {
		case r.json() && r.state == Conflict:
			conflicted = append(conflicted, r)
		case r.json() && r.state == Outdated:
			outdated = append(outdated, r)
		case !s.Answered:
			// A sheet with no answers: the unit returned nothing in it.
		case u.Checklist == nil:
			outdated = append(outdated, r)
		case s.Version == u.Checklist.Version || s.Hashed:
			current = append(current, r)
		default:
			outdated = append(outdated, r)
		}
	}
	now := ""
	if u.Checklist != nil {
		now = u.Checklist.Version
	}
	for _, r := range outdated {
		switch {
		case r.json():
			b.problem(r.problem("", false, "unit %s was filled against an outdated checklist in that report: not counted", u.Code))
		default:
			b.problem(r.problem("", false, "filled against an outdated checklist (version %s; the current one is %s) in a workbook written before answers could be matched task by task: not counted; copy its answers into the current workbook", r.sheet.Version, now))
		}
		ur.Sources = append(ur.Sources, r.source())
	}
	for _, r := range conflicted {
		b.problem(r.problem("", false, "unit %s is a conflict in that report: not counted", u.Code))
	}
	for _, r := range b.rets[u] {
		if !r.json() && r.sheet.Answered && !r.sheet.Hashed {
			b.r.Legacy++
		}
	}
	for _, r := range current {
		if !r.json() {
			for _, row := range r.sheet.Rows {
				b.check(r.sheet, row)
			}
		}
	}
	// A sheet of the current version supersedes those of older ones.
	var cur, older []*ret
	for _, r := range current {
		if r.sheet.Version == now {
			cur = append(cur, r)
		} else {
			older = append(older, r)
		}
	}
	if len(cur) > 0 && len(older) > 0 {
		for _, r := range older {
			b.problem(r.problem("", true, "filled against an older checklist (version %s); %s holds the current one (%s): this one is not counted", r.sheet.Version, cur[0].source(), now))
		}
		current = cur
	}
	// The same answers from several inputs count once.
	var distinct []*ret
	sigs := map[string]*ret{}
	for _, r := range current {
		if len(current) == 1 {
			distinct = current
			break
		}
		sig := signature(r.sheet)
		if first, dup := sigs[sig]; dup {
			b.problem(r.problem("", true, "the same answers for unit %s as %s: counted once", u.Code, first.source()))
			continue
		}
		sigs[sig] = r
		distinct = append(distinct, r)
	}
	switch {
	case len(distinct) > 1 || (len(conflicted) > 0 && len(distinct) > 0) || (len(conflicted) > 1):
		ur.State = Conflict
		ur.Sources = nil
		for _, r := range distinct {
			var others []string
			for _, o := range distinct {
				if o != r {
					others = append(others, o.source().String())
				}
			}
			for _, o := range conflicted {
				others = append(others, o.source().String())
			}
			b.problem(r.problem("", false, "unit %s is also filled in %s with other answers: a conflict; neither is counted", u.Code, strings.Join(others, ", ")))
		}
		for _, r := range append(distinct, conflicted...) {
			ur.Sources = append(ur.Sources, r.source())
		}
	case len(conflicted) == 1:
		ur.State = Conflict
		ur.Sources = []Source{conflicted[0].source()}
	case len(distinct) == 1:
		ur.State = Returned
		ur.Sources = append(ur.Sources, distinct[0].source())
		b.answers(ur, distinct[0])
	case len(outdated) > 0:
		ur.State = Outdated
	}
}

// signature is what a sheet says, for telling the same answers from
// different ones: per task row, its key, hash and answers.
func signature(s *xlsx.Sheet) string {
	var rows []string
	for _, r := range s.Rows {
		if r.Item > 0 {
			continue
		}
		st := r.Status.String()
		if r.Rejected {
			st = "rejected"
		}
		if st == "blank" && r.Date == nil && r.Confirmer == "" && r.Notes == "" {
			continue
		}
		d := ""
		if r.Date != nil {
			d = r.Date.String()
		}
		rows = append(rows, strings.Join([]string{r.Key, r.Hash, st, d, r.Confirmer, r.Notes}, "\x1f"))
	}
	sort.Strings(rows)
	return s.Version + "\x1e" + strings.Join(rows, "\x1e")
}

// answers reads a unit's one counted sheet against its checklist.
func (b *builder) answers(ur *UnitReport, r *ret) {
	s := r.sheet
	c := ur.Unit.Checklist
	same := s.Version == c.Version
	ur.Version = s.Version
	byKey := map[string]*xlsx.Row{}
	for _, row := range s.Rows {
		if _, dup := byKey[row.Key]; !dup {
			byKey[row.Key] = row
		}
	}
	want, wanted := b.keys(c)
	hashes := b.hashes(c)
	if !r.json() && same {
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
	}
	var order []*xlsx.Row
	for _, row := range s.Rows {
		if !wanted[row.Key] {
			switch {
			case same:
				b.problem(r.problem("J"+fmt.Sprint(row.Row), false, "task %s is not in this unit's checklist: ignored", row.Key))
			case row.Item == 0 && answeredRow(row):
				b.problem(r.problem("F"+fmt.Sprint(row.Row), true, "task %s is no longer in this unit's checklist: its answer is not counted", row.Key))
			}
			continue
		}
		if byKey[row.Key] == row {
			order = append(order, row)
		}
	}
	if !r.json() && same {
		next := 0
		for _, row := range order {
			for next < len(want) && byKey[want[next]] == nil {
				next++ // deleted: already reported
			}
			if next < len(want) && want[next] != row.Key {
				b.problem(xlsx.SheetProblem(s, "A"+fmt.Sprint(row.Row), false, "rows were reordered (row %d holds %s, expected %s there): read by task id", row.Row, row.Key, want[next]))
				break
			}
			next++
		}
	}
	// The answers.
	asOf := b.opts.AsOf
	var latest *plan.Date
	for _, e := range c.Entries {
		k := e.Task.Key()
		a := &Answer{Entry: e, Row: byKey[k]}
		row := a.Row
		switch {
		case row == nil && same && !r.json():
			a.Rejected = true // deleted: reported above
		case row == nil:
			// A task added since the sheet was written, or not answered.
		case !same && row.Hash != hashes[k]:
			a.Row = nil
			if answeredRow(row) {
				a.Stale, a.stale = true, row
				b.problem(r.problem("F"+fmt.Sprint(row.Row), true, "task %s (%q) was answered against an older wording: re-confirm it in the current workbook; not counted", k, e.Task.Title))
			}
		default:
			a.Rejected = row.Rejected
			if !row.Rejected {
				a.Status = row.Status
			}
		}
		if row != nil && !row.Rejected && row.Date != nil && (latest == nil || latest.Before(*row.Date)) {
			d := *row.Date
			latest = &d
		}
		cn := &ur.Counts
		cn.add(answerCounts(a))
		if e.Due != nil && e.Due.Date.Before(asOf) && a.Status != xlsx.Done && a.Status != xlsx.NotApplicable {
			a.Overdue = true
			cn.Overdue++
		}
		ur.Answers = append(ur.Answers, a)
	}
	switch {
	case r.json():
		ur.ReturnedOn = r.returned
	case latest != nil:
		ur.ReturnedOn = latest
	default:
		ur.ReturnedOn = savedOn(r.book)
	}
}

// answeredRow reports whether a row holds an answer.
func answeredRow(r *xlsx.Row) bool {
	return r.Status != xlsx.Blank || r.Rejected || r.Date != nil || r.DateText != "" || r.Confirmer != ""
}

// savedOn is the day a workbook was last saved, when that is after the
// day it was built (a workbook filled by a program that keeps the
// document properties says nothing about when it was returned).
func savedOn(wb *xlsx.Workbook) *plan.Date {
	if wb == nil || wb.Modified == nil {
		return nil
	}
	built, ok := parseDay(wb.Date)
	if ok && !built.Before(*wb.Modified) {
		return nil
	}
	d := *wb.Modified
	return &d
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
		if ur.OnTime() {
			lr.OnTime++
		}
		if ur.Late(b.opts.AsOf) {
			lr.Late++
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
		idx := map[string]int{}
		for i, e := range lr.Level.Checklist.Entries {
			idx[e.Task.Key()] = i
			lr.Tasks = append(lr.Tasks, &TaskReport{Entry: e})
		}
		for _, ur := range lr.Units {
			if ur.Unit.Checklist == nil {
				continue
			}
			for _, ue := range ur.Unit.Checklist.Entries {
				if i, ok := idx[ue.Task.Key()]; ok {
					lr.Tasks[i].Units++
				}
			}
			for _, a := range ur.Answers {
				if i, ok := idx[a.Entry.Task.Key()]; ok {
					lr.Tasks[i].Counts.add(answerCounts(a))
				}
			}
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
	case a.Stale:
		c.Stale = 1
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

// MissingGroup is the units under one parent that returned nothing.
type MissingGroup struct {
	Parent *plan.Unit // nil for top units
	Units  []*UnitReport
}

// MissingByParent lists the units in scope that returned nothing, grouped
// under their parent, parents in site order.
func (r *Report) MissingByParent() []*MissingGroup {
	var groups []*MissingGroup
	at := map[*plan.Unit]*MissingGroup{}
	for _, u := range r.Units {
		if u.State != Missing {
			continue
		}
		p := u.Unit.ParentUnit
		g := at[p]
		if g == nil {
			g = &MissingGroup{Parent: p}
			at[p] = g
			groups = append(groups, g)
		}
		g.Units = append(g.Units, u)
	}
	return groups
}

// Missing counts the units in scope that returned nothing.
func (r *Report) Missing() int {
	n := 0
	for _, u := range r.Units {
		if u.State == Missing {
			n++
		}
	}
	return n
}
