package engine

import (
	"context"
	"testing"
	"time"
)

func runQ(t *testing.T, q string) {
	res, err := Query(context.Background(), q, Options{Now: time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Log(q, "ERR", err)
		return
	}
	b := res.Tables[len(res.Tables)-1]
	t.Log(b.Schema)
	for i := 0; i < b.N; i++ {
		var s []string
		for _, c := range b.Cols {
			s = append(s, c.Value(i).String())
		}
		t.Log(s)
	}
}

func TestMineQuick(t *testing.T) {
	for _, q := range []string{
		`print x=dynamic([23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29]) | project stats=series_stats_dynamic(x)`,
		`let data = datatable(arr: dynamic)
    [
    dynamic([null, 111.0, null, 36.0, 41.0, null, null, 16.0, 61.0, 33.0, null, null]), // Array of double    
    dynamic([null, 111, null, 36, 41, null, null, 16, 61, 33, null, null]), // Similar array of int
    dynamic([null, null, null, null])                                                   // Array with missing values only
];
data
| project
    arr, 
    without_args = series_fill_linear(arr),
    with_edges = series_fill_linear(arr, double(null), true),
    wo_edges = series_fill_linear(arr, double(null), false),
    with_const = series_fill_linear(arr, double(null), true, 3.14159)`,
	} {
		runQ(t, q)
	}
}
