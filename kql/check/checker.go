package check

// This file implements the checker's state, error reporting and the walk
// over a query's statements.

import (
	"fmt"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
)

// checker holds the state of one Check call.
type checker struct {
	file    *token.File
	tables  Tables
	maxTake int64
	info    *Info
	errs    ErrorList
	scope   *scope  // innermost let scope
	reads   []*read // every table read, in the order met
	quiet   int     // > 0: errors are dropped (re-checking a function body at a call)
	lets    []*entity
	depth   int // nesting of user function expansion, to stop recursion
	query_  *ast.Query
	input   *rel // implied input of a sub-query's first operator
}

func newChecker(f *token.File, conf *Config) *checker {
	c := &checker{
		file:    f,
		maxTake: DefaultMaxTake,
		info: &Info{
			Types:   make(map[ast.Expr]types.Type),
			Schemas: make(map[ast.Expr]*types.Schema),
		},
		scope: newScope(nil),
	}
	if conf != nil {
		c.tables = conf.Tables
		if conf.MaxTake > 0 {
			c.maxTake = conf.MaxTake
		}
	}
	return c
}

// errorf records an error at node n.
func (c *checker) errorf(n ast.Node, code Code, format string, args ...any) {
	c.report(n, code, "", false, fmt.Sprintf(format, args...))
}

// report records an error with an optional did-you-mean suggestion, which
// is appended to the message.
func (c *checker) report(n ast.Node, code Code, suggest string, soft bool, msg string) {
	if c.quiet > 0 {
		return
	}
	if suggest != "" {
		msg += fmt.Sprintf("; did you mean %q?", suggest)
	}
	span := token.Span{Pos: n.Pos(), End: n.End()}
	c.errs = append(c.errs, &Error{
		Span: span, Pos: c.file.Position(span.Pos), Code: code, Msg: msg, Soft: soft, Suggest: suggest,
	})
}

// query checks every statement; the last query expression gives Output.
func (c *checker) query(q *ast.Query) {
	for _, s := range q.Stmts {
		if r := c.stmt(s); r != nil {
			c.info.Output = r.schema
			c.commit(r)
		}
	}
}

// stmt checks one statement, returning the relation of a query expression.
func (c *checker) stmt(s ast.Stmt) *rel {
	switch s := s.(type) {
	case *ast.LetStmt:
		c.let(s)
	case *ast.DeclareStmt:
		for _, p := range s.Params {
			c.declareParam(p)
		}
	case *ast.ExprStmt:
		return c.tabular(s.X)
	case *ast.SetStmt, *ast.BadStmt:
		// request options are not checked; the parser reported bad ones
	}
	return nil
}

// finish turns the reads into Info.Tables and adds the time risks.
func (c *checker) finish() {
	for _, e := range c.lets {
		if !e.used && e.rel != nil {
			c.commit(e.rel)
		}
	}
	c.finishReads()
	c.scanRisks()
}
