package cli

// This file implements "vigilbench queries": the hunting suite on a lab
// workspace, run by vigil's engine over the store and by DuckDB over the
// same Parquet segments, with medians, ratios, result checks and vigil's
// peak memory.

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/vigil-hunt/vigil/bench/internal/duck"
	"github.com/vigil-hunt/vigil/bench/internal/suite"
	"github.com/vigil-hunt/vigil/bench/internal/usage"
	"github.com/vigil-hunt/vigil/internal/lab"
	"github.com/vigil-hunt/vigil/internal/store"
	"github.com/vigil-hunt/vigil/kql/engine"
)

// The bars of the query benchmark.
const (
	ratioBar  = 3.0        // geometric mean of vigil/DuckDB
	memoryBar = 1536 << 20 // vigil's peak resident memory
)

// timing is one engine's measurements of one query.
type timing struct {
	samples []usage.Sample
	result  *suite.Result
	err     error
}

func (t *timing) median(clock string) time.Duration {
	ds := make([]time.Duration, len(t.samples))
	for i, s := range t.samples {
		ds[i] = pick(clock, s)
	}
	return median(ds)
}

type runFlags struct {
	runs, warmup int
}

func runQueries(e *env, args []string) (bool, error) {
	var (
		c common
		l labFlags
		r runFlags
	)
	fs := flag.NewFlagSet("queries", flag.ContinueOnError)
	c.register(fs, "cpu")
	l.register(fs, 280, 30)
	fs.IntVar(&r.runs, "runs", 5, "measured runs of each query per engine (the median is reported)")
	fs.IntVar(&r.warmup, "warmup", 1, "unmeasured runs of each query before the measured ones")
	if err := parse(e, fs, args); err != nil {
		return false, err
	}
	if err := c.check(); err != nil {
		return false, err
	}
	if r.runs < 1 {
		return false, fmt.Errorf("-runs is %d; it must be at least 1", r.runs)
	}
	dir := filepath.Join(c.dir, "queries")
	rows, err := labWorkspace(e, dir, l.config(), l.rebuild)
	if err != nil {
		return false, err
	}
	ws := filepath.Join(dir, "ws")
	if err := checkGlobs(e, ws); err != nil {
		return false, err
	}
	qs := suite.Queries(labEnd)

	stop, err := c.profile()
	if err != nil {
		return false, err
	}
	mem := memoryPhase()
	vigil, err := runVigil(e, ws, qs, r)
	vm := mem.end()
	stop()
	if err != nil {
		return false, err
	}

	mem = memoryPhase()
	ddb, err := runDuckDB(e, ws, qs, r, c.threads)
	if err != nil {
		return false, err
	}
	dm := mem.end()

	fmt.Fprintf(e.stdout, "queries: %d-row lab workspace (%d devices, %d days), median of %d runs after %d warm-up; vigil/DuckDB ratios on %s time\n\n",
		total(rows), l.devices, l.days, r.runs, r.warmup, c.clock)
	passed := report(e.stdout, qs, vigil, ddb, c.clock)
	fmt.Fprintf(e.stdout, "\npeak memory: vigil phase RSS %.0f MB (Go runtime %.0f MB); DuckDB phase RSS %.0f MB\n",
		mb(vm.rss), mb(int64(vm.goHeld)), mb(dm.rss))
	if vm.noReset {
		fmt.Fprintln(e.stdout, "note: /proc/self/clear_refs could not reset VmHWM; the peaks include what came before each phase")
	}
	passed = bar(e.stdout, fmt.Sprintf("vigil peak memory <= %.1f GB", float64(memoryBar)/(1<<30)),
		fmt.Sprintf("%.0f MB (VmHWM over the vigil phase)", mb(vm.rss)), vm.rss <= memoryBar) && passed
	return passed, nil
}

// runVigil runs every query on the workspace, read-only, through the
// engine over the store's catalog; a new catalog per run, as vigil does.
func runVigil(e *env, ws string, qs []suite.Query, r runFlags) ([]*timing, error) {
	w, err := store.Open(ws, store.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer w.Close()
	out := make([]*timing, len(qs))
	for i, q := range qs {
		e.logf("vigil  %-24s", q.Name)
		out[i] = measureQuery(r, func() (*suite.Result, error) {
			res, err := engine.Query(context.Background(), q.KQL, engine.Options{Catalog: w.Catalog(), Now: labEnd})
			if err != nil {
				return nil, err
			}
			return suite.FromBatch(res.Tables[0]), nil
		})
	}
	return out, nil
}

// runDuckDB runs every query's SQL over views of the workspace's
// Parquet segments.
func runDuckDB(e *env, ws string, qs []suite.Query, r runFlags, threads int) ([]*timing, error) {
	db, err := duck.Open(threads)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	for _, v := range suite.Views(ws, lab.Tables()) {
		if err := db.Exec(context.Background(), v); err != nil {
			return nil, err
		}
	}
	out := make([]*timing, len(qs))
	for i, q := range qs {
		e.logf("duckdb %-24s", q.Name)
		out[i] = measureQuery(r, func() (*suite.Result, error) {
			t, err := db.Query(context.Background(), q.SQL)
			if err != nil {
				return nil, err
			}
			return suite.FromRows(t.Columns, t.Rows), nil
		})
	}
	return out, nil
}

// measureQuery runs f r.warmup times, then r.runs times measured, and
// keeps the last result; it stops at the first error.
func measureQuery(r runFlags, f func() (*suite.Result, error)) *timing {
	t := &timing{}
	for i := 0; i < r.warmup+r.runs; i++ {
		var res *suite.Result
		s, err := usage.Measure(func() error {
			var err error
			res, err = f()
			return err
		})
		if err != nil {
			t.err = err
			return t
		}
		if i >= r.warmup {
			t.samples = append(t.samples, s)
		}
		t.result = res
	}
	return t
}

// report prints the query table, the checks and the speed bars, and
// returns whether the bars passed.
func report(w io.Writer, qs []suite.Query, vigil, ddb []*timing, clock string) bool {
	t := &table{head: []string{"query", "rows", "vigil cpu", "duckdb cpu", "cpu ratio", "vigil wall", "duckdb wall", "wall ratio", "results"}}
	ratios := map[string][]float64{}
	var warnings []string
	needleOK, needles := true, 0
	for i, q := range qs {
		v, d := vigil[i], ddb[i]
		name := q.Name
		if q.Needle {
			name += " *"
		}
		if v.err != nil || d.err != nil {
			warnings = append(warnings, fmt.Sprintf("%s: vigil error %v; DuckDB error %v", q.Name, v.err, d.err))
			t.add(name, "-", "-", "-", "-", "-", "-", "-", "error")
			needleOK = needleOK && !q.Needle
			continue
		}
		agree := "agree"
		if diff := suite.Compare(q, v.result, d.result); diff != "" {
			agree = "DIFFER"
			warnings = append(warnings, fmt.Sprintf("%s: results differ: %s", q.Name, diff))
		}
		row := []string{name, fmt.Sprint(len(v.result.Rows))}
		for _, ck := range []string{"cpu", "wall"} {
			vm, dm := v.median(ck), d.median(ck)
			ratio := vm.Seconds() / dm.Seconds()
			ratios[ck] = append(ratios[ck], ratio)
			row = append(row, ms(vm), ms(dm), fmt.Sprintf("%.2f", ratio))
			if ck == clock && q.Needle {
				needles++
				needleOK = needleOK && vm < dm
			}
		}
		t.add(append(row, agree)...)
	}
	t.print(w)
	fmt.Fprintln(w, "* needle search")
	for _, s := range warnings {
		fmt.Fprintf(w, "WARNING: %s\n", s)
	}
	fmt.Fprintf(w, "\ngeometric mean vigil/DuckDB: cpu %.2f, wall %.2f; without the needle searches: cpu %.2f, wall %.2f\n",
		geomean(ratios["cpu"]), geomean(ratios["wall"]), geomean(without(ratios["cpu"], qs)), geomean(without(ratios["wall"], qs)))
	g := geomean(ratios[clock])
	ok := len(ratios[clock]) == len(qs)
	ok = bar(w, fmt.Sprintf("geometric-mean ratio vigil/DuckDB <= %.0f (%s)", ratioBar, clock), fmt.Sprintf("%.2f", g), ok && g <= ratioBar) && ok
	ok = bar(w, fmt.Sprintf("vigil faster than DuckDB on every needle search (%s)", clock),
		fmt.Sprintf("%d needle queries", needles), needleOK && needles > 0) && ok
	return ok
}

// without returns the ratios of the queries that are not needle
// searches (ratios are in query order when no query failed).
func without(ratios []float64, qs []suite.Query) []float64 {
	if len(ratios) != len(qs) {
		return nil
	}
	var out []float64
	for i, q := range qs {
		if !q.Needle {
			out = append(out, ratios[i])
		}
	}
	return out
}

// memPhase measures the peak memory of a phase of the run.
type memPhase struct {
	gp      *usage.GoPeak
	noReset bool // VmHWM could not be reset: it is the peak since the start
}

type memFigures struct {
	rss     int64  // peak resident set size (VmHWM), bytes
	goHeld  uint64 // peak memory the Go runtime held, bytes
	noReset bool
}

// memoryPhase returns memory to the system and starts measuring.
func memoryPhase() *memPhase {
	debug.FreeOSMemory()
	err := usage.ResetPeakRSS()
	return &memPhase{gp: usage.StartGoPeak(5 * time.Millisecond), noReset: err != nil}
}

func (m *memPhase) end() memFigures {
	m.gp.Stop()
	rss, _ := usage.PeakRSS()
	return memFigures{rss: rss, goHeld: m.gp.Peak(), noReset: m.noReset}
}
