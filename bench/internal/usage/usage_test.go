package usage

import (
	"runtime"
	"testing"
	"time"
)

func TestMeasure(t *testing.T) {
	s, err := Measure(func() error {
		for end := CPUTime() + 20*time.Millisecond; CPUTime() < end; {
		}
		return nil
	})
	if err != nil || s.CPU < 20*time.Millisecond || s.Wall <= 0 {
		t.Errorf("Measure(20ms of CPU) = %+v, %v", s, err)
	}
}

func TestPeaks(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("VmHWM is Linux's")
	}
	g := StartGoPeak(time.Millisecond)
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = byte(i)
	}
	peak := g.Peak()
	g.Stop()
	runtime.KeepAlive(buf)
	if peak < 64<<20 {
		t.Errorf("Go peak %d after allocating 64 MB", peak)
	}
	rss, err := PeakRSS()
	if err != nil || rss < 64<<20 {
		t.Errorf("PeakRSS() = %d, %v after touching 64 MB", rss, err)
	}
}
