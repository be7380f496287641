package builtin

// This file implements Suggest, the "did you mean" for unknown function names.

import "strings"

// Suggest returns the known function name closest to name: a name equal to
// it ignoring case, else the nearest within edit distance 2 (1 for names
// of up to 3 letters), counting a swap of adjacent letters as one edit.
// Ties prefer current names over deprecated ones, then names at least as
// long as the input (a dropped letter is the likelier typo), then
// alphabetical order. A deprecated spelling is replaced by its successor.
// It returns "" when nothing is close; for a known name, the name itself
// (or the successor of a deprecated one).
func Suggest(name string) string {
	if f, ok := table[name]; ok {
		return current(f)
	}
	lower := strings.ToLower(name)
	for _, f := range sorted {
		if strings.ToLower(f.Name) == lower {
			return current(f)
		}
	}
	limit := 2
	if len(name) <= 3 {
		limit = 1
	}
	var best *Func
	bestDist := limit + 1
	for _, f := range sorted {
		d := editDistance(lower, strings.ToLower(f.Name), bestDist+1) // exact up to bestDist
		if d < bestDist || (d == bestDist && best != nil && preferred(f, best, len(name))) {
			best, bestDist = f, d
		}
	}
	if best == nil {
		return ""
	}
	return current(best)
}

// preferred reports whether f is a better suggestion than best at the same
// distance from an input of n bytes.
func preferred(f, best *Func, n int) bool {
	if (f.Deprecated == "") != (best.Deprecated == "") {
		return f.Deprecated == ""
	}
	return len(f.Name) >= n && len(best.Name) < n
}

// current returns the name to recommend for f: its replacement if it is deprecated.
func current(f *Func) string {
	if f.Deprecated != "" {
		return f.Deprecated
	}
	return f.Name
}

// editDistance returns the optimal-string-alignment distance between a and
// b (insertions, deletions, substitutions and adjacent swaps), or any value
// >= limit once it is known to reach limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
