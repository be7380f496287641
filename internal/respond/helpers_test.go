package respond

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/respond/mdefake"
)

const testToken = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ0ZXN0In0.TESTTOKENSIGNATURE"

type staticToken string

func (s staticToken) Token(context.Context) (string, error) { return string(s), nil }

var target1 = mdefake.MachineID(1)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sleeps records the waits a client asked for and returns at once.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// newFake starts a fake MDE with windows-target-1 and a client for it.
func newFake(t *testing.T) (*mdefake.Server, *Client, *sleeps) {
	t.Helper()
	s := mdefake.New()
	t.Cleanup(s.Close)
	s.Token = testToken
	s.AddMachine(mdefake.Machine{ID: target1, DNSName: "windows-target-1", RBACGroupName: "Workstations",
		Tags: []string{"lab"}})
	sl := &sleeps{}
	c, err := NewClient(s.URL, staticToken(testToken), ClientOptions{Sleep: sl.sleep})
	if err != nil {
		t.Fatal(err)
	}
	return s, c, sl
}
