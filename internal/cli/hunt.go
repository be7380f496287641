package cli

// This file implements "vigil hunt": from a plain-language concern to
// findings, with the deterministic hunter.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-hunt/vigil/internal/audit"
	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/hunt"
	"github.com/vigil-hunt/vigil/internal/report"
	"github.com/vigil-hunt/vigil/internal/respond"
	"github.com/vigil-hunt/vigil/kql/engine"
)

type huntFlags struct {
	workspace string
	asOf      string
	explain   bool
	output    string
	report    string
	hunts     string
	noPropose bool
	offline   bool
	only      string // run just this hunt (vigil hunts run)
	rules     bool
	sources   []string
}

func newHuntCmd(e *env) *cobra.Command {
	var f huntFlags
	cmd := &cobra.Command{
		Use:   `hunt "CONCERN"`,
		Short: "Hunt for what worries you, described in plain language",
		Long: `Hunt for what worries you, described in plain language, e.g.

  vigil hunt "I'm worried windows-target-1 was maliciously logged into in the last few days"

vigil reads the request (time range, devices, accounts, indicators, what
kind of activity), chooses hunts from its library, runs them on the
workspace (by default the lab workspace, created on first use), analyses
the rows into findings, pivots on what it finds, and prints one card per
finding. --explain prints the plan and stops. Response actions a finding
proposes (such as isolating a device) are queued for approval: see
vigil actions.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHunt(cmd.Context(), e, f, strings.Join(args, " "))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.workspace, "workspace", "", "workspace directory (default: the lab workspace)")
	fl.StringVar(&f.asOf, "as-of", "", "pin \"now\" (RFC 3339), to hunt an old recording or re-run a past investigation")
	fl.BoolVar(&f.explain, "explain", false, "print the plan (intents, entities, tables, time range, hunts) and stop")
	fl.StringVarP(&f.output, "output", "o", "text", "output: text or json")
	fl.StringVar(&f.report, "report", "", "also write an incident report: FILE.md or FILE.html")
	fl.StringVar(&f.hunts, "hunts", "", "directory of your own hunts to add to the library")
	fl.BoolVar(&f.noPropose, "no-propose", false, "do not queue the response actions findings propose")
	fl.BoolVar(&f.rules, "rules", false, "also run the imported rule sets (vigil rules import)")
	fl.StringSliceVar(&f.sources, "source", nil, "hunt these sources configured in config.yaml instead of a workspace (repeatable)")
	fl.BoolVar(&f.offline, "offline", false, "run the deterministic hunter alone, even with a model configured")
	return cmd
}

func runHunt(ctx context.Context, e *env, f huntFlags, request string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if f.output != "text" && f.output != "json" {
		return usageErr("unknown --output %q (want text or json)", f.output)
	}
	if f.report != "" && !strings.HasSuffix(f.report, ".md") && !strings.HasSuffix(f.report, ".html") {
		return usageErr("--report %s: the file must end in .md or .html", f.report)
	}
	now := time.Now().UTC()
	if f.asOf != "" {
		t, err := time.Parse(time.RFC3339, f.asOf)
		if err != nil {
			return usageErr("--as-of: %v", err)
		}
		now = t.UTC()
	}
	lib, err := library(f.hunts, f.rules || f.only != "")
	if err != nil {
		return usageErr("%v", err)
	}
	if f.only != "" {
		if _, ok := lib.Hunt(f.only); !ok {
			return usageErr("no hunt %q (vigil hunts list)", f.only)
		}
	}
	var (
		runners []namedRunner
		tables  []string
		cat     engine.Catalog
		wsDir   string
	)
	if len(f.sources) == 0 {
		c, ws, err := workspaceCatalog(e, f.workspace, now)
		if err != nil {
			return err
		}
		defer ws.Close()
		cat, wsDir, tables = c, ws.Dir(), ws.Tables()
		runners = []namedRunner{{"workspace:" + ws.Dir(), hunt.EngineRunner{Catalog: c, Now: now}}}
	} else {
		srcs, err := openSources(f.sources)
		if err != nil {
			return err
		}
		for _, n := range f.sources {
			runners = append(runners, namedRunner{n, sourceRunner{src: srcs[n]}})
		}
	}
	env := hunt.Env{Now: now, Hunts: lib.Infos(), Tables: tables, Devices: knownDevices(ctx, runners[0].r)}
	plan := hunt.Understand(request, env)
	if f.only != "" {
		plan.HuntIDs = []string{f.only}
	}
	if f.explain {
		if f.output == "json" {
			enc := json.NewEncoder(e.stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(plan)
		}
		fmt.Fprint(e.stdout, plan.Explain())
		return nil
	}

	start := time.Now()
	tty := isTerminal(e.stderr)
	prog := report.NewProgress(e.stderr, report.ProgressOptions{TTY: tty})
	res := &hunt.Result{}
	for _, nr := range runners {
		if sr, ok := nr.r.(sourceRunner); ok {
			sr.start, sr.end = plan.Start, plan.End
			nr.r = sr
		}
		one, err := hunt.Run(ctx, plan, nr.r, hunt.Options{
			Library: lib,
			Source:  nr.name,
			Progress: func(p hunt.Progress) {
				prog.Update(report.Step{Done: p.Done, Total: p.Total, Noun: p.Phase + " queries", Detail: p.HuntID})
			},
		})
		if err != nil {
			prog.Finish()
			return err
		}
		res.Findings = append(res.Findings, one.Findings...)
		res.Queries = append(res.Queries, one.Queries...)
	}
	prog.Finish()
	if len(runners) > 1 {
		res.Findings = finding.Merge(res.Findings)
	}
	if !f.offline && cat != nil {
		res.Findings = runAgent(ctx, e, request, now, cat, res.Findings)
	}
	elapsed := time.Since(start)
	runs := reportRuns(res.Queries, runners[0].name)
	stats := report.NewStats(res.Findings, runs, elapsed)

	record(e, wsDir, request, plan, res, elapsed)
	proposed := 0
	if !f.noPropose {
		proposed = propose(e, res.Findings)
	}

	switch f.output {
	case "json":
		if err := report.WriteFindingsJSON(e.stdout, report.Envelope{
			Request: request, Plan: plan, GeneratedAt: time.Now(), Findings: res.Findings, Stats: stats,
		}); err != nil {
			return err
		}
	default:
		fmt.Fprintln(e.stdout, report.Summary(stats))
		if len(res.Findings) > 0 {
			fmt.Fprintln(e.stdout)
		}
		width := 100
		if err := report.WriteCards(e.stdout, res.Findings, report.CardOptions{
			Width: width, Color: report.ColorEnabled(isTerminal(e.stdout), os.Getenv),
		}); err != nil {
			return err
		}
		if proposed > 0 {
			fmt.Fprintf(e.stdout, "%d response action(s) queued for approval: vigil actions list\n", proposed)
		}
	}
	if f.report != "" {
		if err := writeReport(f.report, request, now, plan, res, runs); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "vigil: report written to %s\n", f.report)
	}
	return nil
}

// knownDevices lists the workspace's devices for name matching.
func knownDevices(ctx context.Context, r hunt.Runner) []hunt.DeviceRef {
	res, err := r.Query(ctx, "DeviceInfo | summarize arg_max(Timestamp, DeviceId, OSPlatform) by DeviceName")
	if err != nil || len(res.Tables) == 0 {
		return nil
	}
	b := res.Tables[0]
	name, id, os := b.Col("DeviceName"), b.Col("DeviceId"), b.Col("OSPlatform")
	var out []hunt.DeviceRef
	for i := 0; i < b.N; i++ {
		d := hunt.DeviceRef{Name: name.Value(i).String()}
		if id != nil {
			d.ID = id.Value(i).String()
		}
		if os != nil {
			d.Platform = os.Value(i).String()
		}
		out = append(out, d)
	}
	return out
}

func reportRuns(qs []hunt.QueryRun, source string) []report.QueryRun {
	out := make([]report.QueryRun, len(qs))
	for i, q := range qs {
		out[i] = report.QueryRun{HuntID: q.HuntID, Source: source, KQL: q.KQL, Rows: q.Rows, Duration: q.Duration, Err: q.Err}
	}
	return out
}

// record appends the run to the workspace's findings log (the state
// directory's for remote sources) and every query
// and finding to the audit log. Failures to record are reported, not
// fatal: the analyst still gets the findings.
func record(e *env, wsDir, request string, plan hunt.Plan, res *hunt.Result, elapsed time.Duration) {
	line, err := json.Marshal(map[string]any{
		"time": time.Now().UTC(), "request": request, "plan": plan,
		"elapsed_seconds": elapsed.Seconds(), "findings": res.Findings,
	})
	if err == nil && wsDir == "" {
		// Remote sources have no workspace: the log goes to the state dir.
		wsDir, err = stateDir()
	}
	if err == nil {
		err = appendLine(filepath.Join(wsDir, "findings.jsonl"), line)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil: could not append to the findings log: %v\n", err)
	}
	dir, err := stateDir()
	if err == nil {
		err = os.MkdirAll(dir, 0o700)
	}
	var l *audit.Log
	if err == nil {
		l, err = audit.Open(filepath.Join(dir, "audit.jsonl"))
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil: could not open the audit log: %v\n", err)
		return
	}
	defer l.Close()
	for _, q := range res.Queries {
		p := map[string]any{"source": "workspace:" + wsDir, "hunt": q.HuntID, "phase": q.Phase, "kql": q.KQL,
			"rows": q.Rows, "duration_ms": q.Duration.Milliseconds()}
		if q.Err != nil {
			p["error"] = q.Err.Error()
		}
		if _, err := l.Append("query", "vigil", p); err != nil {
			fmt.Fprintf(e.stderr, "vigil: audit: %v\n", err)
			return
		}
	}
	for _, f := range res.Findings {
		if _, err := l.Append("finding", "vigil", map[string]any{"request": request, "id": f.ID, "title": f.Title,
			"severity": f.Severity, "confidence": f.Confidence.Score, "technique": f.Technique}); err != nil {
			fmt.Fprintf(e.stderr, "vigil: audit: %v\n", err)
			return
		}
	}
}

func appendLine(path string, line []byte) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// propose queues the device actions findings propose; the policy decides
// (by default every action waits for approval). It returns how many
// proposals are open.
func propose(e *env, fs []finding.Finding) int {
	var wanted []respond.Proposal
	for _, f := range fs {
		for _, a := range f.Actions {
			act := respond.Action(a.Action)
			if a.Target == "" || (act != respond.Isolate && act != respond.CollectPackage && act != respond.AntivirusScan && act != respond.RestrictApps) {
				continue
			}
			p := respond.Proposal{
				Device: respond.Device{Name: a.Target}, Action: act, Reason: a.Reason, FindingID: f.ID,
				Confidence: float64(f.Confidence.Score) / 100, ProposedBy: "vigil hunt",
			}
			if sev, err := respond.ParseSeverity(string(f.Severity)); err == nil {
				p.Severity = sev
			}
			if t := a.Params["isolation_type"]; t != "" {
				p.Params.IsolationType = t
			}
			wanted = append(wanted, p)
		}
	}
	if len(wanted) == 0 {
		return 0
	}
	r, err := openResponder()
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil: could not queue response actions: %v\n", err)
		return 0
	}
	defer r.Close()
	open := 0
	for _, p := range wanted {
		out, err := r.exec.Propose(context.Background(), p)
		if err != nil {
			fmt.Fprintf(e.stderr, "vigil: proposal for %s: %v\n", p.Device.Name, err)
			continue
		}
		if out.Status == respond.StatusPending || out.Status == respond.StatusApproved || out.Status == respond.StatusExecuting {
			open++
		}
	}
	return open
}

func writeReport(path, request string, asked time.Time, plan hunt.Plan, res *hunt.Result, runs []report.QueryRun) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	in := report.Incident{Request: request, Asked: asked, Generated: time.Now(), Start: plan.Start, End: plan.End,
		Sources: []string{"local workspace"}, Findings: res.Findings, Queries: runs}
	var w func(io.Writer, report.Incident) error = report.WriteMarkdown
	if strings.HasSuffix(path, ".html") {
		w = report.WriteHTML
	}
	if err := w(f, in); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
