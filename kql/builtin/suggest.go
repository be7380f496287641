package builtin

// This file implements Suggest, the "did you mean" for unknown function names.

import (
	"strings"

	"github.com/vigil-hunt/vigil/kql/suggest"
)

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
		d := suggest.Distance(lower, strings.ToLower(f.Name), bestDist+1) // exact up to bestDist
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
