package plan

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

// reuseUnits links the model's units, which are copies of the units of
// the model prev was resolved from, as prev's are, and gives them and the
// levels prev's election days and heads (heads are never changed once
// made, so models share them).
func (r *resolver) reuseUnits(prev *Model) {
	m := r.m
	m.units = make(map[string]*Unit, len(m.Units))
	for _, u := range m.Units {
		m.units[u.Code] = u
	}
	for i, u := range m.Units {
		p := prev.Units[i]
		if p.LevelRef != nil {
			u.LevelRef = m.Levels[p.LevelRef.Index]
			u.LevelRef.Units = append(u.LevelRef.Units, u)
		}
		if p.ParentUnit != nil {
			u.ParentUnit = m.units[p.ParentUnit.Code]
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
			if u := m.units[code]; u != nil {
				add(set, u)
			}
		}
		in[p] = set
	}
	return in
}
