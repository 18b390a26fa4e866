package devserver

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// events streams the generation as Server-Sent Events: once on connect,
// then after every rebuild, as "event: reload" with the generation as data,
// and a comment line every so often to keep proxies from closing the
// stream. It ends when the client goes or the server closes.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// Streams are long-lived: no write deadline, whatever the server's.
	rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")

	ch := make(chan struct{}, 1)
	s.mu.Lock()
	s.clients[ch] = pageOf(r)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, ch)
		s.mu.Unlock()
	}()

	ping := time.NewTicker(s.ping)
	defer ping.Stop()
	// retry: how long the browser waits before reconnecting after the
	// stream breaks, e.g. while the server restarts.
	fmt.Fprint(w, "retry: 500\n\n")
	send := func() error {
		_, err := fmt.Fprintf(w, "event: reload\ndata: %d\n\n", s.Generation())
		if err == nil {
			err = rc.Flush()
		}
		return err
	}
	if send() != nil {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-ch:
			if send() != nil {
				return
			}
		case <-ping.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

// pageOf returns the URL path of the page whose script opened the event
// stream r, from its Referer, or "" when it is not one of this server's.
func pageOf(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || u.Host != r.Host || u.Path == "" || u.Path == EventsPath {
		return ""
	}
	return u.Path
}

// Open returns the URL paths of the pages open in browsers (those whose
// event streams say which page they listen for), each once, sorted.
func (s *Server) Open() []string {
	s.mu.Lock()
	var pages []string
	for _, p := range s.clients {
		if p != "" {
			pages = append(pages, p)
		}
	}
	s.mu.Unlock()
	slices.Sort(pages)
	return slices.Compact(pages)
}

// Clients returns the number of open event streams.
func (s *Server) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.clients)
}
