package check

// This file implements user functions defined by let: checking the body
// at the definition, arity and arguments at each call, and the result
// type or schema, worked out again with the actual arguments.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// maxExpansion bounds nested re-checks of function bodies.
const maxExpansion = 8

// defineFunc checks a lambda's body with its declared parameters and
// records whether it yields a table (e.rel) or a scalar (e.typ).
func (c *checker) defineFunc(e *entity) {
	params := make([]*entity, len(e.fn.Params))
	for i, p := range e.fn.Params {
		params[i] = paramEntity(p)
		if p.Default != nil {
			c.expr(p.Default, &env{})
		}
	}
	r, t := c.funcBody(e, params)
	e.rel, e.typ = r, t
}

// paramEntity binds a declared parameter: a scalar of its type, or a
// table of its declared (open) schema.
func paramEntity(p *ast.FuncParam) *entity {
	if p.Type != nil && p.Type.Tabular != nil {
		return &entity{name: p.Name.Name, kind: tabularEntity, rel: &rel{schema: declaredSchema(p.Type.Tabular)}, used: true}
	}
	return &entity{name: p.Name.Name, kind: scalarEntity, typ: typeRef(p.Type), used: true}
}

// funcBody checks the body of e's lambda with params bound in a scope
// nested in the definition's scope.
func (c *checker) funcBody(e *entity, params []*entity) (*rel, types.Type) {
	saved, savedInput := c.scope, c.input
	c.scope, c.input = newScope(e.env), nil
	c.depth++
	defer func() { c.scope, c.input = saved, savedInput; c.depth-- }()
	for _, p := range params {
		if p.name != "" {
			c.scope.names[p.name] = p
		}
	}
	body := e.fn.Body
	for i, s := range body {
		last := i == len(body)-1
		switch s := s.(type) {
		case *ast.LetStmt:
			c.let(s)
		case *ast.ExprStmt:
			if !last {
				c.stmt(s)
				continue
			}
			if c.isTabular(s.X) {
				return c.tabular(s.X), types.Invalid
			}
			return nil, c.expr(s.X, &env{lenient: true})
		default:
			c.stmt(s)
		}
	}
	return nil, types.Unknown
}

// callArgs checks a user function call's arity and arguments; in is the
// piped input of invoke, bound to the first parameter.
func (c *checker) callArgs(ent *entity, x *ast.CallExpr, in *rel, e *env) ([]*entity, bool) {
	if e == nil {
		e = &env{}
	}
	fn := ent.fn
	params := make([]*entity, len(fn.Params))
	args := x.Args
	offset := 0
	if in != nil {
		offset = 1
	}
	min := 0
	for _, p := range fn.Params {
		if p.Default == nil {
			min++
		}
	}
	if !c.arity(x, ent.name, len(args)+offset, min, len(fn.Params)) {
		c.args(args, e)
		return nil, false
	}
	for i, p := range fn.Params {
		pe := paramEntity(p)
		switch {
		case i == 0 && in != nil:
			pe.kind, pe.rel = tabularEntity, in
		case i-offset < len(args):
			a := args[i-offset]
			if na, ok := a.(*ast.NamedArg); ok {
				a = na.Value
			}
			if pe.kind == tabularEntity || c.isTabularElem(a, e) {
				pe.kind, pe.rel = tabularEntity, c.tabular(a)
			} else {
				t := c.expr(a, e)
				if pe.typ == types.Unknown || pe.typ == types.Invalid || pe.typ == types.Dynamic {
					pe.typ = t
				}
			}
		}
		params[i] = pe
	}
	return params, true
}

// callUser checks a call of a tabular (or any) user function and returns
// its result relation.
func (c *checker) callUser(ent *entity, x *ast.CallExpr, in *rel, e *env) *rel {
	params, ok := c.callArgs(ent, x, in, e)
	if !ok || ent.rel == nil {
		for _, p := range params {
			if p != nil && p.rel != nil {
				c.commit(p.rel)
			}
		}
		if ent.rel == nil {
			return openRel()
		}
		return ent.rel.clone()
	}
	if c.depth >= maxExpansion {
		return ent.rel.clone()
	}
	// the body again with the actual arguments: argument rows flow
	// through; the body's own reads were recorded at the definition
	c.quiet++
	r, _ := c.funcBody(ent, params)
	c.quiet--
	if r == nil {
		return ent.rel.clone()
	}
	out := &rel{schema: r.schema}
	for _, f := range r.flows {
		if argFlow(f, params) {
			out.flows = append(out.flows, f)
		}
	}
	for _, f := range ent.rel.clone().flows {
		out.flows = append(out.flows, f)
	}
	return out
}

// argFlow reports whether f is a flow of one of the arguments' reads.
func argFlow(f *flow, params []*entity) bool {
	for _, p := range params {
		if p == nil || p.rel == nil {
			continue
		}
		for _, g := range p.rel.flows {
			if g.r == f.r {
				return true
			}
		}
	}
	return false
}

// callUserScalar checks a call of a scalar user function.
func (c *checker) callUserScalar(ent *entity, x *ast.CallExpr, e *env) types.Type {
	params, ok := c.callArgs(ent, x, nil, e)
	if !ok {
		return types.Invalid
	}
	for _, p := range params {
		if p.rel != nil {
			c.commit(p.rel)
		}
	}
	if c.depth >= maxExpansion || concrete(ent.typ) {
		return ent.typ
	}
	c.quiet++
	_, t := c.funcBody(ent, params)
	c.quiet--
	if t == types.Invalid {
		return ent.typ
	}
	return t
}

// invoke is T | invoke f(args): T is the function's first argument.
func (c *checker) invoke(in *rel, o *ast.InvokeOp) *rel {
	if o.Call == nil {
		return c.breakRel(in, &types.Schema{Open: true})
	}
	ent := c.scope.lookup(o.Call.Fun.Name)
	if ent == nil || ent.kind != funcEntity {
		c.args(o.Call.Args, &env{})
		c.report(o.Call.Fun, UnknownFunction, c.suggestFunc(o.Call.Fun.Name), false,
			"unknown function "+quote(o.Call.Fun.Name))
		return c.breakRel(in, &types.Schema{Open: true})
	}
	ent.used = true
	return c.callUser(ent, o.Call, in, &env{})
}
