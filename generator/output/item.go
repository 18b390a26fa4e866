package output

import (
	"io"
	"sort"
	"sync"
)

// Sink is what a renderer writes its outputs into: a *Dir, which renders
// and writes them, or a *List, which only records them, so that a server
// can render one of them when it is asked for.
type Sink interface {
	WriteFile(rel string, data []byte) error
	Render(rel string, render func(w io.Writer) error) error
	Cached(rel, key string, render func(w io.Writer) error) (reused bool, err error)
}

// Item is one output of a build: its path, the key of everything it is
// made from ("" when its renderer gives none: it is rendered again for
// every model), and the function that renders it.
type Item struct {
	Rel    string
	Key    string
	Render func(w io.Writer) error
}

// List is a Sink that records the outputs without rendering them. It is
// safe for concurrent use, as renderers write from several goroutines.
type List struct {
	mu    sync.Mutex
	items []Item
}

// WriteFile records rel with its bytes.
func (l *List) WriteFile(rel string, data []byte) error {
	return l.add(Item{Rel: rel, Render: func(w io.Writer) error { _, err := w.Write(data); return err }})
}

// Render records rel with its render function.
func (l *List) Render(rel string, render func(w io.Writer) error) error {
	return l.add(Item{Rel: rel, Render: render})
}

// Cached records rel with its key and render function; it never reuses.
func (l *List) Cached(rel, key string, render func(w io.Writer) error) (bool, error) {
	return false, l.add(Item{Rel: rel, Key: key, Render: render})
}

func (l *List) add(it Item) error {
	if err := Check(it.Rel); err != nil {
		return err
	}
	l.mu.Lock()
	l.items = append(l.items, it)
	l.mu.Unlock()
	return nil
}

// Items returns the recorded outputs sorted by path.
func (l *List) Items() []Item {
	l.mu.Lock()
	defer l.mu.Unlock()
	items := append([]Item(nil), l.items...)
	sort.Slice(items, func(i, j int) bool { return items[i].Rel < items[j].Rel })
	return items
}
