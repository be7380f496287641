package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
)

// streamWait fails a test whose rows have not reached the sink after this
// long: a sign they are held for a fuller batch, not a timing assertion.
const streamWait = time.Minute

// signalSink is a memSink that sends the size of every batch it gets.
type signalSink struct {
	*memSink
	got chan int
}

func (s *signalSink) WriteBatch(table string, b *engine.Batch) error {
	err := s.memSink.WriteBatch(table, b)
	s.got <- b.N
	return err
}

// signalStagingSink stages batches and signals their commits.
type signalStagingSink struct{ *signalSink }

type signalStaged struct {
	s     *signalSink
	table string
	b     *engine.Batch
}

func (s signalStagingSink) Stage(table string, b *engine.Batch) (Staged, error) {
	return &signalStaged{s.signalSink, table, b}, nil
}
func (st *signalStaged) Commit() error { return st.s.WriteBatch(st.table, st.b) }
func (st *signalStaged) Abort()        {}

// TestStreamDeliversRows writes a few lines at a time into a pipe and
// waits for them to reach the sink before writing more: a slow stream's
// rows must not wait for a full chunk or batch.
func TestStreamDeliversRows(t *testing.T) {
	lines := strings.SplitAfter(processLines(12), "\n")[:12]
	for _, workers := range []int{1, 2} {
		for _, staging := range []bool{false, true} {
			t.Run(fmt.Sprintf("staging=%v/workers=%d", staging, workers), func(t *testing.T) {
				sig := &signalSink{memSink: newMemSink(), got: make(chan int, len(lines))}
				var sink Sink = sig
				if staging {
					sink = signalStagingSink{sig}
				}
				pr, pw := io.Pipe()
				type result struct {
					sum Summary
					err error
				}
				done := make(chan result, 1)
				go func() {
					sum, err := Reader(context.Background(), "-", pr, sink, nil,
						Options{Table: "DeviceProcessEvents", Workers: workers, FlushAfter: 10 * time.Millisecond})
					done <- result{sum, err}
				}()
				rows := 0
				for i := 0; i < len(lines); i += 3 {
					if _, err := io.WriteString(pw, strings.Join(lines[i:i+3], "")); err != nil {
						t.Fatal(err)
					}
					for rows < i+3 {
						select {
						case n := <-sig.got:
							rows += n
						case r := <-done:
							t.Fatalf("ingestion ended while the stream was open: %v", r.err)
						case <-time.After(streamWait):
							t.Fatalf("%d of %d rows written reached the sink", rows, i+3)
						}
					}
				}
				pw.Close()
				r := <-done
				if r.err != nil {
					t.Fatal(r.err)
				}
				if r.sum.Rows["DeviceProcessEvents"] != len(lines) || sig.rows("DeviceProcessEvents") != len(lines) {
					t.Errorf("summary counts %v, sink holds %d, want %d", r.sum.Rows, sig.rows("DeviceProcessEvents"), len(lines))
				}
			})
		}
	}
}

// TestStreamCancel cancels the ingestion of a stream that has gone
// silent without closing.
func TestStreamCancel(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	sig := &signalSink{memSink: newMemSink(), got: make(chan int, 8)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Reader(ctx, "-", pr, sig, nil, Options{Workers: 2, FlushAfter: 10 * time.Millisecond})
		done <- err
	}()
	if _, err := io.WriteString(pw, processLines(2)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-sig.got:
	case <-time.After(streamWait):
		t.Fatal("the rows did not reach the sink")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Reader = %v, want context.Canceled", err)
		}
	case <-time.After(streamWait):
		t.Fatal("Reader did not return after cancellation")
	}
}

func TestWaitsForInput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.jsonl")
	if err := os.WriteFile(path, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	ip, _ := io.Pipe()
	tests := []struct {
		name string
		r    io.Reader
		want bool
	}{
		{"regular file", f, false},
		{"memory", strings.NewReader("{}"), false},
		{"os pipe", pr, true},
		{"io pipe", ip, true},
	}
	for _, tc := range tests {
		if got := waitsForInput(tc.r); got != tc.want {
			t.Errorf("%s: waitsForInput = %v, want %v", tc.name, got, tc.want)
		}
	}
}
