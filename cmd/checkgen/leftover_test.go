//go:build unix

package main

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestMain runs the remover's process when a test's build starts one (the
// test binary is then os.Executable), and otherwise the tests, whose
// builds remove what they replaced before they return (detachAtLeast) but
// for TestBuildRemovesInBackground's.
func TestMain(m *testing.M) {
	if code, ok := remover(os.Args[1:]); ok {
		os.Exit(code)
	}
	detachAtLeast = math.MaxInt
	os.Exit(m.Run())
}

// TestBuildRemovesInBackground: an update that replaced many files
// returns once DEST and its manifest are in place, and a process of its
// own removes the replaced files: it ends with exit status 0, and leaves
// DEST, its manifest and nothing else beside it.
func TestBuildRemovesInBackground(t *testing.T) {
	site, dest := builtThenEdited(t)

	ended := make(chan *exec.Cmd, 1)
	detachAtLeast, removerEnded = 1, func(c *exec.Cmd) { ended <- c }
	defer func() { detachAtLeast, removerEnded = math.MaxInt, nil }()
	code, stdout, stderr := runCheckgen(t, "build", "-s", site, "-d", dest)
	if code != 0 || !strings.HasPrefix(stdout, "built ") {
		t.Fatalf("build: exit %d: %s%s", code, stdout, stderr)
	}
	page, _ := os.ReadFile(filepath.Join(dest, "index.html"))
	if !strings.Contains(string(page), "Municipal election, 2027") {
		t.Error("DEST/index.html does not show the edited title")
	}
	var c *exec.Cmd
	select {
	case c = <-ended:
	case <-time.After(2 * time.Minute):
		t.Fatal("no remover ended within 2 minutes")
	}
	if len(c.Args) != 3 || c.Args[1] != removerArg || !strings.HasPrefix(filepath.Base(c.Args[2]), ".public.building-") {
		t.Errorf("the remover ran %q", c.Args)
	}
	if !c.ProcessState.Success() {
		t.Errorf("the remover ended with %v", c.ProcessState)
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{".public.manifest", "public"}; !slices.Equal(names, want) {
		t.Errorf("beside DEST: %q, want %q", names, want)
	}
	// The next build finds everything in place.
	if code, stdout, stderr := runCheckgen(t, "build", "-s", site, "-d", dest); code != 0 || !strings.Contains(stdout, ", 0 written") {
		t.Errorf("the build after: exit %d: %s%s; want 0 written", code, stdout, stderr)
	}
}
