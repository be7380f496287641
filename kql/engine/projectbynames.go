package engine

// This file implements project-by-names: keep and order the input's
// columns by names, dynamic arrays of names, wildcard patterns and
// column_names_of(T), all evaluated when the query is compiled. Names
// that match no column are ignored.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerOp(compileProjectByNames)
}

func compileProjectByNames(c *compiler, op *ast.ProjectByNamesOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	s := in.schema()
	taken := make([]bool, len(s.Columns))
	var idx []int
	for _, x := range op.Cols {
		v, err := c.constant(x, sc)
		if err != nil {
			return nil, err
		}
		names, ok := specNames(v)
		if !ok {
			return nil, errorf(x.Pos(), op.Word, "expected a column name, a dynamic array of names or a pattern, found %s", v.Type)
		}
		for _, name := range names {
			for _, i := range matchColumns(s, name) {
				if !taken[i] {
					taken[i] = true
					idx = append(idx, i)
				}
			}
		}
	}
	return newSelectPlan(in, idx, nil), nil
}

// specNames returns the names a specifier value gives: a string, or the
// strings of a dynamic array (or a dynamic string).
func specNames(v value.Value) ([]string, bool) {
	switch {
	case v.IsNull():
		return nil, true
	case v.Type == types.String:
		return []string{v.S}, true
	case v.Type != types.Dynamic:
		return nil, false
	}
	switch d := v.D.(type) {
	case string:
		return []string{d}, true
	case []any:
		var names []string
		for _, e := range d {
			if s, ok := e.(string); ok {
				names = append(names, s)
			}
		}
		return names, true
	}
	return nil, false
}
