package respond

// This file defines finding severities and their order.

import (
	"fmt"
	"strings"
)

// Severity orders findings; the zero value is SeverityUnknown, below all.
type Severity int

// Severities, lowest first.
const (
	SeverityUnknown Severity = iota
	SeverityInformational
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

var severityNames = []string{"unknown", "informational", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads a severity name (any case; "info" for informational).
func ParseSeverity(s string) (Severity, error) {
	n := strings.ToLower(strings.TrimSpace(s))
	if n == "info" {
		return SeverityInformational, nil
	}
	if n == "" {
		return SeverityUnknown, nil
	}
	for i, name := range severityNames {
		if n == name {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q", s)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}
