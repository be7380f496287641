package hunt

// These tests measure the deterministic hunter on the lab workspace:
// scenario recall from natural requests, precision of high-confidence
// findings, silence on a benign workspace, and evidence that exists.
//
//	go test ./internal/hunt -run 'TestEval' -v

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/finding/attack"
	"github.com/vigil-hunt/vigil/kql/engine"
)

// evalRequest is one line of testdata/eval/requests.jsonl.
type evalRequest struct {
	Scenario string `json:"scenario"`
	Request  string `json:"request"`
}

func loadEvalRequests(t *testing.T) []evalRequest {
	t.Helper()
	f, err := os.Open("testdata/eval/requests.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []evalRequest
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r evalRequest
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("requests.jsonl: %v", err)
		}
		out = append(out, r)
	}
	return out
}

// labEnv is the Env an analyst's session would have on the workspace:
// its devices, the accounts seen signing in, its tables and the library.
func labEnv(t testing.TB, ws *labWorkspace) Env {
	t.Helper()
	env := Env{Now: labEnd, Hunts: Default().Infos(), Tables: ws.cat.TableNames()}
	q := `DeviceInfo | distinct DeviceName | sort by DeviceName asc`
	res, err := engine.Query(context.Background(), q, engine.Options{Catalog: ws.cat, Now: labEnd})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < res.Tables[0].N; i++ {
		env.Devices = append(env.Devices, DeviceRef{Name: res.Tables[0].Cols[0].Value(i).String()})
	}
	q = `SigninLogs | distinct UserPrincipalName | sort by UserPrincipalName asc`
	if res, err = engine.Query(context.Background(), q, engine.Options{Catalog: ws.cat, Now: labEnd}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < res.Tables[0].N; i++ {
		env.Accounts = append(env.Accounts, res.Tables[0].Cols[0].Value(i).String())
	}
	return env
}

// surfaces reports whether a finding shows the scenario: its technique is
// one the scenario planted (or a parent or sub-technique of one) and its
// evidence holds a planted row of the scenario.
func surfaces(f finding.Finding, sid string, techniques []string, ix truthIndex) bool {
	if !slices.Contains(ix.scenarios(f), sid) {
		return false
	}
	got := f.AttackID()
	for _, want := range techniques {
		if got == want || strings.HasPrefix(got, want+".") || strings.HasPrefix(want, got+".") {
			return true
		}
	}
	return false
}

// TestEvalRecall runs each request of requests.jsonl through Understand
// and Run on the lab workspace, and requires 95% of them to surface their
// scenario.
func TestEvalRecall(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every request over the lab workspace")
	}
	ws := defaultLab(t)
	env := labEnv(t, ws)
	ix := indexTruth(ws.truth)
	techniques := map[string][]string{}
	for _, s := range ws.truth.Scenarios {
		techniques[s.ID] = s.Techniques
	}
	reqs := loadEvalRequests(t)
	hit, perScenario := 0, map[string][2]int{}
	for _, rq := range reqs {
		if _, ok := techniques[rq.Scenario]; !ok {
			t.Fatalf("unknown scenario %q", rq.Scenario)
		}
		plan := Understand(rq.Request, env)
		res, err := Run(context.Background(), plan, EngineRunner{Catalog: ws.cat, Now: labEnd}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ok, best := false, ""
		for _, f := range res.Findings {
			if surfaces(f, rq.Scenario, techniques[rq.Scenario], ix) {
				ok, best = true, fmt.Sprintf("%s %s (%d)", f.AttackID(), f.Producer.HuntID, f.Confidence.Score)
				break
			}
		}
		c := perScenario[rq.Scenario]
		c[1]++
		if ok {
			hit++
			c[0]++
		} else {
			t.Logf("MISS %-22s %q: intents %v, %d hunts, %d findings", rq.Scenario, rq.Request, intentIDs(plan.Intents), len(plan.HuntIDs), len(res.Findings))
		}
		perScenario[rq.Scenario] = c
		t.Logf("%-4v %-22s %-40s %q", ok, rq.Scenario, best, rq.Request)
	}
	full := 0
	var names []string
	for s, c := range perScenario {
		names = append(names, fmt.Sprintf("%s %d/%d", s, c[0], c[1]))
		if c[0] == c[1] {
			full++
		}
	}
	sort.Strings(names)
	recall := float64(hit) / float64(len(reqs))
	t.Logf("recall: %d/%d requests (%.1f%%); %d/%d scenarios surfaced by every request: %s",
		hit, len(reqs), 100*recall, full, len(perScenario), strings.Join(names, ", "))
	if recall < 0.95 {
		t.Errorf("recall %.1f%% is below 95%%", 100*recall)
	}
}

// TestEvalPrecision runs the whole library over the lab workspace: at
// least 90% of high-confidence findings must hold planted rows, and the
// same workspace generated without scenarios must give none.
func TestEvalPrecision(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the library over two lab workspaces")
	}
	ws := defaultLab(t)
	ix := indexTruth(ws.truth)
	res := runLab(t, ws)
	high, planted := 0, 0
	for _, f := range res.Findings {
		if f.Confidence.Level != finding.LevelHigh {
			continue
		}
		high++
		if len(ix.scenarios(f)) > 0 {
			planted++
		} else {
			t.Logf("false positive: %s %s (%d) %s", f.AttackID(), f.Producer.HuntID, f.Confidence.Score, f.Title)
		}
	}
	if high == 0 {
		t.Fatal("no high-confidence findings")
	}
	precision := float64(planted) / float64(high)
	t.Logf("precision: %d/%d high-confidence findings are planted attacks (%.1f%%); %d findings in all", planted, high, 100*precision, len(res.Findings))
	if precision < 0.9 {
		t.Errorf("precision %.1f%% is below 90%%", 100*precision)
	}
	benign := runLab(t, benignLab(t))
	n := 0
	for _, f := range benign.Findings {
		if f.Confidence.Level == finding.LevelHigh {
			n++
			t.Errorf("benign workspace: high-confidence finding %s %s (%d) %s", f.AttackID(), f.Producer.HuntID, f.Confidence.Score, f.Title)
		}
	}
	t.Logf("benign workspace: %d findings, %d high-confidence", len(benign.Findings), n)
}

// TestEvalEvidence checks every finding of a full run: it validates
// against the ATT&CK catalog and the finding model, and each evidence row
// exists in the workspace with the values the finding shows.
func TestEvalEvidence(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the library over the lab workspace")
	}
	ws := defaultLab(t)
	res := runLab(t, ws)
	rows := workspaceRows(t, ws)
	cat := attack.Default()
	checked := 0
	for _, f := range res.Findings {
		for _, err := range finding.ValidateWith(cat, f) {
			t.Errorf("%s %s: %v", f.Producer.HuntID, f.Title, err)
		}
		for _, ev := range f.Evidence {
			if len(ev.RowIDs) != len(ev.Rows) {
				t.Errorf("%s: evidence on %s has %d rows but %d row ids", f.Producer.HuntID, ev.Table, len(ev.Rows), len(ev.RowIDs))
				continue
			}
			for _, id := range ev.RowIDs {
				if !rows[ev.Table+"\x00"+id.ID] {
					t.Errorf("%s: evidence row %s %s=%s is not in the workspace", f.Producer.HuntID, ev.Table, id.Column, id.ID)
				}
				checked++
			}
		}
	}
	t.Logf("%d findings, %d evidence rows, all in the workspace", len(res.Findings), checked)
}

// workspaceRows lists every row id of the workspace's tables.
func workspaceRows(t *testing.T, ws *labWorkspace) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, tab := range ws.cat.TableNames() {
		idc := idColumn(tab)
		res, err := engine.Query(context.Background(), tab+" | project "+idc, engine.Options{Catalog: ws.cat, Now: labEnd})
		if err != nil {
			t.Fatal(err)
		}
		b := res.Tables[0]
		for i := 0; i < b.N; i++ {
			out[tab+"\x00"+b.Cols[0].Value(i).String()] = true
		}
	}
	return out
}
