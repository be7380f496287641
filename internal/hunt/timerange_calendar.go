package hunt

// This file reads calendar moments: weekdays, month days ("March 3",
// "the 3rd"), whole months, the start of a period, and the periods this
// or last week, month, year and the weekend (weeks start on Monday).

import "time"

// startOf reads "[the|this|last] day/week/month/year" after "start
// of": the first instant of that period, as a point.
func (p *tparser) startOf(i int) (moment, int, bool) {
	j, last := i, false
	switch {
	case p.is(j, "the", "this", "current"):
		j++
	case p.is(j, "last", "previous"):
		j, last = j+1, true
	}
	today := p.today()
	var t time.Time
	switch {
	case p.is(j, "day", "today"):
		t = today
		if last {
			t = addDays(t, -1)
		}
	case p.is(j, "week"):
		t = startOfWeek(today)
		if last {
			t = addDays(t, -7)
		}
	case p.is(j, "month"):
		t = time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, p.loc())
		if last {
			t = t.AddDate(0, -1, 0)
		}
	case p.is(j, "year"):
		t = time.Date(today.Year(), 1, 1, 0, 0, 0, 0, p.loc())
		if last {
			t = t.AddDate(-1, 0, 0)
		}
	default:
		return moment{}, i, false
	}
	return point(t), j + 1, true
}

var weekdays = map[string]time.Weekday{
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
	"mon": time.Monday, "tue": time.Tuesday, "tues": time.Tuesday, "wed": time.Wednesday,
	"weds": time.Wednesday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday,
}

// weekdayMoment reads "Monday", "this Monday", "last Tuesday", with an
// optional clock or part of the day. A bare or "this" weekday is the most
// recent such day, today included; "last"/"previous"/"past" excludes
// today. Abbreviations ("sat", "wed") count only after a preposition.
func (p *tparser) weekdayMoment(i int) (moment, int, bool) {
	j, strict := i, false
	if p.is(j, "last", "previous", "past") {
		j, strict = j+1, true
	} else if p.is(j, "this") {
		j++
	}
	t := p.tok(j)
	wd, ok := weekdays[t.s]
	if !ok || t.kind != tWord {
		return moment{}, i, false
	}
	if len(t.s) <= 4 && j == i && !p.is(i-1, "on", "since", "from", "until", "till", "before", "after", "between", "and", "to") {
		return moment{}, i, false
	}
	today := p.today()
	back := (int(today.Weekday()) - int(wd) + 7) % 7
	if back == 0 && strict {
		back = 7
	}
	return p.withClock(day(addDays(today, -back)), j+1)
}

var months = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
	"december": 12, "dec": 12,
}

func (p *tparser) month(i int) (time.Month, bool) {
	t := p.tok(i)
	m, ok := months[t.s]
	return m, ok && t.kind == tWord
}

// dayNum reads a day of the month (3, 3rd).
func (p *tparser) dayNum(i int) (int, bool) {
	t := p.tok(i)
	return t.n, t.kind == tNum && !t.glued && t.n >= 1 && t.n <= 31 && len(t.s) <= 4
}

// year reads a four-digit year, after an optional comma.
func (p *tparser) year(i int) (int, int, bool) {
	j := i
	if p.is(j, ",") {
		j++
	}
	t := p.tok(j)
	if t.kind == tNum && len(t.s) == 4 && t.n >= 1970 && t.n <= 2200 {
		return t.n, j + 1, true
	}
	return 0, i, false
}

// monthDay reads "March 3", "Mar 3rd, 2024", "3 March", "the 3rd of March".
func (p *tparser) monthDay(i int) (moment, int, bool) {
	j := i
	if p.is(j, "the") {
		j++
	}
	var mo time.Month
	var d int
	if m, ok := p.month(j); ok {
		dd, ok := p.dayNum(j + 1)
		if !ok {
			return moment{}, i, false
		}
		mo, d, j = m, dd, j+2
	} else if dd, ok := p.dayNum(j); ok {
		k := j + 1
		if p.is(k, "of") {
			k++
		}
		m, ok := p.month(k)
		if !ok {
			if j > i && isOrdinal(p.tok(j).s) { // "the 3rd": this month's, or last month's
				return p.dayOfMonth(dd, j+1)
			}
			return moment{}, i, false
		}
		mo, d, j = m, dd, k+1
	} else {
		return moment{}, i, false
	}
	y, j, hasYear := p.year(j)
	return p.dateMoment(y, mo, d, hasYear, j)
}

func isOrdinal(s string) bool {
	return len(s) > 2 && !isDigit(s[len(s)-1])
}

// dayOfMonth is day d of this month, or of last month when that is
// after today.
func (p *tparser) dayOfMonth(d, next int) (moment, int, bool) {
	first := time.Date(p.now.Year(), p.now.Month(), 1, 0, 0, 0, 0, p.loc())
	t := first.AddDate(0, 0, d-1)
	if t.After(p.today()) || t.Month() != first.Month() {
		first = first.AddDate(0, -1, 0)
		t = first.AddDate(0, 0, d-1)
		if t.Month() != first.Month() {
			return moment{}, next, false
		}
	}
	return p.withClock(day(t), next)
}

// dateMoment builds the day y-mo-d; without a year it is the most recent
// such date not after today.
func (p *tparser) dateMoment(y int, mo time.Month, d int, hasYear bool, next int) (moment, int, bool) {
	if !hasYear {
		y = p.now.Year()
		if time.Date(y, mo, d, 0, 0, 0, 0, p.loc()).After(p.today()) {
			y--
		}
	}
	if !validDate(y, int(mo), d) {
		return moment{}, next, false
	}
	return p.withClock(day(time.Date(y, mo, d, 0, 0, 0, 0, p.loc())), next)
}

// monthMoment reads a month name on its own ("in March", "February
// 2024"): the whole month. "May" and "March" alone need a year or a
// preposition before them, being ordinary words too.
func (p *tparser) monthMoment(i int) (moment, int, bool) {
	mo, ok := p.month(i)
	if !ok {
		return moment{}, i, false
	}
	y, j, hasYear := p.year(i + 1)
	if !hasYear {
		if len(p.tok(i).s) <= 3 || !p.is(i-1, "in", "during", "since", "from", "of", "between", "until", "before", "after", "throughout") {
			return moment{}, i, false
		}
		y = p.now.Year()
		if time.Date(y, mo, 1, 0, 0, 0, 0, p.loc()).After(p.now) {
			y--
		}
	}
	start := time.Date(y, mo, 1, 0, 0, 0, 0, p.loc())
	return moment{start: start, end: start.AddDate(0, 1, 0)}, j, true
}

// period reads calendar periods: this/last week, month and year, and the
// weekend. "last week" is the previous Monday-to-Monday week.
func (p *tparser) period(i int) (moment, int, bool) {
	today := p.today()
	which := ""
	j := i
	switch {
	case p.is(j, "this", "current") && p.is(j+1, "past") && p.is(j+2, "weekend"):
		which, j = "last", j+2
	case p.is(j, "this", "current"):
		which, j = "this", j+1
	case p.is(j, "last", "previous", "prior") && !p.is(i-1, "the"):
		which, j = "last", j+1
	case p.is(j, "the") && p.is(j+1, "weekend"):
		which, j = "this", j+1
	case p.is(j, "weekend") && p.is(i-1, "over", "during", "on", "at", "since", "this"):
		which = "this"
	}
	if which == "" {
		return moment{}, i, false
	}
	var start, end time.Time
	switch {
	case p.is(j, "week"):
		start = startOfWeek(today)
		end = addDays(start, 7)
	case p.is(j, "month"):
		start = time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, p.loc())
		end = start.AddDate(0, 1, 0)
	case p.is(j, "year"):
		start = time.Date(today.Year(), 1, 1, 0, 0, 0, 0, p.loc())
		end = start.AddDate(1, 0, 0)
	case p.is(j, "weekend"):
		return p.weekend(which == "last"), j + 1, true
	default:
		return moment{}, i, false
	}
	if which == "last" {
		end = start
		switch p.tok(j).s {
		case "week":
			start = addDays(start, -7)
		case "month":
			start = start.AddDate(0, -1, 0)
		default:
			start = start.AddDate(-1, 0, 0)
		}
	}
	return moment{start: start, end: end}, j + 1, true
}

// weekend is Saturday 00:00 to Monday 00:00 of the most recent weekend:
// the current one when now falls in a weekend (unless last is set, which
// asks for the one before).
func (p *tparser) weekend(last bool) moment {
	mon := startOfWeek(p.today()) // Monday of this week
	sat := addDays(mon, 5)
	if p.now.Before(sat) || last {
		sat = addDays(sat, -7)
	}
	return moment{start: sat, end: addDays(sat, 2)}
}
