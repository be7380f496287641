package audit

// This file appends records: the lock, the tail read, the write and fsync.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrTornTail means the log's last line is incomplete (a crash during a
// write); Append refuses to chain to it. Verify names the line.
var ErrTornTail = errors.New("audit log ends with an incomplete record")

// Log is an open audit log. It is safe for concurrent use, also by several
// processes (see the package documentation).
type Log struct {
	path string
	now  func() time.Time

	mu     sync.Mutex
	file   *os.File // O_WRONLY|O_APPEND
	reader *os.File // O_RDONLY, for the tail
	lock   *os.File // path+".lock"
	// What this Log last saw at the end of the file; re-read when the size
	// differs (another writer appended).
	size     int64
	lastSeq  int64
	lastHash string
}

// Option configures Open.
type Option func(*Log)

// WithClock sets the clock stamping records (default time.Now).
func WithClock(now func() time.Time) Option { return func(l *Log) { l.now = now } }

// Open opens the log at path for appending, creating it (mode 0600, and its
// directory) if needed. It does not verify the existing records.
func Open(path string, opts ...Option) (*Log, error) {
	l := &Log{path: path, now: time.Now, size: -1}
	for _, o := range opts {
		o(l)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	var err error
	if l.file, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	if l.reader, err = os.Open(path); err != nil {
		l.file.Close()
		return nil, fmt.Errorf("audit log: %w", err)
	}
	if l.lock, err = os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600); err != nil {
		l.file.Close()
		l.reader.Close()
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return l, nil
}

// Path is the log's file name.
func (l *Log) Path() string { return l.path }

// Close closes the log. Appends after Close fail.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file == nil {
		return nil
	}
	err := errors.Join(l.file.Close(), l.reader.Close(), l.lock.Close())
	l.file, l.reader, l.lock = nil, nil, nil
	return err
}

// Append redacts payload, chains a new record to the last one in the file
// and writes it; it returns once the record is on disk (fsync).
func (l *Log) Append(kind, actor string, payload any) (Record, error) {
	if err := checkKind(kind); err != nil {
		return Record{}, err
	}
	body, err := Redact(payload)
	if err != nil {
		return Record{}, fmt.Errorf("audit %s: %w", kind, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file == nil {
		return Record{}, errors.New("audit log is closed")
	}
	if err := lockFile(l.lock); err != nil {
		return Record{}, fmt.Errorf("audit log: lock: %w", err)
	}
	defer unlockFile(l.lock)
	if err := l.refreshTail(); err != nil {
		return Record{}, err
	}
	r := Record{Seq: l.lastSeq + 1, Time: l.now().UTC(), Kind: kind,
		Actor: RedactString(actor), Payload: body, Prev: l.lastHash}
	r.Hash = r.computeHash()
	if err := l.write(r.line()); err != nil {
		return Record{}, err
	}
	l.lastSeq, l.lastHash = r.Seq, r.Hash
	if err := writeHead(l.path, head{Seq: r.Seq, Hash: r.Hash}); err != nil {
		return r, fmt.Errorf("audit log: record %d written, head not updated: %w", r.Seq, err)
	}
	return r, nil
}

func checkKind(kind string) error {
	if kind == "" || strings.ContainsFunc(kind, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Errorf("audit: bad record kind %q", kind)
	}
	return nil
}

// write appends line with a single write and syncs it.
func (l *Log) write(line []byte) error {
	n, err := l.file.Write(line)
	if err == nil && n != len(line) {
		err = io.ErrShortWrite
	}
	if err == nil {
		err = l.file.Sync()
	}
	if err != nil {
		l.size = -1 // unknown: re-read the tail next time
		return fmt.Errorf("audit log: write: %w", err)
	}
	l.size += int64(len(line))
	return nil
}

// refreshTail reloads lastSeq and lastHash from the file unless its size is
// what this Log wrote last. The caller holds the file lock.
func (l *Log) refreshTail() error {
	st, err := l.reader.Stat()
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	if st.Size() == l.size {
		return nil
	}
	last, err := lastLine(l.reader, st.Size())
	if err != nil {
		return fmt.Errorf("audit log %s: %w", l.path, err)
	}
	l.size, l.lastSeq, l.lastHash = st.Size(), 0, Genesis
	if last == nil {
		return nil
	}
	r, err := parseLine(last)
	if err != nil {
		return fmt.Errorf("audit log %s: last record unreadable (%v); run Verify", l.path, err)
	}
	l.lastSeq, l.lastHash = r.Seq, r.Hash
	return nil
}

// lastLine returns the last line of f (size bytes) without its newline, or
// nil for an empty file. A file not ending in a newline is ErrTornTail.
func lastLine(f *os.File, size int64) ([]byte, error) {
	if size == 0 {
		return nil, nil
	}
	const chunk = 64 << 10
	var buf []byte
	for end := size; end > 0; {
		start := max(end-chunk, 0)
		b := make([]byte, end-start)
		if _, err := f.ReadAt(b, start); err != nil {
			return nil, err
		}
		buf = append(b, buf...)
		if buf[len(buf)-1] != '\n' {
			return nil, ErrTornTail
		}
		if i := bytes.LastIndexByte(buf[:len(buf)-1], '\n'); i >= 0 {
			return buf[i+1 : len(buf)-1], nil
		}
		end = start
	}
	return buf[:len(buf)-1], nil
}

// head is the content of path+".head".
type head struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// writeHead replaces the head file atomically. The caller holds the lock.
func writeHead(path string, h head) error {
	b, _ := json.Marshal(h)
	tmp := path + ".head.tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, path+".head")
}

// readHead reads path+".head"; ok is false when there is none.
func readHead(path string) (h head, ok bool, err error) {
	b, err := os.ReadFile(path + ".head")
	if errors.Is(err, os.ErrNotExist) {
		return head{}, false, nil
	}
	if err != nil {
		return head{}, false, err
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return head{}, false, fmt.Errorf("head file %s.head: %v", path, err)
	}
	return h, true, nil
}
