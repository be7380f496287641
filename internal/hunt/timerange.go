package hunt

// This file holds the time-range API: the range type, the documented
// defaults, and ParseTimeRange, which finds the first time expression in
// a request and resolves it against an injected "now".

import (
	"fmt"
	"time"
)

// Documented defaults for vague or missing time expressions.
const (
	// DefaultLookback is used when a request names no time at all.
	DefaultLookback = 7 * 24 * time.Hour
	// FewDays is "the last few days", "a few days ago", "the other day".
	FewDays = 3 * 24 * time.Hour
	// Recently is "recently", "lately", "of late", "in recent days".
	Recently = 3 * 24 * time.Hour
	// MaxSpan caps any range; longer ones keep their end and lose their
	// start ("the last 2 years" becomes the last 90 days).
	MaxSpan = 90 * 24 * time.Hour
	// AroundMoment is the half-width of the window around a single point
	// in time ("at 2024-03-01T10:12Z", "around 3pm yesterday").
	AroundMoment = 12 * time.Hour
	// Overnight runs from OvernightStart on one day to OvernightEnd the
	// next, in hours of now's location ("overnight", "last night").
	OvernightStart, OvernightEnd = 18, 8
)

// Vague quantities: "a couple of" is 2, "a few" 3, "several" 5.
const (
	couple  = 2
	few     = 3
	several = 5
)

// TimeRange is the window a plan hunts over, [Start, End).
type TimeRange struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Text is the part of the request the range came from; empty when
	// the request named no time and the default applies.
	Text string `json:"text,omitempty"`
	// Default is set when no time expression was found.
	Default bool `json:"default,omitempty"`
	// Capped is set when the range was longer than MaxSpan.
	Capped bool `json:"capped,omitempty"`
	// Notes explain adjustments (capped, clipped at now, assumptions).
	Notes []string `json:"notes,omitempty"`
}

// ParseTimeRange finds the first time expression in text and resolves it
// relative to now, in now's location; weeks start on Monday. Without an
// expression the range is the DefaultLookback before now. The end never
// passes now, and a range entirely in the future falls back to the
// default with a note.
func ParseTimeRange(text string, now time.Time) TimeRange {
	tr, _ := parseTimeRange(text, now)
	return tr
}

// parseTimeRange is ParseTimeRange that also returns the span of text
// consumed, so other readers can skip it.
func parseTimeRange(text string, now time.Time) (TimeRange, span) {
	p := &tparser{src: text, now: now, toks: lexTime(text)}
	for i := range p.toks {
		if r, j, ok := p.expr(i); ok {
			sp := span{p.toks[i].start, p.toks[j-1].end}
			r.Text = text[sp.start:sp.end]
			return r.finish(now), sp
		}
	}
	return defaultRange(now), span{}
}

// defaultRange is the window used when the request names no time.
func defaultRange(now time.Time) TimeRange {
	return TimeRange{Start: now.Add(-DefaultLookback), End: now, Default: true}
}

// finish clips the range at now and caps its span.
func (r TimeRange) finish(now time.Time) TimeRange {
	if r.End.After(now) {
		r.End = now
	}
	if !r.Start.Before(r.End) {
		d := defaultRange(now)
		d.Text = r.Text
		d.Notes = append(r.Notes, fmt.Sprintf("%q is empty or in the future; using the default %s", r.Text, humanDuration(DefaultLookback)))
		return d
	}
	if r.End.Sub(r.Start) > MaxSpan {
		r.Start = r.End.Add(-MaxSpan)
		r.Capped = true
		r.Notes = append(r.Notes, fmt.Sprintf("%q is longer than %s; capped", r.Text, humanDuration(MaxSpan)))
	}
	return r
}

// humanDuration prints d in the largest whole unit that fits: 3d, 36h, 90m.
func humanDuration(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// startOfDay is midnight at the start of t's day in t's location.
func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// addDays moves t by n calendar days, keeping the wall clock.
func addDays(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }

// startOfWeek is midnight on the Monday of t's week.
func startOfWeek(t time.Time) time.Time {
	back := (int(t.Weekday()) + 6) % 7 // Monday → 0, Sunday → 6
	return addDays(startOfDay(t), -back)
}
