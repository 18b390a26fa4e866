package site

import (
	"strconv"

	"checkgen/generator/plan"
)

// Moment is a deadline as pages show it.
type Moment struct {
	Date  string // in the site's language: 14/03/2021 (vi), 14 Mar 2021 (en)
	Clock string // "17:00", or ""
	Rel   string // "E-70"
	ISO   string // for <time datetime>: 2021-03-14 or 2021-03-14T17:00
}

func itoa(n int) string { return strconv.Itoa(n) }

func moment(m *plan.Moment, site *plan.Site) *Moment {
	if m == nil {
		return nil
	}
	return &Moment{Date: site.FormatDate(m.Date), Clock: m.Clock(), Rel: m.Relative(), ISO: m.String()}
}
