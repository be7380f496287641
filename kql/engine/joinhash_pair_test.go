package engine

import "testing"

func TestPairTable(t *testing.T) {
	tab := newPairTable(3)
	keys := [][2]int64{{1, 2}, {2, 1}, {1, 2}, {0, 0}, {1 << 40, -5}}
	want := []int32{-1, -1, 0, -1, -1}
	for i, k := range keys {
		if got := tab.swap(k, int32(i)); got != want[i] {
			t.Errorf("swap(%v, %d) = %d, want %d", k, i, got, want[i])
		}
	}
	for k, want := range map[[2]int64]int32{{1, 2}: 2, {2, 1}: 1, {0, 0}: 3, {1 << 40, -5}: 4, {9, 9}: -1} {
		if got := tab.get(k); got != want {
			t.Errorf("get(%v) = %d, want %d", k, got, want)
		}
	}
}
