// This file is the client: one Chat call over the official SDK, with the
// allow-list, an offline pre-flight count, and our own retry loop.

package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/azure"
	"github.com/openai/openai-go/v3/option"
)

const defaultTimeout = 2 * time.Minute

// Client talks to one configured server. It is safe for concurrent use.
type Client struct {
	cfg    Config
	prices *Prices
	retry  Retry
	now    func() time.Time
	http   *http.Client
	svc    openai.ChatCompletionService
}

// Option adjusts a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (tests pass the fake server's).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithRetry sets the retry policy.
func WithRetry(r Retry) Option { return func(c *Client) { c.retry = r } }

// WithClock sets the clock used for retirement dates and Retry-After dates.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// New builds a client for a resolved Config (see Resolve). prices is the
// allow-list (nil means the embedded table); cfg.LocalModels are added to it
// at zero price. The configured model must be usable now.
func New(cfg Config, prices *Prices, opts ...Option) (*Client, error) {
	if cfg.Provider == "" {
		return nil, errors.New("llm: config has no provider; call Resolve first")
	}
	if prices == nil {
		prices = DefaultPrices()
	}
	c := &Client{cfg: cfg, prices: prices.WithLocal(cfg.LocalModels...), now: time.Now}
	for _, o := range opts {
		o(c)
	}
	c.prices.Now = c.now
	c.retry = c.retry.withDefaults()
	if c.http == nil {
		c.http = &http.Client{Transport: http.DefaultTransport}
	}
	if _, err := c.check(cfg.Model); err != nil {
		return nil, err
	}
	c.svc = openai.NewChatCompletionService(c.sdkOptions()...)
	return c, nil
}

// Model is the configured model.
func (c *Client) Model() string { return c.cfg.Model }

// Prices is the client's allow-list (with local models added).
func (c *Client) Prices() *Prices { return c.prices }

// Estimate counts req for the model it would use.
func (c *Client) Estimate(req Request) (Estimate, error) {
	return c.prices.Estimate(req, c.modelFor(req))
}

func (c *Client) modelFor(req Request) string {
	if req.Model != "" {
		return req.Model
	}
	return c.cfg.Model
}

// check applies the allow-list, and refuses a local (zero-price) model on a
// hosted provider, where it would be billed at a price we do not know.
func (c *Client) check(model string) (Model, error) {
	m, err := c.prices.Check(model)
	if err != nil {
		return Model{}, err
	}
	if m.Local && c.cfg.Provider != ProviderCompatible {
		return Model{}, fmt.Errorf("model %q is a local model; it needs a compatible server, not %s", model, c.cfg.Provider)
	}
	return m, nil
}

func (c *Client) sdkOptions() []option.RequestOption {
	timeout := c.cfg.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	opts := []option.RequestOption{
		option.WithHTTPClient(c.http),
		option.WithEnvironmentProduction(),
		option.WithMaxRetries(0),
		option.WithRequestTimeout(timeout),
	}
	key := string(c.cfg.APIKey)
	switch {
	case c.cfg.Provider == ProviderAzure && c.azureV1():
		base := strings.TrimSuffix(c.cfg.Endpoint, "/")
		if !strings.HasSuffix(base, "/openai/v1") {
			base += "/openai/v1"
		}
		return append(opts, option.WithBaseURL(base+"/"), option.WithHeader("api-key", key))
	case c.cfg.Provider == ProviderAzure:
		opts = append(opts, azure.WithEndpoint(c.cfg.Endpoint, c.cfg.APIVersion), azure.WithAPIKey(key))
		if strings.HasPrefix(c.cfg.Endpoint, "http:") && IsLocalURL(c.cfg.Endpoint) {
			opts = append(opts, azure.WithUnsafeAllowHTTP())
		}
		return opts
	}
	if c.cfg.BaseURL != "" {
		opts = append(opts, option.WithBaseURL(c.cfg.BaseURL))
	}
	if key == "" {
		key = "local" // Ollama and friends want any non-empty key
	}
	opts = append(opts, option.WithAPIKey(key))
	if c.cfg.Provider == ProviderOpenAI && c.cfg.Organization != "" {
		opts = append(opts, option.WithOrganization(c.cfg.Organization))
	}
	if c.cfg.Provider == ProviderOpenAI && c.cfg.Project != "" {
		opts = append(opts, option.WithProject(c.cfg.Project))
	}
	return opts
}

func (c *Client) azureV1() bool {
	return strings.EqualFold(c.cfg.APIVersion, "v1") || strings.Contains(c.cfg.Endpoint, "/openai/v1")
}

// Chat sends one request. Before sending it checks the model against the
// allow-list, validates tool schemas and counts the input offline (an input
// over the context window fails with a *ContextLengthError, Preflight set).
// 429 and 5xx are retried per the Retry policy; quota, auth and request
// errors return at once as *APIError.
func (c *Client) Chat(ctx context.Context, req Request) (Response, error) {
	model := c.modelFor(req)
	m, err := c.check(model)
	if err != nil {
		return Response{}, err
	}
	for _, t := range req.Tools {
		if err := ValidateTool(t); err != nil {
			return Response{}, err
		}
	}
	est, err := c.prices.Estimate(req, model)
	if err != nil {
		return Response{}, err
	}
	if m.ContextWindow > 0 && est.InputTokens > m.ContextWindow {
		return Response{}, &ContextLengthError{Model: model, Limit: m.ContextWindow, Requested: est.InputTokens, Preflight: true}
	}
	params, err := c.params(req, model)
	if err != nil {
		return Response{}, err
	}
	return c.send(ctx, params, model, m, est)
}

func (c *Client) send(ctx context.Context, params openai.ChatCompletionNewParams, model string, m Model, est Estimate) (Response, error) {
	for attempt := 1; ; attempt++ {
		cc, hr, err := c.once(ctx, params)
		if err == nil {
			return c.response(cc, hr, m, est)
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			return Response{}, c.annotate(err, model, m, attempt)
		}
		if !apiErr.Retryable() || attempt >= c.retry.MaxAttempts {
			return Response{}, c.annotate(err, model, m, attempt)
		}
		wait, ok := c.retry.delay(attempt-1, apiErr)
		if !ok {
			apiErr.Hint = fmt.Sprintf("the server asks to wait %s; try later", wait.Round(time.Second))
			return Response{}, c.annotate(err, model, m, attempt)
		}
		if err := c.retry.Sleep(ctx, wait); err != nil {
			return Response{}, err
		}
	}
}

// once makes one HTTP attempt and classifies a failure.
func (c *Client) once(ctx context.Context, params openai.ChatCompletionNewParams) (*openai.ChatCompletion, *http.Response, error) {
	var hr *http.Response
	cc, err := c.svc.New(ctx, params, option.WithResponseInto(&hr))
	if err == nil {
		return cc, hr, nil
	}
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	if hr != nil && hr.StatusCode >= 400 {
		body, _ := io.ReadAll(io.LimitReader(hr.Body, 1<<20))
		hr.Body.Close()
		return nil, nil, classify(hr.StatusCode, hr.Header, body, c.cfg.APIKey, c.now())
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return nil, nil, &APIError{Kind: ErrServer, Message: "no response within the request timeout"}
	}
	if hr != nil {
		return nil, nil, &APIError{Kind: ErrBadResponse, Status: hr.StatusCode, Message: scrub(oneLine(err.Error()), c.cfg.APIKey)}
	}
	return nil, nil, &APIError{Kind: ErrUnreachable, Message: scrub(oneLine(unwrapURLError(err)), c.cfg.APIKey)}
}

// unwrapURLError drops the request URL (which may carry a query string) from
// a transport error.
func unwrapURLError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// annotate adds the model, server, attempt count and a hint to an error.
func (c *Client) annotate(err error, model string, m Model, attempts int) error {
	var ce *ContextLengthError
	if errors.As(err, &ce) {
		ce.Model = model
		if ce.Limit == 0 {
			ce.Limit = m.ContextWindow
		}
		return ce
	}
	var e *APIError
	if !errors.As(err, &e) {
		return err
	}
	e.Model, e.Attempts, e.Server = model, attempts, c.serverName()
	switch e.Kind {
	case ErrInvalidKey:
		e.Hint = "check " + keyVar(c.cfg.Provider)
	case ErrModelNotFound:
		e.Hint = c.notFoundHint(m)
	case ErrUnreachable:
		e.Hint = "is the server running?"
	case ErrBadRequest:
		if e.Status == 404 {
			e.Hint = "check the base URL (it usually ends in /v1)"
		}
	}
	return e
}

func (c *Client) notFoundHint(m Model) string {
	if m.Shutdown == "" {
		return "check the model name (or the Azure deployment)"
	}
	if c.prices.retired(m) {
		return "the price table says it was retired on " + m.Shutdown
	}
	return "the price table says it shuts down on " + m.Shutdown + "; it may already be gone for your account"
}

func (c *Client) serverName() string {
	raw := c.cfg.BaseURL
	if c.cfg.Provider == ProviderAzure {
		raw = c.cfg.Endpoint
	}
	if raw == "" {
		return "api.openai.com"
	}
	if u, err := url.Parse(raw); err == nil {
		return u.Host
	}
	return ""
}
