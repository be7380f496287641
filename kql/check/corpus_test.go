package check

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
)

const corpusPath = "../../../shared/data/kql-corpus/sentinel.jsonl"

// catalogTables adds TableNames to the catalog so wildcards expand.
type catalogTables struct{ *catalog.Catalog }

func (t catalogTables) TableNames() []string {
	var out []string
	for _, tb := range t.Tables() {
		out = append(out, tb.Name)
	}
	return out
}

func testConfig() *Config { return &Config{Tables: catalogTables{catalog.Default()}} }

type corpusQuery struct {
	ID    string `json:"id"`
	Query string `json:"query"`
}

func readCorpus(t *testing.T) []corpusQuery {
	t.Helper()
	f, err := os.Open(corpusPath)
	if err != nil {
		t.Skip("corpus not available: " + corpusPath)
	}
	defer f.Close()
	var out []corpusQuery
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var q corpusQuery
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			t.Fatalf("corpus line: %v", err)
		}
		out = append(out, q)
	}
	return out
}

// TestCorpusFalseErrors checks the real-world corpus: among queries that
// parse and read only catalogued tables, at most 2% may have an
// unknown-table, -column or -function error.
func TestCorpusFalseErrors(t *testing.T) {
	queries := readCorpus(t)
	conf := testConfig()
	var considered, withErr int
	var lines, mismatches []string
	for _, q := range queries {
		file := token.NewFile(q.ID, q.Query)
		tree, err := parser.Parse(file)
		if err != nil || tree == nil {
			continue
		}
		info, err := Check(tree, file, conf)
		allKnown := true
		for _, tr := range info.Tables {
			allKnown = allKnown && tr.Known
		}
		if !allKnown {
			continue
		}
		considered++
		var list ErrorList
		if err != nil {
			list = err.(ErrorList)
		}
		counted := false
		for _, e := range list {
			switch e.Code {
			case UnknownTable, UnknownColumn, UnknownFunction:
				counted = true
				lines = append(lines, fmt.Sprintf("%s %s", q.ID, e))
			case TypeMismatch:
				mismatches = append(mismatches, fmt.Sprintf("%s %s", q.ID, e))
			}
		}
		if counted {
			withErr++
		}
	}
	sort.Strings(lines)
	for _, l := range lines {
		t.Log(l)
	}
	for _, l := range mismatches {
		t.Log("type mismatch: " + l)
	}
	out := filepath.Join(os.TempDir(), "kql-check-corpus-errors.txt")
	body := strings.Join(lines, "\n") + "\n\n" + strings.Join(mismatches, "\n") + "\n"
	if err := os.WriteFile(out, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	share := float64(withErr) / float64(max(considered, 1))
	t.Logf("%d of %d considered queries (%.2f%%) have unknown-name errors; %d type mismatches; list in %s",
		withErr, considered, 100*share, len(mismatches), out)
	if share > 0.02 {
		t.Errorf("false-error share %.2f%% exceeds 2%%", 100*share)
	}
}

// TestCorpusPartialTrees checks every corpus query, including those that
// do not parse and each prefix of a query, to make sure partial trees
// never make the checker panic.
func TestCorpusPartialTrees(t *testing.T) {
	queries := readCorpus(t)
	conf := testConfig()
	for i, q := range queries {
		cuts := []int{len(q.Query)}
		if i%10 == 0 {
			for n := 7; n < len(q.Query); n += 97 {
				cuts = append(cuts, n)
			}
		}
		for _, n := range cuts {
			src := q.Query[:n]
			file := token.NewFile(q.ID, src)
			tree, _ := parser.Parse(file)
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s (first %d bytes): panic: %v", q.ID, n, r)
					}
				}()
				if info, _ := Check(tree, file, conf); info == nil {
					t.Errorf("%s: nil Info", q.ID)
				}
			}()
		}
	}
}
