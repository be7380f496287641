package respond

// This file connects the response path to the audit log.

import "github.com/vigil-hunt/vigil/internal/audit"

// Auditor records one audit entry; *audit.Log fits through AuditTo.
type Auditor interface {
	Append(kind, actor string, payload any) error
}

// AuditTo adapts an audit log to Auditor.
func AuditTo(l *audit.Log) Auditor { return logAuditor{l} }

type logAuditor struct{ l *audit.Log }

func (a logAuditor) Append(kind, actor string, payload any) error {
	_, err := a.l.Append(kind, actor, payload)
	return err
}

// PolicyActor decides proposals the policy allows or denies on its own.
const PolicyActor = "policy"
