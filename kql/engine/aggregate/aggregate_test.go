package aggregate

import (
	"fmt"
	"math"
	"testing"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// col builds a column of t from Go values; nil is null.
func col(t types.Type, vals ...any) *value.Column {
	c := value.NewColumn(t, len(vals))
	for _, v := range vals {
		switch x := v.(type) {
		case nil:
			c.AppendNull()
		case int:
			c.Append(value.Value{Type: t, I: int64(x), F: float64(x)})
		case float64:
			c.Append(value.OfReal(x))
		case string:
			c.Append(value.OfString(x))
		case bool:
			c.Append(value.OfBool(x))
		default:
			c.Append(value.OfDynamic(x))
		}
	}
	return c
}

func ints(n int) *value.Column {
	c := value.NewColumn(types.Long, n)
	for i := 1; i <= n; i++ {
		c.Append(value.OfLong(int64(i)))
	}
	return c
}

// run binds name, folds cols (rows in groups) and returns each group's
// first output, formatted.
func run(t *testing.T, name string, args []Arg, cols []*value.Column, groups []int32, ngroups int) []string {
	t.Helper()
	f, err := Bind(name, args)
	if err != nil {
		t.Fatalf("Bind(%s): %v", name, err)
	}
	f.Grow(ngroups)
	n := len(groups)
	f.Update(groups, cols, n)
	out := make([]string, ngroups)
	for g := range out {
		out[g] = show(f.Result(g))
	}
	return out
}

func show(v value.Value) string {
	if v.IsNull() {
		return "null"
	}
	return v.Type.String() + ":" + v.String()
}

func zeros(n int) []int32 { return make([]int32, n) }

func TestAggregates(t *testing.T) {
	L, R, S, D, B := types.Long, types.Real, types.String, types.Dynamic, types.Bool
	tests := []struct {
		name   string
		args   []Arg
		cols   []*value.Column
		groups []int32
		ngroup int
		want   []string
	}{
		{"count", nil, nil, []int32{0, 1, 0}, 2, []string{"long:2", "long:1"}},
		{"count", nil, nil, nil, 1, []string{"long:0"}},
		{"count", []Arg{Col(R)}, []*value.Column{col(R, nil, 1.0)}, zeros(2), 1, []string{"long:2"}},
		{"countif", []Arg{Col(B)}, []*value.Column{col(B, true, nil, false, true)}, zeros(4), 1, []string{"long:2"}},
		{"countif", []Arg{Const(value.OfBool(true))}, []*value.Column{nil}, zeros(3), 1, []string{"long:3"}},
		{"sum", []Arg{Col(types.Int)}, []*value.Column{col(types.Int, 1, nil, 2)}, zeros(3), 1, []string{"long:3"}},
		{"sum", []Arg{Col(R)}, []*value.Column{col(R, nil, nil)}, zeros(2), 1, []string{"real:0"}},
		{"sum", []Arg{Col(R)}, []*value.Column{col(R, 1.5, nil, 2.0)}, zeros(3), 2, []string{"real:3.5", "real:0"}},
		{"sum", []Arg{Const(value.OfLong(2))}, []*value.Column{nil}, zeros(3), 1, []string{"long:6"}},
		{"sumif", []Arg{Col(L), Col(B)}, []*value.Column{ints(4), col(B, true, false, true, nil)}, zeros(4), 1, []string{"long:4"}},
		{"avg", []Arg{Col(L)}, []*value.Column{ints(4)}, zeros(4), 1, []string{"real:2.5"}},
		{"avg", []Arg{Col(R)}, []*value.Column{col(R, nil, 5.0, 5.0, 5.0)}, zeros(4), 1, []string{"real:5"}},
		{"avg", []Arg{Col(L)}, []*value.Column{ints(0)}, nil, 1, []string{"real:NaN"}},
		{"avg", []Arg{Col(types.Timespan)}, []*value.Column{col(types.Timespan, 10, 20)}, zeros(2), 1, []string{"timespan:00:00:00.0000015"}},
		{"min", []Arg{Col(L)}, []*value.Column{col(L, nil, 3, 1, 2)}, []int32{0, 0, 0, 1}, 3, []string{"long:1", "long:2", "null"}},
		{"max", []Arg{Col(S)}, []*value.Column{col(S, "b", "c", "a")}, zeros(3), 1, []string{"string:c"}},
		{"max", []Arg{Col(R)}, []*value.Column{col(R, math.NaN(), 2.0, nil)}, zeros(3), 1, []string{"real:2"}},
		{"maxif", []Arg{Col(L), Col(B)}, []*value.Column{ints(3), col(B, true, true, false)}, zeros(3), 1, []string{"long:2"}},
		{"dcount", []Arg{Col(S)}, []*value.Column{col(S, "a", "b", "a", "c")}, zeros(4), 1, []string{"long:3"}},
		{"dcount", []Arg{Col(L)}, []*value.Column{col(L, 1, nil, 1)}, zeros(3), 2, []string{"long:1", "long:0"}},
		{"dcountif", []Arg{Col(S), Col(B)}, []*value.Column{col(S, "a", "b", "c"), col(B, true, false, true)}, zeros(3), 1, []string{"long:2"}},
		{"count_distinct", []Arg{Col(R)}, []*value.Column{col(R, 1.0, 1.0, 2.5, nil)}, zeros(4), 1, []string{"long:2"}},
		{"make_list", []Arg{Col(L)}, []*value.Column{col(L, 1, nil, 2)}, zeros(3), 2, []string{"dynamic:[1,2]", "dynamic:[]"}},
		{"make_list", []Arg{Col(L), Const(value.OfLong(1))}, []*value.Column{col(L, 1, 2), nil}, zeros(2), 1, []string{"dynamic:[1]"}},
		{"make_list_with_nulls", []Arg{Col(L)}, []*value.Column{col(L, 1, nil)}, zeros(2), 1, []string{"dynamic:[1,null]"}},
		{"make_list_if", []Arg{Col(S), Col(B)}, []*value.Column{col(S, "x", "y"), col(B, false, true)}, zeros(2), 1, []string{`dynamic:["y"]`}},
		{"make_set", []Arg{Col(D)}, []*value.Column{col(D, []any{"A1", "A2"}, []any{"A2", "C1"}, "C1", int64(1))}, zeros(4), 1, []string{`dynamic:["A1","A2","C1",1]`}},
		{"make_set", []Arg{Col(L)}, []*value.Column{col(L, 1, 5, 7, 5)}, zeros(4), 1, []string{"dynamic:[1,5,7]"}},
		{"take_any", []Arg{Col(S)}, []*value.Column{col(S, "", "x", "y")}, zeros(3), 1, []string{"string:x"}},
		{"take_any", []Arg{Col(L)}, []*value.Column{col(L, nil, nil)}, zeros(2), 2, []string{"null", "null"}},
		{"percentile", []Arg{Col(L), Const(value.OfLong(50))}, []*value.Column{ints(100), nil}, zeros(100), 1, []string{"long:50"}},
		{"percentile", []Arg{Col(L), Const(value.OfLong(0))}, []*value.Column{ints(100), nil}, zeros(100), 1, []string{"long:1"}},
		{"percentile", []Arg{Col(types.Int), Const(value.OfReal(99.5))}, []*value.Column{col(types.Int, 3, 1, 2)}, zeros(3), 1, []string{"long:3"}},
		{"percentile", []Arg{Col(R), Const(value.OfLong(50))}, []*value.Column{col(R, nil)}, zeros(1), 1, []string{"null"}},
		{"percentiles_array", []Arg{Col(L), Const(value.OfDynamic([]any{int64(10), int64(90)}))}, []*value.Column{ints(10), nil}, zeros(10), 1, []string{"dynamic:[1,9]"}},
		{"variance", []Arg{Col(L)}, []*value.Column{ints(5)}, zeros(5), 1, []string{"real:2.5"}},
		{"variancep", []Arg{Col(L)}, []*value.Column{ints(2)}, zeros(2), 1, []string{"real:0.25"}},
		{"stdev", []Arg{Col(L)}, []*value.Column{ints(1)}, zeros(1), 2, []string{"real:0", "real:0"}},
		{"covariance", []Arg{Col(R), Col(R)}, []*value.Column{col(R, 1.0, 2.0, 3.0, 4.0, 5.0), col(R, 14.0, 10.0, 17.0, 20.0, 50.0)}, zeros(5), 1, []string{"real:20.5"}},
		{"covariancep", []Arg{Col(R), Col(R)}, []*value.Column{col(R, 1.0, 2.0, 3.0, 4.0, 5.0), col(R, 14.0, 10.0, 17.0, 20.0, 50.0)}, zeros(5), 1, []string{"real:16.4"}},
		{"binary_all_and", []Arg{Col(L)}, []*value.Column{col(L, 0xFFFFFFFF, 0xFFFFF00F, 0xCFFFFFFD, 0xFAFEFFFF)}, zeros(4), 1, []string{fmt.Sprintf("long:%d", 0xCAFEF00D)}},
		{"binary_all_or", []Arg{Col(L)}, []*value.Column{col(L, 0x88888008, 0x42000000, 0x00767000, 0x00000005)}, zeros(4), 1, []string{fmt.Sprintf("long:%d", 0xCAFEF00D)}},
		{"binary_all_xor", []Arg{Col(L)}, []*value.Column{col(L, 0x44404440, 0x1E1E1E1E, 0x90ABBA09, 0x000B105A)}, zeros(4), 1, []string{fmt.Sprintf("long:%d", 0xCAFEF00D)}},
		{"binary_all_or", []Arg{Col(L)}, []*value.Column{col(L, nil)}, zeros(1), 1, []string{"null"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, tt.name, tt.args, tt.cols, tt.groups, tt.ngroup)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("%s = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

func TestVarianceIfEvens(t *testing.T) {
	x := ints(100)
	even := value.NewColumn(types.Bool, 100)
	for i := 1; i <= 100; i++ {
		even.Append(value.OfBool(i%2 == 0))
	}
	got := run(t, "varianceif", []Arg{Col(types.Long), Col(types.Bool)}, []*value.Column{x, even}, zeros(100), 1)
	if got[0] != "real:850" {
		t.Errorf("varianceif = %v, want real:850", got)
	}
}

func TestArgMaxNulls(t *testing.T) {
	// The documented example: Banana has only null versions and keeps its
	// first row.
	version := col(types.Int, 1, nil, nil, nil, 1, 2)
	color := col(types.String, "Red", "Green", "Yellow", "Green", "Brown", "Green")
	groups := []int32{0, 0, 1, 1, 2, 2}
	for _, tt := range []struct {
		name string
		want []string
	}{
		{"arg_max", []string{"1/Red", "null/Yellow", "2/Green"}},
		{"arg_min", []string{"1/Red", "null/Yellow", "1/Brown"}},
	} {
		f, err := Bind(tt.name, []Arg{Col(types.Int), Col(types.String)})
		if err != nil {
			t.Fatal(err)
		}
		f.Grow(3)
		f.Update(groups, []*value.Column{version, color}, 6)
		for g, want := range tt.want {
			v0, v1 := ResultAt(f, g, 0), ResultAt(f, g, 1)
			got := v0.String() + "/" + v1.String()
			if v0.IsNull() {
				got = "null/" + v1.String()
			}
			if got != want {
				t.Errorf("%s group %d = %s, want %s", tt.name, g, got, want)
			}
		}
	}
}

func TestPercentilesWeighted(t *testing.T) {
	f, err := Bind("percentilesw", []Arg{Col(types.Long), Col(types.Long),
		Const(value.OfLong(50)), Const(value.OfLong(75)), Const(value.OfReal(99.9))})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.Types()); n != 3 {
		t.Fatalf("percentilesw has %d outputs, want 3", n)
	}
	f.Grow(1)
	f.Update(zeros(4), []*value.Column{col(types.Long, 10, 20, 30, 40), col(types.Long, 8, 6, 3, 1), nil, nil, nil}, 4)
	var got []string
	for k := 0; k < 3; k++ {
		got = append(got, ResultAt(f, 0, k).String())
	}
	if fmt.Sprint(got) != "[20 20 40]" {
		t.Errorf("percentilesw = %v, want [20 20 40]", got)
	}
}

func TestMakeBag(t *testing.T) {
	b1, b2 := value.NewBag(1), value.NewBag(2)
	b1.Set("a", int64(1))
	b2.Set("a", int64(2))
	b2.Set("b", "x")
	got := run(t, "make_bag", []Arg{Col(types.Dynamic)}, []*value.Column{col(types.Dynamic, b1, "skip", b2)}, zeros(3), 2)
	if got[0] != `dynamic:{"a":1,"b":"x"}` || got[1] != "dynamic:{}" {
		t.Errorf("make_bag = %v", got)
	}
}

func TestBindErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []Arg
	}{
		{"nope", nil},
		{"sum", []Arg{Col(types.String)}},
		{"dcount", []Arg{Col(types.String), Const(value.OfLong(9))}},
		{"percentile", []Arg{Col(types.Long), Const(value.OfLong(101))}},
		{"percentile", []Arg{Col(types.Long), Col(types.Long)}},
		{"countif", []Arg{Col(types.Long)}},
		{"count", []Arg{Col(types.Long), Col(types.Long)}},
	} {
		if _, err := Bind(tt.name, tt.args); err == nil {
			t.Errorf("Bind(%s, %v) succeeded, want an error", tt.name, tt.args)
		}
	}
}
