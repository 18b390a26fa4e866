package export

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"testing"

	"checkgen/generator/fixture"
	"checkgen/generator/plan"
)

// TestUnitFileBytes: data/site.json and the data file of every unit of the example, of the
// example grown to 2,000 units, and of units carrying their own deadlines,
// written by hand, is byte for byte what encoding/json writes.
func TestUnitFileBytes(t *testing.T) {
	sites := map[string]fs.FS{
		"example": os.DirFS(fixture.Root()),
		"grown":   fixture.Grow(t, fixture.Example(t), 2000),
		"fixed":   fixedDates(t),
	}
	for name, fsys := range sites {
		m, err := plan.Open(fsys)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Prepare(m, nil, "g")
		if err != nil {
			t.Fatal(err)
		}
		deadlines := 0
		for _, j := range d.jobs {
			var want bytes.Buffer
			f := unitFile(j.u, j.day)
			if err := encode(&want, f); err != nil {
				t.Fatal(err)
			}
			deadlines += len(f.Deadlines)
			if got := appendUnitFile(nil, j.u, j.day); !bytes.Equal(got, want.Bytes()) {
				t.Fatalf("%s: %s: written by hand\n%s\nencoding/json\n%s", name, j.u.Code, got, want.Bytes())
			}
		}
		if name == "fixed" && deadlines == 0 {
			t.Errorf("%s: no unit has its own deadlines", name)
		}
		var want bytes.Buffer
		if err := encode(&want, site(m)); err != nil {
			t.Fatal(err)
		}
		got, err := appendSite(nil, m)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s: data/site.json differs from encoding/json's:\n%s", name, lineDiff(got, want.Bytes()))
		}
	}
}

// FuzzUnitFileBytes: any texts in any field, a unit file written by hand
// is what encoding/json writes.
func FuzzUnitFileBytes(f *testing.F) {
	f.Add("Khu vực \"số 2\"", "a\\b\n\t\r\b\f\x00\x1f\x7f", "<&>\u2028\u2029", "\xff\xfe ok \xe2\x80", true, 2)
	f.Add("", "", "", "", false, 0)
	f.Fuzz(func(t *testing.T, a, b, c, d string, flag bool, n int) {
		n = min(max(n, 0), 3)
		u := Unit{Format: Format, Code: a, Name: b, Level: c, Parent: d, Ancestors: []UnitBrief{}, Children: []UnitBrief{}, ElectionDay: a + b, Version: c}
		for i := range n {
			br := UnitBrief{Code: b, Level: c, Name: d, ElectionDay: a, Version: [...]string{"", d, a}[i]}
			if flag {
				br.Parent = a
			}
			u.Ancestors = append(u.Ancestors, br)
			if i > 0 {
				u.Children = append(u.Children, br)
				u.Tags = append(u.Tags, d)
			}
		}
		if flag {
			var m *Moment
			if n > 1 {
				m = &Moment{Date: a, Relative: b}
			}
			u.Deadlines = []Deadline{{Task: c, Due: &Moment{Date: d, Time: c, Relative: a}, Limit: m, Late: n > 2}, {Task: d, Start: m}}
		}
		var want bytes.Buffer
		if err := encode(&want, u); err != nil {
			t.Fatal(err)
		}
		if got := appendUnit(nil, u); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("written by hand\n%q\nencoding/json\n%q", got, want.Bytes())
		}
	})
}

// BenchmarkData prepares and writes the data of the example grown to
// 10,000 units, rendering every file into memory (no file system).
func BenchmarkData(b *testing.B) {
	m, err := plan.Open(fixture.Grow(b, fixture.Example(b), 10000))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		d, err := Prepare(m, nil, "g")
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Write(memSink{}, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(m.Units)), "ns/unit")
}

// memSink renders every output into a buffer, as output.Dir does before
// it writes the file.
type memSink struct{}

func (memSink) WriteFile(string, []byte) error { return nil }
func (memSink) Render(_ string, render func(io.Writer) error) error {
	var buf bytes.Buffer
	return render(&buf)
}
func (memSink) Cached(_, key string, render func(io.Writer) error) (bool, error) {
	var buf bytes.Buffer
	return false, render(&buf)
}

// lineDiff shows the first line where got and want differ.
func lineDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := range min(len(g), len(w)) {
		if !bytes.Equal(g[i], w[i]) {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}
