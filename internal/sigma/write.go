package sigma

// This file writes imported rules as hunt files in the hunt library's
// format: a "// key: value" header, then the query. The header's
// description and its closing prose lines carry the rule's author(s),
// link and licence, so a finding's description keeps them.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/internal/finding/attack"
)

// HuntFile renders the hunt as a library file. A hunt needs a technique
// the ATT&CK catalog knows: a rule without one gets an error.
func (h *ImportedHunt) HuntFile() (string, error) {
	if len(h.Techniques) == 0 {
		return "", errors.New("the rule has no ATT&CK technique tag; a library hunt needs one")
	}
	if _, err := attack.Default().Resolve(h.Techniques[0]); err != nil {
		return "", fmt.Errorf("no technique the ATT&CK catalog knows: %v", err)
	}
	var b strings.Builder
	line := func(key, value string) {
		if value != "" {
			fmt.Fprintf(&b, "// %s: %s\n", key, value)
		}
	}
	line("id", h.ID)
	line("title", oneLine(h.Title))
	writeWrapped(&b, "description", h.describe())
	line("tables", h.Table)
	line("techniques", strings.Join(h.Techniques, " "))
	line("tactic", h.Tactic)
	line("intents", strings.Join(h.Intents, ", "))
	line("severity", string(h.Severity))
	line("confidence", strconv.Itoa(h.Confidence))
	line("analyser", "signature")
	line("entities", strings.Join(h.Entities, ", "))
	fmt.Fprintf(&b, "//\n// Sigma rule %s (%s) by %s\n", h.RuleID, h.Path, oneLine(h.Author))
	fmt.Fprintf(&b, "// Sigma rule link %s\n", h.Link)
	if h.License != "" {
		fmt.Fprintf(&b, "// Licence %s\n", oneLine(h.License))
	}
	for _, n := range h.Notes {
		fmt.Fprintf(&b, "// Note %s\n", oneLine(n))
	}
	b.WriteString(h.KQL)
	return b.String(), nil
}

// describe is the hunt's description: the rule's, then its attribution.
func (h *ImportedHunt) describe() string {
	d := h.Description
	if d == "" {
		d = h.Title
	}
	return fmt.Sprintf("%s (Sigma rule by %s; %s)", strings.TrimSpace(d), oneLine(h.Author), h.Link)
}

// writeWrapped writes a header field over lines of about 100 characters,
// continuing with "//   ".
func writeWrapped(b *strings.Builder, key, value string) {
	prefix := "// " + key + ":"
	width := len(prefix)
	b.WriteString(prefix)
	for _, w := range strings.Fields(value) {
		if width+1+len(w) > 100 && width > len("//  ") {
			b.WriteString("\n//  ")
			width = len("//  ")
		}
		b.WriteString(" " + w)
		width += 1 + len(w)
	}
	b.WriteString("\n")
}

// WriteHunts writes each hunt as dir/<id>.kql (creating dir), where the
// hunt library's LoadDir reads it. It returns the hunts it could not
// write as a library hunt, with the reason.
func (r *Result) WriteHunts(dir string) ([]Skip, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var skipped []Skip
	for i := range r.Hunts {
		h := &r.Hunts[i]
		text, err := h.HuntFile()
		if err != nil {
			skipped = append(skipped, Skip{Path: h.Path, Kind: "attack", Reason: err.Error()})
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, h.ID+".kql"), []byte(text), 0o644); err != nil {
			return skipped, err
		}
	}
	return skipped, nil
}
