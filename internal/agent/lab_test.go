package agent

// This file builds the lab workspace the minimisation measurements run
// over, once per test binary.

import (
	"sync"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/lab"
	"github.com/vigil-hunt/vigil/kql/engine"
)

// labEnd pins "now" for lab tests: tests never read the clock.
var labEnd = time.Date(2024, 11, 14, 16, 23, 41, 0, time.UTC)

type batchCollector struct {
	tables map[string]*engine.Batch
	order  []string
}

func (w *batchCollector) WriteBatch(table string, b *engine.Batch) error {
	t := w.tables[table]
	if t == nil {
		t = engine.NewBatch(b.Schema, b.N)
		w.tables[table] = t
		w.order = append(w.order, table)
	}
	for i, c := range b.Cols {
		t.Cols[i].AppendColumn(c)
	}
	t.N += b.N
	return nil
}

var (
	labOnce sync.Once
	labCat  *engine.MemCatalog
	labErr  error
)

// labSource is the default lab workspace, every scenario planted.
func labSource(tb testing.TB) EngineSource {
	tb.Helper()
	labOnce.Do(func() {
		w := &batchCollector{tables: map[string]*engine.Batch{}}
		if _, labErr = lab.Generate(lab.DefaultConfig(labEnd), w); labErr != nil {
			return
		}
		labCat = engine.NewMemCatalog()
		for _, name := range w.order {
			labCat.Add(name, engine.NewMemTable(w.tables[name]))
		}
	})
	if labErr != nil {
		tb.Fatal(labErr)
	}
	return EngineSource{Catalog: labCat, Now: labEnd, Name: "lab"}
}
