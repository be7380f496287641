// Package agent is vigil's LLM agent mode. With a model configured, a hunt
// becomes a conversation: the model reads the analyst's request, chooses
// tables, writes and refines KQL, reads minimised results and submits
// findings, while the agent keeps it inside guardrails and a budget. The
// deterministic hunter's findings are merged in whatever the model does.
//
//	a, err := agent.New(agent.Config{}, agent.Deps{
//		Model: client, Budget: budget, Source: src,
//		Hunts: lib, Entities: inventory, Proposer: queue, Audit: respond.AuditTo(log),
//	})
//	res, err := a.Run(ctx, "any credential dumping on windows-target-1 this week?", hunterFindings)
//	for _, f := range res.Findings { … }
//	fmt.Println(res.Stop)       // "findings submitted"
//	fmt.Println(res.CostLine()) // "4 model calls, 3,812 tokens, $0.0011"
//
// Guardrails: every run_kql query is parsed and checked against the catalog
// (errors go back with a caret under the source and the checker's
// did-you-mean), must bound the time of every table read by at most
// GuardConfig.MaxLookback, may read only allowed tables and columns, may
// not use externaldata, network plugins or cluster()/database()/workspace()
// references, and gets "| take FetchRows" appended.
//
// Untrusted data: results reach the model minimised (constant and empty
// columns stated once, identical rows grouped under a handle such as r7,
// long values shortened with a hash suffix, a row cap, text or JSON by
// token count) inside <data untrusted="true"> fences. Evidence.Lookup turns
// any handle back into the exact rows. Text that looks like an injection
// is flagged as a suspicious artefact, never obeyed; the model can only
// propose actions, which go to the response queue's policy.
//
// Findings the model submits are validated in Go: cited handles must
// exist, techniques must be in the ATT&CK catalog, and IOCs and entities
// must appear in the cited rows; what fails is dropped and listed as an
// unverified reason.
package agent
