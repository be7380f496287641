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
	"github.com/vigil-hunt/vigil/internal/lab"
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
	cat := catalog.Default()
	mem := engine.NewMemCatalog()
	store.AddEmptyTables(mem, cat.TableNames(), cat)
	runCorpus(t, path, mem, "empty tables", "vigil-corpus-exec-failures.txt")
}

// TestCorpusExecutesOnLab runs them against the lab workspace's data.
func TestCorpusExecutesOnLab(t *testing.T) {
	path := sharedFile(t, "kql-corpus/sentinel.jsonl")
	if testing.Short() {
		t.Skip("skipped in -short mode: generates a lab workspace")
	}
	end := time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)
	sink := &labSink{cat: engine.NewMemCatalog(), parts: map[string][]*engine.Batch{}}
	if _, err := lab.Generate(lab.DefaultConfig(end), sink); err != nil {
		t.Fatal(err)
	}
	cat := catalog.Default()
	runCorpus(t, path, store.WithEmptyTables(sink.catalog(), cat.TableNames(), cat), "the lab's data", "vigil-corpus-exec-lab-failures.txt")
}

// labSink collects generated batches into memory tables.
type labSink struct {
	cat   *engine.MemCatalog
	parts map[string][]*engine.Batch
	order []string
}

func (s *labSink) WriteBatch(table string, b *engine.Batch) error {
	if _, ok := s.parts[table]; !ok {
		s.order = append(s.order, table)
	}
	s.parts[table] = append(s.parts[table], b)
	return nil
}

func (s *labSink) catalog() engine.Catalog {
	for _, name := range s.order {
		parts := s.parts[name]
		n := 0
		for _, b := range parts {
			n += b.N
		}
		all := engine.NewBatch(parts[0].Schema, n)
		for _, b := range parts {
			for i, c := range b.Cols {
				all.Cols[i].AppendColumn(c)
			}
			all.N += b.N
		}
		s.cat.Add(name, engine.NewMemTable(all))
	}
	return s.cat
}

// runCorpus runs every corpus query the checker accepts on mem and holds
// the share that executes without error at minCorpusRate.
func runCorpus(t *testing.T, path string, mem engine.Catalog, what, failuresFile string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cat := catalog.Default()

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
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		_, err = engine.Run(ctx, q, engine.Options{Catalog: mem, Now: time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC), MaxRows: 10000})
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
	out := filepath.Join(os.TempDir(), failuresFile)
	_ = os.WriteFile(out, []byte(strings.Join(failures, "\n")+"\n"), 0o644)
	t.Logf("corpus: %d of %d checker-accepted queries execute on %s (%.1f%%); failures: %s", ran, accepted, what, 100*rate, out)
	if rate < minCorpusRate {
		t.Errorf("execution rate %.1f%% is below the floor %.1f%%", 100*rate, 100*minCorpusRate)
	}
}
