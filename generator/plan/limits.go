package plan

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"
)

// Limits on content, so that hostile or mistaken input gives an error with
// its place instead of a hang, a run-away allocation or a failure deep in a
// renderer. The package doc lists them under "Limits".
const (
	// MaxTOMLSize is the largest TOML content file, in bytes: 40 times
	// the largest example plan, and about 8,000 units in units.toml (more
	// belong in units.csv). The TOML decoder takes up to seconds for it.
	MaxTOMLSize = 1 << 20
	// MaxCSVSize is the largest units.csv, in bytes (a national tree of
	// 100,000 units is about 7 MB).
	MaxCSVSize = 128 << 20
	// MaxDepth is the deepest nesting of arrays and inline tables in a
	// TOML file (the TOML decoder's time and memory grow steeply with it).
	MaxDepth = 32
	// MaxNesting is the most arrays and inline tables a TOML file may
	// hold, each counted by its depth, arrays of depth 1 not counted.
	MaxNesting = 100_000
	// MaxIDLength is the longest unit code, id or plan file name, in
	// characters: they become folder and file names and print in footers.
	MaxIDLength = 64
	// MaxLabelLength is the longest label in site.toml [labels], in
	// characters; sentence labels may be MaxSentenceLabelLength and the
	// page footer's "page" and "of" MaxFooterLabelLength.
	MaxLabelLength         = 60
	MaxSentenceLabelLength = 120
	MaxFooterLabelLength   = 30
)

// sentenceLabels are the labels that print as a sentence of their own
// rather than in a table header, a footer or a button.
var sentenceLabels = map[string]bool{
	"no_tasks": true, "no_deadlines": true, "search_hint": true, "search_none": true,
	"skip": true, "replaced_character": true, "sign_hint": true,
}

// footerLabels share the workbook's page footer, which Excel caps at 255
// characters, with the code and the checklist version.
var footerLabels = map[string]bool{"page": true, "of": true}

// labelLimit is the longest a label may be.
func labelLimit(key string) int {
	switch {
	case footerLabels[key]:
		return MaxFooterLabelLength
	case sentenceLabels[key]:
		return MaxSentenceLabelLength
	}
	return MaxLabelLength
}

// checkLabel says what is wrong with a label's text, or "".
func checkLabel(key, v string) string {
	if strings.ContainsAny(v, "\n\r") {
		return fmt.Sprintf("label %q must be one line", key)
	}
	if n, limit := utf8.RuneCountInString(v), labelLimit(key); n > limit {
		return fmt.Sprintf("label %q is %d characters long, more than the %d that printed forms and workbooks have room for: shorten it", key, n, limit)
	}
	return ""
}

// maxSize is the size limit of a content file.
func maxSize(name string) int64 {
	if name == UnitsCSV {
		return MaxCSVSize
	}
	return MaxTOMLSize
}

// readRegular reads a content file that must be a regular file of at most
// limit bytes. It refuses pipes, devices and sockets (also behind a
// symbolic link) before opening them, and reads at most limit+1 bytes
// whatever the file's size claims, so no file can hang or flood the load.
// The message says what is wrong.
func readRegular(fsys fs.FS, name string, limit int64) ([]byte, string) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, fmt.Sprintf("cannot read: %v", err)
	}
	if msg := notRegular(st.Mode()); msg != "" {
		return nil, msg
	}
	if st.Size() > limit {
		return nil, tooLarge(st.Size(), limit)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Sprintf("cannot read: %v", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil {
		if msg := notRegular(st.Mode()); msg != "" {
			return nil, msg // replaced since the first look
		}
	}
	// Room for the size the file had, so that a large units.csv is read
	// without growing the buffer; more is read if it grew since.
	buf := bytes.NewBuffer(make([]byte, 0, min(st.Size(), limit)+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, fmt.Sprintf("cannot read: %v", err)
	}
	if int64(buf.Len()) > limit {
		return nil, tooLarge(-1, limit)
	}
	return buf.Bytes(), ""
}

func notRegular(m fs.FileMode) string {
	if m.IsRegular() {
		return ""
	}
	what := "not a regular file"
	switch {
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeDevice != 0:
		what = "a device"
	case m&fs.ModeSymlink != 0:
		what = "a symbolic link that cannot be followed"
	}
	return "is " + what + ", not a regular file: content files must be plain files; replace it with a copy of the file"
}

func tooLarge(size, limit int64) string {
	if size < 0 {
		return fmt.Sprintf("is larger than the limit of %s for this content file: split it or remove what it does not need", mib(limit))
	}
	return fmt.Sprintf("is %s, larger than the limit of %s for this content file: split it or remove what it does not need", mib(size), mib(limit))
}

func mib(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}

// tooDeep finds where the arrays and inline tables of a TOML text nest
// more than the decoder can take in bounded time and memory, by one scan of
// its brackets and braces outside strings, comments and table headers: any
// bracket deeper than MaxDepth, or the one where the nesting weight of the
// file passes MaxNesting. It returns the byte offset of that bracket and
// what is wrong, or -1 and "".
//
// The decoder's work grows with the depth of every array and inline table,
// so each weighs its depth, except an array of depth 1 (levels = ["a"]),
// which weighs nothing: the format's lists of strings are all of that kind,
// and its sign tables weigh 2 each.
func tooDeep(src string) (int, string) {
	depth, weight := 0, 0
	lineStart := true // only blanks since the start of the line
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\n' {
			lineStart = true
			continue
		}
		if c == ' ' || c == '\t' || c == '\r' {
			continue
		}
		header := lineStart && depth == 0 && c == '['
		lineStart = false
		switch {
		case header:
			// [table] or [[table]]: skip to the end of the line.
			for i < len(src) && src[i] != '\n' && src[i] != '#' {
				if src[i] == '"' || src[i] == '\'' {
					i = skipString(src, i)
					continue
				}
				i++
			}
			i--
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			i--
		case c == '"' || c == '\'':
			i = skipString(src, i) - 1
		case c == '[' || c == '{':
			depth++
			if depth > MaxDepth {
				return i, fmt.Sprintf("arrays and inline tables nest more than %d deep: write the inner tables as [table] or [[table]] sections", MaxDepth)
			}
			if c == '{' || depth > 1 {
				weight += depth
			}
			if weight > MaxNesting {
				return i, fmt.Sprintf("too many nested arrays and inline tables (more than %d, counting each by its depth): a content file needs far fewer; write tables as [table] or [[table]] sections", MaxNesting)
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return -1, ""
}

// skipString returns the offset just after the string that starts at
// src[i] (a quote): basic or literal, single-line or multi-line. An
// unterminated single-line string ends at the end of its line.
func skipString(src string, i int) int {
	q := src[i]
	if strings.HasPrefix(src[i:], strings.Repeat(string(q), 3)) {
		j := i + 3
		for j < len(src) {
			if q == '"' && src[j] == '\\' {
				j += 2
				continue
			}
			if strings.HasPrefix(src[j:], strings.Repeat(string(q), 3)) {
				j += 3
				for j < len(src) && src[j] == q { // up to two quotes may close it too
					j++
				}
				return j
			}
			j++
		}
		return len(src)
	}
	j := i + 1
	for j < len(src) && src[j] != '\n' {
		if q == '"' && src[j] == '\\' {
			j += 2
			continue
		}
		if src[j] == q {
			return j + 1
		}
		j++
	}
	return j
}

// reservedNames are the device names that Windows refuses as a file or
// folder name, with or without an extension, in any case.
var reservedNames = func() map[string]bool {
	m := map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true}
	for d := '0'; d <= '9'; d++ {
		m["COM"+string(d)] = true
		m["LPT"+string(d)] = true
	}
	return m
}()

// checkName says what is wrong with an id or unit code that already
// matches its pattern, or "": too long, a Windows device name, or (for
// codes) a trailing dot, which Windows drops, so that "A." and "A" would
// share one folder.
func checkName(v, kind string) string {
	if n := utf8.RuneCountInString(v); n > MaxIDLength {
		return fmt.Sprintf("%s is %d characters long, more than %d: it becomes a file name and prints in page footers; shorten it", kind, n, MaxIDLength)
	}
	base, _, _ := strings.Cut(v, ".")
	if reservedNames[strings.ToUpper(base)] {
		return fmt.Sprintf("%s %q is a device name on Windows (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9, with or without an extension), so its output files could not be opened there: choose another", kind, v)
	}
	if strings.HasSuffix(v, ".") {
		return fmt.Sprintf("%s %q ends with '.', which Windows drops from file names (it would share the output folder of %q): remove the dot", kind, v, strings.TrimRight(v, "."))
	}
	return ""
}

// The dates a workbook can hold: Excel's day numbers are right from 1 March
// 1900 (it counts a 29 February 1900 that never was) to 31 December 9999.
var (
	firstDate = Date{1900, 3, 1}
	lastDate  = Date{9999, 12, 31}
)

// inRange reports whether a date can be written to a workbook.
func inRange(d Date) bool { return !d.Before(firstDate) && !lastDate.Before(d) }

// rangeHint says which dates are accepted.
const rangeHint = "dates must lie between 1900-03-01 and 9999-12-31, the days a spreadsheet can hold"
