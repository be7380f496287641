package cli

// This file implements "vigil query": run KQL on local data.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/internal/report"
	"github.com/vigil-hunt/vigil/internal/store"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
)

type queryFlags struct {
	data      string
	workspace string
	file      string
	output    string
	now       string
	maxRows   int
}

func newQueryCmd(e *env) *cobra.Command {
	var f queryFlags
	cmd := &cobra.Command{
		Use:   "query [flags] ['KQL' | -f FILE]",
		Short: "Run a KQL query on local data",
		Long: `Run a KQL query with vigil's own engine.

Tables come from a workspace (--workspace DIR; by default the lab
workspace, which vigil creates on first use), or from --data DIR: one file
per table, named after it (DeviceProcessEvents.jsonl, SigninLogs.csv), as
Sentinel / Log Analytics JSON-lines exports or advanced-hunting CSV
exports, whose unreadable records are reported on stderr with file, line
and reason. Every other catalogued table is present and empty.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runQuery(cmd.Context(), e, f, args) },
	}
	cmd.Flags().StringVar(&f.workspace, "workspace", "", "workspace directory (default: the lab workspace, created on first use)")
	cmd.Flags().StringVar(&f.data, "data", "", "read tables from a directory of exported files instead of a workspace")
	cmd.Flags().StringVarP(&f.file, "file", "f", "", "read the query from FILE (- for stdin)")
	cmd.Flags().StringVarP(&f.output, "output", "o", "table", "output format: table, json, csv or jsonl")
	cmd.Flags().StringVar(&f.now, "now", "", "pin now() to this time (RFC 3339), to re-run a past investigation")
	cmd.Flags().IntVar(&f.maxRows, "max-rows", 10000, "cap the rows printed (0: no cap)")
	return cmd
}

func runQuery(ctx context.Context, e *env, f queryFlags, args []string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	var file *token.File
	switch {
	case f.file != "" && len(args) > 0:
		return usageErr("give the query as an argument or with -f, not both")
	case f.file == "-":
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			return usageErr("read stdin: %v", err)
		}
		file = token.NewFile("<stdin>", string(b))
	case f.file != "":
		b, err := os.ReadFile(f.file)
		if err != nil {
			return usageErr("%v", err)
		}
		file = token.NewFile(f.file, string(b))
	case len(args) == 1:
		file = token.NewFile("<query>", args[0])
	default:
		return usageErr("no query: give it as an argument or with -f FILE")
	}
	switch f.output {
	case "table", "json", "csv", "jsonl":
	default:
		return usageErr("unknown --output %q (want table, json, csv or jsonl)", f.output)
	}
	opts := engine.Options{MaxRows: f.maxRows}
	if f.now != "" {
		t, err := time.Parse(time.RFC3339, f.now)
		if err != nil {
			return usageErr("--now: %v", err)
		}
		opts.Now = t
	}
	if f.data != "" && f.workspace != "" {
		return usageErr("give --data or --workspace, not both")
	}
	if f.data != "" {
		cat, err := loadData(e, f.data)
		if err != nil {
			return err
		}
		opts.Catalog = cat
	} else {
		now := opts.Now
		if now.IsZero() {
			now = time.Now()
		}
		cat, ws, err := workspaceCatalog(e, f.workspace, now)
		if err != nil {
			return err
		}
		defer ws.Close()
		opts.Catalog = cat
	}
	q, err := parser.Parse(file)
	if err != nil {
		printParseErrors(e.stderr, err)
		return &exitError{code: ExitFindings}
	}
	res, err := engine.Run(ctx, q, opts)
	if err != nil {
		var ee *engine.Error
		if errors.As(err, &ee) && ee.Pos.IsValid() {
			fmt.Fprintf(e.stderr, "%s: %s\n", file.Position(ee.Pos), ee.Error())
		} else {
			fmt.Fprintf(e.stderr, "vigil: %v\n", err)
		}
		return &exitError{code: ExitFindings}
	}
	for i, t := range res.Tables {
		if i > 0 && f.output == "table" {
			fmt.Fprintln(e.stdout)
		}
		if err := writeResult(e, f.output, t); err != nil {
			return err
		}
	}
	if res.Truncated {
		fmt.Fprintf(e.stderr, "vigil: result cut at %d rows (--max-rows)\n", f.maxRows)
	}
	return nil
}

func writeResult(e *env, format string, b *engine.Batch) error {
	switch format {
	case "json":
		return report.WriteJSON(e.stdout, b)
	case "csv":
		return report.WriteCSV(e.stdout, b)
	case "jsonl":
		return report.WriteJSONLines(e.stdout, b)
	}
	return report.WriteTable(e.stdout, b)
}

// loadData builds the engine catalog: the files in dir and an empty table
// for every other catalogued table.
func loadData(e *env, dir string) (*engine.MemCatalog, error) {
	schemas := catalog.Default()
	cat, rep, err := store.LoadDir(dir, schemas)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	for _, r := range rep.Rejects {
		fmt.Fprintf(e.stderr, "vigil: rejected %s\n", r)
	}
	if n := len(rep.Rejects); n > 0 {
		fmt.Fprintf(e.stderr, "vigil: %d record(s) rejected\n", n)
	}
	var ignored []string
	for k, n := range rep.Ignored {
		ignored = append(ignored, fmt.Sprintf("%s (%d records)", k, n))
	}
	sort.Strings(ignored)
	for _, s := range ignored {
		fmt.Fprintf(e.stderr, "vigil: field not in the table's schema, ignored: %s\n", s)
	}
	store.AddEmptyTables(cat, schemas.TableNames(), schemas)
	return cat, nil
}
