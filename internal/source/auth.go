package source

// This file builds azidentity credentials from configuration and keeps
// secrets out of errors.

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// Authentication modes of SourceConfig.Auth.
const (
	AuthDefault  = "default"  // DefaultAzureCredential: env, workload, managed identity, az login…
	AuthCLI      = "cli"      // AzureCLICredential only
	AuthSecret   = "secret"   // client secret read from the ClientSecretEnv variable
	AuthWorkload = "workload" // workload identity (AKS federated token)
	AuthManaged  = "managed"  // managed identity, user-assigned when ClientID is set
)

// AuthConfig says how to get tokens.
type AuthConfig struct {
	Mode            string // one of the Auth constants; "" is AuthDefault, or AuthSecret when ClientSecretEnv is set
	TenantID        string
	ClientID        string
	ClientSecretEnv string // name of the environment variable holding the secret
	// AuthorityHost is the Entra ID host for sovereign clouds
	// (https://login.microsoftonline.us/); empty is the public cloud.
	AuthorityHost string
	// DisableInstanceDiscovery skips the authority check MSAL makes
	// against login.microsoftonline.com before a client-secret or
	// workload-identity token request: for disconnected or private clouds
	// (Azure Stack) and for fake authorities in tests.
	DisableInstanceDiscovery bool
}

func (a AuthConfig) mode() string {
	switch {
	case a.Mode != "":
		return a.Mode
	case a.ClientSecretEnv != "":
		return AuthSecret
	}
	return AuthDefault
}

// key identifies credentials that can be shared between sources.
func (a AuthConfig) key() string {
	return fmt.Sprint(a.mode(), "\x00", a.TenantID, "\x00", a.ClientID, "\x00", a.ClientSecretEnv, "\x00", a.AuthorityHost, "\x00", a.DisableInstanceDiscovery)
}

// NewCredential builds the credential a configures. getenv reads the
// client secret; the secret never appears in an error.
func NewCredential(a AuthConfig, getenv func(string) string, transport policy.Transporter) (azcore.TokenCredential, error) {
	co := azcore.ClientOptions{Transport: transport}
	if a.AuthorityHost != "" {
		co.Cloud.ActiveDirectoryAuthorityHost = a.AuthorityHost
	}
	var cred azcore.TokenCredential
	var secrets []string
	var err error
	switch a.mode() {
	case AuthDefault:
		cred, err = azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: co, TenantID: a.TenantID})
	case AuthCLI:
		cred, err = azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: a.TenantID})
	case AuthSecret:
		cred, secrets, err = secretCredential(a, getenv, co)
	case AuthWorkload:
		cred, err = azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
			ClientOptions: co, TenantID: a.TenantID, ClientID: a.ClientID, DisableInstanceDiscovery: a.DisableInstanceDiscovery})
	case AuthManaged:
		o := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: co}
		if a.ClientID != "" {
			o.ID = azidentity.ClientID(a.ClientID)
		}
		cred, err = azidentity.NewManagedIdentityCredential(o)
	default:
		return nil, fmt.Errorf("unknown auth mode %q (want %s, %s, %s, %s or %s)", a.Mode, AuthDefault, AuthCLI, AuthSecret, AuthWorkload, AuthManaged)
	}
	if err != nil {
		return nil, fmt.Errorf("%s credential: %s", a.mode(), redact(err.Error(), secrets))
	}
	return &redactingCredential{inner: cred, secrets: secrets}, nil
}

func secretCredential(a AuthConfig, getenv func(string) string, co azcore.ClientOptions) (azcore.TokenCredential, []string, error) {
	if a.TenantID == "" || a.ClientID == "" || a.ClientSecretEnv == "" {
		return nil, nil, fmt.Errorf("needs tenant id, client id and client secret variable")
	}
	secret := getenv(a.ClientSecretEnv)
	if secret == "" {
		return nil, nil, fmt.Errorf("environment variable %s is empty", a.ClientSecretEnv)
	}
	cred, err := azidentity.NewClientSecretCredential(a.TenantID, a.ClientID, secret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: a.DisableInstanceDiscovery})
	return cred, []string{secret}, err
}

// credentialError is a failed GetToken, secrets removed.
type credentialError struct{ msg string }

func (e *credentialError) Error() string { return e.msg }

// redactingCredential scrubs secrets and tokens from its errors.
type redactingCredential struct {
	inner   azcore.TokenCredential
	secrets []string
}

func (c *redactingCredential) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	tok, err := c.inner.GetToken(ctx, o)
	if err != nil {
		return tok, &credentialError{msg: redact(err.Error(), c.secrets)}
	}
	return tok, nil
}

// redact removes each secret and any bearer token from s.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "[REDACTED]")
		}
	}
	var b strings.Builder
	for {
		i := strings.Index(strings.ToLower(s), "bearer ")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := i + len("bearer ")
		k := j
		for k < len(s) && !strings.ContainsRune(" \t\r\n\"',;", rune(s[k])) {
			k++
		}
		b.WriteString(s[:j])
		b.WriteString("[REDACTED]")
		s = s[k:]
	}
}

// tokenCache keeps a token until five minutes before it expires, for
// callers that are not behind azcore's bearer policy (Graph). The CLI
// credential caches nothing itself, and runs az on every call.
type tokenCache struct {
	cred  azcore.TokenCredential
	scope string
	mu    sync.Mutex
	tok   azcore.AccessToken
}

func (c *tokenCache) token(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok.Token != "" && time.Until(c.tok.ExpiresOn) > 5*time.Minute {
		return c.tok.Token, nil
	}
	tok, err := c.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{c.scope}})
	if err != nil {
		if _, ok := err.(*credentialError); !ok {
			err = &credentialError{msg: err.Error()}
		}
		return "", err
	}
	c.tok = tok
	return tok.Token, nil
}
