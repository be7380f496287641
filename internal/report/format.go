package report

// This file formats the parts of a finding that every output shares:
// times, cell values, ATT&CK references, producers and actions.

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
)

// timeLayout prints times in UTC to the second.
const timeLayout = "2006-01-02 15:04:05Z"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format(timeLayout)
}

// formatSpan prints first → last, the date of last omitted when it is the
// same day, and only one time when both are equal.
func formatSpan(first, last time.Time) string {
	switch {
	case first.IsZero() && last.IsZero():
		return "—"
	case last.IsZero() || first.Equal(last):
		return formatTime(first)
	case first.IsZero():
		return formatTime(last)
	}
	f, l := first.UTC(), last.UTC()
	if f.Format("2006-01-02") == l.Format("2006-01-02") {
		return formatTime(f) + " → " + l.Format("15:04:05Z")
	}
	return formatTime(f) + " → " + formatTime(l)
}

// formatDuration prints a run time for people: "0.8 s", "12 ms", "2 min 05 s".
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		if d < 100*time.Millisecond {
			return fmt.Sprintf("%d ms", d.Milliseconds())
		}
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%d min %02d s", int(d.Minutes()), int(d.Seconds())%60)
}

// cellText prints an evidence cell: strings as they are, integral numbers
// without a fraction, null as empty, dynamic values as compact JSON.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return x.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// evidenceColumns is the column order of an evidence entry: the declared
// columns, then any other keys of its rows, sorted.
func evidenceColumns(ev finding.Evidence) []string {
	cols := append([]string(nil), ev.Columns...)
	seen := map[string]bool{}
	for _, c := range cols {
		seen[c] = true
	}
	var extra []string
	for _, row := range ev.Rows {
		for c := range row {
			if !seen[c] {
				seen[c] = true
				extra = append(extra, c)
			}
		}
	}
	sort.Strings(extra)
	return append(cols, extra...)
}

// severityLabel is the upper-case badge text of a severity.
func severityLabel(s finding.Severity) string {
	if s == "" {
		return "UNKNOWN"
	}
	return strings.ToUpper(string(s))
}

// severitiesDown lists the severities, highest first.
func severitiesDown() []finding.Severity {
	out := make([]finding.Severity, len(finding.Severities))
	for i, s := range finding.Severities {
		out[len(out)-1-i] = s
	}
	return out
}

// attackPath prints "Credential Access (TA0006) › T1003.001 OS Credential
// Dumping: LSASS Memory", or "" when the finding has no ATT&CK mapping.
func attackPath(f finding.Finding, sep string) string {
	var parts []string
	if f.Tactic != nil {
		parts = append(parts, fmt.Sprintf("%s (%s)", f.Tactic.Name, f.Tactic.ID))
	}
	if t := techniqueName(f); t != "" {
		parts = append(parts, t)
	}
	return strings.Join(parts, sep)
}

// techniqueName prints the most specific technique with its id:
// "T1003.001 OS Credential Dumping: LSASS Memory".
func techniqueName(f finding.Finding) string {
	switch {
	case f.SubTechnique != nil && f.Technique != nil:
		return fmt.Sprintf("%s %s: %s", f.SubTechnique.ID, f.Technique.Name, f.SubTechnique.Name)
	case f.SubTechnique != nil:
		return f.SubTechnique.ID + " " + f.SubTechnique.Name
	case f.Technique != nil:
		return f.Technique.ID + " " + f.Technique.Name
	}
	return ""
}

// attackURL links an ATT&CK id (TA0006, T1003, T1003.001) to its page.
func attackURL(id string) string {
	switch {
	case strings.HasPrefix(id, "TA"):
		return "https://attack.mitre.org/tactics/" + id + "/"
	case strings.HasPrefix(id, "M"):
		return "https://attack.mitre.org/mitigations/" + id + "/"
	}
	return "https://attack.mitre.org/techniques/" + strings.ReplaceAll(id, ".", "/") + "/"
}

// producerText names a producer in one line; Sigma rules are credited
// with title and author (the link is printed separately).
func producerText(p finding.Producer) string {
	switch p.Kind {
	case finding.ProducerHunter:
		if p.Title != "" {
			return fmt.Sprintf("hunt %s (%s)", p.HuntID, p.Title)
		}
		return "hunt " + p.HuntID
	case finding.ProducerAgent:
		if p.Model != "" {
			return "agent (" + p.Model + ")"
		}
		return "agent"
	case finding.ProducerSigma:
		s := fmt.Sprintf("Sigma rule %q", p.Title)
		if p.Author != "" {
			s += " by " + p.Author
		}
		return s
	}
	return string(p.Kind)
}

// producerShort names a producer without a Sigma rule's authors.
func producerShort(p finding.Producer) string {
	if p.Kind == finding.ProducerSigma {
		return fmt.Sprintf("Sigma rule %q", p.Title)
	}
	return producerText(p)
}

// producers lists the finding's producer and the ones merged into it.
func producers(f finding.Finding) []finding.Producer {
	return append([]finding.Producer{f.Producer}, f.AlsoProducedBy...)
}

// sigmaCredit is the attribution line the Detection Rule License asks
// for: rule title, author, link and licence.
func sigmaCredit(p finding.Producer) string {
	s := producerText(p)
	if p.Link != "" {
		s += " — " + p.Link
	}
	if p.License != "" {
		s += " (" + p.License + ")"
	}
	return s
}

// actionParams prints an action's parameters as k=v, keys sorted.
func actionParams(a finding.Action) string {
	keys := make([]string, 0, len(a.Params))
	for k := range a.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + a.Params[k]
	}
	return strings.Join(parts, ", ")
}

// splitRecommendations separates next steps from ATT&CK mitigations.
func splitRecommendations(rs []finding.Recommendation) (steps, mitigations []finding.Recommendation) {
	for _, r := range rs {
		if r.Kind == finding.KindMitigation {
			mitigations = append(mitigations, r)
		} else {
			steps = append(steps, r)
		}
	}
	return steps, mitigations
}

// mitigationText prints "M1043 Credential Access Protection".
func mitigationText(r finding.Recommendation) string {
	if r.MitigationID == "" {
		return r.Text
	}
	return r.MitigationID + " " + r.Text
}

// confidenceText prints "high (90)".
func confidenceText(c finding.Confidence) string {
	if c.Level == "" {
		return strconv.Itoa(c.Score)
	}
	return fmt.Sprintf("%s (%d)", c.Level, c.Score)
}

// rowIDColumns lists the id columns of an evidence entry (ReportId): they
// identify rows but say nothing to an analyst scanning a card.
func rowIDColumns(ev finding.Evidence) map[string]bool {
	m := map[string]bool{}
	for _, id := range ev.RowIDs {
		m[id.Column] = true
	}
	return m
}
