package aggregate

import (
	"fmt"
	"math"
	"testing"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func TestGroups(t *testing.T) {
	S, L, R, D, B := types.String, types.Long, types.Real, types.Dynamic, types.Bool
	tests := []struct {
		name   string
		types  []types.Type
		cols   []*value.Column
		want   string // group of each row
		ngroup int
	}{
		{"none", nil, nil, "[0 0 0]", 1},
		{"string", []types.Type{S}, []*value.Column{col(S, "a", "b", "a", "")}, "[0 1 0 2]", 3},
		{"long with nulls", []types.Type{L}, []*value.Column{col(L, 1, nil, 1, nil, 2)}, "[0 1 0 1 2]", 3},
		{"string and long", []types.Type{S, L}, []*value.Column{col(S, "a", "a", "b", "a"), col(L, 1, 2, 1, nil)}, "[0 1 2 3]", 4},
		{"real", []types.Type{R}, []*value.Column{col(R, math.NaN(), 1.0, math.NaN(), math.Copysign(0, -1), 0.0)}, "[0 1 0 2 2]", 3},
		{"bool", []types.Type{B}, []*value.Column{col(B, true, false, nil, true)}, "[0 1 2 0]", 3},
		{"dynamic", []types.Type{D}, []*value.Column{col(D, int64(1), 1.0, "1", []any{int64(1)}, nil)}, "[0 0 1 2 3]", 4},
		{"long and string", []types.Type{L, S}, []*value.Column{col(L, 1, 1, 1), col(S, "a", "b", "a")}, "[0 1 0]", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewGroups(tt.types)
			n := 3
			if len(tt.cols) > 0 {
				n = tt.cols[0].Len()
			}
			got := fmt.Sprint(g.Assign(tt.cols, n))
			if got != tt.want || g.Len() != tt.ngroup {
				t.Errorf("groups %s (%d), want %s (%d)", got, g.Len(), tt.want, tt.ngroup)
			}
			for k, c := range g.Keys() {
				if c.Len() != tt.ngroup && len(tt.types) > 0 {
					t.Errorf("key column %d has %d rows", k, c.Len())
				}
			}
		})
	}
}

func TestGroupsAcrossBatches(t *testing.T) {
	g := NewGroups([]types.Type{types.String})
	g.Assign([]*value.Column{col(types.String, "x", "y")}, 2)
	got := g.Assign([]*value.Column{col(types.String, "y", "z")}, 2)
	if fmt.Sprint(got) != "[1 2]" || g.Keys()[0].Strs[2] != "z" {
		t.Errorf("second batch groups %v, keys %v", got, g.Keys()[0].Strs)
	}
}

func TestPairTableGrowsIntoMap(t *testing.T) {
	var pt pairTable
	id := int32(0)
	for a := uint32(0); a < 3000; a += 7 {
		for b := uint32(0); b < 3000; b += 13 {
			pt.put(a, b, id)
			id++
		}
	}
	if pt.pairs == nil {
		t.Fatal("table did not move to a map past the dense limit")
	}
	id = 0
	for a := uint32(0); a < 3000; a += 7 {
		for b := uint32(0); b < 3000; b += 13 {
			if got, ok := pt.get(a, b); !ok || got != id {
				t.Fatalf("get(%d, %d) = %d, %v; want %d", a, b, got, ok, id)
			}
			id++
		}
	}
	if _, ok := pt.get(1, 1); ok {
		t.Error("get of an absent pair succeeded")
	}
}
