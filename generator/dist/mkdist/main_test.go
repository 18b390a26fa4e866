package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"testing"
	"time"
)

var testFiles = []entry{{"checkgen", []byte("\x7fELF binary"), 0o755}, {"README.md", []byte("# checkgen\n"), 0o644}, {"LICENSE", []byte("MIT\n"), 0o644}}

func TestTarArchive(t *testing.T) {
	mtime := time.Date(2021, 5, 23, 0, 0, 0, 0, time.UTC)
	a, err := tarArchive("checkgen_1.0.0_linux_amd64", testFiles, mtime)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := tarArchive("checkgen_1.0.0_linux_amd64", testFiles, mtime)
	if !bytes.Equal(a, b) {
		t.Error("two archives of the same files differ")
	}
	gz, err := gzip.NewReader(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	want := []struct {
		name string
		mode int64
		data string
	}{{"checkgen_1.0.0_linux_amd64/", 0o755, ""}, {"checkgen_1.0.0_linux_amd64/checkgen", 0o755, "\x7fELF binary"},
		{"checkgen_1.0.0_linux_amd64/README.md", 0o644, "# checkgen\n"}, {"checkgen_1.0.0_linux_amd64/LICENSE", 0o644, "MIT\n"}}
	for _, w := range want {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("reading %s: %v", w.name, err)
		}
		data, _ := io.ReadAll(tr)
		if h.Name != w.name || h.Mode != w.mode || string(data) != w.data || !h.ModTime.Equal(mtime) {
			t.Errorf("entry %s mode %o time %v %q; want %s mode %o %q", h.Name, h.Mode, h.ModTime, data, w.name, w.mode, w.data)
		}
	}
	if _, err := tr.Next(); err != io.EOF {
		t.Errorf("more entries than %d", len(want))
	}
}

func TestZipArchive(t *testing.T) {
	mtime := time.Date(2021, 5, 23, 0, 0, 0, 0, time.UTC)
	a, err := zipArchive(testFiles, mtime)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := zipArchive(testFiles, mtime)
	if !bytes.Equal(a, b) {
		t.Error("two archives of the same files differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(testFiles) {
		t.Fatalf("%d entries, want %d", len(zr.File), len(testFiles))
	}
	for i, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name != testFiles[i].name || string(data) != string(testFiles[i].data) || !f.Modified.Equal(mtime) {
			t.Errorf("entry %s %q %v; want %s %q", f.Name, data, f.Modified, testFiles[i].name, testFiles[i].data)
		}
	}
}
