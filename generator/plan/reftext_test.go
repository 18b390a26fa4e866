package plan

import (
	"os"
	"strings"
	"testing"
)

// docsContent is the reference in the repository, made by ReferenceText.
const docsContent = "../../docs/content.md"

// TestDocsContentUpToDate checks that docs/content.md is the text
// `checkgen help content` prints; -update rewrites it.
func TestDocsContentUpToDate(t *testing.T) {
	text, ok := ReferenceText("content")
	if !ok {
		t.Fatal(`ReferenceText("content") = false`)
	}
	if *update {
		if err := os.WriteFile(docsContent, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(docsContent)
	if err != nil {
		t.Fatalf("%v (go test ./generator/plan -run Docs -update writes it)", err)
	}
	if string(got) != text {
		t.Errorf("%s differs from the reference: go test ./generator/plan -run Docs -update rewrites it", docsContent)
	}
}

// TestReferenceTextComplete checks that the reference names every key of
// every table, and that each topic is part of "content".
func TestReferenceTextComplete(t *testing.T) {
	all, _ := ReferenceText("content")
	var walk func(where string, tab *Table)
	walk = func(where string, tab *Table) {
		if tab.Header != "" && tab.Header != "sign entry" && !strings.Contains(all, "### "+tab.Header) {
			t.Errorf("the reference has no section %s", tab.Header)
		}
		for _, k := range tab.Keys {
			if !strings.Contains(all, "`"+k.Name) {
				t.Errorf("the reference does not name %s %s", where, k.Name)
			}
			if k.Table != nil {
				walk(where+" "+k.Name, k.Table)
			}
		}
	}
	for _, f := range Reference() {
		walk(f.Path, f.Root)
	}
	for _, topic := range Topics() {
		text, ok := ReferenceText(topic.Name)
		if !ok || !strings.Contains(all, strings.TrimSpace(text)) {
			t.Errorf("topic %s: ok %v, or its text is not part of the content reference", topic.Name, ok)
		}
	}
	if _, ok := ReferenceText("nonsense"); ok {
		t.Error(`ReferenceText("nonsense") = true`)
	}
}
