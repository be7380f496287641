package llm

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBudgetReserve(t *testing.T) {
	call := Estimate{InputTokens: 3000, MaxOutputTokens: 800, WorstCaseUSD: 0.0016}
	used := Usage{PromptTokens: 3000, CompletionTokens: 500, USD: 0.0012}
	tests := []struct {
		name   string
		limits Limits
		before int // calls recorded before the checked Reserve
		scope  string
		unit   string
	}{
		{"no limits", Limits{}, 5, "", ""},
		{"investigation tokens", Limits{InvestigationTokens: 10000}, 2, "investigation", "tokens"},
		{"investigation dollars", Limits{InvestigationUSD: 0.005}, 3, "investigation", "USD"},
		{"day tokens", Limits{InvestigationTokens: 1e6, DayTokens: 5000}, 1, "day", "tokens"},
		{"day dollars", Limits{DayUSD: 0.002}, 1, "day", "USD"},
		{"first call over the cap", Limits{InvestigationUSD: 0.001}, 0, "investigation", "USD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := NewBudget(tt.limits, t.TempDir(), fixedClock)
			if err != nil {
				t.Fatal(err)
			}
			for range tt.before {
				if err := b.Reserve(call); err != nil {
					t.Fatalf("early refusal: %v", err)
				}
				if err := b.Record(used); err != nil {
					t.Fatal(err)
				}
			}
			err = b.Reserve(call)
			var be *BudgetError
			if tt.scope == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrOverBudget) || !errors.As(err, &be) || be.Scope != tt.scope || be.Unit != tt.unit {
				t.Fatalf("err = %v, want %s %s", err, tt.scope, tt.unit)
			}
			if !strings.Contains(err.Error(), "per-"+tt.scope+" budget") {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestBudgetReservationsHold(t *testing.T) {
	b, _ := NewBudget(Limits{InvestigationTokens: 9000}, "", fixedClock)
	e := Estimate{InputTokens: 3000, MaxOutputTokens: 1000}
	if b.Reserve(e) != nil || b.Reserve(e) != nil {
		t.Fatal("two reservations should fit")
	}
	if err := b.Reserve(e); !errors.Is(err, ErrOverBudget) {
		t.Fatalf("third concurrent reservation admitted: %v", err)
	}
	b.Record(Usage{}) // a failed call releases its reservation
	if err := b.Reserve(e); err != nil {
		t.Errorf("released reservation still held: %v", err)
	}
}

func TestBudgetDayFile(t *testing.T) {
	dir := t.TempDir()
	now := testNow
	clock := func() time.Time { return now }
	u := Usage{PromptTokens: 3000, CompletionTokens: 812, USD: 0.0011}

	b1, _ := NewBudget(Limits{DayTokens: 10000}, dir, clock)
	b1.Reserve(Estimate{InputTokens: 3000, MaxOutputTokens: 800})
	if err := b1.Record(u); err != nil {
		t.Fatal(err)
	}
	// A second investigation the same day sees the first one's spend.
	b2, _ := NewBudget(Limits{DayTokens: 10000}, dir, clock)
	today, err := b2.Today()
	if err != nil || today.Tokens != 3812 || today.Calls != 1 {
		t.Fatalf("Today = %+v, %v", today, err)
	}
	if err := b2.Reserve(Estimate{InputTokens: 6000, MaxOutputTokens: 800}); !errors.Is(err, ErrOverBudget) {
		t.Errorf("day limit ignored the other run: %v", err)
	}
	if b2.Investigation().Tokens != 0 {
		t.Errorf("investigation spend leaked across runs")
	}
	// The file is the whole state, written atomically (no temp files left).
	data, _ := os.ReadFile(filepath.Join(dir, SpendFile))
	var d daySpend
	if err := json.Unmarshal(data, &d); err != nil || d.Day != "2026-11-20" || d.Tokens != 3812 {
		t.Errorf("spend file = %s (%v)", data, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only %s", len(entries), SpendFile)
	}
	// The next day starts from zero.
	now = now.Add(24 * time.Hour)
	if today, _ := b2.Today(); today != (Spend{}) {
		t.Errorf("next day = %+v", today)
	}
}

func TestBudgetRemaining(t *testing.T) {
	b, _ := NewBudget(Limits{InvestigationTokens: 10000, DayUSD: 0.01}, "", fixedClock)
	b.Reserve(Estimate{InputTokens: 1000, MaxOutputTokens: 500, WorstCaseUSD: 0.001})
	b.Record(Usage{PromptTokens: 1000, CompletionTokens: 200, USD: 0.0005})
	tokens, usd, err := b.Remaining()
	if err != nil || tokens != 8800 || math.Abs(usd-0.0095) > 1e-12 {
		t.Errorf("Remaining = %d %v %v", tokens, usd, err)
	}
	free, _ := NewBudget(Limits{}, "", fixedClock)
	if tokens, usd, _ := free.Remaining(); tokens != math.MaxInt || !math.IsInf(usd, 1) {
		t.Errorf("unlimited Remaining = %d %v", tokens, usd)
	}
}

func TestSpendString(t *testing.T) {
	tests := []struct {
		s    Spend
		want string
	}{
		{Spend{Calls: 4, Tokens: 3812, USD: 0.0011}, "4 model calls, 3,812 tokens, $0.0011"},
		{Spend{Calls: 1, Tokens: 950, USD: 0.00031}, "1 model call, 950 tokens, $0.0003"},
		{Spend{Calls: 12, Tokens: 1234567, USD: 1.5}, "12 model calls, 1,234,567 tokens, $1.50"},
		{Spend{Calls: 3, Tokens: 2100}, "3 model calls, 2,100 tokens, $0"},
		{Spend{Calls: 1, Tokens: 40, USD: 0.00001}, "1 model call, 40 tokens, <$0.0001"},
		{Spend{}, "0 model calls, 0 tokens, $0"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("%+v = %q, want %q", tt.s, got, tt.want)
		}
	}
	var s Spend
	for _, u := range []Usage{{PromptTokens: 900, CompletionTokens: 50, USD: 0.0003}, {PromptTokens: 1000, CompletionTokens: 62, USD: 0.0002}} {
		s.Add(u)
	}
	if got := s.String(); got != "2 model calls, 2,012 tokens, $0.0005" {
		t.Errorf("accumulated = %q", got)
	}
}
