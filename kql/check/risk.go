package check

// This file implements the scan for risky constructs: externaldata,
// plugins that reach outside the query's data, and references to other
// clusters, databases, workspaces or apps. LargeTake is found in
// where.go and UnboundedTime in flow.go.

import (
	"sort"

	"github.com/vigil-hunt/vigil/kql/ast"
)

// scanRisks walks the whole query for risky constructs and sorts Risks.
func (c *checker) scanRisks() {
	if c.query_ != nil {
		ast.Inspect(c.query_, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.ExternalDataOp:
				c.info.Risks = append(c.info.Risks, Risk{Kind: ExternalData, Span: span(x), Detail: "externaldata reads from outside the workspace"})
			case *ast.EvaluateOp:
				if x.Call != nil && !safePlugins[x.Call.Fun.Name] {
					c.info.Risks = append(c.info.Risks, Risk{Kind: Plugin, Span: span(x), Detail: "plugin " + x.Call.Fun.Name})
				}
			case *ast.CallExpr:
				if isScopeFunc(x.Fun.Name) && !c.isUserName(x.Fun.Name) {
					c.info.Risks = append(c.info.Risks, Risk{Kind: CrossScope, Span: span(x), Detail: x.Fun.Name + "() reference"})
				}
			}
			return true
		})
	}
	sort.SliceStable(c.info.Risks, func(i, j int) bool { return c.info.Risks[i].Span.Pos < c.info.Risks[j].Span.Pos })
}

// isUserName reports whether a top-level let defines name.
func (c *checker) isUserName(name string) bool {
	for s := c.scope; s != nil; s = s.parent {
		if _, ok := s.names[name]; ok {
			return true
		}
	}
	return false
}
