//go:build unix

package store

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the process has used, user and system;
// benchmarks report it beside wall time, which a busy machine inflates.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
