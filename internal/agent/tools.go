package agent

// This file defines the tools offered to the model, each with a strict
// JSON schema (every property required, optional ones nullable, no extra
// properties), and the names the dispatcher knows them by.

import (
	"sort"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/finding/ioc"
	"github.com/vigil-hunt/vigil/internal/llm"
	"github.com/vigil-hunt/vigil/internal/respond"
)

// Tool names.
const (
	toolListTables      = "list_tables"
	toolDescribeTable   = "describe_table"
	toolRunKQL          = "run_kql"
	toolRunHunt         = "run_hunt"
	toolLookupTechnique = "lookup_technique"
	toolEntityContext   = "entity_context"
	toolProposeAction   = "propose_action"
	toolSubmitFindings  = "submit_findings"
)

// proposable are the actions the model may propose: containment and
// collection. Releasing a device is never the model's call.
var proposable = []respond.Action{respond.Isolate, respond.CollectPackage, respond.AntivirusScan, respond.RestrictApps}

// entityKinds are what entity_context accepts.
var entityKinds = []string{"device", "account", "ip", "domain", "file_hash"}

func toolDefs(a *Agent) []llm.Tool {
	tools := []llm.Tool{
		{Name: toolListTables, Description: "List the tables you may query, with their time column.", Parameters: object(nil)},
		{Name: toolDescribeTable, Description: "Columns and types of one table.", Parameters: object(map[string]any{
			"table": str("Table name, e.g. DeviceProcessEvents."),
		})},
		{Name: toolRunKQL, Description: "Run a read-only KQL query. Every table read needs a time filter; results are capped and minimised.", Parameters: object(map[string]any{
			"query":   str("The KQL query."),
			"purpose": str("One sentence: what the query tests."),
		})},
	}
	if a.deps.Hunts != nil {
		tools = append(tools, llm.Tool{Name: toolRunHunt, Description: "Run a hunt of vigil's library by id (ids are listed in the request context).", Parameters: object(map[string]any{
			"hunt_id": str("The hunt id."),
			"parameters": array(object(map[string]any{
				"name":  str("Parameter name."),
				"value": str("Value as KQL text."),
			}), "Parameters to set; an empty list keeps the defaults."),
		})})
	}
	tools = append(tools, llm.Tool{Name: toolLookupTechnique, Description: "Look up an ATT&CK technique or sub-technique: name, tactics, mitigations.", Parameters: object(map[string]any{
		"id": str("Technique id, e.g. T1003.001."),
	})})
	if a.deps.Entities != nil {
		tools = append(tools, llm.Tool{Name: toolEntityContext, Description: "Role, criticality and recent alerts of an entity.", Parameters: object(map[string]any{
			"kind":  enum("Entity kind.", entityKinds...),
			"value": str("Device name, account, address, domain or hash as seen in results."),
		})})
	}
	if a.deps.Proposer != nil {
		tools = append(tools, llm.Tool{Name: toolProposeAction, Description: "Propose a response action for analyst approval. Nothing runs until a human approves.", Parameters: object(map[string]any{
			"action": enum("The action.", actionNames()...),
			"target": str("Device name or id as seen in results."),
			"reason": str("Why, citing row handles."),
		})})
	}
	return append(tools, llm.Tool{Name: toolSubmitFindings, Description: "Submit your final findings (empty list if none). Call once, last.", Parameters: submitSchema()})
}

func submitSchema() map[string]any {
	entity := object(map[string]any{
		"type":  enum("", typeNames(finding.EntityTypes)...),
		"role":  enum("", typeNames(finding.Roles)...),
		"value": str(""),
	})
	indicator := object(map[string]any{
		"type":  enum("", typeNames(ioc.Types)...),
		"value": str(""),
	})
	f := object(map[string]any{
		"title":       str("Short title."),
		"description": str("What happened, citing row handles."),
		"severity":    enum("", typeNames(finding.Severities)...),
		"confidence":  map[string]any{"type": "integer", "description": "0-100."},
		"technique":   nullable("ATT&CK technique or sub-technique id."),
		"tactic":      nullable("ATT&CK tactic the technique served, e.g. credential-access."),
		"evidence":    array(str(""), "Row handles (r1, r2, …) supporting the finding."),
		"entities":    array(entity, "Devices, accounts and other entities involved."),
		"iocs":        array(indicator, "Indicators of compromise as they appear in the rows."),
		"next_steps":  array(str(""), "What the analyst should do next."),
	})
	return object(map[string]any{
		"findings": array(f, ""),
		"summary":  str("Two sentences for the analyst."),
	})
}

// object is a strict object schema: every property required, nothing else.
func object(props map[string]any) map[string]any {
	if props == nil {
		props = map[string]any{}
	}
	req := make([]any, 0, len(props))
	for _, k := range sortedKeys(props) {
		req = append(req, k)
	}
	return map[string]any{"type": "object", "properties": props, "required": req, "additionalProperties": false}
}

func str(desc string) map[string]any { return described(map[string]any{"type": "string"}, desc) }

func nullable(desc string) map[string]any {
	return described(map[string]any{"type": []any{"string", "null"}}, desc)
}

func enum(desc string, values ...string) map[string]any {
	vs := make([]any, len(values))
	for i, v := range values {
		vs[i] = v
	}
	return described(map[string]any{"type": "string", "enum": vs}, desc)
}

func array(items map[string]any, desc string) map[string]any {
	return described(map[string]any{"type": "array", "items": items}, desc)
}

func described(m map[string]any, desc string) map[string]any {
	if desc != "" {
		m["description"] = desc
	}
	return m
}

func actionNames() []string {
	out := make([]string, len(proposable))
	for i, a := range proposable {
		out[i] = string(a)
	}
	return out
}

func typeNames[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
