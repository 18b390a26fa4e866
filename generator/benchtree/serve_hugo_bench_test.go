package benchtree

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"checkgen/generator/fixture"
)

var editsFlag = flag.Int("edits", 10, "edits of each kind in the serve side-by-side benchmark")

// BenchmarkServeVsHugo serves the same tree (10,000 polling areas unless
// -tree says) with `hugo server` and with `checkgen serve`, both as whole
// processes at once, and times, as a browser sees it, how long after a
// save the page of one polling area shows the edit: from the write to the
// first GET whose body holds the new text (GETs back to back). Edits, in
// turn for the two tools, -edits of each:
//
//   - content: Hugo: the body of that polling area's page; checkgen: that
//     polling area's name in units.csv (its page alone shows it, as in
//     Hugo), and a task's title in the plan (every polling area shows it);
//   - layout: Hugo's layouts/single.html; checkgen's layouts/unit.html.
//
// It reports the medians and checkgen's time as a fraction of Hugo's.
//
//	go test -run '^$' -bench ServeVsHugo -benchtime 1x -timeout 60m -v ./generator/benchtree
func BenchmarkServeVsHugo(b *testing.B) {
	sb := newSideBySide(b)
	hugo, checkgen, hugoSite, ours := sb.hugo, sb.checkgen, sb.hugoSite, sb.ours
	layout, err := os.ReadFile(filepath.Join(fixture.Root(), "layouts", "unit.html"))
	if err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(ours, "layouts"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ours, "layouts", "unit.html"), layout, 0o644); err != nil {
		b.Fatal(err)
	}

	hugoURL := startServer(b, "/tinh-01/huyen-01/xa-01/kv-001/", func(port int) *exec.Cmd {
		return exec.Command(hugo, "server", "-s", hugoSite, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--disableLiveReload")
	})
	ourURL := startServer(b, "/units/T01-H01-X01-KV001/", func(port int) *exec.Cmd {
		return exec.Command(checkgen, "serve", "-s", ours, "--bind", "127.0.0.1", "--port", strconv.Itoa(port))
	})

	kinds := []struct {
		name, url, file, after string
	}{
		{"hugo-content", hugoURL, filepath.Join(hugoSite, "content/tinh-01/huyen-01/xa-01/kv-001.md"), "Danh sách công việc"},
		{"checkgen-unit-name", ourURL, filepath.Join(ours, "content/units.csv"), "Khu vực bỏ phiếu số 1 — Xã 01.01.01"},
		{"checkgen-task-title", ourURL, filepath.Join(ours, "content/plans/bench.toml"), strconv.Quote(taskTitle(0))[:len(strconv.Quote(taskTitle(0)))-1]},
		{"hugo-layout", hugoURL, filepath.Join(hugoSite, "layouts/single.html"), "Ký xác nhận:"},
		{"checkgen-layout", ourURL, filepath.Join(ours, "layouts/unit.html"), "<h1>{{$.Title}}"},
	}
	for range b.N {
		times := map[string][]time.Duration{}
		for i := range *editsFlag {
			for _, k := range kinds {
				times[k.name] = append(times[k.name], timeEdit(b, k.url, k.file, k.after, fmt.Sprintf("EDIT%s%d", strings.ReplaceAll(k.name, "-", ""), i)))
			}
		}
		med := map[string]float64{}
		for _, k := range kinds {
			t := slices.Clone(times[k.name])
			slices.Sort(t)
			med[k.name] = float64(t[len(t)/2].Microseconds()) / 1000
			b.Logf("%-20s median %7.1f ms of %v", k.name, med[k.name], t)
			b.ReportMetric(med[k.name], k.name+"-ms")
		}
		b.ReportMetric(med["checkgen-unit-name"]/med["hugo-content"], "x-hugo-content")
		b.ReportMetric(med["checkgen-task-title"]/med["hugo-content"], "x-hugo-content-every-page")
		b.ReportMetric(med["checkgen-layout"]/med["hugo-layout"], "x-hugo-layout")
	}
}

// startServer starts a server on a free loopback port, stopped when the
// benchmark ends, and returns the address of page once that page answers
// 200 (the whole first load or build comes before).
func startServer(b *testing.B, page string, command func(port int) *exec.Cmd) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := command(port)
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	b.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	url := fmt.Sprintf("http://127.0.0.1:%d%s", port, page)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	for ctx.Err() == nil {
		select {
		case err := <-exited:
			b.Fatalf("%s exited before serving %s: %v\n%s", filepath.Base(cmd.Path), page, err, log.String())
		default:
		}
		if status, _, err := get(url); err == nil && status == http.StatusOK {
			return url
		}
		time.Sleep(20 * time.Millisecond) // polling for the first page: not part of what is timed
	}
	b.Fatalf("%s did not serve %s in 20 minutes\n%s", filepath.Base(cmd.Path), page, log.String())
	return ""
}

// timeEdit inserts mark after the first `after` in file, and returns how
// long it took until the page at url holds mark. The file is put back
// before it returns, and the page waited for again without mark, so that
// the next edit starts from a served, unedited site.
func timeEdit(b *testing.B, url, file, after, mark string) time.Duration {
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	at := strings.Index(string(orig), after)
	if at < 0 {
		b.Fatalf("%s: no %q to edit", file, after)
	}
	at += len(after)
	edited := string(orig[:at]) + " " + mark + string(orig[at:])
	start := time.Now()
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		b.Fatal(err)
	}
	waitFor(b, url, func(body string) bool { return strings.Contains(body, mark) })
	took := time.Since(start)
	if err := os.WriteFile(file, orig, 0o644); err != nil {
		b.Fatal(err)
	}
	waitFor(b, url, func(body string) bool { return !strings.Contains(body, mark) })
	return took
}

// waitFor gets url back to back until ok accepts its body (deadline: ten
// minutes).
func waitFor(b *testing.B, url string, ok func(body string) bool) {
	deadline := time.Now().Add(10 * time.Minute)
	for time.Now().Before(deadline) {
		if status, body, err := get(url); err == nil && status == http.StatusOK && ok(body) {
			return
		}
	}
	b.Fatalf("%s: the edit did not show in ten minutes", url)
}

var client = &http.Client{Timeout: time.Minute}

func get(url string) (int, string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}
