package benchtree

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	treeFlag   = flag.String("tree", "10,10,10,10", "provinces,districts,communes,polling areas of the side-by-side tree")
	roundsFlag = flag.Int("rounds", 5, "alternating runs of each tool in the side-by-side benchmark")
)

// BenchmarkHTMLvsHugo builds the same tree (10,000 polling areas, 40
// tasks each, unless -tree says) with Hugo and with `checkgen build
// --formats html`, each as a whole process into a new folder,
// alternating the two for -rounds runs, then writes the floor of
// checkgen's output (the same files, the same sizes, no rendering; see
// WriteFloor) the same number of times. It reports the medians, pages
// per second of each, their ratio and checkgen's ratio to its floor.
// Hugo is $HUGO, or hugo on $PATH or in $(go env GOPATH)/bin:
//
//	go install github.com/gohugoio/hugo@v0.165.0
//	go test -run '^$' -bench HTMLvsHugo -benchtime 1x -timeout 60m ./generator/benchtree
func BenchmarkHTMLvsHugo(b *testing.B) {
	sb := newSideBySide(b)
	hugo, checkgen, work, hugoSite, ours := sb.hugo, sb.checkgen, sb.work, sb.hugoSite, sb.ours

	for range b.N {
		var hugoRuns, ourRuns, floorRuns []run
		var hugoFiles, ourFiles []File
		for i := range *roundsFlag {
			// Each run writes into a folder of its own, and none is removed
			// before the end: on ext4 without a journal, files created in
			// the minutes after a removal cost more the more were removed
			// (see BenchmarkNational's recentlyDeleted), and removing each
			// run's trees before the next made every run slower than the
			// one before (checkgen 0.6 s to 8.4 s, Hugo 3.2 s to 10.6 s),
			// the tool writing more files the more so.
			hugoOut := filepath.Join(work, "hugo-public-"+strconv.Itoa(i))
			ourOut := filepath.Join(work, "public-"+strconv.Itoa(i))
			floorOut := filepath.Join(work, "floor-"+strconv.Itoa(i))
			steps := []func(){
				func() { hugoRuns = append(hugoRuns, timeCommand(b, hugo, "--quiet", "-s", hugoSite, "-d", hugoOut)) },
				func() {
					ourRuns = append(ourRuns, timeCommand(b, checkgen, "build", "-s", ours, "-d", ourOut, "--formats", "html"))
				},
			}
			if i%2 == 1 {
				slices.Reverse(steps)
			}
			for _, step := range steps {
				step()
			}
			if i == 0 {
				var err error
				if hugoFiles, err = Files(hugoOut); err != nil {
					b.Fatal(err)
				}
				if ourFiles, err = Files(ourOut); err != nil {
					b.Fatal(err)
				}
			}
			start := time.Now()
			if err := WriteFloor(floorOut, ourFiles); err != nil {
				b.Fatal(err)
			}
			floorRuns = append(floorRuns, run{wall: time.Since(start)})
		}
		h, o, f := median(hugoRuns), median(ourRuns), median(floorRuns)
		hugoPages, ourPages := pages(hugoFiles), pages(ourFiles)
		b.Logf("hugo:     %d files, %d pages, %.0f MB; runs %v", len(hugoFiles), hugoPages, float64(Bytes(hugoFiles))/1e6, walls(hugoRuns))
		b.Logf("checkgen: %d files, %d pages, %.0f MB; runs %v", len(ourFiles), ourPages, float64(Bytes(ourFiles))/1e6, walls(ourRuns))
		b.Logf("floor of checkgen's files: runs %v", walls(floorRuns))
		b.ReportMetric(h.wall.Seconds(), "hugo-s")
		b.ReportMetric(o.wall.Seconds(), "checkgen-s")
		b.ReportMetric(f.wall.Seconds(), "floor-s")
		b.ReportMetric(h.cpu.Seconds(), "hugo-cpu-s")
		b.ReportMetric(o.cpu.Seconds(), "checkgen-cpu-s")
		b.ReportMetric(float64(hugoPages)/h.wall.Seconds(), "hugo-pages/s")
		b.ReportMetric(float64(ourPages)/o.wall.Seconds(), "checkgen-pages/s")
		b.ReportMetric((float64(ourPages)/o.wall.Seconds())/(float64(hugoPages)/h.wall.Seconds()), "x-hugo-pages/s")
		b.ReportMetric(o.wall.Seconds()/f.wall.Seconds(), "x-floor")
	}
}

// sideBySide is what both side-by-side benchmarks start from: Hugo,
// a checkgen binary built for the run, and the -tree written for each.
type sideBySide struct {
	hugo, checkgen, work, hugoSite, ours string
	shape                                Shape
}

// newSideBySide finds Hugo (skipping the benchmark without it), builds
// checkgen and writes the two trees in a new temporary folder.
func newSideBySide(b *testing.B) sideBySide {
	hugo := findHugo()
	if hugo == "" {
		b.Skip("no Hugo: go install github.com/gohugoio/hugo@v0.165.0, or set HUGO")
	}
	var s Shape
	if _, err := fmt.Sscanf(*treeFlag, "%d,%d,%d,%d", &s.Provinces, &s.Districts, &s.Communes, &s.Polling); err != nil {
		b.Fatalf("-tree %q: %v", *treeFlag, err)
	}
	work := b.TempDir()
	checkgen := filepath.Join(work, "checkgen")
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if out, err := exec.Command(goBin, "build", "-o", checkgen, "checkgen/cmd/checkgen").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	hugoSite, ours := filepath.Join(work, "hugo-site"), filepath.Join(work, "ours")
	if err := WriteHugo(hugoSite, s); err != nil {
		b.Fatal(err)
	}
	if err := WriteOurs(ours, s); err != nil {
		b.Fatal(err)
	}
	version, _ := exec.Command(hugo, "version").Output()
	b.Logf("tree %+v: %d polling areas; %s", s, s.Leaves(), strings.TrimSpace(string(version)))
	return sideBySide{hugo: hugo, checkgen: checkgen, work: work, hugoSite: hugoSite, ours: ours, shape: s}
}

// run is one timed process: its wall time and its CPU (user + system).
type run struct{ wall, cpu time.Duration }

func timeCommand(b *testing.B, name string, args ...string) run {
	cmd := exec.Command(name, args...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		b.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return run{wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
}

// median is the run of median wall time (and its CPU).
func median(runs []run) run {
	s := slices.Clone(runs)
	slices.SortFunc(s, func(a, b run) int { return int(a.wall - b.wall) })
	return s[len(s)/2]
}

func walls(runs []run) []string {
	var s []string
	for _, r := range runs {
		s = append(s, fmt.Sprintf("%.1fs (cpu %.1fs)", r.wall.Seconds(), r.cpu.Seconds()))
	}
	return s
}

// pages counts the HTML pages among files.
func pages(files []File) int {
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".html") {
			n++
		}
	}
	return n
}

func findHugo() string {
	if h := os.Getenv("HUGO"); h != "" {
		return h
	}
	if h, err := exec.LookPath("hugo"); err == nil {
		return h
	}
	gopath, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "env", "GOPATH").Output()
	if err == nil {
		h := filepath.Join(strings.TrimSpace(string(gopath)), "bin", "hugo")
		if _, err := os.Stat(h); err == nil {
			return h
		}
	}
	return ""
}
