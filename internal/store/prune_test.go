package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// Words, separators and oddities the generated strings are made of: case
// variants, runes that fold to ASCII letters (Kelvin sign, long s, dotted
// capital I), non-ASCII letters and an invalid byte.
var (
	pruneWords = []string{"cmd", "exe", "powershell", "enc", "Mimikatz", "abc123", "x", "K", "key", "sekurlsa", "a1", "42"}
	pruneSeps  = []string{" ", ".", "-", "\\", "::", "\"", "é", "\u212A", "ſ", "İ", "\xff", ""}
)

func randomText(rng *rand.Rand) string {
	var b strings.Builder
	for i := rng.IntN(5); i >= 0; i-- {
		w := pruneWords[rng.IntN(len(pruneWords))]
		switch rng.IntN(3) {
		case 0:
			w = strings.ToUpper(w)
		case 1:
			w = strings.ToLower(w)
		}
		b.WriteString(w)
		b.WriteString(pruneSeps[rng.IntN(len(pruneSeps))])
	}
	return b.String()
}

var pruneCodes = []string{"alpha", "Beta", "GAMMA", "kelvin", "\u212Aelvin", "straße", "", "x y"}

// pruneData writes random batches to T: some lack column S, some span
// several days, times are sometimes null.
func pruneData(t *testing.T, ws *Workspace, rng *rand.Rand) {
	full := []types.Column{{Name: "Timestamp", Type: types.Datetime}, {Name: "S", Type: types.String},
		{Name: "E", Type: types.String}, {Name: "T2", Type: types.Datetime}, {Name: "N", Type: types.Long}}
	for i := 0; i < 12; i++ {
		cols := full
		if i%4 == 3 {
			cols = []types.Column{full[0], full[2], full[3], full[4]}
		}
		n := 1 + rng.IntN(200)
		b := makeBatch(cols, n, func(r int) []value.Value {
			ts := value.OfDatetime(day0 + value.Datetime(rng.Int64N(int64(3*value.Day))))
			if rng.IntN(20) == 0 {
				ts = value.Null(types.Datetime)
			}
			row := []value.Value{ts}
			if len(cols) == len(full) {
				row = append(row, value.OfString(randomText(rng)))
			}
			t2 := value.OfDatetime(day0 - value.Datetime(rng.Int64N(int64(value.Hour))))
			return append(row, value.OfString(pruneCodes[rng.IntN(len(pruneCodes))]), t2, value.OfLong(int64(i)))
		})
		if err := ws.WriteBatch("T", b); err != nil {
			t.Fatal(err)
		}
	}
}

func kqlString(s string) string { return strconv.Quote(s) }

func kqlTime(d value.Datetime) string { return "datetime(" + d.String() + ")" }

// randomPredicate returns a where clause a store can push down.
func randomPredicate(rng *rand.Rand) string {
	needle := func() string {
		s := randomText(rng)
		if rng.IntN(2) == 0 {
			s = pruneWords[rng.IntN(len(pruneWords))]
		}
		if rng.IntN(4) == 0 && len(s) > 2 {
			s = s[1 : len(s)-1] // partial terms
		}
		if s == "" || !isValidUTF8(s) {
			s = "cmd"
		}
		return s
	}
	code := func() string {
		c := pruneCodes[rng.IntN(len(pruneCodes))]
		switch rng.IntN(3) {
		case 0:
			c = strings.ToUpper(c)
		case 1:
			c = strings.Map(unicode.ToLower, c)
		}
		return c
	}
	t := func() value.Datetime {
		return day0 + value.Datetime(rng.Int64N(int64(4*value.Day))) - value.Datetime(value.Day/2)
	}
	switch rng.IntN(9) {
	case 0:
		return "S has " + kqlString(needle())
	case 1:
		return "S contains " + kqlString(needle())
	case 2:
		return "S has_cs " + kqlString(needle())
	case 3:
		return "E == " + kqlString(code())
	case 4:
		return "E =~ " + kqlString(code())
	case 5:
		return fmt.Sprintf("E in (%s, %s)", kqlString(code()), kqlString(code()))
	case 6:
		return fmt.Sprintf("E in~ (%s, %s)", kqlString(code()), kqlString(code()))
	case 7:
		a, b := t(), t()
		return fmt.Sprintf("Timestamp between (%s .. %s)", kqlTime(min(a, b)), kqlTime(max(a, b)))
	}
	col := []string{"Timestamp", "T2"}[rng.IntN(2)]
	op := []string{">", ">=", "<", "<="}[rng.IntN(4)]
	return fmt.Sprintf("%s %s %s", col, op, kqlTime(t()))
}

func isValidUTF8(s string) bool { return strings.ToValidUTF8(s, "") == s }

// TestPruningNeverDropsMatches runs random pushed-down queries against the
// store and against the same rows in memory (no pruning): the results
// must be identical.
func TestPruningNeverDropsMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	ws := openWS(t, t.TempDir(), testOptions())
	pruneData(t, ws, rng)
	if err := ws.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	pruneData(t, ws, rng) // and some uncompacted segments
	all := scanAll(t, ws, "T", engine.ScanRequest{})
	mem := engine.NewMemCatalog()
	mem.Add("T", engine.NewMemTable(all))
	pruned := 0
	for i := 0; i < 400; i++ {
		where := randomPredicate(rng)
		if rng.IntN(3) == 0 {
			where += " and " + randomPredicate(rng)
		}
		q := "T | where " + where + " | project Timestamp, S, E, T2, N"
		counted := &countingCatalog{Catalog: ws.Catalog()}
		got := runQuery(t, q, counted)
		want := runQuery(t, q, mem)
		if counted.rows < all.N {
			pruned++
		}
		if got.N != want.N {
			t.Fatalf("%s: store returned %d rows, memory %d", q, got.N, want.N)
		}
		sameRows(t, got, want)
		if t.Failed() {
			t.Fatalf("query: %s", q)
		}
	}
	if pruned < 100 {
		t.Errorf("only %d of 400 queries skipped any data", pruned)
	}
}

// countingCatalog counts the rows its tables' scans return.
type countingCatalog struct {
	engine.Catalog
	rows int
}

func (c *countingCatalog) Table(name string) (engine.Table, bool) {
	t, ok := c.Catalog.Table(name)
	return &countingTable{Table: t, c: c}, ok
}

type countingTable struct {
	engine.Table
	c *countingCatalog
}

func (t *countingTable) Scan(ctx context.Context, req engine.ScanRequest) (engine.Stream, error) {
	s, err := t.Table.Scan(ctx, req)
	return &countingStream{Stream: s, c: t.c}, err
}

type countingStream struct {
	engine.Stream
	c *countingCatalog
}

func (s *countingStream) Next(ctx context.Context) (*engine.Batch, error) {
	b, err := s.Stream.Next(ctx)
	if b != nil {
		s.c.rows += b.N
	}
	return b, err
}

func runQuery(t *testing.T, q string, cat engine.Catalog) *engine.Batch {
	t.Helper()
	res, err := engine.Query(context.Background(), q, engine.Options{Catalog: cat})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return res.Tables[0]
}

// TestPruningSkips checks that pruning does skip: scans of needles and
// times that match nothing read (almost) nothing.
func TestPruningSkips(t *testing.T) {
	ws := openWS(t, t.TempDir(), testOptions())
	cols := []types.Column{{Name: "Timestamp", Type: types.Datetime}, {Name: "S", Type: types.String}}
	const n = 64 * 40
	b := makeBatch(cols, n, func(r int) []value.Value {
		s := fmt.Sprintf(`C:\Windows\app%d.exe -k svc%d`, r%97, r)
		if r == n/2 {
			s = "mimikatz.exe sekurlsa::logonpasswords"
		}
		return []value.Value{value.OfDatetime(day0 + value.Datetime(r)*value.Datetime(value.Minute)), value.OfString(s)}
	})
	if err := ws.WriteBatch("T", b); err != nil {
		t.Fatal(err)
	}
	end := day0 + value.Datetime(n)*value.Datetime(value.Minute)
	tests := []struct {
		name     string
		pred     engine.Pred
		maxRows  int // rows the scan may return
		minMatch int // rows that must be among them
	}{
		{"absent term", engine.Pred{Kind: engine.PredHasTerm, Column: "S", Term: "lsass"}, 2 * 64, 0},
		{"rare term", engine.Pred{Kind: engine.PredHasTerm, Column: "S", Term: "MIMIKATZ"}, 3 * 64, 1},
		{"inner term of contains", engine.Pred{Kind: engine.PredContains, Column: "S", Term: "z.exe sekurlsa::l"}, 3 * 64, 1},
		{"absent value", engine.Pred{Kind: engine.PredEquals, Column: "S", Values: []value.Value{value.OfString("nope")}}, 2 * 64, 0},
		{"value any case", engine.Pred{Kind: engine.PredEquals, Column: "S", CaseInsensitive: true,
			Values: []value.Value{value.OfString("MIMIKATZ.EXE SEKURLSA::LOGONPASSWORDS")}}, 3 * 64, 1},
		{"before", engine.Pred{Kind: engine.PredTimeRange, Column: "Timestamp", To: day0 - 1, HasTo: true}, 0, 0},
		{"after", engine.Pred{Kind: engine.PredTimeRange, Column: "Timestamp", From: end, HasFrom: true}, 0, 0},
		{"one hour", engine.Pred{Kind: engine.PredTimeRange, Column: "Timestamp", From: day0 + value.Datetime(value.Day),
			HasFrom: true, To: day0 + value.Datetime(value.Day+value.Hour), HasTo: true}, 3 * 64, 61},
		{"partial has needle prunes nothing", engine.Pred{Kind: engine.PredHasTerm, Column: "S", Term: "-k"}, n, n},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := scanAll(t, ws, "T", engine.ScanRequest{Preds: []engine.Pred{tc.pred}})
			if got.N > tc.maxRows {
				t.Errorf("scan returned %d rows, want at most %d", got.N, tc.maxRows)
			}
			if got.N < tc.minMatch {
				t.Errorf("scan returned %d rows, want at least %d", got.N, tc.minMatch)
			}
		})
	}
}

// TestNeedleTerms pins which needle terms may prune.
func TestNeedleTerms(t *testing.T) {
	tests := []struct {
		needle string
		has    bool
		want   []string
	}{
		{"mimikatz", true, []string{"mimikatz"}},
		{"mimikatz", false, nil},
		{"cmd.exe", true, nil},
		{"-enc", true, nil},
		{`\mimikatz\`, false, []string{"mimikatz"}},
		{"a b c", true, []string{"b"}},
		{"é abc é", true, nil},
		{"", true, nil},
	}
	for _, tc := range tests {
		got := needleTerms(tc.needle, tc.has)
		var want []uint64
		for _, w := range tc.want {
			want = append(want, termHash(w))
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("needleTerms(%q, has=%v) = %v, want hashes of %q", tc.needle, tc.has, got, tc.want)
		}
	}
}

// TestFoldKey checks that the values filter's case folding agrees with
// every case-insensitive comparison the engine uses.
func TestFoldKey(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if foldRune(f) != foldRune(r) {
				t.Fatalf("%U and %U fold together but have keys %U, %U", r, f, foldRune(r), foldRune(f))
			}
		}
		if l := unicode.ToLower(r); foldRune(l) != foldRune(r) {
			t.Fatalf("%U lower-cases to %U but their keys differ", r, l)
		}
		if u := unicode.ToUpper(r); foldRune(u) != foldRune(r) {
			t.Fatalf("%U upper-cases to %U but their keys differ", r, u)
		}
	}
	pairs := [][2]string{{"Kelvin", "\u212Aelvin"}, {"STRASSE", "strasse"}, {"\xff", "\xfe"}, {"İd", "id"}}
	for _, p := range pairs {
		if valueHash(p[0]) != valueHash(p[1]) {
			t.Errorf("%q and %q hash apart", p[0], p[1])
		}
	}
}

// TestBloomFalsePositiveRate measures the documented rate (about 0.8%).
func TestBloomFalsePositiveRate(t *testing.T) {
	var set hashSet
	for i := 0; i < 10000; i++ {
		set.add(termHash(fmt.Sprintf("term%d", i)))
	}
	b := bloomOfSet(&set)
	fp := 0
	const probes = 100000
	for i := 0; i < probes; i++ {
		if b.mayContain(termHash(fmt.Sprintf("absent%d", i))) {
			fp++
		}
	}
	for i := 0; i < 10000; i++ {
		if !b.mayContain(termHash(fmt.Sprintf("term%d", i))) {
			t.Fatalf("false negative for term%d", i)
		}
	}
	rate := float64(fp) / probes
	t.Logf("false-positive rate %.4f", rate)
	if rate > 0.015 {
		t.Errorf("false-positive rate %.4f, want about 0.008", rate)
	}
}

// TestAddTermsAgreesWithTermHash checks the write side's tokenizer
// against the query side's: every term a needle search hashes with
// termHash must be in the set addTerms filled from the same text.
func TestAddTermsAgreesWithTermHash(t *testing.T) {
	texts := []string{
		`C:\Windows\System32\cmd.exe /c whoami`,
		"powershell -EncodedCommand SQBFAFgA",
		"ÄÖü mixed é123 ab_cd x",
		"", "   ", "a", "A1b2-C3", "\xff\xfeabc\x80DEF",
	}
	for _, text := range texts {
		var set hashSet
		set.addTerms(text)
		var terms []string
		for _, f := range strings.FieldsFunc(text, func(r rune) bool {
			return r >= 0x80 || !isTermByte(byte(r))
		}) {
			terms = append(terms, f)
		}
		if set.n > len(terms) {
			t.Errorf("%q: %d hashes from %d terms", text, set.n, len(terms))
		}
		for _, term := range terms {
			if !setHas(&set, termHash(term)) {
				t.Errorf("%q: term %q missing from the set", text, term)
			}
		}
	}
}

func setHas(s *hashSet, h uint64) bool {
	if h == 0 {
		h = 1
	}
	for _, x := range s.slots {
		if x == h {
			return true
		}
	}
	return false
}
