//go:build unix

package audit

// This file locks the side lock file with flock(2) on Unix.

import (
	"os"
	"syscall"
)

// lockFile blocks until it holds an exclusive lock on f. flock locks belong
// to the open file description, so two Logs in one process exclude each
// other as two processes do. NFS may not honour flock.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}

func unlockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
