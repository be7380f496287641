package respond

// This file is the MDE API client's transport: auth, retries, decoding.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MDE endpoints and token audience.
const (
	DefaultBaseURL = "https://api.security.microsoft.com"
	Audience       = "https://api.securitycenter.microsoft.com"
	Scope          = Audience + "/.default"
)

// TokenSource yields a bearer token for Scope (an azidentity credential
// wrapped by the caller). Tokens never appear in errors or logs.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// ClientOptions tune a Client; zero values take the defaults shown.
type ClientOptions struct {
	HTTPClient *http.Client // default: 60s timeout per request
	// Sleep waits between retries and polls (default: a timer that stops
	// when ctx is done). Tests pass one that returns at once.
	Sleep         func(ctx context.Context, d time.Duration) error
	MaxAttempts   int           // per request, counting the first (4)
	BaseDelay     time.Duration // first backoff, doubled each retry (1s)
	MaxDelay      time.Duration // backoff cap (30s)
	MaxRetryAfter time.Duration // a longer Retry-After fails the call instead (2m)
	PollInterval  time.Duration // first wait between action polls (5s)
	MaxPoll       time.Duration // poll interval cap (60s)
}

// Client calls the MDE machine and machine-action APIs. Safe for
// concurrent use.
type Client struct {
	base   string
	tokens TokenSource
	opt    ClientOptions
}

// NewClient returns a client for baseURL (DefaultBaseURL, a regional host
// such as https://eu.api.security.microsoft.com, or a fake). Tokens are
// only sent over https, or plain http to a loopback address.
func NewClient(baseURL string, tokens TokenSource, opt ClientOptions) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("MDE base URL %q: not an absolute URL", baseURL)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())) {
		return nil, fmt.Errorf("MDE base URL %q: must be https", baseURL)
	}
	if tokens == nil {
		return nil, errors.New("MDE client: no token source")
	}
	setDefaults(&opt)
	return &Client{base: u.String(), tokens: tokens, opt: opt}, nil
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

func setDefaults(o *ClientOptions) {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 60 * time.Second}
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 4
	}
	def(&o.BaseDelay, time.Second)
	def(&o.MaxDelay, 30*time.Second)
	def(&o.MaxRetryAfter, 2*time.Minute)
	def(&o.PollInterval, 5*time.Second)
	def(&o.MaxPoll, time.Minute)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// call is one API operation: what it is, for errors, and what it needs.
type call struct {
	op         string // "isolate"
	permission string // "Machine.Isolate"
	method     string
	path       string // with query, already escaped
	body       any    // nil for none
}

// do runs c, retrying 429 (after Retry-After), 5xx and transport errors
// with bounded exponential backoff, and decodes a 2xx body into out.
func (cl *Client) do(ctx context.Context, c call, out any) error {
	var body []byte
	if c.body != nil {
		var err error
		if body, err = json.Marshal(c.body); err != nil {
			return fmt.Errorf("MDE %s: encode request: %w", c.op, err)
		}
	}
	for attempt := 1; ; attempt++ {
		tok, err := cl.tokens.Token(ctx)
		if err != nil { // not retried: the source does its own
			return fmt.Errorf("MDE %s: get token: %w", c.op, err)
		}
		status, hdr, resp, err := cl.send(ctx, c, tok, body)
		var wait time.Duration
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("MDE %s: %w", c.op, ctx.Err())
		case err != nil:
			if attempt >= cl.opt.MaxAttempts {
				return fmt.Errorf("MDE %s: %w (%d attempts)", c.op, err, attempt)
			}
			wait = cl.backoff(attempt)
		case status >= 200 && status < 300:
			return decode(c.op, resp, out)
		default:
			e := parseAPIError(c.op, status, resp)
			e.Attempts, e.RetryAfter = attempt, retryAfter(hdr)
			if status == http.StatusUnauthorized || status == http.StatusForbidden {
				e.Permission = c.permission
			}
			if !retryable(status) || attempt >= cl.opt.MaxAttempts || e.RetryAfter > cl.opt.MaxRetryAfter {
				return e
			}
			wait = e.RetryAfter
			if wait == 0 {
				wait = cl.backoff(attempt)
			}
		}
		if err := cl.opt.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("MDE %s: %w", c.op, err)
		}
	}
}

// send makes one request and reads the whole response.
func (cl *Client) send(ctx context.Context, c call, tok string, body []byte) (int, http.Header, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, cl.base+c.path, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := cl.opt.HTTPClient.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("read response: %w", err)
	}
	return resp.StatusCode, resp.Header, b, nil
}

func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusInternalServerError ||
		status == http.StatusBadGateway || status == http.StatusServiceUnavailable ||
		status == http.StatusGatewayTimeout
}

func (cl *Client) backoff(attempt int) time.Duration {
	d := cl.opt.BaseDelay << (attempt - 1)
	if d <= 0 || d > cl.opt.MaxDelay {
		return cl.opt.MaxDelay
	}
	return d
}

// retryAfter reads Retry-After in seconds, the form MDE sends; 0 if absent
// or another form (the caller then backs off on its own schedule).
func retryAfter(h http.Header) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After")))
	if err != nil || n < 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}

func decode(op string, body []byte, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("MDE %s: decode response: %w", op, err)
	}
	return nil
}
