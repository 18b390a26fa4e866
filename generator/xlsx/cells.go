package xlsx

import (
	"bytes"
	"encoding/xml"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// excelize holds a worksheet it reads as a dense grid: every row up to
// the last one named, and in each row every cell up to the last column
// used, at about 200 bytes a cell. A few kilobytes of XML naming cells at
// column XFD on many rows would make gigabytes of it. So the cells of
// every part are counted as excelize would hold them (countCells) before
// any sheet is read, and a workbook over these limits is refused.
// A checklist sheet of a hundred tasks counts about 2,000; the largest
// workbook of the example site (19 sheets) about 25,000.
const (
	// maxPartCells and maxBookCells bound a sign-off workbook, whose
	// checklist sheets are read whole.
	maxPartCells = 500_000   // for one part: a sheet of 20,000 rows of ten cells
	maxBookCells = 2_000_000 // for all parts together
	// maxAnyCells bounds a part of any workbook, such as a national
	// completion report: its _meta sheet is read row by row (each row to
	// its last cell) to learn what the file is, and nothing else of it.
	maxAnyCells = 20_000_000
)

// countCells returns an upper bound on the cells excelize holds for a
// worksheet's XML: the cells as written, the rows up to the last, and
// each row's cells up to its last column. It stops counting past limit.
// Where the XML breaks off, the count covers what came before, which is
// all excelize reads either.
func countCells(data []byte, limit int64) int64 {
	if !bytes.Contains(data, []byte("<")) {
		return 0
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var n int64
	lastCol := map[int]int{} // row -> its last column so far
	row, col, maxRow := 0, 0, 0
	for n+int64(maxRow) <= limit {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "row":
			row, col = row+1, 0
			if v, err := strconv.Atoi(attr(se, "r")); err == nil && v > 0 {
				row = v
			}
			maxRow = max(maxRow, row)
		case "c":
			col++
			r := row
			if ref := attr(se, "r"); ref != "" {
				if c, rr, err := excelize.CellNameToCoordinates(ref); err == nil {
					col, r = c, rr
				}
			}
			maxRow = max(maxRow, r)
			n++ // the cell as written
			if last := lastCol[r]; col > last {
				n += int64(col - last) // the row padded to it
				lastCol[r] = col
			}
		}
	}
	return n + int64(maxRow)
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// countParts counts the cells of every XML part of the open workbook
// (countCells), refusing a part over maxAnyCells.
func countParts(f *excelize.File, file string) (map[string]int64, *Problem) {
	counts := map[string]int64{}
	var p *Problem
	f.Pkg.Range(func(k, v any) bool {
		name, _ := k.(string)
		data, _ := v.([]byte)
		if !strings.HasSuffix(strings.ToLower(name), ".xml") {
			return true
		}
		counts[name] = countCells(data, maxAnyCells)
		if counts[name] > maxAnyCells {
			p = fileProblem(file, "%s lays out more than %d cells (rows up to the last one used, each to its last column): refused", name, maxAnyCells)
		}
		return p == nil
	})
	return counts, p
}

// checkCells holds a sign-off workbook, whose sheets are read whole, to
// maxPartCells and maxBookCells.
func (rd *reader) checkCells() *Problem {
	var total int64
	names := make([]string, 0, len(rd.partCells))
	for name := range rd.partCells {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		n := rd.partCells[name]
		total += n
		if n > maxPartCells {
			return fileProblem(rd.wb.File, "%s lays out more than %d cells (rows up to the last one used, each to its last column): more than a sign-off workbook holds; refused", name, maxPartCells)
		}
	}
	if total > maxBookCells {
		return fileProblem(rd.wb.File, "its sheets lay out more than %d cells (rows up to the last one used, each to its last column): more than a sign-off workbook holds; refused", maxBookCells)
	}
	return nil
}
