package cli

// This file implements "vigil kql conformance": run documented examples
// through the engine and compare with their documented outputs.

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-hunt/vigil/internal/conformance"
)

func newKQLConformanceCmd(e *env) *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "conformance FILE.jsonl...",
		Short: "Run KQL examples and compare with their documented outputs",
		Long: `Run KQL examples through vigil's engine and compare the results with
their documented outputs. Each line of FILE is a JSON object with id, query
and expected {columns, rows} (cells as display strings), plus optional
ordered, nondeterministic, partial_output and bare_scalar_expression.
Prints each failing id with the difference and ends with "N passed, M failed".`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var exs []conformance.Example
			for _, path := range args {
				loaded, err := conformance.Load(path)
				if err != nil {
					return usageErr("%v", err)
				}
				exs = append(exs, loaded...)
			}
			outs, sum := conformance.RunAll(context.Background(), exs, timeout)
			conformance.WriteReport(e.stdout, outs, sum)
			if sum.Failed+sum.GeoFailed > 0 {
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 10*time.Second, "time limit for each example")
	return cmd
}
