package hunt

// This test hunts the recorded attacks of shared/data/attack-datasets,
// ingested into in-memory tables, and checks the labelled technique is
// found.
//
//	go test ./internal/hunt -run TestDatasets -v

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/ingest"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// datasetsDir is shared/data/attack-datasets seen from this package.
var datasetsDir = filepath.Join("..", "..", "..", "shared", "data", "attack-datasets")

// datasetLabels are the ATT&CK labels of each labelled dataset, from its
// README (msticpy-asc-alert-simulation is unlabelled; the Sigma regression
// set labels each of its 202 single-event tests separately).
var datasetLabels = map[string][]string{
	"otrf-golden-saml-adfs-mail-access": {"T1552.004", "T1606.002", "T1078.004", "T1098.002", "T1114"},
	"otrf-log4shell":                    {"T1190", "T1203"},
	"otrf-lsass-campaign-01-mimikatz-logonpasswords": {"T1587.001", "T1608.001", "T1204.002", "T1082", "T1033", "T1057",
		"T1134.001", "T1055.002", "T1003.001"},
	"otrf-atomic-psh-lsass-memory-dump-comsvcs":                                   {"T1003.001"},
	"otrf-atomic-cmd-bitsadmin-download-psh-script":                               {"T1197"},
	"otrf-atomic-cmd-mshta-vbscript-execute-psh":                                  {"T1218.005"},
	"otrf-atomic-cmd-netsh-fw-mod-open-ports":                                     {"T1562.004"},
	"otrf-atomic-empire-persistence-registry-modification-run-keys-elevated-user": {"T1547.001"},
	"otrf-atomic-cmd-psexec-lsa-secrets-dump":                                     {"T1003.004"},
	"sentinel-training-lab":                                                       {"T1078.004", "T1564.008", "T1098.001"},
}

// datasetRequest is what an analyst would ask of a recording.
const datasetRequest = "anything suspicious on this host in the last day"

// TestDatasets ingests each labelled dataset, hunts it as of the end of
// the recording, and requires the labelled technique (or its parent) among
// the findings for 80% of the datasets.
func TestDatasets(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests and hunts every recorded attack")
	}
	if _, err := os.Stat(datasetsDir); err != nil {
		t.Skip("attack datasets not available: ../shared/data/attack-datasets is absent")
	}
	names := make([]string, 0, len(datasetLabels))
	for n := range datasetLabels {
		names = append(names, n)
	}
	sort.Strings(names)
	found := 0
	for _, name := range names {
		ok := huntDataset(t, name, datasetLabels[name])
		if ok {
			found++
		}
	}
	rate := float64(found) / float64(len(names))
	t.Logf("datasets: labelled technique found in %d/%d (%.0f%%)", found, len(names), 100*rate)
	if rate < 0.8 {
		t.Errorf("labelled technique found in %.0f%% of datasets; want 80%%", 100*rate)
	}
}

// huntDataset hunts one dataset and reports whether a labelled technique
// was found.
func huntDataset(t *testing.T, name string, labels []string) bool {
	t.Helper()
	cat, end := ingestDataset(t, filepath.Join(datasetsDir, name))
	env := Env{Now: end.Add(time.Second), Hunts: Default().Infos(), Tables: cat.TableNames(), Devices: datasetDevices(cat)}
	plan := Understand(datasetRequest, env)
	res, err := Run(context.Background(), plan, EngineRunner{Catalog: cat, Now: env.Now}, Options{Tables: env.Tables})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var got []string
	hit := ""
	for _, f := range res.Findings {
		id := f.AttackID()
		got = appendNew(got, id)
		for _, l := range labels {
			if hit == "" && (id == l || id == parentOf(l) || parentOf(id) == l) {
				hit = id + " (" + f.Producer.HuntID + ")"
			}
		}
	}
	failed := 0
	for _, q := range res.Queries {
		if q.Err != nil {
			failed++
		}
	}
	sort.Strings(got)
	t.Logf("%-5v %-50s labels %v: found %s; techniques %v; %d hunts, %d failed", hit != "", name, labels, orDash(hit), got, len(plan.HuntIDs), failed)
	return hit != ""
}

func parentOf(id string) string {
	p, _, _ := strings.Cut(id, ".")
	return p
}

// ingestDataset ingests a dataset's telemetry files into a catalog and
// returns it with the time of its last event.
func ingestDataset(t *testing.T, dir string) (*engine.MemCatalog, time.Time) {
	t.Helper()
	sink := &tableSink{tables: map[string]*engine.Batch{}}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n := strings.TrimSuffix(d.Name(), ".gz")
		if !(strings.HasSuffix(n, ".json") || strings.HasSuffix(n, ".csv")) || strings.HasSuffix(n, "index.json") || n == "alertRules.json" {
			return nil
		}
		_, err = ingest.File(context.Background(), p, sink, nil, ingest.Options{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cat := engine.NewMemCatalog()
	var end time.Time
	for _, name := range sink.order {
		b := sink.tables[name]
		cat.Add(name, engine.NewMemTable(b))
		end = latest(b, end)
	}
	return cat, end
}

// latest returns the later of t and the batch's last Timestamp or
// TimeGenerated.
func latest(b *engine.Batch, t time.Time) time.Time {
	for _, name := range []string{"Timestamp", "TimeGenerated"} {
		i := b.Schema.Index(name)
		if i < 0 || b.Schema.Columns[i].Type != types.Datetime {
			continue
		}
		c := b.Cols[i]
		for r := 0; r < b.N; r++ {
			if !c.IsNull(r) {
				if tt := value.Datetime(c.Ints[r]).Time(); tt.After(t) {
					t = tt
				}
			}
		}
	}
	return t
}

// datasetDevices lists the device names of the Defender tables.
func datasetDevices(cat *engine.MemCatalog) []DeviceRef {
	var names []string
	for _, tab := range cat.TableNames() {
		t, _ := cat.Table(tab)
		if !strings.HasPrefix(tab, "Device") || t.Schema().Index("DeviceName") < 0 {
			continue
		}
		res, err := engine.Query(context.Background(), tab+" | distinct DeviceName", engine.Options{Catalog: cat})
		if err != nil {
			continue
		}
		for i := 0; i < res.Tables[0].N; i++ {
			if n := res.Tables[0].Cols[0].Value(i).String(); n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	out := make([]DeviceRef, len(names))
	for i, n := range names {
		out[i] = DeviceRef{Name: n}
	}
	return out
}

// tableSink keeps ingested batches, one merged batch per table.
type tableSink struct {
	mu     sync.Mutex
	tables map[string]*engine.Batch
	order  []string
}

func (s *tableSink) WriteBatch(table string, b *engine.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	acc := s.tables[table]
	if acc == nil {
		acc = engine.NewBatch(b.Schema, b.N)
		s.tables[table] = acc
		s.order = append(s.order, table)
	}
	if len(acc.Cols) != len(b.Cols) {
		return nil // a table whose inferred schema changed between files; keep the first
	}
	for i, c := range b.Cols {
		acc.Cols[i].AppendColumn(c)
	}
	acc.N += b.N
	return nil
}
