package ioc

import (
	"strings"
	"testing"
)

// FuzzExtract checks that extraction never panics, that values are
// non-empty and refanged, and that every defanged form refangs back for
// the types Refang understands.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		`"C:\Program Files\x.exe" \\h\s hxxps://a[.]b/c 1.2.3.4 ::1 HKLM:\x CONTOSO\u u@d.example`,
		`\\`, `C:\`, `HKLM\`, `[`, `hxxp`, `a@`, `::`, `1.2.3.4.`, `%A%\`, `$env:X\`, "\\\\a\\",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, i := range Extract(s) {
			if strings.TrimSpace(i.Value) == "" || i.Defanged == "" {
				t.Fatalf("empty indicator %+v from %q", i, s)
			}
			if (i.Type == Domain || i.Type == IPv4) && Refang(i.Defanged) != i.Value {
				t.Fatalf("%q does not refang to %q", i.Defanged, i.Value)
			}
		}
	})
}
