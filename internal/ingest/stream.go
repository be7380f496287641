package ingest

// This file lets a stream's rows reach the sink while the stream is still
// open. A pipe or socket that a producer writes a few lines a second to
// would otherwise fill a framing chunk (8 MiB) and a batch (16,384 rows)
// only after hours; instead the input is read on a goroutine of its own,
// so that the framer can stop waiting for more once the rows it holds
// have waited Options.FlushAfter, and the writer then flushes its
// batches. Regular files are read as before.

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// DefaultFlushAfter is Options.FlushAfter's default.
const DefaultFlushAfter = 2 * time.Second

// streamBufSize is the size of the buffers a stream is read into.
const streamBufSize = 64 << 10

// waitsForInput reports whether reading r may wait for a producer: true
// for anything but a regular file or a reader of memory.
func waitsForInput(r io.Reader) bool {
	switch r := r.(type) {
	case *os.File:
		fi, err := r.Stat()
		return err != nil || !fi.Mode().IsRegular()
	case *bytes.Reader, *strings.Reader, *bytes.Buffer:
		return false
	}
	return true
}

// streamReader reads an input on a goroutine of its own, so that its
// consumer can give up waiting at a deadline (readBy) instead of blocking
// in Read until the producer writes again.
type streamReader struct {
	after time.Duration // Options.FlushAfter
	data  chan []byte   // filled buffers, in input order; closed after err is set
	free  chan []byte   // buffers to fill
	stop  chan struct{} // closed by close
	once  sync.Once
	err   error  // the error that ended the input; read once data is closed
	pre   []byte // data put back by unread, read first
	cur   []byte // the unread part of buf
	buf   []byte // the buffer being consumed, returned to free when done
	timer *time.Timer
}

func newStreamReader(r io.Reader, after time.Duration) *streamReader {
	const bufs = 4
	s := &streamReader{after: after, data: make(chan []byte, bufs), free: make(chan []byte, bufs),
		stop: make(chan struct{}), timer: time.NewTimer(time.Hour)}
	s.timer.Stop()
	for range bufs {
		s.free <- make([]byte, streamBufSize)
	}
	go s.fill(r)
	return s
}

// fill reads r until it ends or close is called. A Read in progress
// cannot be interrupted, so the goroutine ends only when it returns.
func (s *streamReader) fill(r io.Reader) {
	defer close(s.data)
	for {
		var b []byte
		select {
		case b = <-s.free:
		case <-s.stop:
			return
		}
		n, err := r.Read(b[:cap(b)])
		if n > 0 {
			s.data <- b[:n] // never blocks: data has room for every buffer
		} else {
			s.free <- b
		}
		if err != nil {
			s.err = err
			return
		}
	}
}

// errStreamClosed is what reading a closed stream returns.
var errStreamClosed = errors.New("ingestion stopped")

// close stops reading ahead; a read waiting for input returns
// errStreamClosed. It may be called more than once, from any goroutine.
func (s *streamReader) close() {
	s.once.Do(func() { close(s.stop) })
}

// unread puts b back, to be read before anything else.
func (s *streamReader) unread(b []byte) {
	s.pre = append(b[:len(b):len(b)], s.pre...)
}

// Read reads what is available, waiting for input as long as it takes.
func (s *streamReader) Read(p []byte) (int, error) {
	n, _, err := s.readBy(p, time.Time{})
	return n, err
}

// readBy reads what is available. Without input at hand it waits until
// the deadline (for ever when zero), and then returns late; it returns
// late at once when the deadline has passed.
func (s *streamReader) readBy(p []byte, deadline time.Time) (n int, late bool, err error) {
	if len(s.pre) > 0 {
		n = copy(p, s.pre)
		s.pre = s.pre[n:]
		return n, false, nil
	}
	if len(s.cur) == 0 {
		if s.buf != nil {
			s.free <- s.buf
			s.buf = nil
		}
		if !deadline.IsZero() && !time.Now().Before(deadline) {
			return 0, true, nil
		}
		var expired <-chan time.Time
		if !deadline.IsZero() {
			s.timer.Reset(time.Until(deadline))
			defer s.timer.Stop()
			expired = s.timer.C
		}
		select {
		case b, ok := <-s.data:
			if !ok {
				return 0, false, s.err
			}
			s.buf, s.cur = b, b
		case <-expired:
			return 0, true, nil
		case <-s.stop:
			return 0, false, errStreamClosed
		}
	}
	n = copy(p, s.cur)
	s.cur = s.cur[n:]
	return n, false, nil
}

// peekStream reads the start of a stream for format detection, as peek
// does, but stops early once a first JSON line has waited s.after, so that
// a slow producer's first records are not held until n bytes arrive. It
// returns when that line was complete (zero if it was not), and puts
// back what it read.
func peekStream(s *streamReader, n int) (head []byte, since time.Time, err error) {
	head = make([]byte, 0, n)
	for len(head) < n {
		var deadline time.Time
		if !since.IsZero() {
			deadline = since.Add(s.after)
		}
		m, late, err := s.readBy(head[len(head):n], deadline)
		head = head[:len(head)+m]
		if late || err == io.EOF {
			break
		}
		if err != nil {
			return nil, time.Time{}, err
		}
		if since.IsZero() && firstLineComplete(head) {
			since = time.Now()
		}
	}
	s.unread(head)
	return head, since, nil
}

// firstLineComplete reports whether head starts with a JSON value that
// ends its line: enough to tell a stream of JSON lines. Anything else
// (CSV, an array, a value over several lines) is read whole anyway.
func firstLineComplete(head []byte) bool {
	i := 0
	for i < len(head) && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n') {
		i++
	}
	if i == len(head) || head[i] != '{' {
		return false
	}
	nl := bytes.IndexByte(head[i:], '\n')
	if nl < 0 {
		return false
	}
	_, _, err := scanValue(string(head[i:i+nl]), 0)
	return err == nil
}
