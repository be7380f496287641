package builtin

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/types"
)

// statsPath is the corpus statistics file, relative to this package.
const statsPath = "../../../shared/data/kql-corpus/STATS.md"

// scalarWordOps are the operators STATS.md counts among the functions.
var scalarWordOps = map[string]bool{
	"and": true, "or": true, "in": true, "has": true, "has_cs": true,
	"has_any": true, "has_all": true, "contains": true, "contains_cs": true,
	"startswith": true, "startswith_cs": true, "endswith": true, "endswith_cs": true,
	"hasprefix": true, "hasprefix_cs": true, "hassuffix": true, "hassuffix_cs": true,
	"between": true, "matches": true, "like": true,
}

// notBuiltin are calls STATS.md lists that are not function-table entries.
var notBuiltin = map[string]bool{"table": true}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// isOperator reports whether a name from STATS.md is an operator rather than
// a call: symbols (=~, !in, in~), multi-word forms (matches regex) and word
// operators.
func isOperator(name string) bool {
	return !identRE.MatchString(name) || scalarWordOps[name]
}

// corpusFunctionNames extracts the backquoted names of the "Scalar /
// aggregation functions" table and of the "remaining" paragraph.
func corpusFunctionNames(t *testing.T, stats string) []string {
	t.Helper()
	start := strings.Index(stats, "## Scalar / aggregation functions")
	if start < 0 {
		t.Fatal("STATS.md: no \"Scalar / aggregation functions\" section")
	}
	section := stats[start:]
	if end := strings.Index(section, "\n### "); end >= 0 {
		section = section[:end]
	}
	var names []string
	tick := regexp.MustCompile("`([^`]+)`")
	for _, line := range strings.Split(section, "\n") {
		switch {
		case strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| rank"):
			if m := tick.FindStringSubmatch(line); m != nil {
				names = append(names, m[1])
			}
		case strings.Contains(line, "remaining") && strings.Contains(line, "functions"):
			for _, m := range tick.FindAllStringSubmatch(line, -1) {
				names = append(names, m[1])
			}
		}
	}
	return names
}

func TestCorpusFunctionsCovered(t *testing.T) {
	data, err := os.ReadFile(statsPath)
	if err != nil {
		t.Skip("corpus statistics not available: ", err)
	}
	names := corpusFunctionNames(t, string(data))
	if len(names) < 150 {
		t.Fatalf("found %d names in STATS.md, want the top 80 and the remaining 75", len(names))
	}
	checked := 0
	for _, name := range names {
		if isOperator(name) || notBuiltin[name] || strings.HasPrefix(name, "_Im_") {
			continue
		}
		checked++
		if _, ok := Lookup(name); !ok {
			t.Errorf("corpus function %s is not in the table (suggest %q)", name, Suggest(name))
		}
	}
	t.Logf("%d corpus functions checked", checked)
}

func TestArityAndResult(t *testing.T) {
	T := func(ts ...types.Type) []types.Type { return ts }
	tests := []struct {
		name     string
		min, max int
		args     []types.Type
		want     types.Type
	}{
		{"datetime_diff", 3, 3, T(types.String, types.Datetime, types.Datetime), types.Long},
		{"bin", 2, 2, T(types.Datetime, types.Timespan), types.Datetime},
		{"bin", 2, 2, T(types.Long, types.Long), types.Long},
		{"bin", 2, 2, T(types.Int, types.Real), types.Real},
		{"iff", 3, 3, T(types.Bool, types.String, types.String), types.String},
		{"iff", 3, 3, T(types.Bool, types.Int, types.Long), types.Long},
		{"iff", 3, 3, T(types.Bool, types.Unknown, types.String), types.String},
		{"iff", 3, 3, T(types.Bool, types.Invalid, types.Invalid), types.Invalid},
		{"iif", 3, 3, T(types.Bool, types.Real, types.Real), types.Real},
		{"case", 3, -1, T(types.Bool, types.String, types.Bool, types.String, types.String), types.String},
		{"strcat", 1, -1, T(types.String, types.Long, types.Datetime), types.String},
		{"parse_json", 1, 1, T(types.String), types.Dynamic},
		{"parsejson", 1, 1, T(types.String), types.Dynamic},
		{"count", 0, 1, nil, types.Long},
		{"dcount", 1, 2, T(types.String), types.Long},
		{"avg", 1, 1, T(types.Long), types.Real},
		{"avg", 1, 1, T(types.Timespan), types.Timespan},
		{"sum", 1, 1, T(types.Int), types.Long},
		{"sum", 1, 1, T(types.Real), types.Real},
		{"sum", 1, 1, T(types.Unknown), types.Unknown},
		{"make_set", 1, 2, T(types.String), types.Dynamic},
		{"arg_max", 1, -1, T(types.Datetime, types.Unknown), types.Datetime},
		{"max", 1, 1, T(types.Datetime), types.Datetime},
		{"extract", 3, 4, T(types.String, types.Long, types.String), types.String},
		{"extract", 3, 4, T(types.String, types.Long, types.String, types.Long), types.Long},
		{"column_ifexists", 2, 2, T(types.String, types.Datetime), types.Datetime},
		{"dayofweek", 1, 1, T(types.Datetime), types.Timespan},
		{"datetime_part", 2, 2, T(types.String, types.Datetime), types.Int},
		{"abs", 1, 1, T(types.Int), types.Long},
		{"round", 1, 2, T(types.Real, types.Long), types.Real},
		{"percentile", 2, 2, T(types.Int, types.Long), types.Long},
		{"prev", 1, 3, T(types.String), types.String},
		{"row_number", 0, 2, nil, types.Long},
		{"toscalar", 1, 1, T(types.Unknown), types.Unknown},
		{"coalesce", 2, -1, T(types.String, types.String), types.String},
		{"split", 2, 3, T(types.String, types.String), types.Dynamic},
		{"ipv4_is_in_any_range", 2, -1, T(types.String, types.Dynamic), types.Bool},
	}
	for _, tt := range tests {
		f, ok := Lookup(tt.name)
		if !ok {
			t.Errorf("%s: not found", tt.name)
			continue
		}
		if f.MinArgs() != tt.min || f.MaxArgs() != tt.max {
			t.Errorf("%s: arity %d..%d, want %d..%d", tt.name, f.MinArgs(), f.MaxArgs(), tt.min, tt.max)
		}
		if got := f.ResultType(tt.args); got != tt.want {
			t.Errorf("%s%v = %v, want %v", tt.name, tt.args, got, tt.want)
		}
	}
}

func TestAccepts(t *testing.T) {
	tests := []struct {
		name string
		i    int
		t    types.Type
		want bool
	}{
		{"ago", 0, types.Timespan, true},
		{"ago", 0, types.String, false},
		{"ago", 0, types.Unknown, true},
		{"ago", 0, types.Invalid, true},
		{"ago", 1, types.Timespan, false}, // past the last parameter
		{"datetime_diff", 1, types.Dynamic, true},
		{"datetime_diff", 1, types.Long, false},
		{"strcat", 5, types.Long, true}, // variadic
		{"bin", 0, types.Long, true},
		{"bin", 0, types.Datetime, true},
		{"bin", 0, types.String, false},
		{"substring", 1, types.Real, true}, // numeric kinds accept every number
		{"iff", 0, types.String, false},
		{"arg_max", 3, types.Bool, true},
		{"not", 0, types.Bool, true},
	}
	for _, tt := range tests {
		f, _ := Lookup(tt.name)
		if got := f.Accepts(tt.i, tt.t); got != tt.want {
			t.Errorf("%s.Accepts(%d, %v) = %v, want %v", tt.name, tt.i, tt.t, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct{ in, want string }{
		{"tostrng", "tostring"},
		{"ToString", "tostring"},
		{"parsjson", "parse_json"},
		{"makeset", "make_set"}, // known but deprecated: its successor
		{"tostring", "tostring"},
		{"arg_maxx", "arg_max"},
		{"frobnicate", ""},
		{"xy", ""},
		{"cout", "count"},
	}
	for _, tt := range tests {
		if got := Suggest(tt.in); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLookupCaseSensitive(t *testing.T) {
	if _, ok := Lookup("ToString"); ok {
		t.Error("Lookup(\"ToString\") found a function; names are case-sensitive")
	}
	if !IsAggregate("dcount") || IsAggregate("tostring") || IsAggregate("nosuch") || IsAggregate("prev") {
		t.Error("IsAggregate misclassifies dcount, tostring, nosuch or prev")
	}
}

// TestTableWellFormed checks the invariants the API promises.
func TestTableWellFormed(t *testing.T) {
	all := All()
	for i, f := range all {
		if i > 0 && all[i-1].Name >= f.Name {
			t.Errorf("All not sorted: %s before %s", all[i-1].Name, f.Name)
		}
		if !identRE.MatchString(f.Name) {
			t.Errorf("%s: not an identifier", f.Name)
		}
		if f.Doc == "" || strings.Contains(f.Doc, "\n") {
			t.Errorf("%s: doc must be one non-empty line", f.Name)
		}
		if f.Deprecated != "" {
			if r, ok := Lookup(f.Deprecated); !ok || r.Deprecated != "" {
				t.Errorf("%s: replacement %q is unknown or deprecated", f.Name, f.Deprecated)
			}
		}
		optional := false
		for j, p := range f.Params {
			if p.Name == "" {
				t.Errorf("%s: parameter %d has no name", f.Name, j)
			}
			if p.Variadic && j != len(f.Params)-1 {
				t.Errorf("%s: variadic parameter %s is not last", f.Name, p.Name)
			}
			if optional && !p.Optional {
				t.Errorf("%s: required parameter %s follows an optional one", f.Name, p.Name)
			}
			optional = optional || p.Optional
		}
	}
	if len(all) < 300 {
		t.Errorf("table has %d functions; expected the commonly used library", len(all))
	}
}

func TestSignature(t *testing.T) {
	tests := map[string]string{
		"substring": "substring(source: scalar, start: integer[, length: integer])",
		"now":       "now([offset: timespan])",
		"strcat":    "strcat(value: scalar, ...)",
		"arg_max":   "arg_max(maximize: scalar[, returned: scalar|*, ...])",
	}
	for name, want := range tests {
		f, _ := Lookup(name)
		if got := f.Signature(); got != want {
			t.Errorf("%s.Signature() = %q, want %q", name, got, want)
		}
	}
}
