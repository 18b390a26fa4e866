package site

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"unicode/utf8"

	"checkgen/layouts"
)

// A national site has 96,135 unit pages, and html/template spends about
// 120 µs on each, calling a function by reflection for every value it
// escapes. When a site keeps the default base.html, partials.html and
// unit.html, a unit page is written here instead, byte for byte as those
// layouts write it (TestFastUnitPage compares the two on every unit of the
// example and of a 2,000-unit growth, FuzzEscape the escaping). A site
// that overrides any of the three gets its own layouts, as always.
//
// fastLayouts is the hash of the three default layouts this file copies.
// A change to any of them turns the fast path off until this file follows
// it and the hash is updated (TestFastUnitPage fails until then).
const fastLayouts = "60f057dbce3a6edf"

// fastLayoutFiles are the layouts appendUnitPage copies.
var fastLayoutFiles = []string{"base.html", "partials.html", "unit.html"}

// layoutsHash hashes the layouts of src (by path, "layouts/unit.html")
// that appendUnitPage copies.
func layoutsHash(src map[string]string) string {
	h := sha256.New()
	for _, name := range fastLayoutFiles {
		s := src["layouts/"+name]
		h.Write([]byte(strconv.Itoa(len(s)) + ":" + s))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// usesDefaultUnitLayouts reports whether src holds the default layouts
// appendUnitPage copies, unchanged since it was written.
func usesDefaultUnitLayouts(src map[string]string) bool {
	for _, name := range fastLayoutFiles {
		b, err := layouts.FS.ReadFile(name)
		if err != nil || string(b) != src["layouts/"+name] {
			return false
		}
	}
	return layoutsHash(src) == fastLayouts
}

// appendUnitPage appends unit page p (Data a *UnitData) as the default
// layouts render it, and reports false, leaving the page to the
// templates, when a link holds anything but the characters of relative
// paths, which html/template would filter or normalise.
func (r *renderer) appendUnitPage(b []byte, p *Page) ([]byte, bool) {
	d, ok := p.Data.(*UnitData)
	if !ok {
		return b, false
	}
	w := pageWriter{b: b, ok: true, label: r.m.Label}
	w.base(p, d)
	w.raw("\n\n")
	return w.b, w.ok
}

// pageWriter appends a page, escaping as html/template does.
type pageWriter struct {
	b     []byte
	ok    bool // false when a link needs html/template's URL handling
	label func(string) string
}

func (w *pageWriter) raw(s string) { w.b = append(w.b, s...) }

// text appends s escaped for text or a quoted attribute.
func (w *pageWriter) text(s string) { w.b = appendEscaped(w.b, s) }

// L appends the label key.
func (w *pageWriter) L(key string) { w.text(w.label(key)) }

// url appends s as the value of an href or src attribute.
func (w *pageWriter) url(s string) {
	if !plainURL(s) {
		w.ok = false
	}
	w.b = append(w.b, s...)
}

func (w *pageWriter) base(p *Page, d *UnitData) {
	w.raw("<!DOCTYPE html>\n<html lang=\"")
	w.text(p.Lang)
	w.raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"checkgen\">\n<title>")
	if p.Title != p.SiteTitle {
		w.text(p.Title)
		w.raw(" · ")
	}
	w.text(p.SiteTitle)
	w.raw("</title>\n<link rel=\"icon\" href=\"")
	w.url(p.Root)
	w.raw("assets/favicon.svg\" type=\"image/svg+xml\">\n<link rel=\"stylesheet\" href=\"")
	w.url(p.Root)
	w.raw("assets/style.css\">\n</head>\n<body class=\"page-")
	w.text(p.Kind)
	w.raw("\">\n<a class=\"skip\" href=\"#main\">")
	w.L("skip")
	w.raw("</a>\n<header class=\"site\">\n<p class=\"site-title\"><a href=\"")
	w.url(p.Root)
	w.raw("index.html\">")
	w.text(p.SiteTitle)
	w.raw("</a></p>\n<nav aria-label=\"")
	w.L("navigation")
	w.raw("\">\n<ul>\n")
	for _, n := range [...][2]string{{"index.html", "home"}, {"index.html#plans", "plans"}, {"index.html#levels", "levels"}, {"index.html#bodies", "bodies"}, {"timeline/index.html", "timeline"}} {
		w.raw("<li><a href=\"")
		w.url(p.Root)
		w.raw(n[0])
		w.raw("\">")
		w.L(n[1])
		w.raw("</a></li>\n")
	}
	w.raw("</ul>\n</nav>\n</header>")
	if len(p.Crumbs) > 0 {
		w.raw("\n<nav class=\"crumbs\" aria-label=\"")
		w.L("breadcrumb")
		w.raw("\">\n<ol>")
		for _, c := range p.Crumbs {
			w.raw("\n<li><a href=\"")
			w.url(c.Href)
			w.raw("\">")
			w.text(c.Text)
			w.raw("</a></li>")
		}
		w.raw("\n<li aria-current=\"page\">")
		w.text(p.Title)
		w.raw("</li>\n</ol>\n</nav>")
	}
	w.raw("\n<main id=\"main\">\n")
	w.main(p, d)
	w.raw("\n</main>\n<footer class=\"site\">\n<p>")
	if p.Organisation != "" {
		w.text(p.Organisation)
		w.raw(" · ")
	}
	w.L("election_day")
	w.raw(": ")
	w.text(p.ElectionDay)
	w.raw("</p>\n</footer>")
	for _, s := range p.Scripts {
		w.raw("\n<script src=\"")
		w.url(s)
		w.raw("\"></script>")
	}
	w.raw("\n</body>\n</html>\n")
}

func (w *pageWriter) main(p *Page, d *UnitData) {
	w.raw("\n")
	w.formhead(&p.Form)
	w.raw("\n<h1>")
	w.text(p.Title)
	w.raw("</h1>\n<dl class=\"facts unit-facts\">\n<dt>")
	w.L("code")
	w.raw("</dt><dd><code>")
	w.text(d.Code)
	w.raw("</code></dd>\n<dt>")
	w.L("level")
	w.raw("</dt><dd><a href=\"")
	w.url(d.Level.Href)
	w.raw("\">")
	w.text(d.Level.Text)
	w.raw("</a></dd>")
	if pa := d.Parent; pa != nil {
		w.raw("<dt>")
		w.L("parent")
		w.raw("</dt><dd><a href=\"")
		w.url(pa.Href)
		w.raw("\">")
		w.text(pa.Text)
		w.raw("</a></dd>")
	}
	if d.OwnDay != "" {
		w.raw("<dt>")
		w.L("own_election_day")
		w.raw("</dt><dd><strong>")
		w.text(d.OwnDay)
		w.raw("</strong></dd>")
	}
	w.raw("\n</dl>")
	if len(p.Downloads) > 0 {
		w.raw("\n<p class=\"downloads\">")
		w.links(p.Downloads)
		w.raw("</p>")
	}
	w.raw("\n")
	w.raw(string(d.Checklist))
	w.raw("\n")
	w.signatures(d.Sign)
	if len(d.Children) > 0 {
		w.raw("\n<section class=\"children\" aria-labelledby=\"children-h\">\n<h2 id=\"children-h\">")
		w.L("children")
		w.raw(" (")
		w.b = strconv.AppendInt(w.b, int64(len(d.Children)), 10)
		w.raw(")</h2>\n<ul class=\"columns\">")
		for _, c := range d.Children {
			w.raw("\n<li><a href=\"")
			w.url(c.Href)
			w.raw("\">")
			w.text(c.Text)
			w.raw("</a> <span class=\"code\">")
			w.text(c.Note)
			w.raw("</span></li>")
		}
		w.raw("\n</ul>\n</section>")
	}
	w.raw("\n")
}

func (w *pageWriter) formhead(h *Head) {
	if len(h.Left) == 0 && len(h.Right) == 0 {
		return
	}
	w.raw("<div class=\"formhead\">\n<div class=\"left\">")
	for _, l := range h.Left {
		w.raw("<p>")
		w.text(l)
		w.raw("</p>")
	}
	if h.Rule == "star" {
		w.raw("<p class=\"star\">*</p>")
	} else if len(h.Left) > 0 {
		w.raw("<p class=\"rule\"></p>")
	}
	if h.Number != "" {
		w.raw("<p class=\"number\">")
		w.L("number")
		if h.Rule == "star" {
			w.raw(" ")
		} else {
			w.raw(": ")
		}
		w.text(h.Number)
		w.raw("</p>")
	}
	w.raw("</div>\n<div class=\"right\">")
	for _, l := range h.Right {
		w.raw("<p>")
		w.text(l)
		w.raw("</p>")
	}
	if h.DateLine != "" {
		w.raw("<p class=\"dateline\">")
		w.text(h.DateLine)
		w.raw("</p>")
	}
	w.raw("</div>\n</div>")
	if h.Subject != "" {
		w.raw("\n<p class=\"formsubject\">")
		w.text(h.Subject)
		w.raw("</p>")
	}
}

func (w *pageWriter) links(links []Link) {
	for i, l := range links {
		if i > 0 {
			w.raw(", ")
		}
		w.raw("<a href=\"")
		w.url(l.Href)
		w.raw("\">")
		w.text(l.Text)
		w.raw("</a>")
	}
}

func (w *pageWriter) signatures(signers []Signer) {
	if len(signers) == 0 {
		return
	}
	w.raw("<div class=\"signatures\">")
	for _, s := range signers {
		w.raw("\n<div class=\"sign\">")
		if s.For != "" {
			w.raw("<p class=\"role\">")
			w.text(s.For)
			w.raw("</p>")
		}
		if s.Title != "" {
			w.raw("<p class=\"role\">")
			w.text(s.Title)
			w.raw("</p>")
		}
		w.raw("<p class=\"hint\">")
		if s.Note != "" {
			w.text(s.Note)
		} else {
			w.L("sign_hint")
		}
		w.raw("</p></div>")
	}
	w.raw("\n</div>")
}

// plainURL reports whether s holds only characters of relative paths,
// which html/template's URL filter, normaliser and attribute escaper all
// leave as they are.
func plainURL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == '#') {
			return false
		}
	}
	return true
}

// appendEscaped appends s as html/template escapes a string in text, in
// a quoted attribute and in RCDATA (<title>): NUL as U+FFFD, and
// " & ' + < > as character references; all else as it is, invalid UTF-8
// included.
func appendEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = string(utf8.RuneError)
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, repl...)
		start = i + 1
	}
	return append(b, s[start:]...)
}
