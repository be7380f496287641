package engine

// This file implements mv-expand: each element of a dynamic array (or
// each entry of a property bag) becomes a row, the other columns repeated.
// Several columns expand in parallel, shorter ones padded with null. A
// null gives one row (null), an empty array or bag no row, any other
// value one row (itself). Bags expand into {key: value} bags, or [key,
// value] arrays with bagexpansion=array (kind=array). "to typeof(T)"
// casts the elements, non-conforming ones becoming null.

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileMvExpand) }

// mvItem is one expanded column.
type mvItem struct {
	name string
	e    expr
	to   types.Type
}

// mvSpec is a compiled expansion: what mv-expand does to each batch and
// mv-apply to each row.
type mvSpec struct {
	items    []mvItem
	bagArray bool
	index    string // with_itemindex column, or ""
	limit    int
	in       *types.Schema
	s        *types.Schema
	// outs[j] says where output column j comes from: an input column
	// (src >= 0), item k (item = k), or the index (item = -2).
	outs []mvOut
	// replaced marks input columns an item took the place of.
	replaced []bool
}

type mvOut struct{ src, item int }

func compileMvExpand(c *compiler, op *ast.MvExpandOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	limit := math.MaxInt32
	if op.Word == "mvexpand" {
		limit = 128
	}
	spec, err := c.compileMv(op, op.Params, op.Items, op.N, limit, in.schema(), sc)
	if err != nil {
		return nil, err
	}
	return &mvExpandPlan{in: in, spec: spec}, nil
}

// compileMv compiles the items, options and limit shared by mv-expand and
// mv-apply.
func (c *compiler) compileMv(op ast.Operator, params []*ast.Param, items []*ast.MvExpandItem, limitExpr ast.Expr, limit int, in *types.Schema, sc *scope) (*mvSpec, error) {
	spec := &mvSpec{limit: limit, in: in, replaced: make([]bool, len(in.Columns))}
	for _, p := range params {
		switch p.Name.Name {
		case "bagexpansion", "kind":
			switch strings.ToLower(paramText(p)) {
			case "bag":
			case "array":
				spec.bagArray = true
			default:
				return nil, errorf(p.Value.Pos(), op.Name(), "bag expansion must be bag or array, not %s", paramText(p))
			}
		case "with_itemindex":
			spec.index = paramText(p)
		}
	}
	if limitExpr != nil {
		v, err := c.constValue(limitExpr, sc)
		if err != nil {
			return nil, err
		}
		n := value.Convert(v, types.Long)
		if n.IsNull() || n.I < 0 {
			return nil, errorf(limitExpr.Pos(), op.Name(), "limit must be a non-negative number, not %s", v)
		}
		spec.limit = int(min(n.I, math.MaxInt32))
	}
	s := &types.Schema{Open: in.Open}
	for i, col := range in.Columns {
		s.Columns = append(s.Columns, col)
		spec.outs = append(spec.outs, mvOut{src: i, item: -1})
	}
	for k, it := range items {
		e, err := c.expr(it.Col.X, in, sc)
		if err != nil {
			return nil, err
		}
		if len(it.Col.Names) > 1 {
			return nil, errorf(it.Pos(), op.Name(), "an item expands into one column")
		}
		name := columnName(it.Col.X, fmt.Sprintf("Column%d", k+1))
		if len(it.Col.Names) == 1 {
			name = it.Col.Names[0].Name
		}
		to := types.Dynamic
		if it.ToType != nil {
			t, ok := types.Lookup(it.ToType.Name)
			if !ok {
				return nil, errorf(it.ToType.Pos(), op.Name(), "unknown type %s", it.ToType.Name)
			}
			to = t
		}
		spec.items = append(spec.items, mvItem{name: name, e: e, to: to})
		col := types.Column{Name: name, Type: to}
		if j := s.Index(name); j >= 0 {
			if spec.outs[j].src < 0 {
				return nil, errorf(it.Pos(), op.Name(), "column %s is expanded twice", name)
			}
			spec.replaced[spec.outs[j].src] = true
			s.Columns[j], spec.outs[j] = col, mvOut{src: -1, item: k}
			continue
		}
		s.Columns = append(s.Columns, col)
		spec.outs = append(spec.outs, mvOut{src: -1, item: k})
	}
	if spec.index != "" {
		if s.Index(spec.index) >= 0 {
			return nil, errorf(op.Pos(), op.Name(), "with_itemindex column %s already exists", spec.index)
		}
		s.Columns = append(s.Columns, types.Column{Name: spec.index, Type: types.Long})
		spec.outs = append(spec.outs, mvOut{src: -1, item: -2})
	}
	spec.s = s
	return spec, nil
}

// expand expands every row of b.
func (m *mvSpec) expand(rt *runtime, b *Batch) (*Batch, error) {
	vals := make([]*value.Column, len(m.items))
	for k, it := range m.items {
		col, err := it.e.eval(rt, b)
		if err != nil {
			return nil, err
		}
		vals[k] = col
	}
	var rows []int // the input row of each output row
	var idx []int64
	outItems := make([]*value.Column, len(m.items))
	for k, it := range m.items {
		outItems[k] = value.NewColumn(it.to, b.N)
	}
	elems := make([][]any, len(m.items))
	for i := 0; i < b.N; i++ {
		n := 0
		for k, col := range vals {
			elems[k] = m.elements(col, i, elems[k][:0])
			n = max(n, len(elems[k]))
		}
		n = min(n, m.limit)
		for j := 0; j < n; j++ {
			rows = append(rows, i)
			idx = append(idx, int64(j))
			for k, it := range m.items {
				var d any
				if j < len(elems[k]) {
					d = elems[k][j]
				}
				outItems[k].Append(castElement(d, it.to))
			}
		}
	}
	out := &Batch{Schema: m.s, Cols: make([]*value.Column, len(m.outs)), N: len(rows)}
	for j, o := range m.outs {
		switch {
		case o.src >= 0:
			out.Cols[j] = plannedCol(b, m.in, o.src).Gather(rows)
		case o.item >= 0:
			out.Cols[j] = outItems[o.item]
		default:
			out.Cols[j] = &value.Column{Type: types.Long, Ints: idx}
			if idx == nil {
				out.Cols[j].Ints = []int64{}
			}
		}
	}
	return out, nil
}

// elements appends the values row i of col expands into.
func (m *mvSpec) elements(col *value.Column, i int, dst []any) []any {
	if col.IsNull(i) {
		return append(dst, nil)
	}
	if col.Type != types.Dynamic {
		return append(dst, col.Value(i).ToDynamic())
	}
	switch d := col.Dyns[i].(type) {
	case []any:
		return append(dst, d...)
	case *value.Bag:
		for _, k := range d.Keys() {
			v, _ := d.Get(k)
			if m.bagArray {
				dst = append(dst, []any{k, v})
			} else {
				one := value.NewBag(1)
				one.Set(k, v)
				dst = append(dst, one)
			}
		}
		return dst
	default:
		return append(dst, d)
	}
}

// castElement gives an expanded element the type of "to typeof(T)": a
// cast, not a conversion, so a value of another kind becomes null
// (numbers convert into each other; a string spelling a datetime,
// timespan or guid is read as one).
func castElement(d any, t types.Type) value.Value {
	if t == types.Dynamic {
		return value.OfDynamic(d)
	}
	v := value.FromDynamic(d)
	if v.IsNull() {
		return value.Null(t)
	}
	switch {
	case v.Type == t:
		return v
	case t.IsNumeric() && v.Type.IsNumeric():
		return value.Convert(v, t)
	case v.Type == types.String && (t == types.Datetime || t == types.Timespan || t == types.Guid):
		return value.Convert(value.OfDynamic(d), t)
	}
	return value.Null(t)
}

type mvExpandPlan struct {
	in   plan
	spec *mvSpec
}

func (p *mvExpandPlan) schema() *types.Schema { return p.spec.s }

func (p *mvExpandPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	s, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	return &mvExpandStream{in: s, spec: p.spec, rt: rt}, nil
}

type mvExpandStream struct {
	in   Stream
	spec *mvSpec
	rt   *runtime
}

func (s *mvExpandStream) Schema() *types.Schema { return s.spec.s }

func (s *mvExpandStream) Next(ctx context.Context) (*Batch, error) {
	for {
		b, err := s.in.Next(ctx)
		if err != nil {
			return nil, err
		}
		out, err := s.spec.expand(s.rt, b)
		if err != nil || out.N > 0 {
			return out, err
		}
	}
}
