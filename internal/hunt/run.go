package hunt

// This file runs a plan: the plan's hunts run concurrently against a
// Runner with their parameters bound, their rows go to the analysers,
// and the findings are finished, correlated, pivoted on, scored and
// merged.

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/finding/attack"
	"github.com/vigil-hunt/vigil/kql/engine"
)

// Runner runs KQL somewhere: the local engine (EngineRunner) or a remote
// source wrapped to return the same result shape. It must be safe for
// concurrent use.
type Runner interface {
	Query(ctx context.Context, kql string) (*engine.Result, error)
}

// Options configure Run. The zero value runs the built-in library.
type Options struct {
	Library *Library        // nil: Default()
	Attack  *attack.Catalog // nil: attack.Default()
	// Workers bounds the queries running at once (default 2×GOMAXPROCS).
	Workers int
	// Progress, if set, is called after each query, from one goroutine at
	// a time.
	Progress func(Progress)
	// Source labels evidence ("local", a workspace id …); default "local".
	Source string
	// MaxEvidenceRows caps the rows kept per evidence entry (default 50).
	MaxEvidenceRows int
	// PivotThreshold is the confidence from which findings are pivoted on
	// (default 50); negative disables pivoting.
	PivotThreshold int
	// Assets overrides the criticality (0–5) of devices by name.
	Assets map[string]int
	// QueryTimeout bounds each query (default none beyond ctx).
	QueryTimeout time.Duration
	// Tables are the tables the source holds; context and pivot queries
	// needing others are skipped. Nil means unknown: all are tried.
	Tables []string
	// MinConfidence drops findings below it. Zero means 30 for a plan
	// that names no entity and no floor for one that does (an analyst
	// asking about a device wants even routine entries).
	MinConfidence int
}

// Progress reports a finished query.
type Progress struct {
	Phase  string // "hunt", "context" or "pivot"
	HuntID string
	Done   int // queries finished in this phase
	Total  int
	Rows   int
	Err    error
}

// QueryRun is one query that ran: the hunt, the exact KQL, what it
// returned and how long it took.
type QueryRun struct {
	HuntID   string
	Phase    string
	KQL      string
	Rows     int
	Duration time.Duration
	Err      error
}

// Timing says where a run's time went.
type Timing struct {
	Total, Hunts, Analysis, Pivots time.Duration
}

// Result is what Run found.
type Result struct {
	Findings []finding.Finding
	Queries  []QueryRun
	Timing   Timing
}

// ErrUnknownHunt is wrapped by the QueryRun error of a plan's hunt id the
// library does not hold.
var ErrUnknownHunt = errors.New("unknown hunt")

// Run runs the plan's hunts against src and returns the findings, most
// risky first. A hunt that fails is reported in its QueryRun and does not
// stop the others; Run itself fails only when ctx ends.
//
//	plan := hunt.Understand(request, hunt.Env{Now: asOf, Hunts: hunt.Default().Infos(), Tables: tables})
//	res, err := hunt.Run(ctx, plan, hunt.EngineRunner{Catalog: cat, Now: asOf}, hunt.Options{Tables: tables})
//	for _, f := range res.Findings { … f.Title, f.Confidence.Score, f.Evidence … }
func Run(ctx context.Context, plan Plan, src Runner, opts Options) (*Result, error) {
	t0 := time.Now()
	r := newRun(plan, src, opts)
	res := &Result{}
	hunts, unknown := r.resolve(plan.HuntIDs)
	res.Queries = append(res.Queries, unknown...)
	var jobs []job
	if a, ok := r.assetJob(); ok {
		jobs = append(jobs, a)
	}
	for _, h := range hunts {
		jobs = append(jobs, job{phase: "hunt", hunt: h, kql: h.Bind(r.bind)})
	}
	outs := r.runAll(ctx, jobs)
	res.Timing.Hunts = time.Since(t0)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	t1 := time.Now()
	for _, o := range outs {
		if o.phase == "context" {
			r.readContext(o)
		}
	}
	if len(jobs) == 0 || jobs[0].phase != "context" {
		r.readContext(output{run: QueryRun{Err: errNoAssets}})
	}
	var drafts []*draft
	for _, o := range outs {
		res.Queries = append(res.Queries, o.run)
		if o.phase == "hunt" && o.run.Err == nil {
			drafts = append(drafts, r.analyse(o)...)
		}
	}
	fs, errs := r.finishAll(drafts)
	res.Queries = append(res.Queries, errs...)
	correlate(fs)
	fs = r.floor(fs)
	res.Timing.Analysis = time.Since(t1)
	t2 := time.Now()
	pivots := r.pivot(ctx, fs)
	res.Queries = append(res.Queries, pivots...)
	res.Timing.Pivots = time.Since(t2)
	byConfidence(fs)
	fs = finding.Merge(fs)
	fixCounts(fs)
	rescore(fs, r.assets, r.rarity)
	res.Findings = fs
	res.Timing.Total = time.Since(t0)
	return res, ctx.Err()
}

// run is the state of one Run.
type run struct {
	plan   Plan
	src    Runner
	opts   Options
	lib    *Library
	bind   Bindings
	fin    *finisher
	assets assetMap
	fleet  int
	rarity map[string]float64 // finding id → rarity
}

func newRun(plan Plan, src Runner, opts Options) *run {
	if opts.Library == nil {
		opts.Library = Default()
	}
	if opts.Attack == nil {
		opts.Attack = attack.Default()
	}
	if opts.Workers <= 0 {
		opts.Workers = 2 * runtime.GOMAXPROCS(0)
	}
	if opts.Source == "" {
		opts.Source = "local"
	}
	if opts.MaxEvidenceRows <= 0 {
		opts.MaxEvidenceRows = 50
	}
	if opts.PivotThreshold == 0 {
		opts.PivotThreshold = 50
	}
	r := &run{plan: plan, src: src, opts: opts, lib: opts.Library, bind: BindingsFor(plan),
		assets: assetMap{}, rarity: map[string]float64{}}
	r.fin = &finisher{cat: opts.Attack, assets: r.assets, source: opts.Source, maxRows: opts.MaxEvidenceRows}
	return r
}

// resolve finds the plan's hunts; unknown ids become failed QueryRuns.
func (r *run) resolve(ids []string) ([]*Hunt, []QueryRun) {
	var hunts []*Hunt
	var bad []QueryRun
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		h, ok := r.lib.Hunt(id)
		if !ok || h.Kind != KindHunt {
			bad = append(bad, QueryRun{HuntID: id, Phase: "hunt", Err: fmt.Errorf("%w %q", ErrUnknownHunt, id)})
			continue
		}
		hunts = append(hunts, h)
	}
	return hunts, bad
}

// job is one query to run.
type job struct {
	phase string
	hunt  *Hunt
	kql   string
}

// output is a job's result.
type output struct {
	job
	table *engine.Batch
	run   QueryRun
}

// runAll runs jobs with at most Workers at once and returns their
// outputs in job order.
func (r *run) runAll(ctx context.Context, jobs []job) []output {
	outs := make([]output, len(jobs))
	sem := make(chan struct{}, r.opts.Workers)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := map[string]int{}
	total := map[string]int{}
	for _, j := range jobs {
		total[j.phase]++
	}
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			outs[i] = r.runOne(ctx, j)
			if r.opts.Progress != nil {
				mu.Lock()
				done[j.phase]++
				r.opts.Progress(Progress{Phase: j.phase, HuntID: j.hunt.ID, Done: done[j.phase], Total: total[j.phase],
					Rows: outs[i].run.Rows, Err: outs[i].run.Err})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return outs
}

// runOne runs a job, turning a panic or error into the QueryRun's error.
func (r *run) runOne(ctx context.Context, j job) (o output) {
	o.job = j
	o.run = QueryRun{HuntID: j.hunt.ID, Phase: j.phase, KQL: j.kql}
	t := time.Now()
	defer func() {
		if p := recover(); p != nil {
			o.table, o.run.Err = nil, fmt.Errorf("hunt %s: internal error: %v", j.hunt.ID, p)
		}
		o.run.Duration = time.Since(t)
	}()
	if err := ctx.Err(); err != nil {
		o.run.Err = err
		return o
	}
	if r.opts.QueryTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.opts.QueryTimeout)
		defer cancel()
	}
	res, err := r.src.Query(ctx, j.kql)
	switch {
	case err != nil:
		o.run.Err = err
	case res == nil || len(res.Tables) == 0:
		o.run.Err = fmt.Errorf("hunt %s: the query returned no table", j.hunt.ID)
	default:
		o.table = res.Tables[len(res.Tables)-1]
		o.run.Rows = o.table.N
	}
	return o
}

// analyse runs the hunt's analyser over its rows.
func (r *run) analyse(o output) (ds []*draft) {
	fn := analysers[o.hunt.Analyser]
	if fn == nil || o.table == nil || o.table.N == 0 {
		return nil
	}
	x := &analysis{start: r.plan.Start, end: r.plan.End, fleet: r.fleet}
	return fn(x, newHuntRows(o.hunt, o.kql, o.table))
}

// finishAll finishes drafts into findings; a draft that cannot be
// finished (a technique the catalog refuses) is reported as a QueryRun
// error of its hunt.
func (r *run) finishAll(ds []*draft) ([]finding.Finding, []QueryRun) {
	var fs []finding.Finding
	var bad []QueryRun
	for _, d := range ds {
		f, err := r.fin.finish(d)
		if err != nil {
			bad = append(bad, QueryRun{HuntID: d.hunt.ID, Phase: "analysis", Err: err})
			continue
		}
		r.rarity[f.ID] = max(r.rarity[f.ID], max(d.rarity, 0))
		fs = append(fs, f)
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].FirstSeen.Before(fs[j].FirstSeen) })
	return fs, bad
}

// EngineRunner runs queries in process with the KQL engine.
type EngineRunner struct {
	Catalog engine.Catalog
	// Now pins now() and ago(); zero means the current time.
	Now     time.Time
	MaxRows int
}

// Query runs kql on the catalog.
func (e EngineRunner) Query(ctx context.Context, kql string) (*engine.Result, error) {
	return engine.Query(ctx, kql, engine.Options{Catalog: e.Catalog, Now: e.Now, MaxRows: e.MaxRows})
}

// contextAssets is the id of the query that reads DeviceInfo for asset
// criticality and the fleet's size.
const contextAssets = "context-assets"

// errNoAssets stands for an asset query that could not run.
var errNoAssets = errors.New("no asset inventory")

// assetJob is the asset query: the library's, else the built-in one; not
// when the source lacks its tables.
func (r *run) assetJob() (job, bool) {
	h, ok := r.lib.Hunt(contextAssets)
	if !ok {
		h, _ = Default().Hunt(contextAssets)
	}
	if !r.serves(h) {
		return job{}, false
	}
	return job{phase: "context", hunt: h, kql: h.Bind(r.bind)}, true
}

// serves reports whether the source holds every table h reads (true
// when the source's tables are unknown).
func (r *run) serves(h *Hunt) bool {
	if r.opts.Tables == nil {
		return true
	}
	return len(missingTables(h.Tables, tableSet(r.opts.Tables))) == 0
}

// readContext takes assets and the fleet size from the asset query.
func (r *run) readContext(o output) {
	if o.run.Err != nil || o.table == nil {
		for d, c := range r.opts.Assets {
			r.assets.set(d, asset{min(max(c, 0), 5), "set by the analyst"})
		}
		return
	}
	m, fleet := readAssets(newHuntRows(o.hunt, o.kql, o.table), r.opts.Assets)
	for k, v := range m {
		r.assets[k] = v
	}
	r.fleet = fleet
}

// defaultMinConfidence is the floor for findings of unscoped plans.
const defaultMinConfidence = 30

// floor drops findings below the minimum confidence.
func (r *run) floor(fs []finding.Finding) []finding.Finding {
	min := r.opts.MinConfidence
	if min == 0 && r.plan.Entities.Empty() {
		min = defaultMinConfidence
	}
	out := fs[:0]
	for _, f := range fs {
		if f.Confidence.Score >= min {
			out = append(out, f)
		}
	}
	return out
}
