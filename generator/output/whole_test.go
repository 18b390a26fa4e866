//go:build linux

package output

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// flatBuild returns a build of n files in the flat folder pdf/units, plus
// index.html, each holding tag.
func flatBuild(n int, tag string) map[string]string {
	files := map[string]string{"index.html": tag + " index"}
	for i := range n {
		rel := fmt.Sprintf("pdf/units/u%04d.pdf", i)
		files[rel] = tag + " " + rel
	}
	return files
}

// TestWholeFolderSwap: an update that rewrote most files of a flat folder
// swaps the folder whole: one swap for its 1,000 files. Files it kept are
// the same files (same inode, same time), a file checkgen did not write
// stays, removed files go, new ones come, and the next build finds every
// file as its manifest says.
func TestWholeFolderSwap(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	one := flatBuild(flatMin, "old")
	one["pdf/units/gone.pdf"] = "removed by the second build"
	if err := build(t, mustOpen(t, dest, Options{}), one); err != nil {
		t.Fatal(err)
	}
	user := filepath.Join(dest, "pdf/units/notes.txt")
	os.WriteFile(user, []byte("mine"), 0o644)
	two := flatBuild(flatMin, "new")
	kept := []string{"pdf/units/u0007.pdf", "pdf/units/u0500.pdf"}
	keptStat := map[string]os.FileInfo{}
	for _, rel := range kept {
		two[rel] = one[rel]
		keptStat[rel], _ = os.Stat(filepath.Join(dest, rel))
	}
	two["pdf/units/new.pdf"] = "new file"

	var left Leftover
	d := mustOpen(t, dest, Options{Leftover: func(l Leftover) bool { left = l; return true }})
	d.portable = false
	write(t, d, two) // the kept files with the same bytes: not written
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	defer left.Remove()
	if n := d.swaps.Load(); n > 2 {
		t.Errorf("%d swaps, want the folder swapped whole (index.html and the folder)", n)
	}
	want := maps.Clone(two)
	want["pdf/units/notes.txt"] = "mine"
	if got := readTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("the destination has %d files, want %d", len(got), len(want))
		for rel, v := range want {
			if got[rel] != v {
				t.Errorf("%s = %q, want %q", rel, got[rel], v)
			}
		}
	}
	for _, rel := range kept {
		if st, err := os.Stat(filepath.Join(dest, rel)); err != nil || !os.SameFile(st, keptStat[rel]) || !st.ModTime().Equal(keptStat[rel].ModTime()) {
			t.Errorf("%s is not the same file as before (%v)", rel, err)
		}
	}
	if left.Files < flatMin+2 {
		t.Errorf("the leftover says %d files, want the %d of the folder replaced and index.html", left.Files, flatMin+3)
	}
	if err := build(t, mustOpen(t, dest, Options{}), two); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(user); string(b) != "mine" {
		t.Error("the next build lost notes.txt")
	}
}

// TestWholeFolderKeepsSameFiles: files of a flat folder the update did
// not write again are linked, not copied: same inode, same time.
func TestWholeFolderKeepsSameFiles(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	keys := map[string]string{}
	one := flatBuild(flatMin, "old")
	for rel := range one {
		keys[rel] = "1"
	}
	var renders int
	persistentBuild(t, dest, one, keys, &renders)
	two := flatBuild(flatMin, "new")
	keys2 := map[string]string{}
	for rel := range two {
		keys2[rel] = "2"
	}
	same := "pdf/units/u0042.pdf"
	two[same], keys2[same] = one[same], "1"
	before, _ := os.Stat(filepath.Join(dest, same))
	d := persistentBuild(t, dest, two, keys2, &renders)
	if n := d.swaps.Load(); n > 2 {
		t.Errorf("%d swaps, want the folder swapped whole", n)
	}
	after, err := os.Stat(filepath.Join(dest, same))
	if err != nil || !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the kept file is not the same file: %v", err)
	}
	if got := readTree(t, dest); !maps.Equal(got, two) {
		t.Errorf("the destination has %d files, want %d", len(got), len(two))
	}
}

// TestWholeFolderFallsBack: a flat folder holding a folder or a link, or
// of which the update rewrote less than half, moves file by file, with
// the same result; so does every flat folder where files cannot be
// swapped (the portable way).
func TestWholeFolderFallsBack(t *testing.T) {
	for _, tt := range []struct {
		name     string
		prepare  func(t *testing.T, dest string)
		rewrite  int
		portable bool
	}{
		{"folder", func(t *testing.T, dest string) { os.Mkdir(filepath.Join(dest, "pdf/units/mine"), 0o755) }, flatMin, false},
		{"link", func(t *testing.T, dest string) { os.Symlink("/etc/passwd", filepath.Join(dest, "pdf/units/mine")) }, flatMin, false},
		{"few", func(t *testing.T, dest string) {}, flatMin/2 - 1, false},
		{"portable", func(t *testing.T, dest string) {}, flatMin, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "public")
			one := flatBuild(flatMin, "old")
			if err := build(t, mustOpen(t, dest, Options{}), one); err != nil {
				t.Fatal(err)
			}
			tt.prepare(t, dest)
			before := snapshot(t, filepath.Join(dest, "pdf/units/mine"))
			two := maps.Clone(one)
			two["index.html"] = "new index"
			for i := range tt.rewrite {
				rel := fmt.Sprintf("pdf/units/u%04d.pdf", i)
				two[rel] = "new " + rel
			}
			d := mustOpen(t, dest, Options{})
			d.portable = tt.portable
			if err := build(t, d, two); err != nil {
				t.Fatal(err)
			}
			if tt.portable {
				checkWay(t, d, true)
			} else if n := d.swaps.Load(); n != int64(tt.rewrite+1) {
				t.Errorf("%d swaps, want %d: one per file", n, tt.rewrite+1)
			}
			got := readTree(t, dest)
			for rel, v := range two {
				if got[rel] != v {
					t.Errorf("%s = %q, want %q", rel, got[rel], v)
				}
			}
			if after := snapshot(t, filepath.Join(dest, "pdf/units/mine")); !maps.Equal(after, before) {
				t.Errorf("pdf/units/mine changed: %v, was %v", after, before)
			}
			if _, err := os.Lstat(filepath.Join(dest, "pdf/units/mine")); err != nil && tt.name != "few" && !tt.portable {
				t.Errorf("pdf/units/mine is gone: %v", err)
			}
		})
	}
}

// TestWholeFolderPutBack: a commit that fails after the folder was swapped
// whole swaps it back: the destination and the manifest are as they were.
func TestWholeFolderPutBack(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	one := flatBuild(flatMin, "old")
	one["units/zz/index.html"] = "old zz"
	if err := build(t, mustOpen(t, dest, Options{}), one); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dest, "pdf/units/notes.txt"), []byte("mine"), 0o644)
	// A folder where the build writes a file: the commit fails on it.
	blocker := filepath.Join(dest, "units/zz/index.html")
	os.Remove(blocker)
	os.MkdirAll(blocker, 0o755)
	before := snapshot(t, dest)
	manifest, _ := os.ReadFile(ManifestPath(dest))
	two := flatBuild(flatMin, "new")
	two["units/zz/index.html"] = "new zz"
	d := mustOpen(t, dest, Options{})
	err := build(t, d, two)
	if err == nil || !strings.Contains(err.Error(), "is a folder where the build writes a file") {
		t.Fatalf("commit over a folder: %v, want an error naming it", err)
	}
	if d.swaps.Load() == 0 {
		t.Error("nothing was swapped before the failure: the test tests nothing")
	}
	if got := snapshot(t, dest); !maps.Equal(got, before) {
		t.Errorf("the destination changed: %d entries, was %d", len(got), len(before))
	}
	if after, _ := os.ReadFile(ManifestPath(dest)); string(after) != string(manifest) {
		t.Error("the manifest changed")
	}
}

// TestFlatFolders: folders of flatMin files or more and no folders.
func TestFlatFolders(t *testing.T) {
	m := Manifest{}
	for i := range flatMin {
		m[fmt.Sprintf("pdf/units/%d.pdf", i)] = Record{}
		m[fmt.Sprintf("units/%d/index.html", i)] = Record{}
		m[fmt.Sprintf("a/%d.html", i)] = Record{}
	}
	m["a/b/c.html"] = Record{}
	for i := range flatMin - 1 {
		m[fmt.Sprintf("data/units/%d.json", i)] = Record{}
	}
	got := flatFolders(m)
	if want := map[string]int{"pdf/units": flatMin}; !maps.Equal(got, want) {
		t.Errorf("flatFolders = %v, want %v", got, want)
	}
}
