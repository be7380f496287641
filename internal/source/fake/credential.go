package fake

// This file implements a token credential that needs no network.

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Token is the bearer token Credential issues for scope; the fake servers
// accept only the token for their audience's scope.
func Token(scope string) string { return "fake-token:" + scope }

// Credential is an azcore.TokenCredential for tests: GetToken returns
// Token(scope) valid for an hour, or Err when set.
type Credential struct {
	Err error

	mu     sync.Mutex
	scopes []string
}

// GetToken implements azcore.TokenCredential.
func (c *Credential) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scopes = append(c.scopes, o.Scopes...)
	if c.Err != nil {
		return azcore.AccessToken{}, c.Err
	}
	if len(o.Scopes) != 1 {
		return azcore.AccessToken{}, errors.New("fake credential: want exactly one scope")
	}
	return azcore.AccessToken{Token: Token(o.Scopes[0]), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// Scopes returns the scopes asked for, in order.
func (c *Credential) Scopes() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.scopes...)
}
