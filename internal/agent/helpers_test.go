package agent

// This file holds the test harness: recorded conversations loaded from
// testdata/conversations, in-memory tables built from their rows, the
// fake model server, a recording Proposer and golden transcripts.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/llm"
	"github.com/vigil-hunt/vigil/internal/llm/llmtest"
	"github.com/vigil-hunt/vigil/internal/respond"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

var update = flag.Bool("update", false, "rewrite testdata/transcripts")

// fixture is a recorded conversation: the data the queries run over, the
// hunter's findings, and what the model answered at each step.
type fixture struct {
	Description string                      `json:"description"`
	Model       string                      `json:"model"`
	Request     string                      `json:"request"`
	Now         time.Time                   `json:"now"`
	Tables      map[string][]map[string]any `json:"tables"`
	Hunter      []finding.Finding           `json:"hunter_findings,omitempty"`
	Config      struct {
		MaxSteps     int     `json:"max_steps,omitempty"`
		MaxProposals int     `json:"max_proposals,omitempty"`
		BudgetUSD    float64 `json:"budget_usd,omitempty"`
	} `json:"config"`
	Steps  []llmtest.Step `json:"steps"`
	Expect struct {
		Stop      string   `json:"stop"`
		Refusals  []string `json:"refusals"`
		Agent     int      `json:"agent_findings"`
		Dropped   int      `json:"dropped"`
		Proposals int      `json:"proposals"`
		Artefacts bool     `json:"artefacts"`
	} `json:"expect"`
}

func loadFixture(t *testing.T, name string) fixture {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "conversations", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

func fixtureNames(t *testing.T, prefix string) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "conversations", prefix+"*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures %s*: %v", prefix, err)
	}
	var out []string
	for _, f := range files {
		out = append(out, strings.TrimSuffix(filepath.Base(f), ".json"))
	}
	return out
}

// memCatalog builds tables from JSON rows, typed by the catalog schema;
// columns a row leaves out are null.
func memCatalog(t *testing.T, tables map[string][]map[string]any) *engine.MemCatalog {
	t.Helper()
	cat := engine.NewMemCatalog()
	for _, name := range sortedKeys(tables) {
		tab, ok := catalog.Default().Table(name)
		if !ok {
			t.Fatalf("unknown table %s", name)
		}
		s := tab.Schema()
		b := engine.NewBatch(s, len(tables[name]))
		for _, row := range tables[name] {
			for k := range row {
				if s.Index(k) < 0 {
					t.Fatalf("%s has no column %s", name, k)
				}
			}
			for j, c := range s.Columns {
				b.Cols[j].Append(jsonValue(t, c.Type, row[c.Name]))
			}
			b.N++
		}
		cat.Add(name, engine.NewMemTable(b))
	}
	return cat
}

func jsonValue(t *testing.T, typ types.Type, v any) value.Value {
	if v == nil {
		return value.Null(typ)
	}
	switch typ {
	case types.Datetime:
		tm, err := time.Parse(time.RFC3339Nano, v.(string))
		if err != nil {
			t.Fatal(err)
		}
		return value.OfDatetime(value.DatetimeOf(tm))
	case types.Long, types.Int:
		return value.OfLong(int64(v.(float64)))
	case types.Real, types.Decimal:
		return value.OfReal(v.(float64))
	case types.Bool:
		return value.OfBool(v.(bool))
	case types.Dynamic:
		b, _ := json.Marshal(v)
		d, err := value.ParseJSON(string(b))
		if err != nil {
			t.Fatal(err)
		}
		return value.OfDynamic(d)
	}
	return value.OfString(fmt.Sprint(v))
}

// recorder is a Proposer that records proposals and decides them with a
// response policy, as the queue would: with the zero Policy every
// proposal needs approval and stays pending. It has no way to execute.
type recorder struct {
	mu       sync.Mutex
	policy   respond.Policy
	got      []respond.Proposal
	statuses []respond.Status
}

func (r *recorder) Propose(ctx context.Context, p respond.Proposal) (string, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := respond.StatusPending
	switch r.policy.Evaluate(p).Verdict {
	case respond.Deny:
		st = respond.StatusDenied
	case respond.Allow:
		st = respond.StatusApproved
	}
	r.got = append(r.got, p)
	r.statuses = append(r.statuses, st)
	return fmt.Sprintf("P-%06d", len(r.got)), false, nil
}

// auditLog records audit entries in memory.
type auditLog struct {
	mu    sync.Mutex
	kinds []string
}

func (a *auditLog) Append(kind, actor string, payload any) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := json.Marshal(payload); err != nil {
		return err
	}
	a.kinds = append(a.kinds, kind)
	return nil
}

// testEnd is the fixed clock of model-client tests (no model retires).
var testEnd = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// harness is one agent wired to a fake model server.
type harness struct {
	srv      *llmtest.Server
	client   *llm.Client
	budget   *llm.Budget
	proposer *recorder
	audit    *auditLog
	agent    *Agent
}

type setup struct {
	model     string
	cfg       Config
	limits    llm.Limits
	source    Querier
	hunts     Hunts
	entities  Entities
	noPropose bool
	clock     func() time.Time
	key       string
}

func newHarness(t *testing.T, s setup, steps ...llmtest.Step) *harness {
	t.Helper()
	if s.model == "" {
		s.model = "gpt-5.4-mini"
	}
	h := &harness{srv: llmtest.NewServer(t, steps...), proposer: &recorder{}, audit: &auditLog{}}
	h.srv.Key = s.key
	cfg := llm.Config{Provider: llm.ProviderOpenAI, BaseURL: h.srv.BaseURL(), Model: s.model, APIKey: "sk-test-0123456789"}
	clock := func() time.Time { return testEnd }
	var err error
	h.client, err = llm.New(cfg, nil, llm.WithHTTPClient(h.srv.Client()), llm.WithClock(clock),
		llm.WithRetry(llm.Retry{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if h.budget, err = llm.NewBudget(s.limits, "", clock); err != nil {
		t.Fatal(err)
	}
	deps := Deps{Model: h.client, Source: s.source, Budget: h.budget, Hunts: s.hunts, Entities: s.entities,
		Audit: h.audit, Clock: s.clock}
	if !s.noPropose {
		deps.Proposer = h.proposer
	}
	if deps.Clock == nil {
		deps.Clock = clock
	}
	if h.agent, err = New(s.cfg, deps); err != nil {
		t.Fatal(err)
	}
	return h
}

// fixtureHarness wires a fixture's tables, config and script.
func fixtureHarness(t *testing.T, f fixture) *harness {
	src := EngineSource{Catalog: memCatalog(t, f.Tables), Now: f.Now, Name: "fixture"}
	s := setup{model: f.Model, source: src, limits: llm.Limits{InvestigationUSD: f.Config.BudgetUSD},
		cfg: Config{Now: f.Now, MaxSteps: f.Config.MaxSteps, MaxProposals: f.Config.MaxProposals}}
	return newHarness(t, s, f.Steps...)
}

// transcript renders the last request the server received, which holds
// the whole conversation, one message per block.
func transcript(h *harness) string {
	reqs := h.srv.Requests()
	var b strings.Builder
	for i, rec := range reqs {
		fmt.Fprintf(&b, "=== request %d: %d messages, tool_choice %s, %d prompt tokens billed\n", i, len(rec.Request.Messages), rec.Request.ToolChoiceString(), rec.PromptTokens)
	}
	if len(reqs) == 0 {
		return b.String()
	}
	for _, m := range reqs[len(reqs)-1].Request.Messages {
		fmt.Fprintf(&b, "\n--- %s", m.Role)
		if m.ToolCallID != "" {
			fmt.Fprintf(&b, " (%s)", m.ToolCallID)
		}
		b.WriteString("\n" + m.Text())
		for _, c := range m.ToolCalls {
			fmt.Fprintf(&b, "\n→ %s %s", c.Function.Name, c.Function.Arguments)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// golden compares got with testdata/transcripts/NAME.txt (-update rewrites).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "transcripts", name+".txt")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("transcript differs from %s (run with -update if intended):\n%s", path, got)
	}
}

// deviation is the offline estimate of one call against what was billed.
type deviation struct {
	name             string
	estimate, billed int
}

func (d deviation) relative() float64 {
	return float64(d.estimate-d.billed) / float64(d.billed)
}

// reportDeviation asserts every estimate is within ±5% of the billed
// prompt tokens and logs the figures.
func reportDeviation(t *testing.T, devs []deviation) {
	t.Helper()
	var sum, worst float64
	for _, d := range devs {
		r := d.relative()
		sum += math.Abs(r)
		worst = math.Max(worst, math.Abs(r))
		if testing.Verbose() {
			t.Logf("%-28s estimate %6d  billed %6d  %+6.2f%%", d.name, d.estimate, d.billed, 100*r)
		}
		if math.Abs(r) > 0.05 {
			t.Errorf("%s: estimate %d is %+.2f%% off the billed %d (limit ±5%%)", d.name, d.estimate, 100*r, d.billed)
		}
	}
	if len(devs) > 0 {
		t.Logf("estimate vs billed prompt tokens over %d model calls: mean |error| %.2f%%, worst %.2f%%", len(devs), 100*sum/float64(len(devs)), 100*worst)
	}
}
