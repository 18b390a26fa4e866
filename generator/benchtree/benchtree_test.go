package benchtree

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"checkgen/generator/plan"
)

func TestWriteOursLoads(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ours")
	s := Shape{Provinces: 2, Districts: 2, Communes: 3, Polling: 4}
	if err := WriteOurs(dir, s); err != nil {
		t.Fatal(err)
	}
	m, err := plan.Open(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, u := range m.Units {
		count[u.Level]++
	}
	want := map[string]int{"province": 2, "district": 4, "commune": 12, "polling": 48}
	for lv, n := range want {
		if count[lv] != n {
			t.Errorf("%s units: %d, want %d", lv, count[lv], n)
		}
	}
	for _, u := range m.Units {
		if u.Level != "polling" {
			continue
		}
		if n := len(u.Checklist.Entries); n != 40 {
			t.Fatalf("%s: %d tasks, want 40", u.Code, n)
		}
		titles := map[string]bool{}
		for _, e := range u.Checklist.Entries {
			titles[e.Task.Title] = true
		}
		// Task t (from 0) is title t mod 10, step t+1: t = 39 is the tenth title.
		for _, want := range []string{"Kiểm tra danh sách cử tri và niêm yết công khai (bước 1)", "Kiểm phiếu và lập biên bản kết quả kiểm phiếu (bước 40)"} {
			if !titles[want] {
				t.Fatalf("%s: no task %q", u.Code, want)
			}
		}
	}
	if err := WriteOurs(dir, s); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("writing into an existing folder: %v", err)
	}
}

func TestWriteHugoPages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hugo")
	s := Shape{Provinces: 1, Districts: 2, Communes: 2, Polling: 3, Tasks: 5}
	if err := WriteHugo(dir, s); err != nil {
		t.Fatal(err)
	}
	var leaves, sections int
	filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			t.Fatal(err)
		case d.Name() == "_index.md":
			sections++
		case strings.HasSuffix(p, ".md"):
			leaves++
		}
		return nil
	})
	if leaves != s.Leaves() || sections != s.Sections()+1 {
		t.Errorf("%d leaves, %d sections; want %d, %d", leaves, sections, s.Leaves(), s.Sections()+1)
	}
	b, err := os.ReadFile(filepath.Join(dir, "content/tinh-01/huyen-02/xa-01/kv-003.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	// The fifth task (t=4) of polling area 3: roles[(4+3) mod 6] is "Thư ký", due on the 5th.
	if strings.Count(text, "[[tasks]]") != 5 || !strings.Contains(text, `title = "Khu vực bỏ phiếu số 3 — Xã 01.02.01"`) ||
		!strings.Contains(text, `responsible = "Thư ký"`) || !strings.Contains(text, `deadline = "2021-05-05"`) {
		t.Errorf("leaf page:\n%s", text)
	}
}

func TestWriteFloor(t *testing.T) {
	src := t.TempDir()
	want := []File{{"a.txt", 3}, {"d/e/f.bin", 0}, {"d/g.html", 70000}}
	for _, f := range want {
		p := filepath.Join(src, filepath.FromSlash(f.Path))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, make([]byte, f.Size), 0o644)
	}
	got, err := Files(src)
	if err != nil || len(got) != len(want) {
		t.Fatalf("Files: %v, %v", got, err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Files[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if Bytes(got) != 70003 {
		t.Errorf("Bytes = %d", Bytes(got))
	}
	floor := filepath.Join(t.TempDir(), "floor")
	if err := WriteFloor(floor, got); err != nil {
		t.Fatal(err)
	}
	again, err := Files(floor)
	if err != nil || len(again) != len(want) {
		t.Fatalf("floor: %v, %v", again, err)
	}
	for i := range want {
		if again[i] != want[i] {
			t.Errorf("floor file %v, want %v", again[i], want[i])
		}
	}
}
