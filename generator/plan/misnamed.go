package plan

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"time"
)

// Files that an editor saved under a name the loader does not read
// (Notepad's "units.csv.txt", "PLAN.TOML") and dates written day first are
// common first mistakes; they are reported with what to write instead of
// being skipped or reported as bare syntax errors.

// contentFiles are the files of content/ that the loader reads by name.
var contentFiles = []string{"site.toml", "bodies.toml", "units.toml", "units.csv"}

// misnamedFiles reports each file of content/ whose name is one of
// contentFiles but for its case or an added ".txt", when the file it
// stands for is absent (so it would be silently unused).
func (s *Set) misnamedFiles(fsys fs.FS) {
	entries, err := fs.ReadDir(fsys, ContentDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			continue
		}
		lower := strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(name, ".txt"), ".TXT"))
		for _, want := range contentFiles {
			if lower != want || name == want {
				continue
			}
			if _, err := fs.Stat(fsys, path.Join(ContentDir, want)); err == nil {
				break // read under its right name (a case-insensitive disk), or a stray copy beside it
			}
			s.errs.Add(Pos{File: path.Join(ContentDir, name)}, "not read: rename it to %s%s", want, txtHint(name))
		}
	}
}

// misnamedPlan says what to do with a file of plans/ that is not read
// because its name does not end in ".toml", or "" for other files.
func misnamedPlan(name string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".toml"):
		return fmt.Sprintf("not read: a plan file's name ends in .toml in lower case: rename it to %s.toml", strings.ToLower(name[:len(name)-len(".toml")]))
	case strings.HasSuffix(lower, ".toml.txt"):
		return fmt.Sprintf("not read: rename it to %s%s", strings.ToLower(name[:len(name)-len(".toml.txt")])+".toml", txtHint(name))
	}
	return ""
}

func txtHint(name string) string {
	if strings.HasSuffix(strings.ToLower(name), ".txt") {
		return " (Notepad adds .txt: in its Save as dialog choose \"All files (*.*)\" and type the name)"
	}
	return ""
}

// dayFirstRE matches a key = a date written with slashes or dots, day or
// month first: election_day = 10/05/2026.
var dayFirstRE = regexp.MustCompile(`^\s*([A-Za-z0-9_.-]+)\s*=\s*([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})\b`)

var dayFirstValueRE = regexp.MustCompile(`^\s*([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})\s*$`)

// dayFirstDate recognises a syntax error on a line holding a date written
// day first (10/05/2026, which TOML cannot read) and says what to write,
// at the value.
func dayFirstDate(name, src string, pos Pos) (Pos, string) {
	lines := strings.Split(src, "\n")
	if pos.Line < 1 || pos.Line > len(lines) {
		return pos, ""
	}
	line := strings.TrimSuffix(lines[pos.Line-1], "\r")
	m := dayFirstRE.FindStringSubmatchIndex(line)
	if m == nil {
		return pos, ""
	}
	key, text := line[m[2]:m[3]], line[m[4]:m[1]]
	at := Pos{File: name, Line: pos.Line, Col: len([]rune(line[:m[4]])) + 1}
	iso := isoOfDayFirst(text)
	if iso == "" {
		return at, fmt.Sprintf("%s = %s is not a date TOML can read: write it year first, without quotes, like %s = 2021-05-23", key, text, key)
	}
	return at, fmt.Sprintf("%s = %s is not a date TOML can read: write it year first, without quotes: %s = %s (if %s is day/month/year)", key, text, key, iso, text)
}

// isoOfDayFirst turns "10/05/2026" or "10.5.2026" (day/month/year, as
// Vietnamese and most of the world write dates) into "2026-05-10", or "" if
// it is no such date.
func isoOfDayFirst(s string) string {
	m := dayFirstValueRE.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	t, err := time.Parse("2/1/2006", m[1]+"/"+m[2]+"/"+m[3])
	if err != nil {
		return ""
	}
	return t.Format("2006-01-02")
}
