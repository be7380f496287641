//go:build !unix && !windows

package store

import (
	"errors"
	"io/fs"
	"os"
)

// lockFile creates path exclusively. Without an operating-system lock a
// crashed writer leaves the file behind; remove it by hand.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, errWouldBlock
	}
	return f, err
}

func readShared(path string) ([]byte, error) { return os.ReadFile(path) }

// unlockFile closes and removes the lock file.
func unlockFile(f *os.File) error {
	f.Close()
	return os.Remove(f.Name())
}
