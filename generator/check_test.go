package generator

import (
	"reflect"
	"strings"
	"testing"

	"checkgen/generator/fixture"
	"checkgen/generator/plan"
)

// TestCheckReadsOnly checks that Check lists the content's warnings and
// the PDF's (a task title with an emoji), leaves the model as it was, and
// gives the same list when run again on the same model: warnings no
// longer pile up in Model.Warnings build after build.
func TestCheckReadsOnly(t *testing.T) {
	m, err := plan.Open(fixture.Example(t))
	if err != nil {
		t.Fatal(err)
	}
	var task *plan.Task
	for _, u := range m.Units {
		if u.Checklist != nil && len(u.Checklist.Entries) > 0 {
			task = u.Checklist.Entries[0].Task
			break
		}
	}
	if task == nil {
		t.Fatal("no unit of the example has a task")
	}
	task.Title += " 🗳"
	before := append(plan.ErrorList(nil), m.Warnings...)

	first, err := Check(m, m.Units, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != len(before)+1 || !strings.Contains(first.Error(), "U+1F5F3") {
		t.Errorf("Check = %d warnings, want the content's %d and one for the emoji:\n%v", len(first), len(before), first)
	}
	again, err := Check(m, m.Units, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, first) {
		t.Errorf("Check run again = %v, want %v", again, first)
	}
	if !reflect.DeepEqual(m.Warnings, before) {
		t.Errorf("Check changed Model.Warnings: %v, was %v", m.Warnings, before)
	}
	html, err := Check(m, m.Units, []string{"html"})
	if err != nil {
		t.Fatal(err)
	}
	if len(html) != len(before) {
		t.Errorf("Check for html only = %v, want the content's own %v: no PDF, no PDF warning", html, before)
	}
}
