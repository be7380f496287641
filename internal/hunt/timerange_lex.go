package hunt

// This file splits a request into the tokens the time parser reads:
// words, numbers (with "24h" split into 24 and h), ISO dates and
// datetimes, clock times and punctuation, each with its byte span.

import (
	"regexp"
	"strconv"
	"time"
)

type tkind uint8

const (
	tWord tkind = iota
	tNum
	tDate     // a calendar date: y, mo, d
	tClock    // a time of day: h, mi, sec
	tDateTime // a date and a time of day
	tPunct
)

// ttok is one token of the time lexer.
type ttok struct {
	kind       tkind
	s          string // lowercase text
	start, end int
	n          int  // tNum
	glued      bool // tNum directly followed by a unit word ("24h")
	y, mo, d   int
	h, mi, sec int
	zone       *time.Location // an explicit zone; nil means now's location
}

var (
	reISO   = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:t|\s+|\s*@\s*|\s+at\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:\s*(z|utc|gmt|[+-]\d{2}:?\d{2})\b)?`)
	reSlash = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b`)
	reClock = regexp.MustCompile(`^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(am|pm|a\.m\.|p\.m\.))?(?:\s*(z|utc|gmt)\b)?`)
	reAmPm  = regexp.MustCompile(`^(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.)(?:\s*(z|utc|gmt)\b)?`)
)

// lexTime tokenises s. Offsets are byte offsets into s.
func lexTime(s string) []ttok {
	low := asciiLower(s)
	var out []ttok
	for i := 0; i < len(low); {
		c := low[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isDigit(c) && (i == 0 || !isAlnum(low[i-1]) && low[i-1] != '.' && low[i-1] != ':'):
			t, n := lexNumeric(low, i)
			out = append(out, t...)
			i += n
		case isAlnum(c):
			j := i
			for j < len(low) && isAlnum(low[j]) {
				j++
			}
			out = append(out, ttok{kind: tWord, s: low[i:j], start: i, end: j})
			i = j
		default:
			j := i + 1
			for j < len(low) && low[j] >= 0x80 && low[j] < 0xc0 { // keep a UTF-8 sequence whole
				j++
			}
			out = append(out, ttok{kind: tPunct, s: low[i:j], start: i, end: j})
			i = j
		}
	}
	return out
}

// lexNumeric reads a token starting with a digit at s[i:] and returns
// the tokens and the bytes consumed.
func lexNumeric(s string, i int) ([]ttok, int) {
	rest := s[i:]
	if m := reISO.FindStringSubmatch(rest); m != nil && validDate(atoi(m[1]), atoi(m[2]), atoi(m[3])) {
		t := ttok{kind: tDate, s: m[0], start: i, end: i + len(m[0]), y: atoi(m[1]), mo: atoi(m[2]), d: atoi(m[3])}
		if m[4] != "" {
			t.kind, t.h, t.mi, t.sec = tDateTime, atoi(m[4]), atoi(m[5]), atoi(m[6])
		}
		t.zone = zoneOf(m[7])
		return []ttok{t}, len(m[0])
	}
	if m := reSlash.FindStringSubmatch(rest); m != nil {
		a, b, y := atoi(m[1]), atoi(m[2]), atoi(m[3])
		if y < 100 && m[3] != "" {
			y += 2000
		}
		mo, d := a, b // month first unless that cannot be
		if a > 12 {
			mo, d = b, a
		}
		if validDate(max(y, 2000), mo, d) && (len(rest) == len(m[0]) || rest[len(m[0])] != '/') {
			return []ttok{{kind: tDate, s: m[0], start: i, end: i + len(m[0]), y: y, mo: mo, d: d}}, len(m[0])
		}
	}
	if m := reClock.FindStringSubmatch(rest); m != nil {
		if h, ok := hour12(atoi(m[1]), m[4]); ok && atoi(m[2]) < 60 {
			return []ttok{{kind: tClock, s: m[0], start: i, end: i + len(m[0]), h: h, mi: atoi(m[2]), sec: atoi(m[3]), zone: zoneOf(m[5])}}, len(m[0])
		}
	}
	if m := reAmPm.FindStringSubmatch(rest); m != nil {
		if h, ok := hour12(atoi(m[1]), m[2]); ok {
			return []ttok{{kind: tClock, s: m[0], start: i, end: i + len(m[0]), h: h, zone: zoneOf(m[3])}}, len(m[0])
		}
	}
	j := 0
	for j < len(rest) && isDigit(rest[j]) {
		j++
	}
	k := j
	for k < len(rest) && isAlnum(rest[k]) {
		k++
	}
	num := ttok{kind: tNum, s: rest[:j], start: i, end: i + j, n: atoi(rest[:j])}
	suffix := rest[j:k]
	switch {
	case suffix == "":
		return []ttok{num}, j
	case suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th":
		num.s, num.end = rest[:k], i+k
		return []ttok{num}, k
	case unitOf(suffix) > 0:
		num.glued = true
		return []ttok{num, {kind: tWord, s: suffix, start: i + j, end: i + k}}, k
	}
	return []ttok{{kind: tWord, s: rest[:k], start: i, end: i + k}}, k
}

// hour12 converts an hour with an optional am/pm marker to 0-23.
func hour12(h int, ampm string) (int, bool) {
	switch ampm {
	case "":
		return h, h < 24
	case "am", "a.m.":
		if h < 1 || h > 12 {
			return 0, false
		}
		return h % 12, true
	default:
		if h < 1 || h > 12 {
			return 0, false
		}
		return h%12 + 12, true
	}
}

// zoneOf reads an explicit zone designator; nil means none.
func zoneOf(z string) *time.Location {
	switch z {
	case "":
		return nil
	case "z", "utc", "gmt":
		return time.UTC
	}
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	digits := z[1:3] + z[len(z)-2:]
	return time.FixedZone(z, sign*(atoi(digits[:2])*3600+atoi(digits[2:])*60))
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || y < 1970 || y > 2200 {
		return false
	}
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func isAlnum(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// asciiLower lowercases ASCII letters only, so byte offsets survive.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
