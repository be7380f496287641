package hunt

// This file holds the analyser registry and what analysers work with:
// a hunt's result rows, read by column name, and the draft findings they
// return for the runner to finish.

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// analyser reads one hunt's rows into draft findings.
type analyser func(x *analysis, r *huntRows) []*draft

// analysers are the analysers hunts may name, by name.
var analysers map[string]analyser

func init() {
	analysers = map[string]analyser{
		"signature":   analyseSignature,
		"bruteforce":  analyseBruteForce,
		"spray":       analyseSpray,
		"travel":      analyseTravel,
		"beacon":      analyseBeacon,
		"volume":      analyseVolume,
		"rarity":      analyseRarity,
		"first_seen":  analyseFirstSeen,
		"burst":       analyseBurst,
		"mass_rename": analyseMassRename,
		"timeline":    nil, // pivots: rows become timeline entries
	}
}

// Analysers lists the analyser names hunts may use.
func Analysers() []string {
	var out []string
	for n := range analysers {
		out = append(out, n)
	}
	sortStrings(out)
	return out
}

// analysis is what analysers may consult beyond their own rows.
type analysis struct {
	start, end time.Time
	fleet      int // devices in the workspace, 0 when unknown
}

// huntRows is one hunt's result table, read by column name.
type huntRows struct {
	hunt *Hunt
	kql  string
	b    *engine.Batch
	cols map[string]int
	tcol int // the time column, -1 when none
}

// timeColumns are tried in order for a row's time.
var timeColumns = []string{"Timestamp", "TimeGenerated", "FlowStartTime_t", "FlowStartTime", "EventTime"}

func newHuntRows(h *Hunt, kql string, b *engine.Batch) *huntRows {
	r := &huntRows{hunt: h, kql: kql, b: b, cols: map[string]int{}, tcol: -1}
	if b == nil {
		return r
	}
	for i, c := range b.Schema.Columns {
		r.cols[c.Name] = i
	}
	for _, n := range timeColumns {
		if i, ok := r.cols[n]; ok && b.Schema.Columns[i].Type == types.Datetime {
			r.tcol = i
			break
		}
	}
	return r
}

// n is the number of rows.
func (r *huntRows) n() int {
	if r.b == nil {
		return 0
	}
	return r.b.N
}

func (r *huntRows) has(col string) bool {
	_, ok := r.cols[col]
	return ok
}

// val returns a cell, or a null string when the column is absent.
func (r *huntRows) val(i int, col string) value.Value {
	c, ok := r.cols[col]
	if !ok {
		return value.Null(types.String)
	}
	return r.b.Cols[c].Value(i)
}

// str returns a cell as a string ("" when absent or null).
func (r *huntRows) str(i int, col string) string {
	c, ok := r.cols[col]
	if !ok {
		return ""
	}
	col0 := r.b.Cols[c]
	if col0.Type == types.String || col0.Type == types.Guid {
		return col0.Strs[i]
	}
	return col0.Value(i).String()
}

// num returns a numeric cell as a float (0 when absent, null or text).
func (r *huntRows) num(i int, col string) float64 {
	v := r.val(i, col)
	switch {
	case v.IsNull():
		return 0
	case v.Type == types.Real || v.Type == types.Decimal:
		return v.F
	case v.Type == types.Int || v.Type == types.Long:
		return float64(v.I)
	}
	var f float64
	json.Unmarshal([]byte(v.String()), &f)
	return f
}

// when returns the row's time (zero when the result has no time column).
func (r *huntRows) when(i int) time.Time {
	if r.tcol < 0 || r.b.Cols[r.tcol].IsNull(i) {
		return time.Time{}
	}
	return value.Datetime(r.b.Cols[r.tcol].Ints[i]).Time()
}

// table returns the table row i came from: its SourceTable column (union
// withsource=SourceTable), else the hunt's first table.
func (r *huntRows) table(i int) string {
	if t := r.str(i, "SourceTable"); t != "" {
		return t
	}
	if len(r.hunt.Tables) > 0 {
		return r.hunt.Tables[0]
	}
	return ""
}

// device returns the row's device name, lower-cased.
func (r *huntRows) device(i int) string {
	for _, c := range []string{"DeviceName", "Computer", "VMName"} {
		if v := r.str(i, c); v != "" {
			return strings.ToLower(v)
		}
	}
	return ""
}

// account returns the row's acting account as DOMAIN\user or a UPN.
func (r *huntRows) account(i int) string {
	for _, c := range []string{"UserPrincipalName", "Caller", "AccountUpn"} {
		if v := r.str(i, c); v != "" {
			return strings.ToLower(v)
		}
	}
	for _, p := range []string{"Account", "InitiatingProcessAccount", "RequestAccount"} {
		name := r.str(i, p+"Name")
		if name == "" {
			continue
		}
		if d := r.str(i, p+"Domain"); d != "" {
			return strings.ToLower(d + `\` + name)
		}
		return strings.ToLower(name)
	}
	return ""
}

// draft is a finding an analyser proposes; the runner finishes it.
type draft struct {
	hunt        *Hunt
	title       string
	description string
	technique   string // ATT&CK id; the hunt's primary when empty
	tactic      string // preferred tactic; the hunt's when empty
	severity    finding.Severity
	confidence  int
	reasons     []string
	parts       []evidencePart
	// rarity is how unusual the behaviour is in the fleet, 0–1; negative
	// when the analyser does not know.
	rarity    float64
	nextSteps []string
	// corroboration is added by pivots and correlation, already counted in
	// confidence; kept for the record.
	device, account string
}

// evidencePart is a set of rows of one hunt's result.
type evidencePart struct {
	rows *huntRows
	idx  []int
}

// newDraft starts a draft from a hunt's defaults over rows idx of r.
func newDraft(r *huntRows, idx []int) *draft {
	h := r.hunt
	d := &draft{hunt: h, title: h.Title, description: h.Description, severity: h.Severity,
		confidence: h.Confidence, rarity: -1, parts: []evidencePart{{rows: r, idx: idx}}}
	if len(idx) > 0 {
		d.device, d.account = r.device(idx[0]), r.account(idx[0])
	}
	return d
}

// reason appends a confidence reason.
func (d *draft) reason(format string, args ...any) {
	d.reasons = append(d.reasons, sprintf(format, args...))
}

// adjust moves confidence by delta (clamped to 1–99) with a reason.
func (d *draft) adjust(delta int, format string, args ...any) {
	d.confidence = min(99, max(1, d.confidence+delta))
	d.reason(format, args...)
}

// span returns the first and last time of the draft's rows.
func (d *draft) span() (first, last time.Time) {
	for _, p := range d.parts {
		for _, i := range p.idx {
			t := p.rows.when(i)
			if t.IsZero() {
				continue
			}
			if first.IsZero() || t.Before(first) {
				first = t
			}
			if t.After(last) {
				last = t
			}
		}
	}
	return first, last
}

// rowCount is the number of evidence rows.
func (d *draft) rowCount() int {
	n := 0
	for _, p := range d.parts {
		n += len(p.idx)
	}
	return n
}
