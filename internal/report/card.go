package report

// This file draws findings as boxed cards for an analyst's terminal.

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
)

// CardOptions configure WriteCards. The zero value draws 100 columns wide
// in Unicode without colour.
type CardOptions struct {
	Width int  // terminal columns; default 100, at least 40
	Color bool // ANSI colours: set from ColorEnabled, never by guessing
	ASCII bool // draw with + - | and plain punctuation instead of Unicode
	// MaxEvidenceRows caps the evidence rows shown per card (default 3);
	// negative shows none.
	MaxEvidenceRows int
}

const (
	defaultWidth     = 100
	minWidth         = 40
	defaultCardRows  = 3
	cardListMax      = 6  // entities or IOCs listed before "+N more"
	cardLabelWidth   = 12 // the label column of a card's fields
	cardReasonsShown = 3
	cardRowLines     = 2 // lines an evidence row may take
)

// WriteCards writes one card per finding, separated by blank lines.
func WriteCards(w io.Writer, findings []finding.Finding, o CardOptions) error {
	o = o.withDefaults()
	var sb strings.Builder
	for i, f := range findings {
		if i > 0 {
			sb.WriteByte('\n')
		}
		c := newCard(o, f)
		c.draw(f)
		for _, l := range c.lines {
			sb.WriteString(l)
			sb.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

func (o CardOptions) withDefaults() CardOptions {
	if o.Width <= 0 {
		o.Width = defaultWidth
	}
	o.Width = max(o.Width, minWidth)
	if o.MaxEvidenceRows == 0 {
		o.MaxEvidenceRows = defaultCardRows
	}
	return o
}

// seg is a run of card text in one style.
type seg struct {
	s  string
	st sgr
}

// card accumulates the rendered lines of one finding's card.
type card struct {
	o     CardOptions
	g     glyphs
	ascii *strings.Replacer
	inner int // columns between "│ " and " │"
	d     defanger
	lines []string
}

var asciiPunct = strings.NewReplacer("→", "->", "—", "-", "·", "-", "›", ">", "…", "...",
	"•", "*", "▸", ">", "⚠", "!", "“", `"`, "”", `"`, "’", "'")

func newCard(o CardOptions, f finding.Finding) *card {
	c := &card{o: o, g: unicodeGlyphs, inner: o.Width - 4, d: newDefanger(f)}
	if o.ASCII {
		c.g, c.ascii = asciiGlyphs, asciiPunct
	}
	return c
}

// txt makes text printable: controls escaped, and ASCII only in ASCII mode.
func (c *card) txt(s string) string {
	s = termSafe(s)
	if c.ascii != nil {
		s = c.ascii.Replace(s)
	}
	return s
}

// wrap breaks text into lines of n columns, keeping its line breaks.
func (c *card) wrap(s string, n int) []string {
	if c.ascii != nil {
		s = c.ascii.Replace(s)
	}
	return wrapText(s, n)
}

// cut shortens printable text to n columns with the mode's ellipsis.
func (c *card) cut(s string, n int) string {
	if c.ascii != nil {
		return cutWith(s, n, "...")
	}
	return cutWidth(s, n)
}

func (c *card) paint(st sgr, s string) string { return paint(c.o.Color, st, s) }

// border draws a horizontal border: left, a label, a fill, right text.
func (c *card) border(left, right string, label, tail []seg) {
	used := textWidth(left) + textWidth(right)
	var b strings.Builder
	b.WriteString(left)
	for _, s := range label {
		used += textWidth(s.s)
		b.WriteString(c.paint(s.st, s.s))
	}
	tailW := 0
	for _, s := range tail {
		tailW += textWidth(s.s)
	}
	b.WriteString(strings.Repeat(c.g.h, max(c.o.Width-used-tailW, 1)))
	for _, s := range tail {
		b.WriteString(c.paint(s.st, s.s))
	}
	b.WriteString(right)
	c.lines = append(c.lines, b.String())
}

// rule draws a divider with a section title.
func (c *card) rule(title string) {
	c.border(c.g.lt+c.g.h+" ", c.g.rt, []seg{{c.cut(c.txt(title), c.inner-2), bold}, {" ", plain}}, nil)
}

// row draws one content line, padding (or cutting) it to the card width.
func (c *card) row(segs ...seg) {
	var b strings.Builder
	w := 0
	for _, s := range segs {
		if room := c.inner - w; textWidth(s.s) > room {
			s.s = c.cut(s.s, room)
		}
		w += textWidth(s.s)
		b.WriteString(c.paint(s.st, s.s))
	}
	c.lines = append(c.lines, c.g.v+" "+b.String()+strings.Repeat(" ", c.inner-w)+" "+c.g.v)
}

// para draws wrapped text in one style.
func (c *card) para(text string, st sgr) {
	for _, l := range c.wrap(text, c.inner) {
		c.row(seg{l, st})
	}
}

// field draws a label and one or more values, each wrapped with a
// hanging indent under the label.
func (c *card) field(label string, st sgr, values ...string) {
	lw := min(cardLabelWidth, c.inner/3)
	for i, v := range values {
		lab := ""
		if i == 0 {
			lab = label
		}
		for j, l := range c.wrap(v, c.inner-lw) {
			if j > 0 {
				lab = ""
			}
			c.row(seg{padRight(c.cut(lab, lw-1), lw), dim}, seg{l, st})
		}
	}
}

func (c *card) draw(f finding.Finding) {
	c.header(f)
	c.facts(f)
	c.evidence(f)
	c.advice(f)
	c.actions(f)
	c.border(c.g.bl, c.g.br, nil, nil)
}

func (c *card) header(f finding.Finding) {
	badge := "[" + severityLabel(f.Severity) + "]"
	if c.o.Color {
		badge = " " + severityLabel(f.Severity) + " "
	}
	risk := fmt.Sprintf(" risk %d/100 ", f.RiskScore)
	c.border(c.g.tl+c.g.h+" ", c.g.h+c.g.tr,
		[]seg{{badge, badgeStyle(f.Severity)}, {" ", plain}}, []seg{{risk, bold}})
	c.para(f.Title, bold)
	sub := []string{f.ID, producerShort(f.Producer)}
	if !f.Verified {
		sub = append(sub, "unverified")
	}
	c.para(strings.Join(sub, " · "), dim)
	if f.Description != "" {
		c.para(c.d.text(f.Description), plain)
	}
}

func (c *card) facts(f finding.Finding) {
	c.row()
	conf := confidenceText(f.Confidence)
	if rs := f.Confidence.Reasons; len(rs) > 0 {
		conf += " — " + strings.Join(rs[:min(len(rs), cardReasonsShown)], "; ")
		if len(rs) > cardReasonsShown {
			conf += fmt.Sprintf(" (+%d more)", len(rs)-cardReasonsShown)
		}
	}
	c.field("Confidence", plain, conf)
	if !f.Verified {
		c.field("Unverified", yellow, prefixAll(c.g.warn+" ", f.UnverifiedReasons)...)
	}
	if p := attackPath(f, " "+c.g.arrow+" "); p != "" {
		c.field("ATT&CK", plain, p)
	}
	c.field("Seen", plain, formatSpan(f.FirstSeen, f.LastSeen))
	c.list("Entities", len(f.Entities), func(i int) string {
		e := f.Entities[i]
		s := string(e.Type) + " " + c.d.entity(e)
		if e.Role != "" {
			s += " (" + string(e.Role) + ")"
		}
		return s
	})
	iocs := keyIOCs(f)
	c.list("IOCs", len(iocs), func(i int) string {
		return string(iocs[i].Type) + " " + defangedOf(iocs[i])
	})
	c.credits(f)
}

// list draws up to cardListMax values of a field and a "+N more" line.
func (c *card) list(label string, n int, item func(int) string) {
	if n == 0 {
		return
	}
	var vals []string
	for i := 0; i < min(n, cardListMax); i++ {
		vals = append(vals, item(i))
	}
	if n > cardListMax {
		vals = append(vals, fmt.Sprintf("+%d more", n-cardListMax))
	}
	c.field(label, plain, vals...)
}

// credits names the Sigma rules behind the finding (required by their
// licence) and any other producers merged into it.
func (c *card) credits(f finding.Finding) {
	for _, p := range sigmaProducers(f) {
		credit := fmt.Sprintf("%q by %s", p.Title, p.Author)
		if p.License != "" {
			credit += " (" + p.License + ")"
		}
		c.field("Sigma rule", plain, credit, p.Link)
	}
	var also []string
	for _, p := range f.AlsoProducedBy {
		if p.Kind != finding.ProducerSigma {
			also = append(also, producerText(p))
		}
	}
	if len(also) > 0 {
		c.field("Also from", plain, strings.Join(also, "; "))
	}
}

func (c *card) evidence(f finding.Finding) {
	budget := c.o.MaxEvidenceRows
	for i, ev := range f.Evidence {
		if budget <= 0 {
			if rest := len(f.Evidence) - i; budget == 0 && rest > 0 {
				c.row(seg{fmt.Sprintf("+%d more evidence %s", rest, pluralWord(rest, "query", "queries")), dim})
			}
			return
		}
		shown := min(budget, len(ev.Rows))
		budget -= shown
		c.rule(evidenceTitle(ev, shown))
		ids := rowIDColumns(ev)
		cols := evidenceColumns(ev)
		for _, row := range ev.Rows[:shown] {
			c.compactRow(f, cols, ids, row)
		}
	}
}

// evidenceTitle is "Evidence · DeviceProcessEvents · 3 of 120 rows · mde".
func evidenceTitle(ev finding.Evidence, shown int) string {
	n := max(ev.Count, len(ev.Rows))
	rows := fmt.Sprintf("%d %s", n, pluralWord(n, "row", "rows"))
	if shown < n {
		rows = fmt.Sprintf("%d of %d rows", shown, n)
	}
	parts := []string{"Evidence", ev.Table, rows}
	if ev.Source != "" {
		parts = append(parts, ev.Source)
	}
	return strings.Join(parts, " · ")
}

// compactRow prints a row's non-empty values in column order, id columns
// left out and timestamps shortened, on at most two lines.
func (c *card) compactRow(f finding.Finding, cols []string, ids map[string]bool, row map[string]any) {
	var vals []string
	for _, col := range cols {
		if v := cellText(row[col]); v != "" && !ids[col] {
			vals = append(vals, c.txt(c.d.text(shortTime(v, f))))
		}
	}
	lines := wrapText(strings.Join(vals, c.txt(" · ")), c.inner-2)
	if len(lines) > cardRowLines {
		rest := strings.Join(lines[cardRowLines-1:], " ")
		lines = append(lines[:cardRowLines-1], c.cut(rest, c.inner-2))
	}
	for i, l := range lines {
		mark := "  "
		if i == 0 {
			mark = c.txt("· ")
		}
		c.row(seg{mark, dim}, seg{l, plain})
	}
}

// shortTime prints an RFC 3339 cell as its time of day when the finding
// lies within one day (the Seen line gives the date), else as month-day
// and time; other values are returned as they are.
func shortTime(v string, f finding.Finding) string {
	if len(v) < 20 || v[4] != '-' || v[10] != 'T' {
		return v
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return v
	}
	t = t.UTC()
	if f.FirstSeen.UTC().Format(time.DateOnly) == f.LastSeen.UTC().Format(time.DateOnly) {
		return t.Format("15:04:05")
	}
	return t.Format("01-02 15:04:05")
}

func (c *card) advice(f finding.Finding) {
	if len(f.Recommendations) == 0 {
		return
	}
	c.rule("Recommendations")
	steps, mits := splitRecommendations(f.Recommendations)
	for _, r := range steps {
		c.bullet(c.g.bullet, c.d.text(r.Text), plain)
	}
	if len(mits) > 0 {
		names := make([]string, len(mits))
		for i, m := range mits {
			names[i] = mitigationText(m)
		}
		c.bullet(c.g.bullet, "Mitigations: "+strings.Join(names, "; "), plain)
	}
}

func (c *card) actions(f finding.Finding) {
	if len(f.Actions) == 0 {
		return
	}
	c.rule("Proposed actions")
	for _, a := range f.Actions {
		s := string(a.Action) + " " + c.d.text(a.Target)
		if p := actionParams(a); p != "" {
			s += " (" + p + ")"
		}
		if a.Reason != "" {
			s += " — " + c.d.text(a.Reason)
		}
		c.bullet(c.g.action, s, plain, seg{"[needs approval]", yellow})
	}
}

// bullet draws a wrapped item with a hanging indent after its mark, and
// the tails after its last line (or on a line of their own).
func (c *card) bullet(mark, text string, st sgr, tails ...seg) {
	mark = c.txt(mark) + " "
	ind := textWidth(mark)
	lines := c.wrap(text, c.inner-ind)
	tailW := 0
	for _, t := range tails {
		tailW += 1 + textWidth(t.s)
	}
	last := len(lines) - 1
	for i, l := range lines {
		m := strings.Repeat(" ", ind)
		if i == 0 {
			m = mark
		}
		segs := []seg{{m, plain}, {l, st}}
		if i == last && len(tails) > 0 && ind+textWidth(l)+tailW <= c.inner {
			for _, t := range tails {
				segs = append(segs, seg{" ", plain}, t)
			}
			tails = nil
		}
		c.row(segs...)
	}
	if len(tails) > 0 {
		segs := []seg{{strings.Repeat(" ", ind-1), plain}}
		for _, t := range tails {
			segs = append(segs, seg{" ", plain}, t)
		}
		c.row(segs...)
	}
}

func prefixAll(p string, ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = p + s
	}
	return out
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
