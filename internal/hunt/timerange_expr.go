package hunt

// This file reads whole time expressions: ranges between two moments,
// "since"/"before"/"until" a moment, rolling lookbacks ("the last 24
// hours", "past week"), vague ones ("recently") and bare moments.

import "time"

// expr reads a time expression starting at token i.
func (p *tparser) expr(i int) (TimeRange, int, bool) {
	for _, f := range []func(int) (TimeRange, int, bool){
		p.between, p.since, p.before, p.lookback, p.vague, p.bare,
	} {
		if r, j, ok := f(i); ok {
			return r, j, true
		}
	}
	return TimeRange{}, i, false
}

// rangeConnectors join the two ends of a range.
var rangeConnectors = []string{"to", "until", "till", "til", "through", "thru", "-", "and"}

// between reads "between X and Y" and "from X to Y".
func (p *tparser) between(i int) (TimeRange, int, bool) {
	a, b, k, ok := p.rangeEnds(i)
	if !ok {
		return TimeRange{}, i, false
	}
	// "between 08:00 and 17:00 yesterday" is yesterday's 08:00 to 17:00
	if d, k2, ok := p.dayOnly(k); ok && a.clockOnly && b.clockOnly {
		a, b, k = onDay(a, d.start), onDay(b, d.start), k2
	}
	return span2(a, b), k, true
}

// rangeEnds reads the two ends after "between" or "from". A lone day
// number borrows the other end's month ("between 1 and 3 March", "March
// 1 to 3"); a lone hour its am/pm ("between 2 and 4pm").
func (p *tparser) rangeEnds(i int) (moment, moment, int, bool) {
	if !p.is(i, "between", "from") {
		return moment{}, moment{}, i, false
	}
	if a, j, ok := p.moment(i + 1); ok && p.is(j, rangeConnectors...) {
		if b, k, ok := p.secondEnd(j+1, a); ok {
			return a, b, k, true
		}
	}
	n, ok := p.dayNum(i + 1)
	if !ok || !p.is(i+2, rangeConnectors...) {
		return moment{}, moment{}, i, false
	}
	if b, k, ok := p.monthDay(i + 3); ok {
		y, mo, _ := b.start.Date()
		if validDate(y, int(mo), n) {
			return day(time.Date(y, mo, n, 0, 0, 0, 0, p.loc())), b, k, true
		}
	}
	if c := p.tok(i + 3); c.kind == tClock && n <= 12 {
		b, k, _ := p.clockMoment(i + 3)
		h := n
		if c.h >= 12 && n < 12 {
			h += 12
		}
		a := b
		a.start = time.Date(b.start.Year(), b.start.Month(), b.start.Day(), h, 0, 0, 0, b.start.Location())
		a.end = a.start
		return a, b, k, true
	}
	return moment{}, moment{}, i, false
}

// secondEnd reads the far end of a range: a moment, "now", or a day
// number in the first end's month.
func (p *tparser) secondEnd(i int, first moment) (moment, int, bool) {
	if p.is(i, "now", "present") {
		return point(p.now), i + 1, true
	}
	if m, j, ok := p.moment(i); ok {
		return m, j, true
	}
	if d, ok := p.dayNum(i); ok && !first.point {
		y, mo, _ := first.start.Date()
		if validDate(y, int(mo), d) {
			return day(time.Date(y, mo, d, 0, 0, 0, 0, first.start.Location())), i + 1, true
		}
	}
	return moment{}, i, false
}

// span2 is the range from the start of a to the end of b. A clock-only
// end takes the other end's day, and an end at or before the start
// (10pm to midnight, 10pm to 2am) moves to the next day.
func span2(a, b moment) TimeRange {
	switch {
	case a.clockOnly && !b.clockOnly:
		a = onDay(a, b.start)
	case b.clockOnly && !a.clockOnly:
		b = onDay(b, a.start)
	}
	if b.point && a.point && !b.start.After(a.start) {
		b.start = addDays(b.start, 1)
		b.end = b.start
	}
	return TimeRange{Start: a.start, End: b.end}
}

// since reads "since X", "after X", "from X", "starting X": X to now.
func (p *tparser) since(i int) (TimeRange, int, bool) {
	if !p.is(i, "since", "after", "from", "starting", "beginning", "as") {
		return TimeRange{}, i, false
	}
	j := i + 1
	if p.is(i, "as") {
		if !p.is(j, "of") {
			return TimeRange{}, i, false
		}
		j++
	}
	if p.is(j, "from", "on", "at") {
		j++
	}
	if m, k, ok := p.moment(j); ok {
		return TimeRange{Start: m.start, End: p.now}, k, true
	}
	if d, k, ok := p.duration(j); ok && p.is(i, "since") { // "since 3 days"
		return TimeRange{Start: p.now.Add(-d), End: p.now}, k, true
	}
	return TimeRange{}, i, false
}

// before reads "before X", "prior to X" (the default lookback ending at
// X's start) and "until X", "up to X" (ending at X's end).
func (p *tparser) before(i int) (TimeRange, int, bool) {
	j, atEnd := i, false
	switch {
	case p.is(i, "before"):
		j++
	case p.is(i, "prior", "up") && p.is(i+1, "to"):
		j, atEnd = j+2, p.is(i, "up")
	case p.is(i, "until", "till", "til"):
		j, atEnd = j+1, true
	default:
		return TimeRange{}, i, false
	}
	m, k, ok := p.moment(j)
	if !ok {
		return TimeRange{}, i, false
	}
	end := m.start
	if atEnd {
		end = m.end
	}
	return TimeRange{Start: end.Add(-DefaultLookback), End: end}, k, true
}

// lookbackLead are the words that open a rolling window ("in the", "over
// the past", "within").
var lookbackLead = []string{"in", "over", "during", "within", "for", "from", "throughout", "across"}

// lookback reads rolling windows ending now: "the last 24 hours", "past
// week", "previous 3 days", "in the last few days", "within 2h", "last
// 90 minutes". "last week" without "the" is a calendar week (see period).
func (p *tparser) lookback(i int) (TimeRange, int, bool) {
	j := i
	lead := p.is(j, lookbackLead...)
	if lead {
		j++
	}
	the := p.is(j, "the", "this")
	if the {
		j++
	}
	if p.is(j, "last", "past", "previous", "prior", "preceding", "recent") {
		kw := p.tok(j).s
		j++
		if d, k, ok := p.duration(j); ok {
			return p.rolling(d), p.trailer(k), true
		}
		u, k, ok := p.unit(j)
		if !ok {
			return TimeRange{}, i, false
		}
		if !the && kw != "past" && kw != "recent" && u >= 7*24*time.Hour {
			return TimeRange{}, i, false // a calendar period: see period
		}
		d, k := p.orMore(u, 1, k)
		return p.rolling(d), p.trailer(k), true
	}
	if lead && !the && p.is(i, "within", "in", "over", "for") {
		if d, k, ok := p.duration(j); ok && (p.tok(j).kind == tNum || p.is(i, "within")) {
			return p.rolling(d), p.trailer(k), true
		}
	}
	if t := p.tok(i); t.kind == tNum && !t.glued && (i == 0 || p.tok(i-1).kind == tPunct) { // ticket style ", 30 days"
		if u, k, ok := p.unit(i + 1); ok && u >= time.Hour && (k == len(p.toks) || p.tok(k).kind == tPunct) {
			return p.rolling(time.Duration(t.n) * u), k, true
		}
	}
	if t := p.tok(i); t.kind == tNum && t.glued && i+1 < len(p.toks) { // ticket style "24h"
		if u, k, ok := p.unit(i + 1); ok && u >= time.Hour {
			return p.rolling(time.Duration(t.n) * u), k, true
		}
	}
	return TimeRange{}, i, false
}

// rolling is the window of length d ending now.
func (p *tparser) rolling(d time.Duration) TimeRange {
	return TimeRange{Start: p.now.Add(-d), End: p.now}
}

// trailer skips "or so", "period", "window" after a lookback.
func (p *tparser) trailer(k int) int {
	for p.is(k, "or") && p.is(k+1, "so") {
		k += 2
	}
	if p.is(k, "period", "window", "timeframe") {
		k++
	}
	return k
}

// vague reads expressions with documented fixed meanings: "recently",
// "lately", "of late", "in recent days", "the other day", "just now".
func (p *tparser) vague(i int) (TimeRange, int, bool) {
	switch {
	case p.is(i, "recently", "lately"):
		return p.rolling(Recently), i + 1, true
	case p.is(i, "of") && p.is(i+1, "late"):
		return p.rolling(Recently), i + 2, true
	case p.is(i, "in") && p.is(i+1, "recent") && p.is(i+2, "days", "times"):
		return p.rolling(Recently), i + 3, true
	case p.is(i, "the") && p.is(i+1, "other") && p.is(i+2, "day"):
		return p.rolling(FewDays), i + 3, true
	case p.is(i, "just") && p.is(i+1, "now"):
		return p.rolling(time.Hour), i + 2, true
	}
	return TimeRange{}, i, false
}

// bare reads a moment with an optional preposition ("on March 3", "at
// 10:00", "yesterday") or two joined by a connector ("2024-03-01 to
// 2024-03-05"). A point gets ±AroundMoment; "ago" runs to now.
func (p *tparser) bare(i int) (TimeRange, int, bool) {
	j := i
	for n := 0; n < 2 && p.is(j, "on", "during", "at", "around", "about", "circa", "approximately", "in", "earlier", "early", "throughout", "over", "or"); n++ {
		j++
	}
	m, k, ok := p.moment(j)
	if !ok {
		return TimeRange{}, i, false
	}
	if a, b, k2, ok := p.rangeEnds(k); ok && !m.point && a.clockOnly && b.clockOnly {
		return span2(onDay(a, m.start), onDay(b, m.start)), k2, true // "yesterday between 10pm and midnight"
	}
	if p.is(k, "to", "until", "till", "through", "thru", "-") && !m.toNow {
		if m2, k2, ok := p.secondEnd(k+1, m); ok {
			return span2(m, m2), k2, true
		}
	}
	switch {
	case m.toNow:
		return TimeRange{Start: m.start, End: p.now}, k, true
	case m.point:
		return TimeRange{Start: m.start.Add(-AroundMoment), End: m.start.Add(AroundMoment)}, k, true
	}
	return TimeRange{Start: m.start, End: m.end}, k, true
}
