package engine

// This file implements getschema: one row per input column with its name,
// position, .NET type name and Kusto type name.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileGetSchema) }

var getSchemaSchema = &types.Schema{Columns: []types.Column{
	{Name: "ColumnName", Type: types.String},
	{Name: "ColumnOrdinal", Type: types.Int},
	{Name: "DataType", Type: types.String},
	{Name: "ColumnType", Type: types.String},
}}

func compileGetSchema(c *compiler, op *ast.GetSchemaOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	s := in.schema()
	b := NewBatch(getSchemaSchema, len(s.Columns))
	for i, col := range s.Columns {
		b.Cols[0].Append(value.OfString(col.Name))
		b.Cols[1].Append(value.OfInt(int64(i)))
		b.Cols[2].Append(value.OfString(dotnetType(col.Type)))
		b.Cols[3].Append(value.OfString(knownType(col.Type).String()))
	}
	b.N = len(s.Columns)
	return &batchPlan{b: b}, nil
}

// dotnetType is the CLR type name Kusto reports for a column type.
func dotnetType(t types.Type) string {
	switch t {
	case types.Bool:
		return "System.Boolean"
	case types.Int:
		return "System.Int32"
	case types.Long:
		return "System.Int64"
	case types.Real:
		return "System.Double"
	case types.Decimal:
		return "System.Data.SqlTypes.SqlDecimal"
	case types.String:
		return "System.String"
	case types.Datetime:
		return "System.DateTime"
	case types.Timespan:
		return "System.TimeSpan"
	case types.Guid:
		return "System.Guid"
	}
	return "System.Object"
}
