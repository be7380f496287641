package scalar

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func TestStringOperators(t *testing.T) {
	cases := []struct {
		h    string
		op   token.Kind
		n    string
		want bool
	}{
		// has: whole terms, case-insensitive.
		{"North America", token.HAS, "america", true},
		{"North America", token.HAS, "amer", false},
		{"North America", token.NOT_HAS, "amer", true},
		{"KustoExplorerQueryRun", token.HAS, "Explorer", false},
		{"Kusto: ad67d136-c1db-4f9f", token.HAS, "C1DB", true},
		{"Kusto: ad67d136-c1db-4f9f", token.HAS, "ad67d136-c1db", true},
		{"Kusto: ad67d136-c1db-4f9f", token.HAS, "67d136-c1db", false},
		{"Kusto: ad67d136-c1db-4f9f", token.HAS, "c1db-4f9", false},
		{"cmd.exe /c whoami", token.HAS, "cmd.exe", true},
		{"xcmd.exe /c", token.HAS, "cmd.exe", false},
		{"cmd.exe /c", token.HAS, "/c", true},
		{"a-b-c", token.HAS, "-b-", true},
		{"a-b-c", token.HAS, "b-", true},
		{"ab-c", token.HAS, "b-", false},
		{"path\\to\\file", token.HAS, "to", true},
		{"", token.HAS, "a", false},
		{"abc", token.HAS, "", true},
		{"aaa abc", token.HAS, "abc", true},
		{"aAa", token.HAS, "AAA", true},
		{"Ünïcode wörd", token.HAS, "wörd", true},
		{"Ünïcode WÖRD", token.HAS, "wörd", true},
		{"Ünïcode", token.HAS, "ünïcode", true},
		{"naïve", token.HAS, "na", true}, // terms are runs of ASCII letters and digits
		{"ab12 cd", token.HAS, "AB12", true},
		{"North America", token.HAS_CS, "America", true},
		{"North America", token.HAS_CS, "america", false},
		{"North America", token.NOT_HAS_CS, "amer", true},
		// hasprefix / hassuffix: term prefixes and suffixes.
		{"North America", token.HASPREFIX, "ame", true},
		{"North America", token.HASPREFIX, "mer", false},
		{"North America", token.HASSUFFIX, "ica", true},
		{"North America", token.HASSUFFIX, "eric", false},
		{"North America", token.HASPREFIX_CS, "Ame", true},
		{"North America", token.HASPREFIX_CS, "ame", false},
		{"North America", token.NOT_HASSUFFIX_CS, "ICA", true},
		// contains, startswith, endswith.
		{"FabriKam", token.CONTAINS, "BRik", true},
		{"Fabrikam", token.NOT_CONTAINS, "xyz", true},
		{"FabriKam", token.CONTAINS_CS, "Kam", true},
		{"Fabrikam", token.CONTAINS_CS, "Kam", false},
		{"Fabrikam", token.STARTSWITH, "FAB", true},
		{"Fabrikam", token.STARTSWITH_CS, "fab", false},
		{"Fabrikam", token.ENDSWITH, "KAM", true},
		{"Fabrikam", token.NOT_ENDSWITH, "brik", true},
		{"Fabrikam", token.ENDSWITH_CS, "kam", true},
		{"ÄBC", token.STARTSWITH, "äb", true},
		{"xÄBC", token.ENDSWITH, "äbc", true},
		// =~ and !~.
		{"abc", token.EQTILDE, "ABC", true},
		{"aBc", token.NEQTILDE, "xyz", true},
		{"Straße", token.EQTILDE, "STRASSE", false},
		{"ÉCOLE", token.EQTILDE, "école", true},
		// matches regex.
		{"abc123", token.MATCHES_REGEX, `\d+$`, true},
		{"abc", token.MATCHES_REGEX, `^b`, false},
	}
	for _, c := range cases {
		got := op(t, c.op, S(c.h), S(c.n))
		check(t, fmt.Sprintf("%q %s %q", c.h, c.op, c.n), got, B(c.want))
	}
}

// TestHasNonString checks that other types match through their string form.
func TestHasNonString(t *testing.T) {
	check(t, "long has", op(t, token.HAS, L(12345), S("12345")), B(true))
	check(t, "dynamic has", op(t, token.HAS, D(`{"a":"cmd.exe"}`), S("cmd")), B(true))
	check(t, "dynamic null has", op(t, token.HAS, N(types.Dynamic), S("x")), B(false))
	check(t, "dynamic null !has", op(t, token.NOT_HAS, N(types.Dynamic), S("x")), B(true))
}

// TestHasMatchesReference compares the byte-wise matcher with a simple
// reference built from lower-cased terms, on generated haystacks.
func TestHasMatchesReference(t *testing.T) {
	words := []string{"ab", "AB", "b", "ab1", "1ab", "x", "", "-", ".", " ", "aB-c"}
	needles := []string{"ab", "AB", "b", "ab1", "ab-c", "-c", "b.", "1"}
	for i := 0; i < 4000; i++ {
		var sb strings.Builder
		for k, j := 0, i; k < 5; k, j = k+1, j/len(words) {
			sb.WriteString(words[(j+k*7)%len(words)])
		}
		h := sb.String()
		for _, n := range needles {
			want := refHas(h, n)
			if got := newMatcher(mHas, n, false).match(h); got != want {
				t.Fatalf("%q has %q = %v, want %v", h, n, got, want)
			}
		}
	}
}

// refHas is has by definition: some occurrence of the needle
// (case-insensitively) whose term-character edges are term boundaries.
func refHas(h, n string) bool {
	lh, ln := strings.ToLower(h), strings.ToLower(n)
	if ln == "" {
		return true
	}
	for i := 0; i+len(ln) <= len(lh); i++ {
		if lh[i:i+len(ln)] != ln {
			continue
		}
		if isTermByte(ln[0]) && i > 0 && isTermByte(lh[i-1]) {
			continue
		}
		j := i + len(ln)
		if isTermByte(ln[len(ln)-1]) && j < len(lh) && isTermByte(lh[j]) {
			continue
		}
		return true
	}
	return false
}

func TestHasAllocationFree(t *testing.T) {
	m := newMatcher(mHas, "whoami", false)
	hay := strings.Repeat("C:\\Windows\\System32\\cmd.exe /c ", 4) + "WhoAmI /all"
	allocs := testing.AllocsPerRun(100, func() {
		if !m.match(hay) {
			t.Fatal("no match")
		}
	})
	if allocs != 0 {
		t.Errorf("has allocates %v times per row", allocs)
	}
}

func BenchmarkHas(b *testing.B) {
	rows := make([]string, 4096)
	for i := range rows {
		rows[i] = fmt.Sprintf("C:\\Windows\\System32\\cmd.exe /c echo %d > C:\\Temp\\out%d.txt", i, i)
	}
	rows[100] = "powershell -enc WHOAMI"
	fn, err := Binary(token.HAS, Col(types.String), Const(S("whoami")))
	if err != nil {
		b.Fatal(err)
	}
	col := &value.Column{Type: types.String, Strs: rows}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := fn.Eval([]*value.Column{col, nil}, len(rows)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(rows))/b.Elapsed().Seconds()/1e6, "Mrows/s")
}
