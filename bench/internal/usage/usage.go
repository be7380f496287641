// Package usage measures what a piece of work costs the process: wall
// time, CPU time (user + system, all threads) and peak memory.
//
// CPU time is the steadier figure on a shared machine: other processes
// stretch wall time but not the CPU time this process is charged. It
// counts every thread, so it measures total work, not latency; it
// includes the Go runtime's own work (the garbage collector), which is
// part of vigil's cost.
//
// Usage:
//
//	s, err := usage.Measure(func() error { … })
//	fmt.Println(s.Wall, s.CPU)
//	peak, _ := usage.PeakRSS() // VmHWM, Linux only
package usage

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Sample is the cost of one piece of work.
type Sample struct {
	Wall, CPU time.Duration
}

// Measure runs f after a garbage collection (so that garbage left by
// earlier work is not charged to f) and returns its cost.
func Measure(f func() error) (Sample, error) {
	runtime.GC()
	c0, w0 := CPUTime(), time.Now()
	err := f()
	return Sample{Wall: time.Since(w0), CPU: CPUTime() - c0}, err
}

// CPUTime returns the user and system time the process has used, or 0
// where getrusage is unavailable.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// PeakRSS returns the process's peak resident set size (VmHWM of
// /proc/self/status) in bytes.
func PeakRSS() (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) == 3 && string(f[0]) == "VmHWM:" {
			kb, err := strconv.ParseInt(string(f[1]), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("usage: no VmHWM in /proc/self/status")
}

// ResetPeakRSS sets the peak resident set size back to the current one
// (Linux ≥ 4.0), so that PeakRSS then reports the peak of what follows.
func ResetPeakRSS() error {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// GoPeak samples the memory the Go runtime holds from the operating
// system (mapped minus released) every few milliseconds and keeps the
// largest value: the Go part of the peak, which memory DuckDB allocates
// in C does not pollute.
type GoPeak struct {
	stop chan struct{}
	done sync.WaitGroup
	mu   sync.Mutex
	peak uint64
}

// StartGoPeak starts sampling every interval.
func StartGoPeak(interval time.Duration) *GoPeak {
	g := &GoPeak{stop: make(chan struct{})}
	g.done.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			g.sample()
			select {
			case <-g.stop:
				return
			case <-t.C:
			}
		}
	})
	return g
}

var goMemMetrics = []string{"/memory/classes/total:bytes", "/memory/classes/heap/released:bytes"}

func (g *GoPeak) sample() {
	s := make([]metrics.Sample, len(goMemMetrics))
	for i, n := range goMemMetrics {
		s[i].Name = n
	}
	metrics.Read(s)
	held := s[0].Value.Uint64() - s[1].Value.Uint64()
	g.mu.Lock()
	g.peak = max(g.peak, held)
	g.mu.Unlock()
}

// Reset forgets the peak so far.
func (g *GoPeak) Reset() {
	g.mu.Lock()
	g.peak = 0
	g.mu.Unlock()
	g.sample()
}

// Peak returns the largest value sampled since the start or Reset.
func (g *GoPeak) Peak() uint64 {
	g.sample()
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.peak
}

// Stop stops sampling.
func (g *GoPeak) Stop() {
	close(g.stop)
	g.done.Wait()
}
