package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// builtStarter writes the starter site and builds its workbooks.
func builtStarter(t *testing.T) (site, dest string) {
	t.Helper()
	site = starterSite(t)
	dest = filepath.Join(site, "public")
	if code, _, stderr := runCheckgen(t, "build", "-s", site, "--formats", "xlsx"); code != 0 {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	return site, dest
}

// fillCopy copies a built workbook to dst and types cells into the sheet
// of unit, rows found by task key in the hidden column J.
func fillCopy(t *testing.T, src, dst, sheet string, cells map[string]map[string]string) {
	t.Helper()
	f, err := excelize.OpenFile(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for key, cols := range cells {
		r := 0
		for i, row := range rows {
			if len(row) > 9 && row[9] == key {
				r = i + 1
			}
		}
		if r == 0 {
			t.Fatalf("no row %s in %s", key, sheet)
		}
		for col, v := range cols {
			ref, _ := excelize.JoinCellName(col, r)
			if err := f.SetCellStr(sheet, ref, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(dst); err != nil {
		t.Fatal(err)
	}
}

func TestReportUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"report"}, "no files: give the filled workbooks and report.json files, or directories holding them"},
		{[]string{"report", "--as-of", "04/06/2027", "x.xlsx"}, `--as-of "04/06/2027": want a date as YYYY-MM-DD`},
		{[]string{"report", "--as-of", "2027-02-30", "x.xlsx"}, `--as-of "2027-02-30": want a date as YYYY-MM-DD`},
	}
	for _, tt := range tests {
		code, out, errOut := runCheckgen(t, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) || !strings.Contains(errOut, "checkgen report -h") {
			t.Errorf("checkgen %q: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, out, errOut, tt.want)
		}
	}
}

// TestReportClean: blank workbooks read cleanly: exit 0, nothing returned.
func TestReportClean(t *testing.T) {
	site, dest := builtStarter(t)
	code, out, errOut := runCheckgen(t, "report", "-s", site, "--as-of", "2027-06-04", filepath.Join(dest, "xlsx", "units"))
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q; want 0 and nothing", code, errOut)
	}
	for _, want := range []string{
		"as of 2027-06-04: 4 files, 7 sheets read\n",
		"scope: the whole site\n",
		"  Polling station:         0 of 2 returned\n",
		"total: 0 of 4 units returned, completion –, 0 tasks overdue\n",
		"wrote " + filepath.Join(dest, "report", "index.html"),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}

// TestReportProblems: bad files and cells are listed, one line each; the
// rest is still counted and the report written; exit 1.
func TestReportProblems(t *testing.T) {
	site, dest := builtStarter(t)
	filled := filepath.Join(t.TempDir(), "filled")
	units := filepath.Join(dest, "xlsx", "units")
	fillCopy(t, filepath.Join(units, "RV-N-01.xlsx"), filepath.Join(filled, "RV-N-01.xlsx"), "Station 1, Town Hall", map[string]map[string]string{
		"preparation/check-materials": {"F": "Done", "H": "An"},
		"preparation/security":        {"F": "xong"},
	})
	fillCopy(t, filepath.Join(units, "RV-N-02.xlsx"), filepath.Join(filled, "sub", "RV-N-02.xlsx"), "Station 2, Harbour Island", map[string]map[string]string{
		"preparation/boat": {"F": "Not done"},
	})
	if err := os.WriteFile(filepath.Join(filled, "csv.xlsx"), []byte("code,status\nRV-N,Done\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A stale file in an old report must not survive: report/ is replaced.
	if err := os.MkdirAll(filepath.Join(dest, "report"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, "report", "stale.html"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(filled, "missing.xlsx")
	code, out, errOut := runCheckgen(t, "report", "-s", site, "--as-of", "2027-06-04", filled, missing)
	if code != exitContent {
		t.Errorf("exit %d, want 1", code)
	}
	wantErr := strings.Join([]string{
		filepath.Join(filled, "RV-N-01.xlsx") + `:Station 1, Town Hall!F13: unknown status "xong" (use "Done", "Not done" or "Not applicable")`,
		filepath.Join(filled, "csv.xlsx") + ": is a text file (CSV?), not an Excel workbook: fill in the .xlsx workbook checkgen wrote",
		missing + ": no such file or directory",
		"3 problems, 0 warnings",
		"",
	}, "\n")
	if errOut != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, wantErr)
	}
	for _, want := range []string{
		"as of 2027-06-04: 3 files, 2 sheets read\n",
		"scope: the whole site\n",
		"  Polling station:         2 of 2 returned, completion 14%, 1 overdue\n",
		"total: 2 of 4 units returned, completion 14%, 1 task overdue\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "report", "index.html")); err != nil {
		t.Errorf("no report written: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dest, "report", "stale.html")); err == nil {
		t.Errorf("report/stale.html survived: report/ was not replaced")
	}
	// A later build keeps report/.
	if code, _, stderr := runCheckgen(t, "build", "-s", site, "--formats", "xlsx"); code != 0 {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dest, "report", "report.xlsx")); err != nil {
		t.Errorf("build removed report/: %v", err)
	}
}

// TestReportWarnings: warnings are printed but do not fail the run.
func TestReportWarnings(t *testing.T) {
	site, dest := builtStarter(t)
	code, _, errOut := runCheckgen(t, "report", "-s", site, "-d", filepath.Join(t.TempDir(), "out"), filepath.Join(dest, "xlsx", "levels", "city.xlsx"))
	want := filepath.Join(dest, "xlsx", "levels", "city.xlsx") + ":City: warning: the blank form of level \"City\": skipped\n0 problems, 1 warning\n"
	if code != exitOK || errOut != want {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 0 and:\n%s", code, errOut, want)
	}
}

// TestReportNameWithLineBreak: a workbook whose name holds a line break
// still gives one line per problem, its name quoted.
func TestReportNameWithLineBreak(t *testing.T) {
	site, _ := builtStarter(t)
	filled := t.TempDir()
	if err := os.WriteFile(filepath.Join(filled, "a\nb.xlsx"), []byte("code,status\nRV-N,Done\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCheckgen(t, "report", "-s", site, "-d", t.TempDir(), "--as-of", "2027-06-04", filled)
	want := `"` + filled + `/a\nb.xlsx": is a text file (CSV?), not an Excel workbook: fill in the .xlsx workbook checkgen wrote` + "\n" +
		"1 problem, 0 warnings\n"
	if code != exitContent || errOut != want {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and:\n%s", code, errOut, want)
	}
}

// TestReportScope: --scope reports on a unit and its subtree; an unknown
// code is a usage error.
func TestReportScope(t *testing.T) {
	site, dest := builtStarter(t)
	code, _, errOut := runCheckgen(t, "report", "-s", site, "--scope", "NOPE", filepath.Join(dest, "xlsx", "units"))
	if code != exitUsage || !strings.Contains(errOut, `--scope "NOPE": no such unit in `+site) {
		t.Errorf("--scope NOPE: exit %d, stderr %q; want 2 and the code named", code, errOut)
	}
	code, out, errOut := runCheckgen(t, "report", "-s", site, "--scope", "RV-N", "--as-of", "2027-06-04", filepath.Join(dest, "xlsx", "units"))
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q; want 0 and nothing", code, errOut)
	}
	for _, want := range []string{
		"scope: RV-N North district and the units below it\n",
		"total: 0 of 3 units returned, completion –, 0 tasks overdue\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}
