// This file enforces spending limits before each call: per investigation and
// per day, in tokens and dollars, with the day's spend kept in a small file.

package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// SpendFile is the name of the per-day spend file in the budget directory.
const SpendFile = "llm-spend.json"

// ErrOverBudget is wrapped by the *BudgetError Reserve returns.
var ErrOverBudget = errors.New("over budget")

// Limits caps spending; a zero field means no limit.
type Limits struct {
	InvestigationTokens int     `json:"investigation_tokens,omitempty"`
	InvestigationUSD    float64 `json:"investigation_usd,omitempty"`
	DayTokens           int     `json:"day_tokens,omitempty"`
	DayUSD              float64 `json:"day_usd,omitempty"`
}

// BudgetError says which limit a call would break.
type BudgetError struct {
	Scope string // "investigation" or "day"
	Unit  string // "tokens" or "USD"
	Limit float64
	Spent float64 // already spent or reserved
	Need  float64 // the call's worst case
}

func (e *BudgetError) Error() string {
	f := func(v float64) string {
		if e.Unit == "USD" {
			return fmt.Sprintf("$%.4f", v)
		}
		return groupDigits(int64(v)) + " tokens"
	}
	return fmt.Sprintf("over the per-%s budget: the call may use up to %s, %s of %s already spent",
		e.Scope, f(e.Need), f(e.Spent), f(e.Limit))
}

func (e *BudgetError) Unwrap() error { return ErrOverBudget }

// Budget tracks one investigation and the day it runs in. Reserve before a
// call with its Estimate; Record after it with the actual Usage (zero Usage
// if the call failed) to release the reservation. Safe for concurrent use.
type Budget struct {
	mu       sync.Mutex
	limits   Limits
	dir      string
	now      func() time.Time
	run      Spend
	reserved []Spend // outstanding reservations, oldest first
	memDay   daySpend
}

type daySpend struct {
	Day string `json:"day"` // YYYY-MM-DD, UTC
	Spend
}

// NewBudget starts an investigation's budget. dir holds the per-day spend
// file (created if needed); an empty dir keeps the day's spend in memory.
// now nil means time.Now.
func NewBudget(limits Limits, dir string, now func() time.Time) (*Budget, error) {
	if now == nil {
		now = time.Now
	}
	b := &Budget{limits: limits, dir: dir, now: now}
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		if _, err := b.today(); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// Reserve admits a call whose worst case is e, or returns a *BudgetError
// (wrapping ErrOverBudget) naming the first limit it would break. The agent
// can then send fewer rows, switch to Prices.CheaperModel, or stop.
func (b *Budget) Reserve(e Estimate) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	day, err := b.today()
	if err != nil {
		return err
	}
	pending := b.pending()
	need := Spend{Calls: 1, Tokens: e.Tokens(), USD: e.WorstCaseUSD}
	checks := []struct {
		scope, unit  string
		limit, spent float64
		need         float64
	}{
		{"investigation", "tokens", float64(b.limits.InvestigationTokens), float64(b.run.Tokens + pending.Tokens), float64(need.Tokens)},
		{"investigation", "USD", b.limits.InvestigationUSD, b.run.USD + pending.USD, need.USD},
		{"day", "tokens", float64(b.limits.DayTokens), float64(day.Tokens + pending.Tokens), float64(need.Tokens)},
		{"day", "USD", b.limits.DayUSD, day.USD + pending.USD, need.USD},
	}
	for _, c := range checks {
		if c.limit > 0 && c.spent+c.need > c.limit {
			return &BudgetError{Scope: c.scope, Unit: c.unit, Limit: c.limit, Spent: c.spent, Need: c.need}
		}
	}
	b.reserved = append(b.reserved, need)
	return nil
}

// Record adds a call's actual usage, releases the oldest reservation and
// saves the day's spend. A zero Usage (failed call) only releases.
func (b *Budget) Record(u Usage) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.reserved) > 0 {
		b.reserved = b.reserved[1:]
	}
	if u == (Usage{}) {
		return nil
	}
	b.run.Add(u)
	day, err := b.today()
	if err != nil {
		return err
	}
	day.Add(u)
	return b.save(day)
}

// Investigation is what this investigation has spent.
func (b *Budget) Investigation() Spend {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.run
}

// Today is what has been spent today (UTC), by every investigation sharing
// the directory.
func (b *Budget) Today() (Spend, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, err := b.today()
	return d.Spend, err
}

// Remaining is the smaller of the investigation's and the day's headroom,
// excluding outstanding reservations; math.MaxInt and +Inf mean unlimited.
func (b *Budget) Remaining() (tokens int, usd float64, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	day, err := b.today()
	if err != nil {
		return 0, 0, err
	}
	p := b.pending()
	tokens, usd = math.MaxInt, math.Inf(1)
	if l := b.limits.InvestigationTokens; l > 0 {
		tokens = min(tokens, l-b.run.Tokens-p.Tokens)
	}
	if l := b.limits.DayTokens; l > 0 {
		tokens = min(tokens, l-day.Tokens-p.Tokens)
	}
	if l := b.limits.InvestigationUSD; l > 0 {
		usd = math.Min(usd, l-b.run.USD-p.USD)
	}
	if l := b.limits.DayUSD; l > 0 {
		usd = math.Min(usd, l-day.USD-p.USD)
	}
	return max(tokens, 0), math.Max(usd, 0), nil
}

func (b *Budget) pending() Spend {
	var s Spend
	for _, r := range b.reserved {
		s.Calls += r.Calls
		s.Tokens += r.Tokens
		s.USD += r.USD
	}
	return s
}

// today reads the day's spend; a file from an earlier day counts as zero.
// It is re-read on every use so that concurrent vigil runs see each other.
func (b *Budget) today() (daySpend, error) {
	key := b.now().UTC().Format(time.DateOnly)
	d := b.memDay
	if b.dir != "" {
		d = daySpend{}
		data, err := os.ReadFile(filepath.Join(b.dir, SpendFile))
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return daySpend{}, err
		default:
			if err := json.Unmarshal(data, &d); err != nil {
				return daySpend{}, fmt.Errorf("%s: %w", SpendFile, err)
			}
		}
	}
	if d.Day != key {
		d = daySpend{Day: key}
	}
	return d, nil
}

// save writes the day's spend atomically: a temp file in the same directory,
// synced, then renamed over the old one.
func (b *Budget) save(d daySpend) error {
	if b.dir == "" {
		b.memDay = d
		return nil
	}
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(b.dir, ".llm-spend-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(b.dir, SpendFile))
}
