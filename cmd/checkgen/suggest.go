package main

// suggest returns the candidate closest to s when it is close enough to be
// a likely typo ("bulid" for "build"), else "". Close enough: an edit
// distance of at most one for short words, two from five letters on, or s
// a prefix of exactly one candidate.
func suggest(s string, candidates []string) string {
	best, bestDist := "", -1
	prefixed := []string{}
	for _, c := range candidates {
		if len(s) > 0 && len(s) < len(c) && c[:len(s)] == s {
			prefixed = append(prefixed, c)
		}
		d := editDistance(s, c)
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := 1
	if len([]rune(s)) >= 5 {
		limit = 2
	}
	if bestDist >= 0 && bestDist <= limit {
		return best
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return ""
}

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
