package hunt

import (
	"context"
	"testing"
	"time"
)

// BenchmarkFullHunt runs every library hunt, with pivots, over the
// default lab workspace (about 230,000 rows in memory):
//
//	go test ./internal/hunt -run '^$' -bench FullHunt -benchtime 5x
func BenchmarkFullHunt(b *testing.B) {
	ws := defaultLab(b)
	var ids []string
	have := tableSet(ws.cat.TableNames())
	for _, h := range Default().Hunts() {
		if h.Kind == KindHunt && len(missingTables(h.Tables, have)) == 0 {
			ids = append(ids, h.ID)
		}
	}
	plan := Plan{Now: labEnd, Start: labEnd.Add(-7 * 24 * time.Hour), End: labEnd, HuntIDs: ids, Triage: true}
	src := EngineRunner{Catalog: ws.cat, Now: labEnd}
	opts := Options{Tables: ws.cat.TableNames()}
	b.ResetTimer()
	var findings int
	for b.Loop() {
		res, err := Run(context.Background(), plan, src, opts)
		if err != nil {
			b.Fatal(err)
		}
		findings = len(res.Findings)
	}
	b.ReportMetric(float64(findings), "findings")
	b.ReportMetric(float64(len(ids)), "hunts")
	b.ReportMetric(float64(ws.rows), "rows")
}
