package check

// This file implements "did you mean" suggestions for unknown columns,
// tables and functions.

import (
	"fmt"
	"github.com/vigil-hunt/vigil/kql/suggest"
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
		if d := suggest.Distance(lower, strings.ToLower(cand), 0); d < bestDist {
			best, bestDist = cand, d
		}
	}
	return best
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
