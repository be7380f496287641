package agent

// This file reduces a result before the model sees it: constant and empty
// columns are dropped (and stated once), identical rows are grouped with a
// count under one handle. render.go writes what is left.

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vigil-hunt/vigil/kql/types"
)

// ShowConfig says how much of each result the model sees. The zero value
// takes the defaults.
type ShowConfig struct {
	MaxGroups int // distinct rows shown per result; default 40
	MaxCell   int // characters of a value before it is shortened; default 80
	MaxTokens int // tokens of one result before fewer rows are shown; default 2500
}

func (s ShowConfig) withDefaults() ShowConfig {
	if s.MaxGroups <= 0 {
		s.MaxGroups = 40
	}
	if s.MaxCell <= 0 {
		s.MaxCell = 80
	}
	if s.MaxTokens <= 0 {
		s.MaxTokens = 2500
	}
	return s
}

// shrink is the view at degradation level n (0: as configured): fewer
// rows and shorter values, for budget and context-window pressure.
func (s ShowConfig) shrink(n int) ShowConfig {
	for range n {
		s.MaxGroups = max(s.MaxGroups/3, 3)
		s.MaxCell = max(s.MaxCell*2/3, 32)
		s.MaxTokens = max(s.MaxTokens/2, 400)
	}
	return s
}

// maxShrink is the deepest degradation level.
const maxShrink = 2

// minimised is a result reduced for the model; cells stay in the result.
type minimised struct {
	res      *result
	constant []int    // columns with one value in every row
	empty    []int    // columns null or "" in every row
	hidden   []int    // bookkeeping columns
	dups     [][2]int // column, and the earlier kept column it equals in every row
	kept     []int    // the other columns, in order
	groups   [][]int  // identical rows, by first appearance
	handles  []string

	year  string // every datetime is in this year: shown as MM-DD hh:mm:ss
	day   string // every datetime is on this day: shown as hh:mm:ss
	idLen int    // ids and hashes are cut to this many characters (0: none)
}

// bookkeeping columns carry nothing a hunt needs; they are hidden from
// the model and kept with the evidence.
var bookkeeping = []string{"_BilledSize", "_IsBillable", "_ItemId", "_TimeReceived", "TenantId", "SourceSystem"}

// minimise reduces r. A single row keeps its constant columns: stating
// them apart would save nothing.
func minimise(r *result) *minimised {
	m := &minimised{res: r}
	keys := cellKeys(r)
	for j, name := range r.Columns {
		switch {
		case len(r.Rows) == 0:
			m.kept = append(m.kept, j)
		case columnEmpty(r, j):
			m.empty = append(m.empty, j)
		case len(r.Rows) > 1 && allEqual(keys[j], keys[j][0]):
			m.constant = append(m.constant, j)
		case slices.Contains(bookkeeping, name):
			m.hidden = append(m.hidden, j)
		default:
			if k, ok := m.duplicate(keys, j); ok {
				m.dups = append(m.dups, [2]int{j, k})
				continue
			}
			m.kept = append(m.kept, j)
		}
	}
	at := map[string]int{}
	row := make([]string, len(r.Columns))
	for i := range r.Rows {
		for j := range row {
			row[j] = keys[j][i]
		}
		k := strings.Join(row, "\x00")
		g, ok := at[k]
		if !ok {
			g = len(m.groups)
			at[k] = g
			m.groups = append(m.groups, nil)
		}
		m.groups[g] = append(m.groups[g], i)
	}
	m.year, m.day = m.commonDate()
	m.idLen = m.idPrefix()
	return m
}

// cellKeys are the exact cells as JSON, by column then row: equal keys
// are equal values (maps marshal with sorted keys).
func cellKeys(r *result) [][]string {
	keys := make([][]string, len(r.Columns))
	for j := range keys {
		keys[j] = make([]string, len(r.Rows))
		for i, row := range r.Rows {
			b, _ := json.Marshal(row[j])
			keys[j][i] = string(b)
		}
	}
	return keys
}

func allEqual(list []string, v string) bool {
	for _, x := range list {
		if x != v {
			return false
		}
	}
	return true
}

// duplicate finds a kept column equal to column j in every row.
func (m *minimised) duplicate(keys [][]string, j int) (int, bool) {
	if len(m.res.Rows) < 2 {
		return 0, false
	}
	for _, k := range m.kept {
		if slices.Equal(keys[j], keys[k]) {
			return k, true
		}
	}
	return 0, false
}

// commonDate reports the year, and the day, every datetime cell shown
// shares ("" when they do not).
func (m *minimised) commonDate() (year, day string) {
	first := true
	for _, j := range append(slices.Clone(m.kept), m.constant...) {
		if m.res.Types[j] != types.Datetime {
			continue
		}
		for _, row := range m.res.Rows {
			t, ok := parseTime(row[j])
			if !ok {
				continue
			}
			y, d := t.Format("2006"), t.Format("2006-01-02")
			if first {
				year, day, first = y, d, false
				continue
			}
			if y != year {
				year = ""
			}
			if d != day {
				day = ""
			}
		}
	}
	return year, day
}

func parseTime(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t.UTC(), err == nil
}

// idPrefix is the shortest prefix length (from 8) that keeps the
// distinct ids and hashes of the result apart; 0 when it has none.
func (m *minimised) idPrefix() int {
	ids := map[string]bool{}
	for _, row := range m.res.Rows {
		for _, j := range append(slices.Clone(m.kept), m.constant...) {
			if s, ok := row[j].(string); ok && opaque(s) {
				ids[strings.ToLower(s)] = true
			}
		}
	}
	if len(ids) == 0 {
		return 0
	}
	for n := 8; n < 64; n += 4 {
		seen := map[string]bool{}
		ok := true
		for id := range ids {
			p := id[:min(n, len(id))]
			if seen[p] {
				ok = false
				break
			}
			seen[p] = true
		}
		if ok {
			return n
		}
	}
	return 64
}

// opaque reports whether s is an id or hash: 32 or more hex digits,
// possibly in GUID form.
func opaque(s string) bool {
	if len(s) < 32 || len(s) > 128 {
		return false
	}
	hex := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
			hex++
		case c == '-':
		default:
			return false
		}
	}
	return hex >= 32
}

func columnEmpty(r *result, j int) bool {
	for _, row := range r.Rows {
		if v := row[j]; v != nil && v != "" {
			return false
		}
	}
	return true
}

// cell is the display form of a value: control and format (zero-width,
// bidi) characters removed, fences neutralised, and text longer than
// maxCell characters cut to its head and tail around "…", followed by "#"
// and a short hash of the exact value ("head…tail#1a2b3c").
func cell(v any, maxCell int) string {
	s := cellText(v)
	if s == "" {
		return ""
	}
	clean := []rune(sanitise(s))
	if len(clean) <= maxCell {
		return string(clean)
	}
	keep := max(maxCell-8, 8)
	head := keep * 2 / 3
	return string(clean[:head]) + "…" + string(clean[len(clean)-(keep-head):]) + "#" + shortHash(s)
}

// sanitise drops control and format characters (zero-width, bidi
// overrides), turns line breaks and tabs into visible escapes and spaces,
// and defuses anything that could close the <data> fence.
func sanitise(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\r':
			return ' '
		case r == '\n':
			return '\n'
		case unicode.Is(unicode.Cf, r) || unicode.IsControl(r) || r == utf8.RuneError:
			return -1
		}
		return r
	}, s)
	s = strings.ReplaceAll(s, "\n", `\n`)
	return defuseFence(s)
}

// defuseFence rewrites "<data" and "</data" (any case, with spaces) so
// that logged text cannot open or close the fence around results.
func defuseFence(s string) string {
	lower := strings.ToLower(s)
	if !strings.Contains(lower, "data") || !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '<' && fenceAt(lower[i+1:]) {
			b.WriteString("‹")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func fenceAt(rest string) bool {
	rest = strings.TrimLeft(rest, " /")
	return strings.HasPrefix(rest, "data")
}
