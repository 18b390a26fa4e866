package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// destState is every file under dir with its bytes' hash and time, and
// the names beside dir.
func destState(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		st, _ := os.Lstat(p)
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&b, "%s %x %d\n", rel, sha256.Sum256(data), st.ModTime().UnixNano())
		return nil
	})
	entries, _ := os.ReadDir(filepath.Dir(dir))
	for _, e := range entries {
		fmt.Fprintf(&b, "beside: %s\n", e.Name())
	}
	return b.String()
}

// TestBuildInterrupted (item 10, D11): SIGINT or SIGTERM during a build
// stops it: exit status 130, one line saying DEST is as it was, and it is,
// with no staging folder beside it.
func TestBuildInterrupted(t *testing.T) {
	site, dest := builtThenEdited(t)
	before := destState(t, dest)
	for _, sig := range []os.Signal{syscall.SIGINT, syscall.SIGTERM} {
		signals := make(chan os.Signal, 1)
		signals <- sig
		var out, errb bytes.Buffer
		code := run([]string{"build", "-s", site, "-d", dest}, &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, interrupt: signals})
		if code != exitInterrupted || errb.String() != "checkgen build: interrupted; DEST left as it was\n" || out.Len() != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 130 and one line", sig, code, out.String(), errb.String())
		}
		if after := destState(t, dest); after != before {
			t.Errorf("%v: DEST changed:\n%s\nwas\n%s", sig, after, before)
		}
	}
}

// TestBuildDestinations (D1, D16): bad destinations get one line saying
// what is wrong and what to do, and nothing is removed; a folder of
// someone else's files needs --into-existing, which keeps them.
func TestBuildDestinations(t *testing.T) {
	site := starterSite(t)
	user := filepath.Join(t.TempDir(), "www")
	os.MkdirAll(user, 0o755)
	os.WriteFile(filepath.Join(user, ".htaccess"), []byte("Options -Indexes"), 0o644)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-d", "/"}, "is the root folder: choose a folder of its own for the build, such as " + filepath.Join(site, "public")},
		{[]string{"-d", site}, "is the site folder itself"},
		{[]string{"-d", filepath.Join(site, "content/plans")}, "lies inside the site's content/ folder, which the build reads"},
		{[]string{"-d", user}, "holds files (.htaccess) but no manifest of a checkgen build beside it (.www.manifest), so checkgen cannot tell which files are its own: choose a new or empty folder as the destination, or pass --into-existing to build into it"},
	} {
		args := append([]string{"build", "-s", site}, tt.args...)
		code, stdout, stderr := runCheckgen(t, args...)
		if code != exitContent || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("checkgen %q: exit %d, stderr %q; want exit 1 and one line with %q", args, code, stderr, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(site, "content/site.toml")); err != nil {
		t.Fatalf("the site lost its content: %v", err)
	}
	if code, _, stderr := runCheckgen(t, "build", "-s", site, "-d", user, "--into-existing"); code != 0 {
		t.Fatalf("--into-existing: exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(user, ".htaccess")); string(b) != "Options -Indexes" {
		t.Errorf(".htaccess = %q after --into-existing", b)
	}
	// The next build needs no flag: the folder has a manifest now.
	if code, _, stderr := runCheckgen(t, "build", "-s", site, "-d", user); code != 0 {
		t.Errorf("the build after --into-existing: exit %d: %s", code, stderr)
	}

	// "-d ." is the working directory: refused when it is the site, built
	// into when it is a folder of its own.
	t.Chdir(site)
	if code, _, stderr := runCheckgen(t, "build", "-d", "."); code != exitContent || !strings.Contains(stderr, "is the site folder itself") {
		t.Errorf("build -d . in the site: exit %d, %q", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "out")
	os.MkdirAll(out, 0o755)
	t.Chdir(out)
	if code, _, stderr := runCheckgen(t, "build", "-s", site, "-d", "."); code != 0 {
		t.Errorf("build -d . in an empty folder: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		t.Errorf("build -d . wrote no index.html: %v", err)
	}
}

// TestBuildFormatsSummary (item 3): a build of some formats into a full
// DEST keeps the others' files and says so in its summary line.
func TestBuildFormatsSummary(t *testing.T) {
	site := starterSite(t)
	dest := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCheckgen(t, "build", "-s", site, "-d", dest); code != 0 {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	var others int
	filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dest, p)
		if err == nil && !d.IsDir() && (strings.HasPrefix(rel, "pdf"+string(filepath.Separator)) || strings.HasPrefix(rel, "xlsx"+string(filepath.Separator))) {
			others++
		}
		return err
	})
	code, stdout, stderr := runCheckgen(t, "build", "-s", site, "-d", dest, "--formats", "html")
	want := fmt.Sprintf(", 0 written, %d pdf and xlsx files of an earlier build kept;", others)
	if code != 0 || !strings.Contains(stdout, want) {
		t.Errorf("--formats html: exit %d, stdout %q, stderr %q; want %q", code, stdout, stderr, want)
	}
}

// TestBuildCommitFails (D10): a build that cannot replace one file (a
// folder is in its place) exits 1 naming it and what to do, and DEST is
// as it was, manifest included; once the folder is gone the next build
// completes.
func TestBuildCommitFails(t *testing.T) {
	site, dest := builtThenEdited(t)
	// The last unit page in the order of moves.
	var page string
	filepath.WalkDir(filepath.Join(dest, "units"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "index.html" {
			page = p
		}
		return err
	})
	os.Remove(page)
	os.MkdirAll(page, 0o755)
	before := destState(t, dest)
	code, _, stderr := runCheckgen(t, "build", "-s", site, "-d", dest)
	want := page + " is a folder where the build writes a file: move it away, then build again"
	if code != exitContent || !strings.Contains(stderr, want) {
		t.Errorf("build over a folder: exit %d, %q; want exit 1 and %q", code, stderr, want)
	}
	if after := destState(t, dest); after != before {
		t.Errorf("the failed build changed DEST:\n%s\nwas\n%s", after, before)
	}
	os.Remove(page)
	if code, _, stderr := runCheckgen(t, "build", "-s", site, "-d", dest); code != 0 {
		t.Fatalf("the next build: exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(page); err != nil || !bytes.Contains(b, []byte("Municipal election, 2027")) {
		t.Errorf("the next build did not complete %s: %v", page, err)
	}
}

// builtThenEdited builds the starter site into a new DEST, then edits its
// title, which every page shows, so that the next build rewrites them all.
// The edited title reads "Municipal election, 2027".
func builtThenEdited(t *testing.T) (site, dest string) {
	t.Helper()
	site = starterSite(t)
	dest = filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCheckgen(t, "build", "-s", site, "-d", dest); code != 0 {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	toml := filepath.Join(site, "content/site.toml")
	b, _ := os.ReadFile(toml)
	b2 := bytes.Replace(b, []byte(`"Municipal election 2027"`), []byte(`"Municipal election, 2027"`), 1)
	if bytes.Equal(b, b2) {
		t.Fatal("the starter site's title changed: edit the test")
	}
	if err := os.WriteFile(toml, b2, 0o644); err != nil {
		t.Fatal(err)
	}
	return site, dest
}
