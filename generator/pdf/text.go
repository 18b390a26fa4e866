package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// replacement is printed instead of characters the font lacks, such as
// emoji; U+25A1 WHITE SQUARE, or "?" if the font lacked it too.
const replacement = '□'

// cleaner prepares text for the font: it turns tabs and other spacing
// controls into spaces and line ends into "\n", and replaces every run of
// characters the font cannot print with one visible replacement.
type cleaner struct {
	can  func(r rune) bool // whether every face prints r
	repl rune
}

// newCleaner returns the cleaner for text printed in every one of files.
func newCleaner(files *[faces]fontFile) cleaner {
	c := cleaner{can: func(r rune) bool {
		for i := range files {
			if !files[i].metrics.has(r) {
				return false
			}
		}
		return true
	}, repl: replacement}
	if !c.can(replacement) {
		c.repl = '?'
	}
	return c
}

// clean returns s ready to print, and the distinct runes it replaced, in
// the order they first appear.
func (c *cleaner) clean(s string) (string, []rune) {
	if c.plain(s) {
		return s, nil
	}
	var b strings.Builder
	var missing []rune
	inRun := false // inside a run of replaced characters
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue
			}
			r = '\n'
		case r == '\t' || r == '\v' || r == '\f':
			r = ' '
		}
		// Joiners, variation selectors and marks that follow a replaced
		// character belong to it (an emoji sequence): they go with it.
		if inRun && (unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) || r >= 0x1f3fb && r <= 0x1f3ff) {
			continue
		}
		if r == '\n' || r == ' ' || (r != utf8.RuneError || n > 1) && !unicode.IsControl(r) && c.can(r) {
			b.WriteRune(r)
			inRun = false
			continue
		}
		if r == utf8.RuneError && n == 1 {
			r = utf8.RuneError // invalid UTF-8: report it as U+FFFD
		}
		seen := false
		for _, m := range missing {
			seen = seen || m == r
		}
		if !seen {
			missing = append(missing, r)
		}
		// One replacement for a whole run, so that an emoji built of
		// several code points (joiners, variation selectors, skin tones)
		// shows as one square.
		if !inRun {
			b.WriteRune(c.repl)
			inRun = true
		}
	}
	return b.String(), missing
}

// plain reports whether s needs no change: the common case, checked
// without allocating.
func (c *cleaner) plain(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == '\n' || r == ' ' {
			i += n
			continue
		}
		if r == utf8.RuneError && n == 1 || unicode.IsControl(r) || !c.can(r) {
			return false
		}
		i += n
	}
	return true
}

// wrap breaks text into lines no wider than max, where width measures a
// string in the same unit. Lines break at spaces; "\n" starts a new line;
// a word wider than max is broken between characters, never between a
// letter and a combining mark that follows it; when max is zero or less,
// or narrower than a character, each character goes alone on its line.
// Runs of spaces collapse to one. Empty text gives no lines; an empty line
// between two "\n" stays. wrap ends for any max and any text.
func wrap(text string, max float64, width func(string) float64) []string {
	if text == "" {
		return nil
	}
	var lines []string
	space := width(" ")
	for _, para := range strings.Split(text, "\n") {
		line, lineW := "", 0.0
		emitted := false
		flush := func() {
			lines = append(lines, line)
			line, lineW, emitted = "", 0, true
		}
		for _, word := range strings.Split(para, " ") {
			if word == "" {
				continue
			}
			w := width(word)
			if line != "" && lineW+space+w <= max+1e-9 {
				line, lineW = line+" "+word, lineW+space+w
				continue
			}
			if line != "" {
				flush()
			}
			// A width of zero or less fits no character: each goes alone
			// on its line. Stop when the word is used up, whatever the
			// width, so that the loop always ends.
			for word != "" && w > max+1e-9 {
				head := breakWord(word, max, width)
				line = head
				flush()
				word = word[len(head):]
				w = width(word)
			}
			line, lineW = word, w
		}
		if line != "" || !emitted {
			lines = append(lines, line)
		}
	}
	return lines
}

// breakWord returns the longest prefix of word that fits in max, cut
// before a character that is not a combining mark; at least one character
// (with its marks), so that text always advances.
func breakWord(word string, max float64, width func(string) float64) string {
	cut := 0
	for i := 0; i < len(word); {
		_, n := utf8.DecodeRuneInString(word[i:])
		j := i + n
		for j < len(word) {
			r, m := utf8.DecodeRuneInString(word[j:])
			if !unicode.Is(unicode.M, r) {
				break
			}
			j += m
		}
		if cut > 0 && width(word[:j]) > max+1e-9 {
			break
		}
		cut = j
		i = j
	}
	return word[:cut]
}
