package aggregate

import (
	"math"
	"strconv"
	"testing"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// TestDcountExactWhenSmall checks the sparse representation counts
// exactly up to its limit.
func TestDcountExactWhenSmall(t *testing.T) {
	for _, n := range []int{1, 10, 1000, 2000} {
		s := newSketch(14)
		for i := 0; i < 3*n; i++ {
			s.add(HashString("user" + strconv.Itoa(i%n)))
		}
		if got := s.estimate(); got != int64(n) {
			t.Errorf("n=%d: estimate %d", n, got)
		}
	}
}

// TestDcountError checks dense estimates stay within three standard
// errors of each accuracy level over a range of cardinalities.
func TestDcountError(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	sigma := map[int64]float64{0: 0.016, 1: 0.008, 2: 0.004}
	for acc, sd := range sigma {
		p, _ := precisionOf(acc)
		for _, n := range []int{5000, 40000, 300000} {
			s := newSketch(p)
			for i := 0; i < n; i++ {
				s.add(HashInt(int64(i)*7919 + acc))
			}
			got := float64(s.estimate())
			if rel := math.Abs(got-float64(n)) / float64(n); rel > 3*sd {
				t.Errorf("accuracy %d, n=%d: estimate %.0f, error %.2f%% > %.2f%%", acc, n, got, 100*rel, 300*sd)
			}
		}
	}
}

func TestHLLStateMerge(t *testing.T) {
	f1, _ := Bind("hll", []Arg{Col(types.Long)})
	f2, _ := Bind("hll", []Arg{Col(types.Long)})
	a, b := value.NewColumn(types.Long, 10), value.NewColumn(types.Long, 10)
	for i := int64(1); i <= 10; i++ {
		a.Append(value.OfLong(i))
		b.Append(value.OfLong(i + 10))
	}
	f1.Grow(1)
	f2.Grow(1)
	f1.Update(zeros(10), []*value.Column{a}, 10)
	f2.Update(zeros(10), []*value.Column{b}, 10)
	merged, ok := MergeHLL(f1.Result(0).D, nil, f2.Result(0).D)
	if !ok {
		t.Fatal("MergeHLL rejected hll states")
	}
	if n, ok := DcountHLL(merged); !ok || n != 20 {
		t.Errorf("dcount_hll(merged) = %d, %v; want 20", n, ok)
	}
	// The aggregate hll_merge over the two states.
	states := value.NewColumn(types.Dynamic, 2)
	states.Append(f1.Result(0))
	states.Append(f2.Result(0))
	m, _ := Bind("hll_merge", []Arg{Col(types.Dynamic)})
	m.Grow(1)
	m.Update(zeros(2), []*value.Column{states}, 2)
	if n, _ := DcountHLL(m.Result(0).D); n != 20 {
		t.Errorf("hll_merge then dcount_hll = %d, want 20", n)
	}
}

func TestDenseMergeAcrossPrecisions(t *testing.T) {
	hi, lo := newSketch(16), newSketch(14)
	for i := 0; i < 200000; i++ {
		h := HashInt(int64(i))
		if i%2 == 0 {
			hi.add(h)
		} else {
			lo.add(h)
		}
	}
	lo.merge(hi)
	got := float64(lo.estimate())
	if rel := math.Abs(got-200000) / 200000; rel > 0.024 {
		t.Errorf("merged estimate %.0f, error %.2f%%", got, 100*rel)
	}
}

func TestTDigest(t *testing.T) {
	x, y := Bind2(t, "tdigest", 1, 10), Bind2(t, "tdigest", 11, 20)
	merged, ok := MergeTDigest(x, y)
	if !ok {
		t.Fatal("MergeTDigest rejected states")
	}
	if v, _ := PercentileTDigest(merged, 100); v.I != 20 || v.Type != types.Long {
		t.Errorf("percentile_tdigest(merged, 100) = %v", v)
	}
	if r, _ := RankTDigest(merged, 15); r != 15 {
		t.Errorf("rank_tdigest(merged, 15) = %d", r)
	}
	if p, _ := PercentRankTDigest(merged, 5); p != 25 {
		t.Errorf("percentrank_tdigest(merged, 5) = %v", p)
	}
}

// Bind2 returns the tdigest state of the longs from..to.
func Bind2(t *testing.T, name string, from, to int64) any {
	t.Helper()
	f, err := Bind(name, []Arg{Col(types.Long)})
	if err != nil {
		t.Fatal(err)
	}
	c := value.NewColumn(types.Long, int(to-from+1))
	for i := from; i <= to; i++ {
		c.Append(value.OfLong(i))
	}
	f.Grow(1)
	f.Update(zeros(c.Len()), []*value.Column{c}, c.Len())
	return f.Result(0).D
}
