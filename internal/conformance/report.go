package conformance

// This file runs many examples and reports on them.

import (
	"context"
	"fmt"
	"io"
	"time"
)

// Summary counts outcomes, with the geospatial examples apart.
type Summary struct {
	Passed, Failed       int
	GeoPassed, GeoFailed int
}

// RunAll runs every example, each within timeout.
func RunAll(ctx context.Context, exs []Example, timeout time.Duration) ([]Outcome, Summary) {
	var (
		outs []Outcome
		s    Summary
	)
	for i := range exs {
		o := Run(ctx, &exs[i], timeout)
		outs = append(outs, o)
		switch {
		case o.Geo && o.Pass:
			s.GeoPassed++
		case o.Geo:
			s.GeoFailed++
		case o.Pass:
			s.Passed++
		default:
			s.Failed++
		}
	}
	return outs, s
}

// Rate is the share of non-geospatial examples that passed.
func (s Summary) Rate() float64 {
	if n := s.Passed + s.Failed; n > 0 {
		return float64(s.Passed) / float64(n)
	}
	return 0
}

// WriteReport writes every failing example with its difference, then the
// totals, ending with the line "N passed, M failed" (all examples).
func WriteReport(w io.Writer, outs []Outcome, s Summary) {
	for _, o := range outs {
		if o.Pass {
			continue
		}
		geo := ""
		if o.Geo {
			geo = " (geo)"
		}
		fmt.Fprintf(w, "FAIL %s%s %s: %s\n", o.ID, geo, o.Doc, o.Diff)
	}
	fmt.Fprintf(w, "non-geospatial: %d of %d passed (%.1f%%); geospatial: %d of %d passed\n",
		s.Passed, s.Passed+s.Failed, 100*s.Rate(), s.GeoPassed, s.GeoPassed+s.GeoFailed)
	fmt.Fprintf(w, "%d passed, %d failed\n", s.Passed+s.GeoPassed, s.Failed+s.GeoFailed)
}
