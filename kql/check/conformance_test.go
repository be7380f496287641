package check

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
)

const conformancePath = "../../../shared/data/kql-conformance/examples.jsonl"

// TestConformanceColumnNames compares the output column names the checker
// infers with those the Kusto documentation shows for its self-contained
// examples. The documentation is sometimes abbreviated, so mismatches are
// logged; the test fails only if fewer than 90% of the examples match.
func TestConformanceColumnNames(t *testing.T) {
	f, err := os.Open(conformancePath)
	if err != nil {
		t.Skip("conformance examples not available: " + conformancePath)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var total, match int
	for sc.Scan() {
		var ex struct {
			ID       string `json:"id"`
			Query    string `json:"query"`
			Expected struct {
				Columns []string `json:"columns"`
			} `json:"expected"`
			Partial bool `json:"partial_output"`
			Bare    bool `json:"bare_scalar_expression"`
		}
		if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
			t.Fatal(err)
		}
		if ex.Partial || ex.Bare || len(ex.Expected.Columns) == 0 {
			continue
		}
		file := token.NewFile(ex.ID, ex.Query)
		tree, err := parser.Parse(file)
		if err != nil {
			continue
		}
		info, err := Check(tree, file, &Config{})
		if err != nil {
			for _, e := range err.(ErrorList) {
				if !e.Soft {
					t.Logf("%s: error on a documented example: %s", ex.ID, e)
				}
			}
		}
		if info.Output == nil || info.Output.Open {
			continue
		}
		total++
		got := strings.Join(info.Output.Names(), ",")
		if want := strings.Join(ex.Expected.Columns, ","); got == want {
			match++
		} else {
			t.Logf("%s: got %s, docs show %s", ex.ID, got, want)
		}
	}
	t.Logf("%d of %d examples with a closed output schema match the documented columns", match, total)
	if total > 0 && float64(match) < 0.9*float64(total) {
		t.Errorf("only %d of %d match", match, total)
	}
}
