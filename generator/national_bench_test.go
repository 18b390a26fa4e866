package generator

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"checkgen/generator/benchtree"
	"checkgen/generator/fixture"
	"checkgen/generator/national"
	"checkgen/generator/output"
)

// nationalPolling sets the size of the benchmarks' national tree.
var nationalPolling = flag.Int("national", national.Vietnam2021.Polling, "polling areas in the national benchmarks' tree")

// profiles names a folder for a CPU profile of each build alone,
// DIR/<sub-benchmark>.prof (go test's -cpuprofile profiles the whole run:
// writing the tree, every build, the floors and the removals).
var profiles = flag.String("build-cpuprofiles", "", "write a CPU profile of each BenchmarkNational build to `DIR`/<name>.prof")

// BenchmarkNational builds the synthetic national tree (make national):
// each format alone from scratch, all three, a rebuild with nothing
// changed, a rebuild after one polling-area task's title changed (every
// polling area's checklist shows it), and one after one polling area was
// renamed; and the write floor of the "html" and the "all" builds' files
// (the same files, the same sizes, written without rendering) with each
// build's ratio to it. It reports wall time, the peak resident memory of
// the build (the process's high-water mark, reset before each build),
// files/s and units/s; for an update, the time it took afterwards to
// remove the files it replaced (checkgen build leaves that to a process
// in the background). Each measurement starts at least 6 minutes after
// the last removal (see recentlyDeleted). One build per run: use
// -benchtime 1x; -build-cpuprofiles DIR profiles each build.
//
//	go test -run '^$' -bench National -benchtime 1x -timeout 90m ./generator
func BenchmarkNational(b *testing.B) {
	site := filepath.Join(b.TempDir(), "national")
	sizes, err := national.Write(site, fixture.Root(), national.Scale(*nationalPolling))
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("national tree: %d units (%+v)", sizes.Total(), sizes)
	// As checkgen build does: collect less often, but hold 768 MiB.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(3 << 28))
	// Trees are removed by output.RemoveTree, 32 files at a time (on this
	// VM's disk, mounted with discard, os.RemoveAll of one national HTML
	// tree takes about 5 minutes).
	dests := filepath.Join(b.TempDir(), "dests")
	if err := os.Mkdir(dests, 0o755); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { output.RemoveTree(dests); syncDisks() })
	var took time.Duration // of the last build
	var removed time.Time  // when the last tree was removed
	remove := func(dir string) {
		if _, err := os.Lstat(dir); err != nil {
			return // not built in this run
		}
		output.RemoveTree(dir)
		syncDisks()
		removed = time.Now()
	}
	build := func(b *testing.B, dest string, formats ...string) *Result {
		var res *Result
		for range b.N {
			settle(b, removed)
			debug.FreeOSMemory()
			resetPeakRSS(b)
			start := time.Now()
			// As checkgen build does (cmd/checkgen's detachAtLeast), an
			// update that replaced 1,000 files or more leaves them to be
			// removed after it returns.
			var left []output.Leftover
			leftover := func(l output.Leftover) bool {
				if l.Files < 1000 {
					return false
				}
				left = append(left, l)
				return true
			}
			profile(b, func() {
				res, err = Build(Options{Site: site, Dest: filepath.Join(dests, dest), Formats: formats, Leftover: leftover})
			})
			if err != nil {
				b.Fatal(err)
			}
			took = time.Since(start)
			for _, l := range left {
				start := time.Now()
				l.Remove()
				syncDisks()
				removed = time.Now()
				b.ReportMetric(removed.Sub(start).Seconds(), "s/leftover")
				b.ReportMetric(float64(l.Files), "leftover-files")
			}
			b.ReportMetric(took.Seconds(), "s/build")
			b.ReportMetric(float64(peakRSS(b))/(1<<20), "peak-MiB")
			b.ReportMetric(float64(res.Written)/took.Seconds(), "files/s")
			b.ReportMetric(float64(res.Units)/took.Seconds(), "units/s")
			b.ReportMetric(float64(res.Written), "written")
		}
		return res
	}
	// floor writes the files of the tree dest, the same sizes in the same
	// folders, without rendering, and reports the time and the ratio of
	// the build that wrote dest (it took built) to it.
	floor := func(b *testing.B, dest string, built time.Duration) {
		tree := filepath.Join(dests, dest)
		if _, err := os.Stat(tree); err != nil || built == 0 {
			b.Skipf("no %s build in this run to measure the floor of (select it too)", dest)
		}
		files, err := benchtree.Files(tree)
		if err != nil {
			b.Fatal(err)
		}
		for i := range b.N {
			floor := filepath.Join(dests, "floor"+strconv.Itoa(i))
			settle(b, removed)
			start := time.Now()
			if err := benchtree.WriteFloor(floor, files); err != nil {
				b.Fatal(err)
			}
			took := time.Since(start)
			remove(floor)
			b.ReportMetric(took.Seconds(), "s/floor")
			b.ReportMetric(float64(len(files)), "files")
			b.ReportMetric(float64(benchtree.Bytes(files))/(1<<20), "MiB")
			b.ReportMetric(built.Seconds()/took.Seconds(), "x-floor")
		}
	}
	for _, f := range Formats {
		took = 0
		b.Run(f, func(b *testing.B) { build(b, f, f) })
		if f == "html" {
			// HTML alone has its own target, so its own floor.
			html := took
			b.Run("html-floor", func(b *testing.B) { floor(b, f, html) })
		}
		remove(filepath.Join(dests, f)) // the disk holds one national tree at a time
	}
	took = 0
	b.Run("all", func(b *testing.B) { build(b, "all") })
	// The floor: the same files, the same sizes, written without rendering.
	all := took
	b.Run("write-floor", func(b *testing.B) { floor(b, "all", all) })
	b.Run("no-change", func(b *testing.B) { build(b, "all") })
	b.Run("edit-polling-task", func(b *testing.B) {
		editFile(b, filepath.Join(site, "content/plans/luat-bau-cu-2015.toml"), `title       = "Niêm yết danh sách người ứng cử`, `title       = "Niêm yết công khai danh sách người ứng cử`)
		build(b, "all")
	})
	b.Run("rename-polling-area", func(b *testing.B) {
		editFile(b, filepath.Join(site, "content/units.csv"), "01834-KV02,01834,polling,Khu vực bỏ phiếu số 2,", "01834-KV02,01834,polling,Khu vực bỏ phiếu số 2 (Nhà văn hóa),")
		build(b, "all")
	})
}

// recentlyDeleted is how long ext4 without a journal (this VM's disk)
// avoids reusing a deleted inode: when it allocates an inode it tests
// each free one in the group and skips those deleted less than 60 s ago
// (fs/ext4/ialloc.c, recently_deleted), or less than 6 minutes ago while
// the inode's table block is not yet written. The sync in remove writes
// those blocks, but the build's own first inode in a block dirties it
// again, and with it the block's other freed inodes count as recent for
// 6 minutes. Files created in that time pay the test for every inode the
// removal freed: one national build took 34 s, the same build right
// after a removal 50 s; an edit rebuild 3 minutes after the removal of
// a national tree took 66 s, 7 minutes after it 45 s (its files written
// in 44 s and in 22 s).
const recentlyDeleted = 6*time.Minute + time.Second

// settle waits until the tree removed at removed (zero: none) no longer
// slows the creation of files, so that each measurement is of the build
// and not of the removal before it (see recentlyDeleted).
func settle(b *testing.B, removed time.Time) {
	if wait := time.Until(removed.Add(recentlyDeleted)); !removed.IsZero() && wait > 0 {
		b.Logf("waiting %.0f s after the last removal (ext4 without a journal skips recently deleted inodes)", wait.Seconds())
		b.StopTimer()
		time.Sleep(wait)
		b.StartTimer()
	}
}

// profile runs f, writing a CPU profile of it to the -build-cpuprofiles
// folder when there is one, named after the running benchmark.
func profile(b *testing.B, f func()) {
	if *profiles == "" {
		f()
		return
	}
	name := strings.ReplaceAll(strings.TrimPrefix(b.Name(), "BenchmarkNational/"), "/", "-")
	out, err := os.Create(filepath.Join(*profiles, name+".prof"))
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	if err := pprof.StartCPUProfile(out); err != nil {
		b.Fatal(err)
	}
	defer pprof.StopCPUProfile()
	f()
}

func editFile(b *testing.B, file, old, new string) {
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		b.Fatalf("%s: no %q to edit", file, old)
	}
	os.WriteFile(file, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644)
}

// resetPeakRSS resets the process's resident-memory high-water mark
// (Linux: writing 5 to /proc/self/clear_refs).
func resetPeakRSS(b *testing.B) {
	if runtime.GOOS == "linux" {
		if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
			b.Logf("cannot reset the peak RSS: %v", err)
		}
	}
}

// peakRSS is the process's resident-memory high-water mark in bytes.
func peakRSS(b *testing.B) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				b.Logf("VmHWM: %v", err)
			}
			return kb << 10
		}
	}
	return 0
}
