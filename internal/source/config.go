package source

// This file opens the configured sources.

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/vigil-hunt/vigil/kql/engine"
)

// Config lists the sources a run may hunt in.
type Config struct {
	Sources []SourceConfig
}

// SourceConfig is one source. Which fields matter depends on Kind.
type SourceConfig struct {
	Name string
	Kind string // local, log-analytics, defender, adx

	// log-analytics
	WorkspaceID          string
	AdditionalWorkspaces []string

	// authentication (remote kinds); see AuthConfig
	Auth            string
	TenantID        string
	ClientID        string
	ClientSecretEnv string // the variable's name; the secret stays in the environment
	AuthorityHost   string
	// DisableInstanceDiscovery: see AuthConfig.
	DisableInstanceDiscovery bool

	// adx
	Cluster  string
	Database string

	// Endpoint replaces the service's public endpoint (a fake in tests, a
	// sovereign cloud); Audience the token audience that goes with it.
	Endpoint string
	Audience string
}

func (c SourceConfig) auth() AuthConfig {
	return AuthConfig{Mode: c.Auth, TenantID: c.TenantID, ClientID: c.ClientID, ClientSecretEnv: c.ClientSecretEnv,
		AuthorityHost: c.AuthorityHost, DisableInstanceDiscovery: c.DisableInstanceDiscovery}
}

// Deps are what Open needs from outside the configuration.
type Deps struct {
	Catalog engine.Catalog   // for local sources
	Now     func() time.Time // local sources' clock (nil: real clock)
	// Credential, when set, serves every remote source (tests inject a
	// fake here); otherwise each source's auth settings build one.
	Credential azcore.TokenCredential
	// HTTPClient's Transport carries every service request (nil: the
	// default transport). Tests trust their TLS fake servers through it.
	HTTPClient   *http.Client
	Getenv       func(string) string // nil: os.Getenv
	Retry        RetryOptions
	Split        SplitOptions
	TimeoutGrace time.Duration
}

// Open opens every configured source, keyed by name. It reports every
// configuration problem at once.
func Open(cfg Config, deps Deps) (map[string]Source, error) {
	if deps.Getenv == nil {
		deps.Getenv = os.Getenv
	}
	o := opener{deps: deps, creds: map[string]azcore.TokenCredential{}}
	out := map[string]Source{}
	seen := map[string]bool{}
	var errs []error
	for i, sc := range cfg.Sources {
		if sc.Name == "" {
			errs = append(errs, fmt.Errorf("source %d: no name", i+1))
			continue
		}
		if seen[sc.Name] {
			errs = append(errs, fmt.Errorf("source %s: configured twice", sc.Name))
			continue
		}
		seen[sc.Name] = true
		s, err := o.open(sc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out[sc.Name] = s
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

type opener struct {
	deps  Deps
	creds map[string]azcore.TokenCredential // shared by sources with the same auth
}

func (o *opener) open(sc SourceConfig) (Source, error) {
	if sc.Kind == KindLocal {
		if o.deps.Catalog == nil {
			return nil, &Error{Source: sc.Name, Kind: ErrConfig, Message: "local source needs a catalog"}
		}
		return NewLocal(sc.Name, o.deps.Catalog, LocalOptions{Now: o.deps.Now}), nil
	}
	if sc.Kind != KindLogAnalytics && sc.Kind != KindDefender && sc.Kind != KindADX {
		return nil, &Error{Source: sc.Name, Kind: ErrConfig, Message: fmt.Sprintf("unknown kind %q (want %s, %s, %s or %s)", sc.Kind, KindLocal, KindLogAnalytics, KindDefender, KindADX)}
	}
	cred, err := o.credential(sc)
	if err != nil {
		return nil, &Error{Source: sc.Name, Kind: ErrConfig, Message: err.Error()}
	}
	d := o.deps
	switch sc.Kind {
	case KindLogAnalytics:
		var tr policy.Transporter // a nil *http.Client must stay a nil interface
		if d.HTTPClient != nil {
			tr = d.HTTPClient
		}
		return NewLogAnalytics(sc.Name, LogAnalyticsOptions{
			WorkspaceID: sc.WorkspaceID, AdditionalWorkspaces: sc.AdditionalWorkspaces,
			Credential: cred, Endpoint: sc.Endpoint, Audience: sc.Audience, Transport: tr,
			Retry: d.Retry, Split: d.Split, TimeoutGrace: d.TimeoutGrace,
		})
	case KindDefender:
		return NewDefender(sc.Name, DefenderOptions{
			Credential: cred, Endpoint: sc.Endpoint, Audience: sc.Audience, HTTPClient: d.HTTPClient,
			Retry: d.Retry, Split: d.Split, TimeoutGrace: d.TimeoutGrace,
		})
	default:
		return NewADX(sc.Name, ADXOptions{
			Cluster: firstNonEmpty(sc.Endpoint, sc.Cluster), Database: sc.Database,
			Credential: cred, HTTPClient: d.HTTPClient, Retry: d.Retry, TimeoutGrace: d.TimeoutGrace,
		})
	}
}

// credential returns the injected credential or a shared configured one.
func (o *opener) credential(sc SourceConfig) (azcore.TokenCredential, error) {
	if o.deps.Credential != nil {
		return o.deps.Credential, nil
	}
	a := sc.auth()
	if c, ok := o.creds[a.key()]; ok {
		return c, nil
	}
	var tr policy.Transporter
	if o.deps.HTTPClient != nil {
		tr = o.deps.HTTPClient
	}
	c, err := NewCredential(a, o.deps.Getenv, tr)
	if err != nil {
		return nil, err
	}
	o.creds[a.key()] = c
	return c, nil
}

// Select returns the named sources in the order named, or every source
// sorted by name when no names are given.
func Select(all map[string]Source, names ...string) ([]Source, error) {
	if len(names) == 0 {
		for n := range all {
			names = append(names, n)
		}
		sort.Strings(names)
	}
	out := make([]Source, 0, len(names))
	for _, n := range names {
		s, ok := all[n]
		if !ok {
			return nil, fmt.Errorf("no source named %q", n)
		}
		out = append(out, s)
	}
	return out, nil
}
