package plan

import (
	"fmt"
	"strconv"
)

var monthsEN = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// FormatDate writes a day as the site's language writes dates: 14/03/2021
// in Vietnamese, 14 Mar 2021 in English.
func (s *Site) FormatDate(d Date) string {
	if s.Language == "en" {
		return strconv.Itoa(d.Day) + " " + monthsEN[d.Month-1] + " " + strconv.Itoa(d.Year)
	}
	return fmt.Sprintf("%02d/%02d/%d", d.Day, int(d.Month), d.Year)
}

// DateLine is the place-and-date line of printed forms, the place from
// [form]: "Bắc Kạn, ngày 04 tháng 3 năm 2021", or "Riverton, 4 March 2021"
// in English; without a place, "Ngày 04 tháng 3 năm 2021". In Vietnamese,
// days 1-9 and months 1-2 take a leading zero (Decree 30/2020/ND-CP).
func (s *Site) DateLine(d Date) string {
	var line string
	if s.Language == "en" {
		line = fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year)
	} else {
		month := strconv.Itoa(int(d.Month))
		if d.Month <= 2 {
			month = "0" + month
		}
		line = fmt.Sprintf("ngày %02d tháng %s năm %d", d.Day, month, d.Year)
		if s.Form.Place == "" {
			return "N" + line[1:]
		}
	}
	if s.Form.Place == "" {
		return line
	}
	return s.Form.Place + ", " + line
}

// HeadDateLine is the place-and-date line of a resolved head: with its
// issue date, "Hà Nội, ngày 04 tháng 3 năm 2021"; without one, a line to
// fill in at signing, "Hà Nội, ngày ... tháng ... năm 2021" (the year of
// the site's election day), or "Hà Nội, .... 2021" in English. Without a
// place the line starts with "Ngày".
func (s *Site) HeadDateLine(h *Head) string {
	place := ""
	if h != nil {
		place = h.Place
	}
	var line string
	switch {
	case h != nil && h.Issued != nil && s.Language == "en":
		d := *h.Issued
		line = fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year)
	case h != nil && h.Issued != nil:
		d := *h.Issued
		month := strconv.Itoa(int(d.Month))
		if d.Month <= 2 {
			month = "0" + month
		}
		line = fmt.Sprintf("ngày %02d tháng %s năm %d", d.Day, month, d.Year)
	case s.Language == "en":
		line = fmt.Sprintf("........ %d", s.ElectionDay.Year)
	default:
		line = fmt.Sprintf("ngày ... tháng ... năm %d", s.ElectionDay.Year)
	}
	if place == "" {
		if s.Language == "en" {
			return line
		}
		return "N" + line[1:]
	}
	return place + ", " + line
}
