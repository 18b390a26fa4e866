package main

import (
	"strings"

	"checkgen/generator/plan"
)

// suggest returns the candidate closest to s when it is a likely typo
// ("bulid" for "build": plan.Suggest, the rule content errors use), or
// else when s is a prefix of exactly one candidate ("comp" for
// "completion"); otherwise "".
func suggest(s string, candidates []string) string {
	if best := plan.Suggest(s, candidates); best != "" {
		return best
	}
	prefixed := ""
	for _, c := range candidates {
		if s != "" && len(s) < len(c) && strings.HasPrefix(c, s) {
			if prefixed != "" {
				return ""
			}
			prefixed = c
		}
	}
	return prefixed
}
