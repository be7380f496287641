// This file holds the provider-neutral shapes of one chat call: what the agent
// sends (Request, Message, Tool) and what it gets back (Response, ToolCall, Usage).

package llm

// Role is the author of a message.
type Role string

// The roles Chat Completions accepts.
const (
	RoleSystem    Role = "system"
	RoleDeveloper Role = "developer"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	RoleTool      Role = "tool"
)

// Message is one turn of the conversation.
// An assistant message may carry ToolCalls and no Content; a tool message
// answers the call whose id is in ToolCallID.
type Message struct {
	Role       Role       `json:"role"`
	Content    string     `json:"content,omitempty"`
	Name       string     `json:"name,omitempty"`
	Refusal    string     `json:"refusal,omitempty"`
	ToolCalls  []ToolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
}

// ToolCall is a function call the model asked for.
// Arguments is the raw JSON text as the model wrote it: it may be invalid
// (see Check) and must be validated before use.
type ToolCall struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// Tool is a function the model may call. Parameters is a JSON schema that
// must satisfy OpenAI's strict mode (see ValidateTool); it is sent with
// "strict": true.
type Tool struct {
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Parameters  map[string]any `json:"parameters"`
}

// ToolChoice says whether and which tool the model must call: "" (server
// default), ToolChoiceAuto, ToolChoiceNone, ToolChoiceRequired, or the name
// of one tool to force.
type ToolChoice string

// The tool_choice modes; any other value names a tool.
const (
	ToolChoiceAuto     ToolChoice = "auto"
	ToolChoiceNone     ToolChoice = "none"
	ToolChoiceRequired ToolChoice = "required"
)

// Request is one chat completion call.
// Model overrides the client's model for this call (it must pass the same
// allow-list; on Azure it also names the deployment). MaxOutputTokens 0 leaves the cap to the server, which makes the
// worst-case estimate use the model's full max output.
type Request struct {
	Model           string     `json:"model,omitempty"`
	Messages        []Message  `json:"messages"`
	Tools           []Tool     `json:"tools,omitempty"`
	ToolChoice      ToolChoice `json:"tool_choice,omitempty"`
	MaxOutputTokens int        `json:"max_output_tokens,omitempty"`
	Temperature     *float64   `json:"temperature,omitempty"`
}

// Response is the model's answer to one Request.
type Response struct {
	Model        string  // model the server says answered
	Message      Message // role assistant; ToolCalls holds the calls
	FinishReason string  // stop, length, tool_calls, content_filter
	Usage        Usage
	RequestID    string // x-request-id, for the audit trail
}

// Usage is what one call consumed. PromptTokens includes CachedTokens;
// CompletionTokens includes ReasoningTokens. USD is priced from the price
// table (zero for local models). Estimated is set when the server reported no
// usage and the counts were computed offline.
type Usage struct {
	PromptTokens     int     `json:"prompt_tokens"`
	CachedTokens     int     `json:"cached_tokens"`
	CompletionTokens int     `json:"completion_tokens"`
	ReasoningTokens  int     `json:"reasoning_tokens"`
	USD              float64 `json:"usd"`
	Estimated        bool    `json:"estimated,omitempty"`
}

// Total is prompt plus completion tokens.
func (u Usage) Total() int { return u.PromptTokens + u.CompletionTokens }
