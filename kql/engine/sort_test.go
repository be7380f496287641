package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// randomCatalog holds R: n rows over several batches with repeated keys
// and nulls, to compare top against sort | take.
func randomCatalog(n int) *MemCatalog {
	r := rand.New(rand.NewPCG(7, 11))
	s := &types.Schema{Columns: []types.Column{
		{Name: "i", Type: types.Long}, {Name: "k", Type: types.Long},
		{Name: "f", Type: types.Real}, {Name: "s", Type: types.String},
	}}
	b := NewBatch(s, n)
	for i := 0; i < n; i++ {
		b.Cols[0].Append(value.OfLong(int64(i)))
		if r.IntN(10) == 0 {
			b.Cols[1].AppendNull()
		} else {
			b.Cols[1].Append(value.OfLong(r.Int64N(50)))
		}
		if r.IntN(8) == 0 {
			b.Cols[2].AppendNull()
		} else {
			b.Cols[2].Append(value.OfReal(float64(r.IntN(1000)) / 7))
		}
		b.Cols[3].Append(value.OfString(fmt.Sprintf("s%03d", r.IntN(300))))
		b.N++
	}
	cat := NewMemCatalog()
	cat.Add("R", NewMemTable(b))
	return cat
}

func TestTopMatchesSortTake(t *testing.T) {
	cat := randomCatalog(3*BatchSize + 17)
	for _, keys := range []string{
		"k", "k asc", "k desc nulls first", "k asc nulls last", "f", "f asc", "s asc, k desc",
		"k, f asc", "s", "strlen(s) asc, i desc",
	} {
		for _, n := range []int{0, 1, 5, 100, 5000, 20000} {
			top := fmt.Sprintf("R | top %d by %s | project i", n, keys)
			sorted := fmt.Sprintf("R | sort by %s | take %d | project i", keys, n)
			a, err := Query(context.Background(), top, Options{Catalog: cat})
			if err != nil {
				t.Fatalf("%s: %v", top, err)
			}
			b, err := Query(context.Background(), sorted, Options{Catalog: cat})
			if err != nil {
				t.Fatalf("%s: %v", sorted, err)
			}
			got, want := a.Tables[0].Cols[0].Ints, b.Tables[0].Cols[0].Ints
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s differs from sort | take (%d vs %d rows)", top, len(got), len(want))
			}
		}
	}
}

func TestSortIsStable(t *testing.T) {
	cat := randomCatalog(2 * BatchSize)
	res, err := Query(context.Background(), "R | sort by k asc | project k, i", Options{Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Tables[0]
	for r := 1; r < b.N; r++ {
		sameKey := b.Cols[0].IsNull(r) && b.Cols[0].IsNull(r-1) ||
			!b.Cols[0].IsNull(r) && !b.Cols[0].IsNull(r-1) && b.Cols[0].Ints[r] == b.Cols[0].Ints[r-1]
		if sameKey && b.Cols[1].Ints[r] < b.Cols[1].Ints[r-1] {
			t.Fatalf("rows %d and %d with equal keys are out of input order", r-1, r)
		}
	}
}

func TestSortErrors(t *testing.T) {
	for _, q := range []string{
		"R | sort by nope",
		"R | top -1 by k",
		"R | top 3 by k | extend x = next(k, -1)",
	} {
		_, err := Query(context.Background(), q, Options{Catalog: randomCatalog(10)})
		if err == nil {
			t.Errorf("%s: no error", q)
		} else if _, ok := err.(*Error); !ok {
			t.Errorf("%s: error %T is not an *Error", q, err)
		}
	}
}
