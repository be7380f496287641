package hunt

// This file builds the lab workspaces the runner, analyser and
// evaluation tests hunt over, once per test binary.

import (
	"sync"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/lab"
	"github.com/vigil-hunt/vigil/kql/engine"
)

// labEnd pins "now" for every lab test: tests never read the clock.
var labEnd = time.Date(2024, 11, 14, 16, 23, 41, 0, time.UTC)

// labWorkspace is a generated workspace held in memory.
type labWorkspace struct {
	cat   *engine.MemCatalog
	truth *lab.GroundTruth
	rows  int
}

// batchCollector keeps a lab's batches, one merged batch per table.
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

func generateLab(cfg lab.Config) (*labWorkspace, error) {
	w := &batchCollector{tables: map[string]*engine.Batch{}}
	truth, err := lab.Generate(cfg, w)
	if err != nil {
		return nil, err
	}
	ws := &labWorkspace{cat: engine.NewMemCatalog(), truth: truth}
	for _, name := range w.order {
		ws.cat.Add(name, engine.NewMemTable(w.tables[name]))
		ws.rows += w.tables[name].N
	}
	return ws, nil
}

var (
	labOnce, benignOnce sync.Once
	labWS, benignWS     *labWorkspace
	labErr, benignErr   error
)

// defaultLab is the default lab workspace with every scenario planted.
func defaultLab(tb testing.TB) *labWorkspace {
	tb.Helper()
	labOnce.Do(func() { labWS, labErr = generateLab(lab.DefaultConfig(labEnd)) })
	if labErr != nil {
		tb.Fatal(labErr)
	}
	return labWS
}

// benignLab is the default lab workspace with no scenario planted.
func benignLab(tb testing.TB) *labWorkspace {
	tb.Helper()
	benignOnce.Do(func() {
		cfg := lab.DefaultConfig(labEnd)
		cfg.Scenarios = []string{}
		benignWS, benignErr = generateLab(cfg)
	})
	if benignErr != nil {
		tb.Fatal(benignErr)
	}
	return benignWS
}
