//go:build unix

package devserver

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"checkgen/generator/plan"
)

// TestFIFO puts named pipes where pages and content files are: requests
// and the error list pass them by instead of waiting for a writer (D13).
func TestFIFO(t *testing.T) {
	s, hs, root := serve(t, map[string]string{"index.html": page, "dir/other.html": page})
	for _, name := range []string{"pipe.html", "dir/index.html", "data.json"} {
		if err := syscall.Mkfifo(filepath.Join(root, filepath.FromSlash(name)), 0o644); err != nil {
			t.Skipf("no named pipes here: %v", err)
		}
	}
	s.Publish(nil)
	tests := []struct {
		path   string
		status int
		body   string
	}{
		{"/pipe.html", http.StatusNotFound, "Not found"},
		{"/data.json", http.StatusNotFound, "Not found"},
		{"/dir/", http.StatusOK, `href="other.html"`}, // a listing, not the pipe
		{"/", http.StatusOK, "Unit RV-N"},
	}
	for _, tt := range tests {
		status, _, body := get(t, hs.URL+tt.path)
		if status != tt.status || !strings.Contains(body, tt.body) {
			t.Errorf("GET %s: %d, want %d with %q:\n%s", tt.path, status, tt.status, tt.body, body)
		}
	}

	site := writeSite(t, map[string]string{"content/site.toml": "title = \"x\"\n"})
	if err := syscall.Mkfifo(filepath.Join(site, "content", "pipe.toml"), 0o644); err != nil {
		t.Fatal(err)
	}
	var list plan.ErrorList
	list.Add(plan.Pos{File: "content/pipe.toml", Line: 1, Col: 1}, "not a regular file")
	list.Add(plan.Pos{File: "content/site.toml", Line: 1, Col: 1}, "bad")
	got := Problems(list, site)
	if len(got) != 2 || got[0].Source != "" || got[1].Source != `title = "x"` {
		t.Errorf("Problems with a named pipe = %+v", got)
	}
	if _, err := os.Stat(filepath.Join(site, "content", "pipe.toml")); err != nil {
		t.Fatal(err)
	}
}
