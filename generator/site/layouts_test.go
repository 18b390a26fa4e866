package site

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

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
		{"execution", "unit.html", "{{template \"base\" .}}\n{{define \"main\"}}<h1>x</h1>\n  {{.Data.Nope}}{{end}}", "layouts/unit.html:3:9: executing"},
		{"escaping", "plan.html", "{{template \"base\" .}}\n{{define \"main\"}}<a href=\"{{.Title}}\n{{end}}", "layouts/plan.html:"},
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
