package pdf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"checkgen/generator/fixture"
	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// TestLimitPrinted: an implementing task prints the statutory due as its
// limit (issue 12 item 5), on the form of every unit where both reach.
func TestLimitPrinted(t *testing.T) {
	m, err := plan.Open(fixture.Example(t))
	if err != nil {
		t.Fatal(err)
	}
	// The first unit whose checklist has an entry that carries out a
	// statutory task with a due (Quảng Ninh's set-up tasks, content/).
	var unit *plan.Unit
	var entry *plan.Entry
	for _, u := range m.Units {
		for _, e := range u.Checklist.Entries {
			if e.Also != nil && e.Limit != nil && unit == nil {
				unit, entry = u, e
			}
		}
	}
	if unit == nil {
		t.Fatal("no entry of the example carries out a statutory task with a limit")
	}
	dest := filepath.Join(t.TempDir(), "public")
	out, err := output.Stage(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Abort()
	if err := Render(m, out, Options{Units: []*plan.Unit{unit}}); err != nil {
		t.Fatal(err)
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dest, "pdf", "units", unit.Code+".pdf"))
	if err != nil {
		t.Fatal(err)
	}
	text := squeeze(strings.Join(pageTexts(t, b), "\n"))
	// The label as the Vietnamese site names it, and the day as dd/mm/yyyy.
	want := "Hạn luật định: " + entry.Limit.Date.Time().Format("02/01/2006")
	if !strings.Contains(text, want) {
		t.Errorf("unit %s: the PDF lacks %q for %s (carrying out %s)", unit.Code, want, entry.Task.Key(), entry.Also.Key())
	}
}
