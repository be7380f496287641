package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name   string
		cfg    Config
		env    map[string]string
		dotenv map[string]string
		want   Config
		err    error // wrapped error wanted, or nil
		errMsg string
	}{
		{name: "nothing set", err: ErrNotConfigured},
		{name: "provider none", env: map[string]string{"VIGIL_LLM_PROVIDER": "none", "OPENAI_API_KEY": "sk-x"}, err: ErrNotConfigured},
		{name: "openai key from env, default model",
			env:  map[string]string{"OPENAI_API_KEY": "sk-env"},
			want: Config{Provider: ProviderOpenAI, Model: DefaultModel, APIKey: "sk-env"}},
		{name: "env wins over .env",
			env:    map[string]string{"OPENAI_API_KEY": "sk-env", "VIGIL_MODEL": "gpt-5.4"},
			dotenv: map[string]string{"OPENAI_API_KEY": "sk-dotenv", "VIGIL_MODEL": "gpt-5.4-mini", "OPENAI_ORG_ID": "org-dot"},
			want:   Config{Provider: ProviderOpenAI, Model: "gpt-5.4", APIKey: "sk-env", Organization: "org-dot"}},
		{name: ".env alone is enough",
			dotenv: map[string]string{"OPENAI_API_KEY": "sk-dotenv"},
			want:   Config{Provider: ProviderOpenAI, Model: DefaultModel, APIKey: "sk-dotenv"}},
		{name: "config struct wins over env",
			cfg:  Config{Model: "gpt-4.1-mini", APIKey: "sk-cfg"},
			env:  map[string]string{"OPENAI_API_KEY": "sk-env", "VIGIL_MODEL": "gpt-5.4"},
			want: Config{Provider: ProviderOpenAI, Model: "gpt-4.1-mini", APIKey: "sk-cfg"}},
		{name: "blank env value falls through to .env",
			env:    map[string]string{"OPENAI_API_KEY": "  "},
			dotenv: map[string]string{"OPENAI_API_KEY": "sk-dotenv"},
			want:   Config{Provider: ProviderOpenAI, Model: DefaultModel, APIKey: "sk-dotenv"}},
		{name: "azure inferred from endpoint and key",
			env:  map[string]string{"AZURE_OPENAI_ENDPOINT": "https://res.openai.azure.com", "AZURE_OPENAI_API_KEY": "az", "AZURE_OPENAI_DEPLOYMENT": "hunt", "VIGIL_MODEL": "gpt-4.1-mini", "OPENAI_API_KEY": "sk-other"},
			want: Config{Provider: ProviderAzure, Model: "gpt-4.1-mini", APIKey: "az", Endpoint: "https://res.openai.azure.com", Deployment: "hunt", APIVersion: DefaultAzureAPIVersion}},
		{name: "azure deployment doubles as model",
			env:  map[string]string{"VIGIL_LLM_PROVIDER": "azure", "AZURE_OPENAI_ENDPOINT": "https://res.openai.azure.com", "AZURE_OPENAI_API_KEY": "az", "AZURE_OPENAI_DEPLOYMENT": "gpt-4o-mini", "OPENAI_API_VERSION": "2025-01-01-preview"},
			want: Config{Provider: ProviderAzure, Model: "gpt-4o-mini", APIKey: "az", Endpoint: "https://res.openai.azure.com", Deployment: "gpt-4o-mini", APIVersion: "2025-01-01-preview"}},
		{name: "azure without key", env: map[string]string{"VIGIL_LLM_PROVIDER": "azure", "AZURE_OPENAI_ENDPOINT": "https://res.openai.azure.com"}, err: ErrNotConfigured},
		{name: "endpoint without azure key stays openai",
			env:  map[string]string{"AZURE_OPENAI_ENDPOINT": "https://res.openai.azure.com", "OPENAI_API_KEY": "sk-env"},
			want: Config{Provider: ProviderOpenAI, Model: DefaultModel, APIKey: "sk-env", Endpoint: "https://res.openai.azure.com"}},
		{name: "local base URL needs no key",
			env:  map[string]string{"OPENAI_BASE_URL": "http://127.0.0.1:8080/v1", "VIGIL_MODEL": "qwen2.5", "VIGIL_LOCAL_MODELS": "qwen2.5, llama3.1:8b"},
			want: Config{Provider: ProviderCompatible, Model: "qwen2.5", BaseURL: "http://127.0.0.1:8080/v1", LocalModels: []string{"qwen2.5", "llama3.1:8b"}}},
		{name: "ollama alias fills the base URL",
			env:  map[string]string{"VIGIL_LLM_PROVIDER": "ollama", "VIGIL_MODEL": "llama3.1:8b"},
			want: Config{Provider: ProviderCompatible, Model: "llama3.1:8b", BaseURL: "http://localhost:11434/v1"}},
		{name: "remote compatible server without key", env: map[string]string{"OPENAI_BASE_URL": "https://llm.example.com/v1", "VIGIL_MODEL": "m"}, err: ErrNotConfigured},
		{name: "base URL of api.openai.com stays openai",
			env:  map[string]string{"OPENAI_BASE_URL": "https://api.openai.com/v1", "OPENAI_API_KEY": "sk-env"},
			want: Config{Provider: ProviderOpenAI, Model: DefaultModel, APIKey: "sk-env", BaseURL: "https://api.openai.com/v1"}},
		{name: "compatible needs a model", env: map[string]string{"OPENAI_BASE_URL": "http://localhost:8000/v1"}, errMsg: "VIGIL_MODEL"},
		{name: "unknown provider", env: map[string]string{"VIGIL_LLM_PROVIDER": "bedrock"}, errMsg: "unknown LLM provider"},
		{name: "bad base URL", env: map[string]string{"OPENAI_API_KEY": "k", "VIGIL_LLM_PROVIDER": "openai", "OPENAI_BASE_URL": "localhost:8080"}, errMsg: "not an http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(tt.cfg, envOf(tt.env), tt.dotenv)
			switch {
			case tt.err != nil || tt.errMsg != "":
				if err == nil || tt.err != nil && !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.errMsg) {
					t.Fatalf("err = %v, want %v %q", err, tt.err, tt.errMsg)
				}
				if errors.Is(err, ErrNotConfigured) == (tt.err == nil) {
					t.Errorf("ErrNotConfigured mismatch: %v", err)
				}
			case err != nil:
				t.Fatalf("err = %v", err)
			case !reflect.DeepEqual(got, tt.want):
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestSecretNeverPrints(t *testing.T) {
	cfg := Config{Provider: ProviderOpenAI, Model: "m", APIKey: "sk-very-secret-key"}
	js, _ := json.Marshal(cfg)
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), string(js)} {
		if strings.Contains(s, "very-secret") {
			t.Errorf("key leaked: %s", s)
		}
	}
}

func TestParseDotenv(t *testing.T) {
	in := "\ufeff# vigil\n" +
		"OPENAI_API_KEY=sk-abc # trailing comment\n" +
		"export VIGIL_MODEL = gpt-5.4-mini\n" +
		"\n" +
		"SINGLE='lit #not a comment \\n'\n" +
		"DOUBLE=\"a\\tb \\\"q\\\" \\\\ \\x\" # c\n" +
		"EMPTY=\n" +
		"URL=http://h:1/v1#frag\n" +
		"VIGIL_MODEL=gpt-5.4\n"
	got, err := ParseDotenv(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"OPENAI_API_KEY": "sk-abc",
		"VIGIL_MODEL":    "gpt-5.4",
		"SINGLE":         `lit #not a comment \n`,
		"DOUBLE":         "a\tb \"q\" \\ \\x",
		"EMPTY":          "",
		"URL":            "http://h:1/v1#frag",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestParseDotenvErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"JUSTAKEY\n", "line 1: missing '='"},
		{"A=1\nB='open\n", "line 2: unterminated single quote"},
		{"C=\"open\n", "unterminated double quote"},
		{"1BAD=x\n", "invalid key"},
		{"D=\"x\" junk\n", "after closing quote"},
	}
	for _, tt := range tests {
		_, err := ParseDotenv(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseDotenv(%q) err = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestReadDotenvMissing(t *testing.T) {
	got, err := ReadDotenv(t.TempDir() + "/.env")
	if err != nil || len(got) != 0 {
		t.Errorf("missing .env: %v %v", got, err)
	}
}
