package fake

// This file runs the fakes' queries: vigil's own engine over in-memory
// tables, with the service's timespan applied to a time column first, as
// the real services apply it on top of the query's own filters.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// Data is what a fake service holds.
type Data struct {
	Tables map[string]*engine.Batch
	// TimeColumn is the datetime column a request's timespan filters
	// (TimeGenerated in Log Analytics, Timestamp in Defender).
	TimeColumn string
	// Now is the service clock: now(), ago() and relative timespans.
	Now time.Time
}

// span is a half-open time range; zero bounds are open.
type span struct{ from, to time.Time }

// queryError is a query the engine rejected: syntax or semantic, with
// the 1-based line and 0-based character position of the fault.
type queryError struct {
	syntax    bool
	msg       string
	line, pos int
}

func (e *queryError) Error() string { return e.msg }

// run runs text over the tables restricted to sp.
func (d *Data) run(ctx context.Context, text string, sp span) ([]*engine.Batch, error) {
	cat := engine.NewMemCatalog()
	for name, b := range d.Tables {
		cat.Add(name, engine.NewMemTable(d.restrict(b, sp)))
	}
	res, err := engine.Query(ctx, text, engine.Options{Catalog: cat, Now: d.Now})
	if err != nil {
		return nil, classify(text, err)
	}
	return res.Tables, nil
}

// restrict keeps the rows of b whose time column lies in sp.
func (d *Data) restrict(b *engine.Batch, sp span) *engine.Batch {
	i := b.Schema.Index(d.TimeColumn)
	if i < 0 || b.Schema.Columns[i].Type != types.Datetime || (sp.from.IsZero() && sp.to.IsZero()) {
		return b
	}
	var keep []int
	col := b.Cols[i]
	for r := 0; r < b.N; r++ {
		if col.IsNull(r) {
			continue
		}
		t := value.Datetime(col.Ints[r]).Time()
		if (sp.from.IsZero() || !t.Before(sp.from)) && (sp.to.IsZero() || t.Before(sp.to)) {
			keep = append(keep, r)
		}
	}
	return b.Gather(keep)
}

// classify turns an engine error into a queryError with a position.
func classify(text string, err error) error {
	var syn parser.ErrorList
	if errors.As(err, &syn) && len(syn) > 0 {
		p := syn[0].Pos
		return &queryError{syntax: true, msg: syn[0].Msg, line: p.Line, pos: charPos(text, p.Line, p.Column)}
	}
	var run *engine.Error
	if errors.As(err, &run) {
		p := token.NewFile("", text).Position(run.Pos)
		return &queryError{msg: run.Error(), line: p.Line, pos: charPos(text, p.Line, p.Column)}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err
	}
	return &queryError{msg: err.Error()}
}

// charPos converts a 1-based byte column to a 0-based character offset.
func charPos(text string, line, col int) int {
	if line <= 0 {
		return 0
	}
	l := token.NewFile("", text).Line(line)
	if col-1 > len(l) {
		return col - 1
	}
	return len([]rune(l[:col-1]))
}

// parseTimespan reads a service timespan: start/end, a duration ending
// now (P1D, PT12H), duration/end, start/duration, or a single start.
func parseTimespan(s string, now time.Time) (span, error) {
	if s == "" {
		return span{}, nil
	}
	a, b, two := strings.Cut(s, "/")
	if !two {
		if d, err := parseDuration(a); err == nil {
			return span{now.Add(-d), now}, nil
		}
		t, err := time.Parse(time.RFC3339Nano, a)
		return span{t, now}, err
	}
	da, errA := parseDuration(a)
	db, errB := parseDuration(b)
	ta, errTA := time.Parse(time.RFC3339Nano, a)
	tb, errTB := time.Parse(time.RFC3339Nano, b)
	switch {
	case errTA == nil && errTB == nil:
		return span{ta, tb}, nil
	case errA == nil && errTB == nil:
		return span{tb.Add(-da), tb}, nil
	case errTA == nil && errB == nil:
		return span{ta, ta.Add(db)}, nil
	}
	return span{}, fmt.Errorf("timespan %q is not an ISO 8601 interval", s)
}

// parseDuration reads the ISO 8601 durations the services accept:
// PnW, PnD, PTnH, PTnM, PTnS and combinations.
func parseDuration(s string) (time.Duration, error) {
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, fmt.Errorf("%q is not a duration", s)
	}
	var d time.Duration
	inTime := false
	num := ""
	for _, r := range s[1:] {
		switch {
		case r == 'T':
			inTime = true
		case r >= '0' && r <= '9' || r == '.':
			num += string(r)
		default:
			n, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, fmt.Errorf("%q is not a duration", s)
			}
			unit, ok := durationUnit(r, inTime)
			if !ok {
				return 0, fmt.Errorf("%q is not a duration", s)
			}
			d += time.Duration(n * float64(unit))
			num = ""
		}
	}
	return d, nil
}

func durationUnit(r rune, inTime bool) (time.Duration, bool) {
	switch {
	case r == 'W' && !inTime:
		return 7 * 24 * time.Hour, true
	case r == 'D' && !inTime:
		return 24 * time.Hour, true
	case r == 'H' && inTime:
		return time.Hour, true
	case r == 'M' && inTime:
		return time.Minute, true
	case r == 'S' && inTime:
		return time.Second, true
	}
	return 0, false
}
