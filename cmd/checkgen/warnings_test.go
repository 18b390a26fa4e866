package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// unprintableSite is the starter site with a task title holding an emoji
// and a task's second evidence holding a CJK ideograph: two texts the PDF
// font (Liberation Serif) cannot print.
func unprintableSite(t *testing.T) string {
	t.Helper()
	dir := starterSite(t)
	name := filepath.Join(dir, "content/plans/preparation.toml")
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, r := range [][2]string{
		{`title       = "Check the station's materials"`, `title       = "Check the station's materials 🗳"`},
		{`evidence    = ["Appointment decision"]`, `evidence    = ["Appointment decision", "Signed list 決"]`},
	} {
		if !strings.Contains(s, r[0]) {
			t.Fatalf("the starter plan no longer has %s", r[0])
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

var warningCount = regexp.MustCompile(`(\d+) warnings?\n$`)

// TestCheckAndBuildWarn checks that check and build print the same
// warnings and count them alike, text the PDF font lacks included (check
// once printed none of those, so it said 0 warnings where build said 2),
// each at the key it is about (once the [[task]] header), and that a
// second build prints them once, not twice.
func TestCheckAndBuildWarn(t *testing.T) {
	dir := unprintableSite(t)
	code, out, checkErr := runCheckgen(t, "check", "-s", dir)
	if code != exitOK {
		t.Fatalf("check: exit %d\n%s", code, checkErr)
	}
	m := warningCount.FindStringSubmatch(out)
	if m == nil || m[1] != "2" {
		t.Errorf("check: %q, want 2 warnings", out)
	}
	// Each at its value: evidence[1] on line 19 after `evidence    = ["Appointment decision", `,
	// the title on line 33 after `title       = `.
	want := []string{
		`content/plans/preparation.toml:19:40: warning: task preparation/appoint-teams: evidence 2 has characters the PDF font cannot print (U+6C7A '決')`,
		`content/plans/preparation.toml:33:15: warning: task preparation/check-materials: the title has characters the PDF font cannot print (U+1F5F3 '🗳')`,
	}
	lines := strings.Split(strings.TrimSuffix(checkErr, "\n"), "\n")
	if len(lines) != len(want) {
		t.Errorf("check printed %d warning lines, want %d:\n%s", len(lines), len(want), checkErr)
	}
	for i := range min(len(lines), len(want)) {
		if !strings.HasPrefix(lines[i], want[i]) {
			t.Errorf("check's warning %d = %q, want %q…", i+1, lines[i], want[i])
		}
	}
	dest := filepath.Join(t.TempDir(), "public")
	for i := 1; i <= 2; i++ {
		code, out, buildErr := runCheckgen(t, "build", "-s", dir, "-d", dest)
		if code != exitOK {
			t.Fatalf("build %d: exit %d\n%s", i, code, buildErr)
		}
		if buildErr != checkErr {
			t.Errorf("build %d printed\n%s\ncheck printed\n%s", i, buildErr, checkErr)
		}
		if m := warningCount.FindStringSubmatch(out); m == nil || m[1] != "2" {
			t.Errorf("build %d: %q, want 2 warnings as check says", i, out)
		}
	}
}
