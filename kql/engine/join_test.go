package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// joinSide is a generated join input: key k (long, with nulls), key s
// (string) and a row id.
type joinSide struct {
	k    []int64 // -1 for null
	s    []string
	rows int
}

func genJoinSide(r *rand.Rand, n, domain int) joinSide {
	js := joinSide{rows: n}
	for i := 0; i < n; i++ {
		k := int64(r.IntN(domain))
		if r.IntN(20) == 0 {
			k = -1
		}
		js.k = append(js.k, k)
		js.s = append(js.s, fmt.Sprintf("s%d", r.IntN(3)))
	}
	return js
}

func (js joinSide) table(prefix string) *MemTable {
	s := &types.Schema{Columns: []types.Column{
		{Name: "k", Type: types.Long}, {Name: "s", Type: types.String}, {Name: prefix + "id", Type: types.Long},
	}}
	b := NewBatch(s, js.rows)
	for i := 0; i < js.rows; i++ {
		if js.k[i] < 0 {
			b.Cols[0].AppendNull()
		} else {
			b.Cols[0].Append(value.OfLong(js.k[i]))
		}
		b.Cols[1].Append(value.OfString(js.s[i]))
		b.Cols[2].Append(value.OfLong(int64(i)))
	}
	b.N = js.rows
	return NewMemTable(b)
}

// naiveJoin computes the expected (left id, right id) pairs of a kind by
// nested loops; -1 stands for a missing side.
func naiveJoin(kind string, l, r joinSide, twoKeys bool) []string {
	eq := func(i, j int) bool {
		return l.k[i] >= 0 && l.k[i] == r.k[j] && (!twoKeys || l.s[i] == r.s[j])
	}
	lrows := make([]int, 0, l.rows)
	seen := map[string]bool{}
	for i := 0; i < l.rows; i++ {
		if kind == "innerunique" && l.k[i] >= 0 {
			key := fmt.Sprint(l.k[i])
			if twoKeys {
				key += "/" + l.s[i]
			}
			if seen[key] {
				continue
			}
			seen[key] = true
		}
		lrows = append(lrows, i)
	}
	var out []string
	rMatched := make([]bool, r.rows)
	for _, i := range lrows {
		matched := false
		for j := 0; j < r.rows; j++ {
			if eq(i, j) {
				matched, rMatched[j] = true, true
				switch kind {
				case "inner", "innerunique", "leftouter", "rightouter", "fullouter":
					out = append(out, fmt.Sprintf("%d,%d", i, j))
				}
			}
		}
		switch {
		case kind == "leftsemi" && matched, kind == "leftanti" && !matched:
			out = append(out, fmt.Sprintf("%d", i))
		case (kind == "leftouter" || kind == "fullouter") && !matched:
			out = append(out, fmt.Sprintf("%d,-1", i))
		}
	}
	for j := 0; j < r.rows; j++ {
		switch {
		case kind == "rightsemi" && rMatched[j], kind == "rightanti" && !rMatched[j]:
			out = append(out, fmt.Sprintf("%d", j))
		case (kind == "rightouter" || kind == "fullouter") && !rMatched[j]:
			out = append(out, fmt.Sprintf("-1,%d", j))
		}
	}
	sort.Strings(out)
	return out
}

// TestJoinAgainstNestedLoops checks every kind of hash join against a
// nested-loop reference on random data large enough to span batches and
// to split a key's matches across output batches.
func TestJoinAgainstNestedLoops(t *testing.T) {
	defer func(n int) { joinBuildLimit = n }(joinBuildLimit)
	joinBuildLimit = 100 // so that both sides get to be the build side
	r := rand.New(rand.NewPCG(1, 2))
	for _, sizes := range [][2]int{{5000, 400}, {300, 5000}, {50, 60}} {
		left, right := genJoinSide(r, sizes[0], 40), genJoinSide(r, sizes[1], 50)
		t.Run(fmt.Sprintf("%dx%d", sizes[0], sizes[1]), func(t *testing.T) { checkJoinKinds(t, left, right) })
	}
}

func checkJoinKinds(t *testing.T, left, right joinSide) {
	cat := NewMemCatalog()
	cat.Add("L", left.table("l"))
	cat.Add("R", right.table("r"))
	kinds := []string{"innerunique", "inner", "leftouter", "rightouter", "fullouter", "leftsemi", "leftanti", "rightsemi", "rightanti"}
	for _, twoKeys := range []bool{false, true} {
		for _, kind := range kinds {
			t.Run(fmt.Sprintf("%s/twoKeys=%v", kind, twoKeys), func(t *testing.T) {
				on := "k"
				if twoKeys {
					on = "k, s"
				}
				q := fmt.Sprintf("L | join kind=%s R on %s", kind, on)
				res, err := Query(context.Background(), q, Options{Catalog: cat})
				if err != nil {
					t.Fatal(err)
				}
				b := res.Tables[0]
				lid, rid := b.Col("lid"), b.Col("rid")
				var got []string
				for i := 0; i < b.N; i++ {
					switch {
					case lid != nil && rid != nil:
						got = append(got, fmt.Sprintf("%d,%d", idOr(lid, i), idOr(rid, i)))
					case lid != nil:
						got = append(got, fmt.Sprint(idOr(lid, i)))
					default:
						got = append(got, fmt.Sprint(idOr(rid, i)))
					}
				}
				sort.Strings(got)
				want := naiveJoin(kind, left, right, twoKeys)
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("%d rows, want %d; first got %v, want %v", len(got), len(want), got[:min(3, len(got))], want[:min(3, len(want))])
				}
			})
		}
	}
}

func idOr(c *value.Column, i int) int64 {
	if c.IsNull(i) {
		return -1
	}
	return c.Ints[i]
}

func TestJoinInnerUniqueKeepsFirstLeftRow(t *testing.T) {
	opsRun(t, nil, []opsCase{{
		name: "first-of-key",
		query: `let t1 = datatable(key:long, value:string)[1, "val1.1", 1, "val1.2"];
			let t2 = datatable(key:long, value:string)[1, "val1.3", 1, "val1.4"];
			t1 | join kind=innerunique t2 on key`,
		schema: "(key:long, value:string, key1:long, value1:string)",
		rows:   []string{"1|val1.1|1|val1.3", "1|val1.1|1|val1.4"},
	}})
}
