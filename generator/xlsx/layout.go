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
//	row 1        the organisation
//	row 2        the checklist's title and the unit's name
//	row 3        unit, code, level, election day
//	row 4        checklist version; place and print date
//	row 6        column headers (rows 1-6 repeat on every printed page)
//	row 7...     one row per task, then one indented row per item of it
//	after them   a row marked "#end" in column J, then the signature block
//
// Columns A-E (No., task, responsible, supporting, deadline) are locked;
// F-I (status, date done, confirmed by, notes) are the answers. Column J,
// hidden and locked, holds what the reader needs: J1 the unit code (or
// "level:<id>" on a level's blank form), J2 the checklist version, J6
// "#head", and on every task row the task key "<plan>/<task>", on an item
// row "<plan>/<task>#<n>" (n from 1). Rows are matched by these keys, never
// by their number.
//
// The _meta sheet holds key/value rows (format, site, organisation, kind,
// code, date, language, the three status labels, the summary sheet's
// name), then, after a row starting "sheet", one row per checklist sheet:
// its name, unit code, level id, checklist version and number of rows.
package xlsx

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

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

// dmy formats a day as dd/mm/yyyy, the workbook's date format.
func dmy(d plan.Date) string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year) }

// parseDateText reads a date typed as text: d/m/yyyy (also with - or .)
// or yyyy-mm-dd.
func parseDateText(s string) (plan.Date, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 10 && s[4] == '-' {
		if t, err := time.Parse("2006-01-02", s[:10]); err == nil && (len(s) == 10 || s[10] == 'T' || s[10] == ' ') {
			return plan.DateOf(t), true
		}
		return plan.Date{}, false
	}
	for _, sep := range []string{"/", "-", "."} {
		parts := strings.Split(s, sep)
		if len(parts) != 3 {
			continue
		}
		var d, m, y int
		if _, err := fmt.Sscanf(parts[0]+" "+parts[1]+" "+parts[2], "%d %d %d", &d, &m, &y); err != nil {
			return plan.Date{}, false
		}
		if y < 1900 || y > 9999 || len(parts[2]) != 4 {
			return plan.Date{}, false
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d || int(t.Month()) != m {
			return plan.Date{}, false // 31/02 and the like
		}
		return plan.DateOf(t), true
	}
	return plan.Date{}, false
}

// sheetNameLen is Excel's limit on a sheet name, in UTF-16 units.
const sheetNameLen = 31

// cleanSheetName makes s a valid sheet name: no []:*?/\, no apostrophe at
// either end, at most 31 UTF-16 units.
func cleanSheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '[', ']', ':', '*', '?', '/', '\\':
			return '-'
		}
		if r < 0x20 {
			return ' '
		}
		return r
	}, s)
	s = strings.Trim(strings.TrimSpace(s), "'")
	var b strings.Builder
	n := 0
	for _, r := range s {
		w := len(utf16.Encode([]rune{r}))
		if n+w > sheetNameLen {
			break
		}
		n += w
		b.WriteRune(r)
	}
	return strings.Trim(strings.TrimSpace(b.String()), "'")
}

// quoteSheet quotes a sheet name for use in a formula: 'Tổ 1'!A1.
func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

// formulaString quotes s as a string literal inside a formula.
func formulaString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// criterionEq is a COUNTIF criterion matching exactly s: "=" in front, so
// that a label starting with < > = is not read as an operator, and the
// wildcards * ? ~ escaped.
func criterionEq(s string) string {
	return formulaString("=" + strings.NewReplacer("~", "~~", "*", "~*", "?", "~?").Replace(s))
}

// footerText escapes & in text placed in a header or footer.
func footerText(s string) string { return strings.ReplaceAll(s, "&", "&&") }
