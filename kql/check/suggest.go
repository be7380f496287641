package check

// This file implements "did you mean" suggestions for unknown columns,
// tables and functions.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/kql/builtin"
)

// suggestName returns the candidate closest to name: one equal but for
// case first, else the nearest by edit distance (case-insensitive) within
// max(2, len/4) edits and less than the name's length; ties go to the
// first in sorted order. "" when none is close.
func suggestName(name string, candidates []string) string {
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	lower := strings.ToLower(name)
	for _, cand := range sorted {
		if cand != name && strings.ToLower(cand) == lower {
			return cand
		}
	}
	limit := max(2, len(name)/4)
	if limit >= len(name) {
		limit = len(name) - 1
	}
	best, bestDist := "", limit+1
	for _, cand := range sorted {
		if cand == name {
			continue
		}
		if d := editDistance(lower, strings.ToLower(cand)); d < bestDist {
			best, bestDist = cand, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
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
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// suggestTable suggests a let name or a known table for an unknown table.
func (c *checker) suggestTable(name string) string {
	if s := suggestName(name, c.scopeNames(tabularEntity)); s != "" {
		return s
	}
	if sg, ok := c.tables.(interface{ Suggest(string) string }); ok {
		return sg.Suggest(name)
	}
	return suggestName(name, c.tableNames())
}

// suggestFunc suggests a user function or a built-in.
func (c *checker) suggestFunc(name string) string {
	if s := suggestName(name, c.scopeNames(funcEntity)); s != "" {
		return s
	}
	return builtin.Suggest(name)
}

// scopeNames lists the visible let names of one kind.
func (c *checker) scopeNames(kind entityKind) []string {
	var out []string
	for s := c.scope; s != nil; s = s.parent {
		for n, e := range s.names {
			if e.kind == kind {
				out = append(out, n)
			}
		}
	}
	return out
}

// quote formats a name for a message.
func quote(name string) string { return fmt.Sprintf("%q", name) }
