// Package xlsx writes sign-off workbooks and reads filled ones back. One
// file, this one, owns the layout both directions share.
//
// # The workbook
//
// xlsx/units/<code>.xlsx holds the unit's own checklist sheet, then one
// sheet per direct child, a summary sheet with live formulas, and a
// very hidden "_meta" sheet. xlsx/levels/<level>.xlsx holds the level's
// blank form the same way. A checklist sheet is:
//
//	row 1        the head of the unit's papers (plan.Head): the issuing body
//	             left (A-C), the national title and motto right (D-I)
//	row 2        the number ("Số: ...") left; the place and date line right
//	row 3        the checklist's title and the unit's name; the subject
//	row 4        unit, code, level, election day, checklist version
//	row 6        column headers (repeated on every printed page)
//	row 7...     one row per task, then one indented row per item of it
//	after them   a row marked "#end" in column J, then the signature block
//
// The rows are numbered as on the unit's web page and PDF; a task's title
// cites its plan's number (and the statutory task's it carries out). The
// deadline column writes the deadline as the PDF does: a window's start,
// the day and time, the days from the election day ("(E-20 – E-5)").
//
// Columns A-E (No., task, responsible, supporting, deadline) are locked;
// F-I (status, date done, confirmed by, notes) are the answers. Column L,
// hidden and locked, holds each task's deadline as a date for the overdue
// formulas. Column J,
// hidden and locked, holds what the reader needs: J1 the unit code (or
// "level:<id>" on a level's blank form), J2 the checklist version, J6
// "#head", and on every task row the task key "<plan>/<task>", on an item
// row "<plan>/<task>#<n>" (n from 1). Rows are matched by these keys, never
// by their number.
//
// Dates follow the site's language, as its pages write them: dd/mm/yyyy
// in Vietnamese, "9 Mar 2026" in English. A date cell (a serial number)
// means one day whatever the user's locale; a date typed as text is read
// in the workbook's language or as yyyy-mm-dd, and text that reads as two
// days (9/3/2026 in English) is refused with its cell.
//
// The _meta sheet holds key/value rows (format, site, organisation, kind,
// code, date, language, the three status labels, the summary sheet's
// name), then, after a row starting "sheet", one row per checklist sheet:
// its name, unit code, level id, checklist version and number of rows.
//
// # Writing
//
// WriteUnit and WriteLevel render a whole workbook with excelize. Render
// assembles the units' workbooks instead (assemble.go): per checklist,
// one workbook rendered by excelize and kept deflated; per unit, only
// the parts that name it. Both write the same cells, styles,
// validations, protection and print setup; the assembled one holds its
// text as inline strings rather than a shared string table.
package xlsx

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"checkgen/generator/plan"
)

// Format names the layout; a reader refuses workbooks of another format.
const Format = "checkgen-signoff/1"

// ReportFormat marks a completion report written by the report package,
// so that reading one back is recognised and skipped.
const ReportFormat = "checkgen-report/1"

// Kinds of workbook, as stored in _meta.
const (
	KindUnit   = "unit"   // xlsx/units/<code>.xlsx
	KindLevel  = "level"  // xlsx/levels/<level>.xlsx, a blank form naming no unit
	KindReport = "report" // a completion report
)

// MetaSheet is the very hidden sheet holding the workbook's metadata.
const MetaSheet = "_meta"

// Rows and columns of a checklist sheet.
const (
	headRow  = 6 // the column headers
	firstRow = 7 // the first task

	colNo        = "A"
	colTask      = "B"
	colResp      = "C"
	colSupport   = "D"
	colDue       = "E"
	colStatus    = "F"
	colDate      = "G"
	colConfirmer = "H"
	colNotes     = "I"
	colKey       = "J"
	colDueDate   = "L"      // hidden: the deadline as a date, for the overdue formulas
	lastCol      = colNotes // the last visible column

	headMark = "#head"
	endMark  = "#end"
	levelTag = "level:" // J1 of a level's blank form
)

// column is one visible column of a checklist sheet.
type column struct {
	name  string  // its letter
	label string  // the label key of its header
	width float64 // in characters
}

var columns = []column{
	{colNo, "no", 5},
	{colTask, "task", 52},
	{colResp, "responsible", 18},
	{colSupport, "support", 18},
	{colDue, "due", 16},
	{colStatus, "status", 15},
	{colDate, "date_done", 14},
	{colConfirmer, "confirmed_by", 18},
	{colNotes, "notes", 24},
}

// answerCols are the columns a user fills in, checked for formulas on read.
var answerCols = []string{colStatus, colDate, colConfirmer, colNotes}

// Status is an answer in the status column.
type Status int

// The statuses. Blank is an empty cell; Unknown is text that is none of
// the labels.
const (
	Blank Status = iota
	Done
	NotDone
	NotApplicable
	Unknown
)

// statusKeys are the label keys of Done, NotDone and NotApplicable.
var statusKeys = []string{"done", "not_done", "not_applicable"}

// String returns the status's label key ("done"), "blank" or "unknown".
func (s Status) String() string {
	switch s {
	case Done, NotDone, NotApplicable:
		return statusKeys[s-Done]
	case Blank:
		return "blank"
	}
	return "unknown"
}

// Meta keys of the _meta sheet.
const (
	metaFormat       = "format"
	metaSite         = "site"
	metaOrganisation = "organisation"
	metaKind         = "kind"
	metaCode         = "code"
	metaDate         = "date"
	metaLanguage     = "language"
	metaStatus       = "status"
	metaSummary      = "summary"
	metaSheetHead    = "sheet"
)

// ItemKey returns the key of item n (from 1) of the task with key task.
func ItemKey(task string, n int) string { return fmt.Sprintf("%s#%d", task, n) }

// SplitKey splits a row key into its task key and item number (0 for a
// task row). ok is false when key is not a row key.
func SplitKey(key string) (task string, item int, ok bool) {
	task, num, hasItem := strings.Cut(key, "#")
	p, t, found := strings.Cut(task, "/")
	if !found || p == "" || t == "" || strings.ContainsAny(t, "/ ") {
		return "", 0, false
	}
	if !hasItem {
		return task, 0, true
	}
	if _, err := fmt.Sscanf(num, "%d", &item); err != nil || item < 1 || fmt.Sprint(item) != num {
		return "", 0, false
	}
	return task, item, true
}

// excelEpoch is day 0 of Excel's 1900 date system, as Excel counts it
// from 1 March 1900 on.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serial returns the Excel serial number of a day.
func serial(d plan.Date) int { return int(d.Time().Sub(excelEpoch).Hours() / 24) }

// momentSerial returns the serial of a moment, with its time of day.
func momentSerial(m *plan.Moment) float64 {
	return float64(serial(m.Date)) + float64(m.Hour*60+m.Minute)/(24*60)
}

// serialDate returns the day of an Excel serial number; ok is false
// outside 1900-03-01..9999-12-31.
func serialDate(v float64) (plan.Date, bool) {
	if v < 61 || v >= 2958466 {
		return plan.Date{}, false
	}
	return plan.DateOf(excelEpoch.AddDate(0, 0, int(v))), true
}

// dateNumFmt is the number format of date cells in language lang. Dates
// follow the site's language, as plan.Site.FormatDate writes them:
// dd/mm/yyyy in Vietnamese; in English "9 Mar 2026", which cannot be read
// two ways (9/3/2026 is 9 March in London and September 3 in New York),
// and shows the user which day Excel took a typed date for. The English
// format carries a locale tag so that the month's name is English
// whatever the user's Excel is set to.
func dateNumFmt(lang string, withTime bool) string {
	f := "dd/mm/yyyy"
	if lang == "en" {
		f = "[$-409]d mmm yyyy"
	}
	if withTime {
		f += " hh:mm"
	}
	return f
}

// dateHint says how to type a day in a workbook of language lang.
func dateHint(lang string) string {
	if lang == "vi" {
		return "dd/mm/yyyy"
	}
	return "d Mmm yyyy (9 Mar 2026) or yyyy-mm-dd (2026-03-09)"
}

// formatDate writes a day as the workbook's language does.
func formatDate(lang string, d plan.Date) string { return (&plan.Site{Language: lang}).FormatDate(d) }

// parseDateText reads a day typed as text in a workbook of language lang.
// Accepted everywhere: yyyy-mm-dd, and a day with the month as a word
// ("9 Mar 2026", "9 March 2026", "Mar 9, 2026"). Numbers only: in
// Vietnamese d/m/yyyy (also with - or .); in any other language the
// order is not known, so 25/3/2026 and 3/25/2026 are both 25 March, and
// text that reads as two days (9/3/2026) is refused. On failure msg says
// what is wrong and what to type instead.
func parseDateText(s, lang string) (d plan.Date, msg string) {
	s = strings.TrimSpace(s)
	bad := fmt.Sprintf("bad date %q: type a day as %s", s, dateHint(lang))
	if len(s) >= 10 && s[4] == '-' && isDigits(s[:4]) {
		if t, err := time.Parse("2006-01-02", s[:10]); err == nil && (len(s) == 10 || s[10] == 'T' || s[10] == ' ') {
			return plan.DateOf(t), ""
		}
		return plan.Date{}, bad
	}
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '/' || r == '-' || r == '.' || r == ',' })
	if len(f) != 3 || len(f[2]) != 4 || !isDigits(f[2]) {
		return plan.Date{}, bad
	}
	y, _ := strconv.Atoi(f[2])
	if m, ok := monthName(f[1]); ok { // 9 Mar 2026
		if d, ok := day(y, m, f[0]); ok {
			return d, ""
		}
		return plan.Date{}, bad
	}
	if m, ok := monthName(f[0]); ok { // Mar 9, 2026
		if d, ok := day(y, m, f[1]); ok {
			return d, ""
		}
		return plan.Date{}, bad
	}
	a, okA := small(f[0])
	b, okB := small(f[1])
	if !okA || !okB {
		return plan.Date{}, bad
	}
	dm, okDM := day(y, b, f[0])
	if lang == "vi" {
		if okDM {
			return dm, ""
		}
		return plan.Date{}, bad
	}
	md, okMD := day(y, a, f[1])
	switch {
	case okDM && okMD && dm != md:
		return plan.Date{}, fmt.Sprintf("ambiguous date %q: %s or %s? type the month as a word, or the day as yyyy-mm-dd",
			s, formatDate("en", dm), formatDate("en", md))
	case okDM:
		return dm, ""
	case okMD:
		return md, ""
	}
	return plan.Date{}, bad
}

// day returns day d (digits) of month m of year y, when there is one.
func day(y, m int, d string) (plan.Date, bool) {
	n, ok := small(d)
	if !ok || y < 1900 || y > 9999 || m < 1 || m > 12 {
		return plan.Date{}, false
	}
	t := time.Date(y, time.Month(m), n, 0, 0, 0, 0, time.UTC)
	if t.Day() != n {
		return plan.Date{}, false // 31/02 and the like
	}
	return plan.DateOf(t), true
}

// small reads one or two digits.
func small(s string) (int, bool) {
	if len(s) == 0 || len(s) > 2 || !isDigits(s) {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// monthName reads an English month's name or its first three letters
// (and "Sept"), in any case.
func monthName(s string) (int, bool) {
	if len(s) < 3 {
		return 0, false
	}
	s = strings.ToLower(s)
	for m := time.January; m <= time.December; m++ {
		full := strings.ToLower(m.String())
		if s == full || s == full[:3] || (m == time.September && s == "sept") {
			return int(m), true
		}
	}
	return 0, false
}

// SheetNameLen is Excel's limit on a sheet's name, in UTF-16 code units:
// a character outside the Basic Multilingual Plane (an emoji, a CJK
// Extension B ideograph) takes two.
const SheetNameLen = 31

// SheetName makes s a name Excel accepts for a sheet: each of []:*?/\
// becomes -, a control character a space, no space or apostrophe at
// either end, and at most SheetNameLen UTF-16 units, cut between
// characters. It may return "" (then use another name). Every sheet
// checkgen names goes through it: the sign-off workbooks' and the
// report's.
func SheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '[', ']', ':', '*', '?', '/', '\\':
			return '-'
		}
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = trimName(s)
	n := 0
	for i, r := range s {
		n += utf16.RuneLen(r)
		if n > SheetNameLen {
			s = trimName(s[:i])
			break
		}
	}
	return s
}

// trimName trims spaces and apostrophes at both ends (Excel refuses a
// name that starts or ends with an apostrophe).
func trimName(s string) string {
	for {
		t := strings.Trim(strings.TrimSpace(s), "'")
		if t == s {
			return s
		}
		s = t
	}
}

// sheetNameUnits is the length of a sheet name as Excel counts it.
func sheetNameUnits(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// UniqueSheetName returns the first of names that, made a sheet name by
// SheetName, is not in taken (compared without case, as Excel does; Excel
// also reserves "History"), and adds it to taken. When every one is taken
// it numbers the last, "Name (2)", "Name (3)"..., cutting the name so
// that the number fits.
func UniqueSheetName(taken map[string]bool, names ...string) string {
	try := func(s string) bool {
		k := strings.ToLower(s)
		if s == "" || taken[k] || k == "history" {
			return false
		}
		taken[k] = true
		return true
	}
	for _, n := range names {
		if c := SheetName(n); try(c) {
			return c
		}
	}
	base := ""
	if len(names) > 0 {
		base = SheetName(names[len(names)-1])
	}
	for n := 2; ; n++ {
		suffix := fmt.Sprintf(" (%d)", n)
		b := base
		for b != "" && sheetNameUnits(b+suffix) > SheetNameLen {
			_, size := utf8.DecodeLastRuneInString(b)
			b = b[:len(b)-size]
		}
		if c := SheetName(b + suffix); try(c) {
			return c
		}
	}
}

// quoteSheet quotes a sheet name for use in a formula: 'Tổ 1'!A1.
func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

// formulaString quotes s as a string literal inside a formula.
func formulaString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// criterionEq is a COUNTIF criterion matching exactly s: "=" in front, so
// that a label starting with < > = is not read as an operator, and the
// wildcards * ? ~ escaped.
func criterionEq(s string) string { return formulaString("=" + wildcards.Replace(s)) }

var wildcards = strings.NewReplacer("~", "~~", "*", "~*", "?", "~?")

// footerText escapes & in text placed in a header or footer.
func footerText(s string) string { return strings.ReplaceAll(s, "&", "&&") }
