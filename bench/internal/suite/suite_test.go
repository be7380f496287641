package suite

import (
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/kql/check"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

var end = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

func TestQueriesFillTimes(t *testing.T) {
	qs := Queries(end)
	if len(qs) < 8 {
		t.Fatalf("%d queries; the benchmark needs at least 8", len(qs))
	}
	for _, q := range qs {
		for _, s := range []string{q.KQL, q.SQL} {
			if strings.Contains(s, "{") && !strings.Contains(s, "{'") {
				t.Errorf("%s: unreplaced time in %s", q.Name, s)
			}
		}
	}
	if !strings.Contains(qs[3].KQL, "datetime(2024-05-31T00:00:00Z)") || !strings.Contains(qs[3].SQL, "TIMESTAMPTZ '2024-05-31 00:00:00+00'") {
		t.Errorf("time-filter-shells:\n%s\n%s", qs[3].KQL, qs[3].SQL)
	}
}

func TestQueriesCheck(t *testing.T) {
	for _, q := range Queries(end) {
		f := token.NewFile(q.Name, q.KQL)
		tree, err := parser.Parse(f)
		if err == nil {
			_, err = check.Check(tree, f, &check.Config{Tables: catalog.Default()})
		}
		if err != nil {
			t.Errorf("%s: %v", q.Name, err)
		}
	}
}

func TestCompare(t *testing.T) {
	s := &types.Schema{Columns: []types.Column{{Name: "T", Type: types.Datetime}, {Name: "N", Type: types.Long}, {Name: "D", Type: types.Long}}}
	b := engine.NewBatch(s, 2)
	t0 := time.Date(2024, 5, 31, 1, 2, 3, 123456789, time.UTC)
	for i, row := range [][]value.Value{
		{value.OfDatetime(value.DatetimeOf(t0)), value.OfLong(1), value.OfLong(100)},
		{value.Null(types.Datetime), value.OfLong(2), value.OfLong(7)},
	} {
		for j, v := range row {
			b.Cols[j].Append(v)
		}
		b.N = i + 1
	}
	want := FromBatch(b)
	q := Query{Approx: []string{"D"}}
	agree := FromRows([]string{"T", "N", "D"}, [][]any{{nil, int32(2), int64(7)}, {t0.Truncate(time.Microsecond), int64(1), uint64(103)}})
	if d := Compare(q, want, agree); d != "" {
		t.Errorf("Compare(agreeing) = %q", d)
	}
	differ := FromRows([]string{"T", "N", "D"}, [][]any{{nil, int64(3), int64(7)}, {t0, int64(1), int64(100)}})
	if d := Compare(q, want, differ); !strings.Contains(d, "1 of 2 rows differ") {
		t.Errorf("Compare(differing) = %q", d)
	}
	if d := Compare(q, want, FromRows([]string{"T", "N", "D"}, nil)); d != "2 rows vs 0" {
		t.Errorf("Compare(empty) = %q", d)
	}
}
