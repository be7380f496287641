package agent

// This file keeps every row returned to the model, exactly as the source
// returned it, addressable by the short handles (r1, r2, …) the model sees
// in minimised results.

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// result is one result table as returned, cells in evidence form.
type result struct {
	Table     string // the table read, for evidence
	Query     string // the exact KQL that ran
	Source    string
	Columns   []string
	Types     []types.Type
	Rows      [][]any
	Truncated bool
}

// newResult converts a batch; cells take their JSON form (cellJSON).
func newResult(table, query, source string, b *engine.Batch) *result {
	r := &result{Table: table, Query: query, Source: source}
	for _, c := range b.Schema.Columns {
		r.Columns = append(r.Columns, c.Name)
		r.Types = append(r.Types, c.Type)
	}
	r.Rows = make([][]any, b.N)
	for i := range b.N {
		row := make([]any, len(b.Cols))
		for j, c := range b.Cols {
			row[j] = cellJSON(c.Value(i))
		}
		r.Rows[i] = row
	}
	return r
}

// cellJSON is a cell's evidence form: datetimes as RFC 3339 text, dynamic
// values decoded from JSON, the rest as Go scalars.
func cellJSON(v value.Value) any {
	if v.IsNull() {
		return nil
	}
	switch v.Type {
	case types.Bool:
		return v.B
	case types.Int, types.Long:
		return v.I
	case types.Real, types.Decimal:
		return v.F
	case types.Datetime:
		return value.Datetime(v.I).Time().UTC().Format(time.RFC3339Nano)
	case types.String, types.Guid:
		return v.S
	case types.Dynamic:
		var out any
		if err := json.Unmarshal([]byte(value.FormatJSON(v.D)), &out); err == nil {
			return out
		}
	}
	return v.String()
}

// rowMap is row i of r as column → value.
func (r *result) rowMap(i int) map[string]any {
	m := make(map[string]any, len(r.Columns))
	for j, c := range r.Columns {
		m[c] = r.Rows[i][j]
	}
	return m
}

// Evidence holds every row a run returned to the model. Each group of
// identical rows has a handle; Lookup turns a handle back into the exact
// rows. A nil *Evidence holds nothing.
type Evidence struct {
	results []*result
	handles map[string]handleRef
	order   []string
}

type handleRef struct {
	result int
	rows   []int
}

func newEvidence() *Evidence { return &Evidence{handles: map[string]handleRef{}} }

// add stores r and gives each group of row indexes the next handle.
func (e *Evidence) add(r *result, groups [][]int) []string {
	e.results = append(e.results, r)
	idx := len(e.results) - 1
	out := make([]string, len(groups))
	for i, g := range groups {
		h := "r" + strconv.Itoa(len(e.order)+1)
		e.handles[h] = handleRef{result: idx, rows: g}
		e.order = append(e.order, h)
		out[i] = h
	}
	return out
}

// Handles lists every handle given out, in order.
func (e *Evidence) Handles() []string {
	if e == nil {
		return nil
	}
	return append([]string(nil), e.order...)
}

// Lookup returns the exact rows behind a handle, as finding evidence.
func (e *Evidence) Lookup(handle string) (finding.Evidence, bool) {
	evs, unknown := e.evidenceFor([]string{handle})
	if len(unknown) > 0 || len(evs) != 1 {
		return finding.Evidence{}, false
	}
	return evs[0], true
}

// evidenceFor gathers the rows of handles into one evidence entry per
// result, in the order results were first cited; unknown handles are
// returned apart.
func (e *Evidence) evidenceFor(handles []string) ([]finding.Evidence, []string) {
	if e == nil {
		return nil, handles
	}
	var unknown []string
	pos := map[int]int{}
	seen := map[[2]int]bool{}
	var out []finding.Evidence
	for _, h := range handles {
		ref, ok := e.handles[strings.TrimSpace(h)]
		if !ok {
			unknown = append(unknown, h)
			continue
		}
		r := e.results[ref.result]
		k, ok := pos[ref.result]
		if !ok {
			k = len(out)
			pos[ref.result] = k
			out = append(out, finding.Evidence{Table: r.Table, Query: r.Query, Source: r.Source,
				Columns: append([]string(nil), r.Columns...), Count: len(r.Rows)})
		}
		idc := rowIDColumn(r.Columns)
		for _, i := range ref.rows {
			if seen[[2]int{ref.result, i}] {
				continue
			}
			seen[[2]int{ref.result, i}] = true
			out[k].Rows = append(out[k].Rows, r.rowMap(i))
			if idc >= 0 {
				out[k].RowIDs = append(out[k].RowIDs, finding.RowID{Column: r.Columns[idc], ID: cellText(r.Rows[i][idc])})
			}
		}
	}
	return out, unknown
}

// idColumns name the columns that identify a row, most specific first.
var idColumns = []string{"ReportId", "EventDataId", "_ItemId"}

func rowIDColumn(cols []string) int {
	for _, want := range idColumns {
		for j, c := range cols {
			if c == want {
				return j
			}
		}
	}
	return -1
}

// cellText is a cell as plain text: strings as they are, other values in
// their JSON form, null as "".
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// deviceColumns hold device names or ids a proposal may target.
var deviceColumns = []string{"DeviceName", "DeviceId", "Computer", "HostName", "RemoteDeviceName"}

// device finds target among the devices of returned rows: equal to a
// device name or id, or to a name's first label (ws-01 for
// ws-01.contoso.com). It returns the row's device name and id.
func (e *Evidence) device(target string) (name, id string, ok bool) {
	t := strings.ToLower(strings.TrimSpace(expand(target, e.rows())))
	if e == nil || t == "" {
		return "", "", false
	}
	for _, r := range e.results {
		for _, row := range r.Rows {
			n, i, found := matchDevice(r.Columns, row, t)
			switch {
			case found && i != "":
				return n, i, true // a row that also names the device id
			case found && !ok:
				name, ok = n, true
			}
		}
	}
	return name, "", ok
}

func matchDevice(cols []string, row []any, t string) (name, id string, ok bool) {
	get := func(col string) string {
		for j, c := range cols {
			if c == col {
				return cellText(row[j])
			}
		}
		return ""
	}
	for _, col := range deviceColumns {
		v := strings.ToLower(get(col))
		if v == "" {
			continue
		}
		short, _, _ := strings.Cut(v, ".")
		if v != t && short != t {
			continue
		}
		if col != "DeviceName" && col != "DeviceId" {
			return get(col), "", true // another device than the row's own
		}
		if name = get("DeviceName"); name == "" {
			name = get(col)
		}
		return name, get("DeviceId"), true
	}
	return "", "", false
}

// expand returns the full value a shortened one stands for, when exactly
// one value of rows matches: an id or hash cut to a prefix ("080dd354…")
// or a long value cut to its head and tail with a hash ("powershell
// -enc …AAAA#1a2b3c").
// Anything else comes back as it is.
func expand(v string, rows []map[string]any) string {
	prefix, hash, ok := shortForm(v)
	if !ok {
		return v
	}
	found := ""
	for _, row := range rows {
		for _, cellv := range row {
			for _, s := range leaves(cellv) {
				if !matchesShort(s, prefix, hash) {
					continue
				}
				if found != "" && found != s {
					return v // ambiguous
				}
				found = s
			}
		}
	}
	if found == "" {
		return v
	}
	return found
}

// shortForm splits an id cut to a prefix ("080dd354…") and a long value
// cut as "head…tail#hash" (also written with "...").
func shortForm(v string) (prefix, hash string, ok bool) {
	v = strings.TrimSpace(v)
	if i := strings.LastIndexByte(v, '#'); i >= 0 && len(v)-i == 7 && isHex(v[i+1:]) {
		head, _, found := strings.Cut(v[:i], "…")
		if !found {
			head, _, found = strings.Cut(v[:i], "...")
		}
		return head, strings.ToLower(v[i+1:]), found
	}
	for _, ell := range []string{"…", "..."} {
		if p, ok := strings.CutSuffix(v, ell); ok && len(p) >= 8 && isHex(strings.ReplaceAll(p, "-", "")) {
			return p, "", true
		}
	}
	return "", "", false
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return s != ""
}

func matchesShort(s, prefix, hash string) bool {
	if hash != "" {
		return shortHash(s) == hash && strings.HasPrefix(sanitise(s), prefix)
	}
	return opaque(s) && strings.HasPrefix(strings.ToLower(s), strings.ToLower(prefix))
}

// rows lists every row returned in the run, as maps.
func (e *Evidence) rows() []map[string]any {
	if e == nil {
		return nil
	}
	var out []map[string]any
	for _, r := range e.results {
		for i := range r.Rows {
			out = append(out, r.rowMap(i))
		}
	}
	return out
}
