package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// waitLimit fails a test that waits on the background goroutine for
// longer; it is a deadlock detector, not a timing assertion.
const waitLimit = time.Minute

// maintWorkspace writes tables T and U (batch i covers day i, 48 rows,
// as in TestRetain) and N (no time column, three small segments).
func maintWorkspace(t *testing.T, o Options) *Workspace {
	t.Helper()
	ws := openWS(t, t.TempDir(), o)
	for _, table := range []string{"T", "U"} {
		for id := 0; id < 5; id++ {
			start := day0.Time().Truncate(24 * time.Hour).Add(time.Duration(id) * 24 * time.Hour)
			if err := ws.WriteBatch(table, idBatch(id, 48, value.DatetimeOf(start), value.Day-value.Minute)); err != nil {
				t.Fatal(err)
			}
		}
	}
	cols := []types.Column{{Name: "Msg", Type: types.String}}
	for id := 0; id < 3; id++ {
		b := makeBatch(cols, 4, func(r int) []value.Value { return []value.Value{value.OfString(fmt.Sprint(id, r))} })
		if err := ws.WriteBatch("N", b); err != nil {
			t.Fatal(err)
		}
	}
	return ws
}

func TestMaintain(t *testing.T) {
	now := day0.Time().Truncate(24 * time.Hour).Add(5 * 24 * time.Hour)
	// 60h before the end of day 4 keeps half of day 2 and days 3 and 4.
	trimmed := func(table string) TableMaintenance {
		return TableMaintenance{Table: table, RowsDropped: 120, SegmentsBefore: 5, SegmentsAfter: 3}
	}
	compactedN := TableMaintenance{Table: "N", SegmentsBefore: 3, SegmentsAfter: 1}
	tests := []struct {
		name      string
		retention map[string]time.Duration
		want      []TableMaintenance
		err       string
	}{
		{"compaction only", nil, []TableMaintenance{compactedN}, ""},
		{"one table", map[string]time.Duration{"T": 60 * time.Hour}, []TableMaintenance{compactedN, trimmed("T")}, ""},
		{"every table", map[string]time.Duration{"*": 60 * time.Hour}, []TableMaintenance{compactedN, trimmed("T"), trimmed("U")}, ""},
		{"named table overrides *", map[string]time.Duration{"*": 60 * time.Hour, "U": 1000 * time.Hour}, []TableMaintenance{compactedN, trimmed("T")}, ""},
		{"absent table", map[string]time.Duration{"Nope": time.Hour}, []TableMaintenance{compactedN}, ""},
		{"named table without time", map[string]time.Duration{"N": time.Hour, "T": 60 * time.Hour},
			[]TableMaintenance{compactedN, trimmed("T")}, "retain N: the table has no time column"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ws := maintWorkspace(t, testOptions())
			rep, err := ws.Maintain(context.Background(), Maintenance{Retention: tc.retention, Now: func() time.Time { return now }})
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("Maintain error = %v, want %q", err, tc.err)
			}
			if fmt.Sprint(rep.Tables) != fmt.Sprint(tc.want) {
				t.Errorf("report %v, want %v", rep.Tables, tc.want)
			}
			for _, st := range ws.Stats() {
				if want := int64(240); st.Name != "N" && st.Rows != want-rowsDropped(tc.want, st.Name) {
					t.Errorf("%s has %d rows after the pass, want %d", st.Name, st.Rows, want-rowsDropped(tc.want, st.Name))
				}
			}
		})
	}
}

func rowsDropped(tables []TableMaintenance, name string) int64 {
	for _, t := range tables {
		if t.Table == name {
			return t.RowsDropped
		}
	}
	return 0
}

func TestMaintainRefuses(t *testing.T) {
	dir := t.TempDir()
	ws := openWS(t, dir, testOptions())
	if _, err := ws.Maintain(context.Background(), Maintenance{Retention: map[string]time.Duration{"T": -time.Hour}}); err == nil {
		t.Error("Maintain accepted a negative age")
	}
	ws.Close()
	if _, err := ws.Maintain(context.Background(), Maintenance{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Maintain after Close: %v, want ErrClosed", err)
	}
	o := testOptions()
	o.ReadOnly = true
	ro := openWS(t, dir, o)
	if _, err := ro.Maintain(context.Background(), Maintenance{}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Maintain read-only: %v, want ErrReadOnly", err)
	}
	o = testOptions()
	o.Maintenance = &Maintenance{Interval: -time.Second}
	if _, err := Open(dir, o); err == nil {
		t.Error("Open accepted a negative maintenance interval")
	}
}

// TestBackgroundCompaction writes many small batches to a workspace that
// maintains itself and waits, pass by pass, for them to be merged.
func TestBackgroundCompaction(t *testing.T) {
	reports := make(chan MaintenanceReport, 1)
	errs := make(chan error, 1)
	o := testOptions()
	o.Maintenance = &Maintenance{
		Interval: time.Millisecond,
		OnReport: func(r MaintenanceReport) { trySend(reports, r) },
		OnError:  func(err error) { trySend(errs, err) },
	}
	dir := t.TempDir()
	ws := openWS(t, dir, o)
	const batches = 40
	for id := 0; id < batches; id++ {
		if err := ws.WriteBatch("T", idBatch(id, 5, day0, value.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	// 200 rows end up in at most two segments (one of 128 rows or more,
	// one smaller) once nothing is left to merge.
	segments := func() []*segmentMeta { return ws.current().Tables["T"].Segments }
	timeout := time.After(waitLimit)
	for len(compactionGroups(segments(), o.SegmentRows)) > 0 {
		select {
		case <-reports:
		case err := <-errs:
			t.Fatalf("background pass: %v", err)
		case <-timeout:
			t.Fatalf("still %d segments after %v of background passes", len(segments()), waitLimit)
		}
	}
	if n := len(segments()); n > 2 {
		t.Errorf("%d segments after background compaction, want at most 2", n)
	}
	counts := batchCounts(t, ws.Catalog())
	if len(counts) != batches {
		t.Errorf("%d batches after compaction, want %d", len(counts), batches)
	}
	for id, n := range counts {
		if n != 5 {
			t.Errorf("batch %d has %d rows, want 5", id, n)
		}
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	ws = openWS(t, dir, testOptions())
	if got := batchCounts(t, ws.Catalog()); fmt.Sprint(got) != fmt.Sprint(counts) {
		t.Errorf("after reopen %v, want %v", got, counts)
	}
}

func trySend[T any](ch chan T, v T) {
	select {
	case ch <- v:
	default:
	}
}

// TestCloseDuringPass closes a workspace while a background pass runs:
// Close cancels the pass and waits for it, and the workspace reopens with
// every row and no stray file.
func TestCloseDuringPass(t *testing.T) {
	tests := []struct {
		name string
		// hold keeps the pass at its start until Close has cancelled it,
		// so that it must give up without merging anything.
		hold bool
	}{{"pass held at its start", true}, {"pass rewriting", false}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			started, release, cancelled := make(chan struct{}), make(chan struct{}), make(chan struct{})
			var once sync.Once
			o := testOptions()
			o.Maintenance = &Maintenance{
				Interval: time.Millisecond,
				Now: func() time.Time {
					once.Do(func() {
						close(started)
						if tc.hold {
							<-release
						}
					})
					return day0.Time()
				},
			}
			dir := t.TempDir()
			ws, err := Open(dir, o)
			if err != nil {
				t.Fatal(err)
			}
			cancel := ws.bgCancel
			ws.bgCancel = func() { cancel(); close(cancelled) }
			const batches = 60
			for id := 0; id < batches; id++ {
				if err := ws.WriteBatch("T", idBatch(id, 50, day0, value.Minute)); err != nil {
					t.Fatal(err)
				}
			}
			segs := len(ws.current().Tables["T"].Segments)
			wait(t, started, "the first pass")
			closed := make(chan error, 1)
			go func() { closed <- ws.Close() }()
			wait(t, cancelled, "Close to cancel the pass")
			close(release)
			var cerr error
			select {
			case cerr = <-closed:
			case <-time.After(waitLimit):
				t.Fatal("Close did not return")
			}
			if cerr != nil {
				t.Fatal(cerr)
			}
			if err := ws.WriteBatch("T", idBatch(999, 1, day0, 0)); !errors.Is(err, ErrClosed) {
				t.Errorf("WriteBatch after Close: %v, want ErrClosed", err)
			}
			ws = openWS(t, dir, testOptions())
			if got := len(ws.current().Tables["T"].Segments); tc.hold && got != segs {
				t.Errorf("a cancelled pass left %d segments of %d", got, segs)
			}
			counts := batchCounts(t, ws.Catalog())
			if len(counts) != batches {
				t.Errorf("%d batches after reopening, want %d", len(counts), batches)
			}
			for id, n := range counts {
				if n != 50 {
					t.Errorf("batch %d has %d rows, want 50", id, n)
				}
			}
			noStrayFiles(t, ws, dir, "T")
		})
	}
}

func wait(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(waitLimit):
		t.Fatalf("gave up waiting for %s", what)
	}
}

func TestParseMaintenance(t *testing.T) {
	tests := []struct {
		in   string
		want string // fmt of the policy's interval and retention, or "error: …"
	}{
		{``, "0s map[]"},
		{`null`, "0s map[]"},
		{`{"maintenance_interval":"10m","retention":{"*":"90d","DeviceNetworkEvents":"30d"}}`, "10m0s map[*:2160h0m0s DeviceNetworkEvents:720h0m0s]"},
		{`{"retention":{"T":"1d12h","U":"36h","V":"1.5d"}}`, "0s map[T:36h0m0s U:36h0m0s V:36h0m0s]"},
		{`{"retention":{"T":"30x"}}`, `error: retention: T: "30x" is not a duration`},
		{`{"retention":{"T":30}}`, `error: retention: T: 30 is not a duration`},
		{`{"retention":{"T":"0d"}}`, `error: retention: T: "0d" is not a positive duration`},
		{`{"retention":{"T":"-1d"}}`, `error: retention: T: "-1d" is not a duration`},
		{`{"retention":{"T":"999999d"}}`, `error: retention: T: "999999d" is too long`},
		{`{"retention":["T"]}`, `error: retention: want a mapping`},
		{`{"maintenance_interval":"soon"}`, `error: maintenance_interval: "soon" is not a duration`},
		{`{"maintenance_intervall":"10m"}`, `error: unknown key "maintenance_intervall"`},
		{`["x"]`, `error: want a mapping`},
	}
	for _, tc := range tests {
		m, err := ParseMaintenance([]byte(tc.in))
		got := fmt.Sprintf("%v %v", m.Interval, m.Retention)
		if err != nil {
			got = "error: " + err.Error()
		}
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("ParseMaintenance(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
