package cli

// This file implements "vigil kql": check, fmt and schema.

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/internal/kqlfile"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/printer"
)

func newKQLCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "kql",
		Short: "Check, format and explore KQL queries",
	}
	cmd.AddCommand(newKQLCheckCmd(e), newKQLFmtCmd(e), newKQLSchemaCmd(e), newKQLConformanceCmd(e))
	return cmd
}

func newKQLFmtCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "fmt [FILE|-]",
		Short: "Print a KQL query in canonical form",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := "-"
			if len(args) == 1 {
				path = args[0]
			}
			qs, err := kqlfile.Read(path, e.stdin)
			if err != nil {
				return usageErr("%v", err)
			}
			bad := false
			for _, q := range qs {
				tree, err := parser.Parse(q.File)
				if err != nil {
					printParseErrors(e.stderr, err)
					bad = true
					continue
				}
				if err := printer.Fprint(e.stdout, tree); err != nil {
					return fmt.Errorf("print %s: %w", q.File.Name, err)
				}
			}
			if bad {
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
}

// printParseErrors prints parse errors one per line as file:line:col: msg.
func printParseErrors(w io.Writer, err error) {
	var list parser.ErrorList
	if errors.As(err, &list) {
		for _, pe := range list {
			fmt.Fprintln(w, pe.Error())
		}
		return
	}
	fmt.Fprintln(w, err)
}

func newKQLSchemaCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "schema [TABLE]",
		Short: "List the catalogued tables, or one table's columns and types",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat := catalog.Default()
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			defer tw.Flush()
			if len(args) == 0 {
				fmt.Fprintln(tw, "TABLE\tCOLUMNS\tTIME COLUMN\tAVAILABLE IN")
				for _, t := range cat.Tables() {
					fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", t.Name, len(t.Columns), orDash(t.TimeColumn()), tableAvailability(t))
				}
				return nil
			}
			t, ok := cat.Table(args[0])
			if !ok {
				msg := fmt.Sprintf("unknown table %q", args[0])
				if s := cat.Suggest(args[0]); s != "" {
					msg += fmt.Sprintf("; did you mean %q?", s)
				}
				return usageErr("%s", msg)
			}
			fmt.Fprintln(tw, "COLUMN\tTYPE\tAVAILABLE IN")
			for _, c := range t.Columns {
				typ := c.Type.String()
				if c.AHType.IsKnown() {
					typ += " (advanced hunting: " + c.AHType.String() + ")"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Name, typ, c.In)
			}
			return nil
		},
	}
}

// tableAvailability summarises where a table's columns exist.
func tableAvailability(t *catalog.Table) string {
	seen := map[string]bool{}
	for _, c := range t.Columns {
		switch c.In {
		case catalog.Both:
			seen["advanced hunting"], seen["sentinel"] = true, true
		case catalog.AdvancedHunting:
			seen["advanced hunting"] = true
		case catalog.Sentinel:
			seen["sentinel"] = true
		}
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
