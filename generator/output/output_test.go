package output

import (
	"io"
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
		if _, err := d.Create(rel); err == nil {
			t.Errorf("Create(%q) succeeded", rel)
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
	build := func(prev Manifest, keys map[string]string) Manifest {
		d, _ := Stage(dest)
		d.Incremental(prev)
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
		return d.Manifest()
	}
	m := build(nil, map[string]string{"a.pdf": "1", "b.pdf": "1"})
	if renders != 2 {
		t.Fatalf("first build rendered %d", renders)
	}
	renders = 0
	build(m, map[string]string{"a.pdf": "1", "b.pdf": "2"})
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
