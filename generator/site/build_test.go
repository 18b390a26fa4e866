package site_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"checkgen/generator"
	"checkgen/generator/site"
)

// TestBuiltExample builds the example as `make build` does, every format,
// and checks the links of the whole result: the pages' links to the PDF
// and XLSX of each level and unit must find those files.
func TestBuiltExample(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	res, err := generator.Build(generator.Options{Site: "../..", Dest: dest})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	files := site.Tree(t, dest)
	if n := site.CheckLinks(t, files); n < 5000 {
		t.Errorf("only %d links checked", n)
	}
	for _, u := range res.Model.Units {
		page := string(files["units/"+u.Code+"/index.html"])
		calendar := fmt.Sprintf("calendars/%s-%04d%02d%02d.ics", u.Checklist.Version, u.Day.Year, u.Day.Month, u.Day.Day)
		if _, ok := files[calendar]; !ok {
			t.Errorf("units/%s/index.html: no %s", u.Code, calendar)
		}
		for _, want := range []string{`href="../../pdf/units/` + u.Code + `.pdf"`, `href="../../xlsx/units/` + u.Code + `.xlsx"`, `href="../../` + calendar + `"`} {
			if !strings.Contains(page, want) {
				t.Errorf("units/%s/index.html lacks %s", u.Code, want)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "calendar.ics")); err != nil {
		t.Error(err)
	}
}
