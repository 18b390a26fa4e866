package plan

import "fmt"

// didYouMean returns "; did you mean "x"?" when Suggest finds the likely
// intent of a mistyped s ("bulding" for "building"), else "".
func didYouMean(s string, candidates []string) string {
	if best := Suggest(s, candidates); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// Suggest returns the candidate s most likely means when s is a typo of
// it, else "". Close enough: an edit distance of at most one for short
// words, two from five letters on, and no other candidate as close (among
// many similar unit codes, a guess would mislead). The command line uses
// it for commands, flags and help topics too.
func Suggest(s string, candidates []string) string {
	if s == "" || len(candidates) > maxSuggestCandidates {
		return ""
	}
	limit := 1
	if len([]rune(s)) >= 5 {
		limit = 2
	}
	best, bestDist, ties := "", limit+1, 0
	for _, c := range candidates {
		if c == s {
			return ""
		}
		switch d := editDistance(s, c); {
		case d < bestDist:
			best, bestDist, ties = c, d, 1
		case d == bestDist && c != best:
			ties++
		}
	}
	if ties > 1 {
		return ""
	}
	return best
}

// maxSuggestCandidates bounds the work of one suggestion: a national site's
// unit codes (about 100,000) are too many to compare against on every error.
const maxSuggestCandidates = 20_000

// editDistance is the Damerau-Levenshtein distance (optimal string
// alignment: an adjacent swap counts as one edit) between a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func (r *resolver) levelIDs() []string {
	var ids []string
	for _, l := range r.m.Levels {
		if idRE.MatchString(l.ID) { // a malformed id is an error of its own
			ids = append(ids, l.ID)
		}
	}
	return ids
}

func (r *resolver) bodyIDs() []string {
	var ids []string
	for _, b := range r.m.Bodies {
		if idRE.MatchString(b.ID) { // a malformed id is an error of its own
			ids = append(ids, b.ID)
		}
	}
	return ids
}

func (r *resolver) categoryIDs() []string {
	var ids []string
	for _, c := range r.m.Categories {
		if idRE.MatchString(c.ID) { // a malformed id is an error of its own
			ids = append(ids, c.ID)
		}
	}
	return ids
}

func (r *resolver) unitCodes() []string {
	if len(r.m.Units) > maxSuggestCandidates {
		return nil
	}
	codes := make([]string, len(r.m.Units))
	for i, u := range r.m.Units {
		codes[i] = u.Code
	}
	return codes
}
