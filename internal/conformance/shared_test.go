package conformance

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/internal/store"
	"github.com/vigil-hunt/vigil/kql/check"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
)

const shared = "../../../shared/data"

// Floors below which the shared-data tests fail. They guard what the
// engine has reached; the bars (90% of non-geospatial examples,
// 95% of accepted corpus queries) are the targets.
const (
	minExampleRate = 0.90
	minCorpusRate  = 0.95
)

func sharedFile(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(shared, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("skipped: %s not found (../shared is absent)", p)
	}
	return p
}

// TestDocExamples runs the documented examples and writes a report of every
// failure to the test's temp directory (its path is logged).
func TestDocExamples(t *testing.T) {
	exs, err := Load(sharedFile(t, "kql-conformance/examples.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	outs, sum := RunAll(context.Background(), exs, time.Minute) // generous: CI runs packages in parallel
	reportPath := filepath.Join(os.TempDir(), "vigil-conformance-report.txt")
	f, err := os.Create(reportPath)
	if err != nil {
		t.Fatal(err)
	}
	WriteReport(f, outs, sum)
	f.Close()
	t.Logf("non-geospatial examples: %d of %d pass (%.1f%%); geospatial: %d of %d; report: %s",
		sum.Passed, sum.Passed+sum.Failed, 100*sum.Rate(), sum.GeoPassed, sum.GeoPassed+sum.GeoFailed, reportPath)
	if sum.Rate() < minExampleRate {
		t.Errorf("pass rate %.1f%% is below the floor %.1f%%", 100*sum.Rate(), 100*minExampleRate)
	}
}

// TestCorpusExecutes runs every corpus query the checker accepts against
// empty tables of the catalogued schemas.
func TestCorpusExecutes(t *testing.T) {
	path := sharedFile(t, "kql-corpus/sentinel.jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cat := catalog.Default()
	mem := engine.NewMemCatalog()
	var names []string
	for _, tb := range cat.Tables() {
		names = append(names, tb.Name)
	}
	store.AddEmptyTables(mem, names, cat)

	var accepted, ran int
	var failures []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var rec struct{ ID, Query string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		file := token.NewFile(rec.ID, rec.Query)
		q, err := parser.Parse(file)
		if err != nil {
			continue
		}
		if _, err := check.Check(q, file, &check.Config{Tables: cat}); err != nil {
			continue
		}
		accepted++
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err = engine.Run(ctx, q, engine.Options{Catalog: mem, Now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
		cancel()
		if err != nil {
			var ee *engine.Error
			msg := err.Error()
			if errors.As(err, &ee) && ee.Pos.IsValid() {
				msg = file.Position(ee.Pos).String() + ": " + msg
			}
			failures = append(failures, rec.ID+": "+msg)
			continue
		}
		ran++
	}
	rate := 0.0
	if accepted > 0 {
		rate = float64(ran) / float64(accepted)
	}
	out := filepath.Join(os.TempDir(), "vigil-corpus-exec-failures.txt")
	_ = os.WriteFile(out, []byte(strings.Join(failures, "\n")+"\n"), 0o644)
	t.Logf("corpus: %d of %d checker-accepted queries execute on empty tables (%.1f%%); failures: %s", ran, accepted, 100*rate, out)
	if rate < minCorpusRate {
		t.Errorf("execution rate %.1f%% is below the floor %.1f%%", 100*rate, 100*minCorpusRate)
	}
}
