package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"checkgen/generator/plan"
	"checkgen/generator/xlsx"
)

// TestExampleSite runs the loop on the Vietnamese example: a commune's
// workbook, its own sheet filled, read back into a report in Vietnamese.
func TestExampleSite(t *testing.T) {
	m, err := plan.Open(os.DirFS(filepath.Join("..", "..")))
	if err != nil {
		t.Fatalf("the example site: %v", err)
	}
	var commune *plan.Unit
	for _, u := range m.Units {
		if u.Level == "commune" && len(u.Children) > 0 {
			commune = u
			break
		}
	}
	if commune == nil {
		t.Fatal("no commune with polling areas in the example")
	}
	first := commune.Checklist.Entries[0].Task.Key()
	data := fill(t, m, book(t, m, commune.Code), map[string]map[string]answer{
		commune.Code: {first: {"đã xong", "2021-03-20", "Nguyễn Thị Hoa"}},
	}, nil)
	wb, err := xlsx.Read(commune.Code+".xlsx", bytes.NewReader(data), xlsx.ReadOptions{Labels: labels(m)})
	if err != nil {
		t.Fatal(err)
	}
	r := Build(m, []*xlsx.Workbook{wb}, nil, Options{AsOf: plan.Date{Year: 2021, Month: 5, Day: 20}})
	if len(r.Problems) > 0 {
		t.Fatalf("problems:\n%s", problemLines(r))
	}
	u := unitReport(t, r, commune.Code)
	if u.State != Returned || u.Counts.Done != 1 || u.Counts.Tasks != len(commune.Checklist.Entries) {
		t.Errorf("%s: %s %+v", commune.Code, u.State.Key(), u.Counts)
	}
	if r.Scope != nil {
		t.Errorf("scope %v, want the whole site", r.Scope)
	}
	files := render(t, r)
	index := string(files["index.html"])
	for _, s := range []string{`<html lang="vi">`, "<h1>Báo cáo tiến độ</h1>", "Tính đến ngày: 20/05/2021", "Chưa nộp"} {
		if !strings.Contains(index, s) {
			t.Errorf("index.html lacks %q", s)
		}
	}
}

// TestLevelChartLabelsDistinct: the example's polling areas are named
// "Khu vực bỏ phiếu số 1", "số 2" … in every commune, so the polling
// level's chart must say which one each bar is: no two bars share a
// label, and a repeated name carries its unit's code.
func TestLevelChartLabelsDistinct(t *testing.T) {
	m, err := plan.Open(os.DirFS(filepath.Join("..", "..")))
	if err != nil {
		t.Fatalf("the example site: %v", err)
	}
	names := map[string]int{}
	for _, u := range m.Units {
		if u.Level == "polling" {
			names[u.Name]++
		}
	}
	if names["Khu vực bỏ phiếu số 1"] < 2 {
		t.Fatalf("the example no longer repeats a polling area's name: %v", names)
	}
	r := Build(m, nil, nil, Options{AsOf: plan.Date{Year: 2021, Month: 5, Day: 20}})
	page := string(render(t, r)["levels/polling/index.html"])
	svg := page[strings.Index(page, "<svg"):]
	svg = svg[:strings.Index(svg, "</svg>")]
	seen := map[string]bool{}
	labels := 0
	for _, part := range strings.Split(svg, `class="l">`)[1:] {
		label := part[:strings.Index(part, "<")]
		if strings.HasPrefix(label, "+ ") {
			continue // "+ 124 units" below the bars
		}
		labels++
		if seen[label] {
			t.Errorf("two bars labelled %q", label)
		}
		seen[label] = true
	}
	if labels == 0 || !seen["Khu vực bỏ phiếu số 1 (00241-KV01)"] && !strings.Contains(svg, "Khu vực bỏ phiếu số 1 (") {
		t.Errorf("%d labels; none names the code of a repeated name:\n%s", labels, svg[:min(len(svg), 2000)])
	}
}
