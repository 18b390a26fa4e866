package generator

import (
	"container/list"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"checkgen/generator/export"
	"checkgen/generator/output"
	"checkgen/generator/pdf"
	"checkgen/generator/plan"
	"checkgen/generator/site"
	"checkgen/generator/xlsx"
)

// renderOptions are what every renderer is told.
type renderOptions struct {
	units    []*plan.Unit
	workers  int
	layouts  fs.FS
	links    map[string]bool // the formats pages link to
	date     time.Time
	progress func(stage string) func(done, total int)
	keys     *unitKeys // nil: outputs without keys
}

// renderFormat hands m to the renderer of format f, writing into out: a
// build's output.Dir, or the output.List of Outputs. Both go through
// here, so that serve shows the bytes build writes.
func renderFormat(f string, m *plan.Model, out output.Sink, o renderOptions) error {
	progress := func(stage string) func(int, int) {
		if o.progress == nil {
			return nil
		}
		return o.progress(stage)
	}
	switch f {
	case "html":
		return site.Render(m, out, site.Options{
			Units: o.units, Workers: o.workers, Layouts: o.layouts, Formats: o.links, Date: o.date, Progress: progress("html"), Key: o.keys.of(f),
		})
	case "pdf":
		return pdf.Render(m, out, pdf.Options{Units: o.units, Workers: o.workers, Date: o.date, Progress: progress("pdf"), Key: o.keys.of(f)})
	case "xlsx":
		return xlsx.Render(m, out, xlsx.Options{Units: o.units, Workers: o.workers, Date: o.date, Progress: progress("xlsx"), Key: o.keys.of(f), Password: m.Site.Workbook.Password})
	}
	return fmt.Errorf("unknown format %q", f)
}

// unitKeys gives each renderer its own key of a unit's outputs (site.Key,
// pdf.Key, xlsx.Key), computing the digest of each unit and checklist once.
type unitKeys struct {
	global  string // what every output depends on: see globalKey
	digests *plan.Digests
}

func newUnitKeys(global string) *unitKeys {
	return &unitKeys{global: global, digests: plan.NewDigests()}
}

// of returns the key function of the renderer of format f, or nil when k
// is nil.
func (k *unitKeys) of(f string) func(u *plan.Unit) string {
	if k == nil {
		return nil
	}
	key := map[string]func(string, *plan.Unit, *plan.Digests) string{
		"html": site.Key, "pdf": pdf.Key, "xlsx": xlsx.Key,
	}[f]
	return func(u *plan.Unit) string { return key(k.global, u, k.digests) }
}

// Output is one file of a site, not rendered yet.
type Output struct {
	Path string // slash-separated, inside the destination: "units/06/index.html"
	// Key covers everything the output is made from, so that two outputs
	// of one path with the same key have the same bytes; "" when the
	// renderer gives none (the output is cheap: render it again for
	// every model).
	Key string
	// Render writes the output's bytes, the same a build writes. It may
	// be called from several goroutines at once.
	Render func(w io.Writer) error
}

// Outputs lists the outputs a build with opts writes for the model m,
// loaded from opts.Site, without rendering them (but for the few small
// files that are made whole, such as data/site.json): a server renders
// the one it is asked for. Every format of opts.Formats is taken to be
// built: pages link to each. opts.Dest, Force, Workers and Progress are
// not used.
func Outputs(m *plan.Model, opts Options) ([]Output, error) {
	set, err := NewOutputSet(m, opts)
	if err != nil {
		return nil, err
	}
	return set.All()
}

// OutputSet is the outputs of one model, each listed when it is asked
// for: the outputs of one unit when one of them is (their keys are
// computed then), the others (the home page, plans, levels, assets,
// files per checklist...) once, when the first of them is. So a server can answer a
// request as soon as the model is resolved, whatever the number of units.
// It is safe for concurrent use.
type OutputSet struct {
	m       *plan.Model
	units   []*plan.Unit
	picked  map[string]bool // the codes of units, when opts.Only picks some
	formats map[string]bool
	global  string
	ro      renderOptions // with the keys of the model's units

	reps   []*plan.Unit           // a unit of each checklist: see sharedOutputs
	shared map[string]*sharedList // by format, "" for data/
	recent struct {               // the outputs of the units last asked for
		mu   sync.Mutex
		outs map[string][]Output // by format and code
	}
	dirs struct {
		once sync.Once
		list map[string][]string
		err  error
	}
}

// NewOutputSet returns the outputs a build with opts writes for the model
// m, loaded from opts.Site, listing none yet (see Outputs for opts).
func NewOutputSet(m *plan.Model, opts Options) (*OutputSet, error) {
	formats, err := parseFormats(opts.Formats)
	if err != nil {
		return nil, err
	}
	units, err := selectUnits(m, opts.Only)
	if err != nil {
		return nil, err
	}
	date, err := buildDate(m, opts.SourceDateEpoch)
	if err != nil {
		return nil, err
	}
	s := &OutputSet{m: m, units: units, formats: formats, global: globalKey(opts.Site, m, formats, date)}
	if len(opts.Only) > 0 {
		s.picked = make(map[string]bool, len(units))
		for _, u := range units {
			s.picked[u.Code] = true
		}
	}
	s.ro = renderOptions{workers: 1, layouts: layouts(opts.Site), links: formats, date: date, keys: newUnitKeys(s.global)}
	s.reps = []*plan.Unit{}
	seen := map[*plan.Checklist]bool{}
	for _, u := range units {
		if u.Checklist != nil && !seen[u.Checklist] {
			seen[u.Checklist] = true
			s.reps = append(s.reps, u)
		}
	}
	s.shared = map[string]*sharedList{"": {}}
	for f := range formats {
		s.shared[f] = &sharedList{}
	}
	return s, nil
}

// sharedList is the outputs of one format that are not a unit's own,
// listed once.
type sharedList struct {
	once sync.Once
	done atomic.Bool
	outs map[string]Output
	err  error
}

// Model returns the model whose outputs these are.
func (s *OutputSet) Model() *plan.Model { return s.m }

// list lists the outputs the renderers of formats write for units (and
// those of no unit), with data/ when withData is set.
func (s *OutputSet) list(units []*plan.Unit, formats map[string]bool, withData bool) ([]Output, error) {
	var l output.List
	if withData {
		data, err := export.Prepare(s.m, units, s.global)
		if err != nil {
			return nil, fmt.Errorf("preparing data: %w", err)
		}
		if err := data.Write(&l, 1); err != nil {
			return nil, fmt.Errorf("writing data: %w", err)
		}
	}
	ro := s.ro
	ro.units = units
	for _, f := range Formats {
		if formats[f] {
			if err := renderFormat(f, s.m, &l, ro); err != nil {
				return nil, err
			}
		}
	}
	items := l.Items()
	outs := make([]Output, len(items))
	for i, it := range items {
		outs[i] = Output{Path: it.Rel, Key: it.Key, Render: it.Render}
	}
	return outs, nil
}

// All lists every output.
func (s *OutputSet) All() ([]Output, error) { return s.list(s.units, s.formats, true) }

// Output returns the output at path, and whether there is one.
func (s *OutputSet) Output(path string) (Output, bool, error) {
	if code, format, ok := unitOutput(path); ok {
		u := s.m.Unit(code)
		if u == nil || s.picked != nil && !s.picked[code] || format != "" && !s.formats[format] {
			return Output{}, false, nil
		}
		if sh := s.shared[format]; sh.done.Load() && sh.err == nil {
			if o, ok := sh.outs[path]; ok {
				return o, true, nil // a unit listed with the others
			}
		}
		outs, err := s.unitOutputs(u, format)
		if err != nil {
			return Output{}, false, err
		}
		for _, o := range outs {
			if o.Path == path {
				return o, true, nil
			}
		}
		return Output{}, false, nil
	}
	f := formatOf(path)
	if f != "" && !s.formats[f] {
		return Output{}, false, nil
	}
	shared, err := s.sharedOutputs(f)
	if err != nil {
		return Output{}, false, err
	}
	o, ok := shared[path]
	return o, ok, nil
}

// recentUnits bounds the units whose outputs an OutputSet keeps listed.
const recentUnits = 64

// unitOutputs lists the outputs of format f ("" for data/) of the unit u,
// or takes them from the last few listed: a page's folder and the page
// are two requests.
func (s *OutputSet) unitOutputs(u *plan.Unit, f string) ([]Output, error) {
	key := f + "\x00" + u.Code
	r := &s.recent
	r.mu.Lock()
	outs, ok := r.outs[key]
	r.mu.Unlock()
	if ok {
		return outs, nil
	}
	outs, err := s.list([]*plan.Unit{u}, map[string]bool{f: f != ""}, f == "")
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	if r.outs == nil || len(r.outs) >= recentUnits {
		r.outs = map[string][]Output{}
	}
	r.outs[key] = outs
	r.mu.Unlock()
	return outs, nil
}

// sharedOutputs lists, once, the outputs of format f ("" for data/) that
// are no unit's own, with those made for the checklists units have: a
// unit of each checklist is listed, which lists them, and its own.
func (s *OutputSet) sharedOutputs(f string) (map[string]Output, error) {
	sh := s.shared[f]
	sh.once.Do(func() {
		defer sh.done.Store(true)
		outs, err := s.list(s.reps, map[string]bool{f: f != ""}, f == "")
		if err != nil {
			sh.err = err
			return
		}
		sh.outs = make(map[string]Output, len(outs))
		for _, o := range outs {
			sh.outs[o.Path] = o
		}
	})
	return sh.outs, sh.err
}

// Sample returns, for a check that the layouts run, a path of each kind
// of page: the home page, the timeline, a plan's, a level's, a body's and
// a unit's (one listed with the others).
func (s *OutputSet) Sample() []string {
	m := s.m
	paths := []string{"index.html", "timeline/index.html"}
	if len(m.Plans) > 0 {
		paths = append(paths, "plans/"+m.Plans[0].ID+"/index.html")
	}
	if len(m.Levels) > 0 {
		paths = append(paths, "levels/"+m.Levels[0].ID+"/index.html")
	}
	if len(m.Bodies) > 0 {
		paths = append(paths, "bodies/"+m.Bodies[0].ID+"/index.html")
	}
	if len(s.reps) > 0 {
		paths = append(paths, "units/"+s.reps[0].Code+"/index.html")
	}
	return paths
}

// unitOutput tells whether path is one of a unit's own outputs, the
// unit's code and its format ("" for data/units/<code>.json).
func unitOutput(path string) (code, format string, ok bool) {
	cut := func(prefix, suffix string) (string, bool) {
		rest, ok := strings.CutPrefix(path, prefix)
		if !ok {
			return "", false
		}
		code, ok := strings.CutSuffix(rest, suffix)
		return code, ok && code != "" && !strings.Contains(code, "/")
	}
	if c, ok := cut("units/", "/index.html"); ok {
		return c, "html", true
	}
	if c, ok := cut("pdf/units/", ".pdf"); ok {
		return c, "pdf", true
	}
	if c, ok := cut("xlsx/units/", ".xlsx"); ok {
		return c, "xlsx", true
	}
	if c, ok := cut("data/units/", ".json"); ok {
		return c, "", true
	}
	return "", "", false
}

// Dir returns the entries of the folder name ("." for the top), a
// folder's with a trailing slash, and whether there is such a folder. A
// unit's folder lists the unit's pages; the first call for another lists
// the paths of every output (not their keys).
func (s *OutputSet) Dir(name string) ([]string, bool, error) {
	if code, ok := strings.CutPrefix(name, "units/"); ok && !strings.Contains(code, "/") && s.formats["html"] {
		u := s.m.Unit(code)
		if u == nil || s.picked != nil && !s.picked[code] {
			return nil, false, nil
		}
		outs, err := s.unitOutputs(u, "html")
		if err != nil {
			return nil, false, err
		}
		var paths []string
		for _, o := range outs {
			if strings.HasPrefix(o.Path, name+"/") {
				paths = append(paths, o.Path)
			}
		}
		entries, ok := dirsOf(paths)[name]
		return entries, ok, nil
	}
	d := &s.dirs
	d.once.Do(func() {
		var paths []string
		for f := range s.shared {
			shared, err := s.sharedOutputs(f)
			if err != nil {
				d.err = err
				return
			}
			for p := range shared {
				paths = append(paths, p)
			}
		}
		for _, u := range s.units {
			paths = append(paths, "data/units/"+u.Code+".json")
			if s.formats["html"] {
				paths = append(paths, "units/"+u.Code+"/index.html")
			}
			if u.Checklist == nil {
				continue
			}
			for _, f := range []string{"pdf", "xlsx"} {
				if s.formats[f] {
					paths = append(paths, f+"/units/"+u.Code+"."+f)
				}
			}
		}
		sort.Strings(paths)
		d.list = dirsOf(paths)
	})
	if d.err != nil {
		return nil, false, d.err
	}
	entries, ok := d.list[name]
	return entries, ok, nil
}

// dirsOf lists the entries of every folder of the sorted paths.
func dirsOf(paths []string) map[string][]string {
	dirs := map[string][]string{}
	seen := map[string]bool{}
	for _, p := range paths {
		entry := ""
		for p != "." {
			dir, base := path.Split(p)
			dir = strings.TrimSuffix(dir, "/")
			if dir == "" {
				dir = "."
			}
			if entry == "" {
				entry = base
			} else {
				entry = base + "/"
			}
			if k := dir + "\x00" + entry; !seen[k] {
				seen[k] = true
				dirs[dir] = append(dirs[dir], entry)
			}
			p = dir
		}
	}
	return dirs
}

// Open loads and resolves the site in the directory dir, as Build does.
func Open(dir string) (*plan.Model, error) { return plan.Open(os.DirFS(dir)) }

// Cache holds rendered outputs by key, least recently used first out,
// within a bound on their bytes. It is safe for concurrent use; two
// requests for one key at once render it once.
type Cache struct {
	max int64

	mu    sync.Mutex
	size  int64
	order *list.List // of *cached, most recently used first
	byKey map[string]*list.Element
	busy  map[string]*rendering
}

type cached struct {
	key  string
	data []byte
}

type rendering struct {
	done chan struct{}
	data []byte
	err  error
}

// NewCache returns a cache of at most max bytes of outputs.
func NewCache(max int64) *Cache {
	return &Cache{max: max, order: list.New(), byKey: map[string]*list.Element{}, busy: map[string]*rendering{}}
}

// Get returns the bytes cached under key, or renders them with render
// and keeps them. An output larger than the whole cache is not kept.
func (c *Cache) Get(key string, render func(w io.Writer) error) ([]byte, error) {
	c.mu.Lock()
	if e, ok := c.byKey[key]; ok {
		c.order.MoveToFront(e)
		c.mu.Unlock()
		return e.Value.(*cached).data, nil
	}
	if r, ok := c.busy[key]; ok {
		c.mu.Unlock()
		<-r.done
		return r.data, r.err
	}
	r := &rendering{done: make(chan struct{})}
	c.busy[key] = r
	c.mu.Unlock()

	var buf bufferWriter
	r.err = render(&buf)
	if r.err == nil {
		r.data = buf.b
	}
	c.mu.Lock()
	delete(c.busy, key)
	if r.err == nil && int64(len(r.data)) <= c.max {
		c.byKey[key] = c.order.PushFront(&cached{key, r.data})
		c.size += int64(len(r.data))
		for c.size > c.max {
			e := c.order.Back()
			old := e.Value.(*cached)
			c.order.Remove(e)
			delete(c.byKey, old.key)
			c.size -= int64(len(old.data))
		}
	}
	c.mu.Unlock()
	close(r.done)
	return r.data, r.err
}

// Size returns the bytes the cache holds.
func (c *Cache) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

type bufferWriter struct{ b []byte }

func (w *bufferWriter) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }
