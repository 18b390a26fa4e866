package plan

import "testing"

func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct {
		s          string
		candidates []string
		want       string
	}{
		{"bulding", []string{"building", "district"}, `; did you mean "building"?`},
		{"distrcit", []string{"province", "district"}, `; did you mean "district"?`}, // a swap is one edit
		{"polce", []string{"police", "team"}, `; did you mean "police"?`},
		{"army", []string{"police", "team"}, ""},          // nothing close
		{"01-C", []string{"01-A", "01-B"}, ""},            // two as close: no guess
		{"district", []string{"district", "distric"}, ""}, // known: nothing to suggest
		{"", []string{"a"}, ""},
	} {
		if got := didYouMean(tc.s, tc.candidates); got != tc.want {
			t.Errorf("didYouMean(%q, %q) = %q, want %q", tc.s, tc.candidates, got, tc.want)
		}
	}
}
