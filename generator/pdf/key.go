package pdf

import "checkgen/generator/plan"

// Key returns the key of unit u's PDF, for Options.Key: global, which
// covers what every document depends on (site.toml with its labels and
// form, the date, the program), with what the PDF prints of the unit and
// its head (plan.Unit.Digest) and of its checklist (checklist returns the
// plan.Checklist.Digest of one, which callers compute once per checklist).
func Key(global string, u *plan.Unit, d *plan.Digests) string {
	c := ""
	if u.Checklist != nil {
		c = d.Checklist(u.Checklist)
	}
	return "pdf:" + global + ":" + c + ":" + d.Unit(u)
}
