package engine

// This file implements and/or with short-circuit evaluation: the right
// operand is evaluated only on the rows whose result the left one leaves
// open (true or null for and, false or null for or), gathered into a
// smaller batch when they are few. Kusto's three-valued logic is applied
// by package scalar's kernel.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/engine/scalar"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// logicExpr is x and y, or x or y, for a bool x and a row-wise y.
type logicExpr struct {
	and  bool
	x, y expr
	fn   *scalar.Fn // the three-valued kernel over (bool, y's type)
	cols []int      // the input columns y reads; nil: all of them
}

func (e *logicExpr) Type() types.Type { return types.Bool }

func (e *logicExpr) eval(rt *runtime, b *Batch) (*value.Column, error) {
	xc, err := e.x.eval(rt, b)
	if err != nil {
		return nil, err
	}
	xc = conform(xc, types.Bool)
	open := func(i int) bool { return xc.Bools[i] == e.and || xc.Nulls != nil && xc.Nulls[i] }
	count := 0
	for i := 0; i < b.N; i++ {
		if open(i) {
			count++
		}
	}
	switch {
	case count == 0:
		return xc, nil
	case count > b.N/4:
		yc, err := e.y.eval(rt, b)
		if err != nil {
			return nil, err
		}
		return e.fn.Eval([]*value.Column{xc, conform(yc, types.Bool)}, b.N)
	}
	idx := make([]int, 0, count)
	for i := 0; i < b.N; i++ {
		if open(i) {
			idx = append(idx, i)
		}
	}
	sub := &Batch{Schema: b.Schema, Cols: make([]*value.Column, len(b.Cols)), N: len(idx)}
	for i, c := range b.Cols {
		if e.cols == nil || containsInt(e.cols, i) {
			sub.Cols[i] = c.Gather(idx)
		}
	}
	yc, err := e.y.eval(rt, sub)
	if err != nil {
		return nil, err
	}
	yc = conform(yc, types.Bool)
	// Rows the left side decided take the decided value on the right too.
	full := make([]bool, b.N)
	var nulls []bool
	if !e.and {
		for i := range full {
			full[i] = true
		}
	}
	for k, i := range idx {
		full[i] = yc.Bools[k]
		if yc.Nulls != nil && yc.Nulls[k] {
			if nulls == nil {
				nulls = make([]bool, b.N)
			}
			nulls[i] = true
		}
	}
	return e.fn.Eval([]*value.Column{xc, {Type: types.Bool, Bools: full, Nulls: nulls}}, b.N)
}

func containsInt(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// logic compiles and/or; it short-circuits when x is a bool and y's
// columns are known and y reads rows independently of their neighbours.
func (c *compiler) logic(e *ast.BinaryExpr, x, y expr, in *types.Schema, sc *scope) (expr, error) {
	plain, err := c.bind([]expr{x, y}, e.OpPos, opName(e.Op), func(a []scalar.Arg) (*scalar.Fn, error) {
		return scalar.Binary(e.Op, a[0], a[1])
	})
	if err != nil {
		return nil, err
	}
	if _, ok := isConst(plain); ok || x.Type() != types.Bool || (y.Type() != types.Bool && y.Type() != types.Dynamic) {
		return plain, nil
	}
	if _, ok := isConst(x); ok {
		return plain, nil
	}
	if _, ok := isConst(y); ok {
		return plain, nil
	}
	cols, ok := c.rowwiseColumns(e.Y, in, sc)
	if !ok {
		return plain, nil
	}
	fn, err := scalar.Binary(e.Op, scalar.Col(types.Bool), scalar.Col(types.Bool))
	if err != nil {
		return plain, nil
	}
	return &logicExpr{and: e.Op == token.AND, x: x, y: y, fn: fn, cols: cols}, nil
}

// rowwiseColumns returns the input columns e may read (nil: any of them),
// and false when e may depend on neighbouring rows (window functions) or
// on columns its text does not name (user functions, pack_all,
// column_ifexists).
func (c *compiler) rowwiseColumns(e ast.Expr, in *types.Schema, sc *scope) ([]int, bool) {
	ok, all := true, false
	cols := []int{}
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			name := n.Fun.Name
			if _, win := callCompilers[name]; win {
				ok = false
			}
			if b := sc.lookup(name); b != nil && b.fn != nil {
				ok = false
			}
			switch name {
			case "pack_all", "column_ifexists", "columnifexists", "bag_pack_columns", "toscalar":
				ok = false
			}
		case *ast.StarExpr, *ast.PipeExpr:
			ok = false
		case *ast.Ident:
			if i := in.Index(n.Name); i >= 0 {
				if !containsInt(cols, i) {
					cols = append(cols, i)
				}
			} else if b := sc.lookup(n.Name); b != nil && b.expr != nil {
				// A parameter bound to an expression over the input may
				// read any column.
				all = true
			}
		}
		return ok
	})
	if all {
		cols = nil
	}
	return cols, ok
}
