package check

// This file implements time bounds: whether a where predicate bounds a
// read's datetime column from below (Timestamp > ago(3d), between
// (ago(7d) .. now()), >= datetime(2024-01-01), > startofday(ago(1d)),
// through let-bound values and conjunctions).

import (
	"time"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
)

// timeVal is the value of a datetime expression, as far as it is known.
type timeVal struct {
	relative bool          // now() - lookback
	lookback time.Duration // for relative values
	abs      *time.Time    // for absolute values
}

// boundFlows tightens the bound of every flow of r that pred restricts.
func (c *checker) boundFlows(r *rel, pred ast.Expr) {
	for _, f := range r.flows {
		if f.done {
			continue
		}
		if b, ok := c.predBound(f, r.schema, pred); ok {
			f.bound = tighter(f.bound, b)
		}
	}
}

// predBound is the bound pred sets on f's table, if any.
func (c *checker) predBound(f *flow, s *types.Schema, pred ast.Expr) (TimeBound, bool) {
	switch x := pred.(type) {
	case *ast.ParenExpr:
		return c.predBound(f, s, x.X)
	case *ast.BinaryExpr:
		switch x.Op {
		case token.AND:
			l, lok := c.predBound(f, s, x.X)
			r, rok := c.predBound(f, s, x.Y)
			switch {
			case lok && rok:
				return tighter(l, r), true
			case lok:
				return l, true
			}
			return r, rok
		case token.OR:
			l, lok := c.predBound(f, s, x.X)
			r, rok := c.predBound(f, s, x.Y)
			if lok && rok && l.Bounded && r.Bounded {
				return looser(l, r), true
			}
			return TimeBound{}, false
		case token.GTR, token.GEQ, token.LSS, token.LEQ, token.EQL:
			return c.cmpBound(f, s, x)
		}
	case *ast.BetweenExpr:
		if x.Not {
			return TimeBound{}, false
		}
		col, ok := c.timeColumn(f, s, x.X)
		if !ok {
			return TimeBound{}, false
		}
		lo, ok := c.timeValue(x.Lo, s)
		if !ok {
			return TimeBound{}, false
		}
		b := lowerBound(col, lo)
		if hi, ok := c.timeValue(x.Hi, s); ok && hi.abs != nil {
			b.To = hi.abs
		}
		return b, true
	}
	return TimeBound{}, false
}

// cmpBound handles col > v, col >= v, v < col, v <= col, col == v (lower
// bounds) and col < v, col <= v (upper bounds only).
func (c *checker) cmpBound(f *flow, s *types.Schema, x *ast.BinaryExpr) (TimeBound, bool) {
	op, colX, valX := x.Op, x.X, x.Y
	col, ok := c.timeColumn(f, s, colX)
	if !ok {
		col, ok = c.timeColumn(f, s, x.Y)
		if !ok {
			return TimeBound{}, false
		}
		valX = x.X
		op = flip(op)
	}
	v, ok := c.timeValue(valX, s)
	if !ok {
		return TimeBound{}, false
	}
	switch op {
	case token.GTR, token.GEQ:
		return lowerBound(col, v), true
	case token.EQL:
		b := lowerBound(col, v)
		b.To = v.abs
		return b, true
	}
	return TimeBound{Column: col, To: v.abs}, v.abs != nil
}

// flip mirrors a comparison: v < col is col > v.
func flip(op token.Kind) token.Kind {
	switch op {
	case token.LSS:
		return token.GTR
	case token.LEQ:
		return token.GEQ
	case token.GTR:
		return token.LSS
	case token.GEQ:
		return token.LEQ
	}
	return op
}

// lowerBound is the bound col >= v.
func lowerBound(col string, v timeVal) TimeBound {
	b := TimeBound{Column: col, Bounded: true}
	if v.relative {
		b.Lookback = v.lookback
	}
	b.From = v.abs
	return b
}

// tighter combines two restrictions of the same rows (both apply).
func tighter(a, b TimeBound) TimeBound {
	out := a
	switch {
	case b.Bounded && !a.Bounded:
		out.Column, out.Bounded, out.Lookback, out.From = b.Column, true, b.Lookback, b.From
	case b.Bounded && a.Bounded:
		if b.Lookback > 0 && (a.Lookback == 0 || b.Lookback < a.Lookback) {
			out.Lookback = b.Lookback
		}
		if b.From != nil && (a.From == nil || b.From.After(*a.From)) {
			out.From = b.From
		}
	}
	if b.To != nil && (a.To == nil || b.To.Before(*a.To)) {
		out.To = b.To
	}
	return out
}

// timeColumn reports whether x is a column of f's table that holds
// datetimes, returning the table's column name.
func (c *checker) timeColumn(f *flow, s *types.Schema, x ast.Expr) (string, bool) {
	id, ok := unparen(x).(*ast.Ident)
	if !ok {
		return "", false
	}
	if orig, ok := f.cols[id.Name]; ok {
		return orig, f.r.dtCols[orig] || f.r.open && c.info.Types[id] != types.Invalid
	}
	if f.r.open && s.Index(id.Name) < 0 && s.Open {
		return id.Name, true
	}
	return "", false
}

// timeValue folds a datetime expression that does not depend on the row:
// ago(d), now(), datetime(…), startofday(v), bin(v, d), v ± d, let names.
// A datetime expression of unknown value still counts (toscalar(…)).
func (c *checker) timeValue(x ast.Expr, s *types.Schema) (timeVal, bool) {
	if refersTo(x, s) {
		return timeVal{}, false
	}
	if v, ok := c.foldTime(x, 0); ok {
		return v, true
	}
	t := c.info.Types[x]
	return timeVal{}, t == types.Datetime
}

// foldTime computes the value of a datetime expression.
func (c *checker) foldTime(x ast.Expr, depth int) (timeVal, bool) {
	if depth > 16 {
		return timeVal{}, false
	}
	switch y := unparen(x).(type) {
	case *ast.TypedLit:
		if y.Type == "datetime" || y.Type == "date" {
			if t, ok := parseDatetime(y.Text); ok {
				return timeVal{abs: &t}, true
			}
		}
	case *ast.Ident:
		if v, ok := c.letValue(y); ok {
			return c.foldTime(v, depth+1)
		}
	case *ast.BinaryExpr:
		if y.Op != token.ADD && y.Op != token.SUB {
			return timeVal{}, false
		}
		base, ok := c.foldTime(y.X, depth+1)
		d, dok := c.constDuration(y.Y)
		if !ok || !dok {
			if y.Op == token.ADD {
				base, ok = c.foldTime(y.Y, depth+1)
				d, dok = c.constDuration(y.X)
			}
			if !ok || !dok {
				return timeVal{}, false
			}
		}
		if y.Op == token.SUB {
			d = -d
		}
		return shift(base, d), true
	case *ast.CallExpr:
		return c.foldTimeCall(y, depth)
	}
	return timeVal{}, false
}

// shift moves a time value by d.
func shift(v timeVal, d time.Duration) timeVal {
	if v.relative {
		v.lookback -= d
	}
	if v.abs != nil {
		t := v.abs.Add(d)
		v.abs = &t
	}
	return v
}

// periods of the startof… functions, the longest they can reach back.
var startOf = map[string]time.Duration{
	"startofday": 24 * time.Hour, "startofweek": 7 * 24 * time.Hour,
	"startofmonth": 31 * 24 * time.Hour, "startofyear": 366 * 24 * time.Hour,
}

// foldTimeCall folds ago, now, startof…, bin/floor, datetime_add and
// todatetime.
func (c *checker) foldTimeCall(x *ast.CallExpr, depth int) (timeVal, bool) {
	name, args := x.Fun.Name, x.Args
	switch {
	case name == "ago" && len(args) == 1:
		d, ok := c.constDuration(args[0])
		return timeVal{relative: true, lookback: d}, ok
	case name == "now" && len(args) <= 1:
		v := timeVal{relative: true}
		if len(args) == 1 {
			d, ok := c.constDuration(args[0])
			return shift(v, d), ok
		}
		return v, true
	case startOf[name] > 0 && len(args) >= 1:
		v, ok := c.foldTime(args[0], depth+1)
		if !ok {
			return v, false
		}
		if len(args) > 1 {
			return timeVal{}, false // an offset: not folded
		}
		return truncate(v, name), true
	case (name == "bin" || name == "floor") && len(args) == 2:
		v, ok := c.foldTime(args[0], depth+1)
		d, dok := c.constDuration(args[1])
		if !ok || !dok || d <= 0 {
			return timeVal{}, false
		}
		v.lookback += d
		if v.abs != nil {
			t := v.abs.Truncate(d)
			v.abs = &t
		}
		return v, true
	case name == "datetime_add" && len(args) == 3:
		return c.foldDatetimeAdd(args, depth)
	case (name == "todatetime" || name == "datetime") && len(args) == 1:
		if s, ok := c.constString(args[0]); ok {
			if t, ok := parseDatetime(s); ok {
				return timeVal{abs: &t}, true
			}
		}
		return c.foldTime(args[0], depth+1)
	}
	return timeVal{}, false
}

// truncate applies a startof… function: relative values may reach back
// one more period; absolute ones are truncated.
func truncate(v timeVal, name string) timeVal {
	if v.relative {
		v.lookback += startOf[name]
	}
	if v.abs != nil {
		t := *v.abs
		switch name {
		case "startofday":
			t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		case "startofweek":
			t = time.Date(t.Year(), t.Month(), t.Day()-int(t.Weekday()), 0, 0, 0, 0, time.UTC)
		case "startofmonth":
			t = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		case "startofyear":
			t = time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		}
		v.abs = &t
	}
	return v
}

// datetimeAddUnits are the fixed-length units of datetime_add.
var datetimeAddUnits = map[string]time.Duration{
	"week": 7 * 24 * time.Hour, "day": 24 * time.Hour, "hour": time.Hour,
	"minute": time.Minute, "second": time.Second, "millisecond": time.Millisecond,
}

// foldDatetimeAdd folds datetime_add('day', -7, now()).
func (c *checker) foldDatetimeAdd(args []ast.Expr, depth int) (timeVal, bool) {
	unit, ok := c.constString(args[0])
	n, nok := c.constInt(args[1])
	if u, neg := args[1].(*ast.UnaryExpr); neg && u.Op == token.SUB {
		n, nok = c.constInt(u.X)
		n = -n
	}
	v, vok := c.foldTime(args[2], depth+1)
	d, uok := datetimeAddUnits[unit]
	if !ok || !nok || !vok || !uok {
		return timeVal{}, false
	}
	return shift(v, time.Duration(n)*d), true
}

// refersTo reports whether x mentions a column of s (so it is not a
// constant of the query).
func refersTo(x ast.Expr, s *types.Schema) bool {
	found := false
	ast.Inspect(x, func(n ast.Node) bool {
		switch y := n.(type) {
		case *ast.CallExpr:
			for _, a := range y.Args {
				if refersTo(a, s) {
					found = true
				}
			}
			return false
		case *ast.SelectorExpr:
			if refersTo(y.X, s) {
				found = true
			}
			return false
		case *ast.PipeExpr:
			return false
		case *ast.Ident:
			if s.Index(y.Name) >= 0 {
				found = true
			}
		}
		return !found
	})
	return found
}

func span(n ast.Node) token.Span { return token.Span{Pos: n.Pos(), End: n.End()} }
