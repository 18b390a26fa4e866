package report

import (
	"bytes"
	"encoding/json"
	"testing"
)

// writeDataStd is how report.json was written before writeDataLean.
func writeDataStd(d *Data) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(d); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func leanBytes(t testing.TB, d *Data) []byte {
	t.Helper()
	var buf bytes.Buffer
	must(t, writeDataLean(&buf, d))
	return buf.Bytes()
}

// TestWriteDataLean: report.json is written byte for byte as
// encoding/json writes it.
func TestWriteDataLean(t *testing.T) {
	data := writtenData(t)
	d, err := decodeStd(data)
	must(t, err)
	tests := map[string]*Data{
		"round trip": d,
		"no units":   {Format: JSONFormat, Units: []DataUnit{}},
		"nil units":  {Format: JSONFormat},
		"odd texts": {Format: "a\"b\\c\n\t\x01\u2028\u2029 <&> \xff end", Units: []DataUnit{
			{Code: "x", Sources: []string{"a", "b\n"}, OnTime: true},
			{Code: "y", Sources: []string{}, Tasks: []DataTask{{Key: "k"}, {Key: "k2", OnTime: true, Notes: "n"}}},
			{Code: "z", Sources: []string{"s"}, Tasks: []DataTask{{Key: "k", Date: "d", Confirmer: "c"}}},
			{},
		}},
	}
	for name, d := range tests {
		t.Run(name, func(t *testing.T) {
			if got, want := leanBytes(t, d), writeDataStd(d); !bytes.Equal(got, want) {
				t.Errorf("writeDataLean:\n%s\nencoding/json:\n%s", got, want)
			}
		})
	}
	if !bytes.Equal(leanBytes(t, d), data) {
		t.Errorf("a report.json read and written again differs")
	}
}

// FuzzWriteDataLean: any texts are written as encoding/json writes them.
func FuzzWriteDataLean(f *testing.F) {
	f.Add("RV-N", "Đã xong", "a\"b\n", "", true, 2)
	f.Add("\xff\u2028", "", "\x00", "<script>", false, 0)
	f.Fuzz(func(t *testing.T, a, b, c, e string, on bool, n int) {
		d := &Data{Format: a, Site: DataSite{Title: b}, Scope: c, AsOf: e}
		for i := range n % 4 {
			u := DataUnit{Code: a, Name: b, Version: c, OnTime: on && i%2 == 0}
			if i%2 == 1 {
				u.Sources = []string{e, c}
			}
			for k := range i {
				u.Tasks = append(u.Tasks, DataTask{Key: b, Hash: a, Status: e, Notes: c, OnTime: on && k%2 == 1})
			}
			d.Units = append(d.Units, u)
		}
		if got, want := leanBytes(t, d), writeDataStd(d); !bytes.Equal(got, want) {
			t.Errorf("writeDataLean:\n%q\nencoding/json:\n%q", got, want)
		}
	})
}
