package generator

import (
	"path"
	"strings"
	"testing"
)

// TestOutputSetDirListsOutputs: every file a folder listing of the
// OutputSet shows is an output (no unit calendar is listed since unit
// calendars are shared under calendars/).
func TestOutputSetDirListsOutputs(t *testing.T) {
	site := copyExample(t)
	m, err := Open(site)
	if err != nil {
		t.Fatal(err)
	}
	set, err := NewOutputSet(m, Options{Site: site, SourceDateEpoch: "1620000000"})
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	var walk func(dir string)
	walk = func(dir string) {
		entries, ok, err := set.Dir(dir)
		if err != nil || !ok {
			t.Fatalf("Dir(%q) = %v, %v", dir, ok, err)
		}
		for _, e := range entries {
			p := path.Join(dir, strings.TrimSuffix(e, "/"))
			if strings.HasSuffix(e, "/") {
				walk(p)
				continue
			}
			files++
			if _, ok, err := set.Output(p); !ok || err != nil {
				t.Errorf("Dir(%q) lists %s, but Output(%q) = %v, %v", dir, e, p, ok, err)
			}
		}
	}
	walk(".")
	if files < len(m.Units) {
		t.Errorf("%d files listed, fewer than the units", files)
	}
}
