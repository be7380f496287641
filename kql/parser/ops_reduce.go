package parser

// This file implements project-by-names and reduce.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

// reduceOpParsers are merged into opParsers.
var reduceOpParsers = map[string]opParser{
	"project-by-names": (*parser).parseProjectByNames,
	"reduce":           (*parser).parseReduce,
}

// parseProjectByNames parses project-by-names Spec, …: each an expression
// (a string, a dynamic array, column_names_of(T)).
func (p *parser) parseProjectByNames(kw token.Pos, word string) ast.Operator {
	op := &ast.ProjectByNamesOp{Keyword: kw, Word: word}
	for {
		op.Cols = append(op.Cols, p.parseExpr())
		if !p.got(token.COMMA) || p.atListEnd() {
			break
		}
	}
	op.EndPos = p.prevEnd()
	return op
}

// parseReduce parses reduce [kind=source] by X [with threshold=T,
// characters=C].
func (p *parser) parseReduce(kw token.Pos, word string) ast.Operator {
	op := &ast.ReduceOp{Keyword: kw, Word: word, Params: p.parseParams("kind")}
	op.By = p.expectWord("by")
	op.X = p.parseExpr()
	if op.With = p.gotWord("with"); op.With.IsValid() {
		for {
			prms := p.parseParams("threshold", "characters")
			if len(prms) == 0 {
				p.errorExpected("threshold= or characters=")
				break
			}
			op.Options = append(op.Options, prms...)
			if !p.got(token.COMMA) {
				break
			}
		}
	}
	op.EndPos = p.prevEnd()
	return op
}
