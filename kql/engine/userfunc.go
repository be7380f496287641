package engine

// This file implements calls of let-defined functions and views: the
// arguments (tables, scalars, defaults) are bound to the parameters in a
// scope under the function's definition scope, and the body is compiled
// there. Recursion, which Kusto does not allow, is refused.

import (
	"context"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// maxCallDepth bounds nested user-function calls, so that a recursive
// function fails cleanly instead of exhausting the stack.
const maxCallDepth = 64

// callDepthName is a scope entry no query can spell, holding the current
// depth of nested calls.
const callDepthName = "\x00calldepth"

// callTabularFunc compiles a call of a function whose body yields a table.
func (c *compiler) callTabularFunc(f *userFunc, call *ast.CallExpr, sc *scope) (plan, error) {
	return c.callTabular(f, call, nil, sc)
}

// callTabular compiles f(args); first, when not nil, is the table passed
// as the first argument (invoke).
func (c *compiler) callTabular(f *userFunc, call *ast.CallExpr, first plan, sc *scope) (plan, error) {
	inner, err := c.bindArgs(f, call, first, nil, sc)
	if err != nil {
		return nil, err
	}
	last, err := c.funcBody(f, call, nil, inner)
	if err != nil {
		return nil, err
	}
	p, err := c.tabular(last, inner)
	if err != nil {
		return nil, err
	}
	return &funcPlan{in: p, name: f.name}, nil
}

// callScalarFunc compiles a call of a function whose body yields a scalar,
// with arguments over rows of in: parameters become the argument
// expressions inside the body.
func (c *compiler) callScalarFunc(f *userFunc, call *ast.CallExpr, in *types.Schema, sc *scope) (expr, error) {
	inner, err := c.bindArgs(f, call, nil, in, sc)
	if err != nil {
		return nil, err
	}
	last, err := c.funcBody(f, call, in, inner)
	if err != nil {
		return nil, err
	}
	return c.expr(last, in, inner)
}

// funcBody compiles the body's let statements into inner and returns the
// result expression. In a scalar call (rowSchema set) a scalar let may
// depend on the arguments, so it is compiled over the rows.
func (c *compiler) funcBody(f *userFunc, call *ast.CallExpr, rowSchema *types.Schema, inner *scope) (ast.Expr, error) {
	body := f.lit.Body
	if len(body) == 0 {
		return nil, errorf(call.Pos(), f.name+"()", "function body is empty")
	}
	for _, st := range body[:len(body)-1] {
		ls, ok := st.(*ast.LetStmt)
		if !ok {
			return nil, errorf(st.Pos(), f.name+"()", "only let statements may precede the result of a function body")
		}
		if rowSchema != nil && !c.isLetTabularOrFunc(ls, inner) {
			e, err := c.expr(ls.Value, rowSchema, inner)
			if err != nil {
				return nil, err
			}
			if v, ok := isConst(e); ok {
				inner.bind(ls.Name.Name, &binding{val: &v})
			} else {
				inner.bind(ls.Name.Name, &binding{expr: e})
			}
			continue
		}
		if err := c.let(ls, inner); err != nil {
			return nil, err
		}
	}
	es, ok := body[len(body)-1].(*ast.ExprStmt)
	if !ok {
		return nil, errorf(body[len(body)-1].Pos(), f.name+"()", "function body must end with an expression")
	}
	return es.X, nil
}

// bindArgs returns the scope in which f's body runs for this call:
// parameters bound to the arguments (first, if given, to the first
// parameter), or to their defaults. Scalar arguments are evaluated as
// constants when rowSchema is nil, else compiled over its rows.
func (c *compiler) bindArgs(f *userFunc, call *ast.CallExpr, first plan, rowSchema *types.Schema, sc *scope) (*scope, error) {
	what := f.name + "()"
	depth := int64(0)
	if b := sc.lookup(callDepthName); b != nil && b.val != nil {
		depth = b.val.I
	}
	if depth >= maxCallDepth {
		return nil, errorf(call.Pos(), what, "recursive function calls are not supported")
	}
	inner := newScope(f.def)
	inner.input = sc.input
	d := value.OfLong(depth + 1)
	inner.bind(callDepthName, &binding{val: &d})

	params := f.lit.Params
	args := make([]ast.Expr, len(params))
	given := make([]bool, len(params))
	pos := 0
	if first != nil {
		if len(params) == 0 || !isTabularParam(params[0]) {
			return nil, errorf(call.Pos(), what, "function has no tabular first parameter to receive the input")
		}
		given[0] = true
		pos = 1
	}
	for _, a := range call.Args {
		if na, ok := a.(*ast.NamedArg); ok {
			i := paramIndex(params, na.Name.Name)
			if i < 0 {
				return nil, errorf(na.Pos(), what, "no parameter named %s", na.Name.Name)
			}
			if given[i] {
				return nil, errorf(na.Pos(), what, "parameter %s is given twice", na.Name.Name)
			}
			args[i], given[i] = na.Value, true
			continue
		}
		for pos < len(params) && given[pos] {
			pos++
		}
		if pos >= len(params) {
			return nil, errorf(a.Pos(), what, "too many arguments: the function takes %d", len(params))
		}
		args[pos], given[pos] = a, true
		pos++
	}
	for i, p := range params {
		name := p.Name.Name
		switch {
		case i == 0 && first != nil:
			if err := checkTabularArg(p, first, what); err != nil {
				return nil, err
			}
			inner.bind(name, &binding{tab: first})
		case isTabularParam(p):
			if !given[i] {
				return nil, errorf(call.Pos(), what, "missing tabular argument %s", name)
			}
			t, err := c.tableExpr(args[i], sc)
			if err != nil {
				return nil, err
			}
			if err := checkTabularArg(p, t, what); err != nil {
				return nil, err
			}
			inner.bind(name, &binding{tab: t})
		default:
			b, err := c.scalarArg(p, args[i], given[i], rowSchema, sc, f, call)
			if err != nil {
				return nil, err
			}
			inner.bind(name, b)
		}
	}
	return inner, nil
}

// scalarArg binds a scalar parameter to its argument or default.
func (c *compiler) scalarArg(p *ast.FuncParam, arg ast.Expr, given bool, rowSchema *types.Schema, sc *scope, f *userFunc, call *ast.CallExpr) (*binding, error) {
	want := types.Invalid
	if p.Type != nil && p.Type.Name != "" {
		if t, ok := types.Lookup(p.Type.Name); ok {
			want = t
		}
	}
	if !given {
		if p.Default == nil {
			return nil, errorf(call.Pos(), f.name+"()", "missing argument %s", p.Name.Name)
		}
		arg, sc, rowSchema = p.Default, f.def, nil
	}
	if c.isTabular(arg, sc) {
		return nil, errorf(arg.Pos(), f.name+"()", "parameter %s takes a scalar, not a table", p.Name.Name)
	}
	if rowSchema == nil {
		v, err := c.constValue(arg, sc)
		if err != nil {
			return nil, err
		}
		if want.IsKnown() && v.Type != want {
			if cv, ok := coerceLiteral(v, want); ok {
				v = cv
			}
		}
		return &binding{val: &v}, nil
	}
	e, err := c.expr(arg, rowSchema, sc)
	if err != nil {
		return nil, err
	}
	if v, ok := isConst(e); ok {
		if want.IsKnown() && v.Type != want {
			if cv, ok := coerceLiteral(v, want); ok {
				v = cv
			}
		}
		return &binding{val: &v}, nil
	}
	return &binding{expr: e}, nil
}

// isLetTabularOrFunc reports whether a let binds a function or a table.
func (c *compiler) isLetTabularOrFunc(ls *ast.LetStmt, sc *scope) bool {
	if _, ok := ls.Value.(*ast.FuncLit); ok {
		return true
	}
	return c.isTabular(ls.Value, sc)
}

func isTabularParam(p *ast.FuncParam) bool { return p.Type != nil && p.Type.Tabular != nil }

func paramIndex(params []*ast.FuncParam, name string) int {
	for i, p := range params {
		if p.Name.Name == name {
			return i
		}
	}
	return -1
}

// checkTabularArg checks that a table passed for T:(a:string, …) has the
// declared columns.
func checkTabularArg(p *ast.FuncParam, t plan, what string) error {
	decl := p.Type.Tabular
	s := t.schema()
	var missing []string
	for _, d := range decl.Cols {
		if s.Index(d.Name.Name) < 0 && !s.Open {
			missing = append(missing, d.Name.Name)
		}
	}
	if len(missing) > 0 {
		return errorf(p.Pos(), what, "table argument %s lacks column(s) %s", p.Name.Name, strings.Join(missing, ", "))
	}
	return nil
}

// funcPlan is the result of a tabular function call, named for union's
// withsource column.
type funcPlan struct {
	in   plan
	name string
}

func (p *funcPlan) schema() *types.Schema { return p.in.schema() }

func (p *funcPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	return p.in.open(ctx, rt)
}
