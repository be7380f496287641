package check

// This file implements constant folding of the few forms the checker
// needs: integers (take counts), strings (table("T"), column_ifexists),
// timespans and datetimes (time bounds), through let-bound names.

import (
	"strconv"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

// letValue returns the expression a scalar let name is bound to.
func (c *checker) letValue(x ast.Expr) (ast.Expr, bool) {
	id, ok := unparen(x).(*ast.Ident)
	if !ok {
		return nil, false
	}
	e := c.scope.lookup(id.Name)
	if e == nil || e.kind != scalarEntity || e.value == nil {
		return nil, false
	}
	return e.value, true
}

// constInt folds an integer constant.
func (c *checker) constInt(x ast.Expr) (int64, bool) {
	switch y := unparen(x).(type) {
	case *ast.BasicLit:
		if y.Kind == token.INT {
			v, err := strconv.ParseInt(y.Value, 0, 64)
			return v, err == nil
		}
		if y.Kind == token.REAL {
			f, err := strconv.ParseFloat(y.Value, 64)
			return int64(f), err == nil
		}
	case *ast.TypedLit:
		v, err := strconv.ParseInt(strings.TrimSpace(y.Text), 0, 64)
		return v, err == nil
	case *ast.Ident:
		if v, ok := c.letValue(y); ok {
			return c.constInt(v)
		}
	}
	return 0, false
}

// constString folds a string constant.
func (c *checker) constString(x ast.Expr) (string, bool) {
	switch y := unparen(x).(type) {
	case *ast.BasicLit:
		if y.Kind == token.STRING {
			s, err := token.Unquote(y.Value)
			return s, err == nil
		}
	case *ast.Ident:
		if v, ok := c.letValue(y); ok {
			return c.constString(v)
		}
	}
	return "", false
}

// constDuration folds a timespan constant: 3d, timespan(1.02:00:00),
// -1d, 2 * 1h, a let-bound name.
func (c *checker) constDuration(x ast.Expr) (time.Duration, bool) {
	switch y := unparen(x).(type) {
	case *ast.BasicLit:
		if y.Kind == token.TIMESPAN {
			return parseTimespan(y.Value)
		}
	case *ast.TypedLit:
		if y.Type == "timespan" || y.Type == "time" {
			return parseTimespan(strings.TrimSpace(y.Text))
		}
	case *ast.UnaryExpr:
		d, ok := c.constDuration(y.X)
		if y.Op == token.SUB {
			d = -d
		}
		return d, ok
	case *ast.BinaryExpr:
		return c.durationArith(y)
	case *ast.CallExpr:
		if (y.Fun.Name == "totimespan" || y.Fun.Name == "time") && len(y.Args) == 1 {
			if s, ok := c.constString(y.Args[0]); ok {
				return parseTimespan(s)
			}
			return c.constDuration(y.Args[0])
		}
	case *ast.Ident:
		if v, ok := c.letValue(y); ok {
			return c.constDuration(v)
		}
	}
	return 0, false
}

// durationArith folds d+d, d-d, d*n, n*d, d/n.
func (c *checker) durationArith(y *ast.BinaryExpr) (time.Duration, bool) {
	l, lok := c.constDuration(y.X)
	r, rok := c.constDuration(y.Y)
	switch {
	case lok && rok && y.Op == token.ADD:
		return l + r, true
	case lok && rok && y.Op == token.SUB:
		return l - r, true
	case lok && y.Op == token.MUL:
		if n, ok := c.constInt(y.Y); ok {
			return l * time.Duration(n), true
		}
	case rok && y.Op == token.MUL:
		if n, ok := c.constInt(y.X); ok {
			return r * time.Duration(n), true
		}
	case lok && y.Op == token.QUO:
		if n, ok := c.constInt(y.Y); ok && n != 0 {
			return l / time.Duration(n), true
		}
	}
	return 0, false
}

// timespanUnits maps Kusto's timespan suffixes to durations.
var timespanUnits = map[string]time.Duration{
	"d": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
	"m": time.Minute, "min": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"s": time.Second, "sec": time.Second, "second": time.Second, "seconds": time.Second,
	"ms": time.Millisecond, "milli": time.Millisecond, "millis": time.Millisecond,
	"millisecond": time.Millisecond, "milliseconds": time.Millisecond,
	"microsecond": time.Microsecond, "microseconds": time.Microsecond,
	"tick": 100 * time.Nanosecond, "ticks": 100 * time.Nanosecond,
}

// parseTimespan parses 3d, 1.5h, 100ms or the [d.]hh:mm[:ss[.fff]] form.
func parseTimespan(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	var d time.Duration
	var ok bool
	if strings.Contains(s, ":") {
		d, ok = parseClock(s)
	} else {
		i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
		if i <= 0 {
			return 0, false
		}
		unit, okUnit := timespanUnits[strings.ToLower(s[i:])]
		f, err := strconv.ParseFloat(s[:i], 64)
		d, ok = time.Duration(f*float64(unit)), okUnit && err == nil
	}
	if neg {
		d = -d
	}
	return d, ok
}

// parseClock parses [d.]hh:mm[:ss[.fffffff]].
func parseClock(s string) (time.Duration, bool) {
	var days int64
	if i := strings.Index(s, "."); i >= 0 && i < strings.Index(s, ":") {
		n, err := strconv.ParseInt(s[:i], 10, 64)
		if err != nil {
			return 0, false
		}
		days, s = n, s[i+1:]
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	h, err1 := strconv.ParseInt(parts[0], 10, 64)
	m, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	d := time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	if len(parts) == 3 {
		sec, err := strconv.ParseFloat(parts[2], 64)
		if err != nil {
			return 0, false
		}
		d += time.Duration(sec * float64(time.Second))
	}
	return d, true
}

// datetimeLayouts are the literal forms datetime(…) accepts that the
// checker folds.
var datetimeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02 15:04:05.9999999",
	"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04",
	"2006-01-02", "2006/01/02", "2006-1-2", "01/02/2006",
}

// parseDatetime parses a datetime literal's text as UTC.
func parseDatetime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range datetimeLayouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
