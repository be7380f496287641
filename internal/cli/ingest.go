package cli

// This file implements "vigil ingest": read exported telemetry into a
// workspace.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-hunt/vigil/internal/ingest"
	"github.com/vigil-hunt/vigil/internal/store"
)

// writableDir returns the workspace directory to change: dir, else the
// default workspace. A lab workspace is refused: it is regenerated, so
// what is written to it would be lost.
func writableDir(dir string) (string, error) {
	if dir == "" {
		d, err := defaultWorkspaceDir()
		if err != nil {
			return "", err
		}
		dir = d
	}
	if _, err := os.Stat(filepath.Join(dir, groundTruthFile)); err == nil {
		return "", fmt.Errorf("%s is a lab workspace, which is regenerated: use another --workspace", dir)
	}
	return dir, nil
}

type ingestFlags struct {
	workspace   string
	table       string
	format      string
	rejects     string
	noNormalize bool
	maintain    bool
}

func newIngestCmd(e *env) *cobra.Command {
	var f ingestFlags
	cmd := &cobra.Command{
		Use:   "ingest [flags] FILE...|-",
		Short: "Read exported telemetry into a workspace",
		Long: `Read exported telemetry into a workspace.

Formats are detected from the content (--format overrides): Sentinel / Log
Analytics JSON exports (JSON lines or an array), advanced-hunting and portal
CSV exports, Defender for Endpoint streaming API records ({"records":[…]}),
and Windows event logs as winlogbeat / OTRF JSON lines or evtx_dump JSON.
Gzip-compressed files are read as they are.

Rows go to the table --table names, else the one in their Type column, else
the one the file is named after (DeviceProcessEvents.jsonl). Windows events
are kept in SecurityEvent / WindowsEvent and also mapped to the Defender
tables (Sysmon 1 to DeviceProcessEvents, Security 4624 to DeviceLogonEvents,
…) unless --no-normalize is given.

A record that cannot be read is rejected and the rest of the file goes in:
rejects are listed on stderr, or written as JSON lines (file, line, reason,
record) to --rejects FILE. The exit code is 1 when any record was rejected.

Reading a stream (-), rows are written within a few seconds of arriving,
and the workspace is maintained in the background as the workspace section
of config.yaml says (by default: small segments are compacted every 5
minutes, every row is kept). --maintain runs one maintenance pass after
the input is read; it is off by default because compaction rewrites the
segments of a large load.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runIngest(cmd.Context(), e, f, args) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.workspace, "workspace", "", "workspace directory to write to (default: your default workspace, which hunts then use instead of the lab)")
	fl.StringVar(&f.table, "table", "", "send every row of a JSON or CSV row export to this table")
	fl.StringVar(&f.format, "format", "auto", "input format: auto, json, csv, eventhub, winlogbeat or evtx")
	fl.StringVar(&f.rejects, "rejects", "", "write rejected records to FILE as JSON lines")
	fl.BoolVar(&f.noNormalize, "no-normalize", false, "keep Windows events only in SecurityEvent / WindowsEvent")
	fl.BoolVar(&f.maintain, "maintain", false, "after ingesting, apply retention and compact the workspace (see vigil workspace maintain)")
	return cmd
}

func runIngest(ctx context.Context, e *env, f ingestFlags, files []string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	format, err := ingest.ParseFormat(f.format)
	if err != nil {
		return usageErr("--format: %v", err)
	}
	opts := ingest.Options{Table: f.table, Format: format, NoNormalize: f.noNormalize}
	progress := isTerminal(e.stderr)
	// Background maintenance reports from its own goroutine.
	e = &env{stdin: e.stdin, stdout: e.stdout, stderr: &syncWriter{w: e.stderr}}
	var rejects io.Writer
	if f.rejects != "" {
		rf, err := os.Create(f.rejects)
		if err != nil {
			return usageErr("%v", err)
		}
		defer rf.Close()
		rejects = rf
	} else {
		opts.OnReject = func(r ingest.Reject) { fmt.Fprintf(e.stderr, "vigil: rejected %s\n", r) }
	}
	policy, err := maintenancePolicy()
	if err != nil {
		return usageErr("%v", err)
	}
	ws, err := openIngestWorkspace(e, f.workspace, policy, slices.Contains(files, "-"))
	if err != nil {
		return usageErr("open workspace: %v", err)
	}
	total, err := ingestFiles(ctx, e, progress, ws, rejects, opts, files)
	if err == nil && f.maintain {
		rep, merr := ws.Maintain(ctx, policy)
		fmt.Fprintf(e.stderr, "vigil: %s\n", rep)
		if merr != nil {
			err = merr
		}
	}
	if cerr := ws.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close workspace: %w", cerr)
	}
	printIgnored(e.stderr, total.Ignored)
	fmt.Fprintln(e.stdout, total)
	if err != nil {
		return &exitError{code: ExitUsage, err: err, print: true}
	}
	if total.Rejects > 0 {
		if f.rejects != "" {
			fmt.Fprintf(e.stderr, "vigil: %d record(s) rejected, written to %s\n", total.Rejects, f.rejects)
		}
		return &exitError{code: ExitFindings}
	}
	return nil
}

// openIngestWorkspace opens the workspace ingestion writes to. Reading a
// stream, which may go on for days, it maintains the workspace in the
// background by policy, reporting on stderr; a one-off load is left
// alone, as compacting it meanwhile would rewrite much of what it writes.
func openIngestWorkspace(e *env, dir string, policy store.Maintenance, stream bool) (*store.Workspace, error) {
	dir, err := writableDir(dir)
	if err != nil {
		return nil, err
	}
	var opts store.Options
	if stream {
		bg := policy
		bg.OnError = func(err error) { fmt.Fprintf(e.stderr, "vigil: background maintenance: %v\n", err) }
		bg.OnReport = func(r store.MaintenanceReport) {
			if r.Changed() {
				fmt.Fprintf(e.stderr, "vigil: %s\n", r)
			}
		}
		opts.Maintenance = &bg
	}
	return store.Open(dir, opts)
}

// ingestFiles ingests each file ("-" is stdin) in turn and adds up their
// summaries; it stops at the first file that cannot be read.
func ingestFiles(ctx context.Context, e *env, progress bool, sink ingest.Sink, rejects io.Writer, opts ingest.Options, files []string) (ingest.Summary, error) {
	var total ingest.Summary
	for _, name := range files {
		if progress {
			opts.Progress = func(p ingest.Progress) { showProgress(e.stderr, p) }
		}
		var sum ingest.Summary
		var err error
		if name == "-" {
			sum, err = ingest.Reader(ctx, "-", e.stdin, sink, rejects, opts)
		} else {
			sum, err = ingest.File(ctx, name, sink, rejects, opts)
		}
		if progress {
			fmt.Fprint(e.stderr, "\r\033[K")
		}
		total.Add(sum)
		if err != nil {
			return total, fmt.Errorf("%s: %w", name, err)
		}
	}
	return total, nil
}

func showProgress(w io.Writer, p ingest.Progress) {
	mb := float64(p.Bytes) / (1 << 20)
	rate := 0.0
	if s := p.Elapsed.Seconds(); s > 0 {
		rate = mb / s
	}
	fmt.Fprintf(w, "\r\033[K%s: %d records, %d rejected, %.1f MB (%.1f MB/s, %s)",
		p.Name, p.Records, p.Rejects, mb, rate, p.Elapsed.Round(time.Second))
}

// printIgnored lists the fields that are not columns of their table.
func printIgnored(w io.Writer, ignored map[string]int) {
	keys := make([]string, 0, len(ignored))
	for k := range ignored {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "vigil: field not in the table's schema, ignored: %s (%d records)\n", k, ignored[k])
	}
}

// syncWriter serializes writes to w, for output from several goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
