package source_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/source"
	"github.com/vigil-hunt/vigil/internal/source/fake"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// t0 is the fakes' clock and the start of the test data.
var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// bigLong does not survive a float64: 2^53 + 1.
const bigLong = 9007199254740993

// events returns n rows, one a minute from t0, with every column type.
// timeCol names the datetime column (TimeGenerated or Timestamp).
func events(timeCol string, n int) *engine.Batch {
	s := &types.Schema{Columns: []types.Column{
		{Name: timeCol, Type: types.Datetime},
		{Name: "Account", Type: types.String},
		{Name: "Count", Type: types.Long},
		{Name: "Big", Type: types.Long},
		{Name: "Small", Type: types.Int},
		{Name: "Score", Type: types.Real},
		{Name: "Amount", Type: types.Decimal},
		{Name: "Ok", Type: types.Bool},
		{Name: "Took", Type: types.Timespan},
		{Name: "Id", Type: types.Guid},
		{Name: "Props", Type: types.Dynamic},
	}}
	b := engine.NewBatch(s, n)
	for i := 0; i < n; i++ {
		bag := value.NewBag(2)
		bag.Set("z", int64(i))
		bag.Set("a", []any{"x", int64(1)})
		vals := []value.Value{
			value.OfDatetime(value.DatetimeOf(t0.Add(time.Duration(i)*time.Minute + 1234567*100))),
			value.OfString("user" + string(rune('a'+i%26)) + "@contoso.com"),
			value.OfLong(int64(i)),
			value.OfLong(bigLong),
			value.OfInt(int64(-i)),
			value.OfReal(float64(i) + 0.5),
			{Type: types.Decimal, F: 0.25},
			value.OfBool(i%2 == 0),
			value.OfTimespan(value.Timespan(i)*value.Second + 5),
			value.OfGuid("6F9619FF-8B86-D011-B42D-00C04FC964FF"),
			value.OfDynamic(bag),
		}
		if i == 1 { // a row of nulls (strings are never null)
			for j := range vals {
				if j > 1 {
					vals[j] = value.Null(s.Columns[j].Type)
				}
			}
		}
		for j, v := range vals {
			b.Cols[j].Append(v)
		}
		b.N++
	}
	return b
}

// fastRetry keeps retry tests quick.
var fastRetry = source.RetryOptions{MaxRetries: 2, BaseDelay: 5 * time.Millisecond, MaxDelay: 20 * time.Millisecond, MaxRetryAfter: 5 * time.Second}

// check is one expectation on a query's outcome.
type check func(t *testing.T, res *source.Result, err error)

func wantErr(kind source.Kind) check {
	return func(t *testing.T, res *source.Result, err error) {
		t.Helper()
		if !errors.Is(err, kind) {
			t.Fatalf("err = %v, want %s", err, kind)
		}
		if res != nil {
			t.Errorf("result %+v returned with an error", res)
		}
	}
}

func wantRows(n int) check {
	return func(t *testing.T, res *source.Result, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("err = %v", err)
		}
		if got := res.Stats.Rows; got != n {
			t.Errorf("rows = %d, want %d", got, n)
		}
	}
}

func wantTruncated(truncated bool, reason string) check {
	return func(t *testing.T, res *source.Result, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("err = %v", err)
		}
		if res.Truncated != truncated || !contains(res.TruncatedReason, reason) {
			t.Errorf("truncated = %v %q, want %v %q", res.Truncated, res.TruncatedReason, truncated, reason)
		}
	}
}

func wantPartial(code string) check {
	return func(t *testing.T, res *source.Result, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("err = %v", err)
		}
		for _, p := range res.PartialErrors {
			if p.Code == code {
				return
			}
		}
		t.Errorf("partial errors %+v lack code %s", res.PartialErrors, code)
	}
}

func wantAttempts(n int) check {
	return func(t *testing.T, _ *source.Result, err error) {
		t.Helper()
		var e *source.Error
		if !errors.As(err, &e) || e.Attempts != n {
			t.Errorf("err = %#v, want %d attempts", err, n)
		}
	}
}

func wantRetryAfter(d time.Duration) check {
	return func(t *testing.T, _ *source.Result, err error) {
		t.Helper()
		var e *source.Error
		if !errors.As(err, &e) || e.RetryAfter != d {
			t.Errorf("err = %v, want Retry-After %s", err, d)
		}
	}
}

func wantPos(line, col int) check {
	return func(t *testing.T, _ *source.Result, err error) {
		t.Helper()
		var e *source.Error
		if !errors.As(err, &e) || e.Pos.Line != line || e.Pos.Column != col {
			t.Errorf("err = %v, want position %d:%d", err, line, col)
		}
	}
}

func wantMessage(sub string) check {
	return func(t *testing.T, _ *source.Result, err error) {
		t.Helper()
		if err == nil || !contains(err.Error(), sub) {
			t.Errorf("err = %v, want it to mention %q", err, sub)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// faultCase is one row of a fault matrix.
type faultCase struct {
	name   string
	script []fake.Fault
	query  source.Query
	ctx    func() (context.Context, context.CancelFunc)
	checks []check
	// requests is the number of requests the fake must have seen (0: any).
	requests int
	rowLimit int                // the fake's row limit (0: its default)
	deps     func(*source.Deps) // adjusts the dependencies
}

// run runs c against src, whose fake is described by script and reqs.
func (c faultCase) run(t *testing.T, src source.Source, script func(...fake.Fault), reqs func() []fake.Request) {
	t.Helper()
	script(c.script...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	if c.ctx != nil {
		cancel()
		ctx, cancel = c.ctx()
	}
	defer cancel()
	q := c.query
	if q.Text == "" {
		q = window(`SigninLogs | where Account has "contoso"`)
	}
	res, err := src.Query(ctx, q)
	for _, chk := range c.checks {
		chk(t, res, err)
	}
	if n := len(reqs()); c.requests > 0 && n != c.requests {
		t.Errorf("fake saw %d requests, want %d", n, c.requests)
	}
}

// deadline returns a context that ends after d.
func deadline(d time.Duration) func() (context.Context, context.CancelFunc) {
	return func() (context.Context, context.CancelFunc) { return context.WithTimeout(context.Background(), d) }
}

// window is the whole test data span.
func window(q string) source.Query {
	return source.Query{Text: q, Start: t0, End: t0.Add(24 * time.Hour)}
}
