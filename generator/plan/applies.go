package plan

import "strings"

// Applies says, for a level's blank papers, which of the level's units a
// task is limited to, one line each: its plan's scope (unit names), its
// when tags and its unless tags, under the site's labels. Nil when the
// task applies to every unit of its levels. The HTML level page and the
// level PDF print the same lines.
func (m *Model) Applies(t *Task) []string {
	var out []string
	if len(t.Plan.Scope) > 0 {
		names := make([]string, 0, len(t.Plan.Scope))
		for _, code := range t.Plan.Scope {
			if u := m.Unit(code); u != nil {
				names = append(names, u.Name)
			} else {
				names = append(names, code)
			}
		}
		out = append(out, m.Label("when")+": "+strings.Join(names, "; "))
	}
	if len(t.When) > 0 {
		out = append(out, m.Label("when")+": "+strings.Join(t.When, ", "))
	}
	if len(t.Unless) > 0 {
		out = append(out, m.Label("unless")+": "+strings.Join(t.Unless, ", "))
	}
	return out
}
