package parser

import (
	"testing"

	"github.com/vigil-hunt/vigil/kql/token"
)

func BenchmarkParseCorpus(b *testing.B) {
	recs, ok := readRecords(b, corpusPath)
	if !ok {
		b.Skip("corpus not found: ../shared absent")
	}
	files := make([]*token.File, len(recs))
	size := 0
	for i, r := range recs {
		files[i] = token.NewFile(r.ID, r.Query)
		size += len(r.Query)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for range b.N {
		for _, f := range files {
			Parse(f)
		}
	}
}
