package engine

// This file implements column_names_of(T): the column names of a tabular
// expression, known when the query is compiled, as a dynamic array.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerCall("column_names_of", func(c *compiler, call *ast.CallExpr, in *types.Schema, sc *scope) (expr, error) {
		if len(call.Args) != 1 {
			return nil, errorf(call.Pos(), "column_names_of()", "takes one tabular argument")
		}
		p, err := c.tabular(call.Args[0], sc)
		if err != nil {
			return nil, err
		}
		names := []any{}
		for _, col := range p.schema().Columns {
			names = append(names, col.Name)
		}
		return &constExpr{value.OfDynamic(names)}, nil
	})
}
