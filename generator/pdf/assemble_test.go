package pdf

import (
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"checkgen/generator/fixture"
	"checkgen/generator/plan"
)

// embeddedFont is what a PDF embeds of one font, read through its objects.
type embeddedFont struct {
	name   string // the base font
	widths string // the CID font's /W
	gids   []byte // the decoded CIDToGIDMap: two bytes a CID
}

var (
	fontsDict = regexp.MustCompile(`/Font\s*<<([^>]*)>>`)
	fontEntry = regexp.MustCompile(`/([A-Za-z0-9]+)\s+(\d+) 0 R`)
	baseFont  = regexp.MustCompile(`/BaseFont\s*/([A-Za-z0-9+]+)`)
	widthsArr = regexp.MustCompile(`(?s)/W\s*\[(.*)\]\s*/CIDToGIDMap`)
	fontUse   = regexp.MustCompile(`/([A-Za-z0-9]+) [0-9.]+ Tf|(\((?:\\.|[^\\)])*\))\s*Tj`)
)

// fontsOf returns the fonts of a PDF's first page by resource name.
func fontsOf(t testing.TB, pdf []byte) map[string]embeddedFont {
	t.Helper()
	f := readPDF(t, pdf)
	root := trailerRoot.FindSubmatch(pdf)
	catalog, _ := f.object(atoi(string(root[1])))
	pages, _ := f.object(f.ref(catalog, "/Pages"))
	kid := refRe.FindStringSubmatch(regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`).FindStringSubmatch(pages)[1])
	page, _ := f.object(atoi(kid[1]))
	res, _ := f.object(f.ref(page, "/Resources"))
	out := map[string]embeddedFont{}
	for _, e := range fontEntry.FindAllStringSubmatch(fontsDict.FindStringSubmatch(res)[1], -1) {
		type0, _ := f.object(atoi(e[2]))
		cid, _ := f.object(f.ref(type0, "/DescendantFonts"))
		_, gids := f.object(f.ref(cid, "/CIDToGIDMap"))
		desc, _ := f.object(f.ref(cid, "/FontDescriptor"))
		if _, file := f.object(f.ref(desc, "/FontFile2")); len(file) < 1000 {
			t.Errorf("font %s embeds a font program of %d bytes", e[1], len(file))
		}
		w := widthsArr.FindStringSubmatch(cid)
		if w == nil {
			t.Fatalf("font %s has no /W", e[1])
		}
		out[e[1]] = embeddedFont{name: baseFont.FindStringSubmatch(type0)[1], widths: strings.Join(strings.Fields(w[1]), " "), gids: gids}
	}
	return out
}

// checkGlyphs checks that every character a PDF shows maps to a glyph of
// the font it is shown in.
func checkGlyphs(t *testing.T, name string, pdf []byte) {
	t.Helper()
	fonts := fontsOf(t, pdf)
	for i, content := range pageContents(t, pdf) {
		var cur embeddedFont
		for _, m := range fontUse.FindAllSubmatch(content, -1) {
			if m[1] != nil {
				cur = fonts[string(m[1])]
				continue
			}
			for _, s := range showStrings(append(append([]byte(nil), m[2]...), "Tj"...)) {
				for _, r := range s {
					if 2*int(r)+1 >= len(cur.gids) || cur.gids[2*r] == 0 && cur.gids[2*r+1] == 0 {
						t.Errorf("%s page %d: %q shows %q, which font %s has no glyph for", name, i+1, s, r, cur.name)
					}
				}
			}
		}
	}
}

func atoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

// strokeOp is a rectangle or a line stroked in a content stream.
var strokeOp = regexp.MustCompile(`[0-9.-]+ [0-9.-]+ [0-9.-]+ [0-9.-]+ re S|[0-9.-]+ [0-9.-]+ m [0-9.-]+ [0-9.-]+ l S`)

// strokesOf returns the rectangles and lines each page strokes, in order.
func strokesOf(t testing.TB, pdf []byte) [][]string {
	var pages [][]string
	for _, c := range pageContents(t, pdf) {
		var ops []string
		for _, m := range strokeOp.FindAll(c, -1) {
			ops = append(ops, string(m))
		}
		pages = append(pages, ops)
	}
	return pages
}

// checkSame checks that two PDFs of one unit show the same: the same
// texts at the same places in the same order on each page, the same
// rules and boxes, in fonts of the same widths that have a glyph for every
// character shown.
func checkSame(t *testing.T, name string, got, want []byte) {
	t.Helper()
	g, w := placedTexts(t, got), placedTexts(t, want)
	if len(g) != len(w) {
		t.Errorf("%s: %d pages assembled, %d typeset", name, len(g), len(w))
		return
	}
	for i := range g {
		if !reflect.DeepEqual(g[i], w[i]) {
			t.Errorf("%s page %d: assembled shows\n%v\ntypeset shows\n%v", name, i+1, g[i], w[i])
		}
	}
	gs, ws := strokesOf(t, got), strokesOf(t, want)
	for i := range min(len(gs), len(ws)) {
		if !reflect.DeepEqual(gs[i], ws[i]) {
			t.Errorf("%s page %d: assembled strokes\n%v\ntypeset strokes\n%v", name, i+1, gs[i], ws[i])
		}
	}
	byName := func(pdf []byte) map[string]string {
		w := map[string]string{}
		for _, f := range fontsOf(t, pdf) {
			w[f.name] = f.widths
		}
		return w
	}
	if g, w := byName(got), byName(want); len(g) != faces || !reflect.DeepEqual(g, w) {
		t.Errorf("%s: the fonts' widths differ:\nassembled %v\ntypeset %v", name, g, w)
	}
	checkGlyphs(t, name+" assembled", got)
	checkGlyphs(t, name+" typeset", want)
}

// TestAssembledEqualsTypeset renders every unit of the example site both
// ways and reads both back: the assembled PDF shows what the typeset one
// shows, where it shows it, in the same fonts.
func TestAssembledEqualsTypeset(t *testing.T) {
	m, err := plan.Open(fixture.Example(t))
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC)
	units := sampled(m.Units)
	a := renderHow(t, m, Options{Units: units, Date: date}, assembled)
	w := renderHow(t, m, Options{Units: units, Date: date}, typeset)
	for _, u := range units {
		rel := filepath.Join("pdf", "units", u.Code+".pdf")
		checkSame(t, rel, readFile(t, filepath.Join(a, rel)), readFile(t, filepath.Join(w, rel)))
	}
}

// longHeadFS is a site whose polling areas share a checklist of three
// pages; P2's head has many more lines than P1's, so its page 1 holds
// fewer rows.
func longHeadFS() fstest.MapFS {
	var tasks strings.Builder
	for i := range 14 {
		fmt.Fprintf(&tasks, "[[task]]\nid = \"t%d\"\ntitle = \"Công việc số %d của tổ bầu cử\"\nlevels = [\"polling\"]\nresponsible = \"team\"\ndue = \"E-%d\"\nitems = [\"Việc một\", \"Việc hai\", \"Việc ba\", \"Việc bốn\"]\n\n", i, i+1, 30-i)
	}
	long := make([]string, 14)
	for i := range long {
		long[i] = fmt.Sprintf("%q", fmt.Sprintf("DÒNG %d CỦA CƠ QUAN BAN HÀNH", i+1))
	}
	return fstest.MapFS{
		"content/site.toml": {Data: []byte(`title = "Bầu cử thử"
language = "vi"
election_day = 2021-05-23
organisation = "Ủy ban bầu cử"

[[level]]
id = "commune"
name = "Cấp xã"

[[level]]
id = "polling"
name = "Khu vực bỏ phiếu"
sign = ["TỔ TRƯỞNG"]
`)},
		"content/bodies.toml": {Data: []byte("[[body]]\nid = \"team\"\nname = \"Tổ bầu cử\"\n")},
		"content/units.toml": {Data: []byte(`[[unit]]
code = "X"
name = "Xã Một"
level = "commune"

[[unit]]
code = "P1"
parent = "X"
name = "Khu vực bỏ phiếu số 1"
level = "polling"

[[unit]]
code = "P2"
parent = "X"
name = "Khu vực bỏ phiếu số 2"
level = "polling"
[unit.form]
left = [` + strings.Join(long, ", ") + `]
`)},
		"content/plans/kh.toml": {Data: []byte("number = \"1/KH\"\ndate = 2021-03-04\nissuer = \"Ủy ban\"\ntitle = \"Kế hoạch\"\n\n" + tasks.String())},
	}
}

// TestAssembledLongHead checks a unit whose head is tall enough to move a
// page break: its pages break otherwise than its neighbour's, with the
// same checklist, and its assembled PDF still shows what typesetting it
// whole shows.
func TestAssembledLongHead(t *testing.T) {
	m := open(t, longHeadFS())
	p1, p2 := m.Unit("P1"), m.Unit("P2")
	if p1.Checklist != p2.Checklist {
		t.Fatal("the two polling areas do not share a checklist")
	}
	date := time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC)
	a := renderHow(t, m, Options{Units: m.Units, Date: date}, assembled)
	w := renderHow(t, m, Options{Units: m.Units, Date: date}, typeset)
	rowsOnPage1 := func(pdf []byte) int {
		return strings.Count(pageTexts(t, pdf)[0], "của tổ bầu cử")
	}
	var first [2]int
	for i, u := range []*plan.Unit{p1, p2} {
		rel := filepath.Join("pdf", "units", u.Code+".pdf")
		got, want := readFile(t, filepath.Join(a, rel)), readFile(t, filepath.Join(w, rel))
		checkSame(t, rel, got, want)
		first[i] = rowsOnPage1(got)
		if n := rowsOnPage1(want); n != first[i] {
			t.Errorf("%s: page 1 holds %d rows assembled, %d typeset", rel, first[i], n)
		}
	}
	if first[1] >= first[0] || first[1] == 0 {
		t.Errorf("page 1 holds %d rows under the long head, %d under the short one; want fewer, not none", first[1], first[0])
	}
}
