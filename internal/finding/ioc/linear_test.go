package ioc

import (
	"strconv"
	"strings"
	"testing"
)

// BenchmarkExtractPathological measures extraction over inputs built from
// short repeated units that have tempted quadratic scans before. Compare
// the ns/op of the 1000 and 16000 sizes: linear code grows about 16×.
//
//	go test ./internal/finding/ioc -run '^$' -bench Pathological
func BenchmarkExtractPathological(b *testing.B) {
	for _, unit := range []string{
		"a \\", "a b ", ")", "1.", "a:", "a.", "\\\\a\\", "hxxp[.]", "a@b.com ",
		"\"C:\\a ", "/ab", "HKLM\\a ", "CONTOSO\\a ", "1.2.3.4 ",
	} {
		for _, n := range []int{1000, 16000} {
			s := prefix(unit) + strings.Repeat(unit, n)
			b.Run(strconv.Quote(unit)+"x"+strconv.Itoa(n), func(b *testing.B) {
				b.SetBytes(int64(len(s)))
				for i := 0; i < b.N; i++ {
					Extract(s)
				}
			})
		}
	}
}

func prefix(unit string) string {
	if strings.ContainsAny(unit, " )") && !strings.Contains(unit, "\\") {
		return "C:\\x"
	}
	return ""
}
