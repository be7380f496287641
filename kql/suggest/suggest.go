// Package suggest measures how far apart two names are, for the "did you
// mean" suggestions of the checker, the function table, the table catalog
// and request understanding.
package suggest

// Distance returns the optimal-string-alignment distance between a and b
// in runes (insertions, deletions, substitutions and swaps of adjacent
// runes each cost 1), or limit once the distance is known to reach limit;
// limit <= 0 means no limit. Typing "tostrnig" for "tostring" is one edit.
func Distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if limit <= 0 {
		limit = len(ra) + len(rb) + 1
	}
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], limit)
}
