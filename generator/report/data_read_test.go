package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// decodeStd is what ReadData decodes with when decodeLean declines.
func decodeStd(data []byte) (*Data, error) {
	d := &Data{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return d, dec.Decode(d)
}

// writtenData is the report.json of the round-trip files, with notes
// that need escapes in JSON.
func writtenData(t testing.TB) []byte {
	m := starterModel(t, nil)
	files := roundTrip(t, m)
	files["filled/RV-N-01.xlsx"] = fill(t, m, book(t, m, "RV-N-01"), map[string]map[string]answer{"RV-N-01": {"preparation/security": {"Done", "2027-06-01", `Ông "Tư" \ B`}}}, func(f *excelize.File) {
		sh := m.Unit("RV-N-01").Name
		rows, err := f.GetRows(sh)
		must(t, err)
		for i, r := range rows {
			if len(r) > 9 && r[9] == "preparation/security" {
				must(t, f.SetCellStr(sh, fmt.Sprint("I", i+1), "hai\ndòng\t<script>alert(1)</script> =HYPERLINK(\"x\") \u2028"))
			}
		}
	})
	var buf bytes.Buffer
	must(t, WriteData(&buf, build(t, m, files)))
	return buf.Bytes()
}

// TestDecodeLean: report.json as checkgen writes it decodes lean to what
// encoding/json decodes; what the lean decoder does not read, it leaves.
func TestDecodeLean(t *testing.T) {
	data := writtenData(t)
	if !bytes.Contains(data, []byte(`\n`)) || !bytes.Contains(data, []byte(`\"`)) {
		t.Fatalf("the test data holds no escapes:\n%s", data)
	}
	tests := []struct {
		name string
		data string
		lean bool
	}{
		{"as written", string(data), true},
		{"compact", func() string {
			var b bytes.Buffer
			must(t, json.Compact(&b, data))
			return b.String()
		}(), true},
		{"trailing text", string(data) + "garbage", true},
		{"a number", strings.Replace(string(data), `"on_time": true`, `"on_time": 1`, 1), false},
		{"null", strings.Replace(string(data), `"scope": ""`, `"scope": null`, 1), false},
		{"key in capitals", strings.Replace(string(data), `"format"`, `"Format"`, 1), false},
		{"unknown key", strings.Replace(string(data), `"scope"`, `"scoop"`, 1), false},
		{"key twice", strings.Replace(string(data), `"scope": ""`, `"scope": "", "scope": "x"`, 1), false},
		{"truncated", string(data[:len(data)/2]), false},
		{"invalid UTF-8", strings.Replace(string(data), "Trần", "Tr\xffn", 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lean Data
			ok := decodeLean([]byte(tt.data), &lean)
			if ok != tt.lean {
				t.Fatalf("decodeLean = %v, want %v", ok, tt.lean)
			}
			if !ok {
				return
			}
			std, err := decodeStd([]byte(tt.data))
			if err != nil {
				t.Fatalf("encoding/json: %v", err)
			}
			if !reflect.DeepEqual(&lean, std) {
				t.Errorf("decodeLean and encoding/json differ:\n%+v\n%+v", lean, *std)
			}
		})
	}
}

// FuzzDecodeLean: whatever decodeLean accepts, encoding/json decodes to
// the same Data.
func FuzzDecodeLean(f *testing.F) {
	f.Add(writtenData(f))
	f.Add([]byte(`{"format":"checkgen-report-json/1","units":[{"code":"a\u00e9","tasks":[]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var lean Data
		if !decodeLean(data, &lean) {
			return
		}
		std, err := decodeStd(data)
		if err != nil {
			t.Fatalf("decodeLean accepted what encoding/json refuses: %v", err)
		}
		if !reflect.DeepEqual(&lean, std) {
			t.Errorf("decodeLean and encoding/json differ:\n%+v\n%+v", lean, *std)
		}
	})
}
