package agent

// This file holds the package's public API: the configuration, the
// dependencies the agent is given, Run and the Result it returns.

import (
	"context"
	"errors"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/finding/attack"
	"github.com/vigil-hunt/vigil/internal/llm"
	"github.com/vigil-hunt/vigil/internal/respond"
	"github.com/vigil-hunt/vigil/kql/engine"
)

// Model is the chat model; *llm.Client implements it.
type Model interface {
	Chat(ctx context.Context, req llm.Request) (llm.Response, error)
	Estimate(req llm.Request) (llm.Estimate, error)
	Model() string
	Prices() *llm.Prices
}

// Querier runs a query the guard has let through. maxRows caps every
// result table. EngineSource adapts an in-memory engine catalog.
type Querier interface {
	Query(ctx context.Context, kql string, maxRows int) (*QueryResult, error)
}

// QueryResult is what a Querier returned.
type QueryResult struct {
	Tables    []*engine.Batch
	Truncated bool   // rows are missing (a cap or the service's limit)
	Source    string // data source label for evidence: "lab", a workspace id
}

// HuntInfo describes one hunt of the library to the model.
type HuntInfo struct {
	ID          string
	Title       string
	Description string
	Techniques  []string
	Tables      []string
	Params      []string // parameters the model may set
}

// Hunts is the hunt library as the agent sees it.
type Hunts interface {
	List() []HuntInfo
	// Run runs a hunt with parameters bound by name and returns its rows
	// and the exact KQL that ran.
	Run(ctx context.Context, id string, params map[string]string) (rows *engine.Batch, kql string, err error)
}

// EntityInfo is what the environment knows about an entity.
type EntityInfo struct {
	Role         string   // workstation, server, domain-controller, …
	Criticality  int      // 0 (none) … 5 (domain controllers)
	Tags         []string // machine tags, groups
	RecentAlerts []string // titles of recent alerts
}

// Entities answers entity_context; the lead wires inventory and alerts.
type Entities interface {
	Context(ctx context.Context, kind, value string) (EntityInfo, error)
}

// Proposer records a response proposal; *respond.Queue implements it. The
// agent never executes anything: a proposal waits for the response
// policy and, by default, an analyst.
type Proposer interface {
	Propose(ctx context.Context, p respond.Proposal) (id string, joined bool, err error)
}

// Auditor records one audit entry; respond.AuditTo(log) fits.
type Auditor interface {
	Append(kind, actor string, payload any) error
}

// Deps are the agent's collaborators. Model and Source are required; a
// nil Hunts, Entities or Proposer disables the tool that needs it.
type Deps struct {
	Model    Model
	Source   Querier
	Budget   *llm.Budget // nil: an unlimited budget that still counts
	Hunts    Hunts
	Entities Entities
	Proposer Proposer
	Audit    Auditor
	Attack   *attack.Catalog  // nil: attack.Default()
	Clock    func() time.Time // wall clock for the time limit; nil: time.Now
}

// Config tunes a run. The zero value takes the defaults noted.
type Config struct {
	MaxSteps        int           // model calls per run; default 12
	MaxDuration     time.Duration // wall-clock limit; default 5m
	MaxOutputTokens int           // per model call; default 1500
	MaxProposals    int           // propose_action calls honoured per run; default 3
	// Now is "now" for time bounds and the prompt; zero: the clock at Run.
	Now time.Time
	// NoDowngrade keeps the configured model when the budget runs short.
	NoDowngrade bool
	Guard       GuardConfig
	Show        ShowConfig
}

func (c Config) withDefaults() Config {
	if c.MaxSteps <= 0 {
		c.MaxSteps = 12
	}
	if c.MaxDuration <= 0 {
		c.MaxDuration = 5 * time.Minute
	}
	if c.MaxOutputTokens <= 0 {
		c.MaxOutputTokens = 1500
	}
	if c.MaxProposals <= 0 {
		c.MaxProposals = 3
	}
	c.Guard = c.Guard.withDefaults()
	c.Show = c.Show.withDefaults()
	return c
}

// Agent runs LLM hunts. It is safe for concurrent use; each Run has its
// own conversation and evidence.
type Agent struct {
	cfg   Config
	deps  Deps
	guard *Guard
	tools []llm.Tool
}

// New checks the dependencies and builds an agent.
func New(cfg Config, deps Deps) (*Agent, error) {
	if deps.Model == nil || deps.Source == nil {
		return nil, errors.New("agent: a model and a source are required")
	}
	if deps.Attack == nil {
		deps.Attack = attack.Default()
	}
	if deps.Clock == nil {
		deps.Clock = time.Now
	}
	cfg = cfg.withDefaults()
	a := &Agent{cfg: cfg, deps: deps, guard: NewGuard(cfg.Guard)}
	a.tools = toolDefs(a)
	for _, t := range a.tools {
		if err := llm.ValidateTool(t); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Result is what a run produced. Findings is always set, even when the
// model failed: the hunter's findings never depend on the model.
type Result struct {
	// Findings are the hunter's findings, the agent's validated findings
	// and the suspicious-artefact finding, merged (finding.Merge) and
	// cross-checked.
	Findings []finding.Finding
	// Agent are the agent's findings that survived validation.
	Agent     []finding.Finding
	Dropped   []Dropped  // agent findings refused, and why
	Artefacts []Artefact // injected-looking text found in returned data
	Proposals []Proposal // what the model proposed; nothing was executed
	Refusals  []Refusal  // tool calls the guardrails refused
	Calls     []Call     // one per model call
	Evidence  *Evidence  // every row returned to the model, by handle
	Spend     llm.Spend  // this run's model usage
	Steps     int        // model calls made
	Stop      string     // why the run ended, for the analyst
	Submitted bool       // the model called submit_findings
	Summary   string     // the model's own summary (untrusted prose)
	Notes     []string   // degradations: shrunk results, cheaper model
}

// CostLine is the run's cost, e.g. "4 model calls, 3,812 tokens, $0.0011".
func (r *Result) CostLine() string { return r.Spend.String() }

// Dropped is an agent finding that failed validation.
type Dropped struct {
	Title  string
	Reason string
}

// Proposal is a response action the model proposed.
type Proposal struct {
	ID      string // the queue's id
	Joined  bool   // merged into an open proposal
	Summary string // built from fields: "isolate ws-01 (Full)"
	Reason  string // the model's words
}

// Call is one model call: the offline estimate beside what was billed.
type Call struct {
	Model            string
	EstimatedInput   int
	PromptTokens     int
	CompletionTokens int
	USD              float64
	FinishReason     string
	RequestID        string
}
