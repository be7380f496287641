package engine

// This file implements dynamic member access: x.name, x["name"], x[0] and
// x[-1] (counting from the end). The result is dynamic; a missing key, an
// index out of range or a value that is not a bag or array gives null.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func (c *compiler) selector(e *ast.SelectorExpr, in *types.Schema, sc *scope) (expr, error) {
	if id, ok := e.X.(*ast.Ident); ok && (id.Name == "$left" || id.Name == "$right") {
		return nil, errorf(e.Pos(), "", "%s.%s can be used only in join conditions", id.Name, e.Sel.Name)
	}
	x, err := c.expr(e.X, in, sc)
	if err != nil {
		return nil, err
	}
	return foldAccess(&accessExpr{x: x, key: value.OfString(e.Sel.Name), constKey: true}), nil
}

func (c *compiler) index(e *ast.IndexExpr, in *types.Schema, sc *scope) (expr, error) {
	x, err := c.expr(e.X, in, sc)
	if err != nil {
		return nil, err
	}
	k, err := c.expr(e.Index, in, sc)
	if err != nil {
		return nil, err
	}
	a := &accessExpr{x: x}
	if v, ok := isConst(k); ok {
		a.key, a.constKey = v, true
	} else {
		a.keyExpr = k
	}
	return foldAccess(a), nil
}

// foldAccess evaluates an access on a constant now.
func foldAccess(a *accessExpr) expr {
	v, ok := isConst(a.x)
	if !ok || !a.constKey {
		return a
	}
	return &constExpr{value.OfDynamic(access(v.ToDynamic(), a.key))}
}

// accessExpr reads a key or an index of a dynamic value.
type accessExpr struct {
	x        expr
	key      value.Value // when constKey
	constKey bool
	keyExpr  expr
}

func (e *accessExpr) Type() types.Type { return types.Dynamic }

func (e *accessExpr) eval(rt *runtime, b *Batch) (*value.Column, error) {
	xc, err := e.x.eval(rt, b)
	if err != nil {
		return nil, err
	}
	var kc *value.Column
	if !e.constKey {
		if kc, err = e.keyExpr.eval(rt, b); err != nil {
			return nil, err
		}
	}
	out := make([]any, b.N)
	for i := range out {
		var d any
		if xc.Type == types.Dynamic {
			d = xc.Dyns[i]
		} else {
			d = xc.Value(i).ToDynamic()
		}
		k := e.key
		if kc != nil {
			k = kc.Value(i)
		}
		out[i] = access(d, k)
	}
	return &value.Column{Type: types.Dynamic, Dyns: out}, nil
}

// access returns d[k]: a bag's key (k a string) or an array's element (k
// a number; negative counts from the end).
func access(d any, k value.Value) any {
	if k.Type == types.Dynamic {
		k = value.FromDynamic(k.D)
	}
	switch x := d.(type) {
	case *value.Bag:
		if k.Type != types.String {
			return nil
		}
		v, _ := x.Get(k.S)
		return v
	case []any:
		var i int64
		switch {
		case k.IsNull():
			return nil
		case k.Type == types.Int || k.Type == types.Long:
			i = k.I
		case k.Type == types.Real || k.Type == types.Decimal:
			i = int64(k.F)
		default:
			return nil
		}
		if i < 0 {
			i += int64(len(x))
		}
		if i < 0 || i >= int64(len(x)) {
			return nil
		}
		return x[i]
	}
	return nil
}
