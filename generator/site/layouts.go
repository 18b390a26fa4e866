package site

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"strconv"
	"strings"
	"sync"
	tparse "text/template/parse"
	"time"
	"unicode/utf8"

	texttemplate "text/template"

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

// A layout is a program: {{range 100000000000}} would run for hours, and
// with output in it would fill the memory. Every page therefore renders
// within these bounds, and past them fails with an error that names the
// loop that was running.
const (
	maxPageBytes = 16 << 20
	maxPageTime  = 10 * time.Second
)

// limits are the bounds of one page's rendering; zero fields take the
// defaults above. Tests set them, and the clock, through Options.
type limits struct {
	bytes int
	time  time.Duration
	now   func() time.Time
}

func (l limits) withDefaults() limits {
	if l.bytes <= 0 {
		l.bytes = maxPageBytes
	}
	if l.time <= 0 {
		l.time = maxPageTime
	}
	if l.now == nil {
		l.now = time.Now
	}
	return l
}

// theme is the layouts of a site, read once. Templates run on executors:
// each is a parsed copy of every layout whose loops report to it, used by
// one page at a time, so that the deadline and the size of the page being
// rendered are the executor's own.
type theme struct {
	assets map[string][]byte // by file name, "style.css"
	src    map[string]string // layouts, by path, "layouts/unit.html"
	funcs  template.FuncMap
	limits limits

	mu   sync.Mutex
	idle []*executor
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

// loadTheme reads and parses every layout. Templates are named by their
// path, "layouts/unit.html", so that every error names the file and line;
// all errors come back at once, as a plan.ErrorList.
func loadTheme(site fs.FS, funcs template.FuncMap, lim limits) (*theme, error) {
	th := &theme{assets: map[string][]byte{}, src: map[string]string{}, funcs: funcs, limits: lim.withDefaults()}
	for _, name := range assetFiles {
		b, err := readLayout(site, name)
		if err != nil {
			return nil, err
		}
		th.assets[name] = b
	}
	for _, name := range append(append([]string(nil), sharedLayouts...), pageLayouts...) {
		b, err := readLayout(site, name)
		if err != nil {
			return nil, err
		}
		th.src["layouts/"+name] = string(b)
	}
	e, err := th.newExecutor()
	if err != nil {
		return nil, err
	}
	th.idle = append(th.idle, e)
	return th, nil
}

// tickFunc is the function the executor's loops call on every turn.
const tickFunc = "_checkgen_tick"

// executor is one parsed copy of the layouts and the state of the page it
// is rendering.
type executor struct {
	th    *theme
	pages map[string]*template.Template // by file name, "unit.html"
	ticks []plan.Pos                    // where each tick sits: a {{range}}, or a template's start

	// The page being rendered: its output so far, its layout, its deadline
	// and the last tick that ran.
	buf      bytes.Buffer
	layout   string
	deadline time.Time
	last     int
}

// newExecutor parses every layout into a new executor.
func (th *theme) newExecutor() (*executor, error) {
	e := &executor{th: th, pages: map[string]*template.Template{}}
	funcs := maps.Clone(th.funcs)
	funcs[tickFunc] = e.tick
	var errs plan.ErrorList
	shared := template.New("").Funcs(funcs)
	for _, name := range sharedLayouts {
		path := "layouts/" + name
		if _, err := shared.New(path).Parse(th.src[path]); err != nil {
			errs = append(errs, parseError(err, path))
		}
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	for _, name := range pageLayouts {
		path := "layouts/" + name
		t, err := shared.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.New(path).Parse(th.src[path]); err != nil {
			errs = append(errs, parseError(err, path))
			continue
		}
		// Each page's set holds its own copies of the shared templates.
		for _, tt := range t.Templates() {
			e.instrument(tt.Tree)
		}
		e.pages[name] = t.Lookup(path)
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	return e, nil
}

// instrument makes every template, and every turn of every {{range}} in
// it, start with {{if _checkgen_tick N}}{{end}}, which checks the page's
// deadline. This runs before html/template escapes the templates; an {{if}}
// with an empty body leaves the escaper's context as it was, and its
// condition is not output, so the page is the same byte for byte.
func (e *executor) instrument(tree *tparse.Tree) {
	if tree == nil || tree.Root == nil {
		return
	}
	e.instrumentList(tree, tree.Root)
	e.prepend(tree, tree.Root, tree.Root.Position())
}

func (e *executor) instrumentList(tree *tparse.Tree, l *tparse.ListNode) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *tparse.RangeNode:
			e.instrumentList(tree, n.List)
			e.instrumentList(tree, n.ElseList)
			e.prepend(tree, n.List, n.Position())
		case *tparse.IfNode:
			e.instrumentList(tree, n.List)
			e.instrumentList(tree, n.ElseList)
		case *tparse.WithNode:
			e.instrumentList(tree, n.List)
			e.instrumentList(tree, n.ElseList)
		}
	}
}

// prepend puts a tick for the place at in front of the list l. The nodes
// are built by hand (the parser has no way to build one outside a text),
// so they belong to no tree; they sit at offset 0, where a message about
// them can always be formatted, and a tick's error carries its own place.
func (e *executor) prepend(tree *tparse.Tree, l *tparse.ListNode, at tparse.Pos) {
	if l == nil {
		return
	}
	id := len(e.ticks)
	e.ticks = append(e.ticks, e.th.place(tree.ParseName, int(at)))
	cmd := &tparse.CommandNode{NodeType: tparse.NodeCommand, Args: []tparse.Node{
		&tparse.IdentifierNode{NodeType: tparse.NodeIdentifier, Ident: tickFunc},
		&tparse.NumberNode{NodeType: tparse.NodeNumber, IsInt: true, Int64: int64(id), Text: strconv.Itoa(id)},
	}}
	tick := &tparse.IfNode{BranchNode: tparse.BranchNode{
		NodeType: tparse.NodeIf,
		Pipe:     &tparse.PipeNode{NodeType: tparse.NodePipe, Cmds: []*tparse.CommandNode{cmd}},
		List:     &tparse.ListNode{NodeType: tparse.NodeList},
	}}
	l.Nodes = append([]tparse.Node{tick}, l.Nodes...)
}

// place turns a byte offset in a layout into file:line:col, the column
// counted in characters from 1.
func (th *theme) place(file string, off int) plan.Pos {
	src, ok := th.src[file]
	if !ok || off < 0 || off > len(src) {
		return plan.Pos{File: file}
	}
	before := src[:off]
	start := strings.LastIndexByte(before, '\n') + 1
	return plan.Pos{File: file, Line: 1 + strings.Count(before, "\n"), Col: 1 + utf8.RuneCountInString(before[start:])}
}

// limitError is a page that passed its size or time limit, at the loop
// that was running.
type limitError struct {
	Pos plan.Pos
	Msg string
}

func (e *limitError) Error() string { return e.Pos.String() + ": " + e.Msg }

// tick runs at the start of every template and every turn of a loop.
func (e *executor) tick(id int) (bool, error) {
	e.last = id
	if e.th.limits.now().After(e.deadline) {
		return false, &limitError{Pos: e.ticks[id], Msg: fmt.Sprintf("the page took longer than %v to render; does this loop end?", e.th.limits.time)}
	}
	return true, nil
}

// Write keeps the page in e.buf up to the size limit.
func (e *executor) Write(p []byte) (int, error) {
	if e.buf.Len()+len(p) > e.th.limits.bytes {
		pos := plan.Pos{File: "layouts/" + e.layout}
		if e.last < len(e.ticks) {
			pos = e.ticks[e.last]
		}
		return 0, &limitError{Pos: pos, Msg: fmt.Sprintf("the page grew past %d MB; does this loop end?", e.th.limits.bytes>>20)}
	}
	return e.buf.Write(p)
}

// get returns an idle executor, or a new one.
func (th *theme) get() (*executor, error) {
	th.mu.Lock()
	if n := len(th.idle); n > 0 {
		e := th.idle[n-1]
		th.idle = th.idle[:n-1]
		th.mu.Unlock()
		return e, nil
	}
	th.mu.Unlock()
	return th.newExecutor()
}

func (th *theme) put(e *executor) {
	th.mu.Lock()
	th.idle = append(th.idle, e)
	th.mu.Unlock()
}

// run renders the template name of the page layout page into e.buf,
// within the limits.
func (e *executor) run(page, name string, data any) error {
	e.buf.Reset()
	e.layout = page
	e.last = 0
	e.deadline = e.th.limits.now().Add(e.th.limits.time)
	t := e.pages[page]
	if name == "" {
		return t.Execute(e, data)
	}
	return t.ExecuteTemplate(e, name, data)
}

// execute runs the page layout name into w, which becomes the file rel.
// The page is rendered whole before anything is written, so that a
// template error leaves nothing half-written. An error comes back as a
// plan.ErrorList naming the layout's place.
func (th *theme) execute(w io.Writer, name, rel string, data any) error {
	e, err := th.get()
	if err != nil {
		return err
	}
	defer th.put(e)
	if err := e.run(name, "", data); err != nil {
		pe := e.error(err)
		pe.Msg += " (writing " + rel + ")"
		return plan.ErrorList{pe}
	}
	_, err = w.Write(e.buf.Bytes())
	return err
}

// executeHTML runs the named template of the page layout page, for pieces
// rendered once and shared by many pages.
func (th *theme) executeHTML(page, name string, data any) (template.HTML, error) {
	e, err := th.get()
	if err != nil {
		return "", err
	}
	defer th.put(e)
	if err := e.run(page, name, data); err != nil {
		return "", plan.ErrorList{e.error(err)}
	}
	return template.HTML(e.buf.String()), nil
}

// parseError places an error of Parse. text/template/parse reports syntax
// errors as text only, "template: NAME:LINE: message" (parse.Tree.errorf),
// with NAME the name given to Parse; no error value carries the line. So
// this reads exactly that form, for the one name it was given, and nothing
// else out of the text.
func parseError(err error, name string) *plan.Error {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "template: "+name+":"); ok {
		digits, text, ok := strings.Cut(rest, ": ")
		if line, err := strconv.Atoi(digits); ok && err == nil && line > 0 {
			return &plan.Error{Pos: plan.Pos{File: name, Line: line}, Msg: oneLine(text)}
		}
	}
	return &plan.Error{Pos: plan.Pos{File: name}, Msg: oneLine(msg)}
}

// error places an error of Execute:
//   - a page past its limits carries its place (limitError);
//   - html/template's escaper gives an *Error with the node at fault, whose
//     place parse.Tree.ErrorContext formats as "FILE:LINE:COL", or a
//     template name and line;
//   - text/template gives an ExecError whose text alone holds the place,
//     "template: FILE:LINE:COL: executing ...", formatted by the same
//     ErrorContext.
//
// FILE is always one of our layouts' paths, so only that form is read,
// and COL, a byte offset from 0 there, becomes a character count from 1.
func (e *executor) error(err error) *plan.Error {
	page := plan.Pos{File: "layouts/" + e.layout}
	var lim *limitError
	if errors.As(err, &lim) {
		return &plan.Error{Pos: lim.Pos, Msg: lim.Msg}
	}
	var he *template.Error
	if errors.As(err, &he) {
		if he.Node != nil {
			if loc, ok := errorContext(he.Node); ok {
				if pos, _, ok := e.th.cutPlace(loc); ok {
					return &plan.Error{Pos: pos, Msg: oneLine(he.Description)}
				}
			}
		}
		pos := page
		if f := e.fileOf(he.Name); f != "" {
			pos = plan.Pos{File: f, Line: he.Line}
		}
		return &plan.Error{Pos: pos, Msg: oneLine(he.Description)}
	}
	var xe texttemplate.ExecError
	if errors.As(err, &xe) {
		if rest, ok := strings.CutPrefix(xe.Err.Error(), "template: "); ok {
			if pos, text, ok := e.th.cutPlace(rest); ok {
				return &plan.Error{Pos: pos, Msg: oneLine(strings.TrimPrefix(text, ": "))}
			}
		}
		if f := e.fileOf(xe.Name); f != "" {
			page.File = f
		}
	}
	return &plan.Error{Pos: page, Msg: oneLine(err.Error())}
}

// errorContext is parse.Tree.ErrorContext's location of n, and false if
// the node cannot say (it belongs to no tree).
func errorContext(n tparse.Node) (loc string, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	loc, _ = (*tparse.Tree)(nil).ErrorContext(n)
	return loc, true
}

// cutPlace reads "FILE:LINE:COL" at the start of s, FILE one of the
// layouts, and returns the place and the rest of s.
func (th *theme) cutPlace(s string) (plan.Pos, string, bool) {
	for file, src := range th.src {
		rest, ok := strings.CutPrefix(s, file+":")
		if !ok {
			continue
		}
		line, rest, ok1 := cutNumber(rest)
		rest, ok2 := strings.CutPrefix(rest, ":")
		col, rest, ok3 := cutNumber(rest)
		if !ok1 || !ok2 || !ok3 || line < 1 {
			return plan.Pos{File: file}, s, false
		}
		// The column is a byte offset in the line; count characters.
		lines := strings.SplitN(src, "\n", line+1)
		if line <= len(lines) && col <= len(lines[line-1]) {
			col = utf8.RuneCountInString(lines[line-1][:col])
		}
		return plan.Pos{File: file, Line: line, Col: col + 1}, rest, true
	}
	return plan.Pos{}, s, false
}

// cutNumber reads the decimal number at the start of s.
func cutNumber(s string) (int, string, bool) {
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(s[:i])
	return n, s[i:], err == nil
}

// fileOf returns the layout file a template of the executor was defined
// in, or "".
func (e *executor) fileOf(name string) string {
	for _, t := range e.pages {
		if tt := t.Lookup(name); tt != nil && tt.Tree != nil {
			return tt.Tree.ParseName
		}
	}
	return ""
}

// oneLine keeps a message on one line, as an error list prints them.
func oneLine(s string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), "\n", " ")
}
