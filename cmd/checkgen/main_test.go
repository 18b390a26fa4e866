package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// runCheckgen runs the command in-process and returns its exit status and output.
func runCheckgen(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

// writeSite writes files (path -> text) under a new temp dir.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// starterSite writes the starter site with `checkgen init` and returns its dir.
func starterSite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if code, _, stderr := runCheckgen(t, "init", dir); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	return dir
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string // in stdout+stderr
	}{
		{nil, exitUsage, "Usage:"},
		{[]string{"-h"}, exitOK, "Commands:\n  build "},
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{[]string{"check", "-h"}, exitOK, "Usage: checkgen check"},
		{[]string{"build", "-h"}, exitOK, "--only"},
		{[]string{"serve", "-h"}, exitOK, "Usage: checkgen serve"},
		{[]string{"report", "-h"}, exitOK, "Usage: checkgen report"},
		{[]string{"init", "-h"}, exitOK, "Usage: checkgen init"},
		{[]string{"version", "-h"}, exitOK, "Usage: checkgen version"},
		{[]string{"help", "build"}, exitOK, "Usage: checkgen build"},
		{[]string{"check", "--bogus"}, exitUsage, "flag provided but not defined"},
		{[]string{"check", "extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"init"}, exitUsage, "exactly one directory"},
		{[]string{"build", "-s", "../..", "--formats", "doc"}, exitUsage, `unknown format "doc"`},
		{[]string{"version"}, exitOK, "checkgen 0.1.0"},
	}
	for _, tt := range tests {
		code, out, errOut := runCheckgen(t, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("checkgen %q: exit %d, output %q; want exit %d and %q", tt.args, code, out+errOut, tt.code, tt.want)
		}
	}
}

func TestCheckExample(t *testing.T) {
	code, out, errOut := runCheckgen(t, "check", "-s", "../..")
	if code != exitOK {
		t.Fatalf("check of the example: exit %d\n%s", code, errOut)
	}
	if !strings.HasPrefix(out, "ok: 6 plans, ") || !strings.Contains(out, "4 levels, ") || !strings.HasSuffix(out, "0 warnings\n") || strings.Count(out, "\n") != 1 {
		t.Errorf("check output = %q, want one line of counts", out)
	}
}

func TestCheckErrors(t *testing.T) {
	dir := starterSite(t)
	plan := filepath.Join(dir, "content/plans/preparation.toml")
	b, _ := os.ReadFile(plan)
	bad := strings.Replace(string(b), `levels      = ["district"]`, `levels      = ["precinct"]`, 1)
	bad = strings.Replace(bad, `responsible = "station-team"`, `responsible = "nobody"`, 1)
	os.WriteFile(plan, []byte(bad), 0o644)
	code, out, errOut := runCheckgen(t, "check", "-s", dir)
	if code != exitContent {
		t.Fatalf("exit %d, want %d", code, exitContent)
	}
	want := []string{
		`content/plans/preparation.toml:14:16: unknown level "precinct" (levels: city, district, station)`,
		`content/plans/preparation.toml:35:15: unknown body "nobody": define it in content/bodies.toml`,
		"2 errors",
	}
	if got := strings.Split(strings.TrimSpace(errOut), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", errOut, strings.Join(want, "\n"))
	}
	if out != "" {
		t.Errorf("stdout = %q, want nothing", out)
	}
}

func TestCheckNoContent(t *testing.T) {
	code, _, errOut := runCheckgen(t, "check", "-s", t.TempDir())
	if code != exitContent || !strings.Contains(errOut, "checkgen init") {
		t.Errorf("exit %d, %q: want 1 and a hint to run checkgen init", code, errOut)
	}
}

func TestInit(t *testing.T) {
	dir := starterSite(t)
	if code, out, errOut := runCheckgen(t, "check", "-s", dir); code != exitOK {
		t.Fatalf("the starter site does not pass check: %s%s", out, errOut)
	}
	code, _, errOut := runCheckgen(t, "init", dir)
	if code != exitContent || !strings.Contains(errOut, "already has a content/ directory") {
		t.Errorf("init over an existing site: exit %d, %q", code, errOut)
	}
}

// TestBuildFailureLeavesDest checks that a build with content errors writes
// nothing and leaves an earlier build exactly as it was.
func TestBuildFailureLeavesDest(t *testing.T) {
	dir := starterSite(t)
	dest := filepath.Join(t.TempDir(), "public")
	if code, _, errOut := runCheckgen(t, "build", "-s", dir, "-d", dest, "--formats", "html"); code != exitOK {
		t.Fatalf("first build: exit %d: %s", code, errOut)
	}
	before := snapshot(t, dest)
	manifest, err := os.ReadFile(filepath.Join(filepath.Dir(dest), ".public.manifest"))
	if err != nil {
		t.Fatalf("no manifest beside the destination: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "content/units.toml"), []byte("[[unit]]\ncode = \"../escape\"\nname = \"x\"\nlevel = \"city\"\n"), 0o644)
	code, _, errOut := runCheckgen(t, "build", "-s", dir, "-d", dest, "--formats", "html")
	if code != exitContent || !strings.Contains(errOut, `malformed unit code "../escape"`) {
		t.Fatalf("bad build: exit %d: %s", code, errOut)
	}
	if after := snapshot(t, dest); after != before {
		t.Error("a failed build changed the destination")
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	for _, e := range entries {
		if e.Name() != "public" && e.Name() != ".public.manifest" {
			t.Errorf("a failed build left %s beside the destination", e.Name())
		}
	}
	if after, _ := os.ReadFile(filepath.Join(filepath.Dir(dest), ".public.manifest")); string(after) != string(manifest) {
		t.Error("a failed build changed the manifest")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "escape")); err == nil {
		t.Error("a unit code escaped the destination")
	}
}

func TestBuildReproducible(t *testing.T) {
	dir := starterSite(t)
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	for _, dest := range []string{a, b} {
		if code, _, errOut := runCheckgen(t, "build", "-s", dir, "-d", dest); code != exitOK {
			t.Fatalf("build: exit %d: %s", code, errOut)
		}
	}
	if snapshot(t, a) != snapshot(t, b) {
		t.Error("two builds of the same content differ")
	}
	for _, f := range []string{"data/site.json", "data/units/RV-N-02.json"} {
		if _, err := os.Stat(filepath.Join(a, f)); err != nil {
			t.Errorf("build did not write %s", f)
		}
	}
}

// snapshot lists every file under dir with its bytes.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		b.WriteString(rel + "\n" + string(data) + "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestBuildOnly builds one unit and the units below it.
func TestBuildOnly(t *testing.T) {
	dir := starterSite(t)
	dest := filepath.Join(t.TempDir(), "public")
	code, _, errOut := runCheckgen(t, "build", "-s", dir, "-d", dest, "--only", "RV-N-02")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for rel, want := range map[string]bool{
		"units/RV-N-02/index.html": true, "pdf/units/RV-N-02.pdf": true, "xlsx/units/RV-N-02.xlsx": true,
		"units/RV-N-01/index.html": false, "pdf/units/RV-N.pdf": false, "xlsx/units/RV.xlsx": false,
		"index.html": true, "pdf/levels/station.pdf": true,
	} {
		_, err := os.Stat(filepath.Join(dest, rel))
		if got := err == nil; got != want {
			t.Errorf("--only RV-N-02: %s exists = %v, want %v", rel, got, want)
		}
	}
	code, _, errOut = runCheckgen(t, "build", "-s", dir, "-d", dest, "--only", "RV-N-02,NOPE")
	if code != exitContent || !strings.Contains(errOut, "unknown unit code NOPE") {
		t.Errorf("--only with an unknown code: exit %d, %q", code, errOut)
	}
}

// TestProgress: the line names the stage, units done of total, the rate
// and the time left, and is rewritten at most ten times a second.
func TestProgress(t *testing.T) {
	var buf strings.Builder
	now := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	p := newProgress(&buf, func() time.Time { return now })
	p.update("html", 0, 1000)
	now = now.Add(2 * time.Second)
	p.update("html", 500, 1000)
	now = now.Add(50 * time.Millisecond)
	p.update("html", 510, 1000) // too soon: not written
	now = now.Add(2 * time.Second)
	p.update("html", 1000, 1000)
	p.update("pdf", 0, 1000)
	now = now.Add(10 * time.Second)
	p.update("pdf", 250, 1000)
	lines := strings.Split(strings.ReplaceAll(buf.String(), "\033[K", ""), "\r")[1:]
	want := []string{
		"html: 0 of 1000 units",
		"html: 500 of 1000 units, 250/s, 2s left",
		"html: 1000 of 1000 units, 247/s",
		"pdf: 0 of 1000 units",
		"pdf: 250 of 1000 units, 25/s, 30s left",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("progress lines:\n%q\nwant\n%q", lines, want)
	}
}

// TestBuildQuietWhenNotATerminal: with output to a pipe or file, a build
// prints one line: units, files, time.
func TestBuildQuietWhenNotATerminal(t *testing.T) {
	dir := starterSite(t)
	dest := filepath.Join(t.TempDir(), "public")
	code, out, errOut := runCheckgen(t, "build", "-s", dir, "-d", dest, "--workers", "2")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	re := regexp.MustCompile(`^built 4 of 4 units into .*public in [0-9.]+m?s: (\d+) files, (\d+) written; 1 plan, 6 tasks, 0 warnings\n$`)
	m := re.FindStringSubmatch(out)
	if m == nil || m[1] != m[2] {
		t.Errorf("first build printed %q", out)
	}
	_, out, _ = runCheckgen(t, "build", "-s", dir, "-d", dest)
	if m := re.FindStringSubmatch(out); m == nil || m[2] != "0" {
		t.Errorf("no-change build printed %q, want 0 written", out)
	}
	if code, _, errOut := runCheckgen(t, "build", "-s", dir, "-d", dest, "--workers", "-1"); code != exitUsage || !strings.Contains(errOut, "--workers") {
		t.Errorf("--workers -1: exit %d, %q", code, errOut)
	}
}
