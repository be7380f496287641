package cli

// This file implements "vigilbench ingest": vigil's ingestion of lab JSON
// lines into a fresh workspace against DuckDB loading the same files into
// zstd Parquet.
//
// The bar is judged on internal/ingest writing straight into a store
// workspace, as "vigil ingest" does: batches are staged (encoded and
// synced) concurrently with decoding and with each other, and committed
// in order. Two diagnostic rows split the cost: decoding alone (a sink
// that drops the rows) and the workspace written one batch at a time
// (a sink that hides the workspace's Stage).

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/bench/internal/duck"
	"github.com/vigil-hunt/vigil/bench/internal/jsonl"
	"github.com/vigil-hunt/vigil/bench/internal/usage"
	"github.com/vigil-hunt/vigil/internal/ingest"
	"github.com/vigil-hunt/vigil/internal/store"
	"github.com/vigil-hunt/vigil/kql/engine"
)

// ingestBar is the ingestion throughput vigil must reach, in rows/s.
const ingestBar = 150000

// sinkMode is where vigil's ingestion writes.
type sinkMode int

const (
	toStore   sinkMode = iota // the workspace, synchronously
	toDiscard                 // nowhere: decoding alone
	toSerial                  // the workspace, one batch at a time
)

var sinkModeNames = [...]string{"vigil", "vigil decode only", "vigil serial writes"}

func runIngest(e *env, args []string) (bool, error) {
	var (
		c      common
		l      labFlags
		noSync bool
		diag   bool
		batch  int
		runs   int
	)
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	// Throughput is rows over elapsed time with the machine's two cores
	// at vigil's disposal, as the bar states it; CPU time is reported
	// beside it.
	c.register(fs, "wall")
	fs.IntVar(&runs, "runs", 3, "measured runs of each load (the median is reported)")
	l.register(fs, 100, 7)
	fs.BoolVar(&noSync, "nosync", false, "write vigil's workspace without fsync (default: durable, as vigil ingest writes)")
	fs.BoolVar(&diag, "diag", true, "also time decoding alone and writes one batch at a time")
	fs.IntVar(&batch, "batch", 0, "rows per batch ingest hands the store (ingest.Options.BatchSize; 0: its default)")
	if err := parse(e, fs, args); err != nil {
		return false, err
	}
	if err := c.check(); err != nil {
		return false, err
	}
	if runs < 1 {
		return false, fmt.Errorf("-runs is %d; it must be at least 1", runs)
	}
	dir := filepath.Join(c.dir, "ingest")
	files, err := labJSONL(e, filepath.Join(dir, "jsonl"), l.config(), l.rebuild)
	if err != nil {
		return false, err
	}
	var rows int
	var bytes int64
	for _, f := range files {
		rows += f.Rows
		bytes += f.Bytes
	}
	modes := []sinkMode{toStore}
	if diag {
		modes = append(modes, toDiscard, toSerial)
	}
	samples := make([]usage.Sample, len(modes))
	every := make([][]usage.Sample, len(modes)+1) // every run, for the table
	peak := "unknown"
	for i, m := range modes {
		var all []usage.Sample
		if m == toStore {
			usage.ResetPeakRSS() // the peak of vigil's own runs; DuckDB runs later
		}
		for run := 0; run < runs; run++ {
			e.logf("ingesting %d files, %d rows, %.1f MB: %s (run %d of %d)", len(files), rows, mb(bytes), sinkModeNames[m], run+1, runs)
			stop := func() {}
			if m == toStore && run == 0 { // the profile covers a run the bar is judged on
				if stop, err = c.profile(); err != nil {
					return false, err
				}
			}
			s, err := ingestVigil(e, filepath.Join(dir, "ws"), files, m, noSync, batch)
			stop()
			if err != nil {
				return false, err
			}
			all = append(all, s)
		}
		samples[i], every[i] = medianSample(all, c.clock), all
		if m == toStore {
			if p, err := usage.PeakRSS(); err == nil {
				peak = fmt.Sprintf("%.0f MB", float64(p)/(1<<20))
			}
		}
	}
	var all []usage.Sample
	for run := 0; run < runs; run++ {
		e.logf("loading the same files into Parquet with DuckDB (run %d of %d)", run+1, runs)
		s, err := loadDuckDB(e, filepath.Join(dir, "duckdb"), files, c.threads)
		if err != nil {
			return false, err
		}
		all = append(all, s)
	}
	d := medianSample(all, c.clock)
	every[len(modes)] = all
	t := &table{head: []string{"engine", "rows", "wall", "cpu", "rows/s (wall)", "rows/s (cpu)", "every run (" + c.clock + ")"}}
	for i, m := range modes {
		s := samples[i]
		t.add(sinkModeNames[m], fmt.Sprint(rows), secs(s.Wall), secs(s.CPU), rate(rows, s.Wall.Seconds()), rate(rows, s.CPU.Seconds()), runTimes(every[i], c.clock))
	}
	t.add("duckdb to parquet", fmt.Sprint(rows), secs(d.Wall), secs(d.CPU), rate(rows, d.Wall.Seconds()), rate(rows, d.CPU.Seconds()), runTimes(all, c.clock))
	fmt.Fprintf(e.stdout, "ingest: %d rows of lab JSON lines (%d tables, %.1f MB, %.0f bytes/row); fsync %v; median of %d runs by %s time\n\n",
		rows, len(files), mb(bytes), float64(bytes)/float64(rows), !noSync, runs, c.clock)
	t.print(e.stdout)
	got := float64(rows) / pick(c.clock, samples[0]).Seconds()
	fmt.Fprintf(e.stdout, "\npeak memory of vigil's runs: %s (VmHWM)\n", peak)
	fmt.Fprintln(e.stdout)
	return bar(e.stdout, fmt.Sprintf("vigil ingestion >= %d rows/s (%s)", ingestBar, c.clock),
		fmt.Sprintf("%.0f rows/s; DuckDB to Parquet %.0f rows/s", got, float64(rows)/pick(c.clock, d).Seconds()),
		got >= ingestBar), nil
}

// ingestVigil ingests files into a fresh workspace in ws (or nowhere) and
// checks that every row arrived.
func ingestVigil(e *env, ws string, files []jsonl.File, mode sinkMode, noSync bool, batch int) (usage.Sample, error) {
	if err := reset(ws); err != nil {
		return usage.Sample{}, err
	}
	var sum ingest.Summary
	s, err := usage.Measure(func() error {
		sink, closeSink, err := openSink(ws, mode, noSync)
		if err != nil {
			return err
		}
		for _, f := range files {
			one, err := ingest.File(context.Background(), f.Path, sink, nil, ingest.Options{BatchSize: batch})
			sum.Add(one)
			if err != nil {
				closeSink()
				return err
			}
		}
		return closeSink()
	})
	if err != nil {
		return s, err
	}
	var missing []string
	for _, f := range files {
		if sum.Rows[f.Table] != f.Rows {
			missing = append(missing, fmt.Sprintf("%s %d of %d", f.Table, sum.Rows[f.Table], f.Rows))
		}
	}
	if sum.Rejects > 0 || len(missing) > 0 {
		e.logf("WARNING: vigil ingested %s; %d records rejected", strings.Join(missing, ", "), sum.Rejects)
	}
	e.logf("%s: %s", sinkModeNames[mode], sum)
	return s, nil
}

func openSink(ws string, mode sinkMode, noSync bool) (ingest.Sink, func() error, error) {
	if mode == toDiscard {
		return discard{}, func() error { return nil }, nil
	}
	w, err := store.Open(ws, store.Options{NoSync: noSync})
	if err != nil {
		return nil, nil, err
	}
	if mode == toStore {
		return w, w.Close, nil
	}
	// Only WriteBatch: ingestion then writes each batch before the next,
	// without staging batches concurrently.
	return struct{ ingest.Sink }{w}, w.Close, nil
}

type discard struct{}

func (discard) WriteBatch(string, *engine.Batch) error { return nil }

// loadDuckDB converts each file to a zstd Parquet file in dir and checks
// that every row arrived. maximum_depth = 1 keeps nested objects (the
// dynamic columns) as JSON, as vigil keeps them: inferred as structs from
// a sample, a bag with a key the sample lacked fails the whole load.
func loadDuckDB(e *env, dir string, files []jsonl.File, threads int) (usage.Sample, error) {
	if err := reset(dir); err != nil {
		return usage.Sample{}, err
	}
	db, err := duck.Open(threads)
	if err != nil {
		return usage.Sample{}, err
	}
	defer db.Close()
	out := func(f jsonl.File) string { return sqlString(filepath.Join(dir, f.Table+".parquet")) }
	s, err := usage.Measure(func() error {
		for _, f := range files {
			stmt := fmt.Sprintf("COPY (SELECT * FROM read_json_auto(%s, maximum_depth = 1)) TO %s (FORMAT PARQUET, COMPRESSION ZSTD)", sqlString(f.Path), out(f))
			if err := db.Exec(context.Background(), stmt); err != nil {
				return fmt.Errorf("%s: %w", f.Table, err)
			}
		}
		return nil
	})
	if err != nil {
		return s, err
	}
	for _, f := range files {
		t, err := db.Query(context.Background(), "SELECT count(*) FROM read_parquet("+out(f)+")")
		if err != nil {
			return s, err
		}
		if n := t.Rows[0][0]; fmt.Sprint(n) != fmt.Sprint(f.Rows) {
			e.logf("WARNING: DuckDB wrote %v rows of %s, not %d", n, f.Table, f.Rows)
		}
	}
	return s, nil
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// medianSample returns the sample with the median time on clock.
func medianSample(samples []usage.Sample, clock string) usage.Sample {
	sorted := append([]usage.Sample(nil), samples...)
	sort.Slice(sorted, func(i, j int) bool { return pick(clock, sorted[i]) < pick(clock, sorted[j]) })
	return sorted[len(sorted)/2]
}

// runTimes lists the time of every run on clock, in run order.
func runTimes(samples []usage.Sample, clock string) string {
	var out []string
	for _, s := range samples {
		out = append(out, secs(pick(clock, s)))
	}
	return strings.Join(out, " ")
}
