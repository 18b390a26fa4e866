package generator

import (
	"strings"
	"testing"
	"testing/fstest"

	"checkgen/generator/plan"
)

// TestCheckRawHTML: raw HTML in a task's details or a plan's summary,
// which the pages drop, is a warning at the key that holds it, for html
// builds and check alike; Markdown and autolinks are not.
func TestCheckRawHTML(t *testing.T) {
	fsys := fstest.MapFS{
		"content/site.toml":   {Data: []byte("title = \"T\"\nelection_day = 2021-05-23\n[[level]]\nid = \"province\"\nname = \"P\"\n")},
		"content/bodies.toml": {Data: []byte("[[body]]\nid = \"c\"\nname = \"C\"\n")},
		"content/plans/p.toml": {Data: []byte("number = \"1\"\ntitle = \"P\"\nsummary = \"See <https://example.org> and **this**.\"\n" +
			"[[task]]\nid = \"a\"\ntitle = \"A\"\nlevels = [\"province\"]\nresponsible = \"c\"\n" +
			"details = \"\"\"\nRead this:\n\n<div class=\"x\">dropped</div>\n\"\"\"\n" +
			"[[task]]\nid = \"b\"\ntitle = \"B\"\nlevels = [\"province\"]\nresponsible = \"c\"\n" +
			"details = \"A <b>bold</b> word.\"\n")},
	}
	m, err := plan.Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, formats := range [][]string{nil, {"html"}} {
		list, err := Check(m, m.Units, formats)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			`content/plans/p.toml:9:11: warning: details holds raw HTML (<div class="x">dropped</div>)`,
			`content/plans/p.toml:19:11: warning: details holds raw HTML (<b>)`,
		}
		got := list.Error()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("Check(%v) =\n%s\nwant a line starting %q", formats, got, w)
			}
		}
		if len(list) != len(want) {
			t.Errorf("Check(%v) = %d warnings, want %d (the summary's autolink and bold are Markdown):\n%s", formats, len(list), len(want), got)
		}
	}
	list, err := Check(m, m.Units, []string{"pdf"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 0 {
		t.Errorf("Check(pdf) = %v: a PDF-only build drops no HTML", list)
	}
}
