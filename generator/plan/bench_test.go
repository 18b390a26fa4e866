package plan_test

import (
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"checkgen/generator/plan"
)

// exampleFS copies the example site into memory, so benchmarks measure
// parsing and resolving rather than the disk.
func exampleFS(tb testing.TB) fstest.MapFS {
	tb.Helper()
	mfs := fstest.MapFS{}
	root := os.DirFS(exampleRoot)
	err := fs.WalkDir(root, "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(root, p)
		mfs[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return mfs
}

// LargeUnitsCSV generates a units.csv of n units in the example's levels:
// the example's provinces and districts, then communes of 10 polling areas
// each, so that the example's plans (scoped to 06, 007, 22) still resolve.
func LargeUnitsCSV(n int) string {
	var b strings.Builder
	b.WriteString(plan.UnitsCSVHeader + "\n")
	count := 0
	row := func(code, parent, level, name, tags, day string) {
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s\n", code, parent, level, name, tags, day)
		count++
	}
	row("06", "", "province", "Tỉnh Bắc Kạn", "", "")
	row("01", "", "province", "Thành phố Hà Nội", "", "")
	row("22", "", "province", "Tỉnh Quảng Ninh", "island", "")
	row("007", "01", "district", "Quận Hai Bà Trưng", "", "")
	districts := []string{"007"}
	for i, p := range []string{"06", "22"} {
		for d := 0; d < 8; d++ {
			code := fmt.Sprintf("9%d%d", i, d)
			row(code, p, "district", "Huyện số "+code, "", "")
			districts = append(districts, code)
		}
	}
	for c := 0; count < n; c++ {
		commune := fmt.Sprintf("C%05d", c)
		row(commune, districts[c%len(districts)], "commune", "Xã số "+commune, "", "")
		for k := 1; k <= 10 && count < n; k++ {
			tags, day := "", ""
			if k == 10 {
				tags, day = "island;no-council", "2021-05-22"
			}
			row(fmt.Sprintf("%s-KV%02d", commune, k), commune, "polling", fmt.Sprintf("Khu vực bỏ phiếu số %d", k), tags, day)
		}
	}
	return b.String()
}

func BenchmarkLoadExample(b *testing.B) {
	fsys := exampleFS(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := plan.Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenExample(b *testing.B) {
	fsys := exampleFS(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := plan.Open(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen10000Units(b *testing.B) {
	fsys := exampleFS(b)
	delete(fsys, "content/units.toml")
	fsys["content/units.csv"] = &fstest.MapFile{Data: []byte(LargeUnitsCSV(10000))}
	b.ReportAllocs()
	for b.Loop() {
		m, err := plan.Open(fsys)
		if err != nil {
			b.Fatal(err)
		}
		if len(m.Units) != 10000 {
			b.Fatalf("%d units", len(m.Units))
		}
	}
}
