package site

import "checkgen/generator/plan"

// Key returns the key of unit u's page and calendar, for Options.Key:
// global, which covers what every page depends on (site.toml, layouts,
// the formats linked, the date, the program), with what the page shows of
// the unit (plan.Unit.Digest) and of its checklist (checklist returns the
// plan.Checklist.Digest of one, which callers compute once per checklist).
func Key(global string, u *plan.Unit, d *plan.Digests) string {
	c := ""
	if u.Checklist != nil {
		c = d.Checklist(u.Checklist)
	}
	return "html:" + global + ":" + c + ":" + d.Unit(u)
}
