package xlsx

import (
	"crypto/sha256"
	"encoding/hex"

	"checkgen/generator/plan"
)

// Key returns the key of unit u's workbook, for Options.Key: global,
// which covers what every workbook depends on (site.toml, the date, the
// program), with what its sheets show: the unit and each of its children
// (plan.Unit.Digest), each with its checklist (plan.Checklist.Digest),
// each digest computed once by d.
func Key(global string, u *plan.Unit, d *plan.Digests) string {
	h := sha256.New()
	for _, x := range append([]*plan.Unit{u}, u.Children...) {
		h.Write([]byte(d.Unit(x)))
		if x.Checklist != nil {
			h.Write([]byte(d.Checklist(x.Checklist)))
		}
		h.Write([]byte{0})
	}
	return "xlsx:" + global + ":" + hex.EncodeToString(h.Sum(nil))[:24]
}
