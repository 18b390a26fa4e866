package main

import (
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"checkgen/generator/plan"
)

// copySite copies the example site's content/ into a new temp dir.
func copySite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := os.DirFS(filepath.Join("..", ".."))
	err := fs.WalkDir(src, "content", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(path))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := fs.ReadFile(src, path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// editFile replaces old with new once in the site's file, and fails the
// test when old is not there.
func editFile(t *testing.T, dir, file, old, new string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(file))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), old, new, 1)
	if s == string(b) {
		t.Fatalf("%s: %q not found: the example changed; update the test", file, old)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// cutTask removes the [[task]] with id from a plan file.
func cutTask(t *testing.T, dir, file, id string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(file))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	head := "[[task]]\nid          = \"" + id + "\"\n"
	i := strings.Index(s, head)
	if i < 0 {
		t.Fatalf("%s: no task %q: the example changed; update the test", file, id)
	}
	j := strings.Index(s[i+len(head):], "[[task]]")
	if j < 0 {
		t.Fatalf("%s: task %q is the last one: the test wants one after it", file, id)
	}
	editFile(t, dir, file, s[i:i+len(head)+j], "")
}

const addedTask = `
[[task]]
id          = "reprint-check"
title       = "Kiểm tra việc in lại, phát lại biểu mẫu đã sửa đổi"
levels      = ["district"]
responsible = "election-committee"
category    = "inspection"
due         = "E-3"
`

// amendedSite is a copy of the example with a task added, one removed, one
// changed (title and due), a unit renamed and a unit's election day moved.
func amendedSite(t *testing.T) string {
	t.Helper()
	dir := copySite(t)
	editFile(t, dir, "content/plans/bac-kan-23-kh-ubbc.toml", "# ---------------------------------------------------------- 4. Kiểm tra, giám sát\n",
		"# ---------------------------------------------------------- 4. Kiểm tra, giám sát\n"+addedTask)
	cutTask(t, dir, "content/plans/bo-cong-an-antt.toml", "island-polling-security")
	editFile(t, dir, "content/plans/hai-ba-trung-19-5-2021.toml",
		`title       = "Chỉ đạo rà soát cơ sở vật chất, tài liệu tại các khu vực bỏ phiếu của phường"
levels      = ["commune"]
responsible = "peoples-committee"
support     = ["party-committee", "steering-committee"]
category    = "materials"
start       = 2021-05-19
due         = "E-1"`,
		`title       = "Chỉ đạo rà soát lần cuối cơ sở vật chất, tài liệu tại các khu vực bỏ phiếu của phường"
levels      = ["commune"]
responsible = "peoples-committee"
support     = ["party-committee", "steering-committee"]
category    = "materials"
start       = 2021-05-19
due         = "E-2 17:00"`)
	editFile(t, dir, "content/units.toml", `name   = "Phường Sông Cầu"`, `name   = "Phường Sông Cầu (đổi tên)"`)
	editFile(t, dir, "content/units.csv", "07198-KV03,07198,polling,Khu vực bỏ phiếu số 3 (giả định bầu cử sớm để minh họa),island;early-voting,2021-05-22",
		"07198-KV03,07198,polling,Khu vực bỏ phiếu số 3 (giả định bầu cử sớm để minh họa),island;early-voting,2021-05-21")
	return dir
}

func TestGoldenDiff(t *testing.T) {
	oldDir, newDir := copySite(t), amendedSite(t)
	list := filepath.Join(t.TempDir(), "reprint.csv")
	code, out, errOut := runCheckgen(t, "diff", "-s", newDir, "--list", list, oldDir)
	if code != exitOK || errOut != "" {
		t.Fatalf("checkgen diff: exit %d, stderr %q; want 0 and nothing", code, errOut)
	}
	golden(t, "diff-amended.golden", out)
	b, err := os.ReadFile(list)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "diff-amended-list.golden", string(b))
}

// The reprint list holds exactly the units whose checklist version or
// printed name, parents or election day changed, worked out here from the
// two models unit by unit, not by the diff package.
func TestDiffListUnits(t *testing.T) {
	oldDir, newDir := copySite(t), amendedSite(t)
	list := filepath.Join(t.TempDir(), "reprint.csv")
	if code, _, errOut := runCheckgen(t, "diff", "-s", newDir, "--list", list, oldDir); code != exitOK {
		t.Fatalf("checkgen diff: exit %d, %s", code, errOut)
	}
	f, err := os.Open(list)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], []string{"code", "name", "level", "old_version", "new_version"}) {
		t.Fatalf("header %q", rows[:min(1, len(rows))])
	}

	old := openSite(t, oldDir)
	cur := openSite(t, newDir)
	var want [][]string
	byLevel := map[string]int{}
	for _, n := range cur.Units {
		o := old.Unit(n.Code)
		if o == nil {
			t.Fatalf("unit %s is new: the test expects none", n.Code)
		}
		path := func(u *plan.Unit) string {
			var s []string
			for _, a := range u.Ancestors() {
				s = append(s, a.Name)
			}
			return strings.Join(append(s, u.Name), " / ")
		}
		if o.Checklist.Version != n.Checklist.Version || path(o) != path(n) || o.Day != n.Day {
			want = append(want, []string{n.Code, n.Name, n.Level, o.Checklist.Version, n.Checklist.Version})
			byLevel[n.Level]++
		}
	}
	if got := rows[1:]; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("reprint list: %d rows, want %d:\ngot  %q\nwant %q", len(got), len(want), got, want)
	}

	// What the edits must reach, counted from the example's text: the
	// changed task is a commune task of Hai Bà Trưng's 18 wards; the added
	// one a district task of Bắc Kạn's 8 districts; the removed one a
	// polling task of Cô Tô's island polling areas; the renamed ward's 5
	// polling areas print its name; the moved day is one polling area's.
	codes := map[string]bool{}
	for _, r := range rows[1:] {
		codes[r[0]] = true
	}
	for _, c := range []string{"00241", "00298", "058", "066", "01837", "01837-KV01", "01837-KV05", "07198-KV03", "07192-KV01"} {
		if !codes[c] {
			t.Errorf("unit %s is not in the reprint list", c)
		}
	}
	for _, c := range []string{"06", "01", "22", "007", "207", "01834", "01834-KV01", "00241-KV01"} {
		if codes[c] {
			t.Errorf("unit %s is in the reprint list; nothing on its papers changed", c)
		}
	}
	if byLevel["commune"] != 18+1 || byLevel["district"] != 8 {
		t.Errorf("changed communes %d, districts %d; want 19 (18 wards of Hai Bà Trưng, Sông Cầu) and 8 (Bắc Kạn)", byLevel["commune"], byLevel["district"])
	}
}

func openSite(t *testing.T, dir string) *plan.Model {
	t.Helper()
	m, err := plan.Open(os.DirFS(dir))
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return m
}

func TestDiffSameSite(t *testing.T) {
	oldDir := copySite(t)
	list := filepath.Join(t.TempDir(), "reprint.csv")
	code, out, errOut := runCheckgen(t, "diff", "-s", filepath.Join("..", ".."), "--list", list, oldDir)
	if code != exitOK || errOut != "" {
		t.Fatalf("checkgen diff: exit %d, stderr %q; want 0", code, errOut)
	}
	m := openSite(t, oldDir)
	want := "no changes\n0 tasks changed, 0 added, 0 removed; papers of 0 of " + itoa(len(m.Units)) + " units changed\n"
	if out != want {
		t.Errorf("checkgen diff of two equal sites:\n%s\nwant\n%s", out, want)
	}
	if b, _ := os.ReadFile(list); string(b) != "code,name,level,old_version,new_version\n" {
		t.Errorf("reprint list of two equal sites: %q, want the header alone", b)
	}
}

func TestDiffBrokenSite(t *testing.T) {
	good := copySite(t)
	broken := copySite(t)
	// One error: the category of ward-review, line 58 of the plan, unknown.
	editFile(t, broken, "content/plans/hai-ba-trung-19-5-2021.toml", `category    = "materials"
start       = 2021-05-19`, `category    = "material"
start       = 2021-05-19`)
	for _, tt := range []struct {
		name  string
		args  []string
		which string
		dir   string
	}{
		{"old", []string{"diff", "-s", good, broken}, "old", broken},
		{"new", []string{"diff", "-s", broken, good}, "new", broken},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCheckgen(t, tt.args...)
			if code != exitContent || out != "" {
				t.Fatalf("checkgen %q: exit %d, stdout %q; want 1 and nothing", tt.args, code, out)
			}
			lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
			if len(lines) != 3 || lines[0] != "checkgen diff: the "+tt.which+" site "+tt.dir+" does not load:" {
				t.Fatalf("stderr %q: want a first line naming the %s site", errOut, tt.which)
			}
			prefix := filepath.Join(tt.dir, "content", "plans", "hai-ba-trung-19-5-2021.toml") + ":58:15: unknown category \"material\""
			if !strings.HasPrefix(lines[1], prefix) {
				t.Errorf("error line %q: want it to start %q", lines[1], prefix)
			}
			if last := lines[len(lines)-1]; !strings.HasSuffix(last, " in the "+tt.which+" site") {
				t.Errorf("last line %q: want the count of the %s site's errors", last, tt.which)
			}
		})
	}
	// Both broken: both listed.
	code, _, errOut := runCheckgen(t, "diff", "-s", broken, broken)
	if code != exitContent || !strings.Contains(errOut, "the old site") || !strings.Contains(errOut, "the new site") {
		t.Errorf("two broken sites: exit %d, stderr %q; want 1 and both sites named", code, errOut)
	}
}

func TestDiffUsage(t *testing.T) {
	for _, args := range [][]string{{"diff"}, {"diff", "a", "b"}} {
		if code, _, _ := runCheckgen(t, args...); code != exitUsage {
			t.Errorf("checkgen %q: exit %d, want 2", args, code)
		}
	}
}

// A list that cannot be written is an error after the comparison printed.
func TestDiffListUnwritable(t *testing.T) {
	list := filepath.Join(t.TempDir(), "missing", "reprint.csv")
	code, out, errOut := runCheckgen(t, "diff", "-s", filepath.Join("..", ".."), "--list", list, copySite(t))
	if code != exitContent || !strings.HasSuffix(out, " units changed\n") ||
		!strings.HasPrefix(errOut, "checkgen diff: writing the reprint list: ") || !strings.Contains(errOut, list) {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1, the summary, and the error naming the file", code, out, errOut)
	}
}
