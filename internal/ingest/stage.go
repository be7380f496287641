package ingest

// This file overlaps a StagingSink's work with decoding: batches are
// staged on goroutines of their own and committed in input order.

import (
	"sync"

	"github.com/vigil-hunt/vigil/kql/engine"
)

// stager stages batches concurrently and commits them, one at a time, in
// the order they were submitted. After the first failure it commits
// nothing more: later batches are aborted, so the sink holds a prefix of
// the input, as it would had the batches been written one by one.
type stager struct {
	jobs  chan *stageJob // to the staging goroutines
	order chan *stageJob // every job in submission order, to the committer
	done  chan struct{}  // closed when the committer has finished

	mu   sync.Mutex
	err  error
	rows map[string]int // committed rows per table
}

type stageJob struct {
	table string
	b     *engine.Batch
	st    Staged
	err   error
	ready chan struct{} // closed once staged
}

// newStager starts n staging goroutines. At most 2n batches are in
// flight, which bounds the memory held.
func newStager(sink StagingSink, n int) *stager {
	s := &stager{jobs: make(chan *stageJob), order: make(chan *stageJob, 2*n),
		done: make(chan struct{}), rows: map[string]int{}}
	for range n {
		go func() {
			for j := range s.jobs {
				j.st, j.err = sink.Stage(j.table, j.b)
				close(j.ready)
			}
		}()
	}
	go s.commitLoop()
	return s
}

// submit queues b for table; it returns the error of an earlier batch
// once one has failed.
func (s *stager) submit(table string, b *engine.Batch) error {
	if err := s.failed(); err != nil {
		return err
	}
	j := &stageJob{table: table, b: b, ready: make(chan struct{})}
	s.order <- j
	s.jobs <- j
	return nil
}

func (s *stager) commitLoop() {
	defer close(s.done)
	for j := range s.order {
		<-j.ready
		err := j.err
		if err == nil && s.failed() != nil {
			j.st.Abort()
			continue
		}
		if err == nil {
			err = j.st.Commit()
		}
		s.mu.Lock()
		if err != nil && s.err == nil {
			s.err = err
		}
		if err == nil {
			s.rows[j.table] += j.b.N
		}
		s.mu.Unlock()
	}
}

func (s *stager) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// close waits until every submitted batch is committed or aborted, and
// returns the rows committed per table and the first error.
func (s *stager) close() (map[string]int, error) {
	close(s.jobs)
	close(s.order)
	<-s.done
	return s.rows, s.err
}
