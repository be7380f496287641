// This file decides how long to wait before retrying a retryable failure.

package llm

import (
	"context"
	"math/rand/v2"
	"time"
)

// Retry is the retry policy for 429 (rate limit), 408/409/5xx and network
// failures. Zero fields take the defaults noted; Sleep and Jitter are
// injectable so tests can record waits without sleeping.
type Retry struct {
	MaxAttempts   int           // total attempts including the first; default 4
	Base          time.Duration // first backoff; default 1s, doubling per attempt
	Max           time.Duration // cap on one backoff; default 30s
	MaxRetryAfter time.Duration // longest server-requested wait honoured; default 2m
	Sleep         func(ctx context.Context, d time.Duration) error
	Jitter        func() float64 // in [0,1); default math/rand/v2
}

func (r Retry) withDefaults() Retry {
	if r.MaxAttempts <= 0 {
		r.MaxAttempts = 4
	}
	if r.Base <= 0 {
		r.Base = time.Second
	}
	if r.Max <= 0 {
		r.Max = 30 * time.Second
	}
	if r.MaxRetryAfter <= 0 {
		r.MaxRetryAfter = 2 * time.Minute
	}
	if r.Sleep == nil {
		r.Sleep = sleepContext
	}
	if r.Jitter == nil {
		r.Jitter = rand.Float64
	}
	return r
}

// delay is the wait before attempt n+1 (n counts from 0). A server-requested
// wait is used as is; otherwise the backoff doubles from Base up to Max and
// is jittered into [d/2, d). It reports false when the server asks for more
// than MaxRetryAfter.
func (r Retry) delay(n int, e *APIError) (time.Duration, bool) {
	if e.RetryAfter > 0 {
		return e.RetryAfter, e.RetryAfter <= r.MaxRetryAfter
	}
	d := r.Base
	for i := 0; i < n && d < r.Max; i++ {
		d *= 2
	}
	d = min(d, r.Max)
	return d/2 + time.Duration(r.Jitter()*float64(d/2)), true
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
