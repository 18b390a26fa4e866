package site

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
)

// hostileSite is content that tries every way into the page: markup in
// titles and names, raw HTML and script links in Markdown, an outside
// image, a script source.
func hostileSite() fstest.MapFS {
	return fstest.MapFS{
		"content/site.toml": {Data: []byte(`
title        = "<script>alert('title')</script> Election"
language     = "en"
election_day = 2027-06-06
organisation = '<img src=x onerror=alert(1)>'
[[level]]
id   = "city"
name = "<svg onload=alert(1)>City"
sign = ["<b onclick=alert(1)>Chair</b>"]
[[category]]
id   = "c"
name = "</table><script>alert('cat')</script>"
[form]
left = ["<iframe src=javascript:alert(1)>"]
[labels]
due = '<b onmouseover="alert(1)">Due</b>'
`)},
		"content/bodies.toml": {Data: []byte(`
[[body]]
id   = "b"
name = '<a href="javascript:alert(1)">Police</a>'
`)},
		"content/units.toml": {Data: []byte(`
[[unit]]
code  = "X1"
name  = '"><script>alert(1)</script>'
level = "city"
`)},
		"content/plans/p.toml": {Data: []byte(`
number = "<i>1</i>"
title  = "<script>alert('plan')</script>"
source = "javascript:alert(1)"
summary = """
<script>alert('summary')</script>

Inline <img src=x onerror=alert(1)> and <b onclick="alert(1)">bold</b>.

[one](javascript:alert(1)) [two](JaVaScRiPt:alert(1)) [three](&#x6A;avascript:alert(1))
[four](vbscript:msgbox(1)) [five](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(1)>

![pic](http://evil.example/x.png) ![local](x.png "t")

[ref]: javascript:alert(1)
[six][ref]
"""
[[task]]
id          = "t"
title       = "<script>alert('task')</script>"
levels      = ["city"]
responsible = "b"
category    = "c"
due         = "E-1"
items       = ["<script>alert('item')</script>"]
evidence    = ["<img src=x onerror=alert('ev')>"]
basis       = ["<a href=javascript:alert(1)>law</a>"]
details     = """
# <script>alert('h')</script>

<div onmouseover="alert(1)">raw block</div>

- [x] <span onclick=alert(1)>done</span>
- [ ] [open](javascript:alert(1))
"""
`)},
	}
}

func TestHostileContent(t *testing.T) {
	m := open(t, hostileSite())
	files := tree(t, render(t, m, "", Options{}))
	var text strings.Builder
	pages := 0
	for rel, b := range files {
		if !strings.HasSuffix(rel, ".html") {
			continue
		}
		pages++
		p := parse(t, rel, b)
		if len(p.badAttrs) > 0 {
			t.Errorf("%s: executable markup got through: %v", rel, p.badAttrs)
		}
		if p.h1 != 1 {
			t.Errorf("%s: %d h1, want 1", rel, p.h1)
		}
		if p.inline > 0 {
			t.Errorf("%s: %d inline scripts", rel, p.inline)
		}
		for _, s := range p.scripts {
			if s != "assets/search.js" && s != "../../assets/checklist.js" {
				t.Errorf("%s: <script src=%q>", rel, s)
			}
		}
		for _, r := range p.refs {
			if strings.Contains(strings.ToLower(r.url), "evil.example") && r.tag != "a" {
				t.Errorf("%s: <%s %s=%q> loads from outside", rel, r.tag, r.attr, r.url)
			}
		}
		for _, s := range p.textNodes {
			text.WriteString(s)
			text.WriteByte('\n')
		}
	}
	if pages < 6 {
		t.Fatalf("only %d pages", pages)
	}
	// What was markup in content must show as text.
	for _, want := range []string{
		"<script>alert('title')</script> Election",
		`"><script>alert(1)</script>`,
		"<script>alert('task')</script>",
		"<script>alert('item')</script>",
		"<img src=x onerror=alert('ev')>",
		`<a href="javascript:alert(1)">Police</a>`,
		`<b onmouseover="alert(1)">Due</b>`,
		"</table><script>alert('cat')</script>",
		"<i>1</i>",
		"javascript:alert(1)", // the plan's source, as text
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text of the pages lacks %q", want)
		}
	}
	// The unit index is a script: names stay JSON strings.
	js := string(files[searchIndex])
	body, ok := strings.CutPrefix(js, "checkgenUnits(")
	body, ok2 := strings.CutSuffix(body, ");\n")
	if !ok || !ok2 {
		t.Fatalf("%s is not checkgenUnits({...});", searchIndex)
	}
	var d struct{ Names []string }
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatalf("%s: %v", searchIndex, err)
	}
	if len(d.Names) != 1 || d.Names[0] != `"><script>alert(1)</script>` {
		t.Errorf("index names = %q", d.Names)
	}
}
