package engine

// This file implements the compiler's dispatch: let statements, tabular
// expressions and the registry through which each operator's file
// contributes its compile function.

import (
	"context"
	"reflect"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// compiler turns syntax into plans and evaluators.
type compiler struct {
	rt *runtime
	// inspecting holds the user functions whose bodies isTabularFunc is
	// looking into, so that a recursive function does not recurse here.
	inspecting map[*userFunc]bool
}

// opCompiler compiles one operator applied to in (nil for a pipeline
// source such as print or union without input).
type opCompiler func(c *compiler, op ast.Operator, in plan, sc *scope) (plan, error)

var opCompilers = map[reflect.Type]opCompiler{}

// registerOp registers the compile function of operator type T; each
// operator's file calls it from init.
func registerOp[T ast.Operator](f func(c *compiler, op T, in plan, sc *scope) (plan, error)) {
	var zero T
	opCompilers[reflect.TypeOf(zero)] = func(c *compiler, op ast.Operator, in plan, sc *scope) (plan, error) {
		return f(c, op.(T), in, sc)
	}
}

// let compiles a let statement into sc.
func (c *compiler) let(st *ast.LetStmt, sc *scope) error {
	name := st.Name.Name
	if fl, ok := st.Value.(*ast.FuncLit); ok {
		sc.bind(name, &binding{fn: &userFunc{name: name, lit: fl, def: sc}})
		return nil
	}
	if c.isTabular(st.Value, sc) {
		p, err := c.tabular(st.Value, sc)
		if err != nil {
			return err
		}
		sc.bind(name, &binding{tab: p})
		return nil
	}
	v, err := c.constant(st.Value, sc)
	if err != nil {
		return err
	}
	sc.bind(name, &binding{val: &v})
	return nil
}

// isTabular reports whether e denotes a table rather than a scalar.
func (c *compiler) isTabular(e ast.Expr, sc *scope) bool {
	switch e := e.(type) {
	case *ast.PipeExpr:
		return true
	case *ast.ParenExpr:
		return c.isTabular(e.X, sc)
	case *ast.Ident:
		if b := sc.lookup(e.Name); b != nil {
			if b.fn != nil && len(b.fn.lit.Params) == 0 {
				return c.isTabularFunc(b.fn) // a view or function used by bare name
			}
			return b.tab != nil
		}
		if c.rt.catalog != nil {
			_, ok := c.rt.catalog.Table(e.Name)
			return ok
		}
		return false
	case *ast.CallExpr:
		switch e.Fun.Name {
		case "materialize", "table", "view":
			return true
		}
		if b := sc.lookup(e.Fun.Name); b != nil && b.fn != nil {
			return c.isTabularFunc(b.fn)
		}
	}
	return false
}

// isTabularFunc reports whether a user function's body yields a table. A
// function that calls itself is not tabular here; compiling the call
// reports the recursion.
func (c *compiler) isTabularFunc(f *userFunc) bool {
	if c.inspecting[f] {
		return false
	}
	if c.inspecting == nil {
		c.inspecting = map[*userFunc]bool{}
	}
	c.inspecting[f] = true
	defer delete(c.inspecting, f)
	body := f.lit.Body
	if len(body) == 0 {
		return false
	}
	es, ok := body[len(body)-1].(*ast.ExprStmt)
	if !ok {
		return false
	}
	inner := newScope(f.def)
	for _, p := range f.lit.Params {
		if p.Type != nil && p.Type.Tabular != nil {
			inner.bind(p.Name.Name, &binding{tab: emptyPlan{s: &types.Schema{Open: true}}})
		}
	}
	for _, st := range body[:len(body)-1] {
		if ls, ok := st.(*ast.LetStmt); ok {
			if c.isTabular(ls.Value, inner) {
				inner.bind(ls.Name.Name, &binding{tab: emptyPlan{s: &types.Schema{}}})
			}
		}
	}
	return c.isTabular(es.X, inner)
}

// tabular compiles a tabular expression. A pipeline is compiled from its
// source up, after working out which of the source table's columns the
// operators can read, so that the scan decodes no others.
func (c *compiler) tabular(e ast.Expr, sc *scope) (plan, error) {
	switch e := e.(type) {
	case *ast.ParenExpr:
		return c.tabular(e.X, sc)
	case *ast.Ident:
		return c.tableRef(e, sc)
	case *ast.PipeExpr:
		src, ops := flattenPipe(e)
		var in plan
		if src != nil {
			p, err := c.source(src, ops, sc)
			if err != nil {
				return nil, err
			}
			in = p
		}
		for _, op := range ops {
			p, err := c.operator(op, in, sc)
			if err != nil {
				return nil, err
			}
			in = p
		}
		return in, nil
	case *ast.CallExpr:
		return c.tabularCall(e, sc)
	}
	return nil, errorf(e.Pos(), "", "expected a tabular expression, found %T", e)
}

// flattenPipe returns a pipeline's source (nil when the first operator
// starts the pipeline) and its operators in order.
func flattenPipe(e *ast.PipeExpr) (ast.Expr, []ast.Operator) {
	var ops []ast.Operator
	var src ast.Expr = e
	for {
		pe, ok := src.(*ast.PipeExpr)
		if !ok {
			break
		}
		ops = append(ops, pe.Op)
		src = pe.X
	}
	for i, j := 0, len(ops)-1; i < j; i, j = i+1, j-1 {
		ops[i], ops[j] = ops[j], ops[i]
	}
	return src, ops
}

// source compiles a pipeline's source; a catalog table is scanned for
// only the columns ops can read.
func (c *compiler) source(src ast.Expr, ops []ast.Operator, sc *scope) (plan, error) {
	p, err := c.tabular(src, sc)
	if err != nil {
		return nil, err
	}
	if scan, ok := p.(*scanPlan); ok && scan.req.Columns == nil {
		if need, all := neededColumns(ops); !all {
			return scan.project(need), nil
		}
	}
	return p, nil
}

// operator compiles op applied to in through the registry.
func (c *compiler) operator(op ast.Operator, in plan, sc *scope) (plan, error) {
	f, ok := opCompilers[reflect.TypeOf(op)]
	if !ok {
		return nil, errorf(op.Pos(), op.Name(), "operator is not supported by the local engine")
	}
	return f(c, op, in, sc)
}

// needInput returns in, or the scope's implied input, or an error for an
// operator that cannot start a pipeline.
func needInput(op ast.Operator, in plan, sc *scope) (plan, error) {
	if in != nil {
		return in, nil
	}
	if sc.input != nil {
		return sc.input, nil
	}
	return nil, errorf(op.Pos(), op.Name(), "operator needs an input table")
}

// tableRef resolves a name to a let-bound table or a catalog table.
func (c *compiler) tableRef(id *ast.Ident, sc *scope) (plan, error) {
	if b := sc.lookup(id.Name); b != nil {
		switch {
		case b.tab != nil:
			return b.tab, nil
		case b.fn != nil && len(b.fn.lit.Params) == 0:
			// A view (or a function without parameters) used by bare name.
			call := &ast.CallExpr{Fun: id, Lparen: id.End(), Rparen: id.End()}
			return c.callTabularFunc(b.fn, call, sc)
		}
		return nil, errorf(id.Pos(), "", "%s is not a table", id.Name)
	}
	if c.rt.catalog != nil {
		if t, ok := c.rt.catalog.Table(id.Name); ok {
			return &scanPlan{name: id.Name, table: t, s: t.Schema()}, nil
		}
	}
	return nil, errorf(id.Pos(), "", "unknown table %s", id.Name)
}

// tabularCall compiles materialize(), table() and tabular user functions.
func (c *compiler) tabularCall(call *ast.CallExpr, sc *scope) (plan, error) {
	switch call.Fun.Name {
	case "materialize":
		if len(call.Args) != 1 {
			return nil, errorf(call.Pos(), "materialize()", "takes one tabular argument")
		}
		p, err := c.tabular(call.Args[0], sc)
		if err != nil {
			return nil, err
		}
		return &materializePlan{in: p}, nil
	case "table":
		if len(call.Args) < 1 {
			return nil, errorf(call.Pos(), "table()", "takes a table name")
		}
		v, err := c.constant(call.Args[0], sc)
		if err != nil {
			return nil, err
		}
		return c.tableRef(&ast.Ident{NamePos: call.Pos(), Name: v.String(), EndPos: call.End()}, sc)
	case "graph":
		return nil, persistentGraphError(call)
	}
	if b := sc.lookup(call.Fun.Name); b != nil && b.fn != nil {
		return c.callTabularFunc(b.fn, call, sc)
	}
	return nil, errorf(call.Pos(), call.Fun.Name+"()", "unknown tabular function")
}

// scanPlan reads a catalog table. Pushed-down columns and predicates are
// filled in by the optimiser before running.
type scanPlan struct {
	name  string
	table Table
	s     *types.Schema
	req   ScanRequest
}

func (p *scanPlan) schema() *types.Schema { return p.s }

func (p *scanPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	return p.table.Scan(ctx, p.req)
}

// emptyPlan produces no rows of a schema.
type emptyPlan struct{ s *types.Schema }

func (p emptyPlan) schema() *types.Schema { return p.s }
func (p emptyPlan) open(context.Context, *runtime) (Stream, error) {
	return NewBatchStream(p.s), nil
}

// materializePlan runs its input once per run and replays the rows.
type materializePlan struct{ in plan }

func (p *materializePlan) schema() *types.Schema { return p.in.schema() }

func (p *materializePlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	b, ok := rt.materialized[p]
	if !ok {
		var err error
		if b, err = runPlan(ctx, rt, p.in); err != nil {
			return nil, err
		}
		rt.materialized[p] = b
	}
	return NewBatchStream(b.Schema, b), nil
}

// callCompiler compiles a call that needs more than a row function: window
// functions over serialized input (row_number, prev, next, row_cumsum),
// and anything else whose file registers it by name.
type callCompiler func(c *compiler, call *ast.CallExpr, in *types.Schema, sc *scope) (expr, error)

var callCompilers = map[string]callCompiler{}

// registerCall registers the compile function of a call by function name.
func registerCall(name string, f callCompiler) { callCompilers[name] = f }
