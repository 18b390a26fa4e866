package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"checkgen/generator"
	"checkgen/generator/devserver"
	"checkgen/generator/plan"
	"checkgen/generator/watch"
)

var cmdServe = &command{
	Name:      "serve",
	UsageLine: "checkgen serve [-s SITE] [-d DEST] [--bind 127.0.0.1] [--port 1313] [--poll DURATION]",
	Short:     "build, serve, watch and reload on every edit",
	Long: `Serve builds the site into DEST (default SITE/public), serves it over HTTP
on the loopback interface, watches content/ and layouts/, and rebuilds after
every save: outputs whose inputs did not change are reused, and open pages
reload by themselves. A page whose unit was removed reloads as its parent.

When a rebuild fails, the last good site stays up and every page shows the
errors, each with its file:line:col and source line, until a rebuild
succeeds; the terminal shows them too. The reload script and the error list
are added only to pages as they are served, never to the files in DEST.

--bind 0.0.0.0 serves to other machines. --poll 1s scans for changes every
second instead of relying on file system notifications, which network
shares and some virtual machines do not deliver. Ctrl-C stops.`,
	Flags: func(fs *flag.FlagSet) func(*env, []string) error {
		site := siteFlag(fs)
		dest := destFlag(fs)
		bind := fs.String("bind", "127.0.0.1", "the `address` to listen on (0.0.0.0: every interface)")
		port := fs.Int("port", 1313, "the `port` to listen on (0: any free port)")
		poll := fs.Duration("poll", 0, "scan for changes at this `interval` (e.g. 1s) instead of using file system notifications")
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
			return serve(e, serveOptions{site: *site, dest: *dest, bind: *bind, port: *port, poll: *poll})
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
	})
	if err != nil {
		if o.poll == 0 {
			return fmt.Errorf("%w; try --poll 1s", err)
		}
		return err
	}
	defer w.Close()

	// Serve at once: what DEST holds from before until the first build
	// is done, then pages reload.
	ds := devserver.New(dest)
	defer ds.Close()
	hs := &http.Server{
		Handler:           ds,
		ReadHeaderTimeout: 10 * time.Second,
		// No WriteTimeout: it would cut the reload event streams.
		ErrorLog: log.New(e.stderr, "checkgen serve: ", 0),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	how := "watching content/ and layouts/"
	if o.poll > 0 {
		how += fmt.Sprintf(" every %s", o.poll)
	}
	fmt.Fprintf(e.stdout, "serving %s at %s (%s; Ctrl-C to stop)\n", dest, siteURL(ln.Addr()), how)

	stop := func() error {
		w.Close()
		ds.Close() // ends the event streams, which Shutdown would wait for
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return hs.Shutdown(ctx)
	}

	// One build at a time, in its own goroutine so that Ctrl-C is heard
	// during a long one; changes meanwhile wait in the watcher as one
	// batch.
	b := &builder{e: e, site: site, dest: dest, formats: o.formats, ds: ds}
	built := make(chan struct{}, 1)
	building, stopping := true, false
	go func() {
		b.build(nil)
		built <- struct{}{}
	}()
	for {
		var batches <-chan watch.Batch
		if !building {
			batches = w.Batches()
		}
		select {
		case <-interrupt:
			if building && !stopping {
				stopping = true
				fmt.Fprintln(e.stdout, "stopping after the current build (Ctrl-C again to stop now)")
				continue
			}
			err := stop()
			fmt.Fprintln(e.stdout, "stopped")
			return err
		case <-built:
			building = false
			if stopping {
				err := stop()
				fmt.Fprintln(e.stdout, "stopped")
				return err
			}
		case err := <-served:
			stop()
			return fmt.Errorf("serving: %w", err)
		case batch, ok := <-batches:
			if !ok {
				stop()
				return errors.New("the watcher stopped")
			}
			for _, err := range batch.Errors {
				fmt.Fprintf(e.stderr, "%s %v\n", clock(), err)
			}
			if len(batch.Paths) > 0 || batch.Rescan {
				building = true
				go func() {
					b.build(&batch)
					built <- struct{}{}
				}()
			}
		}
	}
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

	model    *plan.Model // of the last good build; nil before the first
	warnings string      // the last good build's warnings, to print only news
}

// build builds the site, incrementally after the first good build, and
// publishes the result to the pages: a reload, or the errors. It prints
// one line saying what it did and how long it took, then any errors.
func (b *builder) build(batch *watch.Batch) {
	opts := generator.Options{
		Site: b.site, Dest: b.dest, Formats: b.formats,
		SourceDateEpoch: b.e.getenv("SOURCE_DATE_EPOCH"),
	}
	if batch == nil && isTerminal(b.e.stderr) {
		opts.Progress = newProgress(b.e.stderr, time.Now).update // the first build can be long
	}
	start := time.Now()
	res, err := generator.Build(opts)
	took := time.Since(start).Round(time.Millisecond)
	if opts.Progress != nil {
		fmt.Fprint(b.e.stderr, "\r\033[K")
	}
	why := b.why(batch)
	if err != nil {
		problems := devserver.Problems(err, os.DirFS(b.site))
		b.ds.Publish(problems)
		what := "build"
		if batch != nil {
			what = "rebuild"
		}
		fmt.Fprintf(b.e.stderr, "%s %s failed%s in %s: %d error%s; serving the last good site\n",
			clock(), what, why, took, len(problems), plural(len(problems)))
		for _, p := range problems {
			fmt.Fprintln(b.e.stderr, p)
			if x := p.Excerpt(); x != "" {
				fmt.Fprintln(b.e.stderr, indent(x, "    "))
			}
		}
		return
	}
	reused := res.Files - res.Written
	b.ds.Moved(b.model, res.Model)
	b.ds.Publish(nil)
	b.model = res.Model
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
