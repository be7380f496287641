package hunt

// This file prints a plan for people (--explain).

import (
	"fmt"
	"strings"
	"time"
)

// Explain describes the plan in a few lines: the time range and where it
// came from, the intents with their cues, the entities, the tables and
// hunts, and the notes.
func (p Plan) Explain() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Request: %s\n", p.Request)
	from := "default"
	if p.TimeText != "" {
		from = fmt.Sprintf("from %q", p.TimeText)
	}
	fmt.Fprintf(&b, "Time:    %s .. %s (%s, %s)\n", p.Start.Format(time.RFC3339), p.End.Format(time.RFC3339),
		humanSpan(p.End.Sub(p.Start)), from)
	b.WriteString("Intents:")
	if len(p.Intents) == 0 {
		b.WriteString(" none recognised")
	}
	b.WriteString("\n")
	for _, in := range p.Intents {
		fmt.Fprintf(&b, "  %-20s %.2f  %s\n", in.ID, in.Confidence, strings.Join(quoteAll(in.Cues), ", "))
	}
	if p.Triage {
		b.WriteString("  (broad triage pack)\n")
	}
	b.WriteString("Entities:")
	if p.Entities.Empty() {
		b.WriteString(" none")
	}
	b.WriteString("\n")
	p.Entities.explain(&b)
	fmt.Fprintf(&b, "Tables:  %s\n", orNone(p.Tables))
	fmt.Fprintf(&b, "Hunts:   %s\n", orNone(p.HuntIDs))
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "Note:    %s\n", n)
	}
	return b.String()
}

func (e Entities) explain(b *strings.Builder) {
	for _, d := range e.Devices {
		extra := d.How
		if d.ID != "" {
			extra = "id " + d.ID + ", " + extra
		}
		if !strings.EqualFold(d.Text, d.Name) {
			extra += fmt.Sprintf(", written %q", d.Text)
		}
		fmt.Fprintf(b, "  device   %s (%s)\n", d.Name, extra)
	}
	for _, a := range e.Accounts {
		k := "not checked"
		if a.Known {
			k = "known"
		}
		fmt.Fprintf(b, "  account  %s (%s)\n", a.Name, k)
	}
	line := func(kind string, xs []string) {
		for _, x := range xs {
			fmt.Fprintf(b, "  %-8s %s\n", kind, x)
		}
	}
	line("ip", e.IPs)
	line("domain", e.Domains)
	line("url", e.URLs)
	for _, h := range e.Hashes {
		fmt.Fprintf(b, "  %-8s %s\n", h.Kind, h.Value)
	}
	line("file", e.Files)
}

// humanSpan prints a duration as days and hours: 3d, 1d12h, 90m.
func humanSpan(d time.Duration) string {
	day := 24 * time.Hour
	switch {
	case d >= day && d%day == 0:
		return fmt.Sprintf("%dd", d/day)
	case d >= day:
		return fmt.Sprintf("%dd%dh", d/day, (d%day)/time.Hour)
	}
	return humanDuration(d.Round(time.Minute))
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}
