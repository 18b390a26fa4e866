//go:build e2e

package schema

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"checkgen/generator/starter"
)

// taplo finds Taplo's CLI, the validator behind VS Code's Even Better TOML:
// $TAPLO, else taplo on the PATH. .ci/run installs it from npm.
func taplo(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TAPLO"); p != "" {
		return p
	}
	p, err := exec.LookPath("taplo")
	if err != nil {
		t.Fatalf("Taplo is not installed: %v (npm install --prefix ~/.cache/checkgen-taplo @taplo/cli, then TAPLO=~/.cache/checkgen-taplo/node_modules/.bin/taplo)", err)
	}
	return p
}

// taploCheck runs taplo check on files, each validated against the schema
// its own "#:schema" line names, as an editor does, offline.
func taploCheck(t *testing.T, dir string, files ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(taplo(t), append([]string{"check", "--no-auto-config", "--colors", "never"}, files...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// writeSite writes the starter site and the schemas into dir, as checkgen
// init does.
func writeSite(t *testing.T, dir string) {
	t.Helper()
	if err := os.CopyFS(dir, starter.FS()); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "schema"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range All() {
		if err := os.WriteFile(filepath.Join(dir, "schema", f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func tomlFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := fs.WalkDir(os.DirFS(root), "content", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".toml") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestTaploExamples: Taplo validates every file of the example site (with
// the repository's schema/) and of a starter site as checkgen init writes
// it, through the files' own #:schema lines.
func TestTaploExamples(t *testing.T) {
	starterDir := t.TempDir()
	writeSite(t, starterDir)
	for _, root := range []string{"../..", starterDir} {
		files := tomlFiles(t, root)
		if len(files) < 4 {
			t.Fatalf("%s: %d content files", root, len(files))
		}
		if out, err := taploCheck(t, root, files...); err != nil {
			t.Errorf("taplo check in %s: %v\n%s", root, err, out)
		}
	}
}

// TestTaploRejects: Taplo refuses each bad file with a message naming the
// mistake. (A date in quotes is a string to Taplo: only checkgen check
// refuses "2021-05-23"; a day-first date is refused by both.)
func TestTaploRejects(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir)
	const site = "#:schema ../schema/site.schema.json\ntitle = \"T\"\nelection_day = 2021-05-23\n[[level]]\nid = \"province\"\nname = \"P\"\n"
	const plan = "#:schema ../../schema/plan.schema.json\nnumber = \"1\"\ntitle = \"P\"\n[[task]]\nid = \"a\"\ntitle = \"A\"\nlevels = [\"province\"]\nresponsible = \"committee\"\n"
	type bad struct{ name, kind, src, want string }
	cases := []bad{
		{"unknown key", "site", site + "bulding = \"x\"\n", "'bulding' was unexpected"},
		{"unknown task key", "plan", plan + "respnsible = \"x\"\n", "'respnsible' was unexpected"},
		{"wrong type", "plan", plan + "items = \"Hòm phiếu\"\n", `is not of type "array"`},
		{"[task] for [[task]]", "plan", "#:schema ../../schema/plan.schema.json\nnumber = \"1\"\ntitle = \"P\"\n[task]\nid = \"a\"\n", `is not of type "array"`},
		{"bad id pattern", "site", strings.Replace(site, `"province"`, `"Province"`, 1), "does not match"},
		{"bad relative due", "plan", plan + "due = \"E-1d\"\n", "is not valid under any of the schemas"},
		{"day-first quoted date", "site", strings.Replace(site, "2021-05-23", `"23/05/2021"`, 1), `is not a "date"`},
		{"unknown language", "site", strings.Replace(site, "title", "language = \"fr\"\ntitle", 1), "is not one of"},
		{"missing key", "plan", strings.Replace(plan, "responsible = \"committee\"\n", "", 1), `"responsible" is a required property`},
	}
	// One run over every bad file (Taplo starts slowly), each in its own
	// folder two levels below the schemas, as a plan file is.
	var files []string
	for i, tc := range cases {
		name := filepath.Join("bad", strconv.Itoa(i), "x.toml")
		src := strings.Replace(tc.src, "#:schema ../schema/", "#:schema ../../schema/", 1)
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	out, err := taploCheck(t, dir, files...)
	if err == nil {
		t.Fatalf("taplo check passed every bad file:\n%s", out)
	}
	// Taplo prints "error: MESSAGE" then "┌─ PATH:LINE:COL".
	got := map[string][]string{}
	lines := strings.Split(out, "\n")
	for i := 0; i+1 < len(lines); i++ {
		msg, ok := strings.CutPrefix(lines[i], "error: ")
		if !ok {
			continue
		}
		if _, at, ok := strings.Cut(lines[i+1], "┌─ "); ok {
			file, _, _ := strings.Cut(at, ".toml:")
			n := filepath.Base(filepath.Dir(file)) // bad/N/x.toml
			got[n] = append(got[n], msg)
		}
	}
	for i, tc := range cases {
		msgs := got[strconv.Itoa(i)]
		if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, tc.want) }) {
			t.Errorf("%s: taplo says %q, want %q", tc.name, msgs, tc.want)
		}
	}
}
