package cli

// This file implements "vigil ingest": read exported telemetry into a
// workspace.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-hunt/vigil/internal/ingest"
	"github.com/vigil-hunt/vigil/internal/store"
)

// openSink opens the workspace in dir for writing (the default
// workspace when dir is ""); the returned function closes it.
func openSink(dir string) (ingest.Sink, func() error, error) {
	if dir == "" {
		d, err := defaultWorkspaceDir()
		if err != nil {
			return nil, nil, err
		}
		dir = d
	}
	if _, err := os.Stat(filepath.Join(dir, groundTruthFile)); err == nil {
		return nil, nil, fmt.Errorf("%s is a lab workspace, which is regenerated: ingest into another --workspace", dir)
	}
	ws, err := store.Open(dir, store.Options{})
	if err != nil {
		return nil, nil, err
	}
	return ws, ws.Close, nil
}

type ingestFlags struct {
	workspace   string
	table       string
	format      string
	rejects     string
	noNormalize bool
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
record) to --rejects FILE. The exit code is 1 when any record was rejected.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runIngest(cmd.Context(), e, f, args) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.workspace, "workspace", "", "workspace directory to write to (default: your default workspace, which hunts then use instead of the lab)")
	fl.StringVar(&f.table, "table", "", "send every row of a JSON or CSV row export to this table")
	fl.StringVar(&f.format, "format", "auto", "input format: auto, json, csv, eventhub, winlogbeat or evtx")
	fl.StringVar(&f.rejects, "rejects", "", "write rejected records to FILE as JSON lines")
	fl.BoolVar(&f.noNormalize, "no-normalize", false, "keep Windows events only in SecurityEvent / WindowsEvent")
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
	sink, closeSink, err := openSink(f.workspace)
	if err != nil {
		return usageErr("open workspace: %v", err)
	}
	total, err := ingestFiles(ctx, e, sink, rejects, opts, files)
	if closeSink != nil {
		if cerr := closeSink(); err == nil && cerr != nil {
			err = fmt.Errorf("close workspace: %w", cerr)
		}
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

// ingestFiles ingests each file ("-" is stdin) in turn and adds up their
// summaries; it stops at the first file that cannot be read.
func ingestFiles(ctx context.Context, e *env, sink ingest.Sink, rejects io.Writer, opts ingest.Options, files []string) (ingest.Summary, error) {
	var total ingest.Summary
	progress := isTerminal(e.stderr)
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
