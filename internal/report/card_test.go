package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/internal/finding"
)

func cardFindings(t *testing.T) []finding.Finding {
	return []finding.Finding{fixture(t, "merged.json"), beaconFinding(t), fixture(t, "sigma.json"), encodedFinding(t)}
}

func TestCardsGolden(t *testing.T) {
	cases := []struct {
		name string
		o    CardOptions
	}{
		{"cards.txt", CardOptions{}},
		{"cards_color.txt", CardOptions{Color: true}},
		{"cards_narrow.txt", CardOptions{Width: 60}},
		{"cards_ascii.txt", CardOptions{Width: 72, ASCII: true, MaxEvidenceRows: 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteCards(&buf, cardFindings(t), c.o); err != nil {
				t.Fatal(err)
			}
			golden(t, c.name, buf.Bytes())
			checkCardWidths(t, buf.String(), c.o.withDefaults().Width)
			if got := strings.Contains(buf.String(), "\x1b["); got != c.o.Color {
				t.Errorf("escape sequences present = %v, want %v", got, c.o.Color)
			}
		})
	}
}

// checkCardWidths checks that every line, colours removed, is exactly
// the card width.
func checkCardWidths(t *testing.T, out string, width int) {
	t.Helper()
	for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if l == "" {
			continue
		}
		if w := textWidth(stripANSI(l)); w != width {
			t.Errorf("line %d is %d columns, want %d: %q", i+1, w, width, l)
		}
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
