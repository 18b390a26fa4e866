//go:build e2e

package xlsx

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"checkgen/generator/fixture"
)

// TestLibreOfficeSavedReadsLean: a filled workbook saved again by
// LibreOffice (xlsx to xlsx) is read by the lean reader, and gives
// exactly what excelize gives.
func TestLibreOfficeSavedReadsLean(t *testing.T) {
	m := starterModel(t, nil)
	sh := m.Unit("RV-N").Name
	filled := edit(t, unitBook(t, m, "RV-N"), func(f *excelize.File) {
		r := rowOf(t, f, sh, "preparation/train-teams")
		must(t, f.SetCellStr(sh, cell(colStatus, r), "Done"))
		must(t, f.SetCellInt(sh, cell(colDate, r), 46100))
		must(t, f.SetCellStr(sh, cell(colConfirmer, r), "Trần Văn Bình & <co>"))
		must(t, f.SetCellStr(sh, cell(colNotes, r), "two\nlines"))
		r = rowOf(t, f, sh, "preparation/appoint-teams")
		must(t, f.SetCellStr(sh, cell(colStatus, r), "xong"))
		must(t, f.SetCellStr(sh, cell(colDate, r), "9 Mar 2027"))
	})
	dir := t.TempDir()
	in := filepath.Join(dir, "in", "RV-N.xlsx")
	must(t, os.MkdirAll(filepath.Dir(in), 0o755))
	must(t, os.WriteFile(in, filled, 0o644))
	out := filepath.Join(dir, "out")
	fixture.Soffice(t, t.TempDir(), "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, in)
	saved, err := os.ReadFile(filepath.Join(out, "RV-N.xlsx"))
	must(t, err)
	lean, wb, err, ewb, eerr := readBothWays(t, saved, ReadOptions{Labels: statusLabels(m)})
	if !lean {
		t.Errorf("the workbook LibreOffice saved was not read lean")
	}
	sameRead(t, wb, err, ewb, eerr)
	if err != nil {
		t.Fatal(err)
	}
	row := findRow(wb, "RV-N", "preparation/train-teams")
	if row == nil || row.Status != Done || row.Date == nil || row.Confirmer != "Trần Văn Bình & <co>" || row.Notes != "two\nlines" || row.Hash == "" {
		t.Errorf("train-teams read back as %+v", row)
	}
}
