package sigma

import "testing"

func TestParsePattern(t *testing.T) {
	tests := []struct {
		in, regex string // regex: the pattern as the compiler's RE2 form (case-insensitive)
	}{
		{`C:\Windows\`, `(?si)^C:\\Windows\\$`}, // a lone backslash is literal
		{`*\cmd.exe`, `(?si)\\cmd\.exe$`},       // leading wildcard
		{`cmd*`, `(?si)^cmd`},                   // trailing wildcard
		{`a*b?c`, `(?si)^a.*b.c$`},              // inner wildcards
		{`\*literal`, `(?si)^\*literal$`},       // escaped star
		{`what\?`, `(?si)^what\?$`},             // escaped question mark
		{`C:\\*`, `(?si)^C:\\`},                 // escaped backslash, then a wildcard
		{`\\\\server`, `(?si)^\\\\server$`},     // two escaped backslashes
		{`**a**`, `(?si)a`},                     // runs of * collapse
		{``, `(?si)^$`},
	}
	for _, tt := range tests {
		if got := parsePattern(tt.in).regex(false); got != tt.regex {
			t.Errorf("parsePattern(%q).regex() = %q; want %q", tt.in, got, tt.regex)
		}
	}
}

func TestPatternShape(t *testing.T) {
	tests := []struct {
		in            string
		core          string
		before, after bool
		ok            bool
	}{
		{`*abc*`, "abc", true, true, true},
		{`abc*`, "abc", false, true, true},
		{`*abc`, "abc", true, false, true},
		{`abc`, "abc", false, false, true},
		{`a*c`, "", false, false, false},
		{`*a?c*`, "", true, true, false},
	}
	for _, tt := range tests {
		core, b, a, ok := parsePattern(tt.in).shape()
		if ok != tt.ok || ok && (core != tt.core || b != tt.before || a != tt.after) {
			t.Errorf("shape(%q) = %q %v %v %v; want %q %v %v %v", tt.in, core, b, a, ok, tt.core, tt.before, tt.after, tt.ok)
		}
	}
}

func TestWindash(t *testing.T) {
	got := windash(parsePattern(` -enc /x -`))
	var texts []string
	for _, p := range got {
		texts = append(texts, p.String())
	}
	if len(texts) != 25 { // two option dashes, five characters each; the trailing - starts no option
		t.Fatalf("windash gave %d variants: %q", len(texts), texts)
	}
	if texts[0] != ` -enc -x -` || texts[6] != ` /enc /x -` {
		t.Errorf("windash variants: %q", texts[:7])
	}
}

func TestBase64Offsets(t *testing.T) {
	// The three forms of "IEX" at offsets 0, 1, 2 in a longer base64 text.
	got := base64Offsets([]byte("IEX"))
	want := []string{"SUVY", "lFW", "JRV"}
	if len(got) != len(want) {
		t.Fatalf("base64Offsets = %q; want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("base64Offsets = %q; want %q", got, want)
		}
	}
	if e := base64Std(encode("iex", "utf16le")); e != "aQBlAHgA" {
		t.Errorf("utf16le base64 = %q", e)
	}
}
