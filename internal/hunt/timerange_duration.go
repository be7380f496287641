package hunt

// This file reads durations: a quantity ("24", "a few", "twenty-four",
// "half an") and a unit of time ("hours", "h", "fortnight").

import (
	"math"
	"time"
)

// duration reads a quantity and a unit: "24 hours", "a few days", "one
// week", "90m", "half an hour", "a day or two".
func (p *tparser) duration(i int) (time.Duration, int, bool) {
	q, j, ok := p.quantity(i)
	if !ok {
		return 0, i, false
	}
	if p.is(j, "-") { // "24-hour"
		j++
	}
	u, k, ok := p.unit(j)
	if !ok {
		return 0, i, false
	}
	d, k := p.orMore(u, q, k)
	return d, k, true
}

// orMore applies "or two"/"or three" after a unit, keeping the larger.
func (p *tparser) orMore(u time.Duration, q float64, k int) (time.Duration, int) {
	if p.is(k, "or") {
		if q2, k2, ok := p.quantity(k + 1); ok && !p.is(k+1, "so") {
			q = math.Max(q, q2)
			k = k2
		}
	}
	return time.Duration(q * float64(u)), k
}

// quantity reads a number: digits, number words, "a"/"an" (1), "a
// couple of" (2), "a few" (3), "several" (5), "half a" (0.5), "a dozen".
func (p *tparser) quantity(i int) (float64, int, bool) {
	t := p.tok(i)
	if t.kind == tNum {
		return float64(t.n), i + 1, true
	}
	j := i
	if p.is(j, "a", "an") && p.is(j+1, "few", "couple", "dozen", "half") {
		j++
	}
	switch {
	case p.is(j, "couple"):
		if p.is(j+1, "of") {
			return couple, j + 2, true
		}
		return couple, j + 1, true
	case p.is(j, "few"):
		return few, j + 1, true
	case p.is(j, "several"):
		return several, j + 1, true
	case p.is(j, "dozen"):
		return 12, j + 1, true
	case p.is(j, "half"):
		if p.is(j+1, "a", "an") {
			return 0.5, j + 2, true
		}
		return 0.5, j + 1, true
	case p.is(j, "a", "an", "one", "single"):
		return 1, j + 1, true
	}
	if n, ok := numberWords[t.s]; ok && t.kind == tWord {
		if p.is(i+1, "-") {
			if u, ok := numberWords[p.tok(i+2).s]; ok && n >= 20 && u < 10 {
				return float64(n + u), i + 3, true
			}
		}
		if u, ok := numberWords[p.tok(i+1).s]; ok && n >= 20 && u < 10 {
			return float64(n + u), i + 2, true
		}
		return float64(n), i + 1, true
	}
	return 0, i, false
}

var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
	"eighty": 80, "ninety": 90, "hundred": 100,
}

func isNumberWord(s string) bool { _, ok := numberWords[s]; return ok }

// unit reads a unit of time word.
func (p *tparser) unit(i int) (time.Duration, int, bool) {
	t := p.tok(i)
	if t.kind != tWord {
		return 0, i, false
	}
	u := unitOf(t.s)
	if u == 0 || len(t.s) == 1 && !p.tok(i-1).glued {
		return 0, i, false
	}
	return u, i + 1, true
}

// unitOf maps a unit word to its length; months are 30 days, years 365.
func unitOf(s string) time.Duration {
	const dayLen = 24 * time.Hour
	switch s {
	case "s", "sec", "secs", "second", "seconds":
		return time.Second
	case "m", "min", "mins", "minute", "minutes":
		return time.Minute
	case "h", "hr", "hrs", "hour", "hours":
		return time.Hour
	case "d", "day", "days":
		return dayLen
	case "w", "wk", "wks", "week", "weeks":
		return 7 * dayLen
	case "fortnight", "fortnights":
		return 14 * dayLen
	case "mo", "mos", "month", "months":
		return 30 * dayLen
	case "y", "yr", "yrs", "year", "years":
		return 365 * dayLen
	}
	return 0
}
