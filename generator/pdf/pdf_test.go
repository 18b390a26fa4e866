package pdf

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf16"

	"checkgen/generator/fixture"
	"checkgen/generator/output"
	"checkgen/generator/plan"
	"checkgen/generator/starter"
)

// render renders m's PDFs into a fresh directory and returns it.
func render(t testing.TB, m *plan.Model, opts Options) string {
	t.Helper()
	return renderHow(t, m, opts, assembled)
}

// renderHow renders m's PDFs, the units' made as how says, into a fresh
// directory and returns it.
func renderHow(t testing.TB, m *plan.Model, opts Options, how how) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	out, err := output.Stage(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Abort()
	if err := renderAs(m, out, opts, how); err != nil {
		t.Fatalf("Render: %v", err)
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	return dest
}

// sampled returns the units a test that renders every unit of a site
// renders (all of them, but a sample under the race detector: fixture.Sampled).
func sampled(units []*plan.Unit) []*plan.Unit {
	var some []*plan.Unit
	for i, u := range units {
		if fixture.Sampled(i, len(units)) {
			some = append(some, u)
		}
	}
	return some
}

func open(t testing.TB, fsys fstest.MapFS) *plan.Model {
	t.Helper()
	m, err := plan.Open(fsys)
	if err != nil {
		t.Fatalf("plan.Open: %v", err)
	}
	return m
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pageTexts extracts the text of each page of a PDF: the strings shown
// by Tj in the page's content, one per line, as UTF-16BE (how both
// writers show text).
func pageTexts(t testing.TB, pdf []byte) []string {
	t.Helper()
	var pages []string
	for _, data := range pageContents(t, pdf) {
		pages = append(pages, strings.Join(showStrings(data), "\n"))
	}
	return pages
}

// showStrings decodes the literal strings of the Tj operators in a
// content stream.
func showStrings(content []byte) []string {
	var out []string
	for i := 0; i < len(content); i++ {
		if content[i] != '(' {
			continue
		}
		var b []byte
		j := i + 1
		for ; j < len(content) && content[j] != ')'; j++ {
			c := content[j]
			if c == '\\' && j+1 < len(content) {
				j++
				c = content[j]
				if c == 'r' {
					c = '\r'
				}
			}
			b = append(b, c)
		}
		if !bytes.HasPrefix(content[j:], []byte(")Tj")) {
			i = j
			continue
		}
		u := make([]uint16, len(b)/2)
		for k := range u {
			u[k] = uint16(b[2*k])<<8 | uint16(b[2*k+1])
		}
		out = append(out, string(utf16.Decode(u)))
		i = j
	}
	return out
}

// squeeze joins the words of s with single spaces.
func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

// placed is a text shown on a page: where it starts, in millimetres from
// the page's left and top edges, and its size in points.
type placed struct {
	text string
	x, y float64
	size float64
}

var showOp = regexp.MustCompile(`BT /[A-Za-z0-9]+ ([0-9.]+) Tf ET|BT ([0-9.-]+) ([0-9.-]+) Td (\((?:\\.|[^\\)])*\))\s*Tj`)

// placedTexts returns the texts of each page of a PDF, with their places.
func placedTexts(t testing.TB, pdf []byte) [][]placed {
	t.Helper()
	const k = 72 / 25.4
	var pages [][]placed
	for _, data := range pageContents(t, pdf) {
		var page []placed
		size := 0.0
		for _, m := range showOp.FindAllSubmatch(data, -1) {
			if m[1] != nil {
				size, _ = strconv.ParseFloat(string(m[1]), 64)
				continue
			}
			x, _ := strconv.ParseFloat(string(m[2]), 64)
			y, _ := strconv.ParseFloat(string(m[3]), 64)
			text := showStrings(append(append([]byte(nil), m[4]...), "Tj"...))
			if len(text) == 1 {
				page = append(page, placed{text: text[0], x: x / k, y: pageH - y/k, size: size})
			}
		}
		pages = append(pages, page)
	}
	return pages
}

// checkPageNumbers checks Decree 30's page numbers: none on page 1; on
// every later page its number, alone, centred in the top margin.
func checkPageNumbers(t *testing.T, name string, pdf []byte) {
	t.Helper()
	fm := newForm(open(t, starterFS()), mustFonts(t), time.Time{})
	for i, page := range placedTexts(t, pdf) {
		var inTop []placed
		for _, p := range page {
			if p.y < marginT {
				inTop = append(inTop, p)
			}
		}
		if i == 0 {
			if len(inTop) > 0 {
				t.Errorf("%s page 1: text in the top margin %+v; page 1 has no number", name, inTop)
			}
			continue
		}
		if len(inTop) != 1 || inTop[0].text != strconv.Itoa(i+1) {
			t.Errorf("%s page %d: the top margin holds %+v, want the page number %d alone", name, i+1, inTop, i+1)
			continue
		}
		p := inTop[0]
		mid := p.x + fm.width(regular, p.size)(p.text)/2
		if d := mid - (marginL + contentW/2); d < -0.5 || d > 0.5 || p.size < 13 || p.size > 14 {
			t.Errorf("%s page %d: the number is centred at %.1f mm in %v pt; want the text's centre (%.1f mm), 13-14 pt", name, i+1, mid, p.size, marginL+contentW/2)
		}
	}
}

var pageCount = regexp.MustCompile(`/Count (\d+)`)

func pagesOf(t testing.TB, pdf []byte) int {
	t.Helper()
	m := pageCount.FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no /Count in the PDF")
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func TestRenderStarter(t *testing.T) {
	m := open(t, starterFS())
	var progress []int
	date := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	dest := render(t, m, Options{Units: m.Units, Date: date, Progress: func(done, total int) {
		progress = append(progress, done)
		if total != len(m.Units) {
			t.Errorf("Progress total = %d, want %d units", total, len(m.Units))
		}
	}})
	// One call per document, counting units only: the levels' come first.
	if len(progress) != len(m.Levels)+len(m.Units) || progress[len(progress)-1] != len(m.Units) || progress[len(m.Levels)-1] != 0 {
		t.Errorf("Progress calls = %v", progress)
	}
	for _, l := range m.Levels {
		b := readFile(t, filepath.Join(dest, "pdf", "levels", l.ID+".pdf"))
		text := squeeze(strings.Join(pageTexts(t, b), "\n"))
		for _, want := range []string{l.Name, l.Checklist.Version, "CHECKLIST", m.Site.HeadDateLine(l.Head)} {
			if !strings.Contains(text, want) {
				t.Errorf("level %s: the PDF lacks %q", l.ID, want)
			}
		}
	}
	for _, u := range m.Units {
		b := readFile(t, filepath.Join(dest, "pdf", "units", u.Code+".pdf"))
		if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(b), []byte("%%EOF")) {
			t.Fatalf("unit %s: not a whole PDF", u.Code)
		}
		pages := pageTexts(t, b)
		if n := pagesOf(t, b); n != len(pages) {
			t.Errorf("unit %s: %d pages, %d with text", u.Code, n, len(pages))
		}
		text := squeeze(strings.Join(pages, "\n"))
		// The head is the unit's own (starter site.toml: [level.form] per
		// level), and the subject "Readiness of {name}".
		wants := []string{u.Name, u.Code, u.Checklist.Version, "Municipal election 2027", "Readiness of " + u.Name}
		wants = append(wants, u.Head.Left...)
		for _, e := range u.Checklist.Entries {
			wants = append(wants, e.Task.Title)
			wants = append(wants, e.Task.Items...)
		}
		for _, s := range signersOf(u.LevelRef, m.Label) {
			wants = append(wants, s.For, s.Title)
		}
		for _, want := range wants {
			if !strings.Contains(text, squeeze(want)) {
				t.Errorf("unit %s: the PDF lacks %q", u.Code, want)
			}
		}
		checkPageNumbers(t, u.Code+".pdf", b)
	}
	// The island station votes a day early: its dates are a day earlier.
	island := readFile(t, filepath.Join(dest, "pdf", "units", "RV-N-02.pdf"))
	if text := strings.Join(pageTexts(t, island), "\n"); !strings.Contains(text, "Own voting day: 5 Jun 2027") || !strings.Contains(text, "4 Jun 2027") {
		t.Errorf("the island station's PDF lacks its own day:\n%s", text)
	}
}

func starterFS() fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, name := range []string{"content/site.toml", "content/bodies.toml", "content/units.toml", "content/plans/preparation.toml"} {
		b, err := readStarter(name)
		if err != nil {
			panic(err)
		}
		fsys[name] = &fstest.MapFile{Data: b}
	}
	return fsys
}

func readStarter(name string) ([]byte, error) {
	f, err := starter.FS().Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// TestReproducible renders the same site twice, and once with more units
// than before: a unit's PDF must not change with what else is built.
func TestReproducible(t *testing.T) {
	m := open(t, starterFS())
	date := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	a := render(t, m, Options{Units: m.Units, Date: date})
	b := render(t, m, Options{Units: m.Units, Date: date})
	c := render(t, m, Options{Units: m.Units[len(m.Units)-1:], Date: date})
	for _, u := range m.Units {
		rel := filepath.Join("pdf", "units", u.Code+".pdf")
		if !bytes.Equal(readFile(t, filepath.Join(a, rel)), readFile(t, filepath.Join(b, rel))) {
			t.Errorf("%s differs between two builds", rel)
		}
	}
	last := filepath.Join("pdf", "units", m.Units[len(m.Units)-1].Code+".pdf")
	if !bytes.Equal(readFile(t, filepath.Join(a, last)), readFile(t, filepath.Join(c, last))) {
		t.Errorf("%s differs when built alone", last)
	}
	if _, err := os.Stat(filepath.Join(c, "pdf", "units", m.Units[0].Code+".pdf")); err == nil {
		t.Errorf("a unit not asked for got a PDF")
	}
	pdf := readFile(t, filepath.Join(a, last))
	if !bytes.Contains(pdf, []byte("/CreationDate (D:20270301000000)")) || !bytes.Contains(pdf, []byte("/ModDate (D:20270301000000)")) {
		t.Errorf("the PDF's dates are not the build's date")
	}
}

// extremeFS is a Vietnamese site whose content pushes the layout: a
// 2,000-character title, 200 items, words longer than a column, emoji,
// a unit and a level without tasks, a level without signature roles.
func extremeFS() fstest.MapFS {
	long := strings.TrimSpace(strings.Repeat("Kiểm tra công tác chuẩn bị ", 80))[:2000]
	long = strings.ToValidUTF8(long, "")
	word := strings.Repeat("Khôngcódấucách", 25)
	var items []string
	for i := 1; i <= 200; i++ {
		items = append(items, `"Mục kiểm tra số `+strconv.Itoa(i)+`"`)
	}
	plan := `number = "1/KH"
title = "Kế hoạch"

[[task]]
id = "long-title"
title = "` + long + `"
levels = ["leaf"]
responsible = "team"
unless = ["empty"]
due = "E-3"

[[task]]
id = "many-items"
title = "Hai trăm mục"
levels = ["leaf"]
responsible = "team"
unless = ["empty"]
due = "E-2 17:00"
start = "E-10"
items = [` + strings.Join(items, ", ") + `]

[[task]]
id = "long-word"
title = "` + word + `"
levels = ["leaf"]
responsible = "team"
support = ["emoji-body"]
unless = ["empty"]
items = ["` + word + `"]
evidence = ["` + word + `"]

[[task]]
id = "emoji"
title = "Chuẩn bị hòm phiếu 🗳️ và con dấu 👍🏽"
levels = ["leaf"]
responsible = "team"
unless = ["empty"]
due = "E"
items = ["Cờ 🇻🇳 treo trước cổng", "Gia đình 👨‍👩‍👧 đi bầu"]
`
	return fstest.MapFS{
		"content/site.toml": {Data: []byte(`title = "Bầu cử thử"
language = "vi"
election_day = 2021-05-23
organisation = "Ủy ban bầu cử"

[[level]]
id = "top"
name = "Cấp trên"
sign = ["NGƯỜI KIỂM TRA", "CHỦ TỊCH"]

[[level]]
id = "leaf"
name = "Khu vực"

[form]
left = ["ỦY BAN BẦU CỬ", "TỈNH THỬ"]
right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
place = "Bắc Kạn"
`)},
		"content/bodies.toml": {Data: []byte(`[[body]]
id = "team"
name = "Tổ bầu cử"

[[body]]
id = "emoji-body"
name = "Đội hỗ trợ 🚀"
`)},
		"content/units.toml": {Data: []byte(`[[unit]]
code = "T"
name = "Tỉnh Thử ✓"
level = "top"

[[unit]]
code = "L1"
parent = "T"
name = "Khu vực bỏ phiếu số 1"
level = "leaf"

[[unit]]
code = "` + strings.Repeat("L2-", 21) + `"
parent = "T"
name = "Khu vực bỏ phiếu số 2"
level = "leaf"
tags = ["empty"]
`)},
		"content/plans/p.toml": {Data: []byte(plan)},
	}
}

var textPos = regexp.MustCompile(`BT /[A-Za-z0-9]+ ([0-9.]+) Tf ET|BT ([0-9.-]+) ([0-9.-]+) Td`)

// checkPlacement checks that every text of a page's content starts inside
// the page's margins, except the footer's (9 pt), which sits in the
// bottom margin, and the page number's, in the top margin, both inside
// the paper's edge.
func checkPlacement(t *testing.T, name string, pdf []byte) {
	t.Helper()
	const k = 72 / 25.4
	for i, data := range pageContents(t, pdf) {
		page := i + 1
		size := 0.0
		for _, m := range textPos.FindAllSubmatch(data, -1) {
			if m[1] != nil {
				size, _ = strconv.ParseFloat(string(m[1]), 64)
				continue
			}
			x, _ := strconv.ParseFloat(string(m[2]), 64)
			y, _ := strconv.ParseFloat(string(m[3]), 64)
			low, high := marginB*k, (pageH-marginT)*k
			switch size {
			case footerSize:
				low = 5 * k
			case pageNoSize:
				high = (pageH - 5) * k
			}
			if x < marginL*k-0.01 || x > (pageW-marginR)*k || y < low || y > high {
				t.Errorf("%s page %d: text at (%.1f, %.1f) mm lies outside the page's margins", name, page, x/k, pageH-y/k)
			}
		}
	}
}

func TestRenderExtreme(t *testing.T) {
	m := open(t, extremeFS())
	list, err := Check(m, m.Units)
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	for _, w := range list {
		warnings = append(warnings, w.Error())
	}
	dest := render(t, m, Options{Units: m.Units})

	all := strings.Join(warnings, "\n")
	for _, want := range []string{
		"content/plans/p.toml:", "task p/emoji: the title", "U+1F5F3", "task p/emoji: item 1", "task p/emoji: item 2",
		"content/bodies.toml:", "the name of body emoji-body", "U+1F680",
		"content/units.toml:", "the name of unit T has", "U+2713",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the warnings lack %q:\n%s", want, all)
		}
	}
	for _, unwanted := range []string{"p/long-title", "p/many-items", "p/long-word"} {
		if strings.Contains(all, unwanted) {
			t.Errorf("a warning names %s, which prints as written:\n%s", unwanted, all)
		}
	}
	if len(warnings) != 5 {
		t.Errorf("got %d warnings, want 5 (title, two items, body, unit), each once:\n%s", len(warnings), all)
	}

	nospace := func(s string) string { return strings.Join(strings.Fields(s), "") }
	b := readFile(t, filepath.Join(dest, "pdf", "units", "L1.pdf"))
	checkPlacement(t, "L1.pdf", b)
	pages := pageTexts(t, b)
	if len(pages) < 6 {
		t.Errorf("L1.pdf has %d pages; 200 items need more than 5", len(pages))
	}
	// A row split across pages has the next page's table header and the
	// footer between its parts: drop those lines before looking.
	fm := newForm(m, mustFonts(t), m.Site.ElectionDay.Time())
	repeated := map[string]bool{}
	for _, c := range fm.header.cells {
		for _, l := range c {
			repeated[l.text] = true
		}
	}
	var body []string
	for i, p := range pages {
		for _, l := range strings.Split(p, "\n") {
			if !repeated[l] && !strings.HasPrefix(l, "Mã: L1") && l != strconv.Itoa(i+1) {
				body = append(body, l)
			}
		}
	}
	text := nospace(strings.Join(body, "\n"))
	wants := []string{"Khu vực bỏ phiếu số 1", "Chuẩn bị hòm phiếu □ và con dấu □", "Cờ □ treo trước cổng", "Gia đình □ đi bầu", "Đội hỗ trợ □"}
	for _, e := range m.Unit("L1").Checklist.Entries {
		if e.Task.ID != "emoji" {
			wants = append(wants, e.Task.Title)
			wants = append(wants, e.Task.Items...)
		}
	}
	for _, want := range wants {
		if !strings.Contains(text, nospace(want)) {
			t.Errorf("L1.pdf lacks %.60q", want)
		}
	}
	for i, p := range pages {
		last := i == len(pages)-1
		if !strings.Contains(p, "Nội dung công việc") && !(last && strings.Contains(p, "NGƯỜI XÁC NHẬN")) {
			t.Errorf("L1.pdf page %d lacks the table header", i+1)
		}
	}
	checkPageNumbers(t, "L1.pdf", b)
	if !strings.Contains(pages[len(pages)-1], "NGƯỜI XÁC NHẬN") || !strings.Contains(pages[len(pages)-1], "(Ký, ghi rõ họ tên)") {
		t.Errorf("L1.pdf: the last page lacks the signature block (a level without roles signs as the confirming person)")
	}

	for _, rel := range []string{"units/" + strings.Repeat("L2-", 21) + ".pdf", "levels/top.pdf"} {
		b := readFile(t, filepath.Join(dest, "pdf", rel))
		checkPlacement(t, rel, b)
		pages := pageTexts(t, b)
		if len(pages) != 1 {
			t.Errorf("%s: %d pages, want 1", rel, len(pages))
		}
		if !strings.Contains(pages[0], "Không có nhiệm vụ nào cho đơn vị này.") {
			t.Errorf("%s lacks the no-tasks message:\n%s", rel, pages[0])
		}
		if strings.Contains(pages[0], "Nội dung công việc") {
			t.Errorf("%s prints a table header without tasks", rel)
		}
	}
}

// TestFontTiers checks that the cut of the fonts a document embeds
// follows its own text, and that every cut prints the same text.
func TestFontTiers(t *testing.T) {
	m := open(t, starterFS())
	fonts := mustFonts(t)
	fm := newForm(m, fonts, m.Site.ElectionDay.Time())
	u := m.Unit("RV-N-01")
	d := fm.unitDoc(u, fm.table(u.Checklist, false))
	if got := fm.tier(d); got != 0 {
		t.Errorf("an English unit needs fonts tier %d, want 0", got)
	}
	greek := *u
	greek.Name = "Σταθμός 1"
	if got := fm.tier(fm.unitDoc(&greek, fm.table(u.Checklist, false))); got != len(fonts.cuts) {
		t.Errorf("a unit with a Greek name needs fonts tier %d, want %d (the full faces)", got, len(fonts.cuts))
	}
	arrow := *u
	arrow.Name = "Station → 1"
	if got := fm.tier(fm.unitDoc(&arrow, fm.table(u.Checklist, false))); got != 1 {
		t.Errorf("a unit with an arrow in its name needs fonts tier %d, want 1", got)
	}
	var want []string
	for tier := 0; tier <= len(fonts.cuts); tier++ {
		f := *fm
		f.sharedTier = tier
		var buf bytes.Buffer
		if err := f.write(&buf, d); err != nil {
			t.Fatal(err)
		}
		got := pageTexts(t, buf.Bytes())
		if tier == 0 {
			want = got
		} else if !reflect.DeepEqual(got, want) {
			t.Errorf("fonts tier %d prints other text than tier 0", tier)
		}
	}
}

// TestRenderError checks that a unit whose PDF cannot be written fails
// the render with an error naming the file, after the units before it.
func TestRenderError(t *testing.T) {
	m := open(t, starterFS())
	bad := *m.Units[1]
	bad.Code = "../escape"
	units := []*plan.Unit{m.Units[0], &bad, m.Units[2]}
	out, err := output.Stage(filepath.Join(t.TempDir(), "public"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Abort()
	err = Render(m, out, Options{Units: units})
	if err == nil || !strings.Contains(err.Error(), "escape") {
		t.Fatalf("Render with a unit code leaving the destination = %v, want an error naming it", err)
	}
	if _, err := os.Stat(filepath.Join(out.Root(), "pdf", "units", m.Units[0].Code+".pdf")); err != nil {
		t.Errorf("the unit before the bad one was not written: %v", err)
	}
}

// TestCheckPlaces checks that each text the font cannot print is reported
// at the key, or the array element, that holds it: columns counted by hand
// from the files below (the value's first character, its quote).
func TestCheckPlaces(t *testing.T) {
	m := open(t, fstest.MapFS{
		"content/site.toml": {Data: []byte(`title = "Test"
language = "en"
election_day = 2027-06-06
organisation = "Org 🗳"

[[level]]
id = "top"
name = "Top"
sign = ["Chair", "Clerk 🗳"]

[form]
left = ["A", "B 🗳"]
place = "Town 🗳"

[labels]
page = "Page 🗳"
`)},
		"content/bodies.toml": {Data: []byte(`[[body]]
id = "team"
name = "Team 🗳"
`)},
		"content/units.toml": {Data: []byte(`[[unit]]
code = "T"
name = "Top unit 🗳"
level = "top"
`)},
		"content/plans/p.toml": {Data: []byte(`number = "1"
title = "Plan"

[[task]]
id = "t"
title = "Task 🗳"
levels = ["top"]
responsible = "team"
due = "E-1"
items = ["one", "two 🗳"]
evidence = ["ok", "bad 🗳"]
`)},
	})
	list, err := Check(m, m.Units)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ pos, what string }{
		{"content/bodies.toml:3:8", "the name of body team"},
		{"content/plans/p.toml:6:9", "task p/t: the title"},
		{"content/plans/p.toml:10:17", "task p/t: item 2"},
		{"content/plans/p.toml:11:19", "task p/t: evidence 2"},
		{"content/site.toml:4:16", "the organisation"},
		{"content/site.toml:9:18", "level top: sign 2"},
		{"content/site.toml:12:14", "[form] left line 2"},
		{"content/site.toml:13:9", "the place in [form]"},
		{"content/site.toml:16:8", "the label page"},
		{"content/units.toml:3:8", "the name of unit T"},
	}
	if len(list) != len(want) {
		t.Errorf("Check = %d warnings, want %d:\n%v", len(list), len(want), list)
	}
	for i, w := range want {
		if i >= len(list) {
			break
		}
		if got := list[i].Error(); !strings.HasPrefix(got, w.pos+": warning: "+w.what+" ") {
			t.Errorf("warning %d = %q, want it at %s about %s", i+1, got, w.pos, w.what)
		}
	}
}
