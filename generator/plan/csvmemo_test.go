package plan

import (
	"bytes"
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzCSVMemo: whatever the old and new units.csv, what a memo of the
// old reads of the new (when it can) is what a full read of the new gives.
func FuzzCSVMemo(f *testing.F) {
	const header = UnitsCSVHeader + "\n"
	rows := "A,,province,An Giang,,\nA1,A,district,\"Long\nXuyên\",city,\nA2,A,district,Châu Đốc,,2021-05-23\n"
	f.Add(header+rows, header+rows+"A3,A,district,Tân Châu,,\n")
	f.Add(header+rows, header+"A0,,province,X,,\n"+rows)
	f.Add(header+rows, header+rows[:30]+rows[31:])
	f.Add(header+rows, "\ufeff"+header+rows+"\n\n")
	f.Add(header+rows, header+rows[:40]+"\"\n"+rows[40:])
	f.Add("\r\n"+header+rows, "\r\n"+header+"B,,province,Ha\u0300,,\n"+rows)
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) {
			return
		}
		src := SourceText([]byte(a))
		old := newCSVMemo([]byte(a), src, parseUnitsCSV(UnitsCSV, src))
		if old == nil {
			return
		}
		m := old.update([]byte(b))
		if m == nil {
			return // read in full
		}
		wantText := SourceText([]byte(b))
		if m.text != wantText {
			t.Fatalf("text %q, want %q", m.text, wantText)
		}
		if body := string(bytes.TrimPrefix([]byte(b), byteOrderMark)); m.body != body || m.normal != (body == wantText) {
			t.Fatalf("body %q (normal %v), want %q", m.body, m.normal, body)
		}
		want := parseUnitsCSV(UnitsCSV, wantText)
		if !want.complete || len(want.errs) > 0 {
			t.Fatalf("read in part, but a full read fails: %v", want.errs)
		}
		if m.file.header != want.header || len(m.file.rows)+len(want.rows) > 0 && !reflect.DeepEqual(m.file.rows, want.rows) {
			t.Fatalf("rows\n%s\nwant\n%s", dumpRows(m.file.rows), dumpRows(want.rows))
		}
	})
}

func dumpRows(rows []csvRow) string {
	var b bytes.Buffer
	for _, r := range rows {
		if r.unit != nil {
			b.WriteString(r.unit.Code + " " + r.unit.Pos.String())
		}
		for _, e := range r.errs {
			b.WriteString(" " + e.Error())
		}
		b.WriteString("\n")
	}
	return b.String()
}
