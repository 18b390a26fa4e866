package site

import (
	"bytes"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"checkgen/generator/output"
	"checkgen/generator/plan"
	"checkgen/generator/starter"
)

func TestLayoutOverride(t *testing.T) {
	site := fstest.MapFS{
		"unit.html": {Data: []byte(`{{template "base" .}}{{define "main"}}<h1>OWN {{.Title}}</h1>{{.Data.Checklist}}{{end}}`)},
		"style.css": {Data: []byte("body{color:red}")},
		"notes.txt": {Data: []byte("not a layout")},
	}
	files := tree(t, render(t, open(t, starter.FS()), "", Options{Layouts: site}))
	if u := string(files["units/RV-N-01/index.html"]); !strings.Contains(u, "<h1>OWN Station 1, Town Hall</h1>") || !strings.Contains(u, `<table class="checklist"`) {
		t.Errorf("the site's unit.html was not used:\n%s", u)
	}
	if !strings.Contains(string(files["levels/station/index.html"]), `<table class="checklist"`) {
		t.Error("level.html: the default layout was not used")
	}
	if got := string(files["assets/style.css"]); got != "body{color:red}" {
		t.Errorf("assets/style.css = %q, want the site's", got)
	}
	if _, ok := files["assets/notes.txt"]; ok {
		t.Error("a file that is no layout was copied")
	}
}

func TestLayoutErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file, src, want string
	}{
		{"parse", "unit.html", "{{template \"base\" .}}\n{{define \"main\"}}\n{{if}}{{end}}\n{{end}}", "layouts/unit.html:3: missing value for if"},
		{"unknown function", "level.html", "{{template \"base\" .}}\n{{define \"main\"}}{{nosuch .}}{{end}}", `layouts/level.html:2: function "nosuch" not defined`},
		{"shared file", "partials.html", "{{define \"moment\"}}\n\n  {{end}}{{end}}", "layouts/partials.html:3: unexpected {{end}}"},
		{"execution", "unit.html", "{{template \"base\" .}}\n{{define \"main\"}}<h1>x</h1>\n  {{.Data.Nope}}{{end}}", "layouts/unit.html:3:10: executing"},
		// Columns count characters from 1: "<p>Ærø {{" is 9 characters, 11 bytes.
		{"column in characters", "unit.html", "{{template \"base\" .}}\n{{define \"main\"}}\n<p>Ærø {{.Data.Nope}}{{end}}", "layouts/unit.html:3:15: executing"},
		{"escaping", "plan.html", "{{template \"base\" .}}\n{{define \"main\"}}<a href=\"{{.Title}}\n{{end}}", "layouts/plan.html:"},
		{"escaping at a node", "plan.html", "{{template \"base\" .}}\n{{define \"main\"}}\n  <p>{{if .Title}}<a href=\"{{end}}\">x</a></p>{{end}}", "layouts/plan.html:3:11: {{if}} branches end in different contexts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := fstest.MapFS{tc.file: {Data: []byte(tc.src)}}
			out, err := output.Stage(t.TempDir() + "/public")
			if err != nil {
				t.Fatal(err)
			}
			defer out.Abort()
			err = Render(open(t, starter.FS()), out, Options{Layouts: site, Date: buildDate})
			if err == nil {
				t.Fatal("Render succeeded")
			}
			var list plan.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T %q is not a plan.ErrorList, so the CLI cannot list it as file:line:col", err, err)
			}
			if !strings.HasPrefix(list[0].Error(), tc.want) {
				t.Errorf("error %q, want it to start with %q", list[0], tc.want)
			}
		})
	}
}

// TestLayoutLimits renders layouts that would never end, or fill the
// memory: each stops with an error at its loop, not a hang.
func TestLayoutLimits(t *testing.T) {
	// A clock that moves a millisecond each time it is read: a page passes
	// its 10 s after 10,000 turns of its loops, however fast or slow the
	// machine is. The whole starter site reads it some 350 times. Pages
	// render one at a time (Workers: 1): rendered at once, an ordinary page
	// preempted while another loops would see the shared clock pass its
	// 10 s too, and its error (partials.html) would sort first.
	var ticks atomic.Int64
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	slowClock := func() time.Time { return start.Add(time.Duration(ticks.Add(1)) * time.Millisecond) }
	kilobyte := strings.Repeat("x", 1024)
	for _, tc := range []struct {
		name, file, src string
		lim             limits
		want            string
	}{
		// "{{range " is 8 characters: the loop's place is its value's, column 9.
		{"size", "unit.html", "{{template \"base\" .}}{{define \"main\"}}\n{{range 100000000000}}" + kilobyte + "{{end}}{{end}}",
			limits{}, "layouts/unit.html:2:9: the page grew past 16 MB"},
		{"time", "unit.html", "{{template \"base\" .}}{{define \"main\"}}\n\n{{range 100000000000}}{{end}}{{end}}",
			limits{now: slowClock}, "layouts/unit.html:3:9: the page took longer than 10s"},
		{"nested loops", "level.html", "{{template \"base\" .}}{{define \"main\"}}\n{{range 100000}}\n  {{range 100000}}{{end}}{{end}}{{end}}",
			limits{now: slowClock}, "layouts/level.html:3:11: the page took longer than 10s"},
		{"recursion", "index.html", "{{template \"base\" .}}{{define \"main\"}}{{template \"x\" .}}{{end}}\n{{define \"x\"}}{{template \"x\" .}}{{template \"x\" .}}{{end}}",
			limits{now: slowClock}, "layouts/index.html:2:15: the page took longer than 10s"},
		{"shared layout", "base.html", "{{define \"base\"}}\n{{range 100000000000}}{{end}}{{end}}",
			limits{now: slowClock}, "layouts/base.html:2:9: the page took longer than 10s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := fstest.MapFS{tc.file: {Data: []byte(tc.src)}}
			out, err := output.Stage(t.TempDir() + "/public")
			if err != nil {
				t.Fatal(err)
			}
			defer out.Abort()
			err = Render(open(t, starter.FS()), out, Options{Layouts: site, Date: buildDate, limits: tc.lim, Workers: 1})
			if err == nil {
				t.Fatal("Render succeeded")
			}
			var list plan.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T %q is not a plan.ErrorList", err, err)
			}
			if !strings.HasPrefix(list[0].Error(), tc.want) {
				t.Errorf("error %q, want it to start with %q", list[0], tc.want)
			}
		})
	}
}

// TestLayoutLimitRealClock renders one page on the real clock: a loop of
// 10^11 turns outlasts 100 ms on any machine. (Only that page: on a busy
// machine an ordinary page may take 100 ms too.)
func TestLayoutLimitRealClock(t *testing.T) {
	src := "<p>\n  {{range 100000000000}}{{end}}</p>"
	funcs := template.FuncMap{"L": func(string) string { return "" }, "inc": func(i int) int { return i + 1 }}
	th, err := loadTheme(fstest.MapFS{"unit.html": {Data: []byte(src)}}, funcs, limits{time: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	err = th.execute(io.Discard, "unit.html", "units/X/index.html", nil)
	// "  {{range " is 10 characters: the loop's value is at column 11.
	want := "layouts/unit.html:2:11: the page took longer than 100ms to render; does this loop end? (writing units/X/index.html)"
	if err == nil || err.Error() != want {
		t.Errorf("execute = %v, want %s", err, want)
	}
}

// TestLayoutLimitsBigPage checks that the checks the limits add to every
// loop change no page: the default layouts give the golden pages (see
// TestGolden), and a page of 15 MB is written whole.
func TestLayoutLimitsBigPage(t *testing.T) {
	big := strings.Repeat("y", 1023) + "\n"
	site := fstest.MapFS{"timeline.html": {Data: []byte("{{range 15360}}" + big + "{{end}}")}}
	files := tree(t, render(t, open(t, starter.FS()), "", Options{Layouts: site}))
	if got, want := len(files["timeline/index.html"]), 15<<20; got != want {
		t.Errorf("timeline/index.html has %d bytes, want %d", got, want)
	}
}

// TestSearchIndex decodes the unit index as search.js does and finds
// every unit of the example, with its name, parent and level.
func TestSearchIndex(t *testing.T) {
	m := open(t, exampleFS(t))
	files := tree(t, render(t, m, "", Options{}))
	js := string(files[searchIndex])
	body := strings.TrimSuffix(strings.TrimPrefix(js, "checkgenUnits("), ");\n")
	var d struct {
		Levels []string
		Names  []string
		Units  []json.RawMessage
	}
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatalf("%s: %v", searchIndex, err)
	}
	if len(d.Units) != 4*len(m.Units) {
		t.Fatalf("%d values for %d units", len(d.Units), len(m.Units))
	}
	codes := make([]string, len(m.Units))
	for i, u := range m.Units {
		var code string
		var name, parent, level int
		for j, v := range []any{&code, &name, &parent, &level} {
			if err := json.Unmarshal(d.Units[4*i+j], v); err != nil {
				t.Fatal(err)
			}
		}
		if strings.HasPrefix(code, "~") {
			code = codes[parent] + code[1:]
		}
		codes[i] = code
		if code != u.Code || d.Names[name] != u.Name || d.Levels[level] != u.LevelRef.Name {
			t.Errorf("unit %d = %s %q %q, want %s %q %q", i, code, d.Names[name], d.Levels[level], u.Code, u.Name, u.LevelRef.Name)
		}
		if (parent < 0) != (u.ParentUnit == nil) || parent >= 0 && m.Units[parent] != u.ParentUnit {
			t.Errorf("unit %s: parent index %d", u.Code, parent)
		}
	}
	if strings.Contains(string(files["index.html"]), "checkgenUnits") {
		t.Error("the unit index is inlined into index.html")
	}
}

func TestLanguage(t *testing.T) {
	fsys := starterFS(t)
	site := strings.Replace(string(fsys["content/site.toml"].Data), `language     = "en"`, `language     = "vi"`, 1)
	site += "\n[labels]\ndue = \"Hạn chót\"\n"
	fsys["content/site.toml"] = &fstest.MapFile{Data: []byte(site)}
	files := tree(t, render(t, open(t, fsys), "", Options{}))
	u := string(files["units/RV-N-02/index.html"])
	for _, want := range []string{`<html lang="vi">`, "Hạn chót", "04/06/2027 17:00", "Ngày bỏ phiếu riêng", "05/06/2027", "Danh mục kiểm tra"} {
		if !strings.Contains(u, want) {
			t.Errorf("units/RV-N-02/index.html lacks %q", want)
		}
	}
	if strings.Contains(u, ">Deadline<") {
		t.Error("English label in a Vietnamese site")
	}
}

// TestParseError reads the one form text/template/parse gives a line in,
// for the name it parsed, and nothing else.
func TestParseError(t *testing.T) {
	const name = "layouts/unit.html"
	for _, tc := range []struct{ msg, want string }{
		{"template: layouts/unit.html:12: unexpected {{end}}", "layouts/unit.html:12: unexpected {{end}}"},
		{"template: layouts/unit.html:3: unexpected EOF\nin action", "layouts/unit.html:3: unexpected EOF in action"},
		{"template: layouts/base.html:12: unexpected {{end}}", "layouts/unit.html: template: layouts/base.html:12: unexpected {{end}}"},
		{"template: layouts/unit.html:x2: odd", "layouts/unit.html: template: layouts/unit.html:x2: odd"},
		{"template: layouts/unit.html:0: odd", "layouts/unit.html: template: layouts/unit.html:0: odd"},
		{"something else", "layouts/unit.html: something else"},
	} {
		if got := parseError(errors.New(tc.msg), name).Error(); got != tc.want {
			t.Errorf("parseError(%q) = %q, want %q", tc.msg, got, tc.want)
		}
	}
}

// TestLimitsKeepOutput renders loops in every context html/template
// escapes differently, with and without the checks the limits add, and
// wants the same bytes.
func TestLimitsKeepOutput(t *testing.T) {
	src := `<p title="{{range .Words}}{{.}} {{end}}">{{range $i, $w := .Words}}{{if $i}}, {{end}}<b>{{$w}}</b>{{else}}none{{end}}</p>
<a href="/x?{{range .Words}}q={{.}}&amp;{{end}}">x</a>
<script>var w = [{{range .Words}}{{.}},{{end}}];</script>
<style>p { content: "{{range .Words}}{{.}}{{end}}"; }</style>
{{define "rec"}}{{if .}}<i>{{index . 0}}</i>{{template "rec" slice . 1}}{{end}}{{end}}{{template "rec" .Words}}
{{range .Words}}{{if eq . "b"}}{{break}}{{end}}{{.}}{{end}}`
	data := struct{ Words []string }{[]string{"a<", "b", `"c"`, "d&"}}
	funcs := template.FuncMap{"L": func(string) string { return "" }, "inc": func(i int) int { return i + 1 }}
	var want bytes.Buffer
	if err := template.Must(template.New("x").Funcs(funcs).Parse(src)).Execute(&want, data); err != nil {
		t.Fatal(err)
	}
	th, err := loadTheme(fstest.MapFS{"unit.html": {Data: []byte(src)}}, funcs, limits{})
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := th.execute(&got, "unit.html", "x", data); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"<b>a&lt;</b>", `var w = ["a\u003c","b",`, "<i>d&amp;</i>", "\na&lt;"} {
		if !strings.Contains(want.String(), s) {
			t.Fatalf("the plain template gave no %q:\n%s", s, want.String())
		}
	}
	if got.String() != want.String() {
		t.Errorf("with the limits' checks:\n%s\nwithout:\n%s", got.String(), want.String())
	}
}
