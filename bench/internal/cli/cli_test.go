package cli

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
)

func TestRunUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		exit int
		msg  string
	}{
		{"no command", nil, ExitUsage, "usage: vigilbench"},
		{"unknown command", []string{"nope"}, ExitUsage, `unknown command "nope"`},
		{"bad clock", []string{"queries", "-clock", "sundial", "-dir", t.TempDir()}, ExitUsage, "-clock"},
		{"extra argument", []string{"ingest", "extra"}, ExitUsage, "unexpected arguments extra"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if got := Run(tc.args, &out, &errb); got != tc.exit {
				t.Errorf("exit %d, want %d; stderr:\n%s", got, tc.exit, errb.String())
			}
			if !strings.Contains(errb.String(), tc.msg) {
				t.Errorf("stderr lacks %q:\n%s", tc.msg, errb.String())
			}
		})
	}
}

// TestSmallRun runs both benchmarks on a small lab: every query must run
// in both engines and agree, and every row must be ingested.
func TestSmallRun(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a lab and runs DuckDB")
	}
	dir := t.TempDir()
	for _, args := range [][]string{
		{"queries", "-dir", dir, "-devices", "12", "-days", "3", "-runs", "1", "-warmup", "0"},
		{"ingest", "-dir", dir, "-devices", "12", "-days", "2", "-nosync", "-diag=false"},
	} {
		var out, errb bytes.Buffer
		code := Run(args, &out, &errb)
		if code == ExitUsage || strings.Contains(out.String(), "WARNING") || strings.Contains(errb.String(), "WARNING") {
			t.Errorf("%s: exit %d\nstdout:\n%s\nstderr:\n%s", args[0], code, out.String(), errb.String())
		}
	}
}

func TestMedianGeomean(t *testing.T) {
	if got := median([]time.Duration{5, 1, 3}); got != 3 {
		t.Errorf("median odd = %v", got)
	}
	if got := median([]time.Duration{4, 1, 2, 3}); got != 2 {
		t.Errorf("median even = %v", got) // (2+3)/2 in integer nanoseconds
	}
	if got := geomean([]float64{0.25, 4, 1}); math.Abs(got-1) > 1e-12 {
		t.Errorf("geomean = %v", got)
	}
}
