package hunt

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/kql/engine"
)

// scriptedRunner answers queries from the lab workspace, fails the ones
// containing a marker, and records how many ran at once.
type scriptedRunner struct {
	inner   Runner
	failOn  string
	delay   time.Duration
	running atomic.Int32
	peak    atomic.Int32
}

func (s *scriptedRunner) Query(ctx context.Context, kql string) (*engine.Result, error) {
	n := s.running.Add(1)
	defer s.running.Add(-1)
	for {
		p := s.peak.Load()
		if n <= p || s.peak.CompareAndSwap(p, n) {
			break
		}
	}
	time.Sleep(s.delay)
	if s.failOn != "" && strings.Contains(kql, s.failOn) {
		return nil, errors.New("service unavailable")
	}
	return s.inner.Query(ctx, kql)
}

// TestRunIsolatesErrors runs hunts where one fails and one id is unknown:
// the others still produce findings, each failure is reported in its
// QueryRun, progress is reported for every query and no more than Workers
// queries run at once.
func TestRunIsolatesErrors(t *testing.T) {
	ws := defaultLab(t)
	src := &scriptedRunner{inner: EngineRunner{Catalog: ws.cat, Now: labEnd}, failOn: "id: lolbin-certutil", delay: 5 * time.Millisecond}
	plan := Plan{Now: labEnd, Start: labEnd.Add(-7 * 24 * time.Hour), End: labEnd,
		HuntIDs: []string{"lolbin-certutil", "cred-lsass-access", "persist-run-key", "no-such-hunt", "impact-inhibit-recovery"}}
	var mu sync.Mutex
	var progress []Progress
	res, err := Run(context.Background(), plan, src, Options{Workers: 2, Progress: func(p Progress) {
		mu.Lock()
		progress = append(progress, p)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	byHunt := map[string]QueryRun{}
	for _, q := range res.Queries {
		byHunt[q.HuntID] = q
	}
	if q := byHunt["lolbin-certutil"]; q.Err == nil || !strings.Contains(q.KQL, "let start = datetime(") {
		t.Errorf("failing hunt: %+v", q)
	}
	if q := byHunt["no-such-hunt"]; !errors.Is(q.Err, ErrUnknownHunt) {
		t.Errorf("unknown hunt: %v", q.Err)
	}
	if q := byHunt["cred-lsass-access"]; q.Err != nil || q.Rows == 0 || q.Duration <= 0 {
		t.Errorf("working hunt: %+v", q)
	}
	techniques := map[string]bool{}
	for _, f := range res.Findings {
		techniques[f.AttackID()] = true
	}
	for _, want := range []string{"T1003.001", "T1547.001", "T1490"} {
		if !techniques[want] {
			t.Errorf("no %s finding; got %v", want, techniques)
		}
	}
	if src.peak.Load() > 2 {
		t.Errorf("%d queries ran at once with Workers 2", src.peak.Load())
	}
	hunts := 0
	for _, p := range progress {
		if p.Phase == "hunt" {
			hunts++
		}
	}
	if hunts != 4 {
		t.Errorf("progress reported %d hunts, want 4", hunts)
	}
}

// TestRunFindingsAreComplete checks what a finding of the hunter carries:
// evidence with the exact query and row ids, entities, IOCs, a timeline,
// recommendations from ATT&CK, proposed actions for severe device
// findings, and a risk score; and that it validates.
func TestRunFindingsAreComplete(t *testing.T) {
	ws := defaultLab(t)
	res := runLab(t, ws, "cred-lsass-dump-tools", "c2-beaconing")
	var lsass *finding.Finding
	for i, f := range res.Findings {
		if f.AttackID() == "T1003.001" && findingDevice(f) == "srv-fs-01" {
			lsass = &res.Findings[i]
		}
		if errs := finding.Validate(f); len(errs) > 0 {
			t.Errorf("%s: %v", f.Title, errs)
		}
	}
	if lsass == nil {
		t.Fatal("no LSASS finding on srv-fs-01")
	}
	f := *lsass
	q := res.Queries[1].KQL
	for _, qr := range res.Queries {
		if qr.HuntID == "cred-lsass-dump-tools" {
			q = qr.KQL
		}
	}
	if f.Evidence[0].Query != q || len(f.Evidence[0].RowIDs) == 0 || f.Evidence[0].RowIDs[0].Column != "ReportId" {
		t.Errorf("evidence does not keep the query and row ids: %+v", f.Evidence[0])
	}
	if f.Tactic == nil || f.Tactic.ID != "TA0006" || f.Confidence.Level != finding.LevelHigh || len(f.Confidence.Reasons) == 0 {
		t.Errorf("attack and confidence: %+v %+v", f.Tactic, f.Confidence)
	}
	kinds := map[finding.ActionKind]bool{}
	for _, a := range f.Actions {
		kinds[a.Action] = true
		if a.Reason == "" {
			t.Errorf("action %s has no reason", a.Action)
		}
	}
	if !kinds[finding.ActionIsolateDevice] {
		t.Errorf("no isolate_device proposed: %+v", f.Actions)
	}
	var mitigation, step bool
	for _, r := range f.Recommendations {
		mitigation = mitigation || r.MitigationID != ""
		step = step || r.Kind == finding.KindNextStep
	}
	if !mitigation || !step {
		t.Errorf("recommendations lack a mitigation or a next step: %+v", f.Recommendations)
	}
	if len(f.IOCs) == 0 || len(f.Entities) == 0 || len(f.Timeline) == 0 || f.RiskScore == 0 {
		t.Errorf("IOCs %d, entities %d, timeline %d, risk %d", len(f.IOCs), len(f.Entities), len(f.Timeline), f.RiskScore)
	}
	pivoted := false
	for _, e := range f.Timeline {
		pivoted = pivoted || strings.HasPrefix(e.Summary, "pivot ")
	}
	if !pivoted {
		t.Error("the timeline has no entries from pivots")
	}
}

// TestRunCancelled returns the context's error and the queries run.
func TestRunCancelled(t *testing.T) {
	ws := defaultLab(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	plan := Plan{Now: labEnd, Start: labEnd.Add(-time.Hour), End: labEnd, HuntIDs: []string{"cred-lsass-access"}}
	res, err := Run(ctx, plan, EngineRunner{Catalog: ws.cat, Now: labEnd}, Options{})
	if !errors.Is(err, context.Canceled) || res == nil {
		t.Fatalf("got %v", err)
	}
}

// TestScopedPlan checks that entities bind: a plan about one device only
// reports that device.
func TestScopedPlan(t *testing.T) {
	ws := defaultLab(t)
	plan := Plan{Now: labEnd, Start: labEnd.Add(-7 * 24 * time.Hour), End: labEnd, HuntIDs: []string{"cred-lsass-access", "cred-lsass-dump-tools"},
		Entities: Entities{Devices: []DeviceMatch{{Name: "srv-fs-01"}}}}
	res, err := Run(context.Background(), plan, EngineRunner{Catalog: ws.cat, Now: labEnd}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range res.Findings {
		if d := findingDevice(f); d != "srv-fs-01" {
			t.Errorf("finding on %s in a plan about srv-fs-01: %s", d, f.Title)
		}
	}
}
