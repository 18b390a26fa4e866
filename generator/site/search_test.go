package site

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"checkgen/layouts"
)

// TestSearchWords folds names of several scripts into the words the unit
// search matches; the expected words are what a reader would type.
func TestSearchWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Phường Bạch Đằng", []string{"phuong", "bach", "dang"}},
		{"Xã Nghĩa Hưng, Ủy ban", []string{"xa", "nghia", "hung", "uy", "ban"}},
		{"Khu vực bỏ phiếu số 12/3", []string{"khu", "vuc", "bo", "phieu", "so", "12", "3"}},
		{"Москва", []string{"москва"}},
		{"Санкт-Петербург, Йошкар-Ола", []string{"санкт", "петербург", "иошкар", "ола"}},
		{"Αθήνα", []string{"αθηνα"}},
		{"ΠΕΙΡΑΙΑΣ", []string{"πειραιασ"}}, // the final sigma is σ whatever the case
		{"Πειραιάς", []string{"πειραιασ"}},
		{"Ærø Straße", []string{"aero", "strasse"}},
		{"ÆRØ STRASSE", []string{"aero", "strasse"}},
		{"Łódź", []string{"lodz"}},
		{"Þórshöfn", []string{"thorshofn"}},
		{"København Ø", []string{"kobenhavn", "o"}},
		{"İzmir, Diyarbakır", []string{"izmir", "diyarbakir"}},
		{"Œuvre", []string{"oeuvre"}},
		{"東京 都庁", []string{"東京", "都庁"}},
		// Devanagari: the virama (a nonspacing mark) goes, the vowel signs
		// (spacing marks) stay inside the word.
		{"हिन्दी", []string{"\u0939\u093f\u0928\u0926\u0940"}},
		{"  -- ", nil},
	} {
		if got := searchWords(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("searchWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestFoldTableInScript holds the letter table of layouts/search.js to
// foldLetters, so that a name folds the same in the browser as here.
func TestFoldTableInScript(t *testing.T) {
	src, err := layouts.FS.ReadFile("search.js")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*var FOLD = (\{.*\});$`).FindSubmatch(src)
	if m == nil {
		t.Fatal("layouts/search.js has no line var FOLD = {...};")
	}
	var table map[string]string
	if err := json.Unmarshal(m[1], &table); err != nil {
		t.Fatalf("layouts/search.js FOLD: %v", err)
	}
	want := map[string]string{}
	for r, s := range foldLetters {
		want[string(r)] = s
	}
	if !maps.Equal(table, want) {
		t.Errorf("layouts/search.js FOLD = %q, want foldLetters %q", table, want)
	}
	for _, re := range []string{`/\p{Mn}/gu`, `/[^\p{L}\p{N}\p{M}]+/u`, `toLowerCase().normalize("NFD")`} {
		if !strings.Contains(string(src), re) {
			t.Errorf("layouts/search.js lacks %s, which fold and searchWords use", re)
		}
	}
}
