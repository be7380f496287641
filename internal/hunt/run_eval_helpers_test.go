package hunt

// This file holds what the evaluation tests share: the ground-truth row
// index and a finding's link to the planted scenarios.

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/lab"
)

// truthIndex maps "table\x00id" to the scenarios that planted the row.
type truthIndex map[string][]string

func indexTruth(gt *lab.GroundTruth) truthIndex {
	ix := truthIndex{}
	for _, s := range gt.Scenarios {
		for _, r := range s.Rows {
			k := r.Table + "\x00" + r.ID
			ix[k] = append(ix[k], s.ID)
		}
	}
	return ix
}

// scenarios lists the scenarios whose planted rows the finding's evidence
// holds.
func (ix truthIndex) scenarios(f finding.Finding) []string {
	var out []string
	for _, ev := range f.Evidence {
		for _, id := range ev.RowIDs {
			for _, s := range ix[ev.Table+"\x00"+id.ID] {
				out = appendNew(out, s)
			}
		}
	}
	return out
}

// runLab runs hunt ids (when none, every library hunt whose tables the
// workspace has) over a workspace with a plan covering its whole window.
func runLab(tb testing.TB, ws *labWorkspace, ids ...string) *Result {
	return runLabWith(tb, ws, Options{}, ids...)
}

// runLabWith is runLab with options.
func runLabWith(tb testing.TB, ws *labWorkspace, opts Options, ids ...string) *Result {
	tb.Helper()
	have := tableSet(ws.cat.TableNames())
	if len(ids) == 0 {
		for _, h := range Default().Hunts() {
			if h.Kind == KindHunt && len(missingTables(h.Tables, have)) == 0 {
				ids = append(ids, h.ID)
			}
		}
	}
	opts.Tables = ws.cat.TableNames()
	plan := Plan{Now: labEnd, Start: labEnd.Add(-7 * 24 * time.Hour), End: labEnd, HuntIDs: ids, Triage: true}
	res, err := Run(context.Background(), plan, EngineRunner{Catalog: ws.cat, Now: labEnd}, opts)
	if err != nil {
		tb.Fatal(err)
	}
	for _, q := range res.Queries {
		if q.Err != nil {
			tb.Errorf("%s (%s): %v", q.HuntID, q.Phase, q.Err)
		}
	}
	return res
}
