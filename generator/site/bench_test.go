package site

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"checkgen/generator/fixture"
	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// bigSite is the example site grown to n units (see fixture.Grow).
func bigSite(tb testing.TB, n int) *plan.Model {
	tb.Helper()
	big := open(tb, fixture.Grow(tb, fixture.Example(tb), n))
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

// BenchmarkUnitPages renders the page of each of 10,000 units to
// io.Discard as a build does (with the default layouts: appendUnitPage),
// then their calendars (one per checklist version and election day): the
// renderer's own cost, without the file system's.
func BenchmarkUnitPages(b *testing.B) {
	m := bigSite(b, 10000)
	r, err := newRenderer(m, Options{Date: buildDate})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, u := range m.Units {
			if err := r.renderUnit(io.Discard, u, "x"); err != nil {
				b.Fatal(err)
			}
		}
		if err := r.writeUnitCalendars(discard{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(m.Units))*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// discard is a Sink that renders every output to io.Discard.
type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }
func (discard) Render(_ string, render func(io.Writer) error) error {
	return render(io.Discard)
}
func (discard) Cached(_, _ string, render func(io.Writer) error) (bool, error) {
	return false, render(io.Discard)
}
