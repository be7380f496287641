// Package parser turns KQL source text into the syntax tree of package
// ast. It is a hand-written recursive-descent parser in the manner of
// go/parser: one token of lookahead (a few more for contextual keywords),
// positions as byte offsets, and error recovery that never stops at the
// first mistake.
//
//	f := token.NewFile("hunt.kql", src)
//	q, err := parser.Parse(f) // q is never nil
//	if err != nil {
//		for _, e := range err.(parser.ErrorList) {
//			fmt.Println(e) // hunt.kql:3:14: expected expression, found '|'
//		}
//	}
//
// On a bad operator the parser reports the error, skips to the next "|"
// or ";" at the same nesting level and records an *ast.BadOp, so one
// mistake yields one message and the rest of the query is still parsed.
// It gives up after 20 errors. Keywords are contextual: a column may be
// called project, kind or by. Operators the tree has no node for (the
// graph operators, reduce, project-by-names) and method-style calls such as
// cluster("c").database("d") are reported as errors.
package parser
