package scalar

// This file implements format_datetime and format_timespan with .NET's
// custom format specifiers (yyyy, MM, dd, HH, mm, ss, fff, FFF, tt, …);
// quoted text and other characters are copied.

import (
	"strconv"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	def(bindFormat(true), "format_datetime")
	def(bindFormat(false), "format_timespan")
}

// fmtItem is one element of a parsed format: a specifier letter repeated
// n times, or literal text.
type fmtItem struct {
	spec byte
	n    int
	lit  string
}

// parseFormat splits a custom format into items.
func parseFormat(f string) []fmtItem {
	var items []fmtItem
	for i := 0; i < len(f); {
		c := f[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(f[i+1:], c)
			if j < 0 {
				j = len(f) - i - 1
			}
			items = append(items, fmtItem{lit: f[i+1 : i+1+j]})
			i += j + 2
		case c == '\\' && i+1 < len(f):
			items = append(items, fmtItem{lit: f[i+1 : i+2]})
			i += 2
		case strings.IndexByte("dfFhHmMstyz", c) >= 0:
			j := i
			for j < len(f) && f[j] == c {
				j++
			}
			items = append(items, fmtItem{spec: c, n: j - i})
			i = j
		default:
			items = append(items, fmtItem{lit: f[i : i+1]})
			i++
		}
	}
	return items
}

func bindFormat(datetime bool) binder {
	return func(c *call) (*Fn, error) {
		f, ok := c.constStr(1)
		var items []fmtItem
		if ok {
			items = parseFormat(f)
		}
		return c.strict(types.String, func(v []value.Value) value.Value {
			its := items
			if its == nil {
				its = parseFormat(toStr(v[1]))
			}
			if datetime {
				t, ok := dtTime(v[0])
				if !ok {
					return value.OfString("")
				}
				return value.OfString(formatTime(t, its))
			}
			ts := toTimespanValue(v[0])
			if ts.IsNull() {
				return value.OfString("")
			}
			return value.OfString(formatSpan(ts.I, its))
		}), nil
	}
}

func pad(x int64, n int) string {
	s := strconv.FormatInt(x, 10)
	if len(s) < n {
		s = strings.Repeat("0", n-len(s)) + s
	}
	return s
}

// fraction formats the first n digits of a 7-digit tick fraction; trim
// (F) drops trailing zeros and, when nothing remains, a preceding dot.
func fraction(b *strings.Builder, ticks int64, n int, trim bool) {
	if n > 7 {
		n = 7
	}
	s := pad(ticks, 7)[:n]
	if trim {
		s = strings.TrimRight(s, "0")
		if s == "" {
			if out := b.String(); strings.HasSuffix(out, ".") {
				b.Reset()
				b.WriteString(out[:len(out)-1])
			}
			return
		}
	}
	b.WriteString(s)
}

func formatTime(t time.Time, items []fmtItem) string {
	var b strings.Builder
	ticks := int64(t.Nanosecond() / 100)
	for _, it := range items {
		if it.spec == 0 {
			b.WriteString(it.lit)
			continue
		}
		n := it.n
		switch it.spec {
		case 'd':
			switch {
			case n <= 2:
				b.WriteString(pad(int64(t.Day()), n))
			case n == 3:
				b.WriteString(t.Weekday().String()[:3])
			default:
				b.WriteString(t.Weekday().String())
			}
		case 'f', 'F':
			fraction(&b, ticks, n, it.spec == 'F')
		case 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			b.WriteString(pad(int64(h), min(n, 2)))
		case 'H':
			b.WriteString(pad(int64(t.Hour()), min(n, 2)))
		case 'm':
			b.WriteString(pad(int64(t.Minute()), min(n, 2)))
		case 'M':
			switch {
			case n <= 2:
				b.WriteString(pad(int64(t.Month()), n))
			case n == 3:
				b.WriteString(t.Month().String()[:3])
			default:
				b.WriteString(t.Month().String())
			}
		case 's':
			b.WriteString(pad(int64(t.Second()), min(n, 2)))
		case 't':
			ampm := "AM"
			if t.Hour() >= 12 {
				ampm = "PM"
			}
			b.WriteString(ampm[:min(n, 2)])
		case 'y':
			y := int64(t.Year())
			if n <= 2 {
				y %= 100
			}
			b.WriteString(pad(y, n))
		case 'z':
			b.WriteString("+00")
			if n >= 3 {
				b.WriteString(":00")
			}
		}
	}
	return b.String()
}

func formatSpan(ticks int64, items []fmtItem) string {
	var b strings.Builder
	if ticks < 0 {
		b.WriteByte('-')
		ticks = -ticks
	}
	days := ticks / int64(value.Day)
	rem := ticks % int64(value.Day)
	h := rem / int64(value.Hour)
	m := rem % int64(value.Hour) / int64(value.Minute)
	s := rem % int64(value.Minute) / int64(value.Second)
	frac := rem % int64(value.Second)
	for _, it := range items {
		if it.spec == 0 {
			b.WriteString(it.lit)
			continue
		}
		switch it.spec {
		case 'd':
			b.WriteString(pad(days, it.n))
		case 'f', 'F':
			fraction(&b, frac, it.n, it.spec == 'F')
		case 'h', 'H':
			b.WriteString(pad(h, min(it.n, 2)))
		case 'm':
			b.WriteString(pad(m, min(it.n, 2)))
		case 's':
			b.WriteString(pad(s, min(it.n, 2)))
		default:
			b.WriteString(strings.Repeat(string(it.spec), it.n))
		}
	}
	return b.String()
}
