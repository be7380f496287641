package lab

// This file implements Generate: it builds the fleet, plants the selected
// scenarios, then walks the window day by day generating benign activity
// and flushing each finished day to the Writer.

import (
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

// gen is one generation run.
type gen struct {
	cfg          Config
	start, end   value.Datetime
	startT, endT time.Time
	fleet        *fleet
	sink         *sink
	plan         *plan
	today        []presence // each user's day, while generating it
}

// Generate writes a workspace described by cfg to w and returns what was
// planted in it. The same Config always produces the same rows, batches
// and ground truth.
func Generate(cfg Config, w Writer) (*GroundTruth, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	defs, err := selectScenarios(cfg.Scenarios)
	if err != nil {
		return nil, err
	}
	g := &gen{cfg: cfg}
	g.endT = cfg.End.UTC().Truncate(100 * time.Nanosecond)
	g.startT = g.endT.Add(-time.Duration(cfg.Days) * 24 * time.Hour)
	g.start, g.end = value.DatetimeOf(g.startT), value.DatetimeOf(g.endT)
	g.fleet = newFleet(cfg)
	g.fleet.patchDay = g.patchDay()
	boot := newRNG(cfg.Seed, "boot")
	for _, h := range g.fleet.hosts {
		h.startSystem(bootBefore(boot, g.start))
	}
	if g.sink, err = newSink(w, g); err != nil {
		return nil, err
	}
	g.plan = newPlan(g)
	for i, d := range defs {
		sc := &Scenario{ID: d.id, Title: d.title, Tactics: d.tactics, Techniques: d.techniques}
		g.sink.truth = append(g.sink.truth, sc)
		g.sink.scen = int32(i)
		d.plant(g, sc, newRNG(cfg.Seed, "scenario:"+d.id))
	}
	g.sink.scen = -1
	if err := g.benign(); err != nil {
		return nil, err
	}
	if err := g.sink.flush(g.end + 1); err != nil {
		return nil, err
	}
	return g.truth(), nil
}

// truth assembles the ground truth once everything is written.
func (g *gen) truth() *GroundTruth {
	gt := &GroundTruth{Seed: g.cfg.Seed, Start: g.startT, End: g.endT, Scenarios: []Scenario{}, Rows: map[string]int{}}
	for _, sc := range g.sink.truth {
		sc.sortRows()
		if sc.Rows == nil {
			sc.Rows = []RowRef{}
		}
		gt.Scenarios = append(gt.Scenarios, *sc)
	}
	for _, h := range g.fleet.hosts {
		gt.Devices = append(gt.Devices, h.Device)
	}
	for t := tInfo; t < nTables; t++ {
		gt.Rows[tableNames[t]] = g.sink.rows[t]
	}
	return gt
}

// columnMaps returns the column generators of each table, indexed by
// tableID, and at nTables those every Sentinel table shares.
func (g *gen) columnMaps() [nTables + 1]map[string]colFn {
	var m [nTables + 1]map[string]colFn
	dev := g.deviceColumns()
	for t := tProcess; t <= tEvents; t++ {
		m[t] = dev
	}
	m[tInfo] = g.infoColumns()
	m[tSignin] = g.signinColumns()
	m[tActivity] = g.activityColumns()
	m[tFlows] = g.flowColumns()
	m[nTables] = g.commonColumns()
	return m
}

// benign generates the background, one local calendar day at a time, and
// flushes each day once it is complete.
func (g *gen) benign() error {
	first := localMidnight(g.startT)
	for day, i := first, 0; day.Before(g.endT); day, i = day.AddDate(0, 0, 1), i+1 {
		d := value.DatetimeOf(day)
		g.today = g.dayPresence(day, i)
		var ctxs []*hctx
		for _, h := range g.hostOrder() {
			h.sessions = h.sessions[:0]
			ctxs = append(ctxs, &hctx{g: g, h: h, r: newRNG(g.cfg.Seed, "day:"+h.Name, i), day: day, d: d, dayIdx: i})
		}
		for _, c := range ctxs {
			c.hostDay()
		}
		for _, c := range ctxs {
			c.deviceInfo(d, c.loggedOn)
		}
		g.cloudDay(day, newRNG(g.cfg.Seed, "cloud", i))
		if err := g.sink.flush(value.DatetimeOf(day.AddDate(0, 0, 1))); err != nil {
			return err
		}
	}
	return nil
}

// patchDay picks the window's first Tuesday (Patch Tuesday's weekday) as
// the day the monthly update installs, or the first day.
func (g *gen) patchDay() int {
	first := localMidnight(g.startT)
	for i := 0; first.AddDate(0, 0, i).Before(g.endT); i++ {
		if first.AddDate(0, 0, i).Weekday() == time.Tuesday {
			return i
		}
	}
	return 0
}

// hostOrder is the order devices generate their day: workstations first,
// so the servers they visit can see who is logged on.
func (g *gen) hostOrder() []*host {
	var ws, rest []*host
	for _, h := range g.fleet.hosts {
		if h.Role == "workstation" {
			ws = append(ws, h)
		} else {
			rest = append(rest, h)
		}
	}
	return append(ws, rest...)
}

// localMidnight returns the start of t's day in the company's time zone.
func localMidnight(t time.Time) time.Time {
	l := t.In(companyZone)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, companyZone)
}

// isWorkday reports whether a local day is Monday to Friday.
func isWorkday(day time.Time) bool {
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// clock returns the instant h:m local time on the given local day.
func clock(day time.Time, h, m int) value.Datetime {
	return value.DatetimeOf(day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute))
}

// at places a scenario: frac of the way through the window, moved to the
// local time hh:mm on that day when that instant leaves room (margin)
// before the window ends.
func (g *gen) at(frac float64, hh, mm int, margin time.Duration) value.Datetime {
	span := g.endT.Sub(g.startT)
	base := g.startT.Add(time.Duration(frac * float64(span)))
	day := localMidnight(base)
	t := day.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
	if t.Before(g.startT.Add(time.Minute)) || t.Add(margin).After(g.endT) {
		t = base
		if t.Add(margin).After(g.endT) {
			t = g.endT.Add(-margin)
		}
		if t.Before(g.startT) {
			t = g.startT.Add(time.Minute)
		}
	}
	return value.DatetimeOf(t)
}
