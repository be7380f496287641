package printer

// This file prints project-by-names and reduce.

import "github.com/vigil-hunt/vigil/kql/ast"

// reduceOp prints project-by-names or reduce and reports whether o was one.
func (p *printer) reduceOp(o ast.Operator) bool {
	switch o := o.(type) {
	case *ast.ProjectByNamesOp:
		p.write(o.Word + " ")
		p.exprs(o.Cols)
	case *ast.ReduceOp:
		p.kw(o.Word, o.Params)
		p.write(" by ")
		p.expr(o.X)
		if len(o.Options) > 0 {
			p.write(" with ")
			list(p, o.Options, p.param)
		}
	default:
		return false
	}
	return true
}
