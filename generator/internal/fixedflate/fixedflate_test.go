package fixedflate

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
)

// samples are texts like those deflated in practice, and the edges of
// the encoder: empty, shorter than a match, runs longer than the longest
// match, every byte value, and more than the window.
func samples() [][]byte {
	var xml bytes.Buffer
	for i := 0; xml.Len() < 9000; i++ {
		fmt.Fprintf(&xml, `<row r="%d" ht="18"><c r="A%d" s="12" t="inlineStr"><is><t>Khu vực bỏ phiếu số %d</t></is></c></row>`, i, i, i*7%131)
	}
	all := make([]byte, 512)
	for i := range all {
		all[i] = byte(i)
	}
	r := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 70000)
	for i := range noise {
		noise[i] = byte(r.IntN(6)) + 'a'
	}
	return [][]byte{
		nil, []byte("a"), []byte("abc"), []byte("abcabcabc"),
		bytes.Repeat([]byte{0}, 1000), bytes.Repeat([]byte("xy"), 40000),
		all, xml.Bytes(), noise,
	}
}

// inflate reads a deflate stream with compress/flate.
func inflate(t *testing.T, z []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(flate.NewReader(bytes.NewReader(z)))
	if err != nil {
		t.Fatalf("inflating: %v", err)
	}
	return out
}

// TestAppendInflates: blocks appended apart, the last one final, inflate
// with compress/flate to what they were made of, and a block that is not
// final ends with a sync flush.
func TestAppendInflates(t *testing.T) {
	all := samples()
	var z, want []byte
	for i, s := range all {
		before := len(z)
		z = Append(z, s, i == len(all)-1)
		want = append(want, s...)
		if one := inflate(t, Append(Append(nil, s, false), nil, true)); !bytes.Equal(one, s) {
			t.Errorf("sample %d (%d bytes) inflates to %d bytes, not itself", i, len(s), len(one))
		}
		if i < len(all)-1 && !bytes.HasSuffix(z[before:], []byte{0, 0, 0xff, 0xff}) {
			t.Errorf("sample %d: a block not final ends % x, want a sync flush", i, z[max(before, len(z)-5):])
		}
	}
	if got := inflate(t, z); !bytes.Equal(got, want) {
		t.Errorf("the blocks joined inflate to %d bytes, want %d", len(got), len(want))
	}
}

// TestAppendJoinsFlate: a block joins blocks compress/flate wrote with a
// sync flush, before and after it.
func TestAppendJoinsFlate(t *testing.T) {
	a, b, c := []byte("<sheetData>"), samples()[7], []byte("</sheetData>")
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestSpeed)
	fw.Write(a)
	fw.Flush()
	z := Append(buf.Bytes(), b, false)
	buf.Reset()
	buf.Write(z)
	fw.Reset(&buf)
	fw.Write(c)
	fw.Close()
	if got, want := inflate(t, buf.Bytes()), bytes.Join([][]byte{a, b, c}, nil); !bytes.Equal(got, want) {
		t.Errorf("joined with compress/flate's blocks: %d bytes inflated, want %d", len(got), len(want))
	}
}

// TestAppendZlib: compress/zlib reads what AppendZlib writes, checksum
// included.
func TestAppendZlib(t *testing.T) {
	for i, s := range samples() {
		zr, err := zlib.NewReader(bytes.NewReader(AppendZlib(nil, s)))
		if err != nil {
			t.Fatalf("sample %d: %v", i, err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, s) {
			t.Errorf("sample %d (%d bytes): read %d bytes, %v", i, len(s), len(got), err)
		}
	}
}

// TestAppendCompresses: repetitive text shrinks.
func TestAppendCompresses(t *testing.T) {
	xml := samples()[7]
	if z := Append(nil, xml, true); len(z) > len(xml)/3 {
		t.Errorf("%d bytes of rows deflate to %d, want at most a third", len(xml), len(z))
	}
}

func FuzzAppend(f *testing.F) {
	for _, s := range samples() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		if got := inflate(t, Append(nil, s, true)); !bytes.Equal(got, s) {
			t.Fatalf("%q inflates to %q", s, got)
		}
	})
}

func BenchmarkAppend(b *testing.B) {
	xml := samples()[7]
	b.SetBytes(int64(len(xml)))
	var dst []byte
	for b.Loop() {
		dst = Append(dst[:0], xml, false)
	}
}
