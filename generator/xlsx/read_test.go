package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestBadFiles gives Read files that are not readable sign-off workbooks:
// each gives one line naming the file, and no panic.
func TestBadFiles(t *testing.T) {
	m := starterModel(t, nil)
	good := unitBook(t, m, "RV-N-01")

	var encrypted bytes.Buffer
	f, err := excelize.OpenReader(bytes.NewReader(good))
	must(t, err)
	must(t, f.Write(&encrypted, excelize.Options{Password: "secret"}))

	var plain bytes.Buffer
	must(t, excelize.NewFile().Write(&plain))

	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "b.xlsx: is empty"},
		{"csv", []byte("code,status\n06,xong\n"), "b.xlsx: is a text file (CSV?), not an Excel workbook: fill in the .xlsx workbook checkgen wrote"},
		{"html", []byte("<!DOCTYPE html><html><table></table></html>"), "b.xlsx: is a web page (HTML), not an Excel workbook"},
		{"binary", []byte{0x00, 0xff, 0xfe, 0x01, 0x80, 0x81}, "b.xlsx: is not an Excel workbook (.xlsx files are zip archives)"},
		{"truncated", good[:len(good)/2], "b.xlsx: is damaged or truncated: not a complete zip archive (zip: not a valid zip file)"},
		{"encrypted", encrypted.Bytes(), "b.xlsx: is protected with a password (encrypted): open it, remove the password (File > Info > Protect Workbook) and save it again"},
		{"xls", append(append([]byte{}, cfbMagic...), make([]byte, 600)...), "b.xlsx: is an Excel 97-2003 (.xls) file, not a sign-off workbook (.xlsx)"},
		{"declared bomb", declaredBomb(t), "b.xlsx: unpacks to more than 128 MiB: refused (a zip bomb?)"},
		{"not ours", plain.Bytes(), "b.xlsx: is not a checkgen sign-off workbook: it has no _meta sheet (was it made by hand, or copied into a new workbook?)"},
		{"newer format", edit(t, good, func(f *excelize.File) { must(t, f.SetCellStr(MetaSheet, "B1", "checkgen-signoff/2")) }),
			`b.xlsx: was written in format "checkgen-signoff/2", which this checkgen cannot read (it reads checkgen-signoff/1): use the workbook of the current build`},
		{"too large", bytes.Repeat([]byte("PK"), MaxFileSize/2+1), "b.xlsx: is larger than 32 MiB: not a sign-off workbook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wb, err := Read("b.xlsx", bytes.NewReader(tt.data), ReadOptions{Labels: statusLabels(m)})
			if err == nil {
				t.Fatalf("Read = %d sheets and no error, want %q", len(wb.Sheets), tt.want)
			}
			if wb != nil {
				t.Errorf("Read returned a workbook with the error %v", err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Read error:\n%s\nwant:\n%s", got, tt.want)
			}
			if _, ok := AsProblem(err); !ok {
				t.Errorf("Read error %T is not a *Problem", err)
			}
		})
	}
}

// declaredBomb is a zip whose one part says it unpacks to a terabyte.
func declaredBomb(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CompressedSize64: 2, UncompressedSize64: 1 << 40})
	must(t, err)
	_, err = w.Write([]byte{0x03, 0x00})
	must(t, err)
	must(t, zw.Close())
	return buf.Bytes()
}

// lyingBomb is a workbook with an extra part that says it unpacks to 100
// bytes but holds 50 MB of zeros.
func lyingBomb(t *testing.T, good []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	must(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		must(t, zw.Copy(f))
	}
	var packed bytes.Buffer
	cw, err := flate.NewWriter(&packed, flate.BestSpeed)
	must(t, err)
	zeros := make([]byte, 1<<20)
	for range 50 {
		_, err := cw.Write(zeros)
		must(t, err)
	}
	must(t, cw.Close())
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet9.xml", Method: zip.Deflate,
		CompressedSize64: uint64(packed.Len()), UncompressedSize64: 100, CRC32: 0})
	must(t, err)
	_, err = w.Write(packed.Bytes())
	must(t, err)
	must(t, zw.Close())
	return buf.Bytes()
}

// TestLyingBomb: a part that unpacks to far more than its header says is
// cut off at the declared size (archive/zip stops there), so it cannot
// exhaust memory; the rest of the workbook reads.
func TestLyingBomb(t *testing.T) {
	m := starterModel(t, nil)
	wb := readBook(t, m, "b.xlsx", lyingBomb(t, unitBook(t, m, "RV-N-01")))
	if len(wb.Sheets) != 1 || len(wb.Problems) != 0 {
		t.Errorf("Read = %d sheets, problems %v; want 1 sheet, no problems", len(wb.Sheets), problemLines(wb.Problems))
	}
}

// stored re-packs a workbook without compression.
func stored(t testing.TB, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	must(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		must(t, err)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		must(t, err)
		_, err = io.Copy(w, rc)
		must(t, err)
		rc.Close()
	}
	must(t, zw.Close())
	return buf.Bytes()
}

func TestProblemOrder(t *testing.T) {
	a := &Problem{File: "a.xlsx", order: [2]int{1, 9}}
	b := &Problem{File: "a.xlsx", order: [2]int{1, 10}}
	c := &Problem{File: "b.xlsx", order: [2]int{-1, 0}}
	d := &Problem{File: "a.xlsx", order: [2]int{0, 20}}
	for _, tt := range []struct {
		p, q *Problem
		want bool
	}{{a, b, true}, {b, a, false}, {b, c, true}, {d, a, true}, {c, d, false}} {
		if got := tt.p.Less(tt.q); got != tt.want {
			t.Errorf("%+v.Less(%+v) = %v, want %v", tt.p, tt.q, got, tt.want)
		}
	}
}

func TestSplitKey(t *testing.T) {
	tests := []struct {
		key, task string
		item      int
		ok        bool
	}{
		{"plan/task", "plan/task", 0, true},
		{"plan/task#3", "plan/task", 3, true},
		{"plan/task#0", "", 0, false},
		{"plan/task#03", "", 0, false},
		{"plan/task#x", "", 0, false},
		{"plan", "", 0, false},
		{"/task", "", 0, false},
		{"plan/", "", 0, false},
		{"a/b/c", "", 0, false},
		{"#head", "", 0, false},
		{"", "", 0, false},
	}
	for _, tt := range tests {
		task, item, ok := SplitKey(tt.key)
		if task != tt.task || item != tt.item || ok != tt.ok {
			t.Errorf("SplitKey(%q) = %q, %d, %v; want %q, %d, %v", tt.key, task, item, ok, tt.task, tt.item, tt.ok)
		}
	}
}

// TestParseDateText reads dates typed as text in both languages: a
// Vietnamese workbook reads numbers day first; an English one reads what
// can only be one day, and refuses what reads two ways.
func TestParseDateText(t *testing.T) {
	tests := []struct {
		lang, in string
		want     string // the day, or the message
	}{
		{"vi", "12/05/2021", "2021-05-12"},
		{"vi", "1/2/2021", "2021-02-01"},
		{"vi", "9/3/2026", "2026-03-09"},
		{"vi", "1-2-2021", "2021-02-01"},
		{"vi", "01.02.2021", "2021-02-01"},
		{"vi", "2021-05-12", "2021-05-12"},
		{"vi", "2021-05-12T00:00:00", "2021-05-12"},
		{"vi", "9 Mar 2026", "2026-03-09"},
		{"vi", "31/02/2021", `bad date "31/02/2021": type a day as dd/mm/yyyy`},
		{"vi", "12/05/21", `bad date "12/05/21": type a day as dd/mm/yyyy`},
		{"vi", "12/13/2021", `bad date "12/13/2021": type a day as dd/mm/yyyy`},
		{"vi", "tomorrow", `bad date "tomorrow": type a day as dd/mm/yyyy`},
		{"vi", "2021-13-01", `bad date "2021-13-01": type a day as dd/mm/yyyy`},

		{"en", "2026-03-09", "2026-03-09"},
		{"en", "9 Mar 2026", "2026-03-09"},
		{"en", "09 march 2026", "2026-03-09"},
		{"en", "9-Mar-2026", "2026-03-09"},
		{"en", "Mar 9, 2026", "2026-03-09"},
		{"en", "Sept 30 2026", "2026-09-30"},
		{"en", "25/3/2026", "2026-03-25"},
		{"en", "3/25/2026", "2026-03-25"},
		{"en", "3/3/2026", "2026-03-03"},
		{"en", "9/3/2026", `ambiguous date "9/3/2026": 9 Mar 2026 or 3 Sep 2026? type the month as a word, or the day as yyyy-mm-dd`},
		{"en", "01.02.2021", `ambiguous date "01.02.2021": 1 Feb 2021 or 2 Jan 2021? type the month as a word, or the day as yyyy-mm-dd`},
		{"en", "31 Feb 2026", `bad date "31 Feb 2026": type a day as d Mmm yyyy (9 Mar 2026) or yyyy-mm-dd (2026-03-09)`},
		{"en", "13/13/2026", `bad date "13/13/2026": type a day as d Mmm yyyy (9 Mar 2026) or yyyy-mm-dd (2026-03-09)`},
		{"en", "9 Mars 2026", `bad date "9 Mars 2026": type a day as d Mmm yyyy (9 Mar 2026) or yyyy-mm-dd (2026-03-09)`},
		{"en", "+9/3/2026", `bad date "+9/3/2026": type a day as d Mmm yyyy (9 Mar 2026) or yyyy-mm-dd (2026-03-09)`},
		{"", "9/3/2026", `ambiguous date "9/3/2026": 9 Mar 2026 or 3 Sep 2026? type the month as a word, or the day as yyyy-mm-dd`},
	}
	for _, tt := range tests {
		d, msg := parseDateText(tt.in, tt.lang)
		got := msg
		if msg == "" {
			got = d.String()
		}
		if got != tt.want {
			t.Errorf("parseDateText(%q, %q) = %q, want %q", tt.in, tt.lang, got, tt.want)
		}
	}
}

// FuzzRead reads any bytes: no panic, and every error and problem names
// the file.
func FuzzRead(f *testing.F) {
	m := starterModel(f, nil)
	good := unitBook(f, m, "RV-N-02")
	f.Add(good)
	f.Add(stored(f, good)) // uncompressed: mutations reach the XML
	f.Add(good[:len(good)-100])
	f.Add([]byte("code,status\n"))
	f.Add(declaredBomb(f))
	filled := edit(f, good, func(x *excelize.File) {
		sh := m.Unit("RV-N-02").Name
		r := rowOf(f, x, sh, "preparation/boat")
		must(f, x.SetCellStr(sh, cell(colStatus, r), "Done"))
		must(f, x.SetCellStr(sh, cell(colDate, r), "9/3/2027"))
		must(f, x.SetCellStr(sh, cell(colConfirmer, r), "A & B"))
	})
	f.Add(stored(f, filled))
	labels := statusLabels(m)
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hostile file must not hang the report: crash the worker, so that
		// the fuzzer keeps the input.
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				panic("Read took more than 10s")
			}
		}()
		wb, err := Read("fuzz.xlsx", bytes.NewReader(data), ReadOptions{Labels: labels})
		// The lean reader reads what excelize reads. It does not decode the
		// parts it does not need (styles, the theme, a sheet's columns and
		// page setup), so it may read a file, or a sheet, that excelize
		// calls damaged for what is wrong there.
		if _, p := sniff("fuzz.xlsx", data); p == nil {
			ewb, eerr := readExcelize("fuzz.xlsx", data, ReadOptions{Labels: labels})
			if !damaged(ewb, eerr) {
				sameRead(t, wb, err, ewb, eerr)
			}
		}
		if err != nil {
			if wb != nil {
				t.Errorf("a workbook and an error")
			}
			if !strings.HasPrefix(err.Error(), "fuzz.xlsx: ") {
				t.Errorf("error does not name the file: %v", err)
			}
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error takes more than one line: %q", err.Error())
			}
			return
		}
		for _, p := range wb.Problems {
			if !strings.HasPrefix(p.Error(), "fuzz.xlsx:") {
				t.Errorf("problem does not name the file: %v", p)
			}
			if strings.ContainsAny(p.Error(), "\r\n") {
				t.Errorf("problem takes more than one line: %q", p.Error())
			}
		}
	})
}

// damaged reports whether excelize found a part or sheet damaged.
func damaged(wb *Workbook, err error) bool {
	if err != nil {
		return strings.Contains(err.Error(), "cannot be read as a workbook")
	}
	for _, p := range wb.Problems {
		if strings.Contains(p.Msg, "the sheet is damaged") {
			return true
		}
	}
	return false
}

// rewritePart returns the workbook with one part's text changed by fn.
func rewritePart(t testing.TB, data []byte, part string, fn func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	must(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	found := false
	for _, f := range zr.File {
		rc, err := f.Open()
		must(t, err)
		b, err := io.ReadAll(rc)
		must(t, err)
		rc.Close()
		if f.Name == part {
			b, found = []byte(fn(string(b))), true
		}
		w, err := zw.Create(f.Name)
		must(t, err)
		_, err = w.Write(b)
		must(t, err)
	}
	must(t, zw.Close())
	if !found {
		t.Fatalf("no part %s", part)
	}
	return buf.Bytes()
}

// TestEntities: the five XML entities and character references in a
// workbook's strings are read as the characters they stand for; a
// DOCTYPE (billion laughs, external entities) or an entity XML does not
// define is refused, saying which part, where and why.
func TestEntities(t *testing.T) {
	m := starterModel(t, nil)
	good := unitBook(t, m, "RV-N-01")
	const org = "<t>Municipal Election Commission</t>"
	sst := "xl/sharedStrings.xml"
	// replace puts s in place of the organisation's name in the shared
	// strings; doctype puts a DOCTYPE after the XML declaration, which is
	// 38 characters long (so the DOCTYPE starts at 1:39).
	replace := func(s string) func(string) string {
		return func(x string) string {
			if !strings.Contains(x, org) || !strings.HasPrefix(x, `<?xml version="1.0" encoding="UTF-8"?>`) {
				t.Fatalf("the shared strings changed shape: %.200s", x)
			}
			return strings.Replace(x, org, s, 1)
		}
	}
	doctype := func(decl, use string) func(string) string {
		return func(x string) string {
			x = strings.Replace(x, "?>", "?>"+decl, 1)
			return strings.Replace(x, org, "<t>"+use+"</t>", 1)
		}
	}
	// at returns the line and column of the first & in the part as
	// rewritten, for the message.
	at := func(fn func(string) string) string {
		orig := zipPart(t, good, sst)
		from := strings.Index(orig, org) // earlier strings may hold &#39;
		s := fn(orig)
		i := from + strings.Index(s[from:], "&")
		line := strings.Count(s[:i], "\n") + 1
		col := i - strings.LastIndex(s[:i], "\n")
		return sst + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col)
	}
	const laughs = `<!DOCTYPE sst [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]>`
	const doctypeMsg = ": has a <!DOCTYPE declaration, which Excel never writes and checkgen refuses: entities declared there can expand without bound or read other files"
	nbsp := replace("<t>Municipal&nbsp;Election Commission</t>")
	stray := replace("<t>Municipal & Election Commission</t>")
	nul := replace("<t>Municipal&#0;Election Commission</t>")
	tests := []struct {
		name string
		fn   func(string) string
		want string // the error, or the organisation as read
	}{
		{"standard", replace("<t>Municipal &amp; Election &#67;&#x6F;mmission &lt;1&gt; &quot;&apos;</t>"), `Municipal & Election Commission <1> "'`},
		{"declared entity", doctype(`<!DOCTYPE sst [<!ENTITY org "Municipal Election Commission">]>`, "&org;"), "b.xlsx: " + sst + ":1:39" + doctypeMsg},
		{"billion laughs", doctype(laughs, "&i;"), "b.xlsx: " + sst + ":1:39" + doctypeMsg},
		{"external entity", doctype(`<!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>`, "&x;"), "b.xlsx: " + sst + ":1:39" + doctypeMsg},
		{"undefined entity", nbsp, "b.xlsx: " + at(nbsp) + ": unknown entity &nbsp;: XML defines only &amp; &lt; &gt; &quot; &apos; and character references such as &#233;"},
		{"stray ampersand", stray, "b.xlsx: " + at(stray) + ": a & that starts no entity reference (in XML a & is written &amp;)"},
		{"NUL reference", nul, "b.xlsx: " + at(nul) + ": character reference &#0; is not a character XML allows"},
		{"entity in a comment", replace("<!-- &nbsp; <!DOCTYPE --><t>Municipal Election Commission</t>"), "Municipal Election Commission"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := rewritePart(t, good, sst, tt.fn)
			wb, err := Read("b.xlsx", bytes.NewReader(data), ReadOptions{Labels: statusLabels(m)})
			got := ""
			if err != nil {
				got = err.Error()
			} else {
				got = wb.Organisation
				if len(wb.Problems) > 0 {
					t.Errorf("problems: %s", problemLines(wb.Problems))
				}
			}
			if got != tt.want {
				t.Errorf("Read = %q\nwant   %q", got, tt.want)
			}
		})
	}
	// In a worksheet too.
	data := rewritePart(t, good, "xl/worksheets/sheet1.xml", func(s string) string {
		return strings.Replace(s, "?>", "?>"+laughs, 1)
	})
	if _, err := Read("b.xlsx", bytes.NewReader(data), ReadOptions{}); err == nil || err.Error() != "b.xlsx: xl/worksheets/sheet1.xml:1:39"+doctypeMsg {
		t.Errorf("billion laughs in a worksheet: Read error %v", err)
	}
}

// TestProblemOneLine: a name or message with a line break or another
// character that does not print still makes one line, the name quoted.
func TestProblemOneLine(t *testing.T) {
	tests := []struct {
		p    *Problem
		want string
	}{
		{&Problem{File: "a\nb.xlsx", Msg: "is empty"}, `"a\nb.xlsx": is empty`},
		{&Problem{File: "dir/Tổ 1.xlsx", Sheet: "Tổ 1", Cell: "F7", Msg: "m"}, "dir/Tổ 1.xlsx:Tổ 1!F7: m"},
		{&Problem{File: "a.xlsx", Sheet: "S\r\t1", Cell: "F7", Msg: "m", Warning: true}, `a.xlsx:"S\r\t1"!F7: warning: m`},
		{&Problem{File: "a\xff.xlsx", Msg: "unit A\nB\u2028C\x00\xfe"}, `"a\xff.xlsx": unit A\nB\u2028C\x00\xfe`},
	}
	for _, tt := range tests {
		if got := tt.p.Error(); got != tt.want {
			t.Errorf("Error() = %s, want %s", got, tt.want)
		}
	}
	_, err := Read("a\nb.xlsx", strings.NewReader(""), ReadOptions{})
	if want := `"a\nb.xlsx": is empty`; err == nil || err.Error() != want {
		t.Errorf("Read(%q) error %v, want %s", "a\nb.xlsx", err, want)
	}
}

// TestCellBombs: a few kilobytes of XML naming cells far out (column
// XFD, row 1048576) would make excelize lay out gigabytes; the workbook
// is refused naming the part, before excelize reads the sheet.
func TestCellBombs(t *testing.T) {
	m := starterModel(t, nil)
	good := unitBook(t, m, "RV-N-01")
	// Sheets in the order written: the checklist, the summary, _meta.
	wide := func(rows int) func(string) string {
		return func(s string) string {
			var b strings.Builder
			for i := 100; i < 100+rows; i++ {
				fmt.Fprintf(&b, `<row r="%d"><c r="XFD%d" t="inlineStr"><is><t>x</t></is></c></row>`, i, i)
			}
			return strings.Replace(s, "</sheetData>", b.String()+"</sheetData>", 1)
		}
	}
	tall := func(s string) string {
		return strings.Replace(s, "</sheetData>", `<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>`, 1)
	}
	tests := []struct {
		name, part string
		fn         func(string) string
		want       string
	}{
		{"wide checklist", "xl/worksheets/sheet1.xml", wide(100),
			"b.xlsx: xl/worksheets/sheet1.xml lays out more than 500000 cells (rows up to the last one used, each to its last column): more than a sign-off workbook holds; refused"},
		{"tall checklist", "xl/worksheets/sheet1.xml", tall,
			"b.xlsx: xl/worksheets/sheet1.xml lays out more than 500000 cells (rows up to the last one used, each to its last column): more than a sign-off workbook holds; refused"},
		{"wide _meta", "xl/worksheets/sheet3.xml", wide(5000),
			"b.xlsx: xl/worksheets/sheet3.xml lays out more than 20000000 cells (rows up to the last one used, each to its last column): refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := rewritePart(t, good, tt.part, tt.fn)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			wb, err := Read("b.xlsx", bytes.NewReader(data), ReadOptions{Labels: statusLabels(m)})
			runtime.ReadMemStats(&after)
			if err == nil || err.Error() != tt.want {
				n := 0
				if wb != nil {
					n = len(wb.Sheets)
				}
				t.Errorf("Read = %d sheets, error %v\nwant %s", n, err, tt.want)
			}
			if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 64 {
				t.Errorf("Read allocated %d MiB for a %d KiB file", mb, len(data)>>10)
			}
		})
	}
}

// TestTaskHashRoundTrip: every task row of a written workbook carries its
// task's hash in hidden column K, and Read gives it back; item rows carry
// none. A title edit changes only that task's hash; a sheet without the
// column (a workbook written before it existed) reads as not Hashed.
func TestTaskHashRoundTrip(t *testing.T) {
	m := starterModel(t, nil)
	u := m.Unit("RV-N-01")
	data := unitBook(t, m, u.Code)
	wb := readBook(t, m, "a.xlsx", data)
	var own *Sheet
	for _, s := range wb.Sheets {
		if s.Unit == u.Code {
			own = s
		}
	}
	if own == nil || !own.Hashed {
		t.Fatalf("sheet of %s: %+v, want one with task hashes", u.Code, own)
	}
	want := map[string]string{}
	for _, e := range u.Checklist.Entries {
		want[e.Task.Key()] = TaskHash(u.Checklist, e)
	}
	tasks := 0
	for _, r := range own.Rows {
		if r.Item > 0 {
			if r.Hash != "" {
				t.Errorf("item row %s has hash %q, want none", r.Key, r.Hash)
			}
			continue
		}
		tasks++
		if len(r.Hash) != 12 || r.Hash != want[r.Key] {
			t.Errorf("row %s: hash %q, want %q", r.Key, r.Hash, want[r.Key])
		}
	}
	if tasks != len(u.Checklist.Entries) {
		t.Errorf("%d task rows, want %d", tasks, len(u.Checklist.Entries))
	}

	// A different title: only that task's hash changes.
	first := u.Checklist.Entries[0]
	old := map[string]string{}
	for _, e := range u.Checklist.Entries {
		old[e.Task.Key()] = TaskHash(u.Checklist, e)
	}
	saved := first.Task.Title
	first.Task.Title += " (amended)"
	for _, e := range u.Checklist.Entries {
		changed := TaskHash(u.Checklist, e) != old[e.Task.Key()]
		if changed != (e == first) {
			t.Errorf("task %s: hash changed = %v after retitling %s", e.Task.Key(), changed, first.Task.Key())
		}
	}
	first.Task.Title = saved

	// Today's workbooks, without column K.
	legacy := edit(t, data, func(f *excelize.File) {
		sh := f.GetSheetList()[0]
		rows, err := f.GetRows(sh)
		must(t, err)
		for i := range rows {
			must(t, f.SetCellStr(sh, "K"+strconv.Itoa(i+1), ""))
		}
	})
	wb = readBook(t, m, "a.xlsx", legacy)
	for _, s := range wb.Sheets {
		if s.Unit == u.Code && s.Hashed {
			t.Errorf("sheet without column K reads as Hashed")
		}
	}
}
