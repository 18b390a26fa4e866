// Package pdf renders printable A4 checklists.
package pdf

import (
	"time"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// Options says what to render.
type Options struct {
	Units    []*plan.Unit // the units to render a PDF for
	Date     time.Time    // the build's fixed date: creation date and the date line
	Progress func(done, total int)
	// Key returns the key of everything a unit's outputs are made from; pass
	// it to out.Cached for per-unit files so that serve can reuse them.
	Key func(u *plan.Unit) string
}

// Render writes pdf/levels/<level>.pdf and pdf/units/<code>.pdf into out.
func Render(m *plan.Model, out *output.Dir, opts Options) error {
	return nil
}
