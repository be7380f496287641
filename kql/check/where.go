package check

// This file implements where (and filter) and the row counts of take,
// limit, top and sample.

import (
	"strconv"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// where checks the predicate, which must be bool, and credits the time
// bounds it sets to the reads flowing through.
func (c *checker) where(in *rel, o *ast.WhereOp) *rel {
	t := c.expr(o.Pred, rowEnv(in))
	if concrete(t) && t != types.Bool {
		c.errorf(o.Pred, TypeMismatch, "%s predicate must be bool, got %s", o.Word, t)
	}
	c.boundFlows(in, o.Pred)
	return in
}

// takeCount checks a row count and reports one above the limit.
func (c *checker) takeCount(n ast.Expr, word string) {
	if n == nil {
		return
	}
	t := c.expr(n, &env{})
	if concrete(t) && !t.IsNumeric() {
		c.errorf(n, TypeMismatch, "%s count must be a number, got %s", word, t)
		return
	}
	if v, ok := c.constInt(n); ok && v > c.maxTake && c.quiet == 0 {
		c.info.Risks = append(c.info.Risks, Risk{
			Kind: LargeTake, Span: span(n),
			Detail: word + " " + strconv.FormatInt(v, 10) + " rows exceeds the limit of " + strconv.FormatInt(c.maxTake, 10),
		})
	}
}
