package devserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// mapSource is a Source of files in a map; a file whose text is "!"
// fails to render.
type mapSource map[string]string

func (m mapSource) File(_ context.Context, name string) ([]byte, error) {
	text, ok := m[name]
	switch {
	case !ok:
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	case text == "!":
		return nil, errors.New("rendering " + name + ": template failed")
	}
	return []byte(text), nil
}

func (m mapSource) Dir(name string) ([]string, bool) {
	seen := map[string]bool{}
	var out []string
	prefix := name + "/"
	if name == "." {
		prefix = ""
	}
	for p := range m {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		entry, _, sub := strings.Cut(rest, "/")
		if sub {
			entry += "/"
		}
		if !seen[entry] {
			seen[entry] = true
			out = append(out, entry)
		}
	}
	return out, len(out) > 0
}

// TestSource: a server of a Source serves its files (HTML with the reload
// script), folders by their index.html or a listing, redirects a folder
// asked for without its slash, answers 404 for what the source lacks and
// 500 for a file that fails to render: its message in the overlay of a
// page that reloads.
func TestSource(t *testing.T) {
	src := mapSource{
		"index.html":          page,
		"units/06/index.html": page,
		"pdf/units/06.pdf":    "%PDF-1.4 unit 06",
		"assets/style.css":    "body{}",
		"bad/index.html":      "!",
	}
	s := NewSource(src)
	s.Publish(nil)
	hs := httptest.NewServer(s)
	defer hs.Close()
	defer s.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(p string) (int, string, string, string) {
		t.Helper()
		res, err := client.Get(hs.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Location"), res.Header.Get("Content-Type"), string(b)
	}
	for _, c := range []struct {
		path, loc, ctype, has string
		status                int
	}{
		{"/", "", "text/html; charset=utf-8", EventsPath, 200},
		{"/units/06/", "", "text/html; charset=utf-8", "<h1>Unit RV-N</h1>", 200},
		{"/units/06", "/units/06/", "", "", 302},
		{"/units/06/index.html/", "/units/06/index.html", "", "", 302},
		{"/pdf/units/06.pdf", "", "application/pdf", "%PDF-1.4 unit 06", 200},
		{"/assets/style.css", "", "text/css; charset=utf-8", "body{}", 200},
		{"/pdf/units/", "", "text/html; charset=utf-8", `<a href="06.pdf">`, 200},
		{"/units/07/", "", "text/html; charset=utf-8", "Not found", 404},
		{"/bad/", "", "text/html; charset=utf-8", "template failed", 500},
		{"/bad/index.html", "", "text/html; charset=utf-8", EventsPath, 500},
	} {
		status, loc, ctype, body := get(c.path)
		if status != c.status || loc != c.loc || (c.ctype != "" && ctype != c.ctype) || !strings.Contains(body, c.has) {
			t.Errorf("GET %s: %d %q %q %.80q, want %d %q %q containing %q", c.path, status, loc, ctype, body, c.status, c.loc, c.ctype, c.has)
		}
	}
	// The PDF's bytes are the source's, untouched.
	if _, _, _, body := get("/pdf/units/06.pdf"); body != src["pdf/units/06.pdf"] {
		t.Errorf("PDF served as %q", body)
	}
}
