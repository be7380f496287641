package parser

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/token"
)

const (
	corpusPath      = "../../../shared/data/kql-corpus/sentinel.jsonl"
	conformanceDir  = "../../../shared/data/kql-conformance"
	corpusRateFloor = 0.99
)

type record struct {
	ID         string `json:"id"`
	Path       string `json:"path"`
	Query      string `json:"query"`
	BareScalar bool   `json:"bare_scalar_expression"`
}

// readRecords reads a JSON-lines file of queries; ok is false when the
// file does not exist.
func readRecords(tb testing.TB, path string) (recs []record, ok bool) {
	tb.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, false
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return recs, true
}

// parseSafely parses q and turns a panic into an error.
func parseSafely(name, q string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	_, err = Parse(token.NewFile(name, q))
	return err
}

// parseAll parses every record and returns the failures, one line each.
func parseAll(recs []record) (failures []string, parsed int) {
	for _, r := range recs {
		if err := parseSafely(r.ID, r.Query); err != nil {
			failures = append(failures, fmt.Sprintf("%s\t%s\t%s", r.ID, r.Path, strings.ReplaceAll(err.Error(), "\n", " | ")))
			continue
		}
		parsed++
	}
	return failures, parsed
}

// writeFailures writes the failures to a file under os.TempDir(), which
// outlives the test, and logs its path.
func writeFailures(t *testing.T, name string, failures []string) {
	path := filepath.Join(os.TempDir(), "vigil-kql-"+name)
	if err := os.WriteFile(path, []byte(strings.Join(failures, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("failures written to %s", path)
}

func TestCorpus(t *testing.T) {
	recs, ok := readRecords(t, corpusPath)
	if !ok {
		t.Skip("corpus not found: ../shared absent")
	}
	failures, parsed := parseAll(recs)
	rate := float64(parsed) / float64(len(recs))
	t.Logf("corpus: parsed %d/%d queries (%.2f%%)", parsed, len(recs), 100*rate)
	for _, f := range failures {
		t.Log(f)
	}
	writeFailures(t, "corpus-failures.txt", failures)
	if rate < corpusRateFloor {
		t.Errorf("parse rate %.2f%% is below %.0f%%", 100*rate, 100*corpusRateFloor)
	}
}

func TestConformance(t *testing.T) {
	var all []record
	for _, name := range []string{"examples.jsonl", "examples-external-tables.jsonl"} {
		recs, ok := readRecords(t, filepath.Join(conformanceDir, name))
		if !ok {
			t.Skip("conformance examples not found: ../shared absent")
		}
		for _, r := range recs {
			if !r.BareScalar {
				all = append(all, r)
			}
		}
	}
	failures, parsed := parseAll(all)
	t.Logf("conformance: parsed %d/%d queries (%.2f%%)", parsed, len(all), 100*float64(parsed)/float64(len(all)))
	for _, f := range failures {
		t.Log(f)
	}
	writeFailures(t, "conformance-failures.txt", failures)
}
