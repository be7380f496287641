// This file loads the price table, which is also the allow-list of models:
// an embedded prices.json merged with an optional user file.

package llm

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"time"

	"github.com/tiktoken-go/tokenizer"
)

//go:embed prices.json
var defaultPrices []byte

// Errors from the allow-list check, wrapped by *ModelError.
var (
	ErrModelNotAllowed = errors.New("model not in the price table")
	ErrModelRetired    = errors.New("model retired")
)

// Model is one row of the price table. Prices are USD per 1M tokens.
type Model struct {
	Input         float64 `json:"input"`
	CachedInput   float64 `json:"cached_input"`
	Output        float64 `json:"output"`
	Encoding      string  `json:"encoding,omitempty"`
	ContextWindow int     `json:"context_window,omitempty"`
	MaxOutput     int     `json:"max_output,omitempty"`
	Shutdown      string  `json:"shutdown,omitempty"` // YYYY-MM-DD, retired on and after this day
	Cheaper       string  `json:"cheaper,omitempty"`  // next model down, for CheaperModel
	Local         bool    `json:"local,omitempty"`    // a local model: zero price, compatible servers only
	Note          string  `json:"note,omitempty"`
}

// Cost prices u: uncached prompt at Input, cached prompt at CachedInput,
// completion (reasoning included) at Output.
func (m Model) Cost(u Usage) float64 {
	cached := min(u.CachedTokens, u.PromptTokens)
	return (float64(u.PromptTokens-cached)*m.Input +
		float64(cached)*m.CachedInput +
		float64(u.CompletionTokens)*m.Output) / 1e6
}

// blended is the price of a typical agent call, 4 input tokens per output
// token, used to order models.
func (m Model) blended() float64 { return m.Input + m.Output/4 }

func (m Model) shutdownDate() (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, m.Shutdown)
	return t, err == nil
}

// Prices is the price table and allow-list. Now is the clock used to decide
// retirement; nil means time.Now.
type Prices struct {
	models map[string]Model
	Now    func() time.Time
}

type pricesFile struct {
	About  string           `json:"about,omitempty"`
	Models map[string]Model `json:"models"`
}

// DefaultPrices returns the embedded table.
func DefaultPrices() *Prices {
	p, err := ParsePrices(defaultPrices)
	if err != nil {
		panic("llm: embedded prices.json: " + err.Error())
	}
	return p
}

// LoadPrices returns the embedded table with the user file at path merged
// over it (an entry there replaces the built-in one of the same name). An
// empty path or a missing file yields the embedded table.
func LoadPrices(path string) (*Prices, error) {
	p := DefaultPrices()
	if path == "" {
		return p, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	user, err := ParsePrices(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	maps.Copy(p.models, user.models)
	return p, nil
}

// ParsePrices parses a table in the prices.json format. Unknown fields are
// errors, so a typo does not silently price a model at zero.
func ParsePrices(data []byte) (*Prices, error) {
	var f pricesFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("price table: %w", err)
	}
	for name, m := range f.Models {
		if err := checkModel(name, m); err != nil {
			return nil, fmt.Errorf("price table: %w", err)
		}
	}
	if f.Models == nil {
		f.Models = map[string]Model{}
	}
	return &Prices{models: f.Models}, nil
}

func checkModel(name string, m Model) error {
	switch {
	case m.Input < 0 || m.CachedInput < 0 || m.Output < 0:
		return fmt.Errorf("model %q: negative price", name)
	case m.Local && (m.Input != 0 || m.CachedInput != 0 || m.Output != 0):
		return fmt.Errorf("model %q: a local model has zero prices", name)
	case m.Shutdown != "":
		if _, ok := m.shutdownDate(); !ok {
			return fmt.Errorf("model %q: shutdown %q is not YYYY-MM-DD", name, m.Shutdown)
		}
	}
	if m.Encoding != "" {
		if _, err := tokenizer.Get(tokenizer.Encoding(m.Encoding)); err != nil {
			return fmt.Errorf("model %q: unknown encoding %q", name, m.Encoding)
		}
	}
	return nil
}

var datedSuffix = regexp.MustCompile(`-\d{4}-\d{2}-\d{2}$`)

// Lookup finds a model's row; a dated snapshot ("gpt-4.1-mini-2025-04-14")
// falls back to its base name.
func (p *Prices) Lookup(model string) (Model, bool) {
	if m, ok := p.models[model]; ok {
		return m, true
	}
	m, ok := p.models[datedSuffix.ReplaceAllString(model, "")]
	return m, ok
}

// Names lists the table's models in order.
func (p *Prices) Names() []string {
	return slices.Sorted(maps.Keys(p.models))
}

// WithLocal returns a copy of p in which the named models are allowed as
// local models at zero price (names already priced are left alone).
func (p *Prices) WithLocal(names ...string) *Prices {
	q := &Prices{models: maps.Clone(p.models), Now: p.Now}
	for _, n := range names {
		if _, ok := q.models[n]; !ok {
			q.models[n] = Model{Local: true, Note: "allowed local model"}
		}
	}
	return q
}

func (p *Prices) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// ModelError says why a model may not be used.
type ModelError struct {
	Model    string
	Shutdown string // set when retired
	Err      error  // ErrModelNotAllowed or ErrModelRetired
}

func (e *ModelError) Error() string {
	if errors.Is(e.Err, ErrModelRetired) {
		return fmt.Sprintf("model %s was retired on %s; pick another model from the price table", e.Model, e.Shutdown)
	}
	return fmt.Sprintf("model %q is not in the price table (the allow-list); add it to your prices file to use it", e.Model)
}

func (e *ModelError) Unwrap() error { return e.Err }

// Check returns the model's row if it may be used now: listed, and not past
// its shutdown date.
func (p *Prices) Check(model string) (Model, error) {
	m, ok := p.Lookup(model)
	if !ok {
		return Model{}, &ModelError{Model: model, Err: ErrModelNotAllowed}
	}
	if p.retired(m) {
		return Model{}, &ModelError{Model: model, Shutdown: m.Shutdown, Err: ErrModelRetired}
	}
	return m, nil
}

func (p *Prices) retired(m Model) bool {
	t, ok := m.shutdownDate()
	return ok && !p.now().Before(t)
}

// CheaperModel names an allowed, unretired model cheaper than current: its
// "cheaper" entry if that qualifies (following the chain), otherwise the
// dearest hosted model that is cheaper by blended price (4 input : 1 output).
// It reports false for local or unknown models and at the bottom of the table.
func (p *Prices) CheaperModel(current string) (string, bool) {
	cur, ok := p.Lookup(current)
	if !ok || cur.Local {
		return "", false
	}
	for name, seen := cur.Cheaper, 0; name != "" && seen < len(p.models); seen++ {
		m, ok := p.models[name]
		if !ok {
			break
		}
		if !p.retired(m) && !m.Local && m.blended() < cur.blended() {
			return name, true
		}
		name = m.Cheaper
	}
	return p.nextCheaper(cur)
}

func (p *Prices) nextCheaper(cur Model) (string, bool) {
	best, found := "", false
	for _, name := range p.Names() {
		m := p.models[name]
		if m.Local || p.retired(m) || m.blended() >= cur.blended() {
			continue
		}
		if !found || m.blended() > p.models[best].blended() {
			best, found = name, true
		}
	}
	return best, found
}
