package xlsx

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// readBothWays reads a workbook as Read does and with excelize alone,
// and reports whether Read read it lean.
func readBothWays(t testing.TB, data []byte, opts ReadOptions) (lean bool, wb *Workbook, err error, ewb *Workbook, eerr error) {
	t.Helper()
	wb, err = Read("b.xlsx", bytes.NewReader(data), opts)
	ewb, eerr = readExcelize("b.xlsx", data, opts)
	if parts, p := sniff("b.xlsx", data); p == nil && parts != nil {
		if lb, ok := openLean(parts); ok {
			_, _, lean = readLean("b.xlsx", lb, opts)
		}
	}
	return lean, wb, err, ewb, eerr
}

// sameRead fails unless both reads gave the same workbook, problems and
// error.
func sameRead(t testing.TB, wb *Workbook, err error, ewb *Workbook, eerr error) {
	t.Helper()
	if fmt.Sprint(err) != fmt.Sprint(eerr) {
		t.Fatalf("Read error %v, excelize's %v", err, eerr)
	}
	if !reflect.DeepEqual(wb, ewb) {
		t.Errorf("Read and excelize differ:\n%s\n%s", dumpBook(wb), dumpBook(ewb))
	}
}

func dumpBook(wb *Workbook) string {
	if wb == nil {
		return "nil"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%+v\n", *wb)
	for _, s := range wb.Sheets {
		fmt.Fprintf(&b, "sheet %+v\n", *s)
		for _, r := range s.Rows {
			fmt.Fprintf(&b, "  %+v\n", *r)
		}
	}
	for _, p := range wb.Problems {
		fmt.Fprintf(&b, "problem %v\n", p)
	}
	return b.String()
}

// TestLeanParity: workbooks as checkgen writes them and as users fill
// them are read lean, and give what excelize gives, cell for cell and
// problem for problem; what the lean reader does not understand goes to
// excelize.
func TestLeanParity(t *testing.T) {
	m := starterModel(t, nil)
	blank := unitBook(t, m, "RV-N")
	sh := m.Unit("RV-N").Name
	labels := statusLabels(m)
	set := func(f *excelize.File, key, col, v string) {
		must(t, f.SetCellStr(sh, cell(col, rowOf(t, f, sh, key)), v))
	}
	tests := []struct {
		name string
		data []byte
		lean bool
	}{
		{"blank", blank, true},
		{"level", func() []byte {
			var buf bytes.Buffer
			must(t, WriteLevel(&buf, m, m.Level("district"), Options{Date: buildDate}))
			return buf.Bytes()
		}(), true},
		{"filled", edit(t, blank, func(f *excelize.File) {
			set(f, "preparation/train-teams", colStatus, "Done")
			must(t, f.SetCellInt(sh, cell(colDate, rowOf(t, f, sh, "preparation/train-teams")), 46100))
			set(f, "preparation/train-teams", colConfirmer, "A & B <c> \"d\"")
			set(f, "preparation/train-teams", colNotes, "line one\nline two _x000D_ =HYPERLINK(\"x\")")
			set(f, "preparation/appoint-teams", colStatus, "not done")
			set(f, "preparation/appoint-teams", colDate, "9 Mar 2027")
		}), true},
		{"bad cells", edit(t, blank, func(f *excelize.File) {
			set(f, "preparation/train-teams", colStatus, "xong")
			set(f, "preparation/appoint-teams", colDate, "31/02/2027")
			must(t, f.SetCellFormula(sh, cell(colNotes, rowOf(t, f, sh, "preparation/appoint-teams")), "1+1"))
			must(t, f.SetCellBool(sh, cell(colDate, rowOf(t, f, sh, "preparation/train-teams")), true))
		}), true},
		{"merged answers", edit(t, blank, func(f *excelize.File) {
			r := rowOf(t, f, sh, "preparation/train-teams")
			set(f, "preparation/train-teams", colStatus, "Done")
			must(t, f.MergeCell(sh, cell(colStatus, r), cell(colNotes, r)))
		}), true},
		{"rows edited", edit(t, blank, func(f *excelize.File) {
			r := rowOf(t, f, sh, "preparation/appoint-teams")
			must(t, f.RemoveRow(sh, r))
			must(t, f.InsertRows(sh, r, 1))
			must(t, f.SetCellStr(sh, cell(colTask, r), "a row of my own"))
		}), true},
		{"sheet renamed", edit(t, blank, func(f *excelize.File) {
			must(t, f.SetSheetName(sh, "Renamed"))
		}), true},
		{"shared formula", edit(t, blank, func(f *excelize.File) {
			r := rowOf(t, f, sh, "preparation/train-teams")
			ref := cell(colNotes, r) + ":" + cell(colNotes, r+1)
			typ := excelize.STCellFormulaTypeShared
			must(t, f.SetCellFormula(sh, cell(colNotes, r), "=A1", excelize.FormulaOpts{Ref: &ref, Type: &typ}))
		}), false},
		{"comment in the sheet", rewritePart(t, blank, "xl/worksheets/sheet1.xml", func(s string) string {
			return strings.Replace(s, "<sheetData>", "<sheetData><!-- a comment -->", 1)
		}), false},
		{"inline string", rewritePart(t, blank, "xl/worksheets/sheet1.xml", func(s string) string {
			i := strings.Index(s, `<c r="F8"`)
			j := i + strings.Index(s[i:], "</c>")
			return s[:i] + `<c r="F8" t="inlineStr"><is><t>Do</t><r><t>ne</t></r><rPh><t>x</t></rPh></is></c>` + s[j+len("</c>"):]
		}), true},
		{"bad shared string index", rewritePart(t, blank, "xl/worksheets/sheet1.xml", func(s string) string {
			i := strings.Index(s, `<c r="F8"`)
			j := i + strings.Index(s[i:], "</c>")
			return s[:i] + `<c r="F8" t="s"><v>99999</v></c>` + s[j+len("</c>"):]
		}), true},
		{"extension with its own namespace", rewritePart(t, blank, "xl/workbook.xml", func(s string) string {
			return strings.Replace(s, "</workbook>", `<extLst><ext xmlns:loext="http://schemas.libreoffice.org/" uri="{7626C862}"><loext:extCalcPr stringRefSyntax="CalcA1ExcelA1"/><sheet name="not a sheet" sheetId="9" r:id="rId99"/></ext></extLst></workbook>`, 1)
		}), true},
		{"sheets declare the relationship prefix again", rewritePart(t, blank, "xl/workbook.xml", func(s string) string {
			return strings.Replace(s, "<sheets>", `<sheets xmlns:r="http://example.com/other">`, 1)
		}), false},
		{"lower-case reference", rewritePart(t, blank, "xl/worksheets/sheet1.xml", func(s string) string {
			return strings.Replace(s, `<c r="F8"`, `<c r="f8"`, 1)
		}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lean, wb, err, ewb, eerr := readBothWays(t, tt.data, ReadOptions{Labels: labels})
			if lean != tt.lean {
				t.Errorf("read lean: %v, want %v", lean, tt.lean)
			}
			sameRead(t, wb, err, ewb, eerr)
		})
	}
}
