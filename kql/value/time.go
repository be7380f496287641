// Package value holds the representation of Kusto's scalar values that
// every part of vigil shares: datetimes and timespans as 100-nanosecond
// ticks, their literal and display formats, and dynamic (JSON-like)
// values. The engine stores columns of these, the store persists them and
// ingestion coerces exported telemetry into them.
package value

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Datetime is an instant as 100-nanosecond ticks since the Unix epoch,
// UTC. Kusto counts ticks from 0001-01-01; an int64 from 1970 covers the
// same range (0001..9999) with room to spare.
type Datetime int64

// Timespan is a duration in 100-nanosecond ticks.
type Timespan int64

// Tick units.
const (
	Tick        Timespan = 1
	Microsecond          = 10 * Tick
	Millisecond          = 1000 * Microsecond
	Second               = 1000 * Millisecond
	Minute               = 60 * Second
	Hour                 = 60 * Minute
	Day                  = 24 * Hour
)

// MinDatetime and MaxDatetime bound Kusto's datetime range.
var (
	MinDatetime = DatetimeOf(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC))
	MaxDatetime = DatetimeOf(time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC))
)

// DatetimeOf converts a time.Time.
func DatetimeOf(t time.Time) Datetime {
	sec := t.Unix()
	return Datetime(sec*int64(Second) + int64(t.Nanosecond()/100))
}

// Time converts d to a UTC time.Time.
func (d Datetime) Time() time.Time {
	sec := int64(d) / int64(Second)
	rem := int64(d) % int64(Second)
	if rem < 0 {
		sec--
		rem += int64(Second)
	}
	return time.Unix(sec, rem*100).UTC()
}

// Duration converts a timespan to a time.Duration (saturating).
func (t Timespan) Duration() time.Duration {
	if int64(t) > math.MaxInt64/100 {
		return math.MaxInt64
	}
	if int64(t) < math.MinInt64/100 {
		return math.MinInt64
	}
	return time.Duration(t) * 100
}

// TimespanOf converts a time.Duration, truncating to ticks.
func TimespanOf(d time.Duration) Timespan { return Timespan(d / 100) }

// String formats d as Kusto prints a datetime: 2024-01-02T03:04:05.1234567Z.
func (d Datetime) String() string {
	return d.Time().Format("2006-01-02T15:04:05.0000000Z")
}

// String formats t as Kusto prints a timespan: [-][d.]hh:mm:ss[.fffffff].
func (t Timespan) String() string {
	v := int64(t)
	neg := v < 0
	if neg {
		v = -v // math.MinInt64 cannot occur for real spans
	}
	days := v / int64(Day)
	v %= int64(Day)
	h := v / int64(Hour)
	v %= int64(Hour)
	m := v / int64(Minute)
	v %= int64(Minute)
	s := v / int64(Second)
	frac := v % int64(Second)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if days > 0 {
		fmt.Fprintf(&b, "%d.", days)
	}
	fmt.Fprintf(&b, "%02d:%02d:%02d", h, m, s)
	if frac > 0 {
		fmt.Fprintf(&b, ".%07d", frac)
	}
	return b.String()
}

// datetimeLayouts are the formats Kusto documents for datetime literals
// and todatetime(), ISO 8601 first, then RFC 822 and RFC 850 forms.
var datetimeLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04Z",
	"2006-01-02 15:04",
	"2006-01-02T15",
	"2006-01-02 15",
	"2006-01-02",
	"2006-01",
	"2006-1-2 15:04:05.999999999",
	"2006-1-2",
	"2006/01/02 15:04:05.999999999",
	"2006/01/02",
	"01/02/2006 15:04:05.999999999",
	"01/02/2006",
	"01-02-2006 15:04:05.999999999",
	"01-02-2006",
	"Mon, 2 Jan 06 15:04:05 MST",
	"Mon, 2 Jan 06 15:04 MST",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 06 15:04:05 MST",
	"2 Jan 2006 15:04:05 MST",
	"Monday, 02-Jan-06 15:04:05 MST",
	"Monday, 2-Jan-06 15:04:05 MST",
	"Mon, 02-Jan-06 15:04:05 MST",
	"02-Jan-06 15:04:05 MST",
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02 15:04:05.999999999 -0700",
}

// ParseDatetime parses the text of a datetime literal or a string given to
// todatetime(). It reports false for text in no supported format.
func ParseDatetime(s string) (Datetime, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if s == "" {
		return 0, false
	}
	for _, layout := range datetimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return DatetimeOf(t), true
		}
	}
	if d, ok := parseDatetimeParts(s); ok {
		return d, true
	}
	if t := spacedDate.ReplaceAllString(s, "$1-$2-$3"); t != s {
		return ParseDatetime(t)
	}
	return 0, false
}

// spacedDate matches a date written with blanks around its dashes, as in
// datetime(2017 - 08 - 01), which Kusto reads as 2017-08-01.
var spacedDate = regexp.MustCompile(`^(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})`)

// parseDatetimeParts parses the comma-separated form the documentation
// also writes, datetime(2025, 6, 14[, hour[, minute[, second]]]), which
// Kusto's lenient parser reads as year, month, day and time of day.
func parseDatetimeParts(s string) (Datetime, bool) {
	fields := strings.Split(s, ",")
	if len(fields) < 3 || len(fields) > 6 {
		return 0, false
	}
	var n [6]int
	for i, f := range fields {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 0 {
			return 0, false
		}
		n[i] = v
	}
	if n[0] < 1 || n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > 31 || n[3] > 23 || n[4] > 59 || n[5] > 59 {
		return 0, false
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, time.UTC)
	if t.Day() != n[2] {
		return 0, false // 31 June
	}
	return DatetimeOf(t), true
}

// timespanUnits maps literal suffixes to their tick sizes.
var timespanUnits = map[string]Timespan{
	"d": Day, "day": Day, "days": Day,
	"h": Hour, "hr": Hour, "hrs": Hour, "hour": Hour, "hours": Hour,
	"m": Minute, "min": Minute, "minute": Minute, "minutes": Minute,
	"s": Second, "sec": Second, "second": Second, "seconds": Second,
	"ms": Millisecond, "milli": Millisecond, "millis": Millisecond,
	"millisecond": Millisecond, "milliseconds": Millisecond,
	"microsecond": Microsecond, "microseconds": Microsecond,
	"tick": Tick, "ticks": Tick,
}

// TimespanUnit returns the size of a literal suffix such as "d" or "ms".
func TimespanUnit(suffix string) (Timespan, bool) {
	u, ok := timespanUnits[suffix]
	return u, ok
}

// ParseTimespan parses a timespan literal (2d, 1.5h, 100ms, 10microsecond,
// 1tick), the text inside timespan(…)/time(…) (15 seconds, 2 meaning days,
// 0.12:34:56.7, 12:34, 12:34:56), optionally negative.
func ParseTimespan(s string) (Timespan, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, strings.TrimSpace(s[1:])
	case '+':
		s = strings.TrimSpace(s[1:])
	}
	t, ok := parseUnsignedTimespan(s)
	if !ok {
		return 0, false
	}
	if neg {
		t = -t
	}
	return t, true
}

func parseUnsignedTimespan(s string) (Timespan, bool) {
	if strings.Contains(s, ":") {
		return parseClock(s)
	}
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	num, unit := s[:i], strings.TrimSpace(s[i:])
	if num == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, false
	}
	size := Day // a bare number means days
	if unit != "" {
		u, ok := timespanUnits[strings.ToLower(unit)]
		if !ok {
			return 0, false
		}
		size = u
	}
	v := f * float64(size)
	if v > math.MaxInt64 || math.IsNaN(v) {
		return 0, false
	}
	return Timespan(math.Round(v)), true
}

// parseClock parses [d.]hh:mm[:ss[.fffffff]].
func parseClock(s string) (Timespan, bool) {
	var days int64
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	hourPart := parts[0]
	if i := strings.IndexByte(hourPart, '.'); i >= 0 {
		d, err := strconv.ParseInt(hourPart[:i], 10, 64)
		if err != nil {
			return 0, false
		}
		days, hourPart = d, hourPart[i+1:]
	}
	h, err1 := strconv.ParseInt(hourPart, 10, 64)
	m, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	var secTicks int64
	if len(parts) == 3 {
		f, err := strconv.ParseFloat(parts[2], 64)
		if err != nil || f < 0 {
			return 0, false
		}
		secTicks = int64(math.Round(f * float64(Second)))
	}
	return Timespan(days*int64(Day) + h*int64(Hour) + m*int64(Minute) + secTicks), true
}
