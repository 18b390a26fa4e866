//go:build unix

package output

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// leftoverFiles returns the bytes of every file under dir, sorted.
func leftoverFiles(t *testing.T, dir string) []string {
	t.Helper()
	var got []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			b, rerr := os.ReadFile(p)
			got = append(got, string(b))
			return rerr
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

// TestLeftoverHandedOff: an update whose Options.Leftover takes the
// staging folder returns with the destination and its manifest complete;
// the folder holds exactly the files the update replaced or removed, the
// folder aside included, and stays locked: a build starting meanwhile
// leaves it alone, and Remove removes it. Both ways of moving files.
func TestLeftoverHandedOff(t *testing.T) {
	forEachWay(t, func(t *testing.T, portable bool) {
		dest := filepath.Join(t.TempDir(), "public")
		first := map[string]string{"index.html": "old index", "units/a.html": "old a", "units/b.html": "old b", "gone.html": "old gone", "same.html": "same"}
		d := openWay(t, dest, portable)
		if err := build(t, d, first); err != nil {
			t.Fatal(err)
		}
		var got []Leftover
		d = mustOpen(t, dest, Options{Leftover: func(l Leftover) bool { got = append(got, l); return true }})
		d.portable = portable
		second := map[string]string{"index.html": "new index", "units/a.html": "new a", "units/b.html": "new b", "same.html": "same", "units/c/new.html": "new c"}
		if err := build(t, d, second); err != nil {
			t.Fatal(err)
		}
		checkWay(t, d, portable)
		if len(got) != 1 {
			t.Fatalf("Leftover called %d times, want once", len(got))
		}
		l := got[0]
		if tree := readTree(t, dest); fmt.Sprint(tree) != fmt.Sprint(second) {
			t.Errorf("the destination holds %v, want %v", tree, second)
		}
		if b, err := os.ReadFile(ManifestPath(dest)); err != nil || strings.Contains(string(b), "gone.html") {
			t.Errorf("the manifest (%v) still lists gone.html or is missing:\n%s", err, b)
		}
		// The three replaced files and the removed one; "same" was kept.
		want := []string{"old a", "old b", "old gone", "old index"}
		if files := leftoverFiles(t, l.Dir); !slices.Equal(files, want) || l.Files != len(want) {
			t.Errorf("the leftover holds %q and says %d files, want %q", files, l.Files, want)
		}
		if names := beside(t, dest); len(names) != 3 || !slices.Contains(names, filepath.Base(l.Dir)) {
			t.Errorf("beside the destination: %v, want it, its manifest and the leftover", names)
		}
		next := mustOpen(t, dest, Options{})
		defer next.Abort()
		if _, err := os.Stat(l.Dir); err != nil {
			t.Fatalf("a build starting removed the locked leftover: %v", err)
		}
		if err := l.Remove(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(l.Dir); err == nil {
			t.Error("Remove left the folder")
		}
	})
}

// TestLeftoverDeclinedOrEmpty: a Leftover that returns false leaves the
// removal to Commit, as without one; an update that replaced nothing
// offers nothing. Either way only the destination and its manifest are
// left beside it.
func TestLeftoverDeclinedOrEmpty(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	d := mustOpen(t, dest, Options{})
	if err := build(t, d, map[string]string{"a.html": "1"}); err != nil {
		t.Fatal(err)
	}
	calls := 0
	declined := func(l Leftover) bool {
		calls++
		if l.Files != 1 {
			t.Errorf("the leftover says %d files, want 1", l.Files)
		}
		return false
	}
	d = mustOpen(t, dest, Options{Leftover: declined})
	if err := build(t, d, map[string]string{"a.html": "2"}); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("Leftover called %d times, want once", calls)
	}
	if names := beside(t, dest); len(names) != 2 {
		t.Errorf("beside the destination: %v, want it and its manifest", names)
	}
	// Nothing replaced: a new file and an unchanged one.
	d = mustOpen(t, dest, Options{Leftover: declined})
	if err := build(t, d, map[string]string{"a.html": "2", "b.html": "new"}); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("Leftover called for an update that replaced nothing")
	}
	if names := beside(t, dest); len(names) != 2 {
		t.Errorf("beside the destination: %v, want it and its manifest", names)
	}
}

// TestLeftoverOfKilledRemover: a leftover whose lock is released without
// the removal (its remover was killed) is removed by the next build.
func TestLeftoverOfKilledRemover(t *testing.T) {
	dest, l := handedOff(t)
	l.Lock.Close() // killed
	next := mustOpen(t, dest, Options{})
	defer next.Abort()
	if _, err := os.Stat(l.Dir); err == nil {
		t.Error("the next build left the leftover of a killed remover")
	}
}

// TestRemoveLeftover: the remover's process removes only the staging
// folder whose lock it was given.
func TestRemoveLeftover(t *testing.T) {
	dest, l := handedOff(t)
	defer l.Remove()
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "keep"), []byte("k"), 0o644)
	openOn := func(p string) *os.File {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	for _, tt := range []struct {
		dir  string
		lock string
	}{
		{other, other},                // not named as a staging folder
		{l.Dir, other},                // not the folder the lock is on
		{dest, dest},                  // the destination itself
		{filepath.Base(l.Dir), l.Dir}, // not an absolute path
	} {
		if err := RemoveLeftover(tt.dir, openOn(tt.lock)); err == nil {
			t.Errorf("RemoveLeftover(%s, lock on %s) = nil, want a refusal", tt.dir, tt.lock)
		}
	}
	for _, p := range []string{filepath.Join(other, "keep"), l.Dir, filepath.Join(dest, "a.html")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("a refused RemoveLeftover removed %s", p)
		}
	}
	if err := RemoveLeftover(l.Dir, openOn(l.Dir)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(l.Dir); err == nil {
		t.Error("RemoveLeftover left the folder")
	}
}

// handedOff builds one file into a new destination, rewrites it in a second
// build, and returns the destination and the Leftover that build handed
// off, still locked.
func handedOff(t *testing.T) (dest string, l Leftover) {
	t.Helper()
	dest = filepath.Join(t.TempDir(), "public")
	if err := build(t, mustOpen(t, dest, Options{}), map[string]string{"a.html": "1"}); err != nil {
		t.Fatal(err)
	}
	d := mustOpen(t, dest, Options{Leftover: func(got Leftover) bool { l = got; return true }})
	if err := build(t, d, map[string]string{"a.html": "2"}); err != nil {
		t.Fatal(err)
	}
	if l.Lock == nil {
		t.Fatal("the update handed off no leftover")
	}
	return dest, l
}
