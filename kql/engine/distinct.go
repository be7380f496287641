package engine

// This file implements distinct: the distinct combinations of the listed
// columns (or of every column, for distinct *), in order of first
// appearance.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

func init() { registerOp(compileDistinct) }

func compileDistinct(c *compiler, op *ast.DistinctOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	inSchema := in.schema()
	var defs []*ast.ColumnDef
	for _, x := range op.Cols {
		if _, ok := x.(*ast.StarExpr); ok {
			for _, col := range inSchema.Columns {
				defs = append(defs, &ast.ColumnDef{X: &ast.Ident{NamePos: x.Pos(), Name: col.Name, EndPos: x.End()}})
			}
			continue
		}
		defs = append(defs, &ast.ColumnDef{X: x})
	}
	names := newColNames(op.Word, inSchema)
	keys, err := c.groupKeys(defs, inSchema, names, sc)
	if err != nil {
		return nil, err
	}
	return &summarizePlan{in: in, keys: keys, aggs: &aggregation{mid: keySchema(keys)}, s: names.s}, nil
}

// keySchema is the schema of the group keys alone.
func keySchema(keys []groupKey) *types.Schema {
	s := &types.Schema{}
	for _, k := range keys {
		s.Columns = append(s.Columns, types.Column{Name: k.name, Type: k.typ})
	}
	return s
}
