package report

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/internal/finding"
)

func TestWrapAndCut(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want []string
	}{
		{"one two three", 7, []string{"one two", "three"}},
		{"hash 0123456789abcdef0123", 14, []string{"hash 012345678", "9abcdef0123"}},
		{"hash 0123456789abcdef0123", 10, []string{"hash", "0123456789", "abcdef0123"}},
		{"a\nb  c", 10, []string{"a", "b c"}},
		{"横向移動です", 5, []string{"横向", "移動", "です"}},
		{"", 5, []string{""}},
	}
	for _, c := range cases {
		if got := wrapText(c.in, c.n); !reflect.DeepEqual(got, c.want) {
			t.Errorf("wrapText(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
	if got := cutWidth("abcdef", 4); got != "abc…" {
		t.Errorf("cutWidth = %q", got)
	}
	if got := cutWith("abcdef", 5, "..."); got != "ab..." {
		t.Errorf("cutWith = %q", got)
	}
	if got := cutWidth("横向移動", 5); got != "横向…" || textWidth(got) != 5 {
		t.Errorf("cutWidth wide = %q", got)
	}
	if got := termSafe("a\x1b[2Jb\u202ec\td\x00"); got != `a\x1b[2Jb\u202ec d\x00` {
		t.Errorf("termSafe = %q", got)
	}
}

func TestReportCellsCut(t *testing.T) {
	f := encodedFinding(t)
	long := strings.Repeat("A", 500)
	f.Evidence[0].Rows[0]["ProcessCommandLine"] = "powershell.exe -enc " + long
	in := Incident{Findings: []finding.Finding{f}, MaxEvidenceRows: 1}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"markdown": func(b *bytes.Buffer) error { return WriteMarkdown(b, in) },
		"html":     func(b *bytes.Buffer) error { return WriteHTML(b, in) },
	} {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.Contains(out, strings.Repeat("A", reportCellMax-len("powershell.exe -enc ")-1)+"…") {
			t.Errorf("%s: long cell not cut", name)
		}
		if name == "markdown" && strings.Contains(out, long) {
			t.Errorf("markdown shows the whole cell")
		}
	}
}
