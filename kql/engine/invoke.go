package engine

// This file implements invoke: T | invoke f(args) calls the tabular
// function f with T as its first (tabular) argument.

import "github.com/vigil-hunt/vigil/kql/ast"

func init() { registerOp(compileInvoke) }

func compileInvoke(c *compiler, op *ast.InvokeOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	b := sc.lookup(op.Call.Fun.Name)
	if b == nil || b.fn == nil {
		return nil, errorf(op.Call.Pos(), op.Word, "unknown function %s", op.Call.Fun.Name)
	}
	return c.callTabular(b.fn, op.Call, in, sc)
}
