// Package conformance runs documented KQL examples through the engine and
// compares the results with the documented outputs.
//
// The documentation prints every cell as display text (datetimes as
// "2017-01-01 00:05:00.0000000", reals rounded, dynamic values as JSON
// spread over lines), so comparison is type-aware and lenient in the ways
// a reader would be: a real matches when it agrees to the precision shown,
// a dynamic value when the JSON means the same, an empty cell when the
// value is null or empty.
package conformance

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
)

// Example is one documented query with its expected output.
type Example struct {
	ID       string `json:"id"`
	Doc      string `json:"doc"`
	Query    string `json:"query"`
	Expected struct {
		Columns []string   `json:"columns"`
		Rows    [][]string `json:"rows"`
	} `json:"expected"`
	Ordered          bool     `json:"ordered"`
	Nondeterministic []string `json:"nondeterministic"`
	PartialOutput    bool     `json:"partial_output"`
	BareScalar       bool     `json:"bare_scalar_expression"`
}

// Geo reports whether the example exercises the geospatial functions,
// which are reported apart.
func (e *Example) Geo() bool { return strings.Contains(e.Query, "geo_") }

// Load reads examples from a JSON-lines file. A malformed line is an error
// naming the file and line.
func Load(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(path, f)
}

// Read reads examples from r; name is used in errors.
func Read(name string, r io.Reader) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var ex Example
		if err := json.Unmarshal(text, &ex); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if ex.ID == "" || ex.Query == "" {
			return nil, fmt.Errorf("%s:%d: example without id or query", name, line)
		}
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// Outcome is the result of one example.
type Outcome struct {
	ID   string
	Doc  string
	Geo  bool
	Pass bool
	// Diff says what differed or which error the query raised.
	Diff string
}

// Now is the clock examples run with; outputs that depend on it are
// flagged nondeterministic and only their shape is compared.
var Now = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Run runs one example and compares its result.
func Run(ctx context.Context, ex *Example, timeout time.Duration) Outcome {
	o := Outcome{ID: ex.ID, Doc: ex.Doc, Geo: ex.Geo()}
	q := ex.Query
	if ex.BareScalar {
		q = "print " + q
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res, err := engine.Query(ctx, q, engine.Options{Now: Now, Catalog: engine.NewMemCatalog()})
	if err != nil {
		o.Diff = "error: " + oneLine(err.Error())
		return o
	}
	if len(res.Tables) == 0 {
		o.Diff = "no result table"
		return o
	}
	// A query with several statements (or fork/facet) returns several
	// tables; the documentation shows one of them.
	for _, t := range res.Tables {
		if d := Compare(ex, t); d == "" {
			o.Pass = true
			return o
		} else if o.Diff == "" {
			o.Diff = d
		}
	}
	return o
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
