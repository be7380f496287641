package report

// This file counts what a hunt did and found, and says it in one line.

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
)

// QueryRun is one query a hunt ran: the hunt, the exact KQL, where it
// ran, what it returned and how long it took. Err is nil on success.
type QueryRun struct {
	HuntID   string
	Source   string
	KQL      string
	Rows     int
	Duration time.Duration
	Err      error
}

// Stats counts a hunt's work and findings.
type Stats struct {
	Elapsed    time.Duration            `json:"-"` // marshalled as elapsed_seconds
	Hunts      int                      `json:"hunts"`
	Queries    int                      `json:"queries"`
	Failed     int                      `json:"failed_queries"`
	Rows       int                      `json:"rows"`
	Findings   int                      `json:"findings"`
	BySeverity map[finding.Severity]int `json:"by_severity"`
}

// NewStats counts findings by severity and queries, their failures,
// rows and distinct hunts.
func NewStats(findings []finding.Finding, queries []QueryRun, elapsed time.Duration) Stats {
	s := Stats{Elapsed: elapsed, Findings: len(findings), Queries: len(queries),
		BySeverity: map[finding.Severity]int{}}
	for _, f := range findings {
		s.BySeverity[f.Severity]++
	}
	hunts := map[string]bool{}
	for _, q := range queries {
		hunts[q.HuntID] = true
		s.Rows += q.Rows
		if q.Err != nil {
			s.Failed++
		}
	}
	s.Hunts = len(hunts)
	return s
}

// MarshalJSON writes Elapsed as elapsed_seconds.
func (s Stats) MarshalJSON() ([]byte, error) {
	type fields Stats
	return json.Marshal(struct {
		ElapsedSeconds float64 `json:"elapsed_seconds"`
		fields
	}{s.Elapsed.Seconds(), fields(s)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *Stats) UnmarshalJSON(b []byte) error {
	type fields Stats
	var v struct {
		ElapsedSeconds float64 `json:"elapsed_seconds"`
		fields
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = Stats(v.fields)
	s.Elapsed = time.Duration(v.ElapsedSeconds * float64(time.Second))
	return nil
}

// Summary is the line printed when a hunt ends: "Hunt complete in 0.8 s:
// 3 findings, 1 high". Only critical and high findings are counted out;
// failed queries are mentioned.
func Summary(s Stats) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Hunt complete in %s: ", formatDuration(s.Elapsed))
	if s.Findings == 0 {
		b.WriteString("no findings")
	} else {
		fmt.Fprintf(&b, "%d %s", s.Findings, pluralWord(s.Findings, "finding", "findings"))
	}
	for _, sev := range []finding.Severity{finding.Critical, finding.High} {
		if n := s.BySeverity[sev]; n > 0 {
			fmt.Fprintf(&b, ", %d %s", n, sev)
		}
	}
	if s.Failed > 0 {
		fmt.Fprintf(&b, "; %d of %d %s failed", s.Failed, s.Queries, pluralWord(s.Queries, "query", "queries"))
	}
	return b.String()
}

// severityCounts prints the non-zero counts, highest first:
// "1 critical, 2 medium", or "none".
func severityCounts(by map[finding.Severity]int) string {
	var parts []string
	for _, sev := range severitiesDown() {
		if n := by[sev]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
