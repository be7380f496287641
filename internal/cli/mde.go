package cli

// This file connects the responder to Defender for Endpoint when config.yaml
// has an mde section; without one, approved actions are dry runs.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/vigil-hunt/vigil/internal/respond"
)

// mdeScope is the token audience the Defender for Endpoint API requires.
const mdeScope = "https://api.securitycenter.microsoft.com/.default"

// mdeSettings is the mde section of config.yaml.
type mdeSettings struct {
	// Endpoint is the API host (default https://api.security.microsoft.com;
	// regional hosts such as https://eu.api.security.microsoft.com work).
	Endpoint string `json:"endpoint"`
	TenantID string `json:"tenant_id"`
	ClientID string `json:"client_id"`
	// ClientSecretEnv names the environment variable holding the app
	// registration's secret; without it DefaultAzureCredential is used.
	ClientSecretEnv string `json:"client_secret_env"`
	// TokenEnv names an environment variable holding a bearer token
	// obtained elsewhere (short-lived; for testing and break-glass use).
	TokenEnv string `json:"token_env"`
	// PollInterval is the first wait between polls of an action (5s).
	PollInterval string `json:"poll_interval"`
}

// mdeClient returns the Defender client the config describes, or nil when
// it has no mde section.
func mdeClient(cfg *config) (*respond.Client, error) {
	b, err := cfg.section("mde")
	if err != nil || b == nil {
		return nil, err
	}
	var s mdeSettings
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: mde: %w", cfg.path, err)
	}
	if s.Endpoint == "" {
		s.Endpoint = "https://api.security.microsoft.com"
	}
	tokens, err := s.tokenSource()
	if err != nil {
		return nil, fmt.Errorf("%s: mde: %w", cfg.path, err)
	}
	opt := respond.ClientOptions{}
	if s.PollInterval != "" {
		d, err := time.ParseDuration(s.PollInterval)
		if err != nil {
			return nil, fmt.Errorf("%s: mde: poll_interval: %w", cfg.path, err)
		}
		opt.PollInterval, opt.BaseDelay = d, d
	}
	return respond.NewClient(s.Endpoint, tokens, opt)
}

func (s mdeSettings) tokenSource() (respond.TokenSource, error) {
	if s.TokenEnv != "" {
		return envToken(s.TokenEnv), nil
	}
	var (
		cred azcore.TokenCredential
		err  error
	)
	if s.ClientSecretEnv != "" {
		secret := os.Getenv(s.ClientSecretEnv)
		if secret == "" {
			return nil, fmt.Errorf("client_secret_env: %s is not set", s.ClientSecretEnv)
		}
		cred, err = azidentity.NewClientSecretCredential(s.TenantID, s.ClientID, secret, nil)
	} else {
		cred, err = azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{TenantID: s.TenantID})
	}
	if err != nil {
		return nil, err
	}
	return credToken{cred}, nil
}

// envToken reads a bearer token from an environment variable at each use.
type envToken string

func (e envToken) Token(context.Context) (string, error) {
	if t := os.Getenv(string(e)); t != "" {
		return t, nil
	}
	return "", errors.New("the token variable " + string(e) + " is empty")
}

// credToken gets Defender tokens from an Azure credential.
type credToken struct{ cred azcore.TokenCredential }

func (c credToken) Token(ctx context.Context) (string, error) {
	t, err := c.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{mdeScope}})
	if err != nil {
		return "", err
	}
	return t.Token, nil
}
