package cli

// This file implements "vigilbench minimise": the agent's
// MinimisationReport (tokens of minimised results against the same rows
// as CSV) over the lab workspace the query benchmark uses.

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/vigil-hunt/vigil/internal/agent"
	"github.com/vigil-hunt/vigil/internal/store"
)

func runMinimise(e *env, args []string) (bool, error) {
	var (
		c     common
		l     labFlags
		model string
	)
	fs := flag.NewFlagSet("minimise", flag.ContinueOnError)
	c.register(fs, "cpu")
	l.register(fs, 280, 30)
	fs.StringVar(&model, "model", "gpt-5.4-mini", "model whose tokenizer counts the tokens")
	if err := parse(e, fs, args); err != nil {
		return false, err
	}
	if err := c.check(); err != nil {
		return false, err
	}
	dir := filepath.Join(c.dir, "queries")
	rows, err := labWorkspace(e, dir, l.config(), l.rebuild)
	if err != nil {
		return false, err
	}
	w, err := store.Open(filepath.Join(dir, "ws"), store.Options{ReadOnly: true})
	if err != nil {
		return false, err
	}
	defer w.Close()
	src := agent.EngineSource{Catalog: w.Catalog(), Now: labEnd, Name: "lab"}
	sum, err := agent.MinimisationReport(context.Background(), src, agent.BenchQueries, model, agent.Config{Now: labEnd})
	if err != nil {
		return false, err
	}
	fmt.Fprintf(e.stdout, "minimise: agent.MinimisationReport on the %d-row lab workspace (%d devices, %d days)\n\n", total(rows), l.devices, l.days)
	_, err = sum.WriteTo(e.stdout)
	return true, err
}
