// Package xlsx writes sign-off workbooks and reads filled ones back.
package xlsx

import (
	"time"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// Options says what to render.
type Options struct {
	Units    []*plan.Unit // the units to write a workbook for
	Date     time.Time    // the build's fixed date
	Progress func(done, total int)
	// Key returns the key of everything a unit's outputs are made from; pass
	// it to out.Cached for per-unit files so that serve can reuse them.
	Key func(u *plan.Unit) string
}

// Render writes xlsx/levels/<level>.xlsx and xlsx/units/<code>.xlsx into out.
func Render(m *plan.Model, out *output.Dir, opts Options) error {
	return nil
}
