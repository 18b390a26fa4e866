package generator

import (
	"container/list"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
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
	key      func(u *plan.Unit) string
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
			Units: o.units, Workers: o.workers, Layouts: o.layouts, Formats: o.links, Date: o.date, Progress: progress("html"), Key: o.key,
		})
	case "pdf":
		return pdf.Render(m, out, pdf.Options{Units: o.units, Workers: o.workers, Date: o.date, Progress: progress("pdf"), Key: o.key})
	case "xlsx":
		return xlsx.Render(m, out, xlsx.Options{Units: o.units, Workers: o.workers, Date: o.date, Progress: progress("xlsx"), Key: o.key, Password: m.Site.Workbook.Password})
	}
	return fmt.Errorf("unknown format %q", f)
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
	data, err := export.Prepare(m, units, globalKey(opts.Site, m, formats, date))
	if err != nil {
		return nil, fmt.Errorf("preparing data: %w", err)
	}
	var l output.List
	if err := data.Write(&l, 1); err != nil {
		return nil, fmt.Errorf("writing data: %w", err)
	}
	ro := renderOptions{units: units, workers: 1, layouts: layouts(opts.Site), links: formats, date: date, key: data.Key}
	for _, f := range Formats {
		if formats[f] {
			if err := renderFormat(f, m, &l, ro); err != nil {
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
