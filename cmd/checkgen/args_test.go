package main

import (
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		args       []string
		positional []string
		asOf, s    string
	}{
		{[]string{"a.xlsx", "--as-of", "2026-10-01"}, []string{"a.xlsx"}, "2026-10-01", "."},
		{[]string{"--as-of=2026-10-01", "a.xlsx", "b", "-s", "site"}, []string{"a.xlsx", "b"}, "2026-10-01", "site"},
		{[]string{"a", "-s", "x", "b", "--as-of", "d"}, []string{"a", "b"}, "d", "x"},
		{[]string{"a", "--", "-s", "x"}, []string{"a", "-s", "x"}, "", "."},
		{[]string{"-", "b"}, []string{"-", "b"}, "", "."},
		{nil, nil, "", "."},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		asOf := fs.String("as-of", "", "")
		s := fs.String("s", ".", "")
		pos, err := parseInterspersed(fs, tt.args)
		if err != nil || !slices.Equal(pos, tt.positional) || *asOf != tt.asOf || *s != tt.s {
			t.Errorf("parseInterspersed(%q) = %q, %v; --as-of %q, -s %q; want %q, --as-of %q, -s %q",
				tt.args, pos, err, *asOf, *s, tt.positional, tt.asOf, tt.s)
		}
	}
}

// A flag after a positional argument is honoured or is a usage error,
// never read as a file name or ignored.
func TestFlagsAfterArguments(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		// --as-of is parsed (and found malformed), not taken for a file.
		{[]string{"report", "nofile.xlsx", "--as-of", "1/10/2026"}, exitUsage, "--as-of"},
		{[]string{"report", "nofile.xlsx", "--bogus"}, exitUsage, "flag provided but not defined: -bogus"},
		{[]string{"check", "extra", "-s", "../.."}, exitUsage, `unexpected argument "extra"`},
		{[]string{"build", "--formats", "html", "extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"init", "dir", "--bogus"}, exitUsage, "flag provided but not defined: -bogus"},
		{[]string{"check", "-s", "../..", "--", "-x"}, exitUsage, `unexpected argument "-x"`},
	}
	for _, tt := range tests {
		code, out, errOut := runCheckgen(t, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("checkgen %q: exit %d, output %q; want exit %d and %q", tt.args, code, out+errOut, tt.code, tt.want)
		}
	}
}

// `report FILE --as-of D` reports as of D, not today (issue 11 item 2).
func TestReportAsOfAfterFiles(t *testing.T) {
	site, dest := builtStarter(t)
	code, out, errOut := runCheckgen(t, "report", "-s", site, filepath.Join(dest, "xlsx", "units"), "--as-of", "2027-05-20")
	if code != exitOK || !strings.Contains(out, "as of 2027-05-20:") {
		t.Errorf("report DIR --as-of 2027-05-20: exit %d, stdout %q, stderr %q; want the report as of 2027-05-20", code, out, errOut)
	}
}
