package cli

// This file implements "vigil hunts" (the hunt library) and
// "vigil rules import" (Sigma rules into the library).

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-hunt/vigil/internal/hunt"
	"github.com/vigil-hunt/vigil/internal/sigma"
)

// userHuntsDir holds hunts the user added (and imported Sigma rules):
// <state dir>/hunts. vigil hunt loads it when it exists.
func userHuntsDir() (string, error) {
	d, err := stateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "hunts"), nil
}

// library is the built-in library plus the user's own hunts (<state
// dir>/hunts), --hunts DIR, and, with rules set, the rule sets imported
// into subdirectories of <state dir>/hunts (hundreds of Sigma rules make a
// broad hunt slower and noisier, so they run when asked for).
func library(extra string, rules bool) (*hunt.Library, error) {
	lib := hunt.Default()
	dirs := []string{}
	if d, err := userHuntsDir(); err == nil {
		if entries, err := os.ReadDir(d); err == nil {
			dirs = append(dirs, d)
			for _, e := range entries {
				if e.IsDir() && rules { // imported rule sets: hunts/sigma, …
					dirs = append(dirs, filepath.Join(d, e.Name()))
				}
			}
		}
	}
	if extra != "" {
		dirs = append(dirs, extra)
	}
	for _, d := range dirs {
		own, err := hunt.LoadDir(d)
		if err != nil {
			return nil, fmt.Errorf("hunts in %s: %w", d, err)
		}
		lib = lib.With(own)
	}
	return lib, nil
}

func newHuntsCmd(e *env) *cobra.Command {
	var dir string
	cmd := &cobra.Command{Use: "hunts", Short: "List and show the hunts in the library"}
	cmd.PersistentFlags().StringVar(&dir, "hunts", "", "directory of your own hunts to add to the library")
	list := &cobra.Command{
		Use:   "list",
		Short: "List the hunts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			lib, err := library(dir, true)
			if err != nil {
				return usageErr("%v", err)
			}
			hs := lib.Hunts()
			sort.Slice(hs, func(i, j int) bool { return hs[i].ID < hs[j].ID })
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKIND\tTECHNIQUES\tTABLES\tTITLE")
			for _, h := range hs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", h.ID, h.Kind, strings.Join(h.Techniques, ","),
					strings.Join(h.Tables, ","), h.Title)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "(%d hunts)\n", len(hs))
			return nil
		},
	}
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show a hunt's metadata and KQL",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			lib, err := library(dir, true)
			if err != nil {
				return usageErr("%v", err)
			}
			h, ok := lib.Hunt(args[0])
			if !ok {
				return usageErr("no hunt %q (vigil hunts list)", args[0])
			}
			fmt.Fprintf(e.stdout, "%s: %s\n", h.ID, h.Title)
			if h.Description != "" {
				fmt.Fprintf(e.stdout, "\n%s\n", h.Description)
			}
			fmt.Fprintf(e.stdout, "\ntechniques: %s\ntables:     %s\nintents:    %s\nseverity:   %s\nanalyser:   %s\nsource:     %s\n\n",
				strings.Join(h.Techniques, ", "), strings.Join(h.Tables, ", "), strings.Join(h.Intents, ", "),
				h.Severity, h.Analyser, h.Source)
			fmt.Fprintln(e.stdout, strings.TrimRight(h.KQL, "\n"))
			return nil
		},
	}
	var hf huntFlags
	run := &cobra.Command{
		Use:   `run ID ["CONCERN"]`,
		Short: "Run one hunt (scoped by the entities and time range a concern names)",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			hf.hunts, hf.only = dir, args[0]
			request := "anything suspicious"
			if len(args) == 2 {
				request = args[1]
			}
			return runHunt(cmd.Context(), e, hf, request)
		},
	}
	run.Flags().StringVar(&hf.workspace, "workspace", "", "workspace directory (default: the lab workspace)")
	run.Flags().StringVar(&hf.asOf, "as-of", "", "pin \"now\" (RFC 3339)")
	run.Flags().StringVarP(&hf.output, "output", "o", "text", "output: text or json")
	run.Flags().BoolVar(&hf.offline, "offline", true, "run without the model")
	run.Flags().BoolVar(&hf.noPropose, "no-propose", false, "do not queue proposed response actions")
	cmd.AddCommand(list, show, run)
	return cmd
}

func newRulesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "rules", Short: "Bring detection rules into the hunt library"}
	var out string
	imp := &cobra.Command{
		Use:   "import DIR",
		Short: "Convert a directory of Sigma rules into hunts",
		Long: `Convert a directory of Sigma rules into KQL hunts of the library.

Windows process-creation, network-connection, file-event and registry rules
and Azure sign-in, activity and audit-log rules are converted; every rule
that is not is listed with the reason. Findings from an imported rule carry
the rule's author and link, as the Detection Rule License requires.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				d, err := userHuntsDir()
				if err != nil {
					return err
				}
				out = filepath.Join(d, "sigma")
			}
			res, err := sigma.Import(args[0])
			if err != nil {
				return usageErr("%v", err)
			}
			notWritten, err := res.WriteHunts(out)
			if err != nil {
				return err
			}
			kinds := map[string]int{}
			for _, s := range append(res.Skipped, notWritten...) {
				kinds[s.Kind]++
				fmt.Fprintf(e.stderr, "skipped %s: %s\n", s.Path, s.Reason)
			}
			fmt.Fprintf(e.stdout, "imported %d rules into %s; %d skipped, %d not written\n",
				len(res.Hunts)-len(notWritten), out, len(res.Skipped), len(notWritten))
			return nil
		},
	}
	imp.Flags().StringVar(&out, "out", "", "directory to write the hunts to (default: <state dir>/hunts/sigma, which vigil hunt loads)")
	cmd.AddCommand(imp)
	return cmd
}
