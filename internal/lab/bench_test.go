package lab

import (
	"testing"

	"github.com/vigil-hunt/vigil/kql/engine"
)

// countWriter counts rows and discards them.
type countWriter struct{ rows int }

func (w *countWriter) WriteBatch(_ string, b *engine.Batch) error {
	w.rows += b.N
	return nil
}

// BenchmarkGenerateDefault generates the DefaultConfig workspace and
// reports the rows generated per second.
func BenchmarkGenerateDefault(b *testing.B) {
	rows := 0
	for b.Loop() {
		w := &countWriter{}
		if _, err := Generate(DefaultConfig(testEnd), w); err != nil {
			b.Fatal(err)
		}
		rows += w.rows
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
}
