package report

// This file writes a hunt's findings as one JSON document (--output json).

import (
	"encoding/json"
	"io"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
)

// FindingsFormat names the envelope's layout; it changes only when a
// field is removed or changes meaning.
const FindingsFormat = "vigil.findings/v1"

// Envelope is the JSON document of a hunt's results. Request and Plan are
// whatever the caller passes (the parsed request and a summary of the
// plan); they must marshal to JSON.
type Envelope struct {
	Format      string            `json:"format"` // FindingsFormat when empty
	Request     any               `json:"request"`
	Plan        any               `json:"plan,omitempty"`
	GeneratedAt time.Time         `json:"generated_at"`
	Findings    []finding.Finding `json:"findings"` // written as [] when empty
	Stats       Stats             `json:"stats"`
}

// WriteFindingsJSON writes e as indented JSON followed by a newline,
// with GeneratedAt in UTC. HTML characters are escaped (\u003c), so the
// output can be pasted into a web page.
func WriteFindingsJSON(w io.Writer, e Envelope) error {
	if e.Format == "" {
		e.Format = FindingsFormat
	}
	if e.Findings == nil {
		e.Findings = []finding.Finding{}
	}
	if e.Stats.BySeverity == nil {
		e.Stats.BySeverity = map[finding.Severity]int{}
	}
	e.GeneratedAt = e.GeneratedAt.UTC()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(e)
}
