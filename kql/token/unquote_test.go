package token

import "testing"

func TestUnquote(t *testing.T) {
	tests := []struct {
		lit, want string
	}{
		{`'abc'`, "abc"},
		{`"abc"`, "abc"},
		{`''`, ""},
		{`'it\'s'`, "it's"},
		{`"say \"hi\""`, `say "hi"`},
		{`"it's"`, "it's"},
		{`'a\\b'`, `a\b`},
		{`'a\nb\tc\rd'`, "a\nb\tc\rd"},
		{`'\u00e9\x41\U0001F600'`, "éA😀"},
		{`'\0'`, "\x00"},
		{`"C:\Windows"`, `C:\Windows`},                 // unknown escape keeps its backslash
		{`"\d+\s"`, `\d+\s`},                           // regular expressions in plain strings
		{`@'C:\Windows\'`, `C:\Windows\`},              // verbatim: no escapes
		{`@"say ""hi"""`, `say "hi"`},                  // verbatim: doubled quote
		{`@'it''s'`, "it's"},                           // verbatim: doubled quote
		{`h'secret'`, "secret"},                        // obfuscated
		{`H"a\tb"`, "a\tb"},                            // obfuscated, escapes as plain
		{`h@'c:\x'`, `c:\x`},                           // obfuscated verbatim
		{"```line1\nline2 \\n```", "line1\nline2 \\n"}, // multi-line: raw
		{"h```x```", "x"},
		{`'a' 'b'`, "ab"}, // adjacent literals concatenate
		{`'a' "b" @'c\'`, `abc\`},
		{" 'a'\n'b' ", "ab"},
		{`'héllo'`, "héllo"},
	}
	for _, tt := range tests {
		got, err := Unquote(tt.lit)
		if err != nil {
			t.Errorf("Unquote(%q): %v", tt.lit, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Unquote(%q) = %q, want %q", tt.lit, got, tt.want)
		}
	}
}

func TestUnquoteErrors(t *testing.T) {
	for _, lit := range []string{
		``,
		`abc`,
		`'abc`,
		`"abc'`,
		`'a\'`,
		`@'abc`,
		"```abc",
		`'a' b`,
		`'\u12'`,
		`'\uZZZZ'`,
		`'\UFFFFFFFF'`,
		"'a\nb'",
		`'a'b'`,
		`@"""`,
		`h`,
	} {
		if got, err := Unquote(lit); err == nil {
			t.Errorf("Unquote(%q) = %q, want an error", lit, got)
		}
	}
}
