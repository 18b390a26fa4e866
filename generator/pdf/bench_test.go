package pdf

import (
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"checkgen/generator/fixture"
	"checkgen/generator/plan"
	"checkgen/internal/cputime"
)

// BenchmarkRender renders every PDF of a generated site of 2,000 units,
// the units' typeset whole by fpdf and assembled from shared parts (see
// assemble.go), side by side on the same units; run with -cpu 1,2 to see
// the parallel speed-up. It reports unit PDFs per second (the levels' few
// PDFs, typeset either way, count in the time) and the average size of a
// unit's PDF, the CPU time a unit's PDF takes (user and system, all
// threads, levels and file writes included) and the rate the processors
// could sustain at that cost when nothing else runs (GOMAXPROCS / CPU time
// per PDF). Each run starts cold: nothing is shared between runs.
func BenchmarkRender(b *testing.B) {
	m, err := plan.Open(fixture.Grow(b, fixture.Example(b), 2000))
	if err != nil {
		b.Fatal(err)
	}
	date := time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC)
	for _, bc := range []struct {
		name string
		how  how
	}{{"typeset", typeset}, {"assembled", assembled}} {
		b.Run(bc.name, func(b *testing.B) {
			var dest string
			cpu := cputime.Used()
			for b.Loop() {
				dest = renderHow(b, m, Options{Units: m.Units, Date: date}, bc.how)
			}
			cpu = cputime.Used() - cpu
			n, size := 0, int64(0)
			filepath.WalkDir(filepath.Join(dest, "pdf", "units"), func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					if st, err := d.Info(); err == nil {
						n++
						size += st.Size()
					}
				}
				return nil
			})
			if n != len(m.Units) {
				b.Fatalf("wrote %d unit PDFs, want %d", n, len(m.Units))
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "unitpdfs/s")
			if cpu > 0 {
				// What the machine's processors could do when nothing
				// else runs: on a shared, loaded machine the wall-clock
				// rate above says less.
				perPDF := cpu.Seconds() / float64(n*b.N)
				b.ReportMetric(perPDF*1e6, "cpu-µs/pdf")
				b.ReportMetric(float64(runtime.GOMAXPROCS(0))/perPDF, "unitpdfs/cpu-s")
			}
			b.ReportMetric(float64(size)/float64(n), "bytes/pdf")
		})
	}
}

// BenchmarkWrite writes one polling area's PDF with each cut of the fonts
// (tier 0 is the usual case for Vietnamese), and with the full faces, to
// show what the cuts save.
func BenchmarkWrite(b *testing.B) {
	m, err := plan.Open(fixture.Grow(b, fixture.Example(b), 241))
	if err != nil {
		b.Fatal(err)
	}
	fonts, err := loadFonts()
	if err != nil {
		b.Fatal(err)
	}
	fm := newForm(m, fonts, m.Site.ElectionDay.Time())
	u := m.Units[len(m.Units)-1]
	d := fm.unitDoc(u, fm.table(u.Checklist, false))
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
