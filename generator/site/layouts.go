package site

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"checkgen/generator/plan"
	"checkgen/layouts"
)

// The files of layouts/: the shared templates, one template per kind of
// page, and the assets copied to public/assets/. A site's own layouts/
// file of the same name replaces the default.
var (
	sharedLayouts = []string{"base.html", "partials.html"}
	pageLayouts   = []string{"index.html", "plan.html", "level.html", "unit.html", "body.html", "timeline.html"}
	assetFiles    = []string{"style.css", "search.js", "checklist.js", "favicon.svg"}
)

// theme is the parsed layouts of a site.
type theme struct {
	pages  map[string]*template.Template // by file name, "unit.html"
	assets map[string][]byte             // by file name, "style.css"
	// buffers hold pages while they are rendered, so that a template error
	// leaves nothing half-written and big pages do not regrow a buffer each.
	buffers sync.Pool
}

// readLayout returns the site's own layouts/<name> when it has one, else
// the default.
func readLayout(site fs.FS, name string) ([]byte, error) {
	if site != nil {
		b, err := fs.ReadFile(site, name)
		if err == nil {
			return b, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("layouts/%s: %w", name, err)
		}
	}
	return fs.ReadFile(layouts.FS, name)
}

// loadTheme parses every layout. Templates are named by their path,
// "layouts/unit.html", so that every error names the file and line;
// all errors come back at once, as a plan.ErrorList.
func loadTheme(site fs.FS, funcs template.FuncMap) (*theme, error) {
	th := &theme{pages: map[string]*template.Template{}, assets: map[string][]byte{}}
	var errs plan.ErrorList
	for _, name := range assetFiles {
		b, err := readLayout(site, name)
		if err != nil {
			return nil, err
		}
		th.assets[name] = b
	}
	shared := template.New("").Funcs(funcs)
	for _, name := range sharedLayouts {
		b, err := readLayout(site, name)
		if err != nil {
			return nil, err
		}
		if _, err := shared.New("layouts/" + name).Parse(string(b)); err != nil {
			errs = append(errs, templateError(err))
		}
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	for _, name := range pageLayouts {
		b, err := readLayout(site, name)
		if err != nil {
			return nil, err
		}
		t, err := shared.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.New("layouts/" + name).Parse(string(b)); err != nil {
			errs = append(errs, templateError(err))
			continue
		}
		th.pages[name] = t.Lookup("layouts/" + name)
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	return th, nil
}

// execute runs the page layout name into w, which becomes the file rel.
// An error comes back as a plan.ErrorList naming the layout's place.
func (th *theme) execute(w io.Writer, name, rel string, data any) error {
	buf, _ := th.buffers.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer th.buffers.Put(buf)
	buf.Reset()
	if err := th.pages[name].Execute(buf, data); err != nil {
		e := templateError(err)
		e.Msg += " (writing " + rel + ")"
		return plan.ErrorList{e}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// executeHTML runs the named template of the page layout page, for pieces
// rendered once and shared by many pages.
func (th *theme) executeHTML(page, name string, data any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := th.pages[page].ExecuteTemplate(&buf, name, data); err != nil {
		return "", plan.ErrorList{templateError(err)}
	}
	return template.HTML(buf.String()), nil
}

// "template: layouts/unit.html:12:5: executing ...", or for parse errors,
// which carry no column, "template: layouts/unit.html:12: ...", or from
// the HTML escaper "html/template:layouts/unit.html:12:5: ...".
var templateErrRE = regexp.MustCompile(`^(?:template: |html/template: ?)(layouts/[^:]+)(?::(\d+))?(?::(\d+))?: ?(.*)$`)

// templateError turns a template error into one with a place,
// layouts/unit.html:12:5: message.
func templateError(err error) *plan.Error {
	msg := err.Error()
	first, rest, _ := strings.Cut(msg, "\n")
	if m := templateErrRE.FindStringSubmatch(first); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		text := m[4]
		if rest != "" {
			text += " " + strings.ReplaceAll(rest, "\n", " ")
		}
		return &plan.Error{Pos: plan.Pos{File: m[1], Line: line, Col: col}, Msg: text}
	}
	return &plan.Error{Pos: plan.Pos{File: "layouts"}, Msg: msg}
}
