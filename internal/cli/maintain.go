package cli

// This file implements "vigil workspace maintain": one maintenance pass
// (retention by age per table, then compaction) by the policy in the
// workspace section of config.yaml.

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-hunt/vigil/internal/store"
)

func newWorkspaceCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "workspace", Short: "Look after telemetry workspaces"}
	var dir string
	maintain := &cobra.Command{
		Use:   "maintain",
		Short: "Drop rows past their retention and compact small segments, now",
		Long: `Drop rows past their retention and compact small segments, now.

Retention is set per table in the workspace section of config.yaml; "*"
applies to every table not named, and a table without an entry keeps every
row. Ages are Go durations or days:

  workspace:
    maintenance_interval: 10m      # how often vigil ingest - maintains in the background
    retention:
      "*": 90d
      DeviceNetworkEvents: 30d

Compaction merges the small segments that continuous ingestion leaves into
larger ones. Queries and ingestion by other processes may go on meanwhile;
a workspace another vigil is writing to is refused (that one maintains it).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runMaintain(cmd.Context(), e, dir) },
	}
	maintain.Flags().StringVar(&dir, "workspace", "", "workspace directory (default: your default workspace)")
	cmd.AddCommand(maintain)
	return cmd
}

func runMaintain(ctx context.Context, e *env, dir string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	policy, err := maintenancePolicy()
	if err != nil {
		return usageErr("%v", err)
	}
	dir, err = writableDir(dir)
	if err != nil {
		return usageErr("%v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
		return usageErr("%s is not a vigil workspace (no manifest.json); create one with vigil ingest", dir)
	}
	ws, err := store.Open(dir, store.Options{})
	if err != nil {
		return usageErr("open workspace: %v", err)
	}
	rep, err := ws.Maintain(ctx, policy)
	if cerr := ws.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close workspace: %w", cerr)
	}
	printMaintenance(e.stdout, policy, rep)
	if err != nil {
		return &exitError{code: ExitUsage, err: err, print: true}
	}
	return nil
}

// printMaintenance prints the retention applied, a line per changed
// table and a summary.
func printMaintenance(w io.Writer, policy store.Maintenance, rep store.MaintenanceReport) {
	fmt.Fprintf(w, "retention: %s\n", describeRetention(policy.Retention))
	for _, t := range rep.Tables {
		fmt.Fprintln(w, t)
	}
	fmt.Fprintln(w, rep)
}

// describeRetention lists the ages of named tables, then the default.
func describeRetention(ages map[string]time.Duration) string {
	if len(ages) == 0 {
		return "none (every row is kept)"
	}
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(ages)) {
		if name != store.AllTables {
			parts = append(parts, name+" "+formatAge(ages[name]))
		}
	}
	other := "every other table"
	if len(parts) == 0 {
		other = "every table"
	}
	if age, ok := ages[store.AllTables]; ok {
		parts = append(parts, other+" "+formatAge(age))
	} else {
		parts = append(parts, "other tables keep every row")
	}
	return strings.Join(parts, ", ")
}

// formatAge writes whole days as config.yaml may (30d), else as Go does.
func formatAge(d time.Duration) string {
	const day = 24 * time.Hour
	if d%day == 0 {
		return fmt.Sprintf("%dd", d/day)
	}
	return d.String()
}
