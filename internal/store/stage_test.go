package store

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// TestStageCommitAbort checks that staged rows are invisible until
// committed, that an aborted batch leaves no file behind, and that a
// batch committed twice is refused.
func TestStageCommitAbort(t *testing.T) {
	dir := t.TempDir()
	ws := openWS(t, dir, testOptions())
	a, err := ws.Stage("T", idBatch(1, 100, day0, value.Day))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ws.Stage("T", idBatch(2, 50, day0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got := ws.Tables(); len(got) != 0 {
		t.Fatalf("tables before any commit: %v", got)
	}
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := a.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}
	before := listFiles(t, filepath.Join(dir, tablesDir))
	b.Abort()
	after := listFiles(t, filepath.Join(dir, tablesDir))
	if got := batchCounts(t, ws.Catalog()); len(got) != 1 || got[1] != 100 {
		t.Errorf("rows after commit of 1 and abort of 2: %v", got)
	}
	if len(after) >= len(before) {
		t.Errorf("abort left its files: %d files before, %d after", len(before), len(after))
	}
	if err := b.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
}

// TestStageConcurrent stages batches on several goroutines and commits
// them in submission order: every row arrives once, in that order.
func TestStageConcurrent(t *testing.T) {
	ws := openWS(t, t.TempDir(), testOptions())
	const n = 12
	staged := make([]chan error, n)
	var mu sync.Mutex
	results := map[int]interface {
		Commit() error
		Abort()
	}{}
	for i := range staged {
		staged[i] = make(chan error, 1)
		go func() {
			st, err := ws.Stage("T", idBatch(i, 40+i, day0, value.Day))
			mu.Lock()
			results[i] = st
			mu.Unlock()
			staged[i] <- err
		}()
	}
	for i := range staged {
		if err := <-staged[i]; err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		st := results[i]
		mu.Unlock()
		if err := st.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	b := scanAll(t, ws, "T", engine.ScanRequest{Columns: []string{"ID"}})
	counts := batchCounts(t, ws.Catalog())
	for i := 0; i < n; i++ {
		if counts[int64(i)] != 40+i {
			t.Errorf("batch %d: %d rows, want %d", i, counts[int64(i)], 40+i)
		}
	}
	// Rows come back in commit order.
	last := int64(-1)
	for r := 0; r < b.N; r++ {
		id := b.Cols[0].Ints[r]
		if id < last {
			t.Fatalf("row %d of batch %d after a row of batch %d", r, id, last)
		}
		last = id
	}
}

// TestStageColumnConflict stages two batches that add the same new column
// with different types: the one committed second is refused and its
// segments removed.
func TestStageColumnConflict(t *testing.T) {
	ws := openWS(t, t.TempDir(), testOptions())
	mk := func(typ types.Type, v value.Value) *engine.Batch {
		return makeBatch([]types.Column{{Name: "Timestamp", Type: types.Datetime}, {Name: "X", Type: typ}}, 1,
			func(int) []value.Value { return []value.Value{value.OfDatetime(day0), v} })
	}
	a, err := ws.Stage("T", mk(types.Long, value.OfLong(1)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ws.Stage("T", mk(types.Real, value.OfReal(1.5)))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	err = b.Commit()
	if err == nil || !strings.Contains(err.Error(), "column X") {
		t.Fatalf("conflicting commit: err = %v", err)
	}
	if rows := scanAll(t, ws, "T", engine.ScanRequest{Columns: []string{"X"}}).N; rows != 1 {
		t.Errorf("table has %d rows, want 1", rows)
	}
}

// TestCloseWaitsForStage checks that a batch staged before Close cannot
// be committed after it, and leaves no file behind.
func TestCloseWaitsForStage(t *testing.T) {
	dir := t.TempDir()
	ws := openWS(t, dir, testOptions())
	st, err := ws.Stage("T", idBatch(1, 10, day0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(); !errors.Is(err, ErrClosed) {
		t.Errorf("Commit after Close: %v, want ErrClosed", err)
	}
	if files := listFiles(t, filepath.Join(dir, tablesDir)); len(files) != 0 {
		t.Errorf("files left: %v", files)
	}
	if _, err := ws.Stage("T", idBatch(2, 1, day0, 0)); !errors.Is(err, ErrClosed) {
		t.Errorf("Stage after Close: %v, want ErrClosed", err)
	}
}

// TestManifestSegmentColumns checks that the manifest lists a segment's
// columns only when they differ from its table's, that both forms read
// back, and that a version-1 manifest (every list written out) still
// opens.
func TestManifestSegmentColumns(t *testing.T) {
	dir := t.TempDir()
	ws := openWS(t, dir, testOptions())
	narrow := makeBatch([]types.Column{{Name: "Timestamp", Type: types.Datetime}, {Name: "A", Type: types.Long}}, 2,
		func(r int) []value.Value { return []value.Value{value.OfDatetime(day0), value.OfLong(int64(r))} })
	wide := makeBatch([]types.Column{{Name: "Timestamp", Type: types.Datetime}, {Name: "A", Type: types.Long}, {Name: "B", Type: types.String}}, 3,
		func(r int) []value.Value {
			return []value.Value{value.OfDatetime(day0), value.OfLong(int64(10 + r)), value.OfString("b")}
		})
	for _, b := range []*engine.Batch{narrow, wide} {
		if err := ws.WriteBatch("T", b); err != nil {
			t.Fatal(err)
		}
	}
	want := scanAll(t, ws, "T", engine.ScanRequest{Columns: []string{"A", "B"}})
	ws.Close()

	path := filepath.Join(dir, manifestName)
	var raw struct {
		Version int `json:"version"`
		Tables  map[string]struct {
			Segments []map[string]any `json:"segments"`
		} `json:"tables"`
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	segs := raw.Tables["T"].Segments
	if len(segs) != 2 || segs[0]["columns"] == nil || segs[1]["columns"] != nil {
		t.Fatalf("segments as saved: %v", segs)
	}
	reopened := func() {
		t.Helper()
		ws := openWS(t, dir, testOptions())
		defer ws.Close()
		sameRows(t, scanAll(t, ws, "T", engine.ScanRequest{Columns: []string{"A", "B"}}), want)
	}
	reopened()

	// The same workspace as version 1 wrote it.
	m, err := loadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	m.Version = 1
	v1, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(v1), `"columns":["Timestamp","A","B"]`) {
		t.Fatalf("hand-made version-1 manifest lacks the full column list: %s", v1)
	}
	if err := os.WriteFile(path, v1, 0o644); err != nil {
		t.Fatal(err)
	}
	reopened()
}
