// This file resolves which model server to talk to, from the config struct,
// the environment and a .env file.

package llm

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// ErrNotConfigured means no model is configured: no API key and no local
// server. The caller runs as an offline hunter.
var ErrNotConfigured = errors.New("no LLM configured")

// Provider is the kind of server.
type Provider string

// Providers. Compatible covers Ollama, vLLM, llama.cpp server and any other
// server speaking Chat Completions at a base URL.
const (
	ProviderOpenAI     Provider = "openai"
	ProviderAzure      Provider = "azure"
	ProviderCompatible Provider = "compatible"
)

// Defaults applied by Resolve.
const (
	DefaultModel           = "gpt-5.4-nano"
	DefaultAzureAPIVersion = "2024-10-21"
	ollamaBaseURL          = "http://localhost:11434/v1"
)

// Environment variables Resolve reads. OPENAI_* are the names the OpenAI SDKs
// read; AZURE_OPENAI_* and OPENAI_API_VERSION are the names Azure's samples
// and the Python SDK use; AZURE_OPENAI_DEPLOYMENT has no SDK standard.
const (
	EnvProvider        = "VIGIL_LLM_PROVIDER"
	EnvModel           = "VIGIL_MODEL"
	EnvLocalModels     = "VIGIL_LOCAL_MODELS"
	EnvAPIKey          = "OPENAI_API_KEY"
	EnvBaseURL         = "OPENAI_BASE_URL"
	EnvOrganization    = "OPENAI_ORG_ID"
	EnvProject         = "OPENAI_PROJECT_ID"
	EnvAzureEndpoint   = "AZURE_OPENAI_ENDPOINT"
	EnvAzureAPIKey     = "AZURE_OPENAI_API_KEY"
	EnvAzureDeployment = "AZURE_OPENAI_DEPLOYMENT"
	EnvAPIVersion      = "OPENAI_API_VERSION"
)

// Secret is a credential. It prints and marshals as "[redacted]" so that a
// Config can be logged or dumped without leaking the key.
type Secret string

func (Secret) String() string                 { return "[redacted]" }
func (Secret) GoString() string               { return `"[redacted]"` }
func (Secret) MarshalJSON() ([]byte, error)   { return []byte(`"[redacted]"`), nil }
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Config says which server and model to use. For Azure, Model is the model
// behind the deployment (it selects the price) and Deployment is what the URL
// names; APIVersion "v1" selects the v1 API (base {endpoint}/openai/v1/).
type Config struct {
	Provider     Provider      `json:"provider,omitempty"`
	Model        string        `json:"model,omitempty"`
	APIKey       Secret        `json:"api_key,omitempty"`
	BaseURL      string        `json:"base_url,omitempty"`
	Endpoint     string        `json:"azure_endpoint,omitempty"`
	Deployment   string        `json:"azure_deployment,omitempty"`
	APIVersion   string        `json:"api_version,omitempty"`
	Organization string        `json:"organization,omitempty"`
	Project      string        `json:"project,omitempty"`
	LocalModels  []string      `json:"local_models,omitempty"`
	Timeout      time.Duration `json:"timeout,omitempty"`
}

// Resolve fills cfg from env and dotenv. A non-empty field of cfg wins, then
// the environment, then the .env file. env is usually os.Getenv; dotenv may be
// nil. It returns an error wrapping ErrNotConfigured when no key is set and
// the base URL is not a local server, or when the provider is "none".
func Resolve(cfg Config, env func(string) string, dotenv map[string]string) (Config, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(env(name)); v != "" {
			return v
		}
		return strings.TrimSpace(dotenv[name])
	}
	pick := func(field *string, name string) {
		if *field == "" {
			*field = get(name)
		}
	}
	pick(&cfg.Model, EnvModel)
	pick(&cfg.BaseURL, EnvBaseURL)
	pick(&cfg.Endpoint, EnvAzureEndpoint)
	pick(&cfg.Deployment, EnvAzureDeployment)
	pick(&cfg.APIVersion, EnvAPIVersion)
	pick(&cfg.Organization, EnvOrganization)
	pick(&cfg.Project, EnvProject)
	if len(cfg.LocalModels) == 0 {
		cfg.LocalModels = splitList(get(EnvLocalModels))
	}
	provider, err := resolveProvider(&cfg, get)
	if err != nil {
		return Config{}, err
	}
	cfg.Provider = provider
	if cfg.APIKey == "" {
		cfg.APIKey = Secret(get(keyVar(provider)))
	}
	return finish(cfg)
}

func keyVar(p Provider) string {
	if p == ProviderAzure {
		return EnvAzureAPIKey
	}
	return EnvAPIKey
}

// resolveProvider maps the provider name (aliases included) or infers it:
// an Azure endpoint with an Azure key means azure, a base URL other than
// api.openai.com means compatible, otherwise openai.
func resolveProvider(cfg *Config, get func(string) string) (Provider, error) {
	name := strings.ToLower(string(cfg.Provider))
	if name == "" {
		name = strings.ToLower(get(EnvProvider))
	}
	switch name {
	case "openai":
		return ProviderOpenAI, nil
	case "azure", "azure-openai", "azureopenai":
		return ProviderAzure, nil
	case "compatible", "openai-compatible", "local", "vllm", "llamacpp", "llama.cpp", "llama-server":
		return ProviderCompatible, nil
	case "ollama":
		if cfg.BaseURL == "" {
			cfg.BaseURL = ollamaBaseURL
		}
		return ProviderCompatible, nil
	case "none", "off", "offline":
		return "", fmt.Errorf("%w: %s=%s", ErrNotConfigured, EnvProvider, name)
	case "":
	default:
		return "", fmt.Errorf("unknown LLM provider %q (want openai, azure, compatible, ollama, vllm, llamacpp or none)", name)
	}
	switch {
	case cfg.Endpoint != "" && (cfg.APIKey != "" || get(EnvAzureAPIKey) != ""):
		return ProviderAzure, nil
	case cfg.BaseURL != "" && !isOpenAIHost(cfg.BaseURL):
		return ProviderCompatible, nil
	}
	return ProviderOpenAI, nil
}

// finish applies per-provider defaults and decides whether anything usable
// is configured.
func finish(cfg Config) (Config, error) {
	switch cfg.Provider {
	case ProviderOpenAI:
		if cfg.APIKey == "" {
			return Config{}, fmt.Errorf("%w: %s is not set", ErrNotConfigured, EnvAPIKey)
		}
		if cfg.Model == "" {
			cfg.Model = DefaultModel
		}
	case ProviderAzure:
		if cfg.Endpoint == "" || cfg.APIKey == "" {
			return Config{}, fmt.Errorf("%w: Azure needs %s and %s", ErrNotConfigured, EnvAzureEndpoint, EnvAzureAPIKey)
		}
		if cfg.Model == "" {
			cfg.Model = cfg.Deployment
		}
		if cfg.Deployment == "" {
			cfg.Deployment = cfg.Model
		}
		if cfg.Model == "" {
			return Config{}, fmt.Errorf("azure: set %s (the deployment) and %s (the model behind it, for prices)", EnvAzureDeployment, EnvModel)
		}
		if cfg.APIVersion == "" {
			cfg.APIVersion = DefaultAzureAPIVersion
		}
		if err := checkURL(cfg.Endpoint); err != nil {
			return Config{}, fmt.Errorf("%s: %w", EnvAzureEndpoint, err)
		}
	case ProviderCompatible:
		if cfg.BaseURL == "" {
			return Config{}, fmt.Errorf("%w: a compatible server needs %s", ErrNotConfigured, EnvBaseURL)
		}
		if cfg.APIKey == "" && !IsLocalURL(cfg.BaseURL) {
			return Config{}, fmt.Errorf("%w: %s is not set and %s is not a local server", ErrNotConfigured, EnvAPIKey, redactURL(cfg.BaseURL))
		}
		if cfg.Model == "" {
			return Config{}, fmt.Errorf("compatible server: set %s to the model name the server serves", EnvModel)
		}
	}
	if cfg.BaseURL != "" {
		if err := checkURL(cfg.BaseURL); err != nil {
			return Config{}, fmt.Errorf("%s: %w", EnvBaseURL, err)
		}
	}
	return cfg, nil
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", redactURL(raw))
	}
	return nil
}

func isOpenAIHost(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.EqualFold(u.Hostname(), "api.openai.com")
}

// IsLocalURL reports whether raw points at this machine or a private network
// (localhost, loopback, RFC 1918 / ULA addresses), where a key is optional.
func IsLocalURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate())
}

// redactURL drops user info and query from a URL before it goes into a message.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		out = append(out, f)
	}
	return out
}
