//go:build e2e

package site

// End-to-end tests in a real browser: headless Chromium, driven over the
// DevTools protocol on a pipe (--remote-debugging-pipe), opens the example
// site from file:// and from a local HTTP server under a sub-path, checks
// that there are no console errors and that no request leaves the machine,
// types a unit name without diacritics into the search, prints a unit page
// to A4 PDF, and saves screenshots to e2e-artifacts/site/. These tests
// fail, not skip, when Chromium (or pdftotext) is missing.

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"checkgen/generator/output"
	"checkgen/generator/plan"
	"checkgen/generator/report"
)

// artifacts is where screenshots and printed pages go, for people to look at.
const artifacts = "../../e2e-artifacts/site"

func TestBrowser(t *testing.T) {
	m := open(t, exampleFS(t))
	dir := render(t, m, "", Options{Formats: map[string]bool{}})
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	unit := pollingUnit(t, m)
	srv := httptest.NewServer(http.StripPrefix("/intranet/bau-cu/", http.FileServer(http.Dir(dir))))
	defer srv.Close()

	b := startBrowser(t)
	for _, base := range []struct{ name, url string }{
		{"file", (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir) + "/"}).String()},
		{"http", srv.URL + "/intranet/bau-cu/"},
	} {
		t.Run(base.name, func(t *testing.T) {
			tab := b.newTab(t)
			defer tab.close()

			tab.open(t, base.url+"index.html")
			if h := tab.eval(t, `document.querySelector("h1").textContent`); h != m.Site.Title {
				t.Errorf("index h1 = %q, want %q", h, m.Site.Title)
			}
			tab.checkStyled(t)
			tab.screenshot(t, base.name+"-index.png")

			// Typed without diacritics, found with them.
			got := tab.search(t, "bach dang")
			if !strings.HasPrefix(got, "Phường Bạch Đằng|") {
				t.Errorf(`search "bach dang": first result %q, want Phường Bạch Đằng`, got)
			}
			tab.screenshot(t, base.name+"-search.png")
			// A code finds its unit; following the result opens its page.
			got = tab.search(t, strings.ToLower(unit.Code))
			name, href, _ := strings.Cut(got, "|")
			if name != unit.Name || !strings.HasSuffix(href, "units/"+unit.Code+"/index.html") {
				t.Errorf("search %q: first result %q, want %s", unit.Code, got, unit.Name)
			}
			if href != "" {
				tab.open(t, href)
				if h := tab.eval(t, `document.querySelector("h1").textContent`); h != unit.Name {
					t.Errorf("the result opened a page with h1 %q, want %q", h, unit.Name)
				}
			}

			tab.open(t, base.url+"units/"+unit.Code+"/index.html")
			tab.checkStyled(t)
			n := tab.eval(t, `String(document.querySelectorAll("table.checklist tr.task").length)`)
			if n != fmt.Sprint(len(unit.Checklist.Entries)) {
				t.Errorf("unit page shows %s tasks, want %d", n, len(unit.Checklist.Entries))
			}
			// Keyboard: Tab reaches a checkbox, Space ticks it.
			if got := tab.eval(t, `(function(){var c=document.querySelector("table.checklist input[type=checkbox]");c.focus();return String(document.activeElement===c)})()`); got != "true" {
				t.Error("a checkbox cannot take the focus")
			}
			tab.key(t, " ")
			if got := tab.eval(t, `String(document.querySelector("table.checklist input[type=checkbox]").checked)`); got != "true" {
				t.Error("Space did not tick the focused checkbox")
			}
			// The tick survives a reload (the browser's storage, per page).
			tab.open(t, base.url+"units/"+unit.Code+"/index.html")
			if got := tab.eval(t, `String(document.querySelector("table.checklist input[type=checkbox]").checked)`); got != "true" {
				t.Error("the tick was lost on reload")
			}
			tab.screenshot(t, base.name+"-unit.png")

			for _, page := range []string{"timeline/index.html", "levels/" + unit.Level + "/index.html", "plans/" + m.Plans[0].ID + "/index.html", "bodies/" + m.Bodies[0].ID + "/index.html"} {
				tab.open(t, base.url+page)
				tab.checkStyled(t)
			}
			if base.name == "file" {
				tab.open(t, base.url+"units/"+unit.Code+"/index.html")
				tab.checkPrint(t, "file-unit-print.pdf")
			}
			tab.checkClean(t, base.url)
		})
	}
}

// pollingUnit picks a unit of the lowest level with the longest checklist.
func pollingUnit(t *testing.T, m *plan.Model) *plan.Unit {
	t.Helper()
	low := m.Levels[len(m.Levels)-1]
	var best *plan.Unit
	for _, u := range low.Units {
		if best == nil || len(u.Checklist.Entries) > len(best.Checklist.Entries) {
			best = u
		}
	}
	if best == nil {
		t.Fatalf("no unit of level %s", low.ID)
	}
	return best
}

// browser is a headless Chromium spoken to over the DevTools pipe.
type browser struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	mu   sync.Mutex
	next int
	wait map[int]chan cdpMsg
	subs map[string]chan cdpMsg // events by session
}

type cdpMsg struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

func startBrowser(t *testing.T) *browser {
	t.Helper()
	exe := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		t.Fatal("Chromium is not installed (apt-get install chromium): the browser tests cannot run")
	}
	toChrome, ourEnd, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	fromChrome, chromeEnd, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
		"--user-data-dir="+t.TempDir(), "--remote-debugging-pipe", "--window-size=1280,1600", "about:blank")
	cmd.ExtraFiles = []*os.File{toChrome, chromeEnd} // fd 3: Chromium reads; fd 4: it writes
	logf, err := os.Create(filepath.Join(artifacts, "chromium.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	toChrome.Close()
	chromeEnd.Close()
	b := &browser{cmd: cmd, in: ourEnd, wait: map[int]chan cdpMsg{}, subs: map[string]chan cdpMsg{}}
	t.Cleanup(func() {
		ourEnd.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		logf.Close()
	})
	go b.read(fromChrome)
	return b
}

func (b *browser) read(r io.Reader) {
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		raw, err := br.ReadBytes(0)
		if err != nil {
			b.mu.Lock()
			for id, ch := range b.wait {
				close(ch)
				delete(b.wait, id)
			}
			b.mu.Unlock()
			return
		}
		var msg cdpMsg
		if json.Unmarshal(raw[:len(raw)-1], &msg) != nil {
			continue
		}
		b.mu.Lock()
		if msg.ID != 0 {
			if ch := b.wait[msg.ID]; ch != nil {
				ch <- msg
				delete(b.wait, msg.ID)
			}
		} else if ch := b.subs[msg.SessionID]; ch != nil {
			select {
			case ch <- msg:
			default: // a test that does not read its events loses them
			}
		}
		b.mu.Unlock()
	}
}

// call sends a command and waits for its result.
func (b *browser) call(t *testing.T, session, method string, params any, result any) {
	t.Helper()
	if params == nil {
		params = struct{}{}
	}
	p, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	b.next++
	id := b.next
	ch := make(chan cdpMsg, 1)
	b.wait[id] = ch
	b.mu.Unlock()
	msg, _ := json.Marshal(cdpMsg{ID: id, Method: method, Params: p, SessionID: session})
	if _, err := b.in.Write(append(msg, 0)); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	select {
	case resp, ok := <-ch:
		if !ok {
			t.Fatalf("%s: Chromium closed the pipe (see %s/chromium.log)", method, artifacts)
		}
		if resp.Error != nil {
			t.Fatalf("%s: %s", method, resp.Error.Message)
		}
		if result != nil {
			if err := json.Unmarshal(resp.Result, result); err != nil {
				t.Fatalf("%s: %v", method, err)
			}
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("%s: no answer in 60s", method)
	}
}

// tab is one page, with everything it reported.
type tab struct {
	b        *browser
	session  string
	target   string
	events   chan cdpMsg
	problems []string // console errors, exceptions, failed loads
	requests []string // every URL requested
}

func (b *browser) newTab(t *testing.T) *tab {
	t.Helper()
	var created struct{ TargetID string }
	b.call(t, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &created)
	var attached struct{ SessionID string }
	b.call(t, "", "Target.attachToTarget", map[string]any{"targetId": created.TargetID, "flatten": true}, &attached)
	tb := &tab{b: b, session: attached.SessionID, target: created.TargetID, events: make(chan cdpMsg, 4096)}
	b.mu.Lock()
	b.subs[tb.session] = tb.events
	b.mu.Unlock()
	for _, domain := range []string{"Page", "Runtime", "Log", "Network"} {
		b.call(t, tb.session, domain+".enable", nil, nil)
	}
	return tb
}

func (tb *tab) close() {
	tb.b.mu.Lock()
	delete(tb.b.subs, tb.session)
	tb.b.mu.Unlock()
}

// drain reads the events so far, until one named until arrives (if set).
func (tb *tab) drain(t *testing.T, until string, timeout time.Duration) bool {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case ev := <-tb.events:
			tb.note(ev)
			if until != "" && ev.Method == until {
				return true
			}
		case <-deadline:
			return false
		default:
			if until == "" {
				return true
			}
			select {
			case ev := <-tb.events:
				tb.note(ev)
				if ev.Method == until {
					return true
				}
			case <-deadline:
				return false
			}
		}
	}
}

func (tb *tab) note(ev cdpMsg) {
	switch ev.Method {
	case "Runtime.exceptionThrown":
		tb.problems = append(tb.problems, "exception: "+string(ev.Params))
	case "Runtime.consoleAPICalled":
		var p struct {
			Type string
			Args []struct{ Value any }
		}
		json.Unmarshal(ev.Params, &p)
		if p.Type == "error" || p.Type == "assert" || p.Type == "warning" {
			tb.problems = append(tb.problems, "console."+p.Type+": "+fmt.Sprint(p.Args))
		}
	case "Log.entryAdded":
		var p struct {
			Entry struct{ Level, Text, URL string }
		}
		json.Unmarshal(ev.Params, &p)
		if p.Entry.Level == "error" {
			tb.problems = append(tb.problems, "log: "+p.Entry.Text+" "+p.Entry.URL)
		}
	case "Network.requestWillBeSent":
		var p struct{ Request struct{ URL string } }
		json.Unmarshal(ev.Params, &p)
		tb.requests = append(tb.requests, p.Request.URL)
	case "Network.loadingFailed":
		tb.problems = append(tb.problems, "load failed: "+string(ev.Params))
	}
}

func (tb *tab) open(t *testing.T, u string) {
	t.Helper()
	tb.drain(t, "", 0)
	var nav struct{ ErrorText string }
	tb.b.call(t, tb.session, "Page.navigate", map[string]any{"url": u}, &nav)
	if nav.ErrorText != "" {
		t.Fatalf("opening %s: %s", u, nav.ErrorText)
	}
	if !tb.drain(t, "Page.loadEventFired", 30*time.Second) {
		t.Fatalf("opening %s: no load event in 30s", u)
	}
	tb.drain(t, "", 0)
}

func (tb *tab) eval(t *testing.T, expr string) string {
	t.Helper()
	var res struct {
		Result struct {
			Value any
		}
		ExceptionDetails *struct{ Text string }
	}
	tb.b.call(t, tb.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &res)
	if res.ExceptionDetails != nil {
		t.Fatalf("evaluating %s: %s", expr, res.ExceptionDetails.Text)
	}
	s, _ := res.Result.Value.(string)
	return s
}

// search types q into the unit search as a person would and returns the
// first result as "name|href", or "" when none came within 10 s.
func (tb *tab) search(t *testing.T, q string) string {
	t.Helper()
	tb.eval(t, `(function(){var i=document.getElementById("q");i.value="";i.focus();i.dispatchEvent(new Event("input"));return ""})()`)
	tb.b.call(t, tb.session, "Input.insertText", map[string]any{"text": q}, nil)
	return tb.eval(t, `new Promise(function(done){var t0=Date.now();(function poll(){
		var a=document.querySelector("#search-results a");
		if(a&&document.getElementById("q").value===`+jsString(q)+`){done(a.textContent+"|"+a.href);return}
		if(Date.now()-t0>10000){done("");return}
		setTimeout(poll,50)})()})`)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (tb *tab) key(t *testing.T, k string) {
	t.Helper()
	for _, typ := range []string{"keyDown", "keyUp"} {
		p := map[string]any{"type": typ, "key": k, "code": "Space", "windowsVirtualKeyCode": 32}
		if typ == "keyDown" {
			p["text"] = k
		}
		tb.b.call(t, tb.session, "Input.dispatchKeyEvent", p, nil)
	}
}

// checkStyled fails when the style sheet did not apply (a broken relative link).
func (tb *tab) checkStyled(t *testing.T) {
	t.Helper()
	if got := tb.eval(t, `getComputedStyle(document.body).maxWidth`); got == "none" || got == "" {
		t.Errorf("%s: the style sheet did not apply (body max-width %q)", tb.eval(t, "location.href"), got)
	}
}

func (tb *tab) screenshot(t *testing.T, name string) {
	t.Helper()
	var metrics struct {
		CSSContentSize struct{ Width, Height float64 } `json:"cssContentSize"`
	}
	tb.b.call(t, tb.session, "Page.getLayoutMetrics", nil, &metrics)
	h := min(metrics.CSSContentSize.Height, 6000)
	var shot struct{ Data string }
	tb.b.call(t, tb.session, "Page.captureScreenshot", map[string]any{
		"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": 0, "y": 0, "width": 1280, "height": h, "scale": 1},
	}, &shot)
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil || len(png) < 1000 {
		t.Fatalf("screenshot %s: %d bytes, %v", name, len(png), err)
	}
	if err := os.WriteFile(filepath.Join(artifacts, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkPrint prints the page on A4 with its own print CSS: no navigation,
// the checklist's header row on every page.
func (tb *tab) checkPrint(t *testing.T, name string) {
	t.Helper()
	tb.b.call(t, tb.session, "Emulation.setEmulatedMedia", map[string]any{"media": "print"}, nil)
	for expr, want := range map[string]string{
		`getComputedStyle(document.querySelector("header.site")).display`:           "none",
		`getComputedStyle(document.querySelector("nav.crumbs")).display`:            "none",
		`getComputedStyle(document.querySelector("table.checklist thead")).display`: "table-header-group",
		`getComputedStyle(document.querySelector(".formhead")).display`:             "flex",
	} {
		if got := tb.eval(t, expr); got != want {
			t.Errorf("print: %s = %q, want %q", expr, got, want)
		}
	}
	tb.b.call(t, tb.session, "Emulation.setEmulatedMedia", map[string]any{"media": ""}, nil)
	var pdf struct{ Data string }
	tb.b.call(t, tb.session, "Page.printToPDF", map[string]any{"preferCSSPageSize": true, "printBackground": false}, &pdf)
	b, err := base64.StdEncoding.DecodeString(pdf.Data)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(artifacts, name)
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		t.Fatalf("pdfinfo (poppler-utils) %s: %v", file, err)
	}
	if !strings.Contains(string(info), "(A4)") {
		t.Errorf("%s is not A4:\n%s", name, info)
	}
	var pages int
	for _, l := range strings.Split(string(info), "\n") {
		fmt.Sscanf(l, "Pages: %d", &pages)
	}
	header := tb.eval(t, `document.querySelector("table.checklist thead th:nth-child(3)").textContent`)
	for p := 1; p <= pages; p++ {
		text, err := exec.Command("pdftotext", "-f", fmt.Sprint(p), "-l", fmt.Sprint(p), "-layout", file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		if !strings.Contains(string(text), header) {
			t.Errorf("%s page %d/%d lacks the table header %q", name, p, pages, header)
		}
		if strings.Contains(string(text), tb.eval(t, `document.querySelector("header.site nav a").textContent`)+"\n") {
			t.Errorf("%s page %d shows the navigation", name, p)
		}
	}
	if pages < 2 {
		t.Logf("%s: %d page; the repeated header is checked on one page only", name, pages)
	}
	exec.Command("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", file, strings.TrimSuffix(file, ".pdf")).Run()
}

// checkClean fails on any console error, exception or failed load, and on
// any request that left the machine.
func (tb *tab) checkClean(t *testing.T, base string) {
	t.Helper()
	tb.drain(t, "", 0)
	for _, p := range tb.problems {
		t.Errorf("browser: %s", p)
	}
	if len(tb.requests) == 0 {
		t.Error("no request seen: the Network domain reported nothing")
	}
	for _, r := range tb.requests {
		if !strings.HasPrefix(r, base) {
			t.Errorf("request outside the site: %s", r)
		}
	}
}

// TestBrowserSearch100k builds the index page and unit index of a site of
// 100,000 units and searches it in Chromium from file://, logging how long
// the first search (which loads the index) and a second one take.
func TestBrowserSearch100k(t *testing.T) {
	m := bigSite(t, 100000)
	r, err := newRenderer(m, Options{Date: buildDate})
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	out, err := output.Stage(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Abort()
	for _, step := range []func(output.Sink) error{r.writeAssets, r.writeIndex, r.writeSearchIndex} {
		if err := step(out); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dest, searchIndex))
	if err != nil {
		t.Fatal(err)
	}
	index, err := os.Stat(filepath.Join(dest, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	b := startBrowser(t)
	tab := b.newTab(t)
	defer tab.close()
	base := (&url.URL{Scheme: "file", Path: filepath.ToSlash(dest) + "/"}).String()
	tab.open(t, base+"index.html")
	for _, q := range []struct{ text, want string }{
		{"dong tam 7", "Xã Đồng Tâm 7|"},
		{"khu vuc bo phieu so 25", "Khu vực bỏ phiếu số 25|"},
		{"bach dang", "Phường Bạch Đằng|"},
	} {
		start := time.Now()
		got := tab.search(t, q.text)
		t.Logf("100,000 units (index %d bytes, index.html %d bytes): search %q took %s", st.Size(), index.Size(), q.text, time.Since(start).Round(time.Millisecond))
		if !strings.HasPrefix(got, q.want) {
			t.Errorf("search %q: first result %q, want %s", q.text, got, q.want)
		}
	}
	tab.screenshot(t, "search-100k.png")
	tab.checkClean(t, base)
}

// TestBrowserPhone opens every kind of page, and a completion report, at
// a phone's width (390 CSS pixels) and fails when a page scrolls sideways;
// it saves screenshots of them to e2e-artifacts/site/phone-*.png.
func TestBrowserPhone(t *testing.T) {
	m := open(t, exampleFS(t))
	dir := render(t, m, "", Options{Formats: map[string]bool{"pdf": true, "xlsx": true}})
	// A report page, of no returned workbooks: every unit is listed as
	// missing, in the report's widest tables.
	out, err := output.Stage(filepath.Join(dir, "report"))
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Render(report.Build(m, nil, nil, report.Options{AsOf: plan.DateOf(buildDate)}), out); err != nil {
		out.Abort()
		t.Fatal(err)
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	unit := pollingUnit(t, m)
	b := startBrowser(t)
	tab := b.newTab(t)
	defer tab.close()
	b.call(t, tab.session, "Emulation.setDeviceMetricsOverride", map[string]any{"width": 390, "height": 900, "deviceScaleFactor": 1, "mobile": true}, nil)
	base := (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir) + "/"}).String()
	for _, p := range []struct{ name, path string }{
		{"index", "index.html"},
		{"unit", "units/" + unit.Code + "/index.html"},
		{"level", "levels/" + unit.Level + "/index.html"},
		{"timeline", "timeline/index.html"},
		{"plan", "plans/" + m.Plans[0].ID + "/index.html"},
		{"body", "bodies/" + m.Bodies[0].ID + "/index.html"},
		{"report", "report/index.html"},
		{"report-level", "report/levels/" + unit.Level + "/index.html"},
	} {
		tab.open(t, base+p.path)
		got := tab.eval(t, `(function(){var d=document.documentElement;return d.clientWidth+" "+d.scrollWidth})()`)
		var client, scroll int
		if _, err := fmt.Sscan(got, &client, &scroll); err != nil {
			t.Fatalf("%s: widths %q: %v", p.path, got, err)
		}
		if client != 390 {
			t.Errorf("%s: viewport %d px wide, want 390", p.path, client)
		}
		if scroll > client {
			t.Errorf("%s is %d px wide on a %d px phone: it scrolls sideways", p.path, scroll, client)
		}
		tab.phoneScreenshot(t, "phone-"+p.name+".png")
	}
	// Stacked rows keep every cell: the deadline of the first task shows,
	// inside the page, with its column's name.
	tab.open(t, base+"units/"+unit.Code+"/index.html")
	due := tab.eval(t, `(function(){var c=document.querySelector("table.checklist tr.task td.c-due"),r=c.getBoundingClientRect();
		return getComputedStyle(c,"::before").content+"|"+(r.left>=0&&r.right<=document.documentElement.clientWidth&&r.width>100)})()`)
	if want := `"` + m.Label("due") + `: "|true`; due != want {
		t.Errorf("unit page at 390 px: deadline cell %q, want %q", due, want)
	}
	tab.checkClean(t, base)
}

// phoneScreenshot saves the top of the page as a phone shows it.
func (tb *tab) phoneScreenshot(t *testing.T, name string) {
	t.Helper()
	var shot struct{ Data string }
	tb.b.call(t, tb.session, "Page.captureScreenshot", map[string]any{
		"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": 0, "y": 0, "width": 390, "height": 1600, "scale": 1},
	}, &shot)
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil || len(png) < 1000 {
		t.Fatalf("screenshot %s: %d bytes, %v", name, len(png), err)
	}
	if err := os.WriteFile(filepath.Join(artifacts, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserSearchScripts types names of several scripts into the unit
// search, with and without their marks and in other cases, and finds them.
func TestBrowserSearchScripts(t *testing.T) {
	fsys := starterFS(t)
	units := string(fsys["content/units.toml"].Data)
	names := map[string]string{"RV-N-11": "Москва", "RV-N-12": "Αθήνα", "RV-N-13": "Ærø Straße", "RV-N-14": "Phường Bạch Đằng", "RV-N-15": "Łódź Þórshöfn", "RV-N-16": "Πειραιάς"}
	for code, name := range names {
		units += fmt.Sprintf("\n[[unit]]\ncode = %q\nparent = \"RV-N\"\nname = %q\nlevel = \"station\"\n", code, name)
	}
	fsys["content/units.toml"] = &fstest.MapFile{Data: []byte(units)}
	dir := render(t, open(t, fsys), "", Options{})
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	b := startBrowser(t)
	tab := b.newTab(t)
	defer tab.close()
	base := (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir) + "/"}).String()
	tab.open(t, base+"index.html")
	for _, q := range []struct{ text, code string }{
		{"москва", "RV-N-11"}, {"МОСКВА", "RV-N-11"}, {"моск", "RV-N-11"},
		{"Αθήνα", "RV-N-12"}, {"αθηνα", "RV-N-12"}, {"ΑΘΗΝΑ", "RV-N-12"},
		{"Ærø Straße", "RV-N-13"}, {"aero strasse", "RV-N-13"}, {"AERO STR", "RV-N-13"}, {"ærø", "RV-N-13"},
		{"bach dang", "RV-N-14"}, {"Bạch Đằng", "RV-N-14"},
		{"lodz thor", "RV-N-15"},
		// JavaScript lowercases a final Σ to ς, Go never: both fold to σ.
		{"ΠΕΙΡΑΙΑΣ", "RV-N-16"}, {"πειραιας", "RV-N-16"},
	} {
		// What Go's fold makes of the query finds the same unit: the two
		// folds agree on it.
		for _, text := range []string{q.text, strings.Join(searchWords(q.text), " ")} {
			got := tab.search(t, text)
			if want := names[q.code] + "|"; !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "units/"+q.code+"/index.html") {
				t.Errorf("search %q: first result %q, want %s %s", text, got, names[q.code], q.code)
			}
		}
	}
	tab.screenshot(t, "search-scripts.png")
	tab.checkClean(t, base)
}
