package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	// The help of --workers names this machine's processor count.
	got = regexp.MustCompile(`\(\d+ here\)`).ReplaceAllString(got, "(N here)")
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the output (go test -run %s -update rewrites it):\n%s", path, t.Name(), lineDiff(string(want), got))
	}
}

// lineDiff lists the lines that differ between want and got.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + itoa(i+1) + ":\n  want " + wl + "\n  got  " + gl + "\n")
		}
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestGoldenHelp(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"help.golden", []string{"--help"}, exitOK},
		{"help-build.golden", []string{"help", "build"}, exitOK},
		{"usage-unknown-command.golden", []string{"bulid"}, exitUsage},
		{"usage-bad-flag.golden", []string{"build", "--formts", "pdf"}, exitUsage},
		{"usage-extra-argument.golden", []string{"check", "extra"}, exitUsage},
		{"completion-bash.golden", []string{"completion", "bash"}, exitOK},
		{"completion-zsh.golden", []string{"completion", "zsh"}, exitOK},
		{"completion-fish.golden", []string{"completion", "fish"}, exitOK},
		{"completion-powershell.golden", []string{"completion", "powershell"}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCheckgen(t, tt.args...)
			if code != tt.code {
				t.Errorf("checkgen %q: exit %d, want %d", tt.args, code, tt.code)
			}
			golden(t, tt.name, out+errOut)
		})
	}
}

// A usage error is one line and where to read more, not the whole help.
func TestUsageErrorIsShort(t *testing.T) {
	for _, args := range [][]string{{"build", "--formts", "pdf"}, {"check", "extra"}, {"report"}, {"completion", "tcsh"}} {
		code, out, errOut := runCheckgen(t, args...)
		lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
		if code != exitUsage || out != "" || len(lines) != 2 || !strings.HasPrefix(lines[0], "checkgen "+args[0]+": ") ||
			lines[1] != "Run 'checkgen "+args[0]+" -h' for usage." {
			t.Errorf("checkgen %q: exit %d, stdout %q, stderr %q; want exit 2 and two lines on stderr", args, code, out, errOut)
		}
	}
}

func TestSuggest(t *testing.T) {
	cmds := commandNames()
	tests := []struct{ in, want string }{
		{"bulid", "build"}, {"biuld", "build"}, {"buil", "build"}, {"chek", "check"}, {"sevre", "serve"},
		{"reprot", "report"}, {"versoin", "version"}, {"ini", "init"}, {"comp", "completion"},
		{"deploy", ""}, {"x", ""}, {"", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.in, cmds); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVersionLine(t *testing.T) {
	info := &debug.BuildInfo{Settings: []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "d9858ca39ff7926845427ab315bd8ead723f51d6"},
		{Key: "vcs.modified", Value: "true"},
	}}
	tests := []struct {
		info *debug.BuildInfo
		want string
	}{
		{info, "checkgen 1.2.3 (commit d9858ca39ff7, modified) go1.26.8 windows/amd64"},
		{&debug.BuildInfo{Settings: info.Settings[:2]}, "checkgen 1.2.3 (commit d9858ca39ff7) go1.26.8 windows/amd64"},
		{nil, "checkgen 1.2.3 go1.26.8 windows/amd64"},
	}
	for _, tt := range tests {
		if got := versionLine("1.2.3", tt.info, "go1.26.8", "windows/amd64"); got != tt.want {
			t.Errorf("versionLine = %q, want %q", got, tt.want)
		}
	}
	for _, args := range [][]string{{"version"}, {"--version"}, {"-v"}} {
		code, out, _ := runCheckgen(t, args...)
		if code != exitOK || !regexp.MustCompile(`^checkgen \S+ .*go\d\S* \w+/\w+\n$`).MatchString(out) {
			t.Errorf("checkgen %q: exit %d, %q", args, code, out)
		}
	}
}

// The bash script completes in a real bash: commands, flags, formats.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash on this machine")
	}
	var script bytes.Buffer
	bashCompletion(&script, completionCommands())
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "site", "content"), 0o755)
	os.WriteFile(filepath.Join(dir, "sheet.xlsx"), nil, 0o644)
	tests := []struct {
		words string // the command line; the cursor is on its last word
		want  string // COMPREPLY joined by spaces
	}{
		{"checkgen bu", "build"},
		{"checkgen c", "check completion"},
		{"checkgen build --for", "--formats"},
		{"checkgen build --formats p", "pdf"},
		{"checkgen build -s si", "site"},
		{"checkgen report sh", "sheet.xlsx"},
		{"checkgen completion f", "fish"},
		{"checkgen help rep", "report"},
		{"checkgen help dead", "deadlines"},
		{"checkgen serve --p", "--poll --port"},
	}
	for _, tt := range tests {
		words := strings.Fields(tt.words)
		prog := script.String() + "\nCOMP_WORDS=(" + strings.Join(words, " ") + ")\nCOMP_CWORD=" + itoa(len(words)-1) +
			"\n_checkgen\nprintf '%s\\n' \"${COMPREPLY[*]}\"\n"
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", prog)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		if got := strings.TrimSpace(string(out)); got != tt.want {
			t.Errorf("completing %q: %q, want %q", tt.words, got, tt.want)
		}
	}
}
