package agent

// This file answers the model's tool calls: it checks each call, routes it
// to its tool and appends the answer to the conversation. Every answer
// that carries log data is fenced as untrusted.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/vigil-hunt/vigil/internal/audit"
	"github.com/vigil-hunt/vigil/internal/llm"
)

// toolOutput is a tool's answer; view is set when it carries results the
// budget may shrink later.
type toolOutput struct {
	text    string
	view    *view
	refused *Refusal
}

func errorOutput(msg string) toolOutput { return toolOutput{text: "error: " + msg} }

// refusedOutput is a refusal the model can fix.
func refusedOutput(ref *Refusal) toolOutput {
	return toolOutput{text: "refused (" + ref.Code + "):\n" + ref.Message, refused: ref}
}

// answer runs one call and appends its tool message.
func (r *run) answer(call llm.ToolCall, forced bool) {
	out := r.dispatch(call, forced)
	r.conv = append(r.conv, llm.Message{Role: llm.RoleTool, ToolCallID: call.ID, Content: out.text})
	if out.view != nil {
		r.views[len(r.conv)-1] = out.view
	}
	payload := map[string]any{"id": call.ID, "name": call.Name, "arguments": call.Arguments, "result_sha256": sha(out.text)}
	if out.refused != nil {
		r.res.Refusals = append(r.res.Refusals, *out.refused)
		payload["refused"] = out.refused.Code
	}
	r.audit(audit.KindToolCall, payload)
}

func (r *run) dispatch(call llm.ToolCall, forced bool) toolOutput {
	if err := call.Check(r.a.tools); err != nil {
		return errorOutput(strings.TrimPrefix(err.Error(), "tool call "))
	}
	if forced && call.Name != toolSubmitFindings {
		return refusedOutput(&Refusal{Tool: call.Name, Code: "LimitReached", Input: call.Arguments,
			Message: "the run's limits are reached; only submit_findings is accepted now"})
	}
	switch call.Name {
	case toolListTables:
		return r.listTables()
	case toolDescribeTable:
		return r.describeTable(call)
	case toolRunKQL:
		return r.runKQL(call)
	case toolRunHunt:
		return r.runHunt(call)
	case toolLookupTechnique:
		return r.lookupTechnique(call)
	case toolEntityContext:
		return r.entityContext(call)
	case toolProposeAction:
		return r.proposeAction(call)
	case toolSubmitFindings:
		return r.submit(call)
	}
	return errorOutput("unknown tool " + call.Name)
}

// view is a tool answer holding results, re-rendered when shrunk.
type view struct {
	head  string
	parts []*minimised
	tail  string
	level int
}

func (r *run) renderView(v *view) string {
	show := r.a.cfg.Show.shrink(v.level)
	var b strings.Builder
	b.WriteString(v.head)
	for i, m := range v.parts {
		if i > 0 {
			b.WriteByte('\n')
		}
		body, _, _, _ := m.render(show, r.codec)
		b.WriteString(fence(m.res.Table, body))
	}
	b.WriteString(v.tail)
	return b.String()
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func promptHash(msgs []llm.Message) string {
	b, _ := json.Marshal(msgs)
	return sha(string(b))
}

// oneLine collapses an error message for a tool answer.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return s
}
