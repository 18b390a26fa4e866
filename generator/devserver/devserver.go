// Package devserver serves a built site while its content is being edited:
// the files of the build directory, a Server-Sent Events endpoint that
// tells open pages to reload after each rebuild, and the errors of a failed
// rebuild shown over every page until a rebuild succeeds.
//
// The reload script and the error overlay are added to HTML as it is
// served; the files on disk are never changed, so what `checkgen build`
// writes is never touched by serving it.
//
// Each rebuild, good or bad, is a new generation. A served page carries
// the generation it was served at, and the event stream sends the current
// one on connect and after every rebuild; a page seeing another generation
// reloads. A page loaded just before a rebuild finished thus still reloads,
// and so does every page after the server restarts.
package devserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// EventsPath is the URL path of the reload event stream.
const EventsPath = "/__livereload"

// Server serves a build directory. Create it with New; it is an
// http.Handler, safe for concurrent use.
type Server struct {
	root string
	src  Source // when set, files come from it instead of root
	ping time.Duration

	mu        sync.Mutex
	gen       uint64
	built     bool // a rebuild succeeded: the directory exists but for a swap
	problems  []Problem
	redirects map[string]string
	clients   map[chan struct{}]string // the event streams, each with the path of the page that opened it ("" when unknown)
	idle      chan struct{}            // while a build runs: closed when it ends; else nil

	waiting chan<- string // tests: told the name a request waits for

	done chan struct{} // closed by Close: event streams end
	once sync.Once
}

// New returns a server for the build directory root. The directory may not
// exist yet (the first build failed); pages then show only the errors.
func New(root string) *Server {
	return &Server{
		root:      root,
		ping:      15 * time.Second,
		redirects: map[string]string{},
		clients:   map[chan struct{}]string{},
		done:      make(chan struct{}),
	}
}

// Source gives a site's files rendered on request, in place of a build
// directory.
type Source interface {
	// File returns the bytes of the file at name, a slash-separated path
	// such as "units/06/index.html", or an error wrapping fs.ErrNotExist
	// when the site has no such file.
	File(ctx context.Context, name string) ([]byte, error)
	// Dir returns the entries of the folder name ("." for the top), a
	// folder's with a trailing slash, and whether the site has the folder.
	Dir(name string) ([]string, bool)
}

// NewSource returns a server of the files of src, which it asks for each
// request: nothing is read from disk.
func NewSource(src Source) *Server {
	s := New("")
	s.src = src
	return s
}

// Publish starts a new generation after a rebuild: problems is the error
// list of a failed rebuild, shown over every page, or nil after a good one.
// Every open page reloads.
func (s *Server) Publish(problems []Problem) {
	s.mu.Lock()
	s.gen++
	s.problems = problems
	s.built = s.built || problems == nil
	for ch := range s.clients {
		select {
		case ch <- struct{}{}:
		default: // a signal is already waiting
		}
	}
	s.mu.Unlock()
}

// Building tells the server that a build has begun (true) or ended
// (false). A build may swap a new build directory in with two renames; a
// request that falls between them, finding no directory, waits until the
// build ends instead of getting "not found".
func (s *Server) Building(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case on && s.idle == nil:
		s.idle = make(chan struct{})
	case !on && s.idle != nil:
		close(s.idle)
		s.idle = nil
	}
}

// Redirect sends requests for the page at from, once it no longer exists,
// to the page at to (URL paths such as "/units/06-058/"). An empty to
// forgets the redirect.
func (s *Server) Redirect(from, to string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if to == "" {
		delete(s.redirects, from)
	} else {
		s.redirects[from] = to
	}
}

// Generation returns the number of rebuilds published so far.
func (s *Server) Generation() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen
}

// Close ends the open event streams, so that http.Server.Shutdown, which
// waits for active requests, can finish. Pages reconnect by themselves
// when a server comes back.
func (s *Server) Close() {
	s.once.Do(func() { close(s.done) })
}

func (s *Server) state() (gen uint64, problems []Problem) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen, s.problems
}

// ServeHTTP serves the event stream, and files of the build directory:
// HTML with the reload script (and the error overlay while the last
// rebuild failed), directories by their index.html or a listing, and a
// missing page by a redirect (see Redirect) or a 404 page that reloads too.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == EventsPath {
		s.events(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	upath := path.Clean("/" + r.URL.Path)
	name := strings.TrimPrefix(upath, "/")
	if name == "" {
		name = "."
	}
	w.Header().Set("Cache-Control", "no-cache")
	if s.src != nil {
		s.serveSource(w, r, upath, name)
		return
	}
	f, st, err := s.open(r.Context(), name)
	if err != nil {
		s.missing(w, r, upath)
		return
	}
	defer f.Close()
	if st.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			redirect(w, r, upath+"/")
			return
		}
		index, ist, err := s.open(r.Context(), path.Join(name, "index.html"))
		if err != nil || ist.IsDir() {
			if index != nil {
				index.Close()
			}
			s.listing(w, r, upath, f)
			return
		}
		defer index.Close()
		f, name = index, path.Join(name, "index.html")
	} else if strings.HasSuffix(r.URL.Path, "/") {
		redirect(w, r, upath) // a file asked for as a directory
		return
	}
	if isHTML(name) {
		b, err := io.ReadAll(f)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		s.html(w, r, http.StatusOK, b)
		return
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	// No Last-Modified: it counts whole seconds, and a file rendered twice
	// within one would be answered "not modified".
	http.ServeContent(w, r, name, time.Time{}, f)
}

// serveSource answers a request from the Source: a file, a folder by its
// index.html or a listing, or what missing says.
func (s *Server) serveSource(w http.ResponseWriter, r *http.Request, upath, name string) {
	// A file that fails to render (a layout that fails on one page)
	// answers with its error over a page that reloads after the next save.
	fail := func(err error) {
		gen, problems := s.state()
		problems = append(slices.Clone(problems), Problem{Msg: err.Error()})
		out := Inject([]byte(renderFailed), gen, problems)
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusInternalServerError)
		if r.Method != http.MethodHead {
			w.Write(out)
		}
	}
	if name != "." {
		b, err := s.src.File(r.Context(), name)
		switch {
		case err == nil && strings.HasSuffix(r.URL.Path, "/"):
			redirect(w, r, upath) // a file asked for as a directory
			return
		case err == nil:
			s.content(w, r, name, b)
			return
		case !errors.Is(err, fs.ErrNotExist):
			fail(err)
			return
		}
	}
	entries, ok := s.src.Dir(name)
	if !ok {
		s.missing(w, r, upath)
		return
	}
	if !strings.HasSuffix(r.URL.Path, "/") {
		redirect(w, r, upath+"/")
		return
	}
	index := path.Join(name, "index.html")
	b, err := s.src.File(r.Context(), index)
	switch {
	case err == nil:
		s.content(w, r, index, b)
	case errors.Is(err, fs.ErrNotExist):
		s.list(w, r, upath, entries)
	default:
		fail(err)
	}
}

const renderFailed = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Not rendered</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;margin:2em"><h1>Not rendered</h1></body></html>
`

// content serves the bytes of the file name.
func (s *Server) content(w http.ResponseWriter, r *http.Request, name string, b []byte) {
	if isHTML(name) {
		s.html(w, r, http.StatusOK, b)
		return
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

// errNotServed is the error for a file that is not served: neither a
// regular file nor a directory (a named pipe would block the request until
// something wrote to it; a device could be read forever).
var errNotServed = errors.New("not a regular file or a directory")

// open opens name inside the build directory, never outside it (os.Root
// refuses "..", absolute paths and symbolic links that leave it), and only
// when it is a regular file or a directory. A rebuild may swap the
// directory in with two renames; should a request fall between them, it
// waits for the build to end (see Building), or for ctx to be done.
func (s *Server) open(ctx context.Context, name string) (*os.File, fs.FileInfo, error) {
	for {
		f, st, err := openIn(s.root, name)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return f, st, err
		}
		if _, err := os.Stat(s.root); err == nil {
			return nil, nil, fs.ErrNotExist // the directory is there: the file is not
		}
		s.mu.Lock()
		idle, built, waiting := s.idle, s.built, s.waiting
		s.mu.Unlock()
		if idle == nil || !built {
			return nil, nil, fs.ErrNotExist // no build to wait for, or none before
		}
		if waiting != nil {
			waiting <- name
		}
		select {
		case <-idle:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-s.done:
			return nil, nil, fs.ErrNotExist
		}
	}
}

// openIn opens name in the directory dir when it is a regular file or a
// directory. It looks before it opens, and checks that what it opened is
// what it looked at.
func openIn(dir, name string) (*os.File, fs.FileInfo, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, err
	}
	defer root.Close()
	name = filepath.FromSlash(name)
	st, err := root.Stat(name)
	if err != nil {
		return nil, nil, err
	}
	if !st.Mode().IsRegular() && !st.IsDir() {
		return nil, nil, errNotServed
	}
	f, err := root.Open(name)
	if err != nil {
		return nil, nil, err
	}
	if fst, err := f.Stat(); err != nil || !os.SameFile(st, fst) {
		f.Close()
		return nil, nil, errNotServed
	}
	return f, st, nil
}

func isHTML(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		return true
	}
	return false
}

func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if q := r.URL.RawQuery; q != "" {
		to += "?" + q
	}
	http.Redirect(w, r, to, http.StatusFound)
}

// missing answers for a path that is not in the build: with a redirect
// when its page was removed, else a 404 page that reloads and shows errors.
func (s *Server) missing(w http.ResponseWriter, r *http.Request, upath string) {
	s.mu.Lock()
	to, ok := s.redirects[upath]
	if !ok {
		to, ok = s.redirects[strings.TrimSuffix(upath, "index.html")]
	}
	if !ok {
		to, ok = s.redirects[upath+"/"]
	}
	s.mu.Unlock()
	if ok {
		redirect(w, r, to)
		return
	}
	s.mu.Lock()
	built := s.built
	s.mu.Unlock()
	var b bytes.Buffer
	notFound.Execute(&b, struct {
		Path  string
		Built bool
	}{upath, built})
	s.html(w, r, http.StatusNotFound, b.Bytes())
}

var notFound = template.Must(template.New("404").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Not found</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;margin:2em">
{{if .Built}}<h1>Not found</h1>
<p><code>{{.Path}}</code> is not in the build. <a href="/">Go to the home page</a>.</p>
{{- else}}<h1>Not built yet</h1>
<p>The site has not been built yet: fix the errors listed, and this page reloads.</p>
{{- end}}
</body></html>
`))

// listing shows a directory without index.html.
func (s *Server) listing(w http.ResponseWriter, r *http.Request, upath string, dir *os.File) {
	entries, err := dir.ReadDir(-1)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() {
			n += "/"
		}
		names = append(names, n)
	}
	s.list(w, r, upath, names)
}

// list shows a folder's entries, but for hidden ones.
func (s *Server) list(w http.ResponseWriter, r *http.Request, upath string, entries []string) {
	var names []string
	for _, n := range entries {
		if !strings.HasPrefix(n, ".") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var b bytes.Buffer
	listingPage.Execute(&b, struct {
		Path  string
		Names []string
	}{upath, names})
	s.html(w, r, http.StatusOK, b.Bytes())
}

var listingPage = template.Must(template.New("dir").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Path}}</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;margin:2em">
<h1>{{.Path}}</h1>
<ul>{{if ne .Path "/"}}<li><a href="../">../</a></li>{{end}}
{{range .Names}}<li><a href="{{.}}">{{.}}</a></li>
{{end}}</ul>
</body></html>
`))

// html serves a page with the reload script and, while the last rebuild
// failed, the error overlay.
func (s *Server) html(w http.ResponseWriter, r *http.Request, status int, page []byte) {
	gen, problems := s.state()
	out := Inject(page, gen, problems)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", fmt.Sprint(len(out)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(out)
	}
}
