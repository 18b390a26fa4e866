//go:build e2e

package site

// TestBrowserServeReload checks `checkgen serve` as a person sees it, in a
// real browser: it builds the checkgen binary, serves a starter site, opens
// a unit's page in headless Chromium, and edits the content on disk. The
// open page must show the change by itself (no reload from the test), show
// the error list over the page after a typo and clear it after the fix,
// and the server must stop with exit status 0 on SIGINT. It lives here to
// use this package's Chromium driver.

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestBrowserServeReload(t *testing.T) {
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "checkgen")
	build := exec.Command("go", "build", "-o", bin, "./cmd/checkgen")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	site := filepath.Join(t.TempDir(), "site")
	if out, err := exec.Command(bin, "init", site).CombinedOutput(); err != nil {
		t.Fatalf("checkgen init: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()

	srv := exec.Command(bin, "serve", "-s", site, "--port", port)
	var stderr strings.Builder
	srv.Stderr = &stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	t.Cleanup(func() { srv.Process.Kill() })

	base := "http://127.0.0.1:" + port + "/"
	page := base + "units/RV-N-01/index.html"
	waitFor(t, 60*time.Second, "the first build to be served", func() bool {
		resp, err := http.Get(page)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})

	b := startBrowser(t)
	tab := b.newTab(t)
	defer tab.close()
	tab.open(t, page)
	// While a reload is under way there is no h1 for a moment: the first
	// build's reload event can reach a page opened just before it.
	h1 := func() string { return tab.eval(t, `(document.querySelector("h1") || {}).textContent || ""`) }
	waitFor(t, 30*time.Second, "the unit page", func() bool { return strings.Contains(h1(), "Town Hall") })
	// A mark that only survives as long as the page is not reloaded.
	tab.eval(t, `window.checkgenMark = "before"; ""`)

	units := filepath.Join(site, "content", "units.toml")
	src, err := os.ReadFile(units)
	if err != nil {
		t.Fatal(err)
	}
	renamed := strings.Replace(string(src), "Station 1, Town Hall", "Station 1, Old Library", 1)
	saveAtomically(t, units, renamed)
	waitFor(t, 30*time.Second, "the open page to show the new name", func() bool {
		return strings.Contains(h1(), "Old Library")
	})
	if mark := tab.eval(t, `String(window.checkgenMark)`); mark != "undefined" {
		t.Errorf("the page changed without reloading itself? mark = %q", mark)
	}

	// A typo: the error list covers the page, naming the file and line.
	saveAtomically(t, units, strings.Replace(renamed, `level  = "station"`, `level  = "statoin"`, 1))
	overlay := func() string {
		return tab.eval(t, `(function(){var e=document.getElementById("checkgen-errors");return e?e.innerText:""})()`)
	}
	waitFor(t, 30*time.Second, "the error list over the page", func() bool {
		return strings.Contains(overlay(), `content/units.toml:`) && strings.Contains(overlay(), `unknown level "statoin"`)
	})
	tab.screenshot(t, "serve-error.png")
	if got := h1(); !strings.Contains(got, "Old Library") {
		t.Errorf("during the error the last good page is not shown: h1 = %q", got)
	}
	saveAtomically(t, units, renamed)
	waitFor(t, 30*time.Second, "the error list to clear", func() bool { return overlay() == "" })
	tab.drain(t, "", 0)
	for _, p := range tab.problems {
		if !strings.Contains(p, "__livereload") { // the stream is cut on every reload
			t.Errorf("browser problem: %s", p)
		}
	}

	if err := srv.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve after SIGINT: %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Error("serve did not stop within 20s of SIGINT")
	}
}

// saveAtomically saves as many editors do: a temp file renamed over the target.
func saveAtomically(t *testing.T, path, data string) {
	t.Helper()
	tmp := path + ".tmp123"
	if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", limit, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
