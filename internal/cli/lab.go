package cli

// This file implements "vigil lab generate".

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-hunt/vigil/internal/lab"
)

func newLabCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "lab", Short: "Generate lab workspaces with labelled attacks"}
	var (
		dir       string
		cfg       = lab.DefaultConfig(time.Time{})
		scenarios string
		end       string
	)
	gen := &cobra.Command{
		Use:   "generate",
		Short: "Write a deterministic lab workspace: a fleet's telemetry with planted attacks",
		Long: `Write a deterministic lab workspace: a fleet's telemetry (Defender device
tables, sign-ins, Azure activity and network analytics) with attack
scenarios planted on chosen devices and times. The ground truth (each
scenario's techniques, entities, time window and malicious row ids) is
written beside the tables as ground-truth.json.

Without --workspace this (re)creates the default lab workspace, which
vigil otherwise creates on first use.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.End = time.Now().UTC()
			if end != "" {
				t, err := time.Parse(time.RFC3339, end)
				if err != nil {
					return usageErr("--end: %v", err)
				}
				cfg.End = t
			}
			switch scenarios {
			case "all":
				cfg.Scenarios = nil
			case "none":
				cfg.Scenarios = []string{}
			default:
				cfg.Scenarios = strings.Split(scenarios, ",")
			}
			if dir == "" {
				d, err := defaultLabDir()
				if err != nil {
					return err
				}
				dir = d
			}
			start := time.Now()
			gt, err := generateLab(dir, cfg)
			if err != nil {
				return usageErr("%v", err)
			}
			total := 0
			for _, n := range gt.Rows {
				total += n
			}
			fmt.Fprintf(e.stdout, "wrote %s: %d devices, %d rows, %d planted attacks, %s to %s, in %.1f s\n",
				dir, len(gt.Devices), total, len(gt.Scenarios),
				gt.Start.Format(time.RFC3339), gt.End.Format(time.RFC3339), time.Since(start).Seconds())
			return nil
		},
	}
	f := gen.Flags()
	f.StringVar(&dir, "workspace", "", "workspace directory (default: the default lab workspace)")
	f.IntVar(&cfg.Devices, "devices", cfg.Devices, "number of devices")
	f.IntVar(&cfg.Users, "users", cfg.Users, "number of users")
	f.IntVar(&cfg.Days, "days", cfg.Days, "days of telemetry, ending now (or at --end)")
	f.Int64Var(&cfg.Seed, "seed", cfg.Seed, "random seed: the same flags give the same workspace")
	f.StringVar(&scenarios, "scenarios", "all", "attack scenarios to plant: all, none, or ids separated by commas ("+strings.Join(lab.ScenarioIDs(), ", ")+")")
	f.StringVar(&end, "end", "", "end of the time window (RFC 3339; default now)")
	cmd.AddCommand(gen)
	return cmd
}
