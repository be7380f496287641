package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
)

// hostileFinding carries markup, Markdown syntax, terminal escapes, a
// bidirectional override and live indicators in every text field.
func hostileFinding() finding.Finding {
	cell := "<script>alert('x')</script> | *bold* _it_ `tick` [x](javascript:alert(1)) \x1b[31mred\x1b[0m \u202eexe.txt http://evil.example/a"
	return finding.Finding{
		ID:          "F-0000000000000001",
		Title:       "<script>alert(1)</script> **owned** [click](javascript:alert(1))",
		Description: "# heading\n- list item\n1. numbered\n> quote <b>bold</b>",
		Severity:    finding.High,
		Confidence:  finding.Confidence{Level: finding.LevelHigh, Score: 80, Reasons: []string{"<i>reason</i>"}},
		Entities: []finding.Entity{
			{Type: finding.EntityDevice, Value: "<img src=x onerror=alert(1)>"},
			{Type: finding.EntityDomain, Value: "evil.example"},
		},
		IOCs: finding.ExtractIOCs([]finding.Evidence{{Columns: []string{"c"}, Rows: []map[string]any{{"c": cell}}}}),
		Evidence: []finding.Evidence{{
			Table:   "T<b>",
			Query:   "T\n| where c has \"```\" // </code></pre><script>alert(2)</script>",
			Columns: []string{"c", "n"},
			Rows:    []map[string]any{{"c": cell, "n": float64(1)}},
			Count:   1,
		}},
		Timeline: []finding.Event{{Time: t0, Summary: "<script>alert(3)</script>", Entity: "evil.example"}},
		Actions:  []finding.Action{{Action: finding.ActionBlockIndicator, Target: "evil.example", Reason: "<u>c2</u>"}},
		Producer: finding.Producer{Kind: finding.ProducerSigma, Title: "Rule <x>", Author: "<b>Mallory</b>",
			Link: "javascript:alert(4)", License: "DRL-1.1"},
		Verified:  true,
		FirstSeen: t0,
		LastSeen:  t0,
	}
}

func hostileIncident() Incident {
	return Incident{Title: "<script>t</script>", Request: "find ```` and <b>", Findings: []finding.Finding{hostileFinding()},
		Queries: []QueryRun{{HuntID: "<h1>", KQL: "x | take 1 <script>"}}}
}

func TestHTMLEscapes(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, hostileIncident()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script", "<img", "<b>bold", "<b>Mallory", "<i>reason", "<u>c2", "<x>", "<h1>&lt;h1",
		`href="javascript`, "\x1b", "\u202e", "evil.example", "</code></pre><"} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", `\x1b[31m`, `\u202e`, "evil[.]example", "hxxp://evil[.]example/a",
		"default-src &#39;none&#39;", `href="#ZgotmplZ"`, "&lt;b&gt;Mallory", "DRL-1.1"} {
		if !strings.Contains(out, want) && !strings.Contains(out, strings.ReplaceAll(want, "&#39;", "'")) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

// TestHTMLSelfContained checks that the page loads nothing: no scripts,
// no remote stylesheets, fonts or images.
func TestHTMLSelfContained(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, incident(t)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", "@import", "url(", "src="} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	if !strings.Contains(out, "<svg class=\"chart\"") || strings.Count(out, "<circle") != 7 {
		t.Errorf("timeline chart missing or wrong: %d events", strings.Count(out, "<circle"))
	}
}

func TestMarkdownEscapes(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, hostileIncident()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`# \<script\>t\</script\>`,
		`\<script\>alert(1)\</script\> \*\*owned\*\* \[click\](javascript:alert(1))`,
		"\n\\# heading\n\\- list item\n1\\. numbered\n\\> quote \\<b\\>bold\\</b\\>\n",
		`\| \*bold\* \_it\_ \` + "`tick\\` " + `\[x\](javascript:alert(1)) \\x1b\[31mred`,
		`\\u202eexe.txt hxxp\://evil\[.\]example/a`,
		"````kql\nT\n| where c has \"```\"",
		"Rule \\<x\\>\" by \\<b\\>Mallory\\</b\\>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	for _, bad := range []string{"\x1b", "\u202e", "evil.example", "](javascript", "<javascript"} {
		if strings.Contains(strings.ReplaceAll(out, `\]`, ""), bad) {
			t.Errorf("Markdown contains %q", bad)
		}
	}
	// Outside code blocks, every "<" is escaped.
	inCode := false
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "```") {
			inCode = !inCode
			continue
		}
		if !inCode && strings.Contains(strings.ReplaceAll(l, `\<`, ""), "<") && !strings.Contains(l, "](<http") {
			t.Errorf("unescaped < in %q", l)
		}
	}
}

func TestCardsSanitise(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCards(&buf, []finding.Finding{hostileFinding()}, CardOptions{Width: 80}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"\x1b", "\u202e", "evil.example", "http://"} {
		if strings.Contains(out, bad) {
			t.Errorf("card contains %q:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, `\x1b[31mred`) || !strings.Contains(out, "evil[.]example") {
		t.Errorf("card:\n%s", out)
	}
	checkCardWidths(t, out, 80)
}

func TestNoColor(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	cases := []struct {
		tty  bool
		vars map[string]string
		want bool
	}{
		{false, nil, false},
		{true, nil, true},
		{true, map[string]string{"NO_COLOR": "1"}, false},
		{true, map[string]string{"NO_COLOR": ""}, true}, // set but empty: ignored, per no-color.org
		{true, map[string]string{"TERM": "dumb"}, false},
	}
	for _, c := range cases {
		if got := ColorEnabled(c.tty, env(c.vars)); got != c.want {
			t.Errorf("ColorEnabled(%v, %v) = %v", c.tty, c.vars, got)
		}
	}
	var buf bytes.Buffer
	on := ColorEnabled(true, env(map[string]string{"NO_COLOR": "1"}))
	if err := WriteCards(&buf, []finding.Finding{beaconFinding(t)}, CardOptions{Color: on}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "\x1b") {
		t.Error("NO_COLOR card has escape sequences")
	}
}

// TestDefanged checks that no output but the JSON shows the beacon's
// indicators live, and that every output shows them defanged.
func TestDefanged(t *testing.T) {
	in := Incident{Findings: []finding.Finding{beaconFinding(t)}}
	outs := map[string]func(*bytes.Buffer) error{
		"cards":    func(b *bytes.Buffer) error { return WriteCards(b, in.Findings, CardOptions{MaxEvidenceRows: 4}) },
		"markdown": func(b *bytes.Buffer) error { return WriteMarkdown(b, in) },
		"html":     func(b *bytes.Buffer) error { return WriteHTML(b, in) },
	}
	for name, write := range outs {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatal(err)
		}
		out := strings.ReplaceAll(buf.String(), `\`, "")
		for _, live := range []string{"update-check.example", "198.51.100.23", "https://update"} {
			if strings.Contains(out, live) {
				t.Errorf("%s shows %q live", name, live)
			}
		}
		for _, def := range []string{"hxxps://update-check[.]example/gate.php?id=ws02", "198[.]51[.]100[.]23"} {
			if !strings.Contains(out, def) {
				t.Errorf("%s lacks %q", name, def)
			}
		}
		// The analyst's own device stays readable in entities.
		if !strings.Contains(out, "ws02.contoso.example") {
			t.Errorf("%s defangs the device name", name)
		}
	}
}

func TestCardWideCharacters(t *testing.T) {
	f := encodedFinding(t)
	f.Title = "横向移動 via PsExec 🚀 to ДС01 with combining é"
	var buf bytes.Buffer
	if err := WriteCards(&buf, []finding.Finding{f}, CardOptions{Width: 50}); err != nil {
		t.Fatal(err)
	}
	checkCardWidths(t, buf.String(), 50)
}

func TestSummary(t *testing.T) {
	fs := []finding.Finding{{Severity: finding.High}, {Severity: finding.Low}, {Severity: finding.Medium}}
	qs := []QueryRun{{HuntID: "a", Rows: 3}, {HuntID: "a", Rows: 2}, {HuntID: "b", Err: errTest}}
	cases := []struct {
		s    Stats
		want string
	}{
		{NewStats(fs, nil, 800*time.Millisecond), "Hunt complete in 0.8 s: 3 findings, 1 high"},
		{NewStats(nil, nil, 40*time.Millisecond), "Hunt complete in 40 ms: no findings"},
		{NewStats(fs[:1], qs, 125*time.Second), "Hunt complete in 2 min 05 s: 1 finding, 1 high; 1 of 3 queries failed"},
	}
	for _, c := range cases {
		if got := Summary(c.s); got != c.want {
			t.Errorf("Summary = %q, want %q", got, c.want)
		}
	}
	if s := NewStats(fs, qs, 0); s.Hunts != 2 || s.Rows != 5 || s.Failed != 1 || s.BySeverity[finding.Medium] != 1 {
		t.Errorf("stats = %+v", s)
	}
}
