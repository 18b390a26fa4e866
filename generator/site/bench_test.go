package site

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// bigSite is the example site with units added under each of its
// provinces (districts, communes, polling areas) until it has n units;
// one polling area in 50 votes a day early.
func bigSite(tb testing.TB, n int) *plan.Model {
	tb.Helper()
	fsys := fstest.MapFS{}
	root := exampleFS(tb)
	err := fs.WalkDir(root, "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(root, p)
		fsys[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	m := open(tb, fsys)
	count := len(m.Units)
	var csv strings.Builder
	csv.Write(fsys[plan.UnitsCSV].Data)
	add := func(code, parent, level, name, day string) {
		fmt.Fprintf(&csv, "%s,%s,%s,%s,,%s\n", code, parent, level, name, day)
		count++
	}
	lv := m.Levels
	for d := 0; count < n; d++ {
		for _, prov := range m.Roots {
			if count >= n {
				break
			}
			dist := fmt.Sprintf("%s-G%03d", prov.Code, d)
			add(dist, prov.Code, lv[1].ID, fmt.Sprintf("Huyện Thử nghiệm %d", d), "")
			for c := 0; c < 12 && count < n; c++ {
				com := fmt.Sprintf("%s-%02d", dist, c)
				add(com, dist, lv[2].ID, fmt.Sprintf("Xã Đồng Tâm %d", c), "")
				for k := 1; k <= 25 && count < n; k++ {
					day := ""
					if count%50 == 0 {
						day = m.Site.ElectionDay.AddDays(-1).String()
					}
					add(fmt.Sprintf("%s-KV%02d", com, k), com, lv[3].ID, fmt.Sprintf("Khu vực bỏ phiếu số %d", k), day)
				}
			}
		}
	}
	fsys[plan.UnitsCSV] = &fstest.MapFile{Data: []byte(csv.String())}
	big := open(tb, fsys)
	if len(big.Units) != n {
		tb.Fatalf("generated %d units, want %d", len(big.Units), n)
	}
	return big
}

// BenchmarkRender renders the HTML site of 10,000 units to disk.
func BenchmarkRender(b *testing.B) {
	m := bigSite(b, 10000)
	dir := b.TempDir()
	pages := 0
	for b.Loop() {
		out, err := output.Stage(filepath.Join(dir, "public"))
		if err != nil {
			b.Fatal(err)
		}
		if err := Render(m, out, Options{Date: buildDate}); err != nil {
			b.Fatal(err)
		}
		pages = 0
		for _, f := range out.Files() {
			if strings.HasSuffix(f, ".html") {
				pages++
			}
		}
		out.Abort()
	}
	b.ReportMetric(float64(pages), "pages/op")
	b.ReportMetric(float64(pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkSearchIndex100k writes the unit index of 100,000 units and
// reports its size: it is loaded only when someone searches.
func BenchmarkSearchIndex100k(b *testing.B) {
	m := bigSite(b, 100000)
	dir := b.TempDir()
	r := &renderer{m: m, units: m.Units}
	size := 0
	for b.Loop() {
		out, err := output.Stage(filepath.Join(dir, "public"))
		if err != nil {
			b.Fatal(err)
		}
		if err := r.writeSearchIndex(out); err != nil {
			b.Fatal(err)
		}
		st, err := os.Stat(filepath.Join(out.Root(), searchIndex))
		if err != nil {
			b.Fatal(err)
		}
		size = int(st.Size())
		out.Abort()
	}
	b.ReportMetric(float64(size), "index-bytes")
}

// BenchmarkUnitPages renders the page and calendar of each of 10,000 units
// to io.Discard: the renderer's own cost, without the file system's.
func BenchmarkUnitPages(b *testing.B) {
	m := bigSite(b, 10000)
	r, err := newRenderer(m, Options{Date: buildDate})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, u := range m.Units {
			p, err := r.unitPage(u)
			if err != nil {
				b.Fatal(err)
			}
			if err := r.theme.execute(io.Discard, "unit.html", "x", p); err != nil {
				b.Fatal(err)
			}
			if err := r.unitCalendar(io.Discard, u); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(m.Units))*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
