package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"unicode/utf16"

	"checkgen/generator/internal/fixedflate"
	"checkgen/generator/pdf/internal/fpdf"
)

// A unit's PDF is assembled, not typeset: most of it is the same for every
// unit with the same checklist, and is made once.
//
// What the units of one checklist share is the body of their pages (the
// "Căn cứ" list, the table, the signatures, the page numbers): it depends
// only on the table, the signature block and where the body starts on
// page 1 (below the head and title), which decides the page breaks. The
// body's page streams are drawn and compressed once per such triple,
// numbered as the same objects in every file; a unit whose head or title
// moves the body (and so perhaps a page break) gets a body of its own. What
// names a unit (the head and title on page 1, the footer, the document
// information) is written for each unit as two small streams laid over
// the body: a page's /Contents is [top body footer] on page 1 and [body
// footer] after, in the order a whole typesetting draws them, so text
// extraction reads them in the same order. The fonts are fpdf's, cut as a
// whole typesetting of the unit cuts them, to the runes its text shows,
// and to the ten digits; units whose text shows the same runes share
// them, so they are made once per distinct set of runes and kept for the
// next units.
//
// Object numbers of an assembled PDF:
//
//	1 catalog, 2 page tree, 3 document information, 4 resources
//	5 ... 25: the fonts, 7 objects a face (see fontObjects)
//	26 ... 26+P-1: the body stream of each of the P pages
//	26+P: the top of page 1, 27+P: the footer
//	28+P ... 28+2P-1: the pages
const (
	objCatalog   = 1
	objPages     = 2
	objInfo      = 3
	objResources = 4
	objFonts     = 5
	fontObjCount = 7
	objBodies    = objFonts + faces*fontObjCount
)

// fontObj is the number of the first object of face f.
func fontObj(f face) int { return objFonts + int(f)*fontObjCount }

// assembler makes the shared parts on first use and assembles units' PDFs
// from them. It is safe for concurrent use.
type assembler struct {
	fm *form

	mu     sync.Mutex
	bodies map[bodyKey]*lazy[*body]
	fonts  map[fontKey]*lazy[*objects]

	// The catalog and the resources, the same in every file.
	catalog, resources string
}

// maxFonts bounds the fonts kept: units are rendered in site order, so
// the units that share a set of runes (those of one commune, one
// district) come close together.
const maxFonts = 384

func newAssembler(fm *form) *assembler {
	catalog := "<<\n/Type /Catalog\n/Pages 2 0 R\n"
	if langTag.MatchString(fm.lang) {
		catalog += "/Lang (" + fm.lang + ")\n"
	}
	res := "<<\n/ProcSet [/PDF /Text /ImageB /ImageC /ImageI]\n/Font <<\n"
	for f := range face(faces) {
		res += fontName(f) + " " + strconv.Itoa(fontObj(f)) + " 0 R\n"
	}
	return &assembler{fm: fm, bodies: map[bodyKey]*lazy[*body]{}, fonts: map[fontKey]*lazy[*objects]{},
		catalog: catalog + ">>", resources: res + ">>\n>>"}
}

// lazy is a value made once, by the first that asks for it.
type lazy[T any] struct {
	once sync.Once
	v    T
	err  error
}

func (l *lazy[T]) get(make func() (T, error)) (T, error) {
	l.once.Do(func() { l.v, l.err = make() })
	return l.v, l.err
}

// bodyKey says what a body depends on: the table, the signatures and
// where page 1's body starts (as pagination counts it, and as drawing
// reaches it).
type bodyKey struct {
	t     *table
	signs *signRow // the first row of the level's signature block; nil for none
	top   float64
	y     float64
}

// body is the page streams that every unit with one bodyKey shares.
type body struct {
	pages int
	objs  objects // numbered from objBodies
	runes [faces]runeSet
	list  [faces][]rune // the runes of runes, in order
}

// objects are PDF objects written one after the other: their bytes and
// where each starts.
type objects struct {
	b    []byte
	nums []int // the objects' numbers
	offs []int // where each starts in b
}

// start notes that object n starts here.
func (o *objects) start(n int) {
	o.nums = append(o.nums, n)
	o.offs = append(o.offs, len(o.b))
}

// bodyKey returns the key of document d's body.
func (fm *form) bodyKey(d *document) bodyKey {
	k := bodyKey{t: d.table, y: titleEnd(d)}
	k.top = marginT + d.head.h + afterHead + d.title.height() + afterTitle
	if len(d.table.basis) > 0 {
		k.top += d.table.basis.height() + afterBasis
	}
	if len(d.signs) > 0 {
		k.signs = &d.signs[0]
	}
	return k
}

// body returns the body of document d, made on first use.
func (a *assembler) body(d *document) (*body, error) {
	k := a.fm.bodyKey(d)
	a.mu.Lock()
	l, ok := a.bodies[k]
	if !ok {
		l = &lazy[*body]{}
		a.bodies[k] = l
	}
	a.mu.Unlock()
	return l.get(func() (*body, error) { return a.fm.makeBody(d), nil })
}

// makeBody lays out document d and writes the body of each of its pages
// as a compressed stream.
func (fm *form) makeBody(d *document) *body {
	l := fm.lay(d)
	b := &body{pages: len(l.pages)}
	for n := range l.pages {
		s := stream{width: fm.width}
		s.begin()
		fm.drawBody(&s, l, n)
		s.end()
		for f := range b.runes {
			for _, r := range s.runes[f] {
				b.runes[f].add(r)
			}
		}
		b.objs.addStream(objBodies+n, deflate(nil, s.buf, zlib.BestCompression))
	}
	for f := range b.runes {
		// Every face holds the ten digits, shown or not: units whose
		// names differ only in their numbers ("Khu vực bỏ phiếu số 12")
		// share their fonts, for a few glyphs more.
		for r := '0'; r <= '9'; r++ {
			b.runes[f].add(r)
		}
		for r := rune(0); r < 0x10000; r++ {
			if b.runes[f].has(r) {
				b.list[f] = append(b.list[f], r)
			}
		}
	}
	return b
}

// addStream appends object n, a stream compressed with zlib.
func (o *objects) addStream(n int, data []byte) {
	o.start(n)
	o.b = strconv.AppendInt(o.b, int64(n), 10)
	o.b = append(o.b, " 0 obj\n<</Filter /FlateDecode /Length "...)
	o.b = strconv.AppendInt(o.b, int64(len(data)), 10)
	o.b = append(o.b, ">>\nstream\n"...)
	o.b = append(o.b, data...)
	o.b = append(o.b, "\nendstream\nendobj\n"...)
}

// add appends object n with the given body.
func (o *objects) add(n int, obj ...string) {
	o.start(n)
	o.b = strconv.AppendInt(o.b, int64(n), 10)
	o.b = append(o.b, " 0 obj\n"...)
	for _, s := range obj {
		o.b = append(o.b, s...)
	}
	o.b = append(o.b, "\nendobj\n"...)
}

// fontKey names a face cut to a set of runes.
type fontKey struct {
	tier  int
	face  face
	runes string
}

// font returns the objects of face f of tier, cut to runes, made on first
// use.
func (a *assembler) font(k fontKey) (*objects, error) {
	a.mu.Lock()
	l, ok := a.fonts[k]
	if !ok {
		if len(a.fonts) >= maxFonts {
			clear(a.fonts)
		}
		l = &lazy[*objects]{}
		a.fonts[k] = l
	}
	a.mu.Unlock()
	return l.get(func() (*objects, error) {
		return fontObjects(a.fm.fonts.ttf(k.tier, k.face), k.face, k.runes)
	})
}

// fontObjects returns the objects fpdf writes for face f of the font ttf
// in a document that shows runes in it, numbered from fontObj(f): the
// Type0 font, its CID font, the ToUnicode map, the CID system info, the
// descriptor, the CID-to-glyph map and the font file, cut to the runes.
// It has fpdf write such a document and takes them from it, so that they
// are what a whole typesetting embeds for the same runes.
func fontObjects(ttf []byte, f face, runes string) (*objects, error) {
	p := fpdf.New("P", "mm", "A4", "")
	p.AddUTF8FontFromBytes(family, f.style(), ttf)
	p.AddPage()
	p.SetFont(family, f.style(), 12)
	p.CellFormat(10, 10, runes, "", 0, "L", false, 0, "")
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("cutting the %s face: %w", f.name(), err)
	}
	return extractFont(buf.Bytes(), fontObj(f))
}

var (
	startXref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	reference = regexp.MustCompile(`(\d+) 0 R`)
)

// extractFont takes the 7 objects of the one font of a PDF fpdf wrote, and
// numbers them from base.
func extractFont(pdf []byte, base int) (*objects, error) {
	offs, xref, err := xrefOffsets(pdf)
	if err != nil {
		return nil, err
	}
	first := -1
	for n, off := range offs {
		if off > 0 && bytes.HasPrefix(pdf[off:], []byte(strconv.Itoa(n)+" 0 obj\n<</Type /Font\n/Subtype /Type0\n")) {
			first = n
			break
		}
	}
	if first < 0 || first+fontObjCount > len(offs) {
		return nil, fmt.Errorf("fpdf wrote no font")
	}
	// Each object ends where the next one in the file starts.
	ends := slices.Sorted(slices.Values(append(offs, xref)))
	o := &objects{}
	for i := range fontObjCount {
		n := first + i
		start := offs[n]
		j, _ := slices.BinarySearch(ends, start+1)
		if j == len(ends) {
			return nil, fmt.Errorf("fpdf's font object %d has no end", n)
		}
		obj := pdf[start:ends[j]]
		head, rest, ok := bytes.Cut(obj, []byte(" 0 obj\n"))
		if !ok || string(head) != strconv.Itoa(n) {
			return nil, fmt.Errorf("fpdf's object %d is not where its xref says", n)
		}
		dict, data, isStream := bytes.Cut(rest, []byte(">>\nstream\n"))
		dict = reference.ReplaceAllFunc(dict, func(ref []byte) []byte {
			m, _ := strconv.Atoi(string(ref[:len(ref)-len(" 0 R")]))
			if m < first || m >= first+fontObjCount {
				return ref
			}
			return []byte(strconv.Itoa(base+m-first) + " 0 R")
		})
		o.start(base + i)
		o.b = strconv.AppendInt(o.b, int64(base+i), 10)
		o.b = append(o.b, " 0 obj\n"...)
		o.b = append(o.b, dict...)
		if isStream {
			o.b = append(o.b, ">>\nstream\n"...)
			o.b = append(o.b, data...)
		}
	}
	return o, nil
}

// xrefOffsets reads the cross-reference table of a PDF fpdf wrote: the
// offset of each object by number (0 for free entries).
func xrefOffsets(pdf []byte) (offs []int, at int, err error) {
	m := startXref.FindSubmatch(pdf)
	if m == nil {
		return nil, 0, fmt.Errorf("no startxref")
	}
	at, _ = strconv.Atoi(string(m[1]))
	if at >= len(pdf) {
		return nil, 0, fmt.Errorf("startxref beyond the end")
	}
	var n int
	if _, err := fmt.Sscanf(string(pdf[at:min(len(pdf), at+40)]), "xref\n0 %d\n", &n); err != nil {
		return nil, 0, fmt.Errorf("reading the xref: %w", err)
	}
	table := pdf[at:]
	table = table[bytes.IndexByte(table, '\n')+1:]
	table = table[bytes.IndexByte(table, '\n')+1:]
	if len(table) < 20*n {
		return nil, 0, fmt.Errorf("a short xref")
	}
	offs = make([]int, n)
	for i := range offs {
		e := table[20*i : 20*i+20]
		if e[17] != 'n' {
			continue
		}
		offs[i], _ = strconv.Atoi(string(e[:10]))
	}
	return offs, at, nil
}

// zlib writers, by level: their state is large, so they are reused.
var zlibPools [zlib.BestCompression + 1]sync.Pool

// deflate appends data compressed with zlib at level to dst.
func deflate(dst, data []byte, level int) []byte {
	out := appendWriter{dst}
	z, _ := zlibPools[level].Get().(*zlib.Writer)
	if z == nil {
		z, _ = zlib.NewWriterLevel(&out, level)
	} else {
		z.Reset(&out)
	}
	z.Write(data)
	z.Close()
	z.Reset(nil)
	zlibPools[level].Put(z)
	return out.b
}

type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// assemble writes the PDF of document d to w: the shared body of its
// pages, its own top and footer, fonts cut to the runes it shows.
func (a *assembler) assemble(w io.Writer, d *document) error {
	fm := a.fm
	b, err := a.body(d)
	if err != nil {
		return err
	}
	top := stream{width: fm.width}
	top.begin()
	fm.drawTop(&top, d)
	top.end()
	foot := stream{width: fm.width}
	foot.begin()
	fm.drawFooter(&foot, d.footer)
	foot.end()

	tier := fm.tier(d)
	var fonts [faces]*objects
	for f := range face(faces) {
		runes := b.list[f]
		if extra := slices.Concat(top.runes[f], foot.runes[f]); len(extra) > 0 {
			runes = union(runes, extra, &b.runes[f])
		}
		fonts[f], err = a.font(fontKey{tier: tier, face: f, runes: string(runes)})
		if err != nil {
			return err
		}
	}
	own := a.ownObjects(d, b.pages, &top, &foot)
	return writeFile(w, &own, fonts[0], fonts[1], fonts[2], &b.objs)
}

// ownObjects returns the objects of document d that are its own: the top
// and footer streams, the pages and the page tree, the catalog, the
// document information and the resources.
func (a *assembler) ownObjects(d *document, pages int, top, foot *stream) objects {
	fm := a.fm
	objTop, objFoot, objPage := objBodies+pages, objBodies+pages+1, objBodies+pages+2
	own := objects{b: make([]byte, 0, len(top.buf)/2+len(foot.buf)/2+1024+128*pages)}
	// A unit's own streams are a few kilobytes: in deflate's fixed codes
	// (fixedflate) rather than compress/zlib's, which spent most of its
	// time on Huffman tables for them.
	own.addStream(objTop, fixedflate.AppendZlib(nil, top.buf))
	own.addStream(objFoot, fixedflate.AppendZlib(nil, foot.buf))
	kids := make([]byte, 0, 8*pages)
	for n := range pages {
		page := "<</Type /Page\n/Parent 2 0 R\n/Resources 4 0 R\n/Contents ["
		if n == 0 {
			page += strconv.Itoa(objTop) + " 0 R "
		}
		page += strconv.Itoa(objBodies+n) + " 0 R " + strconv.Itoa(objFoot) + " 0 R]>>"
		own.add(objPage+n, page)
		kids = strconv.AppendInt(kids, int64(objPage+n), 10)
		kids = append(kids, " 0 R "...)
	}
	own.add(objPages, "<</Type /Pages\n/Kids [", string(kids), "]\n/Count ", strconv.Itoa(pages), "\n/MediaBox [0 0 595.28 841.89]\n>>")
	own.add(objCatalog, a.catalog)
	own.add(objInfo, fm.info(d.meta))
	own.add(objResources, a.resources)
	return own
}

// writeFile writes a PDF of the given objects, numbered from 1 without
// gaps, to w: the header, the objects, the cross-reference table and the
// trailer. The objects are written as they are, without copying.
func writeFile(w io.Writer, parts ...*objects) error {
	const header = "%PDF-1.3\n%\xc2\xb5\xc2\xb6\n\n"
	size := 1
	for _, p := range parts {
		size += len(p.nums)
	}
	offs := make([]int, size)
	at := len(header)
	for _, p := range parts {
		for i, n := range p.nums {
			offs[n] = at + p.offs[i]
		}
		at += len(p.b)
	}
	xref := make([]byte, 0, 20*size+128)
	xref = append(xref, "xref\n0 "...)
	xref = strconv.AppendInt(xref, int64(size), 10)
	xref = append(xref, "\n0000000000 65535 f \n"...)
	for _, off := range offs[1:] {
		xref = fmt.Appendf(xref, "%010d 00000 n \n", off)
	}
	xref = append(xref, "trailer\n<<\n/Size "...)
	xref = strconv.AppendInt(xref, int64(size), 10)
	xref = append(xref, "\n/Root 1 0 R\n/Info 3 0 R\n>>\nstartxref\n"...)
	xref = strconv.AppendInt(xref, int64(at), 10)
	xref = append(xref, "\n%%EOF\n"...)
	if g, ok := w.(interface{ Grow(int) }); ok {
		g.Grow(at + len(xref)) // one allocation, not one per doubling
	}
	if _, err := io.WriteString(w, header); err != nil {
		return err
	}
	for _, p := range parts {
		if _, err := w.Write(p.b); err != nil {
			return err
		}
	}
	_, err := w.Write(xref)
	return err
}

// union returns the runes of list (sorted, distinct, the members of set)
// with those of extra, sorted and distinct.
func union(list, extra []rune, set *runeSet) []rune {
	var more []rune
	for _, r := range extra {
		if !set.has(r) && !slices.Contains(more, r) {
			more = append(more, r)
		}
	}
	if len(more) == 0 {
		return list
	}
	slices.Sort(more)
	out := make([]rune, 0, len(list)+len(more))
	i, j := 0, 0
	for i < len(list) || j < len(more) {
		if j == len(more) || i < len(list) && list[i] < more[j] {
			out = append(out, list[i])
			i++
		} else {
			out = append(out, more[j])
			j++
		}
	}
	return out
}

// info is the document information dictionary fpdf writes for a
// document titled title.
func (fm *form) info(title string) string {
	var b []byte
	b = append(b, "<<\n/Producer "...)
	b = appendText(b, "FPDF 1.7", true)
	b = append(b, "\n/Title "...)
	b = appendText(b, title, true)
	if org := fm.author(); org != "" {
		b = append(b, "\n/Author "...)
		b = appendText(b, org, true)
	}
	b = append(b, "\n/Creator "...)
	b = appendText(b, "checkgen", false)
	date := "D:" + fm.date.Format("20060102150405")
	b = append(b, "\n/CreationDate "...)
	b = appendText(b, date, false)
	b = append(b, "\n/ModDate "...)
	b = appendText(b, date, false)
	b = append(b, "\n>>"...)
	return string(b)
}

// appendText appends s as a PDF literal string: as UTF-16BE after a byte
// order mark when wide, else as its bytes.
func appendText(b []byte, s string, wide bool) []byte {
	raw := []byte(s)
	if wide {
		raw = []byte{0xfe, 0xff}
		for _, u := range utf16.Encode([]rune(s)) {
			raw = append(raw, byte(u>>8), byte(u))
		}
	}
	b = append(b, '(')
	for _, c := range raw {
		switch c {
		case '\\', '(', ')':
			b = append(b, '\\', c)
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, c)
		}
	}
	return append(b, ')')
}
