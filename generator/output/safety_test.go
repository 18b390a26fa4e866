package output

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// build runs one build of files into dest through d, with each file
// written by WriteFile, and commits it.
func build(t *testing.T, d *Dir, files map[string]string) error {
	t.Helper()
	write(t, d, files)
	return d.Commit()
}

func mustOpen(t *testing.T, dest string, opts Options) *Dir {
	t.Helper()
	d, err := OpenWith(dest, opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// entry is what a test knows of a file: its bytes and time.
type entry struct {
	data string
	mod  time.Time
}

// snapshot reads every file and link under dir with its time.
func snapshot(t *testing.T, dir string) map[string]entry {
	t.Helper()
	got := map[string]entry{}
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		st, _ := os.Lstat(p)
		if e.Type()&os.ModeSymlink != 0 {
			to, _ := os.Readlink(p)
			got[filepath.ToSlash(rel)] = entry{"-> " + to, st.ModTime()}
			return nil
		}
		b, _ := os.ReadFile(p)
		got[filepath.ToSlash(rel)] = entry{string(b), st.ModTime()}
		return nil
	})
	return got
}

// beside lists the entries of dest's parent folder.
func beside(t *testing.T, dest string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dest))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestFirstBuildKeepsUserFiles (D1): a build into a folder that holds
// files but no manifest is refused, and nothing is removed; with Force it
// writes its files there and keeps every other one.
func TestFirstBuildKeepsUserFiles(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	user := map[string]string{"notes.txt": "mine", "photos/a.jpg": "jpeg", "index.html": "my own page"}
	for rel, s := range user {
		os.MkdirAll(filepath.Dir(filepath.Join(dest, rel)), 0o755)
		os.WriteFile(filepath.Join(dest, rel), []byte(s), 0o644)
	}
	_, err := Open(dest)
	var fe *ForeignError
	if !errors.As(err, &fe) {
		t.Fatalf("Open(a folder of user files) = %v, want a ForeignError", err)
	}
	for _, name := range []string{"index.html", "notes.txt", "photos", "choose a new or empty folder"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("the refusal %q does not name %q", err, name)
		}
	}
	if got := readTree(t, dest); !maps.Equal(got, user) {
		t.Errorf("after the refusal: %v, want %v", got, user)
	}
	if names := beside(t, dest); len(names) != 1 {
		t.Errorf("the refusal left %v beside the destination", names)
	}

	if err := build(t, mustOpen(t, dest, Options{Force: true}), map[string]string{"index.html": "built", "units/a/index.html": "a"}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"notes.txt": "mine", "photos/a.jpg": "jpeg", "index.html": "built", "units/a/index.html": "a"}
	if got := readTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("after a forced build: %v, want %v", got, want)
	}
	// The next build knows its files: a removed one goes, the user's stay.
	if err := build(t, mustOpen(t, dest, Options{}), map[string]string{"index.html": "built"}); err != nil {
		t.Fatal(err)
	}
	delete(want, "units/a/index.html")
	if got := readTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("after the next build: %v, want %v", got, want)
	}
}

// TestEmptyDestIsNotForeign: an empty folder, or one that holds only
// report/ (written by checkgen report), is built into without Force.
func TestEmptyDestIsNotForeign(t *testing.T) {
	for name, setup := range map[string]func(dest string){
		"empty":  func(dest string) { os.MkdirAll(dest, 0o755) },
		"report": func(dest string) { os.MkdirAll(filepath.Join(dest, "report"), 0o755) },
	} {
		t.Run(name, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "public")
			setup(dest)
			if err := build(t, mustOpen(t, dest, Options{}), map[string]string{"index.html": "x"}); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "x" {
				t.Errorf("index.html = %q", b)
			}
		})
	}
}

// TestUserFilesSurviveFailedBuild (D2): files checkgen did not write
// survive a failed commit, a cancelled one, and the builds after them.
func TestUserFilesSurviveFailedBuild(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	site := map[string]string{"index.html": "1", "units/a/index.html": "a1", "units/b/index.html": "b1"}
	if err := build(t, mustOpen(t, dest, Options{}), site); err != nil {
		t.Fatal(err)
	}
	user := map[string]string{"robots.txt": "User-agent: *", ".htaccess": "Options -Indexes", "units/a/extra.txt": "mine"}
	for rel, s := range user {
		os.WriteFile(filepath.Join(dest, rel), []byte(s), 0o644)
	}

	// A commit that fails: a user's folder where the build writes a file.
	os.Remove(filepath.Join(dest, "units/b/index.html"))
	os.MkdirAll(filepath.Join(dest, "units/b/index.html"), 0o755)
	os.WriteFile(filepath.Join(dest, "units/b/index.html/keep.txt"), []byte("keep"), 0o644)
	if err := build(t, mustOpen(t, dest, Options{}), map[string]string{"index.html": "2", "units/a/index.html": "a2", "units/b/index.html": "b2"}); err == nil {
		t.Fatal("a commit over a folder where a file goes succeeded")
	}
	if b, err := os.ReadFile(filepath.Join(dest, "units/b/index.html/keep.txt")); string(b) != "keep" {
		t.Fatalf("the user's folder in the way lost its file: %q, %v", b, err)
	}
	os.RemoveAll(filepath.Join(dest, "units/b/index.html"))

	// A commit that is cancelled.
	ctx, cancel := context.WithCancel(context.Background())
	d := mustOpen(t, dest, Options{Context: ctx})
	write(t, d, map[string]string{"index.html": "3"})
	cancel()
	if err := d.Commit(); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled commit = %v, want context.Canceled", err)
	}

	// The next builds, the second without unit a.
	if err := build(t, mustOpen(t, dest, Options{}), map[string]string{"index.html": "4", "units/a/index.html": "a4", "units/b/index.html": "b4"}); err != nil {
		t.Fatal(err)
	}
	if err := build(t, mustOpen(t, dest, Options{}), map[string]string{"index.html": "5", "units/b/index.html": "b5"}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"index.html": "5", "units/b/index.html": "b5"}
	maps.Copy(want, user)
	if got := readTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("tree = %v, want %v", got, want)
	}
}

// TestNoWriteThroughLinks (D3): a folder of the destination replaced by a
// link to another folder: removing or renaming its unit neither deletes
// nor writes files in the link's target, and a build that would write
// through it fails before moving anything, saying what to do.
func TestNoWriteThroughLinks(t *testing.T) {
	tmp := t.TempDir()
	dest := filepath.Join(tmp, "public")
	site := map[string]string{"index.html": "1", "units/x/index.html": "x1", "units/x/calendar.ics": "cx", "units/y/index.html": "y1"}
	if err := build(t, mustOpen(t, dest, Options{}), site); err != nil {
		t.Fatal(err)
	}
	// units/x becomes a link to a folder of someone else's files, with
	// the same names as the unit's.
	other := filepath.Join(tmp, "other")
	os.MkdirAll(other, 0o755)
	theirs := map[string]string{"index.html": "theirs", "calendar.ics": "their calendar", "secret.txt": "s"}
	for rel, s := range theirs {
		os.WriteFile(filepath.Join(other, rel), []byte(s), 0o644)
	}
	os.RemoveAll(filepath.Join(dest, "units/x"))
	if err := os.Symlink(other, filepath.Join(dest, "units/x")); err != nil {
		t.Skip("no symbolic links here:", err)
	}

	// Unit x changes: the build must not write into other/.
	before := snapshot(t, dest)
	err := build(t, mustOpen(t, dest, Options{}), map[string]string{"index.html": "2", "units/x/index.html": "x2", "units/x/calendar.ics": "cx", "units/y/index.html": "y2"})
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("a build writing through a link: %v, want an error about the link", err)
	}
	if got := readTree(t, other); !maps.Equal(got, theirs) {
		t.Errorf("the link's target changed: %v, want %v", got, theirs)
	}
	if got := snapshot(t, dest); !maps.Equal(got, before) {
		t.Errorf("the failed build changed the destination:\n got %v\nwant %v", got, before)
	}

	// Unit x is renamed z: its files are not deleted through the link.
	if err := build(t, mustOpen(t, dest, Options{}), map[string]string{"index.html": "3", "units/z/index.html": "x3", "units/z/calendar.ics": "cx", "units/y/index.html": "y3"}); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, other); !maps.Equal(got, theirs) {
		t.Errorf("removing a unit deleted files through a link: %v, want %v", got, theirs)
	}
	if to, err := os.Readlink(filepath.Join(dest, "units/x")); err != nil || to != other {
		t.Errorf("the link itself: %q, %v", to, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "units/z/index.html")); string(b) != "x3" {
		t.Errorf("units/z/index.html = %q", b)
	}
}

// TestLinkedDestination: the destination itself may be a link; the build
// goes where it points and keeps the link.
func TestLinkedDestination(t *testing.T) {
	tmp := t.TempDir()
	real := filepath.Join(tmp, "www")
	os.MkdirAll(real, 0o755)
	dest := filepath.Join(tmp, "public")
	if err := os.Symlink(real, dest); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := build(t, mustOpen(t, dest, Options{}), map[string]string{"index.html": "1"}); err != nil {
		t.Fatal(err)
	}
	if err := build(t, mustOpen(t, dest, Options{}), map[string]string{"index.html": "2"}); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(dest); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the destination link was replaced: %v, %v", st, err)
	}
	if b, _ := os.ReadFile(filepath.Join(real, "index.html")); string(b) != "2" {
		t.Errorf("www/index.html = %q", b)
	}
}

// TestFailedCommitPutsBack (D10): a commit that cannot replace one file
// (a folder is in its place) fails, and every file it had already moved
// is put back as it was, with its time; the manifest is the previous
// one; nothing is left beside the destination. Once the folder is moved
// away, the next build completes.
func TestFailedCommitPutsBack(t *testing.T) {
	forEachWay(t, testFailedCommitPutsBack)
}

// forEachWay runs test with files swapped into the destination, where
// the system can, and moved the portable way.
func forEachWay(t *testing.T, test func(t *testing.T, portable bool)) {
	t.Run("swap", func(t *testing.T) { test(t, false) })
	t.Run("portable", func(t *testing.T) { test(t, true) })
}

// openWay opens dest for a build that moves files the given way.
func openWay(t *testing.T, dest string, portable bool) *Dir {
	t.Helper()
	d := mustOpen(t, dest, Options{Context: context.Background()})
	d.portable = portable
	return d
}

// checkWay fails a test that meant to swap files where the system can
// but swapped none, or meant to move them the portable way but swapped.
func checkWay(t *testing.T, d *Dir, portable bool) {
	t.Helper()
	n := d.swaps.Load()
	if portable && n > 0 {
		t.Errorf("the portable way swapped %d files", n)
	}
	if !portable && runtime.GOOS == "linux" && n == 0 {
		t.Error("no file was swapped")
	}
}

func testFailedCommitPutsBack(t *testing.T, portable bool) {
	dest := filepath.Join(t.TempDir(), "public")
	one, two := map[string]string{}, map[string]string{}
	for i := range 40 {
		rel := fmt.Sprintf("units/u%02d/index.html", i)
		one[rel], two[rel] = "old "+rel, "new "+rel
	}
	two["units/new/index.html"] = "a new unit"
	two["pdf/new.pdf"] = "a new folder"
	one["units/gone/index.html"] = "removed by the second build"
	if err := build(t, mustOpen(t, dest, Options{}), one); err != nil {
		t.Fatal(err)
	}
	// The folder sits late in the order of moves, so that earlier ones
	// have happened when it fails.
	blocker := filepath.Join(dest, "units/u35/index.html")
	os.Remove(blocker)
	os.MkdirAll(blocker, 0o755)
	os.WriteFile(filepath.Join(blocker, "mine.txt"), []byte("mine"), 0o644)
	before := snapshot(t, dest)
	manifest, _ := os.ReadFile(ManifestPath(dest))

	d := openWay(t, dest, portable)
	err := build(t, d, two)
	if err == nil || !strings.Contains(err.Error(), "units/u35/index.html is a folder where the build writes a file") {
		t.Fatalf("commit over a folder: %v, want an error naming it", err)
	}
	checkWay(t, d, portable)
	if got := snapshot(t, dest); !maps.Equal(got, before) {
		for rel, e := range got {
			if before[rel] != e {
				t.Errorf("%s: %q %v, was %q %v", rel, e.data, e.mod, before[rel].data, before[rel].mod)
			}
		}
		for rel := range before {
			if _, ok := got[rel]; !ok {
				t.Errorf("%s is gone", rel)
			}
		}
	}
	if after, _ := os.ReadFile(ManifestPath(dest)); !bytes.Equal(after, manifest) {
		t.Error("the manifest changed")
	}
	if names := beside(t, dest); len(names) != 2 {
		t.Errorf("beside the destination: %v, want it and its manifest", names)
	}

	os.RemoveAll(blocker)
	d = openWay(t, dest, portable)
	if err := build(t, d, two); err != nil {
		t.Fatal(err)
	}
	checkWay(t, d, portable)
	if got := readTree(t, dest); !maps.Equal(got, two) {
		t.Errorf("after the next build: %d files, want the %d of the build", len(got), len(two))
	}
}

// countdown is a context that ends after n calls of Err: a commit asks
// once before it starts and once per move, so it ends between moves.
type countdown struct {
	context.Context
	n atomic.Int64
}

func (c *countdown) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestCancelledCommitPutsBack (item 10, D10): a context that ends in the
// middle of the moves makes Commit put back what it moved and return the
// context's error; the destination, the manifest and the folder holding
// them are as before.
func TestCancelledCommitPutsBack(t *testing.T) {
	forEachWay(t, testCancelledCommitPutsBack)
}

func testCancelledCommitPutsBack(t *testing.T, portable bool) {
	dest := filepath.Join(t.TempDir(), "public")
	one, two := map[string]string{"index.html": "1"}, map[string]string{"index.html": "2"}
	for i := range 20 {
		one[fmt.Sprintf("p%02d.html", i)] = "old"
		two[fmt.Sprintf("p%02d.html", i)] = "new"
	}
	if err := build(t, mustOpen(t, dest, Options{}), one); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dest)
	manifest, _ := os.ReadFile(ManifestPath(dest))
	ctx := &countdown{Context: context.Background()}
	ctx.n.Store(1 << 40)
	d := mustOpen(t, dest, Options{Context: ctx})
	d.portable = portable
	write(t, d, two)
	ctx.n.Store(6) // Commit's check, then five moves
	if err := d.Commit(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Commit = %v, want context.Canceled", err)
	}
	checkWay(t, d, portable)
	if got := snapshot(t, dest); !maps.Equal(got, before) {
		t.Errorf("the cancelled commit changed the destination:\n got %v\nwant %v", got, before)
	}
	if after, _ := os.ReadFile(ManifestPath(dest)); !bytes.Equal(after, manifest) {
		t.Error("the manifest changed")
	}
	if names := beside(t, dest); len(names) != 2 {
		t.Errorf("beside the destination: %v, want it and its manifest", names)
	}
}

// TestCancelStopsWrites: once the context is done, no file is written.
func TestCancelStopsWrites(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	ctx, cancel := context.WithCancel(context.Background())
	d := mustOpen(t, dest, Options{Context: ctx})
	cancel()
	if err := d.WriteFile("a.html", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("WriteFile after cancel = %v", err)
	}
	if _, err := d.Cached("b.html", "k", func(io.Writer) error { t.Error("rendered after cancel"); return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Cached after cancel = %v", err)
	}
	d.Abort()
	if names := beside(t, dest); len(names) != 0 {
		t.Errorf("left behind: %v", names)
	}
}

// TestStaleStagingRemoved (D11): a staging folder of a build that was
// killed is removed by the next build; that of a build still running is
// not, and that build still commits.
func TestStaleStagingRemoved(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	stale := filepath.Join(filepath.Dir(dest), ".public.building-1234")
	os.MkdirAll(filepath.Join(stale, "units/a"), 0o755)
	os.WriteFile(filepath.Join(stale, "units/a/index.html"), []byte("half"), 0o644)
	os.WriteFile(ManifestPath(dest)+".tmp-99", []byte("half"), 0o644)

	running := mustOpen(t, dest, Options{})
	write(t, running, map[string]string{"index.html": "running"})
	if _, err := os.Stat(stale); err == nil {
		t.Error("the killed build's staging folder is still there")
	}
	next := mustOpen(t, dest, Options{})
	if _, err := os.Stat(running.Root()); err != nil {
		t.Fatalf("a running build's staging folder was removed: %v", err)
	}
	if err := running.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := build(t, next, map[string]string{"index.html": "next"}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "next" {
		t.Errorf("index.html = %q", b)
	}
	if names := beside(t, dest); len(names) != 2 {
		t.Errorf("beside the destination: %v, want it and its manifest", names)
	}
}

// TestCarry (item 3): a build that carries the previous build's pdf/
// keeps those files and their records; the next build finds them.
func TestCarry(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	all := map[string]string{"index.html": "1", "pdf/a.pdf": "pdf", "xlsx/a.xlsx": "xlsx"}
	if err := build(t, mustOpen(t, dest, Options{}), all); err != nil {
		t.Fatal(err)
	}
	d := mustOpen(t, dest, Options{})
	if !d.Has("pdf/a.pdf") || d.Has("pdf/b.pdf") {
		t.Errorf("Has(pdf/a.pdf) = %v, Has(pdf/b.pdf) = %v", d.Has("pdf/a.pdf"), d.Has("pdf/b.pdf"))
	}
	d.Carry(func(rel string) bool { return strings.HasPrefix(rel, "pdf/") })
	if err := build(t, d, map[string]string{"index.html": "2"}); err != nil {
		t.Fatal(err)
	}
	if got := d.Carried(); len(got) != 1 || got[0] != "pdf/a.pdf" {
		t.Errorf("Carried() = %v, want [pdf/a.pdf]", got)
	}
	want := map[string]string{"index.html": "2", "pdf/a.pdf": "pdf"}
	if got := readTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("tree = %v, want %v", got, want)
	}
	if d := mustOpen(t, dest, Options{}); !d.Has("pdf/a.pdf") {
		t.Error("the carried file is not in the manifest")
	} else {
		d.Abort()
	}
}

// TestBadDestinations (D16): the root folder, a file, and the working
// directory given as "." get clear answers; "." works when it is a
// folder of its own.
func TestBadDestinations(t *testing.T) {
	if _, err := Open("/"); err == nil || !strings.Contains(err.Error(), "root folder") {
		t.Errorf("Open(/) = %v, want an error about the root folder", err)
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := Open(file); err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("Open(a file) = %v", err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	os.MkdirAll(dir, 0o755)
	t.Chdir(dir)
	for i := range 2 {
		if err := build(t, mustOpen(t, ".", Options{}), map[string]string{"index.html": fmt.Sprint(i)}); err != nil {
			t.Fatalf("build %d into .: %v", i, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "1" {
		t.Errorf("index.html = %q", b)
	}
}

// TestConcurrentBuilds: builds into one destination at once, new or
// existing, all succeed; none removes another's staging folder; the
// result is one build's files and its manifest, nothing else beside it.
func TestConcurrentBuilds(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	files := map[string]string{"index.html": "i", "units/a/index.html": "a", "pdf/a.pdf": "p"}
	for round := range 2 { // into a new destination, then an existing one
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				d, err := Open(dest)
				if err != nil {
					errs <- err
					return
				}
				for rel, s := range files {
					if err := d.WriteFile(rel, []byte(s)); err != nil {
						d.Abort()
						errs <- err
						return
					}
				}
				errs <- d.Commit()
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Errorf("round %d: %v", round, err)
			}
		}
		if got := readTree(t, dest); !maps.Equal(got, files) {
			t.Errorf("round %d: tree = %v, want %v", round, got, files)
		}
		if names := beside(t, dest); len(names) != 2 {
			t.Errorf("round %d: beside the destination: %v, want it and its manifest", round, names)
		}
	}
}

// TestUpdateReplacesLinkedFile: a file of the previous build replaced by
// a link to someone else's file: the next build puts its file in place
// of the link and leaves the link's target as it was, either way.
func TestUpdateReplacesLinkedFile(t *testing.T) {
	forEachWay(t, func(t *testing.T, portable bool) {
		tmp := t.TempDir()
		dest := filepath.Join(tmp, "public")
		if err := build(t, openWay(t, dest, portable), map[string]string{"index.html": "1", "units/a/index.html": "a1"}); err != nil {
			t.Fatal(err)
		}
		theirs := filepath.Join(tmp, "theirs.html")
		os.WriteFile(theirs, []byte("theirs"), 0o644)
		page := filepath.Join(dest, "units/a/index.html")
		os.Remove(page)
		if err := os.Symlink(theirs, page); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		d := openWay(t, dest, portable)
		if err := build(t, d, map[string]string{"index.html": "2", "units/a/index.html": "a2"}); err != nil {
			t.Fatal(err)
		}
		checkWay(t, d, portable)
		if b, _ := os.ReadFile(theirs); string(b) != "theirs" {
			t.Errorf("the link's target = %q, want it untouched", b)
		}
		if st, err := os.Lstat(page); err != nil || !st.Mode().IsRegular() {
			t.Fatalf("units/a/index.html: %v, %v; want the build's file", st, err)
		}
		want := map[string]string{"index.html": "2", "units/a/index.html": "a2"}
		if got := readTree(t, dest); !maps.Equal(got, want) {
			t.Errorf("tree = %v, want %v", got, want)
		}
		if names := beside(t, dest); len(names) != 3 { // and theirs.html
			t.Errorf("beside the destination: %v", names)
		}
	})
}

// TestRemovedDuringUpdate: a folder of the destination, or the
// destination itself, removed while an update writes files for it:
// Commit fails saying to build again, moves nothing, and the next build
// completes.
func TestRemovedDuringUpdate(t *testing.T) {
	one := map[string]string{"index.html": "1", "units/a/index.html": "a1", "units/b/index.html": "b1"}
	two := map[string]string{"index.html": "2", "units/a/index.html": "a2", "units/b/index.html": "b2"}
	for name, remove := range map[string]func(dest string){
		"folder":      func(dest string) { os.RemoveAll(filepath.Join(dest, "units/a")) },
		"destination": func(dest string) { os.RemoveAll(dest) },
	} {
		t.Run(name, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "public")
			if err := build(t, mustOpen(t, dest, Options{}), one); err != nil {
				t.Fatal(err)
			}
			d := mustOpen(t, dest, Options{})
			write(t, d, two)
			remove(dest)
			before := snapshot(t, dest)
			manifest, _ := os.ReadFile(ManifestPath(dest))
			if err := d.Commit(); err == nil || !strings.Contains(err.Error(), "removed during the build: build again") {
				t.Fatalf("Commit = %v, want an error saying to build again", err)
			}
			if got := snapshot(t, dest); !maps.Equal(got, before) {
				t.Errorf("the failed commit changed the destination:\n got %v\nwant %v", got, before)
			}
			if after, _ := os.ReadFile(ManifestPath(dest)); !bytes.Equal(after, manifest) {
				t.Error("the manifest changed")
			}
			if err := build(t, mustOpen(t, dest, Options{}), two); err != nil {
				t.Fatal(err)
			}
			if got := readTree(t, dest); !maps.Equal(got, two) {
				t.Errorf("after the next build: %v, want %v", got, two)
			}
		})
	}
}

// TestUpdateManyNumberedFiles: an update that rewrites more files than
// one numbered staging folder holds puts every file in its place, both
// ways, and leaves nothing beside the destination.
func TestUpdateManyNumberedFiles(t *testing.T) {
	forEachWay(t, func(t *testing.T, portable bool) {
		dest := filepath.Join(t.TempDir(), "public")
		files := func(version string) map[string]string {
			m := map[string]string{}
			for i := range numberedFiles*2 + 5 {
				m[fmt.Sprintf("units/u%d/index.html", i)] = fmt.Sprintf("%s %d", version, i)
			}
			return m
		}
		if err := build(t, openWay(t, dest, portable), files("v1")); err != nil {
			t.Fatal(err)
		}
		d := openWay(t, dest, portable)
		if err := build(t, d, files("v2")); err != nil {
			t.Fatal(err)
		}
		checkWay(t, d, portable)
		if n := d.numbered.Load(); n <= 2*numberedFiles {
			t.Fatalf("%d numbered files; the test needs more than two folders' worth", n)
		}
		if got := readTree(t, dest); !maps.Equal(got, files("v2")) {
			t.Errorf("after the update the tree differs from the build's files (%d files, want %d)", len(got), len(files("v2")))
		}
		if names := beside(t, dest); len(names) != 2 { // and the manifest
			t.Errorf("beside the destination: %v", names)
		}
	})
}
