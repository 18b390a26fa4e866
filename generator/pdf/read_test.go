package pdf

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strconv"
	"testing"
)

// This file reads PDFs for the tests the way a viewer finds a page's
// content, written from the PDF reference rather than from either writer:
// the trailer's /Root, the catalog's /Pages, the tree's /Kids, each page's
// /Contents (one stream or an array of them, joined), each stream decoded
// by its /Filter. It reads the classic cross-reference table both writers
// use, and nothing else of the format.

var (
	trailerRoot = regexp.MustCompile(`trailer\s*<<[^>]*/Root (\d+) 0 R`)
	startXrefAt = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	refRe       = regexp.MustCompile(`(\d+) 0 R`)
)

// pdfFile is a PDF's objects by number.
type pdfFile struct {
	t    testing.TB
	data []byte
	offs map[int]int
}

func readPDF(t testing.TB, data []byte) *pdfFile {
	t.Helper()
	m := startXrefAt.FindSubmatch(data)
	if m == nil {
		t.Fatal("the PDF has no startxref")
	}
	at, _ := strconv.Atoi(string(m[1]))
	if at >= len(data) || !bytes.HasPrefix(data[at:], []byte("xref")) {
		t.Fatalf("startxref %d does not point at an xref table", at)
	}
	f := &pdfFile{t: t, data: data, offs: map[int]int{}}
	lines := bytes.Split(data[at:], []byte("\n"))
	first, count := 0, 0
	for i := 1; i < len(lines); i++ {
		fields := bytes.Fields(lines[i])
		if len(fields) == 2 {
			first, _ = strconv.Atoi(string(fields[0]))
			count, _ = strconv.Atoi(string(fields[1]))
			continue
		}
		if len(fields) != 3 || count == 0 {
			break
		}
		if string(fields[2]) == "n" {
			off, _ := strconv.Atoi(string(fields[0]))
			f.offs[first] = off
		}
		first++
		count--
	}
	return f
}

// object returns the text of object n from "n 0 obj" to its dictionary's
// end, and its stream decoded when it has one.
func (f *pdfFile) object(n int) (dict string, data []byte) {
	f.t.Helper()
	off, ok := f.offs[n]
	if !ok {
		f.t.Fatalf("object %d is not in the xref", n)
	}
	head := []byte(strconv.Itoa(n) + " 0 obj")
	if !bytes.HasPrefix(f.data[off:], head) {
		f.t.Fatalf("object %d is not at offset %d", n, off)
	}
	rest := f.data[off+len(head):]
	end := bytes.Index(rest, []byte("endobj"))
	s := bytes.Index(rest, []byte("stream\n"))
	if s < 0 || (end >= 0 && end < s) {
		return string(rest[:end]), nil
	}
	dict = string(rest[:s])
	length := regexp.MustCompile(`/Length (\d+)`).FindStringSubmatch(dict)
	if length == nil {
		f.t.Fatalf("stream object %d has no /Length", n)
	}
	l, _ := strconv.Atoi(length[1])
	raw := rest[s+len("stream\n"):][:l]
	if !bytes.HasPrefix(rest[s+len("stream\n")+l:], []byte("\nendstream")) {
		f.t.Fatalf("stream object %d: /Length %d does not end at endstream", n, l)
	}
	if !bytes.Contains([]byte(dict), []byte("/FlateDecode")) {
		return dict, raw
	}
	r, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		f.t.Fatalf("stream object %d: %v", n, err)
	}
	data, err = io.ReadAll(r)
	if err != nil {
		f.t.Fatalf("stream object %d: %v", n, err)
	}
	return dict, data
}

// ref returns the object number key refers to in dict.
func (f *pdfFile) ref(dict, key string) int {
	f.t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(key) + `\s*\[?\s*(\d+) 0 R`).FindStringSubmatch(dict)
	if m == nil {
		f.t.Fatalf("no %s in %q", key, dict)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// pageContents returns the content of each page, in page order: its
// streams decoded and joined.
func pageContents(t testing.TB, pdf []byte) [][]byte {
	t.Helper()
	f := readPDF(t, pdf)
	m := trailerRoot.FindSubmatch(pdf)
	if m == nil {
		t.Fatal("the PDF's trailer names no /Root")
	}
	root, _ := strconv.Atoi(string(m[1]))
	catalog, _ := f.object(root)
	var pages [][]byte
	var walk func(n int)
	walk = func(n int) {
		dict, _ := f.object(n)
		if regexp.MustCompile(`/Type\s*/Pages\b`).MatchString(dict) {
			kids := regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`).FindStringSubmatch(dict)
			if kids == nil {
				t.Fatalf("page tree node %d has no /Kids", n)
			}
			for _, k := range refRe.FindAllStringSubmatch(kids[1], -1) {
				kid, _ := strconv.Atoi(k[1])
				walk(kid)
			}
			return
		}
		var content []byte
		if arr := regexp.MustCompile(`/Contents\s*\[([^\]]*)\]`).FindStringSubmatch(dict); arr != nil {
			for _, k := range refRe.FindAllStringSubmatch(arr[1], -1) {
				s, _ := strconv.Atoi(k[1])
				_, data := f.object(s)
				content = append(append(content, data...), '\n')
			}
		} else {
			_, content = f.object(f.ref(dict, "/Contents"))
		}
		pages = append(pages, content)
	}
	walk(f.ref(catalog, "/Pages"))
	return pages
}
