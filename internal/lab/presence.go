package lab

// This file decides, for each user and day, whether and where they work:
// the one schedule that both their workstation and their cloud sign-ins
// follow.

import (
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

// presence is a user's working day.
type presence struct {
	work, remote  bool
	arrive, leave value.Datetime
	lunch         value.Datetime
	lunchLen      time.Duration
	where         place // where their sign-ins come from
}

// dayPresence decides every user's day. Plan overrides pin the days a
// scenario depends on.
func (g *gen) dayPresence(day time.Time, dayIdx int) []presence {
	out := make([]presence, len(g.fleet.users))
	for i, u := range g.fleet.users {
		r := newRNG(g.cfg.Seed, "presence", i, dayIdx)
		p := presence{work: isWorkday(day) && !r.chance(0.06)}
		if !isWorkday(day) && r.chance(0.08) {
			p.work = true // a weekend hour or two
			p.arrive = clock(day, r.between(10, 15), r.intn(60))
			p.leave = add(p.arrive, r.dur(40*time.Minute, 150*time.Minute))
		} else {
			p.arrive = clock(day, 7, 30+r.intn(100))
			p.leave = add(p.arrive, r.dur(8*time.Hour, 9*time.Hour+30*time.Minute))
			p.lunch = clock(day, 11, 45+r.intn(75))
			p.lunchLen = r.dur(25*time.Minute, 65*time.Minute)
		}
		p.remote = r.chance(u.remote) || !isWorkday(day)
		p.where = placeOffice
		switch {
		case u.traveller && r.chance(0.3):
			p.where, p.remote = pick(r, travelCities), true
		case p.remote && u.vpn:
			p.where = placeVPN
		case p.remote:
			p.where = u.home
		}
		if o, ok := g.plan.pinned[pinKey{u, dayIdx}]; ok {
			p.work, p.remote, p.where = true, false, placeOffice
			p.arrive = min(p.arrive, o)
			if p.leave < add(o, 4*time.Hour) {
				p.leave = add(o, 4*time.Hour)
			}
			p.lunch = 0
		}
		out[i] = p
	}
	return out
}

// pinKey names a user's day.
type pinKey struct {
	u   *user
	day int
}

// dayIndex returns the index of the local day containing t, counted from
// the window's first local day.
func (g *gen) dayIndex(t value.Datetime) int {
	first := localMidnight(g.startT)
	return int(t.Time().Sub(first) / (24 * time.Hour))
}

// activeSpans returns the periods a present user is at the keyboard:
// arrival to leaving, minus lunch and a few short breaks.
func (p presence) activeSpans(r *rng) [][2]value.Datetime {
	var cuts [][2]value.Datetime
	if p.lunch > p.arrive && p.lunch < p.leave {
		cuts = append(cuts, [2]value.Datetime{p.lunch, add(p.lunch, p.lunchLen)})
	}
	var out [][2]value.Datetime
	from := p.arrive
	for _, c := range cuts {
		out = append(out, splitBreaks(r, from, c[0])...)
		from = c[1]
	}
	return append(out, splitBreaks(r, from, p.leave)...)
}

// splitBreaks cuts a span at one or two short breaks (meetings, coffee).
func splitBreaks(r *rng, from, to value.Datetime) [][2]value.Datetime {
	var out [][2]value.Datetime
	for to-from > value.Datetime(90*time.Minute/100) && r.chance(0.6) {
		brk := add(from, r.dur(40*time.Minute, time.Duration(to-from)*100-30*time.Minute))
		back := add(brk, r.dur(8*time.Minute, 35*time.Minute))
		if back >= to {
			break
		}
		out = append(out, [2]value.Datetime{from, brk})
		from = back
	}
	return append(out, [2]value.Datetime{from, to})
}
