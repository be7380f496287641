package ingest

import "unsafe"

// colStrings copies one column's string values out of the input as rows
// are decoded, while their bytes are in the cache.
//
// Decoded strings otherwise point into the input, one row's worth of
// JSON apart, and the store reads a batch a column at a time: hashing,
// indexing and encoding a column whose values are scattered over tens of
// megabytes is bound by cache misses. Copied together, a column's values
// are read sequentially; a small cache of recent values also gives a
// repeated value the same bytes, so later passes find it already cached.
type colStrings struct {
	recent [64]string
	arena  []byte
}

// arenaMin and arenaMax bound the chunks a column's strings are copied
// into; chunks grow so that a table with few rows costs little.
const (
	arenaMin = 4 << 10
	arenaMax = 1 << 20
)

func (cs *colStrings) intern(s string) string {
	if s == "" {
		return ""
	}
	slot := &cs.recent[recentSlot(s)]
	if *slot == s {
		return *slot
	}
	if len(cs.arena)+len(s) > cap(cs.arena) {
		size := min(arenaMax, max(arenaMin, 2*cap(cs.arena)))
		cs.arena = make([]byte, 0, max(size, len(s)))
	}
	off := len(cs.arena)
	cs.arena = append(cs.arena, s...)
	out := unsafe.String(&cs.arena[off], len(s))
	*slot = out
	return out
}

// recentSlot picks s's slot in the recent-values cache from a few bytes.
func recentSlot(s string) int {
	n := len(s)
	return int(uint(n)^uint(s[0])<<2^uint(s[n-1])<<4^uint(s[n/2])<<1) & 63
}
