package store

// This file implements the writer lock: one process at a time may change
// a workspace. The lock is an operating-system lock on the file LOCK,
// released by the kernel when the holder exits, however it exits, so a
// crashed writer never leaves the workspace locked. The file's content
// names the holder for the error a second writer gets.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const lockName = "LOCK"

// ErrLocked is matched (errors.Is) by the error Open returns when another
// process holds the workspace's writer lock.
var ErrLocked = errors.New("store: workspace is locked by another writer")

// LockedError says which process holds the writer lock.
type LockedError struct {
	Dir    string
	Holder string // "pid 123 on host, vigil ingest, since 2024-05-01T10:00:00Z", or "" if unknown
}

func (e *LockedError) Error() string {
	holder := e.Holder
	if holder == "" {
		holder = "another process"
	}
	return fmt.Sprintf("store: workspace %s is locked by %s; one writer at a time (open it read-only to query)", e.Dir, holder)
}

func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// acquireLock takes dir's writer lock and records this process as holder.
func acquireLock(dir string) (*os.File, error) {
	path := filepath.Join(dir, lockName)
	f, err := lockFile(path)
	if errors.Is(err, errWouldBlock) {
		return nil, &LockedError{Dir: dir, Holder: readHolder(path)}
	}
	if err != nil {
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	host, _ := os.Hostname()
	info := fmt.Sprintf("pid %d on %s, %s, since %s\n", os.Getpid(), host,
		strings.Join(os.Args, " "), time.Now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(info), 0)
	}
	return f, nil
}

func readHolder(path string) string {
	data, err := readShared(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}

var errWouldBlock = errors.New("lock held")
