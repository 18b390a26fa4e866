package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"checkgen/generator/schema"
)

// `checkgen help content` prints docs/content.md, the reference made from
// the same source.
func TestHelpContentIsTheReference(t *testing.T) {
	want, err := os.ReadFile("../../docs/content.md")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCheckgen(t, "help", "content")
	if code != exitOK || errOut != "" {
		t.Fatalf("checkgen help content: exit %d, stderr %q", code, errOut)
	}
	if out != string(want) {
		t.Errorf("checkgen help content differs from docs/content.md")
	}
	for _, key := range []string{"evidence", "start", "support", "scope", "issuer", "source", "summary", "[workbook]", "return_by", "implements"} {
		if !strings.Contains(out, key) {
			t.Errorf("checkgen help content does not mention %s", key)
		}
	}
}

func TestHelpTopics(t *testing.T) {
	for _, tc := range []struct {
		topic string
		want  []string
	}{
		{"deadlines", []string{"## Deadlines", `"E-70 17:00"`}},
		{"units", []string{"## units.toml", "units.csv", "`parent = "}},
		{"forms", []string{"## Official papers", "{NAME:LEVEL}", "`rule = "}},
		// report is a command and a topic: its usage, then the topic.
		{"report", []string{"Usage: checkgen report", "## Returning filled sheets", "return_by"}},
	} {
		code, out, errOut := runCheckgen(t, "help", tc.topic)
		if code != exitOK || errOut != "" {
			t.Errorf("checkgen help %s: exit %d, stderr %q", tc.topic, code, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("checkgen help %s does not print %q:\n%s", tc.topic, w, out)
			}
		}
	}
	code, _, errOut := runCheckgen(t, "help", "deadlnes")
	if code != exitUsage || !strings.Contains(errOut, `did you mean "deadlines"?`) {
		t.Errorf("checkgen help deadlnes: exit %d, stderr %q; want 2 and a suggestion", code, errOut)
	}
}

// `checkgen schema -o DIR` writes the schemas; init writes them into the
// new site's schema/, where its files' #:schema lines point.
func TestSchemaAndInit(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "s")
	if code, _, errOut := runCheckgen(t, "schema", "-o", out); code != exitOK {
		t.Fatalf("checkgen schema -o: exit %d: %s", code, errOut)
	}
	for _, f := range schema.All() {
		got, err := os.ReadFile(filepath.Join(out, f.Name))
		if err != nil || !bytes.Equal(got, f.Data) {
			t.Errorf("%s: %v, or not the schema", f.Name, err)
		}
	}
	site := filepath.Join(dir, "site")
	if code, _, errOut := runCheckgen(t, "init", site); code != exitOK {
		t.Fatalf("checkgen init: exit %d: %s", code, errOut)
	}
	n := 0
	err := filepath.WalkDir(filepath.Join(site, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".toml" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		first, _, _ := strings.Cut(string(b), "\n")
		ref, ok := strings.CutPrefix(first, "#:schema ")
		if !ok {
			t.Errorf("%s starts with %q, want a #:schema line", p, first)
			return nil
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), filepath.FromSlash(ref))); err != nil {
			t.Errorf("%s names %s: %v", p, ref, err)
		}
		n++
		return nil
	})
	if err != nil || n < 4 {
		t.Errorf("checked %d starter files (%v), want 4", n, err)
	}
}
