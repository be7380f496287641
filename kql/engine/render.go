package engine

// This file implements render: a presentation hint for clients, which
// leaves the rows as they are.

import "github.com/vigil-hunt/vigil/kql/ast"

func init() {
	registerOp(func(c *compiler, op *ast.RenderOp, in plan, sc *scope) (plan, error) {
		return needInput(op, in, sc)
	})
}
