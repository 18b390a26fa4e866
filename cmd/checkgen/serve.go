package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/netutil"

	"checkgen/generator"
	"checkgen/generator/devserver"
	"checkgen/generator/plan"
	"checkgen/generator/watch"
)

var cmdServe = &command{
	Name:      "serve",
	UsageLine: "checkgen serve [-s SITE] [--bind 127.0.0.1] [--port 1313] [--poll DURATION] [--render-to-disk [-d DEST]]",
	Short:     "serve the site, rendering on request, and reload on every edit",
	Long: `Serve loads the site and serves it over HTTP on the loopback interface,
rendering each page, PDF, workbook, calendar and data file when a browser
asks for it; nothing is written to disk. It watches content/ and layouts/;
after every save it parses again only the files that changed (of
units.csv, only the lines that changed), and open pages reload as soon
as the site is resolved (a plan edit on a site of 100,000 units reloads
in about a tenth of a second, a unit renamed in its units.csv in a few
tenths), the pages open in browsers being rendered again at once. A
save that changes nothing a page shows (spaces, a comment) reloads
nothing. What was rendered is kept in memory (up to
256 MB) and rendered again only when its inputs changed. The files served have the
bytes checkgen build writes. A page whose unit was removed reloads as its
parent.

--render-to-disk instead builds the site into DEST (default SITE/public)
and rebuilds it after every save, as checkgen build does, before pages
reload: slower on a large site, but the files are there.

When a load or rebuild fails, the last good site stays up and every page
shows the errors, each with its file:line:col and source line, until a
save fixes them; the terminal shows them too. The reload script and the
error list are added only to pages as they are served, never to files.

A save during a build cancels it, and the build starts again from the
new content; Ctrl-C (or SIGTERM) cancels a build, leaving DEST as it was,
and stops.

--bind 0.0.0.0 serves to other machines. --poll 1s scans for changes every
second instead of relying on file system notifications, which network
shares and some virtual machines do not deliver. Idle connections are
closed after 30 seconds, and at most 512 are served at once.`,
	Flags: func(fs *flag.FlagSet) func(*env, []string) error {
		site := siteFlag(fs)
		dest := destFlag(fs)
		bind := fs.String("bind", "127.0.0.1", "the `address` to listen on (0.0.0.0: every interface)")
		port := fs.Int("port", 1313, "the `port` to listen on (0: any free port)")
		poll := fs.Duration("poll", 0, "scan for changes at this `interval` (e.g. 1s) instead of using file system notifications")
		toDisk := fs.Bool("render-to-disk", false, "build the whole site into DEST and rebuild it after every save, instead of rendering on request")
		return func(e *env, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			if *port < 0 || *port > 65535 {
				return usagef("--port %d: want 0 to 65535", *port)
			}
			if *poll < 0 {
				return usagef("--poll %s: want a positive duration such as 1s", *poll)
			}
			if *dest != "" && !*toDisk {
				return usagef("-d %s: serve renders on request and writes nothing; add --render-to-disk to build into %s", *dest, *dest)
			}
			return serve(e, serveOptions{site: *site, dest: *dest, bind: *bind, port: *port, poll: *poll, onRequest: !*toDisk})
		}
	},
}

// serveOptions are serve's parameters.
type serveOptions struct {
	site, dest string
	bind       string
	port       int
	poll       time.Duration
	debounce   time.Duration // watch.DefaultDebounce when zero
	formats    []string      // all when empty
	// onRequest keeps the model in memory and renders each file when it
	// is asked for, writing nothing to DEST; otherwise every save
	// rebuilds DEST, as checkgen build does.
	onRequest  bool
	cacheBytes int64 // the cache of rendered files; cacheBytes when zero

	// For tests.
	clock    watch.Clock              // the watcher's; the system's when nil
	maxConns int                      // connections at once; maxConns when zero
	build    func(*generator.Options) // told the options of each build before it starts
	rendered func(path string)        // with onRequest: told each file rendered
	loaded   func(published bool)     // with onRequest: told after each good load whether pages reload
	parsed   func(name string)        // with onRequest: told each content file parsed
}

// cacheBytes bounds the rendered files serve keeps in memory.
const cacheBytes = 256 << 20

// Limits of the HTTP server. A browser keeps a few connections to a page's
// server, one of them the reload event stream; an idle one is closed
// after idleTimeout, and no more than maxConns are open at once (the
// others wait to be accepted), so that a flood of idle connections cannot
// use up the file descriptors that builds need.
const (
	maxConns          = 512
	idleTimeout       = 30 * time.Second
	readHeaderTimeout = 10 * time.Second
)

// newHTTPServer is serve's HTTP server for h.
func newHTTPServer(h http.Handler, errorLog *log.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		// No WriteTimeout: it would cut the reload event streams.
		ErrorLog: errorLog,
	}
}

// serve runs until interrupted. Content and template errors never stop
// it: they are shown, and the last good site stays up.
func serve(e *env, o serveOptions) error {
	site, err := filepath.Abs(o.site)
	if err != nil {
		return err
	}
	if st, err := os.Stat(site); err != nil || !st.IsDir() {
		return fmt.Errorf("%s is not a site directory", o.site)
	}
	dest := o.dest
	if dest == "" {
		dest = filepath.Join(site, "public")
	}
	if dest, err = filepath.Abs(dest); err != nil {
		return err
	}
	ln, err := listen(o.bind, o.port)
	if err != nil {
		return err
	}
	defer ln.Close()
	if o.maxConns <= 0 {
		o.maxConns = maxConns
	}
	ln = netutil.LimitListener(ln, o.maxConns)

	interrupt := e.interrupt
	if interrupt == nil {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(ch)
		interrupt = ch
	}

	// Watch first, so that no save made during the first build is missed.
	sep := string(filepath.Separator)
	w, err := watch.New(watch.Options{
		Dirs:     []string{filepath.Join(site, "content"), filepath.Join(site, "layouts")},
		Skip:     func(p string) bool { return p == dest || strings.HasPrefix(p, dest+sep) },
		Debounce: o.debounce,
		Poll:     o.poll,
		Clock:    o.clock,
	})
	if err != nil {
		if o.poll == 0 {
			return fmt.Errorf("%w; try --poll 1s", err)
		}
		return err
	}
	defer w.Close()

	// Serve at once: what DEST holds from before until the first build
	// is done, then pages reload. On request, pages appear once the
	// first model is loaded.
	ds := devserver.New(dest)
	var src *rendered
	gc := &gcTuner{}
	if o.onRequest {
		gc = tuneGC(e.getenv) // serve_gc.go
		defer gc.restore()
		if o.cacheBytes <= 0 {
			o.cacheBytes = cacheBytes
		}
		src = &rendered{cache: generator.NewCache(o.cacheBytes), hook: o.rendered}
		ds = devserver.NewSource(src)
	}
	defer ds.Close()
	hs := newHTTPServer(ds, log.New(e.stderr, "checkgen serve: ", 0))
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	how := "watching content/ and layouts/"
	if o.poll > 0 {
		how += fmt.Sprintf(" every %s", o.poll)
	}
	what := dest
	if o.onRequest {
		what, how = site, "rendered on request, "+how
	}
	fmt.Fprintf(e.stdout, "serving %s at %s (%s; Ctrl-C to stop)\n", what, siteURL(ln.Addr()), how)

	stop := func() error {
		w.Close()
		ds.Close() // ends the event streams, which Shutdown would wait for
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return hs.Shutdown(ctx)
	}

	// One build at a time, in its own goroutine so that Ctrl-C and new
	// changes are heard during a long one. Either cancels it: Ctrl-C to
	// stop, a change to build again from the new content (so that a
	// build stuck on a bad layout gives way to the fix).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := &builder{e: e, site: site, dest: dest, formats: o.formats, ds: ds, hook: o.build, src: src, loaded: o.loaded, gc: gc}
	b.loader.Parsed = o.parsed
	var (
		cancelBuild context.CancelFunc // while a build runs
		running     *watch.Batch       // its changes; nil for the first build
		queued      *watch.Batch       // changes made during it, to build next
		stopping    bool
	)
	ended := make(chan buildEnd, 1)
	start := func(batch *watch.Batch) {
		bctx, bcancel := context.WithCancel(ctx)
		cancelBuild, running = bcancel, batch
		go func() { ended <- b.build(bctx, batch) }()
	}
	start(nil)
	for {
		select {
		case <-interrupt:
			if cancelBuild != nil && !stopping {
				stopping = true
				cancel()
				fmt.Fprintln(e.stdout, "stopping: cancelling the build (Ctrl-C again to stop at once)")
				continue
			}
			err := stop()
			fmt.Fprintln(e.stdout, "stopped")
			return err
		case end := <-ended:
			cancelBuild()
			cancelBuild = nil
			if stopping {
				err := stop()
				fmt.Fprintln(e.stdout, "stopped")
				return err
			}
			if queued != nil {
				next := queued
				switch {
				case end == buildCancelled && running == nil:
					next = nil // the first build, again
				case end == buildCancelled:
					next = merge(running, queued) // its changes are still to build
				}
				queued = nil
				start(next)
			}
		case err := <-served:
			stop()
			return fmt.Errorf("serving: %w", err)
		case batch, ok := <-w.Batches():
			if !ok {
				stop()
				return errors.New("the watcher stopped")
			}
			for _, err := range batch.Errors {
				fmt.Fprintf(e.stderr, "%s %v\n", clock(), err)
			}
			if len(batch.Paths) == 0 && !batch.Rescan {
				continue
			}
			if cancelBuild == nil {
				start(&batch)
				continue
			}
			if !stopping {
				fmt.Fprintf(e.stdout, "%s %s during the build: building again\n", clock(), strings.TrimPrefix(b.why(&batch), " after "))
			}
			queued = merge(queued, &batch)
			cancelBuild()
		}
	}
}

// merge joins the changes of two batches (either may be nil).
func merge(a, b *watch.Batch) *watch.Batch {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	m := &watch.Batch{Rescan: a.Rescan || b.Rescan}
	m.Paths = append(slices.Clone(a.Paths), b.Paths...)
	slices.Sort(m.Paths)
	m.Paths = slices.Compact(m.Paths)
	return m
}

// listen opens the server's socket; a busy port is a clear error.
func listen(bind string, port int) (net.Listener, error) {
	addr := net.JoinHostPort(bind, strconv.Itoa(port))
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("port %d on %s is already in use (another checkgen serve?): choose another with --port, e.g. --port %d", port, bind, port+1)
	}
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	return ln, nil
}

// siteURL is the address to open in a browser.
func siteURL(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String() + "/"
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

func clock() string { return time.Now().Format("15:04:05") }

// builder runs the builds of a serve session and keeps the model of the
// last good build. (What the next build reuses, the manifest beside the
// destination says.)
type builder struct {
	e          *env
	site, dest string
	formats    []string
	ds         *devserver.Server
	hook       func(*generator.Options) // serveOptions.build
	src        *rendered                // with onRequest: what is served

	model    *plan.Model // of the last good build; nil before the first
	warnings string      // the last good build's warnings, to print only news

	// With onRequest: the loader keeps what each content file gave, for
	// the next load to parse only the files that changed.
	loader  plan.Loader
	digest  string               // of the set of the last good model
	failing bool                 // the pages show the errors of the last load
	loaded  func(published bool) // serveOptions.loaded
	gc      *gcTuner
}

// buildEnd is how a build ended.
type buildEnd int

const (
	buildOK buildEnd = iota
	buildFailed
	buildCancelled
)

// build builds the site, incrementally after the first good build, and
// publishes the result to the pages: a reload, or the errors. It prints
// one line saying what it did and how long it took, then any errors, and
// only then publishes, so that whoever sees the pages reload finds the
// terminal up to date. A build cancelled through ctx publishes nothing.
func (b *builder) build(ctx context.Context, batch *watch.Batch) buildEnd {
	if b.src != nil {
		return b.load(ctx, batch)
	}
	opts := generator.Options{
		Context: ctx,
		Site:    b.site, Dest: b.dest, Formats: b.formats,
		SourceDateEpoch: b.e.getenv("SOURCE_DATE_EPOCH"),
		Leftover:        detachRemoval,
	}
	if batch == nil && isTerminal(b.e.stderr) {
		opts.Progress = newProgress(b.e.stderr, time.Now).update // the first build can be long
	}
	if b.hook != nil {
		b.hook(&opts)
	}
	b.ds.Building(true)
	defer b.ds.Building(false)
	start := time.Now()
	res, err := generator.Build(opts)
	took := time.Since(start).Round(time.Millisecond)
	if opts.Progress != nil && isTerminal(b.e.stderr) {
		fmt.Fprint(b.e.stderr, "\r\033[K")
	}
	if err != nil && ctx.Err() != nil {
		return buildCancelled
	}
	why := b.why(batch)
	if err != nil {
		return b.failed(err, batch, took)
	}
	reused := res.Files - res.Written
	if batch == nil {
		fmt.Fprintln(b.e.stdout, built(res, took))
	} else {
		fmt.Fprintf(b.e.stdout, "%s rebuilt%s in %s: %d files, %d written, %d reused\n",
			clock(), why, took, res.Files, res.Files-reused, reused)
	}
	if w := res.Warnings.Error(); w != b.warnings {
		if len(res.Warnings) > 0 {
			printWarnings(b.e, res.Warnings)
		}
		b.warnings = w
	}
	b.ds.Moved(b.model, res.Model)
	b.model = res.Model
	b.ds.Publish(nil)
	return buildOK
}

// failed prints the errors of a failed build and shows them on the pages.
func (b *builder) failed(err error, batch *watch.Batch, took time.Duration) buildEnd {
	problems := devserver.Problems(err, b.site)
	what := "build"
	if batch != nil {
		what = "rebuild"
	}
	fmt.Fprintf(b.e.stderr, "%s %s failed%s in %s: %d error%s; serving the last good site\n",
		clock(), what, b.why(batch), took, len(problems), plural(len(problems)))
	for _, p := range problems {
		fmt.Fprintln(b.e.stderr, p)
		if x := p.Excerpt(); x != "" {
			fmt.Fprintln(b.e.stderr, indent(x, "    "))
		}
	}
	b.failing = true
	b.ds.Publish(problems)
	return buildFailed
}

// load loads and resolves the site, whose outputs the pages then render
// on request; it writes nothing. Only the content files the batch
// changed are parsed again, and a batch that changed no content file
// keeps the model. The pages reload as soon as the model is resolved,
// unless the edit changed nothing they show (spaces, a comment). Like
// build, it prints before it publishes.
func (b *builder) load(ctx context.Context, batch *watch.Batch) buildEnd {
	opts := generator.Options{
		Context: ctx,
		Site:    b.site, Dest: b.dest, Formats: b.formats,
		SourceDateEpoch: b.e.getenv("SOURCE_DATE_EPOCH"),
	}
	if b.hook != nil {
		b.hook(&opts)
	}
	start := time.Now()
	layoutsChanged := batch == nil || batch.Rescan || b.touches(batch, "layouts")
	// After a failed load the content is loaded again whatever changed:
	// the errors may be in it.
	contentChanged := batch == nil || batch.Rescan || b.touches(batch, "content") || b.model == nil || b.failing
	m, digest := b.model, b.digest
	var err error
	if contentChanged {
		m, digest, err = b.resolve(batch)
	}
	var set *generator.OutputSet
	if err == nil {
		set, err = generator.NewOutputSet(m, opts)
	}
	if err == nil && layoutsChanged {
		err = sample(set)
	}
	var warnings plan.ErrorList
	if err == nil {
		warnings, err = generator.Check(m, nil, b.formats)
	}
	took := time.Since(start).Round(time.Millisecond)
	if ctx.Err() != nil {
		return buildCancelled
	}
	if err != nil {
		return b.failed(err, batch, took)
	}
	// Nothing the pages show changed: no reload.
	publish := b.model == nil || b.failing || layoutsChanged || digest != b.digest
	switch {
	case batch == nil:
		fmt.Fprintf(b.e.stdout, "built the model of %d unit%s in %s: rendered on request; %d plan%s, %d task%s, %d warning%s\n",
			len(m.Units), plural(len(m.Units)), took, len(m.Plans), plural(len(m.Plans)), len(m.Tasks), plural(len(m.Tasks)), len(warnings), plural(len(warnings)))
	case publish:
		fmt.Fprintf(b.e.stdout, "%s reloaded%s in %s: rendered on request\n", clock(), b.why(batch), took)
	default:
		fmt.Fprintf(b.e.stdout, "%s loaded%s in %s: nothing shown changed, no reload\n", clock(), b.why(batch), took)
	}
	if w := warnings.Error(); w != b.warnings {
		if len(warnings) > 0 {
			printWarnings(b.e, warnings)
		}
		b.warnings = w
	}
	b.src.set(set)
	if m != b.model {
		b.ds.Moved(b.model, m)
	}
	b.model, b.digest, b.failing = m, digest, false
	if publish {
		b.ds.Publish(nil)
		b.src.prerender(b.ds.Open())
	}
	b.gc.loaded()
	if b.loaded != nil {
		b.loaded(publish)
	}
	return buildOK
}

// resolve loads the site again, parsing only the content files the batch
// changed (every file's bytes are compared after lost events), and
// resolves it. It returns the model and the digest of what its files say.
func (b *builder) resolve(batch *watch.Batch) (*plan.Model, string, error) {
	var changes plan.Changes
	if batch != nil && !batch.Rescan {
		changes = plan.Changes{}
		for _, p := range batch.Paths {
			if rel, err := filepath.Rel(b.site, p); err == nil && filepath.IsLocal(rel) {
				changes = append(changes, filepath.ToSlash(rel))
			}
		}
	}
	set, err := b.loader.Load(os.DirFS(b.site), changes)
	if set == nil {
		return nil, "", err
	}
	m, err := b.loader.Resolve(set)
	if err != nil {
		return nil, "", err
	}
	return m, set.Digest(), nil
}

// touches reports whether batch changed something in the site's folder dir.
func (b *builder) touches(batch *watch.Batch, dir string) bool {
	root := filepath.Join(b.site, dir)
	for _, p := range batch.Paths {
		if p == root || strings.HasPrefix(p, root+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// sample renders one page of each kind (the home page, a plan's, a
// level's, a body's, the timeline, a unit's), so that a layout that fails
// when it runs shows its error on every page, as a build's would, rather
// than only on the pages that use it when they are asked for.
func sample(set *generator.OutputSet) error {
	for _, p := range set.Sample() {
		o, ok, err := set.Output(p)
		if err != nil {
			return err
		}
		if ok {
			if err := o.Render(io.Discard); err != nil {
				return err
			}
		}
	}
	return nil
}

// rendered is the site as serve shows it on request: the outputs of the
// last good model, each rendered when first asked for and kept in a
// cache by its key, so that a file whose inputs did not change is not
// rendered again after a save. It is a devserver.Source.
type rendered struct {
	cache *generator.Cache
	hook  func(path string) // told each file rendered

	mu   sync.RWMutex
	gen  int // models set so far: the key of outputs without one
	outs *generator.OutputSet

	listing sync.Mutex
	lists   map[string]*dirList // the folders being listed, by generation and name
}

// dirList is the listing of a folder, once done is closed.
type dirList struct {
	done    chan struct{}
	entries []string
	ok      bool
}

// set makes outs the site served.
func (r *rendered) set(outs *generator.OutputSet) {
	r.mu.Lock()
	r.gen++
	r.outs = outs
	r.mu.Unlock()
}

// current returns the outputs served and their generation.
func (r *rendered) current() (*generator.OutputSet, int) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.outs, r.gen
}

// File renders the file at name, or takes it from the cache.
func (r *rendered) File(ctx context.Context, name string) ([]byte, error) {
	outs, gen := r.current()
	if outs == nil || isUnitFolder(outs, name) {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	o, ok, err := outs.Output(name)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	key := o.Path + "\x00" + o.Key
	if o.Key == "" {
		key = fmt.Sprintf("%s\x00model %d", o.Path, gen)
	}
	return r.cache.Get(key, func(w io.Writer) error {
		if r.hook != nil {
			r.hook(o.Path)
		}
		if err := o.Render(w); err != nil {
			return fmt.Errorf("rendering %s: %w", o.Path, err)
		}
		return nil
	})
}

// maxPrerender bounds the open pages rendered ahead after a reload.
const maxPrerender = 8

// prerender renders, in the background, the pages open in browsers
// (pages, URL paths such as /units/06/), which are about to ask for them
// again after a reload: each request then finds its page rendered, or
// being rendered, in the cache.
func (r *rendered) prerender(pages []string) {
	if len(pages) == 0 {
		return
	}
	pages = pages[:min(len(pages), maxPrerender)]
	go func() {
		for _, p := range pages {
			name := strings.TrimPrefix(p, "/")
			if dir, ok := strings.CutSuffix(name, "/"); ok || name == "" {
				// As the page's request will: its folder, then its index.
				if dir == "" {
					dir = "."
				}
				r.Dir(dir)
				name += "index.html"
			}
			r.File(context.Background(), name) // an error shows when the page asks
		}
	}()
}

// isUnitFolder reports whether name is the folder of a unit's page,
// units/<code>, which a browser asks for first: it is no file, and
// looking it up among the outputs that are no unit's own would list
// those of a new model before the page could be rendered.
func isUnitFolder(outs *generator.OutputSet, name string) bool {
	code, ok := strings.CutPrefix(name, "units/")
	return ok && !strings.Contains(code, "/") && outs.Model().Unit(code) != nil
}

// Dir lists the folder name.
// Two requests for one folder at once (a page's and its prerender's)
// list it once.
func (r *rendered) Dir(name string) ([]string, bool) {
	outs, gen := r.current()
	if outs == nil {
		return nil, false
	}
	key := strconv.Itoa(gen) + "\x00" + name
	r.listing.Lock()
	if d, ok := r.lists[key]; ok {
		r.listing.Unlock()
		<-d.done
		return d.entries, d.ok
	}
	if r.lists == nil {
		r.lists = map[string]*dirList{}
	}
	d := &dirList{done: make(chan struct{})}
	r.lists[key] = d
	r.listing.Unlock()
	entries, ok, err := outs.Dir(name)
	d.entries, d.ok = entries, ok && err == nil
	r.listing.Lock()
	delete(r.lists, key)
	r.listing.Unlock()
	close(d.done)
	return d.entries, d.ok
}

// why names the changes that caused a rebuild: " after content/a.toml
// changed", " after content/a.toml and 3 more changed".
func (b *builder) why(batch *watch.Batch) string {
	if batch == nil {
		return ""
	}
	if batch.Rescan {
		return " after lost file events"
	}
	if len(batch.Paths) == 0 {
		return ""
	}
	first := batch.Paths[0]
	for _, p := range batch.Paths {
		if filepath.Ext(p) != "" { // a file, rather than the directory it is in
			first = p
			break
		}
	}
	if rel, err := filepath.Rel(b.site, first); err == nil {
		first = filepath.ToSlash(rel)
	}
	if n := len(batch.Paths) - 1; n > 0 {
		return fmt.Sprintf(" after %s and %d more changed", first, n)
	}
	return " after " + first + " changed"
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
