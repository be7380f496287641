// Package respond is vigil's response path: it turns a finding into a
// proposed containment action, decides by policy whether the action may run
// on its own, needs an analyst's approval or is forbidden, keeps proposals
// in a SQLite approval queue, and executes approved ones through the
// Microsoft Defender for Endpoint machine-actions API. Every proposal,
// decision and API call goes to the audit log.
//
//	q, _ := respond.OpenQueue("vigil.db", respond.QueueOptions{})
//	mde, _ := respond.NewClient(respond.DefaultBaseURL, tokens, respond.ClientOptions{})
//	ex := &respond.Executor{Queue: q, Policy: policy, MDE: mde, Audit: respond.AuditTo(log)}
//	out, _ := ex.Propose(ctx, respond.Proposal{
//		Device: respond.Device{Name: "windows-target-1.contoso.com"},
//		Action: respond.Isolate, Reason: "credential dumping", Confidence: 0.9,
//		Severity: respond.SeverityHigh, FindingID: "F-12"})
//	// out.Status == respond.StatusPending: an analyst decides later
//	out, err := ex.Approve(ctx, out.ID, "alice@contoso.com", "confirmed, isolate")
//
// Nothing reaches the MDE action endpoints unless the stored proposal is
// approved (by an analyst, or by the policy for an "auto" rule whose
// conditions hold against the machine as MDE describes it) and unexpired.
// With no MDE client configured the Executor records a dry run instead.
//
// Before anything is sent (or a dry run recorded) the Executor claims the
// proposal: it moves from approved to executing in one transaction, so of
// executors racing for it, in one process or in several sharing the
// database, exactly one sends the action and the others get ErrClaimed. A
// claim left by a process that died is taken over once Executor.ClaimLease
// has passed; if an MDE action was recorded under it, the new holder
// follows that action instead of sending another (see Queue.Claim).
//
// The default policy (the zero Policy) requires approval for every action.
// Package mdefake holds a scriptable fake of the MDE API for tests.
package respond
