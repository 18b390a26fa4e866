package output

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	for _, rel := range []string{"index.html", "units/06/index.html", "pdf/units/01834-KV03.pdf", "a..b/c"} {
		if err := Check(rel); err != nil {
			t.Errorf("Check(%q) = %v, want nil", rel, err)
		}
	}
	for _, rel := range []string{"", "../x", "/etc/passwd", "a/../../b", "units/../../x", `a\..\b`, "./a", "a//b", ".."} {
		if err := Check(rel); err == nil {
			t.Errorf("Check(%q) = nil, want an error", rel)
		}
	}
}

func TestWriteRejectsEscapes(t *testing.T) {
	parent := t.TempDir()
	d, err := Stage(filepath.Join(parent, "public"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	for _, rel := range []string{"../evil", "units/../../evil"} {
		if err := d.WriteFile(rel, []byte("x")); err == nil {
			t.Errorf("WriteFile(%q) succeeded", rel)
		}
		if err := d.Render(rel, func(io.Writer) error { return nil }); err == nil {
			t.Errorf("Render(%q) succeeded", rel)
		}
		if _, err := d.Cached(rel, "k", func(io.Writer) error { return nil }); err == nil {
			t.Errorf("Cached(%q) succeeded", rel)
		}
	}
	if _, err := os.Stat(filepath.Join(parent, "evil")); err == nil {
		t.Error("a file escaped the destination")
	}
	if err := d.WriteFile("a.txt", nil); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("a.txt", nil); err == nil {
		t.Error("writing one path twice succeeded")
	}
}

func write(t *testing.T, d *Dir, files map[string]string) {
	t.Helper()
	for rel, s := range files {
		if err := d.WriteFile(rel, []byte(s)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCommitSwapsAndKeepsReport(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	d, _ := Stage(dest)
	write(t, d, map[string]string{"index.html": "one", "units/a/index.html": "a", "units/b/index.html": "b"})
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dest, "report"), 0o755)
	os.WriteFile(filepath.Join(dest, "report/index.html"), []byte("report"), 0o644)
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	os.Chtimes(filepath.Join(dest, "units/a/index.html"), old, old)

	d, _ = Stage(dest)
	write(t, d, map[string]string{"index.html": "two", "units/a/index.html": "a"})
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(dest, rel))
		if err != nil {
			return "(missing)"
		}
		return string(b)
	}
	if got := read("index.html"); got != "two" {
		t.Errorf("index.html = %q", got)
	}
	if got := read("units/b/index.html"); got != "(missing)" {
		t.Errorf("a removed unit's page lingers: %q", got)
	}
	if got := read("report/index.html"); got != "report" {
		t.Errorf("report/ was not kept: %q", got)
	}
	st, _ := os.Stat(filepath.Join(dest, "units/a/index.html"))
	if !st.ModTime().Equal(old) {
		t.Errorf("an unchanged file got a new time: %v", st.ModTime())
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	if len(entries) != 1 {
		t.Errorf("left beside the destination: %v", entries)
	}
}

func TestAbortLeavesDest(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	d, _ := Stage(dest)
	write(t, d, map[string]string{"index.html": "one"})
	d.Commit()
	d, _ = Stage(dest)
	write(t, d, map[string]string{"index.html": "half"})
	d.Abort()
	b, _ := os.ReadFile(filepath.Join(dest, "index.html"))
	entries, _ := os.ReadDir(filepath.Dir(dest))
	if string(b) != "one" || len(entries) != 1 {
		t.Errorf("after Abort: index %q, entries %v", b, entries)
	}
}

func TestCachedReuse(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	renders := 0
	build := func(keys map[string]string) {
		d, _ := Open(dest)
		for rel, key := range keys {
			_, err := d.Cached(rel, key, func(w io.Writer) error {
				renders++
				_, err := io.WriteString(w, rel+"@"+key)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	build(map[string]string{"a.pdf": "1", "b.pdf": "1"})
	if renders != 2 {
		t.Fatalf("first build rendered %d", renders)
	}
	renders = 0
	build(map[string]string{"a.pdf": "1", "b.pdf": "2"})
	if renders != 1 {
		t.Errorf("second build rendered %d files, want only the changed one", renders)
	}
	for rel, want := range map[string]string{"a.pdf": "a.pdf@1", "b.pdf": "b.pdf@2"} {
		b, _ := os.ReadFile(filepath.Join(dest, rel))
		if string(b) != want {
			t.Errorf("%s = %q, want %q", rel, b, want)
		}
	}
	if !strings.Contains(filepath.Base(dest), "public") {
		t.Fatal(dest)
	}
}

// build runs one persistent build of files into dest with keys (a file
// with key "" is written with WriteFile), counting renders.
func persistentBuild(t *testing.T, dest string, files, keys map[string]string, renders *int) *Dir {
	t.Helper()
	d, err := Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	for rel, body := range files {
		if keys[rel] == "" {
			if err := d.WriteFile(rel, []byte(body)); err != nil {
				t.Fatal(err)
			}
			continue
		}
		_, err := d.Cached(rel, keys[rel], func(w io.Writer) error {
			*renders++
			_, err := io.WriteString(w, body)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	return d
}

func readTree(t *testing.T, dest string) map[string]string {
	t.Helper()
	got := map[string]string{}
	filepath.WalkDir(dest, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dest, p)
			got[filepath.ToSlash(rel)] = string(b)
		}
		return err
	})
	return got
}

// TestOpenUpdatesInPlace: with the manifest beside it, a second build
// renders only outputs whose key changed, writes only files whose bytes
// changed, removes files it no longer has (and their empty folders), keeps
// report/, and re-renders a file changed or removed behind its back.
func TestOpenUpdatesInPlace(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	files := map[string]string{"index.html": "one", "units/a/index.html": "a", "units/b/index.html": "b", "units/c/x.pdf": "c"}
	keys := map[string]string{"units/a/index.html": "1", "units/b/index.html": "1", "units/c/x.pdf": "1"}
	renders := 0
	d := persistentBuild(t, dest, files, keys, &renders)
	if d.Updating() || renders != 3 {
		t.Fatalf("first build: updating %v, %d renders", d.Updating(), renders)
	}
	if _, err := os.Stat(ManifestPath(dest)); err != nil {
		t.Fatalf("no manifest beside the destination: %v", err)
	}
	os.MkdirAll(filepath.Join(dest, "report"), 0o755)
	os.WriteFile(filepath.Join(dest, "report/index.html"), []byte("report"), 0o644)
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	// Pretend the first build was long ago: the manifest must agree.
	m, _ := readManifest(ManifestPath(dest))
	for _, rel := range []string{"index.html", "units/a/index.html"} {
		os.Chtimes(filepath.Join(dest, rel), old, old)
		r := m[rel]
		r.Mod = old.UnixNano()
		m[rel] = r
	}
	writeManifest(ManifestPath(dest), m, nil)

	// Nothing changed: nothing rendered, nothing written, not even the
	// manifest.
	os.Chtimes(ManifestPath(dest), old, old)
	renders = 0
	d = persistentBuild(t, dest, files, keys, &renders)
	if w, k := d.Counts(); !d.Updating() || renders != 0 || w != 0 || k != 4 {
		t.Errorf("no-change build: updating %v, %d renders, %d written, %d kept", d.Updating(), renders, w, k)
	}
	if st, err := os.Stat(ManifestPath(dest)); err != nil || !st.ModTime().Equal(old) {
		t.Errorf("a no-change build wrote the manifest again: %v, %v", st.ModTime(), err)
	}

	// b's key changes and its bytes too; c is gone; index.html is
	// rewritten with the same bytes; a new file appears.
	files2 := map[string]string{"index.html": "one", "units/a/index.html": "a", "units/b/index.html": "b2", "units/d/index.html": "d"}
	keys2 := map[string]string{"units/a/index.html": "1", "units/b/index.html": "2", "units/d/index.html": "1"}
	renders = 0
	d = persistentBuild(t, dest, files2, keys2, &renders)
	if w, k := d.Counts(); renders != 2 || w != 2 || k != 2 {
		t.Errorf("changed build: %d renders, %d written, %d kept; want 2, 2, 2", renders, w, k)
	}
	want := map[string]string{"index.html": "one", "units/a/index.html": "a", "units/b/index.html": "b2", "units/d/index.html": "d", "report/index.html": "report"}
	if got := readTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("tree after update = %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(dest, "units/c")); err == nil {
		t.Error("the folder of a removed file lingers")
	}
	for _, rel := range []string{"index.html", "units/a/index.html"} {
		if st, _ := os.Stat(filepath.Join(dest, rel)); !st.ModTime().Equal(old) {
			t.Errorf("%s: unchanged but got a new time %v", rel, st.ModTime())
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	if len(entries) != 2 {
		t.Errorf("beside the destination: %v, want it and its manifest", entries)
	}

	// Someone edits a file and deletes another behind the build's back:
	// both are rendered again although their keys did not change.
	os.WriteFile(filepath.Join(dest, "units/a/index.html"), []byte("edited!"), 0o644)
	os.Remove(filepath.Join(dest, "units/d/index.html"))
	renders = 0
	persistentBuild(t, dest, files2, keys2, &renders)
	if renders != 2 {
		t.Errorf("after outside edits: %d renders, want 2", renders)
	}
	want = map[string]string{"index.html": "one", "units/a/index.html": "a", "units/b/index.html": "b2", "units/d/index.html": "d", "report/index.html": "report"}
	if got := readTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("tree after outside edits = %v, want %v", got, want)
	}
}

// TestOpenDamagedManifest: without a readable manifest, a build cannot
// tell its files from anyone else's: Open refuses the destination and
// leaves it as it is; with Force the build writes its files there and
// keeps the others (stray.txt), then writes a new manifest.
func TestOpenDamagedManifest(t *testing.T) {
	for name, damage := range map[string]func(string){
		"missing":   func(p string) { os.Remove(p) },
		"truncated": func(p string) { b, _ := os.ReadFile(p); os.WriteFile(p, b[:len(b)-20], 0o644) },
		"foreign":   func(p string) { os.WriteFile(p, []byte("hello\n"), 0o644) },
		"escaping": func(p string) {
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(b, []byte(" a.html"), []byte(" ../a.html"), 1), 0o644)
		},
	} {
		t.Run(name, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "public")
			renders := 0
			files := map[string]string{"a.html": "a", "b.html": "b"}
			keys := map[string]string{"a.html": "1", "b.html": "1"}
			persistentBuild(t, dest, files, keys, &renders)
			os.WriteFile(filepath.Join(dest, "stray.txt"), []byte("x"), 0o644)
			damage(ManifestPath(dest))
			want := map[string]string{"a.html": "a", "b.html": "b", "stray.txt": "x"}

			_, err := Open(dest)
			var fe *ForeignError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), "stray.txt") {
				t.Fatalf("Open over files without a manifest: %v, want a ForeignError naming stray.txt", err)
			}
			if got := readTree(t, dest); !maps.Equal(got, want) {
				t.Errorf("after the refusal: tree = %v, want %v", got, want)
			}

			d, err := OpenWith(dest, Options{Force: true})
			if err != nil {
				t.Fatal(err)
			}
			renders = 0
			for rel, body := range files {
				if _, err := d.Cached(rel, "1", func(w io.Writer) error { renders++; _, err := io.WriteString(w, body); return err }); err != nil {
					t.Fatal(err)
				}
			}
			if err := d.Commit(); err != nil {
				t.Fatal(err)
			}
			if !d.Updating() || renders != 2 {
				t.Errorf("forced build: updating %v, %d renders; want an update rendering both", d.Updating(), renders)
			}
			if got := readTree(t, dest); !maps.Equal(got, want) {
				t.Errorf("after a forced build: tree = %v, want %v", got, want)
			}
			m, err := readManifest(ManifestPath(dest))
			if err != nil || len(m) != 2 {
				t.Errorf("the manifest was not rewritten with the build's 2 files: %v, %v", m, err)
			}
		})
	}
}

// TestOpenAbortLeavesDest: an updating build that fails leaves the
// destination and its manifest as they were.
func TestOpenAbortLeavesDest(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	renders := 0
	persistentBuild(t, dest, map[string]string{"a.html": "a"}, map[string]string{"a.html": "1"}, &renders)
	before, _ := os.ReadFile(ManifestPath(dest))
	d, _ := Open(dest)
	d.WriteFile("a.html", []byte("changed"))
	d.WriteFile("b.html", []byte("new"))
	d.Abort()
	after, _ := os.ReadFile(ManifestPath(dest))
	if got := readTree(t, dest); !maps.Equal(got, map[string]string{"a.html": "a"}) || !bytes.Equal(before, after) {
		t.Errorf("after an aborted update: tree %v, manifest changed %v", got, !bytes.Equal(before, after))
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	if len(entries) != 2 {
		t.Errorf("beside the destination: %v", entries)
	}
}

// TestModes: the site and its manifest are readable by a web server.
func TestModes(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	renders := 0
	persistentBuild(t, dest, map[string]string{"a/b.html": "b"}, map[string]string{}, &renders)
	for _, p := range []string{dest, filepath.Join(dest, "a"), filepath.Join(dest, "a/b.html"), ManifestPath(dest)} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o044 != 0o044 {
			t.Errorf("%s: mode %v, want readable by all", p, st.Mode())
		}
	}
}

// TestCommitAfterAnotherBuild: a build that another build overtook
// (committed between its Open and its Commit) removes the files the
// other wrote and it does not, and the next build finds what is there.
// (A file it kept, which the other replaced, stays as the other wrote
// it, and its record no longer matches it: the next build writes it.)
func TestCommitAfterAnotherBuild(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	renders := 0
	one := map[string]string{"a.html": "a", "b.html": "b"}
	persistentBuild(t, dest, one, nil, &renders)
	slow, err := Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	write(t, slow, one) // nothing changed
	persistentBuild(t, dest, map[string]string{"a.html": "a", "b.html": "b2", "c.html": "c"}, nil, &renders)
	if err := slow.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, "c.html")); err == nil {
		t.Error("c.html, written by the other build only, is still there")
	}
	if m, err := readManifest(ManifestPath(dest)); err != nil || len(m) != 2 {
		t.Errorf("manifest = %v, %v; want the 2 files of the last build", m, err)
	}
	persistentBuild(t, dest, one, nil, &renders)
	if got := readTree(t, dest); !maps.Equal(got, one) {
		t.Errorf("after the next build: %v, want %v", got, one)
	}
}

// TestKeyChangeSameBytes: an output whose key changed but whose bytes did
// not is kept, and the manifest learns its new key: the next build with
// that key renders nothing.
func TestKeyChangeSameBytes(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	files := map[string]string{"a.html": "a", "b.html": "b"}
	renders := 0
	persistentBuild(t, dest, files, map[string]string{"a.html": "1", "b.html": "1"}, &renders)
	renders = 0
	d := persistentBuild(t, dest, files, map[string]string{"a.html": "2", "b.html": "1"}, &renders)
	if w, _ := d.Counts(); renders != 1 || w != 0 {
		t.Errorf("a key changed, not the bytes: %d renders, %d written; want 1, 0", renders, w)
	}
	renders = 0
	persistentBuild(t, dest, files, map[string]string{"a.html": "2", "b.html": "1"}, &renders)
	if renders != 0 {
		t.Errorf("the build after it rendered %d files, want 0: the manifest kept the old key", renders)
	}
}

// TestManifestVersion1: a destination built by a checkgen whose manifest
// hashed with SHA-256 (version 1) is still the build's own: the next
// build writes every file once (the old hashes match nothing), removes
// the files only the old manifest lists, and leaves a version 2
// manifest, after which nothing is written again.
func TestManifestVersion1(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	files := map[string]string{"a.html": "a", "units/b/index.html": "b"}
	keys := map[string]string{"a.html": "1"}
	renders := 0
	persistentBuild(t, dest, files, keys, &renders)
	os.WriteFile(filepath.Join(dest, "gone.html"), []byte("old"), 0o644)

	// The manifest as version 1 wrote it: the first 16 bytes of the
	// SHA-256 of the key and of the bytes.
	v1 := "checkgen-manifest/1\n"
	for _, rel := range []string{"a.html", "gone.html", "units/b/index.html"} {
		body, _ := os.ReadFile(filepath.Join(dest, rel))
		st, _ := os.Stat(filepath.Join(dest, rel))
		key := [16]byte{}
		if keys[rel] != "" {
			k := sha256.Sum256([]byte(keys[rel]))
			copy(key[:], k[:16])
		}
		s := sha256.Sum256(body)
		v1 += fmt.Sprintf("%x %x %d %d %s\n", key, s[:16], st.Size(), st.ModTime().UnixNano(), rel)
	}
	os.WriteFile(ManifestPath(dest), []byte(v1), 0o644)

	renders = 0
	d := persistentBuild(t, dest, files, keys, &renders)
	if w, k := d.Counts(); renders != 1 || w != 2 || k != 0 {
		t.Errorf("after a version 1 manifest: %d renders, %d written, %d kept; want 1, 2, 0", renders, w, k)
	}
	if got := readTree(t, dest); !maps.Equal(got, files) {
		t.Errorf("tree = %v, want %v (gone.html, listed by the old manifest, removed)", got, files)
	}
	b, _ := os.ReadFile(ManifestPath(dest))
	if !bytes.HasPrefix(b, []byte("checkgen-manifest/2\n")) {
		t.Errorf("the manifest was not rewritten as version 2: %q", b)
	}
	renders = 0
	d = persistentBuild(t, dest, files, keys, &renders)
	if w, _ := d.Counts(); renders != 0 || w != 0 {
		t.Errorf("the build after it: %d renders, %d written; want none", renders, w)
	}
}

// TestSumIsXXH3: the manifest's hashes are XXH3-128 (big-endian), as
// its header says; the expected value is the reference implementation's
// for empty input (xxHash's sanity tests: XXH3_128bits of no bytes).
func TestSumIsXXH3(t *testing.T) {
	if got := fmt.Sprintf("%x", sum(nil)); got != "99aa06d3014798d86001c324468d497f" {
		t.Errorf("sum of no bytes = %s, want XXH3-128's 99aa06d3014798d86001c324468d497f", got)
	}
}
