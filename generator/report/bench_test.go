package report

import (
	"bytes"
	"checkgen/internal/cputime"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/xuri/excelize/v2"

	"checkgen/generator/fixture"
	"checkgen/generator/national"
	"checkgen/generator/output"
	"checkgen/generator/plan"
	"checkgen/generator/xlsx"
)

// thousandAreas is the example site with polling areas added under its
// communes until there are 1,000 of them.
func thousandAreas(b *testing.B) *plan.Model {
	b.Helper()
	fsys := fixture.Example(b)
	m, err := plan.Open(fsys)
	if err != nil {
		b.Fatal(err)
	}
	var communes []*plan.Unit
	areas := 0
	for _, u := range m.Units {
		switch u.Level {
		case "commune":
			communes = append(communes, u)
		case "polling":
			areas++
		}
	}
	csv := fsys["content/units.csv"]
	if csv == nil {
		csv = &fstest.MapFile{Data: []byte("code,parent,level,name,tags,election_day\n")}
	}
	var extra strings.Builder
	for i := 0; areas < 1000; i++ {
		c := communes[i%len(communes)]
		fmt.Fprintf(&extra, "%s-B%04d,%s,polling,Khu vực bỏ phiếu bổ sung %d,,\n", c.Code, i, c.Code, i)
		areas++
	}
	fsys["content/units.csv"] = &fstest.MapFile{Data: append(append([]byte{}, csv.Data...), extra.String()...)}
	m, err = plan.Open(fsys)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkReport1000 reads 1,000 filled polling-area workbooks of the
// example site, builds the report and writes it.
func BenchmarkReport1000(b *testing.B) {
	m := thousandAreas(b)
	dir := b.TempDir()
	labels := []string{m.Label("done"), m.Label("not_done"), m.Label("not_applicable"), ""}
	var files []string
	for _, u := range m.Units {
		if u.Level != "polling" {
			continue
		}
		var buf bytes.Buffer
		if err := xlsx.WriteUnit(&buf, m, u, xlsx.Options{}); err != nil {
			b.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			b.Fatal(err)
		}
		sh := f.GetSheetList()[0]
		rows, _ := f.GetRows(sh)
		n := len(files)
		for i, r := range rows {
			if len(r) < 10 || !strings.Contains(r[9], "/") {
				continue
			}
			row := i + 1
			status := labels[(n+i)%len(labels)]
			if n%10 == 0 && i == 7 {
				status = "xong" // one problem in every tenth workbook
			}
			f.SetCellStr(sh, fmt.Sprint("F", row), status)
			if status == labels[0] && !strings.Contains(r[9], "#") {
				f.SetCellInt(sh, fmt.Sprint("G", row), 44330)
				f.SetCellStr(sh, fmt.Sprint("H", row), "Nguyễn Văn A")
			}
		}
		name := filepath.Join(dir, u.Code+".xlsx")
		if err := f.SaveAs(name); err != nil {
			b.Fatal(err)
		}
		f.Close()
		files = append(files, name)
	}
	labelMap := map[string]string{"done": labels[0], "not_done": labels[1], "not_applicable": labels[2]}
	var r *Report
	for b.Loop() {
		books, problems := ReadFiles(files, xlsx.ReadOptions{Labels: labelMap})
		r = Build(m, books, problems, Options{AsOf: plan.Date{Year: 2021, Month: 5, Day: 20}})
		out, err := output.Stage(filepath.Join(b.TempDir(), "report"))
		if err != nil {
			b.Fatal(err)
		}
		if err := Render(r, out); err != nil {
			b.Fatal(err)
		}
		out.Abort()
	}
	if _, _, returned := r.Totals(); returned != 1000 || r.Errors() != 100 {
		_, _, ret := r.Totals()
		b.Fatalf("report: %d units returned, %d errors; want 1000 and 100", ret, r.Errors())
	}
	b.ReportMetric(float64(len(files)), "workbooks")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/report")
}

func resetPeakRSS(b *testing.B) {
	if runtime.GOOS == "linux" {
		if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
			b.Logf("cannot reset the peak RSS: %v", err)
		}
	}
}

// peakRSS is the process's resident-memory high-water mark in bytes.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// nationalModel writes the synthetic national tree with polling areas
// (generator/national) and opens it.
func nationalModel(b *testing.B, polling int) *plan.Model {
	b.Helper()
	site := filepath.Join(b.TempDir(), "national")
	if _, err := national.Write(site, fixture.Root(), national.Scale(polling)); err != nil {
		b.Fatal(err)
	}
	m, err := plan.Open(os.DirFS(site))
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// filledBook writes unit u's workbook with every task row answered, the
// way a user types answers (excelize), varied by n.
func filledBook(m *plan.Model, u *plan.Unit, n int) ([]byte, error) {
	var buf bytes.Buffer
	if err := xlsx.WriteUnit(&buf, m, u, xlsx.Options{Date: time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sh := f.GetSheetList()[0]
	labels := []string{m.Label("done"), m.Label("not_done"), m.Label("not_applicable"), ""}
	row := 7
	for i, e := range u.Checklist.Entries {
		st := labels[(n+i)%len(labels)]
		f.SetCellStr(sh, fmt.Sprint("F", row), st)
		if st == labels[0] {
			f.SetCellInt(sh, fmt.Sprint("G", row), int64(44300+(n+i)%30))
			f.SetCellStr(sh, fmt.Sprint("H", row), "Nguyễn Văn A")
		}
		row += 1 + len(e.Task.Items)
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// BenchmarkReport10000 reads 10,000 filled polling-area workbooks of a
// synthetic national tree scaled to 10,000 polling areas, builds the
// whole-site report and writes it (HTML, report.xlsx, report.json). It
// reports seconds per report, the CPU seconds it took (all threads: on a
// loaded machine the wall clock says more about the load) and the peak
// RSS of the run. The workbooks are written once per run (not timed).
//
//	go test -run '^$' -bench Report10000 -benchtime 1x -count 5 -timeout 60m ./generator/report
func BenchmarkReport10000(b *testing.B) {
	m := nationalModel(b, 10000)
	var areas []*plan.Unit
	for _, u := range m.Units {
		if u.Level == "polling" {
			areas = append(areas, u)
		}
	}
	dir := b.TempDir()
	files := make([]string, len(areas))
	var wg sync.WaitGroup
	errs := make(chan error, len(areas))
	jobs := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				data, err := filledBook(m, areas[i], i)
				if err == nil {
					files[i] = filepath.Join(dir, areas[i].Code+".xlsx")
					err = os.WriteFile(files[i], data, 0o644)
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	for i := range areas {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	labelMap := map[string]string{"done": m.Label("done"), "not_done": m.Label("not_done"), "not_applicable": m.Label("not_applicable")}
	debug.FreeOSMemory()
	var r *Report
	for b.Loop() {
		resetPeakRSS(b)
		start, cpu := time.Now(), cputime.Used()
		in := ReadInputs(files, m, xlsx.ReadOptions{Labels: labelMap})
		r = Merge(m, in, Options{AsOf: plan.Date{Year: 2021, Month: 5, Day: 20}})
		out, err := output.Stage(filepath.Join(b.TempDir(), "report"))
		if err != nil {
			b.Fatal(err)
		}
		if err := Render(r, out); err != nil {
			b.Fatal(err)
		}
		out.Abort()
		b.ReportMetric(time.Since(start).Seconds(), "s/report")
		b.ReportMetric((cputime.Used() - cpu).Seconds(), "cpu-s/report")
		b.ReportMetric(float64(peakRSS())/(1<<20), "peak-MiB")
	}
	if _, _, returned := r.Totals(); returned != len(areas) {
		b.Fatalf("%d units returned, want %d; %d errors, first: %v", returned, len(areas), r.Errors(), r.Problems[:min(3, len(r.Problems))])
	}
	b.ReportMetric(float64(len(files)), "workbooks")
}

// mergePolling sets the polling areas of BenchmarkMergeProvinces's tree.
var mergePolling = flag.Int("merge-polling", national.Vietnam2021.Polling, "polling areas in BenchmarkMergeProvinces's national tree")

// BenchmarkMergeProvinces merges the report.json files of the 63
// provinces of the synthetic national tree (96,135 units, every task of
// every unit answered) into one national report: reading, matching and
// counting (ReadInputs and Merge), then writing the report.
//
//	go test -run '^$' -bench MergeProvinces -benchtime 1x -count 5 -timeout 60m ./generator/report
func BenchmarkMergeProvinces(b *testing.B) {
	m := nationalModel(b, *mergePolling)
	dir := b.TempDir()
	var files []string
	statuses := []string{"done", "not_done", "not_applicable", "done"}
	units := 0
	for _, p := range m.Units {
		if p.ParentUnit != nil {
			continue
		}
		d := &Data{Format: JSONFormat, Site: DataSite{Title: m.Site.Title, Organisation: m.Site.Organisation, ElectionDay: m.Site.ElectionDay.String()},
			Scope: p.Code, AsOf: "2021-05-20"}
		var walk func(u *plan.Unit)
		walk = func(u *plan.Unit) {
			units++
			du := DataUnit{Code: u.Code, Level: u.Level, Name: u.Name, State: "returned", Version: u.Checklist.Version, ReturnedOn: "2021-05-19"}
			for i, e := range u.Checklist.Entries {
				t := DataTask{Key: e.Task.Key(), Hash: xlsx.TaskHash(u.Checklist, e), Status: statuses[(units+i)%len(statuses)]}
				if t.Status == "done" {
					t.Date, t.Confirmer, t.OnTime = "2021-05-10", "Nguyễn Văn A", true
				}
				du.Tasks = append(du.Tasks, t)
			}
			d.Units = append(d.Units, du)
			for _, c := range u.Children {
				walk(c)
			}
		}
		walk(p)
		data, err := json.MarshalIndent(d, "", " ")
		if err != nil {
			b.Fatal(err)
		}
		name := filepath.Join(dir, p.Code, "report.json")
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, name)
	}
	var size int64
	for _, f := range files {
		st, _ := os.Stat(f)
		size += st.Size()
	}
	b.Logf("%d report.json files, %d units, %.0f MB", len(files), units, float64(size)/1e6)
	debug.FreeOSMemory()
	var r *Report
	for b.Loop() {
		resetPeakRSS(b)
		start, cpu := time.Now(), cputime.Used()
		in := ReadInputs(files, m, xlsx.ReadOptions{})
		r = Merge(m, in, Options{AsOf: plan.Date{Year: 2021, Month: 5, Day: 20}})
		merged, mergeCPU := time.Since(start), cputime.Used()-cpu
		out, err := output.Stage(filepath.Join(b.TempDir(), "report"))
		if err != nil {
			b.Fatal(err)
		}
		if err := Render(r, out); err != nil {
			b.Fatal(err)
		}
		out.Abort()
		b.ReportMetric(merged.Seconds(), "s/merge")
		b.ReportMetric(mergeCPU.Seconds(), "cpu-s/merge")
		b.ReportMetric(time.Since(start).Seconds(), "s/merge+render")
		b.ReportMetric((cputime.Used() - cpu).Seconds(), "cpu-s/merge+render")
		b.ReportMetric(float64(peakRSS())/(1<<20), "peak-MiB")
	}
	if _, expected, returned := r.Totals(); returned != units || expected != units || len(r.Problems) != 0 {
		b.Fatalf("%d of %d units returned, want %d; problems %v", returned, expected, units, r.Problems[:min(3, len(r.Problems))])
	}
	b.ReportMetric(float64(units), "units")
}
