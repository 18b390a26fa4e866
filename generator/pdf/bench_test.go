package pdf

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"checkgen/generator/plan"
)

// largeFS is the example site (the repository's content/) with a
// generated tree of units added under province 06: districts, communes
// and polling areas, one polling area in ten voting a day early.
func largeFS(tb testing.TB, districts, communes, polling int) fstest.MapFS {
	tb.Helper()
	root := os.DirFS(filepath.Join("..", ".."))
	fsys := fstest.MapFS{}
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
	var csv strings.Builder
	if f := fsys["content/units.csv"]; f != nil {
		csv.Write(f.Data)
	} else {
		csv.WriteString("code,parent,level,name,tags,election_day\n")
	}
	for d := 1; d <= districts; d++ {
		dc := fmt.Sprintf("X06-%03d", d)
		fmt.Fprintf(&csv, "%s,06,district,Huyện số %d,,\n", dc, d)
		for c := 1; c <= communes; c++ {
			cc := fmt.Sprintf("%s-%05d", dc, c)
			fmt.Fprintf(&csv, "%s,%s,commune,Xã số %d huyện %d,,\n", cc, dc, c, d)
			for k := 1; k <= polling; k++ {
				day := ""
				if k%10 == 0 {
					day = "2021-05-22"
				}
				fmt.Fprintf(&csv, "%s-KV%02d,%s,polling,Khu vực bỏ phiếu số %d,,%s\n", cc, k, cc, k, day)
			}
		}
	}
	fsys["content/units.csv"] = &fstest.MapFile{Data: []byte(csv.String())}
	return fsys
}

// BenchmarkRender renders every PDF of a generated site of 464 units; run
// with -cpu 1,2 to see the parallel speed-up. It reports PDFs per second
// and the average size of a PDF.
func BenchmarkRender(b *testing.B) {
	m, err := plan.Open(largeFS(b, 4, 5, 22))
	if err != nil {
		b.Fatal(err)
	}
	date := time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC)
	var dest string
	for b.Loop() {
		dest = render(b, m, Options{Units: m.Units, Date: date})
	}
	n, size := 0, int64(0)
	filepath.WalkDir(filepath.Join(dest, "pdf"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if st, err := d.Info(); err == nil {
				n++
				size += st.Size()
			}
		}
		return nil
	})
	if n != len(m.Units)+len(m.Levels) {
		b.Fatalf("wrote %d PDFs, want %d", n, len(m.Units)+len(m.Levels))
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "pdfs/s")
	b.ReportMetric(float64(size)/float64(n), "bytes/pdf")
}

// BenchmarkWrite writes one polling area's PDF with each cut of the fonts
// (tier 0 is the usual case for Vietnamese), and with the full faces, to
// show what the cuts save.
func BenchmarkWrite(b *testing.B) {
	m, err := plan.Open(largeFS(b, 1, 1, 1))
	if err != nil {
		b.Fatal(err)
	}
	fonts, err := loadFonts()
	if err != nil {
		b.Fatal(err)
	}
	fm := newForm(m, fonts, m.Site.ElectionDay.Time())
	u := m.Units[len(m.Units)-1]
	d := fm.unitDoc(u, fm.table(u.Checklist))
	if fm.tier(d) != 0 {
		b.Fatalf("a Vietnamese polling area needs fonts tier %d, want 0", fm.tier(d))
	}
	for tier := 0; tier <= len(fonts.cuts); tier++ {
		name := fmt.Sprintf("tier%d", tier)
		if tier == len(fonts.cuts) {
			name = "full"
		}
		b.Run(name, func(b *testing.B) {
			fm := *fm
			fm.sharedTier = tier
			for b.Loop() {
				if err := fm.write(io.Discard, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
