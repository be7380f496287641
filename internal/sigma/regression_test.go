package sigma

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/internal/ingest"
	"github.com/vigil-hunt/vigil/kql/engine"
)

const regressionDir = "../../../shared/data/attack-datasets/sigma-regression-data"

// regressionCase is one entry of the regression data's index.json.
type regressionCase struct {
	RuleID    string `json:"rule_id"`
	RulePath  string `json:"rule_path"`
	EventFile string `json:"event_file"`
	Logsource struct {
		Category string `json:"category"`
	} `json:"logsource"`
}

// tableSink collects ingested rows by table.
type tableSink struct {
	mu     sync.Mutex
	tables map[string]*engine.Batch
}

func (s *tableSink) WriteBatch(table string, b *engine.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	acc := s.tables[table]
	if acc == nil {
		acc = engine.NewBatch(b.Schema, b.N)
		s.tables[table] = acc
	}
	for i, c := range b.Cols {
		acc.Cols[i].AppendColumn(c)
	}
	acc.N += b.N
	return nil
}

// TestSigmaRegressionData runs each converted rule over its positive test
// events (ingested from evtx_dump JSON into the Defender tables) and
// requires it to match them. It also reports how many rules match other
// rules' events too (rule families overlap: bitsadmin, certutil, …), a
// hint of translations broader than the rule.
func TestSigmaRegressionData(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(regressionDir, "index.json"))
	if err != nil {
		t.Skip("sigma regression data not available: " + err.Error())
	}
	var cases []regressionCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	res := importCollection(t)
	byRule := map[string]*ImportedHunt{}
	for i := range res.Hunts {
		byRule[res.Hunts[i].RuleID] = &res.Hunts[i]
	}
	type tally struct{ tried, matched int }
	counts := map[string]*tally{}
	var misses []string
	all := &tableSink{tables: map[string]*engine.Batch{}}
	for _, c := range cases {
		if _, err := ingest.File(context.Background(), filepath.Join(regressionDir, c.EventFile), all, nil, ingest.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	broad := 0
	for _, c := range cases {
		h := byRule[c.RuleID]
		if h == nil {
			continue
		}
		n := counts[c.Logsource.Category]
		if n == nil {
			n = &tally{}
			counts[c.Logsource.Category] = n
		}
		n.tried++
		rows, err := runOnEvents(filepath.Join(regressionDir, c.EventFile), h)
		if others, err := runOn(all, h); err == nil && others > rows {
			broad++
		}
		switch {
		case err != nil:
			misses = append(misses, fmt.Sprintf("%s: %v", h.Path, err))
		case rows == 0:
			misses = append(misses, h.Path+": no match")
		default:
			n.matched++
		}
	}
	var cats []string
	tried, matched := 0, 0
	for k, n := range counts {
		cats = append(cats, fmt.Sprintf("%s %d/%d", k, n.matched, n.tried))
		tried += n.tried
		matched += n.matched
	}
	sort.Strings(cats)
	sort.Strings(misses)
	t.Logf("regression data: %d of %d converted rules match their events (%s); %d also match other rules' events",
		matched, tried, strings.Join(cats, ", "), broad)
	for _, m := range misses {
		t.Log("miss: " + m)
	}
	if tried == 0 {
		t.Fatal("no regression case has a converted rule")
	}
	if matched < tried {
		t.Errorf("%d converted rules miss their positive events", tried-matched)
	}
}

// runOnEvents ingests an event file and runs the hunt's query over it,
// its time range opened wide.
func runOnEvents(file string, h *ImportedHunt) (int, error) {
	sink := &tableSink{tables: map[string]*engine.Batch{}}
	if _, err := ingest.File(context.Background(), file, sink, nil, ingest.Options{}); err != nil {
		return 0, err
	}
	return runOn(sink, h)
}

// runOn runs the hunt's query over ingested tables.
func runOn(sink *tableSink, h *ImportedHunt) (int, error) {
	mem := engine.NewMemCatalog()
	for name, b := range sink.tables {
		mem.Add(name, engine.NewMemTable(b))
	}
	if _, ok := mem.Table(h.Table); !ok {
		t, _ := catalog.Default().Table(h.Table)
		mem.Add(h.Table, engine.NewMemTable(engine.NewBatch(t.Schema(), 0)))
	}
	q := strings.Replace(h.KQL, "let start = ago(7d);", "let start = datetime(1990-01-01);", 1)
	q = strings.Replace(q, "let end = now();", "let end = datetime(2100-01-01);", 1)
	r, err := engine.Query(context.Background(), q, engine.Options{Catalog: mem})
	if err != nil {
		return 0, err
	}
	return r.Tables[len(r.Tables)-1].N, nil
}
