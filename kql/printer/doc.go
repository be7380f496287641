// Package printer prints a KQL syntax tree (package kql/ast) as canonical
// KQL text, as go/printer does for Go.
//
// The layout is fixed: one statement per line, each ending in ";" but the
// final query expression; a pipeline of more than one operator puts each
// "| op" on a line of its own; a parenthesized sub-query (join right side,
// toscalar(…), mv-apply body, …) stays on one line when it fits in 100
// columns and is otherwise indented by four spaces with the closing
// parenthesis on its own line. Keywords, literals and operator words print
// as written; only spacing changes. Parentheses are printed exactly where
// the tree has a ParenExpr, so parsing the output gives back the same tree.
//
// Comments are kept by Fprint and Query: each goes on a line of its own
// before the first line of output that follows it in the source, so a
// comment at the end of a line moves to just before the next operator.
// Node prints a single node on one line, without comments.
//
// Usage:
//
//	q, err := parser.Parse(token.NewFile("hunt.kql", src))
//	if err != nil {
//		return err
//	}
//	return printer.Fprint(os.Stdout, q)
package printer
