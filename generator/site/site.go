// Package site renders the static HTML site from the resolved model.
package site

import (
	"io/fs"
	"time"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// Options says what to render.
type Options struct {
	Units    []*plan.Unit    // the units to render pages for
	Layouts  fs.FS           // the site's own layouts/ directory, or nil
	Formats  map[string]bool // the other formats built ("pdf", "xlsx"), to link to
	Date     time.Time       // the build's fixed date
	Progress func(done, total int)
	// Key returns the key of everything a unit's outputs are made from; pass
	// it to out.Cached for per-unit files so that serve can reuse them.
	Key func(u *plan.Unit) string
}

// Render writes every page of the site into out.
func Render(m *plan.Model, out *output.Dir, opts Options) error {
	return nil
}
