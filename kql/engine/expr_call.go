package engine

// This file implements the compilation of function calls in scalar
// position, in this order: calls registered by name (window functions),
// toscalar(), let-defined functions, the forms that need the input's
// columns (column_ifexists, pack_all, bag_pack_columns, pack_array(*)),
// then package scalar's function library.

import (
	"context"
	"sync"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/builtin"
	"github.com/vigil-hunt/vigil/kql/engine/scalar"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func (c *compiler) call(e *ast.CallExpr, in *types.Schema, sc *scope) (expr, error) {
	name := e.Fun.Name
	what := name + "()"
	if f, ok := callCompilers[name]; ok {
		return f(c, e, in, sc)
	}
	if name == "toscalar" {
		return c.toscalar(e, sc)
	}
	if b := sc.lookup(name); b != nil && b.fn != nil {
		if c.isTabularFunc(b.fn) {
			return nil, errorf(e.Pos(), what, "function returns a table, not a scalar; use toscalar()")
		}
		return c.callScalarFunc(b.fn, e, in, sc)
	}
	switch name {
	case "column_ifexists", "columnifexists":
		return c.columnIfExists(e, in, sc)
	case "pack_all":
		return c.packAll(e, in, sc)
	case "bag_pack_columns":
		return c.bagPackColumns(e, in, sc)
	case "materialize", "table", "view":
		return nil, errorf(e.Pos(), what, "yields a table, not a scalar; use toscalar()")
	}
	if builtin.IsAggregate(name) {
		return nil, errorf(e.Pos(), what, "aggregate function can be used only in summarize, make-series or top-nested")
	}
	if !scalar.Has(name) {
		return nil, errorf(e.Fun.Pos(), what, "unknown function")
	}
	args, err := c.callArgs(e, in, sc)
	if err != nil {
		return nil, err
	}
	env := &scalar.Env{Now: c.rt.now}
	return c.bind(args, e.Pos(), what, func(a []scalar.Arg) (*scalar.Fn, error) {
		return scalar.Call(env, name, a)
	})
}

// callArgs compiles the arguments of a library call: type literals, a *
// in pack_array (every input column), scalar expressions.
func (c *compiler) callArgs(e *ast.CallExpr, in *types.Schema, sc *scope) ([]expr, error) {
	var args []expr
	for _, a := range e.Args {
		switch a := a.(type) {
		case *ast.SchemaExpr:
			t := types.Unknown
			if len(a.Cols) == 1 {
				d := a.Cols[0]
				if d.Type != nil {
					t, _ = types.Lookup(d.Type.Name)
				} else if lt, ok := types.Lookup(d.Name.Name); ok {
					t = lt
				}
			}
			if !t.IsKnown() {
				return nil, errorf(a.Pos(), e.Fun.Name+"()", "expected a scalar type such as typeof(long)")
			}
			args = append(args, &typeLitExpr{t: t})
			continue
		case *ast.StarExpr:
			for i, col := range in.Columns {
				args = append(args, &colExpr{idx: i, typ: col.Type})
			}
			continue
		case *ast.NamedArg:
			return nil, errorf(a.Pos(), e.Fun.Name+"()", "named arguments are not supported here")
		}
		x, err := c.expr(a, in, sc)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	return args, nil
}

// toscalar compiles toscalar(tabular): the first column of the first row,
// computed once per run (null when the table is empty).
func (c *compiler) toscalar(e *ast.CallExpr, sc *scope) (expr, error) {
	if len(e.Args) != 1 {
		return nil, errorf(e.Pos(), "toscalar()", "takes one argument")
	}
	if !c.isTabular(e.Args[0], sc) {
		// toscalar of a scalar is the scalar, computed once.
		v, err := c.constant(e.Args[0], sc)
		if err != nil {
			return nil, err
		}
		return &constExpr{v}, nil
	}
	p, err := c.tabular(e.Args[0], sc)
	if err != nil {
		return nil, err
	}
	t := types.Dynamic
	if s := p.schema(); s != nil && len(s.Columns) > 0 && s.Columns[0].Type.IsKnown() {
		t = s.Columns[0].Type
	}
	return &toscalarExpr{p: p, t: t}, nil
}

// toscalarExpr runs its plan on first use and repeats the value.
type toscalarExpr struct {
	p plan
	t types.Type

	once sync.Once
	v    value.Value
	err  error
}

func (e *toscalarExpr) Type() types.Type { return e.t }

func (e *toscalarExpr) eval(rt *runtime, b *Batch) (*value.Column, error) {
	e.once.Do(func() {
		e.v = value.Null(e.t)
		res, err := runPlan(context.Background(), rt, e.p)
		if err != nil {
			e.err = err
			return
		}
		if res.N > 0 && len(res.Cols) > 0 {
			e.v = value.Convert(res.Cols[0].Value(0), e.t)
		}
	})
	if e.err != nil {
		return nil, e.err
	}
	return value.Const(e.v, b.N), nil
}

// columnIfExists compiles column_ifexists("name", default).
func (c *compiler) columnIfExists(e *ast.CallExpr, in *types.Schema, sc *scope) (expr, error) {
	what := e.Fun.Name + "()"
	if len(e.Args) != 2 {
		return nil, errorf(e.Pos(), what, "takes a column name and a default value")
	}
	nv, err := c.constant(e.Args[0], sc)
	if err != nil {
		return nil, err
	}
	if nv.Type != types.String {
		return nil, errorf(e.Args[0].Pos(), what, "the column name must be a constant string")
	}
	if i := in.Index(nv.S); i >= 0 {
		return &colExpr{idx: i, typ: in.Columns[i].Type}, nil
	}
	return c.expr(e.Args[1], in, sc)
}

// packAll compiles pack_all([ignore_null_empty]): a bag of every column.
func (c *compiler) packAll(e *ast.CallExpr, in *types.Schema, sc *scope) (expr, error) {
	p := &packExpr{}
	if len(e.Args) > 1 {
		return nil, errorf(e.Pos(), "pack_all()", "takes at most one argument")
	}
	if len(e.Args) == 1 {
		v, err := c.constant(e.Args[0], sc)
		if err != nil {
			return nil, err
		}
		p.skipEmpty = v.Type == types.Bool && v.B
	}
	for i, col := range in.Columns {
		p.names = append(p.names, col.Name)
		p.vals = append(p.vals, &colExpr{idx: i, typ: col.Type})
	}
	return p, nil
}

// bagPackColumns compiles bag_pack_columns(col, …): a bag keyed by the
// column names.
func (c *compiler) bagPackColumns(e *ast.CallExpr, in *types.Schema, sc *scope) (expr, error) {
	p := &packExpr{}
	for _, a := range e.Args {
		id, ok := unparen(a).(*ast.Ident)
		if !ok {
			return nil, errorf(a.Pos(), "bag_pack_columns()", "arguments must be column names")
		}
		x, err := c.expr(id, in, sc)
		if err != nil {
			return nil, err
		}
		p.names = append(p.names, id.Name)
		p.vals = append(p.vals, x)
	}
	return p, nil
}

// packExpr builds a property bag per row from named expressions.
type packExpr struct {
	names     []string
	vals      []expr
	skipEmpty bool
}

func (e *packExpr) Type() types.Type { return types.Dynamic }

func (e *packExpr) eval(rt *runtime, b *Batch) (*value.Column, error) {
	cols := make([]*value.Column, len(e.vals))
	for i, x := range e.vals {
		col, err := x.eval(rt, b)
		if err != nil {
			return nil, err
		}
		cols[i] = col
	}
	out := make([]any, b.N)
	for r := range out {
		bag := value.NewBag(len(cols))
		for i, col := range cols {
			v := col.Value(r)
			if e.skipEmpty && v.IsEmpty() {
				continue
			}
			bag.Set(e.names[i], v.ToDynamic())
		}
		out[r] = bag
	}
	return &value.Column{Type: types.Dynamic, Dyns: out}, nil
}
