package output

import (
	"flag"
	"fmt"
	"path/filepath"
	"testing"
)

// commitFiles sets the size of BenchmarkCommit's tree.
var commitFiles = flag.Int("commit-files", 20000, "files of BenchmarkCommit's tree")

// treeFiles names n files shaped like a national build's: a folder per
// unit with its page, and one folder per format holding a file per unit.
func treeFiles(n int) []string {
	rels := make([]string, 0, n)
	for i := 0; len(rels) < n; i++ {
		for _, f := range []string{"units/%05d/index.html", "pdf/units/%05d.pdf", "xlsx/units/%05d.xlsx", "data/units/%05d.json"} {
			if len(rels) < n {
				rels = append(rels, fmt.Sprintf(f, i))
			}
		}
	}
	return rels
}

// BenchmarkCommit times Commit alone (the files are written before the
// timer starts): "new" into a new destination, "rewrite" an update
// where 94% of the files changed (as after a polling-area task's edit),
// "none" an update where nothing changed.
//
//	go test -run '^$' -bench Commit -benchtime 3x ./generator/output -args -commit-files=100000
func BenchmarkCommit(b *testing.B) {
	rels := treeFiles(*commitFiles)
	body := func(rel string, round int) []byte {
		return fmt.Appendf(nil, "%s %d\n%0512d", rel, round, 0)
	}
	// writeAll writes round's bytes of rels, changing those where
	// changed(i), into a new build of dest.
	writeAll := func(b *testing.B, dest string, round int, changed func(i int) bool) *Dir {
		d, err := Open(dest)
		if err != nil {
			b.Fatal(err)
		}
		for i, rel := range rels {
			r := 0
			if changed(i) {
				r = round
			}
			if err := d.WriteFile(rel, body(rel, r)); err != nil {
				b.Fatal(err)
			}
		}
		return d
	}
	all := func(int) bool { return true }
	most := func(i int) bool { return i%16 != 0 }
	none := func(int) bool { return false }
	cases := []struct {
		name    string
		changed func(int) bool
	}{{"new", all}, {"rewrite", most}, {"none", none}}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			dest := filepath.Join(b.TempDir(), "public")
			if c.name != "new" {
				if err := writeAll(b, dest, 0, all).Commit(); err != nil {
					b.Fatal(err)
				}
			}
			round := 0
			for b.Loop() {
				b.StopTimer()
				round++
				if c.name == "new" {
					dest = filepath.Join(b.TempDir(), "public")
				}
				d := writeAll(b, dest, round, c.changed)
				b.StartTimer()
				if err := d.Commit(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(rels)), "files")
		})
	}
}
