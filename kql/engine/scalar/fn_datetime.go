package scalar

// This file implements the datetime functions: now, ago, datetime_add,
// datetime_diff, datetime_part, the calendar parts (dayofweek, getmonth,
// …), startof*/endof*, make_datetime, make_timespan, the unixtime
// conversions and the time zone conversions.

import (
	"math"
	"strings"
	"time"
	_ "time/tzdata" // IANA zones for datetime_utc_to_local without a system database

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	def(bindNow, "now")
	def(bindAgo, "ago")
	def(bindDatetimeAdd, "datetime_add")
	def(bindDatetimeDiff, "datetime_diff")
	def(bindDatetimePart, "datetime_part", "datepart")
	def(dtPart(types.Timespan, func(t time.Time) int64 {
		return int64(t.Weekday()) * int64(value.Day)
	}), "dayofweek")
	def(dtPart(types.Int, func(t time.Time) int64 { return int64(t.Day()) }), "dayofmonth")
	def(dtPart(types.Int, func(t time.Time) int64 { return int64(t.YearDay()) }), "dayofyear")
	def(dtPart(types.Int, func(t time.Time) int64 { return int64(t.Hour()) }), "hourofday")
	def(dtPart(types.Int, func(t time.Time) int64 { return int64(t.Month()) }), "getmonth", "monthofyear")
	def(dtPart(types.Int, func(t time.Time) int64 { return int64(t.Year()) }), "getyear")
	def(dtPart(types.Int, func(t time.Time) int64 {
		_, w := t.ISOWeek()
		return int64(w)
	}), "week_of_year", "weekofyear")
	for name, unit := range map[string]string{"day": "day", "week": "week", "month": "month", "year": "year"} {
		def(bindStartOf(unit, false), "startof"+name)
		def(bindStartOf(unit, true), "endof"+name)
	}
	def(bindMakeDatetime, "make_datetime")
	def(bindMakeTimespan, "make_timespan")
	def(unixTime(1e7), "unixtime_seconds_todatetime")
	def(unixTime(1e4), "unixtime_milliseconds_todatetime")
	def(unixTime(10), "unixtime_microseconds_todatetime")
	def(unixTime(0.01), "unixtime_nanoseconds_todatetime")
	def(bindTimezone(true), "datetime_utc_to_local")
	def(bindTimezone(false), "datetime_local_to_utc")
}

func bindNow(c *call) (*Fn, error) {
	now := c.env.Now
	return c.rows(types.Datetime, func(v []value.Value) value.Value {
		if len(v) > 0 {
			if v[0].IsNull() {
				return value.Null(types.Datetime)
			}
			return value.OfDatetime(now + value.Datetime(toTimespanValue(v[0]).I))
		}
		return value.OfDatetime(now)
	}), nil
}

func bindAgo(c *call) (*Fn, error) {
	now := c.env.Now
	return c.strict(types.Datetime, func(v []value.Value) value.Value {
		ts := toTimespanValue(v[0])
		if ts.IsNull() {
			return value.Null(types.Datetime)
		}
		return value.OfDatetime(now - value.Datetime(ts.I))
	}), nil
}

// dtTime converts a datetime argument to a time.Time.
func dtTime(v value.Value) (time.Time, bool) {
	d := toDatetimeValue(v)
	if d.IsNull() {
		return time.Time{}, false
	}
	return value.Datetime(d.I).Time(), true
}

func ofTime(t time.Time) value.Value { return value.OfDatetime(value.DatetimeOf(t)) }

// dtPart binds a calendar part of a datetime.
func dtPart(t types.Type, f func(time.Time) int64) binder {
	return func(c *call) (*Fn, error) {
		x := c.args[0]
		if x.Type == types.Datetime {
			return &Fn{Type: t, eval: func(cols []*value.Column, n int) (*value.Column, error) {
				s, nulls := mapv(n, intsOf(x, cols[0]), func(d int64) (int64, bool) {
					return f(value.Datetime(d).Time()), true
				})
				return intCol(t, s, nulls), nil
			}}, nil
		}
		return c.strict(t, func(v []value.Value) value.Value {
			tm, ok := dtTime(v[0])
			if !ok {
				return value.Null(t)
			}
			return value.Value{Type: t, I: f(tm)}
		}), nil
	}
}

// normPart normalises a period name: case-insensitive, plural or not.
func normPart(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) > 1 && strings.HasSuffix(s, "s") {
		s = strings.TrimSuffix(s, "s")
	}
	return s
}

// addMonths adds months the way .NET's AddMonths does: the day is clamped
// to the end of the target month.
func addMonths(t time.Time, m int) time.Time {
	y, mo, d := t.Date()
	total := int(mo) - 1 + m
	ny, nm := y+floorDivInt(total, 12), total-12*floorDivInt(total, 12)+1
	last := time.Date(ny, time.Month(nm)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d > last {
		d = last
	}
	h, mi, s := t.Clock()
	return time.Date(ny, time.Month(nm), d, h, mi, s, t.Nanosecond(), time.UTC)
}

func floorDivInt(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// periodTicks is the length of the fixed periods.
var periodTicks = map[string]int64{
	"week": int64(7 * value.Day), "day": int64(value.Day), "hour": int64(value.Hour),
	"minute": int64(value.Minute), "second": int64(value.Second),
	"millisecond": int64(value.Millisecond), "microsecond": int64(value.Microsecond),
	"nanosecond": 0, // a tick is 100ns; handled apart
}

func bindDatetimeAdd(c *call) (*Fn, error) {
	part, err := c.needConstStr(0, "period")
	if err != nil {
		return nil, err
	}
	p := normPart(part)
	if _, ok := periodTicks[p]; !ok && p != "year" && p != "quarter" && p != "month" {
		return nil, c.errorf("unknown period %q", part)
	}
	return c.strict(types.Datetime, func(v []value.Value) value.Value {
		amount, ok1 := argInt(v[1])
		t, ok2 := dtTime(v[2])
		if !ok1 || !ok2 {
			return value.Null(types.Datetime)
		}
		switch p {
		case "year":
			return ofTime(addMonths(t, int(amount)*12))
		case "quarter":
			return ofTime(addMonths(t, int(amount)*3))
		case "month":
			return ofTime(addMonths(t, int(amount)))
		case "nanosecond":
			return value.OfDatetime(value.DatetimeOf(t) + value.Datetime(amount/100))
		}
		return value.OfDatetime(value.DatetimeOf(t) + value.Datetime(amount*periodTicks[p]))
	}), nil
}

// bindDatetimeDiff counts the period boundaries between datetime2 and
// datetime1 (datetime1 - datetime2).
func bindDatetimeDiff(c *call) (*Fn, error) {
	part, err := c.needConstStr(0, "period")
	if err != nil {
		return nil, err
	}
	p := normPart(part)
	if _, ok := periodTicks[p]; !ok && p != "year" && p != "quarter" && p != "month" {
		return nil, c.errorf("unknown period %q", part)
	}
	return c.strict(types.Long, func(v []value.Value) value.Value {
		t1, ok1 := dtTime(v[1])
		t2, ok2 := dtTime(v[2])
		if !ok1 || !ok2 {
			return value.Null(types.Long)
		}
		return value.OfLong(periodDiff(p, t1, t2))
	}), nil
}

func periodDiff(p string, t1, t2 time.Time) int64 {
	switch p {
	case "year":
		return int64(t1.Year() - t2.Year())
	case "quarter":
		q := func(t time.Time) int64 { return int64(t.Year())*4 + int64(t.Month()-1)/3 }
		return q(t1) - q(t2)
	case "month":
		m := func(t time.Time) int64 { return int64(t.Year())*12 + int64(t.Month()-1) }
		return m(t1) - m(t2)
	case "week":
		w := func(t time.Time) int64 { return int64(value.DatetimeOf(startOf("week", t, 0))) }
		return (w(t1) - w(t2)) / int64(7*value.Day)
	case "nanosecond":
		return (int64(value.DatetimeOf(t1)) - int64(value.DatetimeOf(t2))) * 100
	}
	size := periodTicks[p]
	a := floorDiv(int64(value.DatetimeOf(t1))+netTicks, size)
	b := floorDiv(int64(value.DatetimeOf(t2))+netTicks, size)
	return a - b
}

func bindDatetimePart(c *call) (*Fn, error) {
	part, err := c.needConstStr(0, "part")
	if err != nil {
		return nil, err
	}
	p := strings.ToLower(strings.TrimSpace(part))
	f, ok := map[string]func(t time.Time) int64{
		"year":    func(t time.Time) int64 { return int64(t.Year()) },
		"quarter": func(t time.Time) int64 { return int64(t.Month()-1)/3 + 1 },
		"month":   func(t time.Time) int64 { return int64(t.Month()) },
		"week_of_year": func(t time.Time) int64 {
			_, w := t.ISOWeek()
			return int64(w)
		},
		"day":         func(t time.Time) int64 { return int64(t.Day()) },
		"dayofyear":   func(t time.Time) int64 { return int64(t.YearDay()) },
		"hour":        func(t time.Time) int64 { return int64(t.Hour()) },
		"minute":      func(t time.Time) int64 { return int64(t.Minute()) },
		"second":      func(t time.Time) int64 { return int64(t.Second()) },
		"millisecond": func(t time.Time) int64 { return int64(t.Nanosecond() / 1e6) },
		"microsecond": func(t time.Time) int64 { return int64(t.Nanosecond() / 1e3) },
		"nanosecond":  func(t time.Time) int64 { return int64(t.Nanosecond()) },
	}[p]
	if !ok {
		if p == "week" {
			f = func(t time.Time) int64 { _, w := t.ISOWeek(); return int64(w) }
		} else {
			return nil, c.errorf("unknown part %q", part)
		}
	}
	return c.strict(types.Int, func(v []value.Value) value.Value {
		t, ok := dtTime(v[1])
		if !ok {
			return value.Null(types.Int)
		}
		return value.OfInt(f(t))
	}), nil
}

// startOf returns the start of the unit containing t, shifted by offset units.
func startOf(unit string, t time.Time, offset int) time.Time {
	y, m, d := t.Date()
	switch unit {
	case "day":
		return time.Date(y, m, d+offset, 0, 0, 0, 0, time.UTC)
	case "week":
		return time.Date(y, m, d-int(t.Weekday())+7*offset, 0, 0, 0, 0, time.UTC)
	case "month":
		return time.Date(y, m+time.Month(offset), 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(y+offset, 1, 1, 0, 0, 0, 0, time.UTC)
}

// bindStartOf binds startof<unit> (or endof<unit> when end).
func bindStartOf(unit string, end bool) binder {
	return func(c *call) (*Fn, error) {
		return c.strict(types.Datetime, func(v []value.Value) value.Value {
			t, ok := dtTime(v[0])
			if !ok {
				return value.Null(types.Datetime)
			}
			off := int64(0)
			if len(v) > 1 {
				if off, ok = argInt(v[1]); !ok {
					return value.Null(types.Datetime)
				}
			}
			if end {
				return value.OfDatetime(value.DatetimeOf(startOf(unit, t, int(off)+1)) - 1)
			}
			return ofTime(startOf(unit, t, int(off)))
		}), nil
	}
}

// bindMakeDatetime is make_datetime(year, month, day[, hour, minute,
// second]); second may carry a fraction.
func bindMakeDatetime(c *call) (*Fn, error) {
	return c.strict(types.Datetime, func(v []value.Value) value.Value {
		if len(v) < 3 {
			return value.Null(types.Datetime)
		}
		var parts [5]int64
		for i := 0; i < 5 && i < len(v); i++ {
			x, ok := argInt(v[i])
			if !ok {
				return value.Null(types.Datetime)
			}
			parts[i] = x
		}
		sec := 0.0
		if len(v) > 5 {
			sec, _ = argReal(v[5])
		}
		y, mo, d, h, mi := parts[0], parts[1], parts[2], parts[3], parts[4]
		if y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec >= 60 {
			return value.Null(types.Datetime)
		}
		t := time.Date(int(y), time.Month(mo), int(d), int(h), int(mi), 0, 0, time.UTC)
		if t.Day() != int(d) {
			return value.Null(types.Datetime)
		}
		return value.OfDatetime(value.DatetimeOf(t) + value.Datetime(math.Round(sec*1e7)))
	}), nil
}

// bindMakeTimespan is make_timespan(hours, minutes), (hours, minutes,
// seconds) or (days, hours, minutes, seconds).
func bindMakeTimespan(c *call) (*Fn, error) {
	return c.strict(types.Timespan, func(v []value.Value) value.Value {
		var d, h, m, s float64
		f := make([]float64, len(v))
		for i, x := range v {
			r, ok := argReal(x)
			if !ok {
				return value.Null(types.Timespan)
			}
			f[i] = r
		}
		switch len(f) {
		case 1:
			return value.OfTimespan(value.Timespan(int64(f[0])))
		case 2:
			h, m = f[0], f[1]
		case 3:
			h, m, s = f[0], f[1], f[2]
		default:
			d, h, m, s = f[0], f[1], f[2], f[3]
		}
		t := d*float64(value.Day) + h*float64(value.Hour) + m*float64(value.Minute) + s*float64(value.Second)
		return value.OfTimespan(value.Timespan(math.Round(t)))
	}), nil
}

// unixTime binds unixtime_*_todatetime with ticks per unit.
func unixTime(ticksPer float64) binder {
	return func(c *call) (*Fn, error) {
		return c.strict(types.Datetime, func(v []value.Value) value.Value {
			f, ok := argReal(v[0])
			if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
				return value.Null(types.Datetime)
			}
			if i, isInt := argInt(v[0]); isInt && isIntType(v[0].Type) && ticksPer >= 1 {
				return value.OfDatetime(value.Datetime(i * int64(ticksPer)))
			}
			return value.OfDatetime(value.Datetime(math.Round(f * ticksPer)))
		}), nil
	}
}

// bindTimezone converts between UTC and an IANA time zone.
func bindTimezone(toLocal bool) binder {
	return func(c *call) (*Fn, error) {
		return c.strict(types.Datetime, func(v []value.Value) value.Value {
			t, ok := dtTime(v[0])
			loc, err := time.LoadLocation(toStr(v[1]))
			if !ok || err != nil {
				return value.Null(types.Datetime)
			}
			if toLocal {
				l := t.In(loc)
				y, mo, d := l.Date()
				h, mi, s := l.Clock()
				return ofTime(time.Date(y, mo, d, h, mi, s, l.Nanosecond(), time.UTC))
			}
			y, mo, d := t.Date()
			h, mi, s := t.Clock()
			return ofTime(time.Date(y, mo, d, h, mi, s, t.Nanosecond(), loc).UTC())
		}), nil
	}
}
