package agent

// This file implements the tools that read reference data: list_tables,
// describe_table, lookup_technique and entity_context, and the list of
// library hunts given with the request.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/internal/llm"
	"github.com/vigil-hunt/vigil/kql/types"
)

// tableNames lists the tables the model may query.
func (a *Agent) tableNames() []string {
	if a.cfg.Guard.Allow != nil {
		return sortedKeys(a.cfg.Guard.Allow)
	}
	if l, ok := a.cfg.Guard.Tables.(interface{ TableNames() []string }); ok {
		return l.TableNames()
	}
	return nil
}

// timeColumn is the column a time filter should use: Timestamp, else
// TimeGenerated, else the first datetime column, else "".
func timeColumn(s *types.Schema) string {
	for _, name := range []string{"Timestamp", "TimeGenerated"} {
		if c, ok := s.Lookup(name); ok && c.Type == types.Datetime {
			return name
		}
	}
	for _, c := range s.Columns {
		if c.Type == types.Datetime {
			return c.Name
		}
	}
	return ""
}

func (r *run) listTables() toolOutput {
	var b strings.Builder
	b.WriteString("table: time column")
	for _, name := range r.a.tableNames() {
		s, ok := r.a.cfg.Guard.Tables.LookupTable(name)
		if !ok {
			continue
		}
		tc := timeColumn(s)
		if tc == "" {
			tc = "(none)"
		}
		b.WriteString("\n" + name + ": " + tc)
	}
	return toolOutput{text: b.String()}
}

func (r *run) describeTable(call llm.ToolCall) toolOutput {
	var args struct {
		Table string `json:"table"`
	}
	if err := call.Decode(&args); err != nil {
		return errorOutput(err.Error())
	}
	name := strings.TrimSpace(args.Table)
	s, ok := r.a.cfg.Guard.Tables.LookupTable(name)
	allowed, listed := r.a.cfg.Guard.Allow[name]
	if !ok || (r.a.cfg.Guard.Allow != nil && !listed) {
		msg := fmt.Sprintf("no table %q may be queried", name)
		if sg, ok := r.a.cfg.Guard.Tables.(interface{ Suggest(string) string }); ok && sg.Suggest(name) != "" {
			msg += fmt.Sprintf("; did you mean %q?", sg.Suggest(name))
		}
		return errorOutput(msg + " (list_tables lists them)")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s (time column %s):", name, timeColumn(s))
	sep := " "
	for _, c := range s.Columns {
		if len(allowed) > 0 && !slices.Contains(allowed, c.Name) {
			continue
		}
		b.WriteString(sep + c.Name + ":" + c.Type.String())
		sep = ", "
	}
	return toolOutput{text: b.String()}
}

func (r *run) lookupTechnique(call llm.ToolCall) toolOutput {
	var args struct {
		ID string `json:"id"`
	}
	if err := call.Decode(&args); err != nil {
		return errorOutput(err.Error())
	}
	cat := r.a.deps.Attack
	t, err := cat.Resolve(args.ID)
	if err != nil {
		return errorOutput(err.Error())
	}
	var b strings.Builder
	b.WriteString(t.ID + " " + t.Name)
	if t.IsSub {
		if p, ok := cat.Technique(t.Parent); ok {
			b.WriteString(" (sub-technique of " + p.ID + " " + p.Name + ")")
		}
	}
	b.WriteString("; tactics: " + strings.Join(t.Tactics, ", "))
	var mits []string
	for i, m := range cat.Mitigations(t.ID) {
		if i == 5 {
			break
		}
		mits = append(mits, m.ID+" "+m.Name)
	}
	if len(mits) > 0 {
		b.WriteString("; mitigations: " + strings.Join(mits, ", "))
	}
	if subs := cat.SubTechniques(t.ID); len(subs) > 0 {
		var ids []string
		for _, s := range subs {
			ids = append(ids, s.ID+" "+s.Name)
		}
		b.WriteString("; sub-techniques: " + strings.Join(ids, ", "))
	}
	return toolOutput{text: b.String()}
}

func (r *run) entityContext(call llm.ToolCall) toolOutput {
	var args struct {
		Kind  string `json:"kind"`
		Value string `json:"value"`
	}
	if err := call.Decode(&args); err != nil {
		return errorOutput(err.Error())
	}
	if !slices.Contains(entityKinds, args.Kind) || strings.TrimSpace(args.Value) == "" {
		return errorOutput("kind must be one of " + strings.Join(entityKinds, ", ") + " and value non-empty")
	}
	info, err := r.a.deps.Entities.Context(r.ctx, args.Kind, args.Value)
	if err != nil {
		return errorOutput("no context for " + args.Kind + " " + cell(args.Value, 80) + ": " + oneLine(err.Error()))
	}
	r.ents[strings.ToLower(args.Value)] = info
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: role %s, criticality %d of 5", args.Kind, cell(args.Value, 80), cell(info.Role, 40), info.Criticality)
	if len(info.Tags) > 0 {
		tags := make([]string, 0, len(info.Tags))
		for _, t := range info.Tags {
			tags = append(tags, cell(t, 40))
		}
		b.WriteString("; tags: " + strings.Join(tags, ", "))
	}
	for i, al := range info.RecentAlerts {
		if i == 10 {
			b.WriteString("\n… " + strconv.Itoa(len(info.RecentAlerts)-10) + " more alerts")
			break
		}
		b.WriteString("\nrecent alert: " + cell(al, 120))
	}
	return toolOutput{text: fence("entity_context", b.String())}
}

// hunt finds a library hunt by id.
func (a *Agent) hunt(id string) (HuntInfo, bool) {
	if a.deps.Hunts == nil {
		return HuntInfo{}, false
	}
	for _, h := range a.deps.Hunts.List() {
		if h.ID == strings.TrimSpace(id) {
			return h, true
		}
	}
	return HuntInfo{}, false
}

// maxHuntsListed bounds the hunt list given with the request.
const maxHuntsListed = 60

// huntsContext lists the library's hunts after the request.
func (a *Agent) huntsContext() string {
	if a.deps.Hunts == nil {
		return ""
	}
	hunts := a.deps.Hunts.List()
	if len(hunts) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n\nLibrary hunts for run_hunt (id: title [techniques] (parameters)):")
	for i, h := range hunts {
		if i == maxHuntsListed {
			fmt.Fprintf(&b, "\n… %d more", len(hunts)-maxHuntsListed)
			break
		}
		b.WriteString("\n" + h.ID + ": " + h.Title)
		if len(h.Techniques) > 0 {
			b.WriteString(" [" + strings.Join(h.Techniques, ", ") + "]")
		}
		if len(h.Params) > 0 {
			b.WriteString(" (" + strings.Join(h.Params, ", ") + ")")
		}
	}
	return b.String()
}
