//go:build e2e

package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"checkgen/generator/fixture"
	"checkgen/generator/plan"
	"checkgen/generator/xlsx"
)

// fillMacro is a LibreOffice Basic macro (its parameters are all strings:
// a macro URL with a number argument does not run) that does what a user does: opens
// a workbook, types answers into the rows whose hidden key matches, and
// saves it as .xlsx. spec is "key|status|date|confirmer;..." with the
// date as yyyy-mm-dd (typed as a real date) or "text:..." (typed as text).
const fillMacro = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Fill(inPath As String, outPath As String, sheetIndex As String, spec As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), &quot;_blank&quot;, 0, args())
  sh = doc.Sheets.getByIndex(CInt(sheetIndex))
  For Each item In Split(spec, &quot;;&quot;)
    f = Split(item, &quot;|&quot;)
    For r = 0 To 500
      If sh.getCellByPosition(9, r).getString() = f(0) Then
        If f(1) &lt;&gt; &quot;&quot; Then sh.getCellByPosition(5, r).setString(f(1))
        If Left(f(2), 5) = &quot;text:&quot; Then
          sh.getCellByPosition(6, r).setString(Mid(f(2), 6))
        ElseIf f(2) &lt;&gt; &quot;&quot; Then
          sh.getCellByPosition(6, r).setValue(DateSerial(Val(Left(f(2), 4)), Val(Mid(f(2), 6, 2)), Val(Mid(f(2), 9, 2))))
        End If
        If f(3) &lt;&gt; &quot;&quot; Then sh.getCellByPosition(7, r).setString(f(3))
        Exit For
      End If
    Next r
  Next item
  Dim save(0) As New com.sun.star.beans.PropertyValue
  save(0).Name = &quot;FilterName&quot;
  save(0).Value = &quot;Calc MS Excel 2007 XML&quot;
  doc.storeToURL(ConvertToURL(outPath), save())
  doc.close(True)
End Sub
</script:module>
`

// libreOfficeFill fills a workbook in LibreOffice with the macro above.
func libreOfficeFill(t *testing.T, in, out string, sheet int, spec string) {
	t.Helper()
	home := t.TempDir()
	// Start once to create the profile, then put the macro into it.
	fixture.Soffice(t, home, "--terminate_after_init")
	module := filepath.Join(home, ".config", "libreoffice", "4", "user", "basic", "Standard", "Module1.xba")
	if _, err := os.Stat(module); err != nil {
		t.Fatalf("LibreOffice made no user profile: %v", err)
	}
	must(t, os.WriteFile(module, []byte(fillMacro), 0o644))
	fixture.Soffice(t, home, `macro:///Standard.Module1.Fill("`+in+`","`+out+`","`+strconv.Itoa(sheet)+`","`+spec+`")`)
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("LibreOffice saved nothing: %v", err)
	}
}

// TestLibreOfficeRoundTrip: a real client fills and saves a workbook; the
// report reads back exactly what was typed.
func TestLibreOfficeRoundTrip(t *testing.T) {
	m := starterModel(t, nil)
	dir := t.TempDir()
	in := filepath.Join(dir, "RV-N.xlsx")
	must(t, os.WriteFile(in, book(t, m, "RV-N"), 0o644))
	out := filepath.Join(dir, "filled", "RV-N.xlsx")
	must(t, os.MkdirAll(filepath.Dir(out), 0o755))
	spec := strings.Join([]string{
		"preparation/appoint-teams|Done|2027-04-15|Trần Văn Bình",
		"preparation/train-teams|Not done|text:1 Jun 2027|",
		"preparation/security|xong||",
	}, ";")
	libreOfficeFill(t, in, out, 0, spec)
	// And the second station's sheet, in the same file.
	libreOfficeFill(t, out, out, 2, "preparation/boat|Not applicable||;preparation/check-materials#3|Done||")

	data, err := os.ReadFile(out)
	must(t, err)
	wb, err := xlsx.Read("filled/RV-N.xlsx", bytes.NewReader(data), xlsx.ReadOptions{Labels: labels(m)})
	if err != nil {
		t.Fatalf("reading the workbook LibreOffice saved: %v", err)
	}
	r := Build(m, []*xlsx.Workbook{wb}, nil, Options{AsOf: asOf})
	want := `filled/RV-N.xlsx:North district!F9: unknown status "xong" (use "Done", "Not done" or "Not applicable")`
	if got := problemLines(r); got != want {
		t.Errorf("problems:\n%s\nwant:\n%s", got, want)
	}
	rn := unitReport(t, r, "RV-N")
	if rn.State != Returned || rn.Counts != (Counts{Tasks: 3, Done: 1, NotDone: 1, Rejected: 1, Overdue: 1}) {
		t.Errorf("RV-N: %s %+v", rn.State.Key(), rn.Counts)
	}
	a := rn.Answers[0].Row
	if a == nil || a.Date == nil || *a.Date != (plan.Date{Year: 2027, Month: 4, Day: 15}) || a.Confirmer != "Trần Văn Bình" {
		t.Errorf("appoint-teams read back as %+v", a)
	}
	if b := rn.Answers[1].Row; b == nil || b.Date == nil || *b.Date != (plan.Date{Year: 2027, Month: 6, Day: 1}) {
		t.Errorf("train-teams (date typed as text) read back as %+v", b)
	}
	st := unitReport(t, r, "RV-N-02")
	if st.State != Returned || st.Counts != (Counts{Tasks: 4, NotApplicable: 1, Blank: 3}) {
		t.Errorf("RV-N-02: %s %+v", st.State.Key(), st.Counts)
	}
	if got := unitReport(t, r, "RV-N-01").State; got != Missing {
		t.Errorf("RV-N-01 (blank sheet) is %s, want returned nothing", got.Key())
	}
}

// TestLibreOfficeAmendment: the amendment round trip of TestAmendment
// with sheets LibreOffice filled and saved. LibreOffice keeps the hidden
// task keys (J) and task hashes (K) and the very hidden _meta sheet; after
// one task's title and another's due change, the unchanged rows count, the
// two changed rows are listed as answered against an older wording, and
// nothing else changes.
func TestLibreOfficeAmendment(t *testing.T) {
	old := starterModel(t, nil)
	prep := starterFile(t, "content/plans/preparation.toml")
	prep = replaceOnce(t, prep, `title       = "Check the station's materials"`, `title       = "Check the station's materials and seals"`)
	prep = replaceOnce(t, prep, `due         = "E 07:00"`, `due         = "E 06:30"`)
	amended := starterModel(t, map[string]string{"content/plans/preparation.toml": prep})

	dir := t.TempDir()
	files := map[string][]byte{}
	for code, spec := range map[string]string{
		"RV-N-01": "preparation/check-materials|Done|2027-06-03|An;preparation/open-station|Not done||;preparation/security|Done|2027-06-01|An",
		"RV-N-02": "preparation/boat|Done|2027-06-01|Lê C",
	} {
		blank := book(t, old, code)
		in, out := filepath.Join(dir, code+".xlsx"), filepath.Join(dir, "filled", code+".xlsx")
		must(t, os.MkdirAll(filepath.Dir(out), 0o755))
		must(t, os.WriteFile(in, blank, 0o644))
		libreOfficeFill(t, in, out, 0, spec)
		saved, err := os.ReadFile(out)
		must(t, err)
		keptHidden(t, blank, saved, old.Unit(code).Name)
		files[code+".xlsx"] = saved
	}

	before := build(t, old, files)
	after := build(t, amended, files)
	if got := problemLines(before); got != "" {
		t.Errorf("against the plan as issued, problems:\n%s", got)
	}
	wantProblems := strings.Join([]string{
		`RV-N-01.xlsx:Station 1, Town Hall!F7: warning: task preparation/check-materials ("Check the station's materials and seals") was answered against an older wording: re-confirm it in the current workbook; not counted`,
		`RV-N-01.xlsx:Station 1, Town Hall!F12: warning: task preparation/open-station ("Open the station and seal the empty ballot boxes in front of voters") was answered against an older wording: re-confirm it in the current workbook; not counted`,
	}, "\n")
	if got := problemLines(after); got != wantProblems {
		t.Errorf("against the amended plan, problems:\n%s\nwant:\n%s", got, wantProblems)
	}
	u0, u1 := unitReport(t, before, "RV-N-01"), unitReport(t, after, "RV-N-01")
	if want := (Counts{Tasks: 3, Done: 2, NotDone: 1}); u0.State != Returned || u0.Counts != want {
		t.Errorf("RV-N-01 before: %s %+v, want returned %+v", u0.State.Key(), u0.Counts, want)
	}
	if want := (Counts{Tasks: 3, Done: 1, Stale: 2}); u1.State != Returned || u1.Counts != want {
		t.Errorf("RV-N-01 after: %s %+v, want returned %+v", u1.State.Key(), u1.Counts, want)
	}
	var stale []string
	for _, a := range u1.Answers {
		if a.Stale {
			stale = append(stale, a.Entry.Task.Key())
		}
	}
	if got := strings.Join(stale, " "); got != "preparation/check-materials preparation/open-station" {
		t.Errorf("stale answers %q, want check-materials and open-station", got)
	}
	for _, a := range u1.Answers {
		if a.Entry.Task.Key() == "preparation/security" && (a.Status != xlsx.Done || a.Row == nil || a.Row.Confirmer != "An" || a.Row.Date == nil || a.Row.Date.String() != "2027-06-01") {
			t.Errorf("the unchanged task preparation/security reads %v %+v, want done on 2027-06-01 by An", a.Status, a.Row)
		}
	}
	// Nothing else changes: every other unit reads the same.
	d0, d1 := dataOf(t, before), dataOf(t, after)
	for i := range d0.Units {
		a, b := d0.Units[i], d1.Units[i]
		if a.Code == "RV-N-01" {
			continue
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("unit %s changed:\n%s\n%s", a.Code, ja, jb)
		}
	}
	if u := unitReport(t, after, "RV-N-02"); u.State != Returned || u.Counts.Done != 1 {
		t.Errorf("RV-N-02 after: %s %+v, want returned with boat done", u.State.Key(), u.Counts)
	}
}

// keptHidden checks, with excelize as the independent reader, that the
// workbook LibreOffice saved keeps the hidden columns J (task keys) and K
// (task hashes) of sheet as written, and the _meta sheet's rows.
func keptHidden(t *testing.T, written, saved []byte, sheet string) {
	t.Helper()
	cols := func(data []byte, sh string, from, to int) [][]string {
		f, err := excelize.OpenReader(bytes.NewReader(data))
		must(t, err)
		defer f.Close()
		rows, err := f.GetRows(sh)
		must(t, err)
		var out [][]string
		for _, r := range rows {
			var keep []string
			for c := from; c <= to; c++ {
				v := ""
				if c < len(r) {
					v = r[c]
				}
				keep = append(keep, v)
			}
			out = append(out, keep)
		}
		for len(out) > 0 && strings.Join(out[len(out)-1], "") == "" {
			out = out[:len(out)-1]
		}
		return out
	}
	if w, s := cols(written, sheet, 9, 10), cols(saved, sheet, 9, 10); !reflect.DeepEqual(w, s) {
		t.Errorf("sheet %q: hidden columns J and K as written:\n%q\nas LibreOffice saved them:\n%q", sheet, w, s)
	}
	if w, s := cols(written, xlsx.MetaSheet, 0, 5), cols(saved, xlsx.MetaSheet, 0, 5); !reflect.DeepEqual(w, s) {
		t.Errorf("_meta as written:\n%q\nas LibreOffice saved it:\n%q", w, s)
	}
}
