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

var monthsEN = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// formatDate writes a day the way the site's language does: dd/mm/yyyy
// for Vietnamese, "6 Jun 2027" for English.
func formatDate(d plan.Date, lang string) string {
	if lang == "en" {
		return strconv.Itoa(d.Day) + " " + monthsEN[d.Month-1] + " " + strconv.Itoa(d.Year)
	}
	return pad2(d.Day) + "/" + pad2(int(d.Month)) + "/" + strconv.Itoa(d.Year)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func itoa(n int) string { return strconv.Itoa(n) }

func moment(m *plan.Moment, lang string) *Moment {
	if m == nil {
		return nil
	}
	return &Moment{Date: formatDate(m.Date, lang), Clock: m.Clock(), Rel: m.Relative(), ISO: m.String()}
}
