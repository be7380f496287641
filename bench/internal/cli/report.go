package cli

// This file prints: aligned tables, bar verdicts and the figures in them.

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vigil-hunt/vigil/bench/internal/usage"
)

// table is a text table with a header row.
type table struct {
	head []string
	rows [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(t.head, "\t")+"\t")
	for _, r := range t.rows {
		fmt.Fprintln(tw, strings.Join(r, "\t")+"\t")
	}
	tw.Flush()
}

// bar prints one bar's verdict line and returns ok.
func bar(w io.Writer, what, figure string, ok bool) bool {
	verdict := "FAIL"
	if ok {
		verdict = "PASS"
	}
	fmt.Fprintf(w, "%s  %s: %s\n", verdict, what, figure)
	return ok
}

// pick returns the sample's time on the named clock.
func pick(clock string, s usage.Sample) time.Duration {
	if clock == "wall" {
		return s.Wall
	}
	return s.CPU
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }

func ms(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond))
}

func rate(n int, secs float64) string {
	if secs <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", float64(n)/secs)
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

// geomean returns the geometric mean of positive xs.
func geomean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range xs {
		s += math.Log(x)
	}
	return math.Exp(s / float64(len(xs)))
}

// median returns the median of ds, the mean of the middle two for an
// even count.
func median(ds []time.Duration) time.Duration {
	s := slices.Sorted(slices.Values(ds))
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
