package engine

// This file implements lookup: a left outer (default) or inner join to a
// dimension table whose key columns are not repeated in the output.

import (
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
)

func init() { registerOp(compileLookup) }

func compileLookup(c *compiler, op *ast.LookupOp, in plan, sc *scope) (plan, error) {
	left, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	kind := joinLeftOuter
	for _, p := range op.Params {
		if p.Name.Name == "kind" {
			switch strings.ToLower(paramText(p)) {
			case "leftouter":
				kind = joinLeftOuter
			case "inner":
				kind = joinInner
			default:
				return nil, errorf(p.Value.Pos(), op.Word, "kind must be leftouter or inner, not %s", paramText(p))
			}
		}
	}
	right, err := c.tableExpr(op.Right, sc)
	if err != nil {
		return nil, err
	}
	keys, err := joinKeys(op.Word, op.On, op.Conds, left.schema(), right.schema())
	if err != nil {
		return nil, err
	}
	drop := map[int]bool{}
	for _, k := range keys {
		drop[k.rc] = true
	}
	return newJoinPlan(kind, left, right, keys, drop)
}
