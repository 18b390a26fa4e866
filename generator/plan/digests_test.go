package plan_test

import (
	"os"
	"sync"
	"testing"

	"checkgen/generator/plan"
)

// TestDigests: the memo gives each unit's and checklist's own Digest,
// from any number of goroutines at once.
func TestDigests(t *testing.T) {
	m, err := plan.Open(os.DirFS(exampleRoot))
	if err != nil {
		t.Fatal(err)
	}
	d := plan.NewDigests()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, u := range m.Units {
				if got, want := d.Unit(u), u.Digest(); got != want {
					t.Errorf("%s: Unit %q, Digest %q", u.Code, got, want)
				}
				if c := u.Checklist; c != nil {
					if got, want := d.Checklist(c), c.Digest(); got != want {
						t.Errorf("%s: Checklist %q, Digest %q", u.Code, got, want)
					}
				}
			}
		}()
	}
	wg.Wait()
	// Two units with different names have different digests.
	if a, b := m.Units[0], m.Units[1]; a.Name != b.Name && d.Unit(a) == d.Unit(b) {
		t.Errorf("%s and %s: one digest", a.Code, b.Code)
	}
}
