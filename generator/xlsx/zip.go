package xlsx

import (
	"archive/zip"
	"compress/flate"
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
