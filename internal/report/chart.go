package report

// This file lays out the HTML report's timeline chart: one lane per
// finding, its events as dots on a shared time axis. The template draws
// the result as inline SVG.

import (
	"fmt"
	"time"
)

// chart is the geometry of the timeline chart, in SVG user units.
type chart struct {
	Width, Height float64
	PlotLeft      float64 // x where the time axis starts
	PlotRight     float64
	AxisY         float64 // y of the time axis
	Lanes         []chartLane
	Ticks         []chartTick
}

type chartLane struct {
	Top, Y float64 // top edge and centre line
	Shade  bool    // every other lane has a background
	Label  string
	Anchor string // #f1
	Sev    string
	SpanX  float64 // first to last seen, drawn when SpanW > 0
	SpanW  float64
	Points []chartPoint
}

type chartPoint struct {
	X   float64
	Sev string
	Tip string
}

type chartTick struct {
	X     float64
	Label string // 10:15
	Date  string // Mar 04, under the first tick of each day
}

const (
	chartWidth      = 1000.0
	chartLabelWidth = 270.0
	chartLaneHeight = 28.0
	chartTop        = 12.0
	chartAxisSpace  = 44.0
	chartLabelRunes = 38
)

// tickSteps are the axis intervals to choose from.
var tickSteps = []time.Duration{
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
	24 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 28 * 24 * time.Hour,
}

// newChart lays out the timeline of the findings; nil when nothing has a
// time.
func (v *view) newChart() *chart {
	events := v.timeline()
	lo, hi, ok := v.timeBounds(events)
	if !ok {
		return nil
	}
	c := &chart{Width: chartWidth, PlotLeft: chartLabelWidth, PlotRight: chartWidth - 20}
	c.AxisY = chartTop + float64(len(v.findings))*chartLaneHeight + 6
	c.Height = c.AxisY + chartAxisSpace
	x := func(t time.Time) float64 {
		return c.PlotLeft + (c.PlotRight-c.PlotLeft)*float64(t.Sub(lo))/float64(hi.Sub(lo))
	}
	for i, f := range v.findings {
		top := chartTop + chartLaneHeight*float64(i)
		l := chartLane{Top: top, Y: top + chartLaneHeight/2, Shade: i%2 == 0, Anchor: "#" + anchor(i), Sev: string(f.Severity),
			Label: cut(ref(i)+" "+oneLine(termSafe(newDefanger(f).text(f.Title))), chartLabelRunes)}
		if !f.FirstSeen.IsZero() && f.LastSeen.After(f.FirstSeen) {
			l.SpanX, l.SpanW = x(f.FirstSeen), x(f.LastSeen)-x(f.FirstSeen)
		}
		c.Lanes = append(c.Lanes, l)
	}
	for _, e := range events {
		tip := fmt.Sprintf("%s %s: %s", formatTime(e.Time), e.Ref, oneLine(termSafe(e.Summary)))
		if e.Entity != "" {
			tip += " (" + oneLine(termSafe(e.Entity)) + ")"
		}
		c.Lanes[e.Finding].Points = append(c.Lanes[e.Finding].Points, chartPoint{X: x(e.Time), Sev: string(e.Severity), Tip: tip})
	}
	c.Ticks = ticks(lo, hi, x)
	return c
}

// timeBounds is the padded range covering every event and every first
// and last sighting; a single instant gets ten minutes around it.
func (v *view) timeBounds(events []timelineRow) (lo, hi time.Time, ok bool) {
	see := func(t time.Time) {
		if t.IsZero() {
			return
		}
		if !ok || t.Before(lo) {
			lo = t
		}
		if !ok || t.After(hi) {
			hi = t
		}
		ok = true
	}
	for _, e := range events {
		see(e.Time)
	}
	for _, f := range v.findings {
		see(f.FirstSeen)
		see(f.LastSeen)
	}
	if !ok {
		return lo, hi, false
	}
	pad := max(hi.Sub(lo)/20, 5*time.Minute)
	return lo.Add(-pad).UTC(), hi.Add(pad).UTC(), true
}

// ticks places at most eight ticks at a round interval.
func ticks(lo, hi time.Time, x func(time.Time) float64) []chartTick {
	step := tickSteps[len(tickSteps)-1]
	for _, s := range tickSteps {
		if hi.Sub(lo)/s <= 8 {
			step = s
			break
		}
	}
	var out []chartTick
	lastDate := ""
	for t := lo.Truncate(step); !t.After(hi); t = t.Add(step) {
		if t.Before(lo) {
			continue
		}
		tk := chartTick{X: x(t), Label: t.Format("15:04")}
		if date := t.Format("Jan 02"); date != lastDate {
			tk.Date, lastDate = date, date
		}
		if step >= 24*time.Hour {
			tk.Label, tk.Date = t.Format("Jan 02"), ""
		}
		out = append(out, tk)
	}
	return out
}

// anchor is the HTML id of the i-th finding's section.
func anchor(i int) string { return fmt.Sprintf("f%d", i+1) }
