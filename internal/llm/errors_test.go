package llm

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/llm/llmtest"
)

func TestErrorClasses(t *testing.T) {
	tests := []struct {
		name     string
		model    string
		steps    []llmtest.Step
		kind     error
		requests int      // requests the server should see
		contains []string // in the error text
	}{
		{"quota fails fast", "", []llmtest.Step{llmtest.Quota()}, ErrQuota, 1,
			[]string{"insufficient quota", "HTTP 429", "insufficient_quota", "not retrying"}},
		{"invalid key", "", []llmtest.Step{llmtest.InvalidKey(string(testKey))}, ErrInvalidKey, 1,
			[]string{"invalid API key", "HTTP 401", "check OPENAI_API_KEY"}},
		{"model not found", "", []llmtest.Step{llmtest.ModelNotFound("gpt-5.4-mini")}, ErrModelNotFound, 1,
			[]string{"model not found", "model_not_found", "does not exist"}},
		{"model not found, retiring", "gpt-5-mini", []llmtest.Step{llmtest.ModelNotFound("gpt-5-mini")}, ErrModelNotFound, 1,
			[]string{"shuts down on 2026-12-11"}},
		{"forbidden", "", []llmtest.Step{{Status: 403, Error: &llmtest.Error{Message: "Country, region, or territory not supported", Type: "request_forbidden", Code: "unsupported_country_region_territory"}}}, ErrForbidden, 1,
			[]string{"HTTP 403", "not supported"}},
		{"azure content filter", "", []llmtest.Step{llmtest.RawJSON(400, `{"error":{"code":"content_filter","param":"prompt","message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","innererror":{"code":"ResponsibleAIPolicyViolation"}}}`)}, ErrContentFilter, 1,
			[]string{"content filter", "filtered"}},
		{"plain-text 502 then gives up", "", []llmtest.Step{llmtest.PlainText(502, "<html>Bad Gateway</html>"), llmtest.PlainText(502, "Bad Gateway"), llmtest.PlainText(502, "Bad Gateway"), llmtest.PlainText(502, "Bad Gateway")}, ErrServer, 4,
			[]string{"HTTP 502", "after 4 attempts", "Bad Gateway"}},
		{"vLLM top-level error", "", []llmtest.Step{llmtest.RawJSON(400, `{"object":"error","message":"\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set","type":"BadRequestError","param":null,"code":400}`)}, ErrBadRequest, 1,
			[]string{"HTTP 400", "enable-auto-tool-choice"}},
		{"llama.cpp integer code", "", []llmtest.Step{llmtest.RawJSON(500, `{"error":{"code":500,"message":"tools param requires --jinja flag","type":"server_error"}}`), llmtest.Text("ok")}, nil, 2, nil},
		{"error as a string", "", []llmtest.Step{llmtest.RawJSON(400, `{"error":"model 'qwen' not loaded"}`)}, ErrBadRequest, 1,
			[]string{"model 'qwen' not loaded"}},
		{"wrong base URL", "", []llmtest.Step{llmtest.PlainText(404, "404 page not found")}, ErrBadRequest, 1,
			[]string{"HTTP 404", "check the base URL"}},
		{"empty 503 body, then success", "", []llmtest.Step{llmtest.PlainText(503, ""), llmtest.Text("ok")}, nil, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t, tt.steps...)
			var w waits
			c := newTestClient(t, openaiConfig(srv, "gpt-5.4-mini"), srv, &w)
			req := hunt()
			req.Model = tt.model
			_, err := c.Chat(context.Background(), req)
			if got := len(srv.Requests()); got != tt.requests {
				t.Errorf("server saw %d requests, want %d", got, tt.requests)
			}
			if tt.kind == nil {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want kind %v", err, tt.kind)
			}
			msg := err.Error()
			for _, s := range tt.contains {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q lacks %q", msg, s)
				}
			}
			if strings.Contains(msg, string(testKey)) || strings.Contains(msg, string(testKey)[len(testKey)-4:]) {
				t.Errorf("error echoes the key: %q", msg)
			}
		})
	}
}

func TestContextLengthExceeded(t *testing.T) {
	srv := llmtest.NewServer(t, llmtest.ContextLengthExceeded(50))
	var w waits
	c := newTestClient(t, openaiConfig(srv, "gpt-5.4-mini"), srv, &w)
	_, err := c.Chat(context.Background(), hunt())
	var ce *ContextLengthError
	if !errors.As(err, &ce) || !errors.Is(err, ErrContextLength) {
		t.Fatalf("err = %v, want *ContextLengthError", err)
	}
	sent := srv.Requests()[0].PromptTokens
	if ce.Preflight || ce.Limit != 50 || ce.Requested != sent || len(srv.Requests()) != 1 {
		t.Errorf("got %+v (server counted %d, %d requests)", ce, sent, len(srv.Requests()))
	}
}

func TestContextLengthPreflight(t *testing.T) {
	prices, err := ParsePrices([]byte(`{"models":{"tiny":{"input":1,"cached_input":1,"output":1,"encoding":"o200k_base","context_window":40,"max_output":10}}}`))
	if err != nil {
		t.Fatal(err)
	}
	srv := llmtest.NewServer(t)
	c, err := New(openaiConfig(srv, "tiny"), prices, WithHTTPClient(srv.Client()), WithClock(fixedClock))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Chat(context.Background(), hunt())
	var ce *ContextLengthError
	if !errors.As(err, &ce) || !ce.Preflight || ce.Limit != 40 || len(srv.Requests()) != 0 {
		t.Errorf("err = %v (%+v), %d requests", err, ce, len(srv.Requests()))
	}
}

func TestRetryWaits(t *testing.T) {
	httpDate := testNow.Add(7 * time.Second).Format(http.TimeFormat)
	tests := []struct {
		name  string
		steps []llmtest.Step
		waits []time.Duration
		kind  error // nil: the last step succeeds
	}{
		{"Retry-After seconds", []llmtest.Step{llmtest.RateLimited("2"), llmtest.Text("ok")},
			[]time.Duration{2 * time.Second}, nil},
		{"retry-after-ms", []llmtest.Step{llmtest.RateLimitedMS(1500), llmtest.Text("ok")},
			[]time.Duration{1500 * time.Millisecond}, nil},
		{"Retry-After HTTP date", []llmtest.Step{{Status: 503, Body: "busy", Headers: map[string]string{"Retry-After": httpDate}}, llmtest.Text("ok")},
			[]time.Duration{7 * time.Second}, nil},
		{"backoff without header: 1s, 2s, 4s jittered to 3/4", []llmtest.Step{llmtest.RateLimited(""), llmtest.ServerError(500), llmtest.ServerError(503), llmtest.Text("ok")},
			[]time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second}, nil},
		{"gives up after 4 attempts", []llmtest.Step{llmtest.RateLimited("1"), llmtest.RateLimited("1"), llmtest.RateLimited("1"), llmtest.RateLimited("1")},
			[]time.Duration{time.Second, time.Second, time.Second}, ErrRateLimited},
		{"Retry-After beyond 2m stops at once", []llmtest.Step{llmtest.RateLimited("600")},
			nil, ErrRateLimited},
		{"quota never retried", []llmtest.Step{llmtest.Quota()},
			nil, ErrQuota},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t, tt.steps...)
			var w waits
			c := newTestClient(t, openaiConfig(srv, "gpt-5.4-mini"), srv, &w)
			_, err := c.Chat(context.Background(), hunt())
			if tt.kind == nil && err != nil || tt.kind != nil && !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			if !equalDurations(w, tt.waits) {
				t.Errorf("waits = %v, want %v", []time.Duration(w), tt.waits)
			}
			if srv.Remaining() != 0 {
				t.Errorf("%d scripted steps unused", srv.Remaining())
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRetryStopsOnCancel(t *testing.T) {
	srv := llmtest.NewServer(t, llmtest.RateLimited("3"))
	ctx, cancel := context.WithCancel(context.Background())
	sleep := func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}
	c, err := New(openaiConfig(srv, "gpt-5.4-mini"), nil, WithHTTPClient(srv.Client()), WithClock(fixedClock), WithRetry(Retry{Sleep: sleep}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Chat(ctx, hunt()); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestUnreachable(t *testing.T) {
	srv := llmtest.NewServer(t)
	base := srv.BaseURL()
	srv.Close()
	var w waits
	c := newTestClient(t, Config{Provider: ProviderOpenAI, BaseURL: base, Model: "gpt-5.4-mini", APIKey: testKey}, srv, &w)
	_, err := c.Chat(context.Background(), hunt())
	if !errors.Is(err, ErrUnreachable) || len(w) != 3 || !strings.Contains(err.Error(), "is the server running?") {
		t.Errorf("err = %v after %d waits", err, len(w))
	}
}

func TestParseErrorBody(t *testing.T) {
	tests := []struct {
		body string
		want wireError
	}{
		{`{"error":{"message":"m","type":"t","param":null,"code":"c"}}`, wireError{"m", "t", "c"}},
		{`{"error":{"code":400,"message":"m","type":"invalid_request_error"}}`, wireError{"m", "invalid_request_error", "400"}},
		{`{"error":"just text"}`, wireError{Message: "just text"}},
		{`{"object":"error","message":"m","type":"BadRequestError","code":400}`, wireError{"m", "BadRequestError", "400"}},
		{`{"detail":"Not Found"}`, wireError{Message: "Not Found"}},
		{"upstream\n  connect error", wireError{Message: "upstream connect error"}},
		{``, wireError{}},
	}
	for _, tt := range tests {
		if got := parseErrorBody([]byte(tt.body)); got != tt.want {
			t.Errorf("parseErrorBody(%q) = %+v, want %+v", tt.body, got, tt.want)
		}
	}
}

func TestScrub(t *testing.T) {
	got := scrub("Incorrect API key provided: sk-proj-abc*****wxyz and "+string(testKey), testKey)
	if strings.Contains(got, "abc") || strings.Contains(got, string(testKey)) {
		t.Errorf("scrub left a secret: %q", got)
	}
}
