package audit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Planted secrets; none may reach the file.
const (
	jwt       = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2FwaS5zZWN1cml0eWNlbnRlci5taWNyb3NvZnQuY29tIn0.c2lnbmF0dXJlLXBsYW50ZWQ"
	openAIKey = "sk-proj-PLANTEDopenaiKEY0123456789abcdef"
	opaque    = "PLANTEDopaqueBearerValue0123456789"
	password  = "PLANTED-hunter2-password"
	secret    = "PLANTED~client~secret~value"
	apiKey    = "PLANTEDapikey42"
	cookie    = "PLANTEDcookie=session"
	ghToken   = "ghp_PLANTEDgithubTokenABCDEFGHIJKLMNOPQRSTU"
)

func TestSecretsNeverWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Open(path, WithClock(fixedClock()))
	if err != nil {
		t.Fatal(err)
	}
	payloads := []any{
		map[string]any{"headers": map[string][]string{"Authorization": {"Bearer " + jwt}, "Api-Key": {apiKey}}},
		map[string]any{"Client_Secret": secret, "PASSWORD": password, "access_token": opaque},
		map[string]any{"config": map[string]any{"openai_api_key": openAIKey, "Cookie": cookie, "bearer": opaque}},
		map[string]any{"error": "request failed: 401 Authorization: Bearer " + opaque},
		map[string]any{"prompt": "the key is " + openAIKey + " and the token " + jwt},
		map[string]any{"url": "https://x.blob.core.windows.net/pkg.zip?sv=2024&sig=" + apiKey + "&se=2026"},
		map[string]any{"env": "AZURE_CLIENT_SECRET=" + secret + " GITHUB_TOKEN=" + ghToken},
		map[string]any{"cmdline": `curl -H 'x' -d '{"password": "` + password + `"}'`},
		[]any{"Bearer " + opaque, map[string]any{"nested": []any{map[string]any{"refreshToken": opaque}}}},
		struct {
			Token string `json:"Token"`
			Name  string `json:"name"`
		}{opaque, "ok"},
	}
	for _, p := range payloads {
		if _, err := l.Append(KindAPICall, "Bearer "+opaque, p); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"PLANTED", jwt[:20], "sk-proj", "ghp_", "hunter2"} {
		if strings.Contains(string(b), s) {
			t.Errorf("audit file contains %q:\n%s", s, b)
		}
	}
	if n := strings.Count(string(b), Redacted); n < 15 {
		t.Errorf("only %d redactions", n)
	}
	if _, err := Verify(path); err != nil {
		t.Fatal(err)
	}
}

func TestRedactKeepsOrdinaryValues(t *testing.T) {
	in := map[string]any{
		"usage":      map[string]any{"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15, "max_tokens": 9},
		"token_type": "Bearer",
		"comment":    "Bearer tokens are short-lived; isolate windows-target-1",
		"host":       "task-force-alpha-with-a-very-long-name.contoso.com",
		"n":          json.Number("12345678901234567890"),
		"empty":      nil,
	}
	got, err := Redact(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"comment":"Bearer tokens are short-lived; isolate windows-target-1","empty":null,"host":"task-force-alpha-with-a-very-long-name.contoso.com","n":12345678901234567890,"token_type":"Bearer","usage":{"completion_tokens":3,"max_tokens":9,"prompt_tokens":12,"total_tokens":15}}`
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestSecretKey(t *testing.T) {
	for k, want := range map[string]bool{
		"api_key": true, "APIKEY": true, "Authorization": true, "client_secret": true, "Password": true,
		"token": true, "access_token": true, "Bearer": true, "bearer_token": true, "x-api-key": true,
		"OPENAI_API_KEY": true, "graphToken": true, "AZURE_CLIENT_SECRET": true,
		"prompt_tokens": false, "token_type": false, "device": false, "comment": false, "tokens": false,
	} {
		if got := secretKey(k); got != want {
			t.Errorf("secretKey(%q) = %v, want %v", k, got, want)
		}
	}
}
