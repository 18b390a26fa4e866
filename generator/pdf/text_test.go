package pdf

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// runeWidth measures one unit per rune, none for a combining mark: a
// stand-in for a font in wrapping tests.
func runeWidth(s string) float64 {
	n := 0
	for _, r := range s {
		if r < 0x300 || r > 0x36f {
			n++
		}
	}
	return float64(n)
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		max  float64
		want []string
	}{
		{"empty", "", 10, nil},
		{"fits", "short text", 10, []string{"short text"}},
		{"exact", "abcde fghi", 10, []string{"abcde fghi"}},
		{"breaks at spaces", "one two three four", 9, []string{"one two", "three", "four"}},
		{"spaces collapse", "  one   two  ", 20, []string{"one two"}},
		{"newline", "one\ntwo", 20, []string{"one", "two"}},
		{"blank line kept", "one\n\ntwo", 20, []string{"one", "", "two"}},
		{"only spaces", "   ", 5, []string{""}},
		{"long word broken", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"long word after words", "ab cdefghij k", 4, []string{"ab", "cdef", "ghij", "k"}},
		{"column narrower than a letter", "abc", 0.5, []string{"a", "b", "c"}},
		{"mark stays with its letter", "abc\u0301d", 3, []string{"abc\u0301", "d"}},
		{"mark after a break", "ab\u0301\u0323cd", 2, []string{"ab\u0301\u0323", "cd"}},
		{"vietnamese nfc", "Khu vực bỏ phiếu số 3", 8, []string{"Khu vực", "bỏ phiếu", "số 3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := wrap(tc.text, tc.max, runeWidth)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("wrap(%q, %v) = %q, want %q", tc.text, tc.max, got, tc.want)
			}
		})
	}
}

// TestWrapKeepsText checks on many inputs that wrapping loses and adds
// nothing but spaces and line breaks, and that only a single character
// (with its marks) is ever wider than the limit.
func TestWrapKeepsText(t *testing.T) {
	texts := []string{
		"Niêm yết danh sách người ứng cử và tiểu sử tóm tắt tại khu vực bỏ phiếu",
		strings.Repeat("Kiểm tra ", 250),
		strings.Repeat("x", 2000),
		"a\u0301\u0301\u0301\u0301b c",
		"http://example.org/a/very/long/path/that/never/has/a/space/in/it/at/all",
		"tab\there and\nnewline",
	}
	for _, text := range texts {
		for _, max := range []float64{1, 3, 7, 20, 60} {
			lines := wrap(text, max, runeWidth)
			for _, l := range lines {
				if runeWidth(l) > max && utf8.RuneCountInString(strings.TrimRight(l, "\u0301")) > 1 {
					t.Errorf("wrap(%.20q…, %v): line %q is wider than the limit", text, max, l)
				}
			}
			squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
			if got, want := squeeze(strings.Join(lines, "")), squeeze(text); got != want {
				t.Errorf("wrap(%.20q…, %v) changed the text: %.40q, want %.40q", text, max, got, want)
			}
		}
	}
}

func TestClean(t *testing.T) {
	c := &cleaner{can: func(r rune) bool { return r < 0x2000 || r == 0x200d || r == '□' }, repl: '□'}
	for _, tc := range []struct {
		name    string
		in      string
		want    string
		missing []rune
	}{
		{"plain", "Bầu cử 2021", "Bầu cử 2021", nil},
		{"emoji", "Vote 🗳 now", "Vote □ now", []rune{0x1f5f3}},
		{"emoji sequence is one square", "family 👨\u200d👩\u200d👧 here", "family □ here", []rune{0x1f468, 0x1f469, 0x1f467}},
		{"skin tone and selector go with the emoji", "ok 👍🏽\ufe0f!", "ok □!", []rune{0x1f44d}},
		{"a joiner alone stays", "a\u200db", "a\u200db", nil},
		{"two emoji apart", "😀 and 😀", "□ and □", []rune{0x1f600}},
		{"tab to space", "a\tb", "a b", nil},
		{"crlf", "a\r\nb\rc", "a\nb\nc", nil},
		{"control", "a\x01b", "a□b", []rune{1}},
		{"invalid utf-8", "a\xffb", "a□b", []rune{utf8.RuneError}},
		{"newline kept", "a\nb", "a\nb", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, missing := c.clean(tc.in)
			if got != tc.want || !reflect.DeepEqual(missing, tc.missing) {
				t.Errorf("clean(%q) = %q, %U; want %q, %U", tc.in, got, missing, tc.want, tc.missing)
			}
		})
	}
}

// TestWrapAnyWidth checks that wrapping ends for any width, zero and
// negative included, and for text a hundred characters long without a
// space (a [labels] page value put the footer's wrap in an endless loop).
// When no character fits, each goes alone on its line. A width function
// that counts its calls stops a runaway loop with a failure instead of
// letting it fill the memory.
func TestWrapAnyWidth(t *testing.T) {
	texts := []string{
		strings.Repeat("x", 100),
		strings.Repeat("Trang", 20),
		strings.TrimSpace(strings.Repeat("Page of ", 13))[:100],
		"a\u0301\u0323" + strings.Repeat("b", 99),
	}
	for _, text := range texts {
		for _, max := range []float64{-10, 0, 0.1, 1} {
			calls := 0
			width := func(s string) float64 {
				calls++
				if calls > 100_000 {
					t.Fatalf("wrap(%.20q…, %v) measured %d strings: it does not end", text, max, calls)
				}
				return runeWidth(s)
			}
			lines := wrap(text, max, width)
			var want []string // one character, with its marks, a line
			for _, r := range strings.ReplaceAll(text, " ", "") {
				if r >= 0x300 && r <= 0x36f {
					want[len(want)-1] += string(r)
					continue
				}
				want = append(want, string(r))
			}
			if !reflect.DeepEqual(lines, want) {
				t.Errorf("wrap(%.20q…, %v) = %.60q, want one character a line: %.60q", text, max, lines, want)
			}
		}
	}
}
