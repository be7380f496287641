package cli

// This file sets up agent mode: a configured model hunts beside the
// deterministic hunter, under guardrails and a budget.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/vigil-hunt/vigil/internal/agent"
	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/llm"
	"github.com/vigil-hunt/vigil/internal/respond"
	"github.com/vigil-hunt/vigil/kql/engine"
)

// defaultLimits keep a hunt with a hosted model well under a cent.
var defaultLimits = llm.Limits{InvestigationUSD: 0.01, DayUSD: 1}

// modelSettings is the llm section of config.yaml.
type modelSettings struct {
	llm.Config
	Budget llm.Limits `json:"budget"`
	Prices string     `json:"prices,omitempty"` // a price file merged over the built-in table
}

// openModel resolves the model configuration from config.yaml's llm
// section, the environment and a .env file in the working directory. It
// returns an error wrapping llm.ErrNotConfigured when no model is set up.
func openModel(dir string) (*llm.Client, llm.Limits, *llm.Prices, error) {
	cfg, err := loadConfig(dir)
	if err != nil {
		return nil, llm.Limits{}, nil, err
	}
	var ms modelSettings
	if b, err := cfg.section("llm"); err != nil {
		return nil, llm.Limits{}, nil, err
	} else if b != nil {
		if err := json.Unmarshal(b, &ms); err != nil {
			return nil, llm.Limits{}, nil, fmt.Errorf("%s: llm: %w", cfg.path, err)
		}
	}
	dotenv, err := llm.ReadDotenv(".env")
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, llm.Limits{}, nil, err
	}
	c, err := llm.Resolve(ms.Config, os.Getenv, dotenv)
	if err != nil {
		return nil, llm.Limits{}, nil, err
	}
	prices, err := llm.LoadPrices(ms.Prices)
	if err != nil {
		return nil, llm.Limits{}, nil, err
	}
	client, err := llm.New(c, prices)
	if err != nil {
		return nil, llm.Limits{}, nil, err
	}
	limits := ms.Budget
	if limits == (llm.Limits{}) {
		limits = defaultLimits
	}
	return client, limits, prices, nil
}

// runAgent lets the configured model hunt too and merges its findings with
// the hunter's. Without a model it says so in one line and returns the
// hunter's findings unchanged.
func runAgent(ctx context.Context, e *env, request string, now time.Time, cat engine.Catalog, hunter []finding.Finding) []finding.Finding {
	dir, err := stateDir()
	if err != nil {
		return hunter
	}
	client, limits, _, err := openModel(dir)
	if errors.Is(err, llm.ErrNotConfigured) {
		fmt.Fprintln(e.stderr, "vigil: no model configured; the offline hunter ran alone")
		return hunter
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil: agent mode unavailable (%v); the offline hunter ran alone\n", err)
		return hunter
	}
	budget, err := llm.NewBudget(limits, dir, time.Now)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil: agent budget: %v\n", err)
		return hunter
	}
	r, err := openResponder()
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil: agent: %v\n", err)
		return hunter
	}
	defer r.Close()
	a, err := agent.New(agent.Config{Now: now}, agent.Deps{
		Model: client, Source: agent.EngineSource{Catalog: cat, Now: now, Name: "workspace"},
		Budget: budget, Proposer: proposerFunc(r.queue), Audit: respond.AuditTo(r.log),
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil: agent: %v\n", err)
		return hunter
	}
	res, err := a.Run(ctx, request, hunter)
	if res == nil {
		fmt.Fprintf(e.stderr, "vigil: agent: %v\n", err)
		return hunter
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil: agent stopped: %v\n", err)
	}
	fmt.Fprintf(e.stderr, "vigil: agent: %s\n", res.CostLine())
	return res.Findings
}

// proposerFunc adapts the approval queue to the agent's Proposer.
func proposerFunc(q *respond.Queue) agent.Proposer { return q }
