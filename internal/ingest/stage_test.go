package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-hunt/vigil/kql/engine"
)

// stagingSink stages batches into memory and commits them into a memSink;
// the batch holding the row with ReportId failID (when positive) fails to
// commit.
type stagingSink struct {
	*memSink
	mu       sync.Mutex
	staged   int
	failID   int64
	failedAt int64 // the first ReportId of the batch that failed
	aborted  int
	commits  []string // "table:first ReportId" in commit order
	inFlight int
	maxIn    int
}

type memStaged struct {
	s     *stagingSink
	table string
	b     *engine.Batch
	fail  bool
}

func (s *stagingSink) Stage(table string, b *engine.Batch) (Staged, error) {
	s.mu.Lock()
	s.staged++
	s.inFlight++
	s.maxIn = max(s.maxIn, s.inFlight)
	ids := b.Col("ReportId").Ints
	st := &memStaged{s: s, table: table, b: b, fail: s.failID > 0 && ids[0] <= s.failID && s.failID <= ids[len(ids)-1]}
	s.mu.Unlock()
	return st, nil
}

func (st *memStaged) done() {
	st.s.mu.Lock()
	st.s.inFlight--
	st.s.mu.Unlock()
}

func (st *memStaged) Commit() error {
	defer st.done()
	if st.fail {
		st.s.mu.Lock()
		st.s.failedAt = st.b.Col("ReportId").Ints[0]
		st.s.mu.Unlock()
		return errors.New("commit failed")
	}
	st.s.mu.Lock()
	st.s.commits = append(st.s.commits, fmt.Sprintf("%s:%v", st.table, st.b.Col("ReportId").Value(0)))
	st.s.mu.Unlock()
	return st.s.memSink.WriteBatch(st.table, st.b)
}

func (st *memStaged) Abort() {
	defer st.done()
	st.s.mu.Lock()
	st.s.aborted++
	st.s.mu.Unlock()
}

// processLines returns n DeviceProcessEvents rows as JSON lines, with
// ReportId counting up from 0.
func processLines(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"Timestamp":"2024-05-01T10:00:00Z","DeviceName":"pc-%d","ReportId":%d,"FileName":"cmd.exe"}`+"\n", i%7, i)
	}
	return b.String()
}

// TestStagingSinkOrder ingests into a staging sink: every batch is
// committed, in input order, and the summary counts the rows.
func TestStagingSinkOrder(t *testing.T) {
	const n = 5000
	for _, workers := range []int{1, 2, 4} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			sink := &stagingSink{memSink: newMemSink()}
			sum, err := Reader(context.Background(), "DeviceProcessEvents.jsonl", strings.NewReader(processLines(n)), sink, nil,
				Options{BatchSize: 300, Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Rows["DeviceProcessEvents"] != n || sink.rows("DeviceProcessEvents") != n {
				t.Fatalf("summary %d rows, sink %d, want %d", sum.Rows["DeviceProcessEvents"], sink.rows("DeviceProcessEvents"), n)
			}
			ids := sink.tables["DeviceProcessEvents"].Col("ReportId").Ints
			for i, id := range ids {
				if id != int64(i) {
					t.Fatalf("row %d has ReportId %d: rows out of input order", i, id)
				}
			}
			if sink.aborted != 0 || len(sink.commits) != sink.staged {
				t.Errorf("%d staged, %d committed, %d aborted", sink.staged, len(sink.commits), sink.aborted)
			}
			if limit := 2 * workers; sink.maxIn > limit+workers {
				t.Errorf("%d batches in flight at once; the stager should hold about %d", sink.maxIn, limit)
			}
		})
	}
}

// TestStagingSinkFailure makes the commit of the batch holding row 1000
// fail: the rows before that batch stay, every later batch is aborted,
// and the error and the summary say so.
func TestStagingSinkFailure(t *testing.T) {
	sink := &stagingSink{memSink: newMemSink(), failID: 1000}
	sum, err := Reader(context.Background(), "DeviceProcessEvents.jsonl", strings.NewReader(processLines(5000)), sink, nil,
		Options{BatchSize: 300, Workers: 2})
	if err == nil || !strings.Contains(err.Error(), "commit failed") {
		t.Fatalf("err = %v, want the commit's failure", err)
	}
	want := int(sink.failedAt)
	if got := sink.rows("DeviceProcessEvents"); want == 0 || got != want || sum.Rows["DeviceProcessEvents"] != want {
		t.Errorf("sink has %d rows, summary %d; want the %d before the failed batch", got, sum.Rows["DeviceProcessEvents"], want)
	}
	if sink.inFlight != 0 {
		t.Errorf("%d staged batches neither committed nor aborted", sink.inFlight)
	}
	if len(sink.commits)+sink.aborted+1 != sink.staged {
		t.Errorf("%d staged, %d committed, %d aborted, 1 failed", sink.staged, len(sink.commits), sink.aborted)
	}
}
