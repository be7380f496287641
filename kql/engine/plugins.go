package engine

// This file holds the registry of the evaluate plugins implemented in
// their own files (rolling_percentile, session_count, ipv4_lookup, …) and
// what they share: reading their arguments (columns of the input,
// constants) and cutting a timeline into bins.

import (
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// pluginCompiler compiles one plugin call applied to in.
type pluginCompiler func(c *compiler, p *pluginCall) (plan, error)

var pluginCompilers = map[string]pluginCompiler{}

// registerPlugin registers a plugin by its lower-case name.
func registerPlugin(name string, f pluginCompiler) { pluginCompilers[name] = f }

// pluginCall is a plugin call being compiled.
type pluginCall struct {
	op   *ast.EvaluateOp
	what string // "evaluate name()"
	in   plan
	sc   *scope
	args []ast.Expr
}

func (p *pluginCall) errorf(at ast.Node, format string, args ...any) error {
	return errorf(at.Pos(), p.what, format, args...)
}

// needArgs checks that there are at least n arguments.
func (p *pluginCall) needArgs(n int, what string) error {
	if len(p.args) < n {
		return errorf(p.op.Call.Pos(), p.what, "expects %s", what)
	}
	return nil
}

// column resolves argument i as a column of the input.
func (p *pluginCall) column(i int) (int, error) {
	s := p.in.schema()
	id, ok := unparen(p.args[i]).(*ast.Ident)
	if !ok || s.Index(id.Name) < 0 {
		return 0, p.errorf(p.args[i], "argument %d must be a column of the input", i+1)
	}
	return s.Index(id.Name), nil
}

// columns resolves arguments from i on as columns of the input.
func (p *pluginCall) columns(from int) ([]int, error) {
	var out []int
	for i := from; i < len(p.args); i++ {
		c, err := p.column(i)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// constant evaluates argument i as a constant; a "~" string or a missing
// argument gives def.
func (p *pluginCall) constant(c *compiler, i int, def value.Value) (value.Value, error) {
	if i >= len(p.args) {
		return def, nil
	}
	v, err := c.constant(p.args[i], p.sc)
	if err != nil {
		return value.Value{}, err
	}
	if v.Type == types.String && v.S == "~" {
		return def, nil
	}
	return v, nil
}

// timelineAt returns a column's values as int64 positions on its
// timeline (ticks for datetime and timespan); ok is false for a null.
func timelineAt(c *value.Column, i int) (int64, bool) {
	if c.IsNull(i) {
		return 0, false
	}
	v := c.Value(i)
	switch v.Type {
	case types.Datetime, types.Timespan, types.Int, types.Long:
		return v.I, true
	case types.Real, types.Decimal:
		return int64(v.F), true
	}
	l := value.Convert(v, types.Long)
	return l.I, !l.IsNull()
}

// timelineValue makes a position a value of the timeline's type.
func timelineValue(pos int64, t types.Type) value.Value {
	switch t {
	case types.Datetime:
		return value.OfDatetime(value.Datetime(pos))
	case types.Timespan:
		return value.OfTimespan(value.Timespan(pos))
	case types.Real, types.Decimal:
		return value.Convert(value.OfLong(pos), t)
	}
	return value.Convert(value.OfLong(pos), t)
}

// bins cuts a timeline into steps from an origin: a fixed size, or
// calendar weeks, months or years.
type bins struct {
	origin   int64
	size     int64
	calendar string // "week", "month", "year" or ""
}

// newBins reads a step argument: a timespan, a number or week/month/year.
func newBins(origin int64, step value.Value) (bins, bool) {
	if step.Type == types.String {
		switch s := strings.ToLower(step.S); s {
		case "week", "month", "year":
			return bins{origin: origin, calendar: s}, true
		}
		return bins{}, false
	}
	n, ok := timelineConst(step)
	if !ok || n <= 0 {
		return bins{}, false
	}
	return bins{origin: origin, size: n}, true
}

// timelineConst is a constant as a timeline position or length.
func timelineConst(v value.Value) (int64, bool) {
	if v.IsNull() {
		return 0, false
	}
	switch v.Type {
	case types.Datetime, types.Timespan, types.Int, types.Long:
		return v.I, true
	case types.Real, types.Decimal:
		return int64(v.F), true
	}
	l := value.Convert(v, types.Long)
	return l.I, !l.IsNull()
}

// of returns the start of the bin holding t.
func (b bins) of(t int64) int64 {
	if b.calendar == "" {
		d := t - b.origin
		q := d / b.size
		if d%b.size < 0 {
			q--
		}
		return b.origin + q*b.size
	}
	tm := value.Datetime(t).Time()
	y, m, d := tm.Date()
	switch b.calendar {
	case "week":
		tm = time.Date(y, m, d-int(tm.Weekday()), 0, 0, 0, 0, time.UTC)
	case "month":
		tm = time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	default:
		tm = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return int64(value.DatetimeOf(tm))
}

// next returns the start of the bin after the one starting at s.
func (b bins) next(s int64) int64 {
	if b.calendar == "" {
		return s + b.size
	}
	tm := value.Datetime(s).Time()
	switch b.calendar {
	case "week":
		tm = tm.AddDate(0, 0, 7)
	case "month":
		tm = tm.AddDate(0, 1, 0)
	default:
		tm = tm.AddDate(1, 0, 0)
	}
	return int64(value.DatetimeOf(tm))
}

// dimKey is the key of a row's dimension values.
func dimKey(buf []byte, cols []*value.Column, i int) []byte {
	buf = buf[:0]
	for _, c := range cols {
		buf = value.AppendJSON(buf, c.Value(i).ToDynamic())
		buf = append(buf, 0)
	}
	return buf
}

// dimGroups numbers the rows of b by their values in the columns dims, in
// order of first appearance; first holds each group's first row.
func dimGroups(b *Batch, dims []int) (group []int, first []int) {
	cols := make([]*value.Column, len(dims))
	for k, d := range dims {
		cols[k] = b.Cols[d]
	}
	ids := map[string]int{}
	group = make([]int, b.N)
	var kb []byte
	for i := 0; i < b.N; i++ {
		kb = dimKey(kb, cols, i)
		g, ok := ids[string(kb)]
		if !ok {
			g = len(first)
			ids[string(kb)] = g
			first = append(first, i)
		}
		group[i] = g
	}
	return group, first
}

// dimSchema lists the input's columns dims.
func dimSchema(in *types.Schema, dims []int) []types.Column {
	var out []types.Column
	for _, d := range dims {
		out = append(out, in.Columns[d])
	}
	return out
}
