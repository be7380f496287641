package hunt

// This file finishes a draft into a finding: ATT&CK fields from the
// catalog, evidence with the exact query and its rows, entities, IOCs,
// timeline, recommendations, proposed actions, risk score and id.

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/finding/attack"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// finisher turns drafts into findings.
type finisher struct {
	cat     *attack.Catalog
	assets  assetMap
	source  string
	maxRows int
}

// annotations are columns a hunt adds to grade its rows; they are left
// out of the evidence.
var annotations = []string{"SourceTable", "Confidence", "Reason", "Technique", "Title", "Severity", "Subject"}

// idColumns name the row id column of tables whose id is not ReportId.
var idColumns = map[string]string{
	"SigninLogs": "Id", "AADNonInteractiveUserSignInLogs": "Id", "AuditLogs": "Id",
	"AzureActivity": "EventDataId", "AzureNetworkAnalytics_CL": "_ItemId", "SecurityEvent": "EventOriginId",
	"OfficeActivity": "OfficeId",
}

// idColumn is the id column of table's rows.
func idColumn(table string) string {
	if c, ok := idColumns[table]; ok {
		return c
	}
	return "ReportId"
}

func (fs *finisher) finish(d *draft) (finding.Finding, error) {
	f := finding.Finding{
		Title:       d.title,
		Description: d.description,
		Severity:    d.severity,
		Producer:    finding.Producer{Kind: finding.ProducerHunter, HuntID: d.hunt.ID, Title: d.hunt.Title},
		Verified:    true,
	}
	f.Confidence = finding.Confidence{Level: finding.LevelFor(d.confidence), Score: d.confidence, Reasons: slices.Clone(d.reasons)}
	tech := d.technique
	if tech == "" {
		tech = d.hunt.Technique()
	}
	if err := f.SetAttack(fs.cat, tech, fs.tacticFor(tech, d)); err != nil {
		return f, fmt.Errorf("hunt %s: %w", d.hunt.ID, err)
	}
	f.FirstSeen, f.LastSeen = d.span()
	fs.evidence(&f, d)
	if f.FirstSeen.IsZero() {
		f.FirstSeen, f.LastSeen = firstEvent(f.Timeline)
	}
	f.Entities = entitiesOf(d)
	f.IOCs = finding.ExtractIOCs(f.Evidence)
	f.Recommendations = fs.recommend(f, d)
	f.Actions = proposeActions(f, d)
	a := fs.assets.of(d.device)
	f.RiskScore = finding.Score(f.Severity, f.Confidence, a.criticality, max(d.rarity, 0))
	if a.criticality >= 4 {
		f.Confidence.Reasons = append(f.Confidence.Reasons, fmt.Sprintf("%s is a critical asset (%s)", d.device, a.why))
	}
	f.ID = f.ComputeID()
	return f, nil
}

// tacticFor picks the tactic: the draft's or the hunt's when the
// technique sits under it, else the technique's first.
func (fs *finisher) tacticFor(tech string, d *draft) string {
	for _, t := range []string{d.tactic, d.hunt.Tactic} {
		if t != "" && fs.cat.InTactic(tech, t) {
			return t
		}
	}
	if t, err := fs.cat.Resolve(tech); err == nil && len(t.Tactics) > 0 {
		return t.Tactics[0]
	}
	return ""
}

// evidence fills Evidence and Timeline from the draft's rows, one entry
// per hunt and table.
func (fs *finisher) evidence(f *finding.Finding, d *draft) {
	for _, p := range d.parts {
		byTable := map[string][]int{}
		var tables []string
		for _, i := range p.idx {
			t := p.rows.table(i)
			if _, ok := byTable[t]; !ok {
				tables = append(tables, t)
			}
			byTable[t] = append(byTable[t], i)
		}
		for _, t := range tables {
			fs.addEvidence(f, p.rows, t, byTable[t])
		}
	}
}

func (fs *finisher) addEvidence(f *finding.Finding, r *huntRows, table string, idx []int) {
	ev := finding.Evidence{Table: table, Query: r.kql, Source: fs.source, Count: len(idx)}
	for _, c := range r.b.Schema.Columns {
		if !slices.Contains(annotations, c.Name) {
			ev.Columns = append(ev.Columns, c.Name)
		}
	}
	idc := idColumn(table)
	keep := sampleRows(idx, fs.maxRows)
	e := len(f.Evidence)
	for j, i := range keep {
		row := make(map[string]any, len(ev.Columns))
		for _, c := range ev.Columns {
			row[c] = cellJSON(r.val(i, c))
		}
		ev.Rows = append(ev.Rows, row)
		if r.has(idc) {
			ev.RowIDs = append(ev.RowIDs, finding.RowID{Column: idc, ID: r.str(i, idc)})
		}
		if t := r.when(i); !t.IsZero() {
			f.Timeline = append(f.Timeline, finding.Event{Time: t, Table: table, Summary: describeRow(r, i, table),
				Entity: r.device(i), Row: &finding.RowRef{Evidence: e, Row: j}})
		}
	}
	f.Evidence = append(f.Evidence, ev)
}

// sampleRows keeps at most n rows: the first n/2 and the last n/2, so the
// start and end of long activity both show.
func sampleRows(idx []int, n int) []int {
	if n <= 0 || len(idx) <= n {
		return idx
	}
	out := slices.Clone(idx[:n/2])
	return append(out, idx[len(idx)-(n-n/2):]...)
}

// cellJSON converts a cell to its JSON form: datetimes as RFC 3339 text,
// dynamic values decoded.
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
		return decodeJSON(value.FormatJSON(v.D))
	}
	return v.String()
}

func firstEvent(es []finding.Event) (time.Time, time.Time) {
	var a, b time.Time
	for _, e := range es {
		if a.IsZero() || e.Time.Before(a) {
			a = e.Time
		}
		if e.Time.After(b) {
			b = e.Time
		}
	}
	return a, b
}

// recommend lists the technique's ATT&CK mitigations (at most five) and
// the analyser's and tactic's next steps.
func (fs *finisher) recommend(f finding.Finding, d *draft) []finding.Recommendation {
	var out []finding.Recommendation
	for i, m := range finding.MitigationAdvice(fs.cat, f) {
		if i == 5 {
			break
		}
		out = append(out, m)
	}
	steps := slices.Clone(d.nextSteps)
	if f.Tactic != nil {
		steps = append(steps, tacticSteps[f.Tactic.ID]...)
	}
	for _, s := range steps {
		out = append(out, finding.Recommendation{Kind: finding.KindNextStep, Text: s})
	}
	return out
}

// tacticSteps are generic next steps by tactic id.
var tacticSteps = map[string][]string{
	"TA0001": {"Confirm with the account owner whether they performed this access; reset the credentials if not"},
	"TA0002": {"Retrieve the full process tree and the script or binary that ran, and check its reputation"},
	"TA0003": {"Remove the persistence entry after collecting it, and look for the same entry on other devices"},
	"TA0004": {"Review what the elevated context did afterwards and remove any new privileges"},
	"TA0005": {"Restore the disabled protection and check what ran while it was off"},
	"TA0006": {"Reset the passwords of every account that was logged on to the device, privileged accounts first"},
	"TA0007": {"Find what the same account and process did next: discovery usually precedes lateral movement"},
	"TA0008": {"Trace the source device of the movement and scope every device the account reached"},
	"TA0009": {"Identify the data that was collected and who owns it"},
	"TA0010": {"Establish how much data left and where to, and block the destination"},
	"TA0011": {"Block the destination at the proxy or firewall and hunt for it across the fleet"},
	"TA0040": {"Isolate affected devices, protect backups and start the incident response plan"},
	"TA0043": {"Check whether the scanning source later reached any exposed service successfully"},
}

// proposeActions proposes responses for confident, severe findings:
// isolating and collecting from devices, disabling and signing out cloud
// accounts, and blocking the remote indicators.
func proposeActions(f finding.Finding, d *draft) []finding.Action {
	if f.Severity.Rank() < finding.High.Rank() || f.Confidence.Score < 70 {
		return nil
	}
	why := fmt.Sprintf("%s (%s, confidence %d)", f.Title, f.AttackID(), f.Confidence.Score)
	var out []finding.Action
	if d.device != "" {
		out = append(out,
			finding.Action{Action: finding.ActionIsolateDevice, Target: d.device, Reason: why, Params: map[string]string{"isolation_type": "Full"}},
			finding.Action{Action: finding.ActionCollectPackage, Target: d.device, Reason: "preserve evidence before remediation: " + why})
	}
	if d.account != "" && !builtinAccount(d.account) && strings.Contains(d.account, "@") {
		out = append(out,
			finding.Action{Action: finding.ActionRevokeSessions, Target: d.account, Reason: why},
			finding.Action{Action: finding.ActionDisableUser, Target: d.account, Reason: why})
	}
	blocked := 0
	for _, x := range f.IOCs {
		if blocked < 3 && publicIndicator(x) {
			out = append(out, finding.Action{Action: finding.ActionBlockIndicator, Target: x.Value, Reason: "remote party of: " + why})
			blocked++
		}
	}
	return out
}
