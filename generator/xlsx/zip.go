package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"sync"

	"github.com/xuri/excelize/v2"
)

// A workbook's parts are deflated at flate.BestSpeed instead of the
// default level: at national scale (85,000 workbooks) writing them is a
// third of the time at the default level, and the files grow by a few
// kilobytes. Compressors are pooled: each holds about a megabyte of state.
var fastFlaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(io.Discard, flate.BestSpeed)
	return w
}}

type pooledFlater struct{ *flate.Writer }

func (w pooledFlater) Close() error {
	err := w.Writer.Close()
	fastFlaters.Put(w.Writer)
	return err
}

func fastDeflate(out io.Writer) (io.WriteCloser, error) {
	w := fastFlaters.Get().(*flate.Writer)
	w.Reset(out)
	return pooledFlater{w}, nil
}

// fastZip is the zip writer excelize saves workbooks with.
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, fastDeflate)
	return zw
}

// A piece is a run of a zip entry's data deflated on its own and ended
// with a sync flush (byte-aligned, not the final block), so that pieces
// deflated apart, even in different builds of a workbook, join into one
// valid stream: the pieces a template keeps are deflated once and copied
// into every workbook made from it.
type piece struct {
	z   []byte // deflated
	raw []byte // what it inflates to, for the entry's CRC and size
}

// storeBelow is the size under which a piece of one workbook is stored
// as it is: deflating a few hundred bytes saves little.
const storeBelow = 320

// deflatePiece deflates raw as the pieces of one workbook are (see
// xmlBuf.piece): in one block of deflate's fixed Huffman codes
// (fixedflate), or stored when small. compress/flate's BestSpeed spent
// most of its time on the Huffman tables of these few kilobytes, about
// half of what assembling a workbook cost, for pieces a tenth smaller.
func deflatePiece(raw []byte) piece {
	var x xmlBuf
	_, _ = x.Write(raw)
	return x.piece()
}

// storedPiece is raw (at most 65,535 bytes) in a stored block, not the
// final one: its header, then the length and its complement.
func storedPiece(raw []byte) piece {
	z := appendStored(make([]byte, 0, 5+len(raw)), raw)
	return piece{z: z, raw: z[5:]}
}

func appendStored(z, raw []byte) []byte {
	n := len(raw)
	z = append(z, 0, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
	return append(z, raw...)
}

// onceFlaters deflate the pieces a template keeps, at the default level:
// a little smaller than flate.BestSpeed makes them, and made once.
var onceFlaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(io.Discard, flate.DefaultCompression)
	return w
}}

// deflateOnce deflates raw for the pieces a template keeps.
func deflateOnce(raw []byte) piece {
	var buf bytes.Buffer
	w := onceFlaters.Get().(*flate.Writer)
	w.Reset(&buf)
	_, _ = w.Write(raw)
	_ = w.Flush()
	onceFlaters.Put(w)
	return piece{z: buf.Bytes(), raw: bytes.Clone(raw)}
}

// finalBlock ends a stream of pieces: an empty final block.
var finalBlock = func() []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	_ = w.Close()
	return buf.Bytes()
}()

// writeEntry writes entry e into zw: its pieces as they are deflated,
// with the CRC and sizes of what they hold together.
func writeEntry(zw *zip.Writer, e entry) error {
	var crc uint32
	var size, zsize int
	for _, p := range e.pieces {
		crc = crc32.Update(crc, crc32.IEEETable, p.raw)
		size += len(p.raw)
		zsize += len(p.z)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: e.name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(zsize + len(finalBlock)), UncompressedSize64: uint64(size),
	})
	if err != nil {
		return err
	}
	for _, p := range e.pieces {
		if _, err := w.Write(p.z); err != nil {
			return err
		}
	}
	_, err = w.Write(finalBlock)
	return err
}
