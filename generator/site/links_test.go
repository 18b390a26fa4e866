package site

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// exampleFS is the example site at the repository root.
func exampleFS(t testing.TB) fs.FS {
	t.Helper()
	return os.DirFS("../..")
}

// page is what the checks below read from one HTML file.
type parsedPage struct {
	lang      string
	h1        int
	ids       map[string]bool
	refs      []ref // every href and src
	inputs    []string
	labelFor  map[string]bool
	tables    int
	thCells   int
	scripts   []string // src of every script
	inline    int      // scripts with content
	badAttrs  []string // on* attributes, javascript: URLs
	textNodes []string
}

type ref struct{ attr, tag, url string }

func parse(t testing.TB, name string, b []byte) *parsedPage {
	t.Helper()
	p := &parsedPage{ids: map[string]bool{}, labelFor: map[string]bool{}}
	z := html.NewTokenizer(bytes.NewReader(b))
	inScript := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return p
		case html.TextToken:
			if inScript && strings.TrimSpace(string(z.Text())) != "" {
				p.inline++
			}
			p.textNodes = append(p.textNodes, string(z.Text()))
		case html.EndTagToken:
			if n, _ := z.TagName(); string(n) == "script" {
				inScript = false
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			attr := map[string]string{}
			for _, a := range tok.Attr {
				attr[a.Key] = a.Val
				if strings.HasPrefix(a.Key, "on") {
					p.badAttrs = append(p.badAttrs, tok.Data+" "+a.Key+"="+a.Val)
				}
				if a.Key == "href" || a.Key == "src" || a.Key == "action" || a.Key == "formaction" {
					u := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
					if strings.HasPrefix(u, "javascript:") || strings.HasPrefix(u, "vbscript:") || strings.HasPrefix(u, "data:text") {
						p.badAttrs = append(p.badAttrs, tok.Data+" "+a.Key+"="+a.Val)
					}
					p.refs = append(p.refs, ref{a.Key, tok.Data, a.Val})
				}
			}
			if id, ok := attr["id"]; ok {
				p.ids[id] = true
			}
			switch tok.Data {
			case "html":
				p.lang = attr["lang"]
			case "h1":
				p.h1++
			case "input":
				if attr["type"] == "checkbox" {
					p.inputs = append(p.inputs, attr["id"])
				}
			case "label":
				p.labelFor[attr["for"]] = true
			case "table":
				p.tables++
			case "th":
				p.thCells++
			case "script":
				p.scripts = append(p.scripts, attr["src"])
				inScript = tt == html.StartTagToken
			case "iframe", "object", "embed", "img", "style", "base", "meta":
				if tok.Data == "meta" && (attr["charset"] != "" || attr["name"] != "") {
					break
				}
				p.badAttrs = append(p.badAttrs, "<"+tok.Data+">")
			}
		}
	}
}

// TestLinks renders the example site and checks its links (CheckLinks).
func TestLinks(t *testing.T) {
	m := open(t, exampleFS(t))
	files := tree(t, render(t, m, "", Options{}))
	pages := 0
	for rel := range files {
		if strings.HasSuffix(rel, ".html") {
			pages++
		}
	}
	if pages < len(m.Units)+len(m.Plans)+len(m.Levels)+len(m.Bodies)+2 {
		t.Fatalf("only %d pages for %d units", pages, len(m.Units))
	}
	if n := CheckLinks(t, files); n < 5000 {
		t.Errorf("only %d links checked", n)
	}
}

// CheckLinks follows every relative href and src of the HTML files of a
// build, given by slash path: each must name a file of the build (and an
// id in it, for a fragment); nothing is loaded from outside, and no link
// is root-absolute, so the site works from file:// and from any sub-path.
// It returns the number of links followed. (Exported for the test of a
// whole build in package site_test.)
func CheckLinks(t testing.TB, files map[string][]byte) int {
	t.Helper()
	pages := map[string]*parsedPage{}
	for rel, b := range files {
		if strings.HasSuffix(rel, ".html") {
			pages[rel] = parse(t, rel, b)
		}
	}
	checked := 0
	for rel, p := range pages {
		for _, r := range p.refs {
			u := r.url
			lower := strings.ToLower(u)
			switch {
			case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"), strings.HasPrefix(u, "//"):
				if r.attr != "href" || r.tag != "a" {
					t.Errorf("%s: <%s %s=%q> loads from outside", rel, r.tag, r.attr, u)
				}
				continue
			case strings.HasPrefix(u, "/"):
				t.Errorf("%s: %s=%q is root-absolute: it breaks under a sub-path and from file://", rel, r.attr, u)
				continue
			case strings.Contains(u, ":"):
				t.Errorf("%s: %s=%q has a scheme", rel, r.attr, u)
				continue
			}
			target, frag, _ := strings.Cut(u, "#")
			file := rel
			if target != "" {
				file = path.Join(path.Dir(rel), target)
			}
			if strings.HasSuffix(target, "/") || target == "." {
				t.Errorf("%s: %q links to a directory: from file:// that shows a listing, not index.html", rel, u)
				continue
			}
			if _, ok := files[file]; !ok {
				t.Errorf("%s: %s=%q: %s does not exist", rel, r.attr, u, file)
				continue
			}
			if frag != "" {
				if tp := pages[file]; tp == nil || !tp.ids[frag] {
					t.Errorf("%s: %q: no id %q in %s", rel, u, frag, file)
				}
			}
			checked++
		}
	}
	return checked
}

// Tree reads every file under dir, by slash path. (Exported for package
// site_test.)
func Tree(t testing.TB, dir string) map[string][]byte { return tree(t, dir) }

// TestAccessibility checks the basics on every page of the example: a
// lang, one h1, every checkbox labelled, tables with header cells, no
// script but our own files.
func TestAccessibility(t *testing.T) {
	m := open(t, exampleFS(t))
	files := tree(t, render(t, m, "", Options{}))
	for rel, b := range files {
		if !strings.HasSuffix(rel, ".html") {
			continue
		}
		p := parse(t, rel, b)
		if p.lang != m.Site.Language {
			t.Errorf("%s: <html lang=%q>, want %q", rel, p.lang, m.Site.Language)
		}
		if p.h1 != 1 {
			t.Errorf("%s: %d h1, want 1", rel, p.h1)
		}
		for _, id := range p.inputs {
			if id == "" || !p.labelFor[id] {
				t.Errorf("%s: checkbox %q has no <label for>", rel, id)
			}
		}
		if p.tables > 0 && p.thCells < p.tables {
			t.Errorf("%s: %d tables but %d header cells", rel, p.tables, p.thCells)
		}
		if p.inline > 0 {
			t.Errorf("%s: %d inline scripts", rel, p.inline)
		}
		for _, s := range p.scripts {
			if s != "assets/search.js" && s != "../../assets/checklist.js" {
				t.Errorf("%s: script %q", rel, s)
			}
		}
		if len(p.badAttrs) > 0 {
			t.Errorf("%s: %v", rel, p.badAttrs)
		}
	}
}
