package source

// This file holds what the remote sources share: endpoints, timeouts and
// the classification of errors that carry no HTTP response.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// serviceEndpoint checks an endpoint URL and gives it defPath when it has
// no path. Tokens only travel over https (or to a loopback test server).
func serviceEndpoint(raw, defPath string) (string, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("endpoint %q is not an absolute URL", raw)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())) {
		return "", fmt.Errorf("endpoint %q must use https", raw)
	}
	if u.Path == "" {
		u.Path = defPath
	}
	return u.String(), nil
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

func defaultGrace(d time.Duration) time.Duration {
	if d <= 0 {
		return 10 * time.Second
	}
	return d
}

// withQueryTimeout bounds a call by the query's timeout plus grace.
func withQueryTimeout(ctx context.Context, timeout, grace time.Duration) (context.Context, context.CancelFunc) {
	if timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, timeout+grace)
}

// classifyTransport fills e for an error without an HTTP response: the
// context ran out, the credential failed, or the connection did.
func classifyTransport(ctx context.Context, e *Error, err error) {
	var ce *credentialError
	switch {
	case errors.As(err, &ce):
		e.Kind, e.Message, e.Err = ErrAuth, ce.msg, nil
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		e.Kind, e.Message = ErrTimeout, "no answer before the deadline"
		if errors.Is(ctx.Err(), context.Canceled) {
			e.Kind, e.Message = ErrTransport, "canceled"
		}
	default:
		e.Kind, e.Message = ErrTransport, err.Error()
	}
}
