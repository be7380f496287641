package source

// This file implements retries: an http.RoundTripper for the clients
// vigil drives itself (Graph, and ADX whose SDK has no retry policy), and
// the settings handed to azcore's retry policy for Log Analytics.

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// RetryOptions tune retries of throttled (429) and transient (408, 500,
// 502, 503) responses and of connection failures. 504 is never retried:
// for these services it means the query ran out of time, and a retry
// would spend the same time again. Zero values take the defaults shown.
type RetryOptions struct {
	MaxRetries int           // retries after the first try (3)
	BaseDelay  time.Duration // first backoff, doubled each retry (800ms)
	MaxDelay   time.Duration // backoff cap (60s)
	// MaxRetryAfter: a Retry-After longer than this is not waited for;
	// the call fails at once with ErrThrottled and the RetryAfter (60s).
	MaxRetryAfter time.Duration
}

func (o RetryOptions) withDefaults() RetryOptions {
	if o.MaxRetries == 0 {
		o.MaxRetries = 3
	}
	if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = 800 * time.Millisecond
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 60 * time.Second
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = 60 * time.Second
	}
	return o
}

// retryStatus lists the statuses worth another try.
var retryStatus = []int{
	http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
	http.StatusBadGateway, http.StatusServiceUnavailable,
}

func retryable(status int) bool {
	for _, s := range retryStatus {
		if s == status {
			return true
		}
	}
	return false
}

// azcoreRetry translates o (with defaults applied) for azcore's retry
// policy. azcore has one cap for both backoff and Retry-After
// (MaxRetryDelay); a longer Retry-After ends its retries at once.
func (o RetryOptions) azcoreRetry() policy.RetryOptions {
	retries := o.MaxRetries
	if retries == 0 {
		retries = -1 // azcore reads 0 as "default"
	}
	return policy.RetryOptions{
		MaxRetries:    int32(retries),
		RetryDelay:    o.BaseDelay,
		MaxRetryDelay: max(o.MaxDelay, o.MaxRetryAfter),
		StatusCodes:   retryStatus,
	}
}

// backoff is the delay before retry n (1-based): exponential with jitter
// in [0.8, 1.2).
func (o RetryOptions) backoff(n int) time.Duration {
	d := o.BaseDelay << min(n-1, 20)
	d = time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
	return min(d, o.MaxDelay)
}

// callStats records what happened on the wire during one call.
type callStats struct {
	attempts   atomic.Int32 // HTTP attempts of the query request
	retryAfter atomic.Int64 // the last Retry-After seen, as a Duration
}

func (c *callStats) tries() int { return int(c.attempts.Load()) }

func (c *callStats) lastRetryAfter() time.Duration { return time.Duration(c.retryAfter.Load()) }

type statsKey struct{}

// withStats returns a context whose HTTP attempts are recorded in c.
func withStats(ctx context.Context, c *callStats) context.Context {
	return context.WithValue(ctx, statsKey{}, c)
}

func statsOf(ctx context.Context) *callStats {
	c, _ := ctx.Value(statsKey{}).(*callStats)
	return c
}

func countAttempt(ctx context.Context) {
	if c := statsOf(ctx); c != nil {
		c.attempts.Add(1)
	}
}

// attemptPolicy counts azcore's tries; it runs once per retry.
type attemptPolicy struct{}

func (attemptPolicy) Do(req *policy.Request) (*http.Response, error) {
	countAttempt(req.Raw().Context())
	return req.Next()
}

// retryTransport retries a request, replaying its body.
type retryTransport struct {
	base http.RoundTripper
	opt  RetryOptions
}

func newRetryTransport(base http.RoundTripper, opt RetryOptions) *retryTransport {
	if base == nil {
		base = http.DefaultTransport
	}
	return &retryTransport{base: base, opt: opt.withDefaults()}
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readBody(req)
	if err != nil {
		return nil, err
	}
	ctx := req.Context()
	for try := 1; ; try++ {
		r := req.Clone(ctx)
		if body != nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
		}
		if req.Method != http.MethodGet { // not ADX's metadata lookup
			countAttempt(ctx)
		}
		resp, err := t.base.RoundTrip(r)
		if c := statsOf(ctx); c != nil && resp != nil {
			c.retryAfter.Store(int64(parseRetryAfter(resp.Header, time.Now())))
		}
		if ctx.Err() != nil || try > t.opt.MaxRetries {
			return resp, err
		}
		delay, again := t.next(resp, err, try)
		if !again {
			return resp, err
		}
		if resp != nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
		}
		if err := sleep(ctx, delay); err != nil {
			return nil, err
		}
	}
}

// next decides whether to try again and after how long.
func (t *retryTransport) next(resp *http.Response, err error, try int) (time.Duration, bool) {
	if err != nil {
		return t.opt.backoff(try), true
	}
	if !retryable(resp.StatusCode) {
		return 0, false
	}
	if ra := parseRetryAfter(resp.Header, time.Now()); ra > 0 {
		return ra, ra <= t.opt.MaxRetryAfter
	}
	return t.opt.backoff(try), true
}

func readBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	return io.ReadAll(req.Body)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
