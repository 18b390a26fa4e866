package site

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"checkgen/generator/plan"
)

// TestFastUnitPage: with the default layouts, every unit page of the
// example and of the example grown to 2,000 units written by
// appendUnitPage is byte for byte the page html/template renders from the
// layouts; so is one with a form head, its own election day, children and
// texts to escape.
func TestFastUnitPage(t *testing.T) {
	r, err := newRenderer(open(t, exampleFS(t)), Options{Date: buildDate})
	if err != nil {
		t.Fatal(err)
	}
	if got := layoutsHash(r.theme.src); got != fastLayouts || !r.fast {
		t.Fatalf("the default layouts hash to %s, fastLayouts is %s: make appendUnitPage write what they write, then set fastLayouts", got, fastLayouts)
	}
	for name, m := range map[string]*plan.Model{"example": r.m, "grown": bigSite(t, 2000)} {
		r, err := newRenderer(m, Options{Date: buildDate, Formats: map[string]bool{"pdf": true, "xlsx": true}})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range m.Units {
			comparePages(t, r, u, nil)
		}
		t.Logf("%s: %d unit pages", name, len(m.Units))
	}
	// Every part of the page, with texts html/template escapes.
	m := r.m
	u := *m.Units[len(m.Units)-1]
	u.Name = `A "b" & 'c' + <d> ` + "\x00 \xff é"
	u.Day = u.Day.AddDays(-1)
	u.Head = &plan.Head{Rule: "star", Left: []string{"<L1>", "L2"}, Right: []string{"R&1"}, Number: "12/'x'", Subject: "S+S"}
	u.Children = m.Units[:3]
	comparePages(t, r, &u, func(p *Page) {
		p.Organisation = "O<rg>"
		p.Scripts = append(p.Scripts, "x.js")
		p.Data.(*UnitData).Sign = []Signer{{For: "F", Title: "T"}, {Note: "N&"}, {}}
	})
	u.Head = &plan.Head{Right: []string{"only right"}}
	comparePages(t, r, &u, nil)
	u.Head = &plan.Head{Left: []string{"only left"}, Number: "7"}
	comparePages(t, r, &u, nil)
}

func comparePages(t *testing.T, r *renderer, u *plan.Unit, edit func(*Page)) {
	t.Helper()
	p, err := r.unitPage(u)
	if err != nil {
		t.Fatal(err)
	}
	linkCalendar(p, u)
	if edit != nil {
		edit(p)
	}
	var want bytes.Buffer
	if err := r.theme.execute(&want, "unit.html", "x", p); err != nil {
		t.Fatal(err)
	}
	got, ok := r.appendUnitPage(nil, p)
	if !ok {
		t.Fatalf("%s: appendUnitPage refused the page", u.Code)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("%s: appendUnitPage differs from the layouts:\n%s", u.Code, firstDiff(got, want.Bytes()))
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "line " + itoa(i+1) + ":\n got " + g[i] + "\nwant " + w[i]
		}
	}
	return "got " + itoa(len(g)) + " lines, want " + itoa(len(w))
}

// TestFastUnitPageLinks: a link html/template would filter or normalise
// leaves the page to the templates.
func TestFastUnitPageLinks(t *testing.T) {
	r, err := newRenderer(open(t, exampleFS(t)), Options{Date: buildDate})
	if err != nil {
		t.Fatal(err)
	}
	for _, href := range []string{"javascript:alert(1)", "a b", "é", "a&b", "a+b", "%41", "a?b=c"} {
		p, err := r.unitPage(r.m.Units[0])
		if err != nil {
			t.Fatal(err)
		}
		p.Crumbs[0].Href = href
		if _, ok := r.appendUnitPage(nil, p); ok {
			t.Errorf("link %q: appendUnitPage wrote the page", href)
		}
	}
}

// FuzzEscape: appendEscaped escapes as html/template does in text, in a
// quoted attribute and in <title>.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "plain", `"&'+<>`, "\x00", "\xff\xfe", "é \u2028 \ufdd0 \uffff", "a\tb\nc"} {
		f.Add(s)
	}
	tmpl := template.Must(template.New("").Parse(`<title>{{.}}</title><p>{{.}}</p><a title="{{.}}">`))
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		if err := tmpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		e := string(appendEscaped(nil, s))
		got := `<title>` + e + `</title><p>` + e + `</p><a title="` + e + `">`
		if got != want.String() {
			t.Fatalf("appendEscaped(%q) = %q; html/template wrote %q", s, e, want.String())
		}
	})
}
