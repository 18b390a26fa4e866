package plan

import "testing"

// TestIsCode: isCode accepts what codeRE does.
func TestIsCode(t *testing.T) {
	for _, s := range []string{"", "a", "A1", "01834-KV01", "x.y_z-1", "-a", ".a", "_a", "a b", "a/b", "é", "aé", "a\x00", "KV:1", "9", "a-", "Z.9"} {
		if got, want := isCode(s), codeRE.MatchString(s); got != want {
			t.Errorf("isCode(%q) = %v, want %v", s, got, want)
		}
	}
}
