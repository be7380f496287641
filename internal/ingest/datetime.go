package ingest

// This file parses the datetime formats exports use: ISO 8601 in its
// many spellings (Kusto's 7-digit fractions, Sysmon's "2020-09-21
// 19:11:13.543", offsets), the Log Analytics portal's locale formats
// ("9/21/2020 7:11:13 PM", "4/28/2021, 2:31:30.021 PM"), day-first dotted
// dates, Unix epochs and .NET's /Date(ms)/.

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

// ParseDatetime parses s in any format ingestion accepts; text without a
// zone is UTC. It reports false for text in no supported format.
func ParseDatetime(s string) (value.Datetime, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if d, ok := parseISO(s); ok {
		return d, true
	}
	if d, ok := parseLocale(s); ok {
		return d, true
	}
	if d, ok := parseDotNetDate(s); ok {
		return d, true
	}
	if isEpochText(s) {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return epoch(f)
		}
	}
	return value.ParseDatetime(s)
}

// digitsAt reads n decimal digits at s[i:].
func digitsAt(s string, i, n int) (int, bool) {
	if i+n > len(s) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s[i : i+n]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// varDigits reads 1 to max decimal digits at s[i:].
func varDigits(s string, i, max int) (v, end int, ok bool) {
	end = i
	for end < len(s) && end-i < max && s[end] >= '0' && s[end] <= '9' {
		v = v*10 + int(s[end]-'0')
		end++
	}
	return v, end, end > i
}

// parseISO reads YYYY-MM-DD[(T| )hh:mm[:ss[.f…]]][Z|±hh[:]mm].
func parseISO(s string) (value.Datetime, bool) {
	y, ok1 := digitsAt(s, 0, 4)
	mo, ok2 := digitsAt(s, 5, 2)
	d, ok3 := digitsAt(s, 8, 2)
	if !ok1 || !ok2 || !ok3 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	i := 10
	var h, mi, sec, nsec int
	if i < len(s) && (s[i] == 'T' || s[i] == ' ') && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
		var ok bool
		if h, mi, sec, nsec, i, ok = parseClock(s, i+1); !ok {
			return 0, false
		}
	}
	off, ok := parseZone(s, i)
	if !ok {
		return 0, false
	}
	return makeDatetime(y, mo, d, h, mi, sec, nsec, off)
}

// parseClock reads hh:mm[:ss[.f…]] at s[i:], returning the offset after it.
func parseClock(s string, i int) (h, mi, sec, nsec, end int, ok bool) {
	h, i, ok = varDigits(s, i, 2)
	if !ok || i >= len(s) || s[i] != ':' {
		return 0, 0, 0, 0, i, false
	}
	if mi, ok = digitsAt(s, i+1, 2); !ok {
		return 0, 0, 0, 0, i, false
	}
	i += 3
	if i < len(s) && s[i] == ':' {
		if sec, ok = digitsAt(s, i+1, 2); !ok {
			return 0, 0, 0, 0, i, false
		}
		i += 3
		if i < len(s) && (s[i] == '.' || s[i] == ',') {
			j := i + 1
			scale := 100000000
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				nsec += int(s[j]-'0') * scale
				scale /= 10
				j++
			}
			if j == i+1 {
				return 0, 0, 0, 0, i, false
			}
			i = j
		}
	}
	return h, mi, sec, nsec, i, true
}

// parseZone reads the rest of s after the time: nothing, Z, " UTC", or an
// offset ±hh[:mm]; it returns the offset in seconds east of UTC.
func parseZone(s string, i int) (int, bool) {
	rest := s[i:]
	switch rest {
	case "", "Z", "z", " UTC", " Z", "UTC":
		return 0, true
	}
	if strings.HasPrefix(rest, " ") {
		rest = rest[1:]
	}
	if len(rest) < 3 || (rest[0] != '+' && rest[0] != '-') {
		return 0, false
	}
	h, ok := digitsAt(rest, 1, 2)
	if !ok {
		return 0, false
	}
	m := 0
	switch tail := rest[3:]; len(tail) {
	case 0:
	case 2:
		m, ok = digitsAt(tail, 0, 2)
	case 3:
		if tail[0] != ':' {
			return 0, false
		}
		m, ok = digitsAt(tail, 1, 2)
	default:
		return 0, false
	}
	if !ok || h > 23 || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if rest[0] == '-' {
		off = -off
	}
	return off, true
}

// parseLocale reads the portal's locale formats: M/D/YYYY[,] [h:mm[:ss[.f]]
// [AM|PM]] (day first when the first number exceeds 12) and D.M.YYYY.
func parseLocale(s string) (value.Datetime, bool) {
	a, i, ok := varDigits(s, 0, 2)
	if !ok || i >= len(s) || (s[i] != '/' && s[i] != '.') {
		return 0, false
	}
	sep := s[i]
	b, j, ok := varDigits(s, i+1, 2)
	if !ok || j >= len(s) || s[j] != sep {
		return 0, false
	}
	y, ok := digitsAt(s, j+1, 4)
	if !ok {
		return 0, false
	}
	mo, d := a, b
	if sep == '.' || a > 12 {
		mo, d = b, a
	}
	k := j + 5
	if k < len(s) && s[k] == ',' {
		k++
	}
	var h, mi, sec, nsec int
	if k < len(s) {
		if s[k] != ' ' {
			return 0, false
		}
		if h, mi, sec, nsec, k, ok = parseClock(s, k+1); !ok {
			return 0, false
		}
		switch rest := strings.ToUpper(strings.TrimSpace(s[k:])); rest {
		case "":
		case "AM", "PM":
			if h < 1 || h > 12 {
				return 0, false
			}
			h %= 12
			if rest == "PM" {
				h += 12
			}
		default:
			off, ok := parseZone(s, k)
			if !ok {
				return 0, false
			}
			return makeDatetime(y, mo, d, h, mi, sec, nsec, off)
		}
	}
	return makeDatetime(y, mo, d, h, mi, sec, nsec, 0)
}

// parseDotNetDate reads /Date(1600000000000)/ and /Date(…+0100)/.
func parseDotNetDate(s string) (value.Datetime, bool) {
	if !strings.HasPrefix(s, "/Date(") || !strings.HasSuffix(s, ")/") {
		return 0, false
	}
	inner := s[len("/Date(") : len(s)-2]
	if k := strings.LastIndexAny(inner, "+-"); k > 0 {
		inner = inner[:k] // the offset only says how to display it
	}
	ms, err := strconv.ParseInt(inner, 10, 64)
	if err != nil || ms > math.MaxInt64/10000 || ms < math.MinInt64/10000 {
		return 0, false
	}
	return value.Datetime(ms * 10000), true
}

// isEpochText reports whether s is an unsigned decimal number.
func isEpochText(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		default:
			return false
		}
	}
	return s != ""
}

// epoch converts a Unix time whose unit follows from its size: seconds,
// then milliseconds, microseconds and nanoseconds.
func epoch(f float64) (value.Datetime, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	ticksPer := float64(value.Second)
	switch a := math.Abs(f); {
	case a < 1e11:
	case a < 1e14:
		ticksPer = float64(value.Millisecond)
	case a < 1e17:
		ticksPer = float64(value.Microsecond)
	default:
		ticksPer = 0.01 // nanoseconds
	}
	t := math.Round(f * ticksPer)
	if t > float64(value.MaxDatetime) || t < float64(value.MinDatetime) {
		return 0, false
	}
	return value.Datetime(t), true
}

// makeDatetime validates the fields and converts them to ticks; off is the
// zone's offset east of UTC in seconds.
func makeDatetime(y, mo, d, h, mi, sec, nsec, off int) (value.Datetime, bool) {
	if y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || h > 23 || mi > 59 || sec > 60 {
		return 0, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, nsec, time.UTC)
	return value.DatetimeOf(t) - value.Datetime(int64(off)*int64(value.Second)), true
}

func daysIn(mo, y int) int {
	switch mo {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
