package cli

// This file implements "vigil actions" (the approval queue) and
// "vigil audit verify".

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-hunt/vigil/internal/audit"
	"github.com/vigil-hunt/vigil/internal/respond"
)

// responder opens the approval queue, audit log and policy in the state
// directory. Without Defender configured, approved actions are dry runs.
type responder struct {
	exec  *respond.Executor
	queue *respond.Queue
	log   *audit.Log
}

func openResponder() (*responder, error) {
	dir, err := stateDir()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	cfg, err := loadConfig(dir)
	if err != nil {
		return nil, err
	}
	pol, err := cfg.policy()
	if err != nil {
		return nil, err
	}
	q, err := respond.OpenQueue(filepath.Join(dir, "state.db"), respond.QueueOptions{TTL: time.Duration(pol.ApprovalTTL)})
	if err != nil {
		return nil, err
	}
	mde, err := mdeClient(cfg)
	if err != nil {
		q.Close()
		return nil, err
	}
	l, err := audit.Open(filepath.Join(dir, "audit.jsonl"))
	if err != nil {
		q.Close()
		return nil, err
	}
	return &responder{
		exec:  &respond.Executor{Queue: q, Policy: pol, MDE: mde, Audit: respond.AuditTo(l), Actor: "vigil"},
		queue: q, log: l,
	}, nil
}

func (r *responder) Close() {
	r.queue.Close()
	r.log.Close()
}

// analyst is who decides: --as, else the OS user.
func analyst(as string) string {
	if as != "" {
		return as
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "analyst"
}

func newActionsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "actions",
		Short: "Review, approve or deny proposed response actions",
		Long: `Proposed response actions (isolate a device, collect an investigation
package, …) wait here for an analyst. Nothing reaches Defender for Endpoint
without an allowing policy or an approval; with no Defender configured an
approved action is recorded as a dry run and says so.`,
	}
	var status string
	list := &cobra.Command{
		Use:   "list",
		Short: "List proposals (open ones by default: pending, approved, executing)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := openResponder()
			if err != nil {
				return err
			}
			defer r.Close()
			f := respond.Filter{}
			switch status {
			case "open":
				f.Status = []respond.Status{respond.StatusPending, respond.StatusApproved, respond.StatusExecuting}
			case "all":
			default:
				f.Status = []respond.Status{respond.Status(status)}
			}
			ps, err := r.queue.List(context.Background(), f)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSTATUS\tACTION\tDEVICE\tSEVERITY\tCREATED\tREASON")
			for _, p := range ps {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Status, p.Action, p.Device.Name,
					p.Severity, p.Created.UTC().Format(time.RFC3339), cutText(p.Reason, 60))
			}
			return tw.Flush()
		},
	}
	list.Flags().StringVar(&status, "status", "open", "open, all, or one status (pending, approved, executing, denied, expired, executed, failed, dry-run)")

	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show one proposal",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := openResponder()
			if err != nil {
				return err
			}
			defer r.Close()
			p, err := r.queue.Get(context.Background(), args[0])
			if err != nil {
				return usageErr("%v", err)
			}
			showProposal(e, p)
			return nil
		},
	}
	cmd.AddCommand(list, show, decideCmd(e, "approve"), decideCmd(e, "deny"))
	return cmd
}

func decideCmd(e *env, verb string) *cobra.Command {
	var comment, as string
	c := &cobra.Command{
		Use:   verb + " ID",
		Short: strings.ToUpper(verb[:1]) + verb[1:] + " a proposal (recorded with who and when)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := openResponder()
			if err != nil {
				return err
			}
			defer r.Close()
			ctx := context.Background()
			var out respond.Outcome
			if verb == "approve" {
				out, err = r.exec.Approve(ctx, args[0], analyst(as), comment)
			} else {
				out, err = r.exec.Deny(ctx, args[0], analyst(as), comment)
			}
			if err != nil {
				return usageErr("%v", err)
			}
			fmt.Fprintf(e.stdout, "%s: %s", out.ID, out.Status)
			if out.Message != "" {
				fmt.Fprintf(e.stdout, " (%s)", out.Message)
			}
			fmt.Fprintln(e.stdout)
			return nil
		},
	}
	c.Flags().StringVar(&comment, "comment", "", "the analyst's comment (sent with the action to Defender)")
	c.Flags().StringVar(&as, "as", "", "who decides (default: the OS user)")
	return c
}

func showProposal(e *env, p respond.Proposal) {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k, v)
		}
	}
	row("id", p.ID)
	row("status", string(p.Status))
	row("action", p.Summary())
	row("device", p.Device.Name)
	row("reason", p.Reason)
	row("finding", p.FindingID)
	row("severity", fmt.Sprint(p.Severity))
	row("confidence", fmt.Sprintf("%.0f%%", 100*p.Confidence))
	row("proposed by", p.ProposedBy)
	row("created", p.Created.UTC().Format(time.RFC3339))
	row("expires", p.ExpiresAt.UTC().Format(time.RFC3339))
	if !p.DecidedAt.IsZero() {
		row("decided", fmt.Sprintf("%s by %s", p.DecidedAt.UTC().Format(time.RFC3339), p.DecidedBy))
	}
	row("comment", p.Comment)
	if !p.ClaimedAt.IsZero() {
		row("claimed", fmt.Sprintf("%s by %s", p.ClaimedAt.UTC().Format(time.RFC3339), p.ClaimedBy))
	}
	row("defender action", p.MDEActionID)
	row("result", p.Result)
	tw.Flush()
}

func cutText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func newAuditCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Inspect the tamper-evident audit log"}
	verify := &cobra.Command{
		Use:   "verify [FILE]",
		Short: "Check the audit log's hash chain; names the first bad record",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := ""
			if len(args) == 1 {
				path = args[0]
			} else {
				dir, err := stateDir()
				if err != nil {
					return err
				}
				path = filepath.Join(dir, "audit.jsonl")
			}
			rep, err := audit.Verify(path)
			var te *audit.TamperError
			if errors.As(err, &te) {
				fmt.Fprintf(e.stdout, "FAIL %v\n", te)
				return &exitError{code: ExitFindings}
			}
			if err != nil {
				return usageErr("%v", err)
			}
			fmt.Fprintf(e.stdout, "ok: %d records verify; last seq %d, hash %s\n", rep.Records, rep.LastSeq, rep.LastHash)
			if rep.HeadMissing {
				fmt.Fprintln(e.stdout, "note: no head file, so removal of trailing records could not be checked")
			}
			return nil
		},
	}
	cmd.AddCommand(verify)
	return cmd
}
