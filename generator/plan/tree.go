package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
)

// This file saves a Loader's resolve the steps that depend only on
// site.toml and the units files, the costliest on a site of 100,000
// units: linking units to their parents and levels, and resolving their
// heads. After a plan edit they are taken from the last good model.

// treeSource is the parts of a set the units' links and heads depend on.
type treeSource struct{ site, unitsTOML, unitsCSV *Set }

// treeSource returns the parts the set's site and units came from, or
// ok false for a set not loaded by a Loader.
func (s *Set) treeSource() (treeSource, bool) {
	if s.from == nil || s.from[SiteFile] == nil {
		return treeSource{}, false
	}
	return treeSource{s.from[SiteFile], s.from[UnitsFile], s.from[UnitsCSV]}, true
}

// unitTree is how the units of a model link, by their indexes in
// Model.Units: models of one Loader whose units link alike share it
// (it is never changed once made), so that a resolve that reuses the
// last model's links looks up no code.
type unitTree struct {
	index    map[string]int32 // of each unit, by code
	parent   []int32          // of each unit's parent, -1 for a top unit
	children []int32          // the number of each unit's children
}

// newUnitTree returns the tree of the model m, which has no errors.
func newUnitTree(m *Model) *unitTree {
	t := &unitTree{index: make(map[string]int32, len(m.Units)), parent: make([]int32, len(m.Units)), children: make([]int32, len(m.Units))}
	for i, u := range m.Units {
		t.index[u.Code] = int32(i)
	}
	for i, u := range m.Units {
		t.parent[i] = -1
		if u.ParentUnit != nil {
			p := t.index[u.ParentUnit.Code]
			t.parent[i] = p
			t.children[p]++
		}
	}
	return t
}

// reuseUnits links the model's units, which are copies of the units of
// the model prev was resolved from, as prev's are, and gives them and the
// levels prev's election days and heads (heads are never changed once
// made, so models share them).
func (r *resolver) reuseUnits(prev *Model) {
	m := r.m
	t := prev.tree
	if t == nil {
		t = newUnitTree(prev)
	}
	m.tree, m.units = t, nil
	// Each unit's children in one array, each unit's slice of it as long as
	// its children: the slices of a fresh resolve, without their growth.
	kids := make([]*Unit, len(m.Units))
	next := 0
	for i, l := range m.Levels {
		l.Units = make([]*Unit, 0, len(prev.Levels[i].Units))
	}
	for i, u := range m.Units {
		if n := int(t.children[i]); n > 0 {
			u.Children = kids[next : next : next+n]
			next += n
		}
	}
	for i, u := range m.Units {
		p := prev.Units[i]
		if p.LevelRef != nil {
			u.LevelRef = m.Levels[p.LevelRef.Index]
			u.LevelRef.Units = append(u.LevelRef.Units, u)
		}
		if k := t.parent[i]; k >= 0 {
			u.ParentUnit = m.Units[k]
			u.ParentUnit.Children = append(u.ParentUnit.Children, u)
		} else {
			m.Roots = append(m.Roots, u)
		}
		u.Day, u.depth, u.Head = p.Day, p.depth, p.Head
	}
	for i, l := range m.Levels {
		l.Head = prev.Levels[i].Head
	}
}

// levelDay is a level and an election day.
type levelDay struct {
	level *Level
	day   Date
}

// everyUnit returns the levels each of whose tasks applies to every unit
// of the level: no task has when or unless tags, none is of a plan with a
// scope.
func everyUnit(levelTasks map[string][]*Task, scopes map[*Plan]map[string]bool) map[string]bool {
	every := map[string]bool{}
	for l, tasks := range levelTasks {
		every[l] = true
		for _, t := range tasks {
			if len(t.When) > 0 || len(t.Unless) > 0 || scopes[t.Plan] != nil {
				every[l] = false
				break
			}
		}
	}
	return every
}

// levelMask is a level, an election day and the set of the level's tasks
// that apply, one bit each.
type levelMask struct {
	level *Level
	day   Date
	mask  string
}

// inScope returns, for each plan with a scope, the units inside it: the
// units of its scope and their descendants.
func inScope(m *Model, scopes map[*Plan]map[string]bool) map[*Plan]map[*Unit]bool {
	in := make(map[*Plan]map[*Unit]bool, len(scopes))
	var add func(set map[*Unit]bool, u *Unit)
	add = func(set map[*Unit]bool, u *Unit) {
		if set[u] {
			return
		}
		set[u] = true
		for _, c := range u.Children {
			add(set, c)
		}
	}
	for p, scope := range scopes {
		set := map[*Unit]bool{}
		for code := range scope {
			if u := m.Unit(code); u != nil {
				add(set, u)
			}
		}
		in[p] = set
	}
	return in
}

// unitGroups says which units of a model share a checklist because the
// same tasks apply to them on the same day: the group of each unit (by
// its index in Model.Units; -1 for none) and a unit of each group. A
// resolve that reuses the units of the last model (see reuseUnits), when
// no task changed what decides where it applies, builds one checklist per
// group instead of finding the tasks of every unit again.
type unitGroups struct {
	conditions string  // see conditions
	of         []int32 // by unit
	reps       []int32 // by group: a unit of it
}

// conditions hashes what decides which tasks apply to which units: each
// task's key and levels, its when and unless tags, and its plan's scope.
func conditions(tasks []*Task) string {
	h := sha256.New()
	for _, t := range tasks {
		field(h, "task", t.Key(), t.From)
		field(h, "levels", t.Levels...)
		field(h, "when", t.When...)
		field(h, "unless", t.Unless...)
		field(h, "scope", t.Plan.Scope...)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// unitChecklists gives every unit of a level the checklist of the tasks
// of levelTasks that apply to it (see applies), at its election day; build
// makes (or finds) a checklist. Units with the same level, day and tasks
// share one: a level whose tasks all apply to every unit has one per day.
func (r *resolver) unitChecklists(levelTasks map[string][]*Task, scopes map[*Plan]map[string]bool, build func(*Level, Date, []*Task) *Checklist) {
	m := r.m
	in := inScope(m, scopes)
	levelIn := map[string][]map[*Unit]bool{} // in[t.Plan] of each task of levelTasks
	for l, ts := range levelTasks {
		for _, t := range ts {
			levelIn[l] = append(levelIn[l], in[t.Plan])
		}
	}
	var tasks []*Task
	var mask []byte
	// tasksOf finds the tasks that apply to u, and the bits of their
	// places in levelTasks[u.Level].
	tasksOf := func(u *Unit) {
		tasks, mask = tasks[:0], mask[:0]
		ins := levelIn[u.Level]
		var lastPlan *Plan // the tasks of a plan come together: look the unit up once
		inLast := false
		for i, t := range levelTasks[u.Level] {
			if i%8 == 0 {
				mask = append(mask, 0)
			}
			if in := ins[i]; in != nil {
				if t.Plan != lastPlan {
					lastPlan, inLast = t.Plan, in[u]
				}
				if !inLast {
					continue
				}
			}
			if applies(t, u, nil) {
				tasks = append(tasks, t)
				mask[i/8] |= 1 << (i % 8)
			}
		}
	}
	cond := conditions(m.Tasks)
	if g := r.prev; g != nil && g.groups.conditions == cond {
		lists := make([]*Checklist, len(g.groups.reps))
		for i, rep := range g.groups.reps {
			u := m.Units[rep]
			tasksOf(u)
			lists[i] = build(u.LevelRef, u.Day, tasks)
		}
		for i, u := range m.Units {
			if k := g.groups.of[i]; k >= 0 {
				u.Checklist = lists[k]
			}
		}
		m.groups = g.groups // never changed: models share it
		return
	}
	every := everyUnit(levelTasks, scopes)
	groups := unitGroups{conditions: cond, of: make([]int32, len(m.Units))}
	var lists []*Checklist
	newGroup := func(i int, tasks []*Task) int32 {
		u := m.Units[i]
		lists = append(lists, build(u.LevelRef, u.Day, tasks))
		groups.reps = append(groups.reps, int32(i))
		return int32(len(lists) - 1)
	}
	byDay := map[levelDay]int32{}
	byMask := map[levelMask]int32{}
	for i, u := range m.Units {
		groups.of[i] = -1
		if u.LevelRef == nil { // (no two units have one code: that is an error)
			continue
		}
		var id int32
		var ok bool
		if every[u.Level] {
			k := levelDay{u.LevelRef, u.Day}
			if id, ok = byDay[k]; !ok {
				id = newGroup(i, levelTasks[u.Level])
				byDay[k] = id
			}
		} else {
			tasksOf(u)
			k := levelMask{u.LevelRef, u.Day, string(mask)}
			if id, ok = byMask[k]; !ok {
				id = newGroup(i, tasks)
				byMask[k] = id
			}
		}
		groups.of[i] = id
		u.Checklist = lists[id]
	}
	m.groups = groups
}

// sameShape reports whether two lists of units (of two loads of one
// site) link alike: the same codes, parents, levels, election days, tags
// and forms, in the same order. It returns which units changed their name
// or place, the only other values a unit has.
func sameShape(before, after []*Unit) ([]bool, bool) {
	if len(before) != len(after) {
		return nil, false
	}
	renamed := make([]bool, len(after))
	for i, a := range after {
		b := before[i]
		if a == b {
			continue // a row of units.csv the loader kept (csvmemo.go)
		}
		sameDay := a.ElectionDay == b.ElectionDay || a.ElectionDay != nil && b.ElectionDay != nil && *a.ElectionDay == *b.ElectionDay
		if a.Code != b.Code || a.Parent != b.Parent || a.Level != b.Level || !sameDay || a.Form != b.Form || !slices.Equal(a.Tags, b.Tags) {
			return nil, false
		}
		renamed[i] = a.Name != b.Name || a.Place != b.Place
	}
	return renamed, true
}

// below returns which units of the model are marked in marked or lie
// below one that is, by index: a head names the unit's ancestors. The
// model's units are linked by reuseUnits.
func (r *resolver) below(marked []bool) []bool {
	m := r.m
	out := make([]bool, len(m.Units))
	var mark func(i int32)
	mark = func(i int32) {
		if out[i] {
			return
		}
		out[i] = true
		for _, c := range m.Units[i].Children {
			mark(m.tree.index[c.Code])
		}
	}
	for i, ok := range marked {
		if ok {
			mark(int32(i))
		}
	}
	return out
}
