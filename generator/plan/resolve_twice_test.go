package plan_test

import (
	"fmt"
	"strings"
	"testing"

	"checkgen/generator/fixture"
	"checkgen/generator/plan"
)

// describe prints what a renderer reads of a model: per level, unit and
// task its resolved links and checklist, one line each.
func describeModel(m *plan.Model) string {
	var b strings.Builder
	for _, l := range m.Levels {
		fmt.Fprintf(&b, "level %s: %d units, checklist %s of %d\n", l.ID, len(l.Units), l.Checklist.Version, len(l.Checklist.Entries))
	}
	for _, u := range m.Units {
		parent := ""
		if u.ParentUnit != nil {
			parent = u.ParentUnit.Code
		}
		level := ""
		if u.LevelRef != nil {
			level = u.LevelRef.ID
		}
		fmt.Fprintf(&b, "unit %s: parent %q level %q day %s, %d children, %d ancestors", u.Code, parent, level, u.Day, len(u.Children), len(u.Ancestors()))
		if u.Checklist != nil {
			fmt.Fprintf(&b, ", checklist %s of %d", u.Checklist.Version, len(u.Checklist.Entries))
			for _, e := range u.Checklist.Entries {
				if e.Also != nil {
					fmt.Fprintf(&b, ", %s also %s", e.Task.Key(), e.Also.Key())
				}
			}
		}
		if h := u.Head; h != nil {
			fmt.Fprintf(&b, ", head %q %q %s %q %q %q %v", h.Left, h.Right, h.Rule, h.Place, h.Number, h.Subject, h.Issued)
		}
		b.WriteByte('\n')
	}
	for _, t := range m.Tasks {
		resp := ""
		if t.ResponsibleBody != nil {
			resp = t.ResponsibleBody.ID
		}
		fmt.Fprintf(&b, "task %s: responsible %q, %d supporting, category %v\n", t.Key(), resp, len(t.SupportBodies), t.CategoryRef != nil)
	}
	fmt.Fprintf(&b, "%d roots, %d timeline entries, %d tasks, %d plans\n", len(m.Roots), len(m.Timeline), len(m.Tasks), len(m.Plans))
	b.WriteString(m.Warnings.Error())
	return b.String()
}

// TestResolveTwice: resolving one loaded set twice gives the same model,
// and the second run leaves the first model as it was (it used to append
// every unit's children, supporting bodies and level units a second time).
func TestResolveTwice(t *testing.T) {
	set, err := plan.Load(fixture.Example(t))
	if err != nil {
		t.Fatal(err)
	}
	m1, err := plan.Resolve(set)
	if err != nil {
		t.Fatal(err)
	}
	first := describeModel(m1)
	m2, err := plan.Resolve(set)
	if err != nil {
		t.Fatal(err)
	}
	if got := describeModel(m2); got != first {
		t.Errorf("second Resolve differs from the first:\n%s", lineDiff(first, got))
	}
	if got := describeModel(m1); got != first {
		t.Errorf("second Resolve changed the first model:\n%s", lineDiff(first, got))
	}
	// The example must exercise what used to double.
	children, support := 0, 0
	for _, u := range m2.Units {
		children += len(u.Children)
	}
	for _, tk := range m2.Tasks {
		support += len(tk.SupportBodies)
	}
	if children != len(m2.Units)-len(m2.Roots) || support == 0 {
		t.Errorf("example: %d children of %d units with %d roots, %d supporting bodies", children, len(m2.Units), len(m2.Roots), support)
	}
	for _, u := range set.Units {
		if u.Children != nil || u.Checklist != nil || u.LevelRef != nil {
			t.Fatalf("Resolve changed the set's unit %s", u.Code)
		}
	}
}

// lineDiff shows the first lines where two descriptions differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "-%s\n+%s\n", wl, gl)
			shown++
		}
	}
	return b.String()
}
