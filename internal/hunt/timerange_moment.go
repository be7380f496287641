package hunt

// This file reads moments: the things a time expression is anchored on
// ("2024-03-01 10:00", "March 3", "last Tuesday", "yesterday evening",
// "this week", "2 weeks ago"), each a span of time or a point.

import "time"

// moment is a resolved anchor: the span [start, end), or a point when
// point is set (start == end).
type moment struct {
	start, end time.Time
	point      bool
	toNow      bool // "3 days ago": on its own it runs to now
	clockOnly  bool // a time of day with no day given ("10pm"): today's, or yesterday's if later than now
}

// tparser reads the time tokens of one request.
type tparser struct {
	src  string
	now  time.Time
	toks []ttok
}

func (p *tparser) tok(i int) ttok {
	if i < 0 || i >= len(p.toks) {
		return ttok{kind: tPunct, start: len(p.src), end: len(p.src)}
	}
	return p.toks[i]
}

// is reports whether token i is a word or punctuation among ws.
func (p *tparser) is(i int, ws ...string) bool {
	t := p.tok(i)
	if t.kind != tWord && t.kind != tPunct {
		return false
	}
	for _, w := range ws {
		if t.s == w {
			return true
		}
	}
	return false
}

func (p *tparser) loc() *time.Location { return p.now.Location() }

func (p *tparser) today() time.Time { return startOfDay(p.now) }

func day(t time.Time) moment { return moment{start: t, end: addDays(t, 1)} }

func point(t time.Time) moment { return moment{start: t, end: t, point: true} }

// moment reads a moment at token i.
func (p *tparser) moment(i int) (moment, int, bool) {
	for _, f := range []func(int) (moment, int, bool){
		p.isoMoment, p.relativeDay, p.weekdayMoment, p.monthDay,
		p.agoMoment, p.clockMoment, p.period, p.monthMoment,
	} {
		if m, j, ok := f(i); ok {
			return m, j, true
		}
	}
	return moment{}, i, false
}

// isoMoment reads an ISO date or datetime, optionally followed by a
// clock time ("2024-03-01 at 10:00").
func (p *tparser) isoMoment(i int) (moment, int, bool) {
	t := p.tok(i)
	switch t.kind {
	case tDateTime:
		return point(time.Date(t.y, time.Month(t.mo), t.d, t.h, t.mi, t.sec, 0, p.zone(t))), i + 1, true
	case tDate:
		if t.y == 0 { // "3/1": only after a preposition, being a fraction too
			if !p.is(i-1, "on", "since", "from", "between", "until", "before", "after", "and", "to", "-") {
				return moment{}, i, false
			}
			return p.dateMoment(0, time.Month(t.mo), t.d, false, i+1)
		}
		d := time.Date(t.y, time.Month(t.mo), t.d, 0, 0, 0, 0, p.zone(t))
		return p.withClock(day(d), i+1)
	}
	return moment{}, i, false
}

func (p *tparser) zone(t ttok) *time.Location {
	if t.zone != nil {
		return t.zone
	}
	return p.loc()
}

// withClock refines a day moment by a following clock time or part of
// the day ("at 10pm", "morning", "night"); otherwise it keeps the day.
func (p *tparser) withClock(m moment, i int) (moment, int, bool) {
	j := i
	if p.is(j, "at", ",", "@", "around", "about") {
		j++
	}
	if c := p.tok(j); c.kind == tClock {
		y, mo, d := m.start.Date()
		return point(time.Date(y, mo, d, c.h, c.mi, c.sec, 0, p.zoneOr(c, m.start.Location()))), j + 1, true
	}
	if p.is(i, "morning", "afternoon", "evening", "night") {
		return partOfDay(m.start, p.tok(i).s), i + 1, true
	}
	return m, i, true
}

func (p *tparser) zoneOr(t ttok, def *time.Location) *time.Location {
	if t.zone != nil {
		return t.zone
	}
	return def
}

// partOfDay is a named part of the day d: morning 00-12, afternoon
// 12-18, evening 18-24, night OvernightStart to OvernightEnd next day.
func partOfDay(d time.Time, part string) moment {
	d = startOfDay(d)
	h := func(n int) time.Time { return d.Add(time.Duration(n) * time.Hour) }
	switch part {
	case "morning":
		return moment{start: d, end: h(12)}
	case "afternoon":
		return moment{start: h(12), end: h(18)}
	case "evening":
		return moment{start: h(18), end: h(24)}
	}
	return moment{start: h(OvernightStart), end: h(24 + OvernightEnd)}
}

// relativeDay reads today, yesterday, tonight, overnight, last night and
// this morning/afternoon/evening.
func (p *tparser) relativeDay(i int) (moment, int, bool) {
	today := p.today()
	switch {
	case p.is(i, "today"):
		return p.withClock(day(today), i+1)
	case p.is(i, "yesterday"):
		return p.withClock(day(addDays(today, -1)), i+1)
	case p.is(i, "tonight"):
		return partOfDay(today, "night"), i + 1, true
	case p.is(i, "overnight"), p.is(i, "last") && p.is(i+1, "night"):
		j := i + 1
		if p.is(i, "last") {
			j++
		}
		return partOfDay(addDays(today, -1), "night"), j, true
	case p.is(i, "this") && p.is(i+1, "morning", "afternoon", "evening"):
		return partOfDay(today, p.tok(i+1).s), i + 2, true
	case p.is(i, "last") && p.is(i+1, "evening"):
		return partOfDay(addDays(today, -1), "evening"), i + 2, true
	case p.is(i, "the") && p.is(i+1, "night") && p.is(i-1, "during", "in", "over", "through", "overnight"):
		return partOfDay(addDays(today, -1), "night"), i + 2, true
	case p.is(i, "start", "beginning") && p.is(i+1, "of"):
		return p.startOf(i + 2)
	case p.is(i, "the") && p.is(i+1, "start", "beginning") && p.is(i+2, "of"):
		return p.startOf(i + 3)
	}
	return moment{}, i, false
}

// agoMoment reads "2 weeks ago", "a few days ago": a point that, on its
// own, runs to now. Day-sized units start at midnight.
func (p *tparser) agoMoment(i int) (moment, int, bool) {
	d, j, ok := p.duration(i)
	if !ok || !p.is(j, "ago", "back") {
		return moment{}, i, false
	}
	t := p.now.Add(-d)
	if d >= 24*time.Hour {
		t = startOfDay(t)
	}
	return moment{start: t, end: t, point: true, toNow: true}, j + 1, true
}

// clockMoment reads a clock time, optionally followed by a day ("10pm
// yesterday", "09:30 on March 3"); alone it is the most recent such time.
func (p *tparser) clockMoment(i int) (moment, int, bool) {
	c := p.tok(i)
	if c.kind == tWord && (c.s == "midnight" || c.s == "noon" || c.s == "midday") {
		c = ttok{kind: tClock}
		if p.tok(i).s != "midnight" {
			c.h = 12
		}
	}
	if c.kind != tClock {
		return moment{}, i, false
	}
	j := i + 1
	if p.is(j, "on") {
		j++
	}
	if d, k, ok := p.dayOnly(j); ok {
		y, mo, dd := d.start.Date()
		return point(time.Date(y, mo, dd, c.h, c.mi, c.sec, 0, p.zoneOr(c, p.loc()))), k, true
	}
	t := time.Date(p.now.Year(), p.now.Month(), p.now.Day(), c.h, c.mi, c.sec, 0, p.zoneOr(c, p.loc()))
	if t.After(p.now) {
		t = addDays(t, -1)
	}
	m := point(t)
	m.clockOnly = true
	return m, i + 1, true
}

// onDay moves a clock-only moment onto day d ("between 08:00 and 17:00
// yesterday" puts 08:00 on yesterday too).
func onDay(m moment, d time.Time) moment {
	if !m.clockOnly {
		return m
	}
	y, mo, dd := d.Date()
	h, mi, s := m.start.Clock()
	return point(time.Date(y, mo, dd, h, mi, s, 0, m.start.Location()))
}

// dayOnly reads a moment that is a whole day (no clock of its own).
func (p *tparser) dayOnly(i int) (moment, int, bool) {
	for _, f := range []func(int) (moment, int, bool){p.isoMoment, p.relativeDay, p.weekdayMoment, p.monthDay} {
		if m, j, ok := f(i); ok && !m.point {
			return m, j, true
		}
	}
	return moment{}, i, false
}
