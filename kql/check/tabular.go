package check

// This file implements tabular expressions: table references, let-bound
// tabular values, tabular function calls and the pipe, whose operators
// are dispatched to one file per operator family.

import (
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// tabular checks a tabular expression and records its schema.
func (c *checker) tabular(x ast.Expr) *rel {
	r := c.tabular0(x)
	if r == nil {
		r = openRel()
	}
	if r.schema == nil {
		r.schema = &types.Schema{Open: true}
	}
	c.info.Schemas[x] = r.schema
	return r
}

func (c *checker) tabular0(x ast.Expr) *rel {
	switch x := x.(type) {
	case *ast.PipeExpr:
		in := c.input
		if x.X != nil {
			in = c.tabular(x.X)
		}
		saved := c.input
		c.input = nil
		r := c.op(in, x.Op)
		c.input = saved
		return r
	case *ast.ParenExpr:
		return c.tabular(x.X)
	case *ast.Ident:
		return c.tableRef(x)
	case *ast.CallExpr:
		return c.tabularCall(x)
	case *ast.SelectorExpr:
		return c.scopedTable(x)
	case *ast.BadExpr:
		return openRel()
	}
	c.expr(x, &env{})
	c.errorf(x, NotTabular, "expression is not tabular")
	return openRel()
}

// isTabular reports whether x denotes a tabular value, without checking it.
func (c *checker) isTabular(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.PipeExpr:
		return true
	case *ast.ParenExpr:
		return c.isTabular(x.X)
	case *ast.Ident:
		if e := c.scope.lookup(x.Name); e != nil {
			return e.kind == tabularEntity || (e.kind == funcEntity && e.rel != nil)
		}
		return true // a table, known or not
	case *ast.CallExpr:
		return c.isTabularCall(x)
	case *ast.SelectorExpr:
		return crossScopeBase(x) != nil
	}
	return false
}

// isTabularCall reports whether a call yields a table.
func (c *checker) isTabularCall(x *ast.CallExpr) bool {
	name := x.Fun.Name
	if e := c.scope.lookup(name); e != nil {
		return e.kind == funcEntity && e.rel != nil
	}
	switch name {
	case "materialize", "table", "view", "cluster", "database", "workspace", "app", "resource",
		"external_table", "materialized_view", "stored_query_result":
		return true
	}
	if _, ok := lookupFunc(name); ok {
		return false
	}
	return true // an unknown function in tabular position: a workspace function
}

// tableRef resolves a name in tabular position: a let-bound value, a
// zero-argument user function, or a table.
func (c *checker) tableRef(id *ast.Ident) *rel {
	if e := c.scope.lookup(id.Name); e != nil {
		e.used = true
		switch e.kind {
		case tabularEntity:
			if e.rel == nil {
				return openRel()
			}
			return e.rel.clone()
		case funcEntity:
			return c.callUser(e, &ast.CallExpr{Fun: id, Lparen: id.End(), Rparen: id.End()}, nil, nil)
		}
		c.errorf(id, NotTabular, "%q is a scalar value, not a table", id.Name)
		return openRel()
	}
	if id.Wildcard {
		return c.wildcardTables(id, false)
	}
	return c.table(id.Name, id, false)
}

// table reads the table name, referenced at n. Unknown tables are
// reported (softly in a fuzzy union) and yield an open schema.
func (c *checker) table(name string, n ast.Node, fuzzy bool) *rel {
	if c.tables != nil {
		if s, ok := c.tables.LookupTable(name); ok && s != nil {
			s = s.Clone()
			s.Open = s.Open || growingSchema(name)
			return c.newRead(name, n, s, true)
		}
	}
	c.report(n, UnknownTable, c.suggestTable(name), fuzzy, "unknown table "+quote(name))
	return c.newRead(name, n, &types.Schema{Open: true}, false)
}

// growingSchema reports whether a Log Analytics table gains columns as
// data arrives, so that its documented columns are not all it has: custom
// logs (*_CL, whose fields get _s, _d, _g, … columns) and AzureDiagnostics
// (columns per resource type).
func growingSchema(name string) bool {
	return strings.HasSuffix(name, "_CL") || name == "AzureDiagnostics"
}

// wildcardTables is the union of the catalog tables matching a pattern
// such as Device*. Without a way to list tables the result is open.
func (c *checker) wildcardTables(id *ast.Ident, _ bool) *rel {
	names := c.tableNames()
	if names == nil {
		return c.newRead(id.Name, id, &types.Schema{Open: true}, false)
	}
	var legs []*rel
	for _, n := range names {
		if matchWildcard(id.Name, n) {
			legs = append(legs, c.table(n, id, false))
		}
	}
	if len(legs) == 0 {
		return openRel()
	}
	return c.unionRels(legs, "outer")
}

// tableNames lists the known tables when Config.Tables can.
func (c *checker) tableNames() []string {
	if l, ok := c.tables.(interface{ TableNames() []string }); ok {
		return l.TableNames()
	}
	return nil
}

// tabularCall checks a call in tabular position.
func (c *checker) tabularCall(x *ast.CallExpr) *rel {
	name := x.Fun.Name
	if e := c.scope.lookup(name); e != nil {
		e.used = true
		if e.kind == funcEntity {
			return c.callUser(e, x, nil, nil)
		}
		c.errorf(x.Fun, NotTabular, "%q is not a function", name)
		return openRel()
	}
	switch name {
	case "materialize", "view":
		if len(x.Args) != 1 {
			c.errorf(x, WrongArity, "function %q expects 1 argument, got %d", name, len(x.Args))
			return openRel()
		}
		return c.tabular(x.Args[0])
	case "table":
		return c.tableCall(x)
	case "graph":
		return c.graphRef(x)
	case "cluster", "database", "workspace", "app", "resource":
		c.args(x.Args, &env{})
		return openRel()
	case "external_table", "materialized_view", "stored_query_result":
		c.args(x.Args, &env{})
		return c.newRead(name+"()", x, &types.Schema{Open: true}, false)
	}
	if _, ok := lookupFunc(name); ok {
		c.expr(x, &env{})
		c.errorf(x, NotTabular, "function %q returns a scalar, not a table", name)
		return openRel()
	}
	// a function the query does not define and that is not built in: a
	// stored (workspace) function, such as an ASIM parser
	c.args(x.Args, &env{})
	c.report(x.Fun, UnknownFunction, c.suggestFunc(name), false, "unknown function "+quote(name))
	return c.newRead(name, x, &types.Schema{Open: true}, false)
}

// tableCall is table("Name"): a let-bound value or a table.
func (c *checker) tableCall(x *ast.CallExpr) *rel {
	if len(x.Args) < 1 {
		c.errorf(x, WrongArity, "function \"table\" expects 1 or 2 arguments, got 0")
		return openRel()
	}
	name, ok := c.constString(x.Args[0])
	if !ok {
		c.expr(x.Args[0], &env{})
		return c.newRead("table()", x, &types.Schema{Open: true}, false)
	}
	c.info.Types[x.Args[0]] = types.String
	if e := c.scope.lookup(name); e != nil && e.kind == tabularEntity {
		e.used = true
		return e.rel.clone()
	}
	return c.table(name, x, false)
}

// scopedTable is a table in another scope: cluster("c").database("d").T,
// workspace("w").T, app("a").T. The table is looked up in the catalog
// (the remote workspace is assumed to have the same tables).
func (c *checker) scopedTable(x *ast.SelectorExpr) *rel {
	base := crossScopeBase(x)
	if base == nil {
		c.expr(x, &env{})
		c.errorf(x, NotTabular, "expression is not tabular")
		return openRel()
	}
	c.tabular(x.X)
	if c.tables != nil {
		if s, ok := c.tables.LookupTable(x.Sel.Name); ok {
			return c.newRead(x.Sel.Name, x.Sel, s.Clone(), true)
		}
	}
	return c.newRead(x.Sel.Name, x.Sel, &types.Schema{Open: true}, false)
}

// crossScopeBase returns the cluster/database/workspace/app call at the
// root of a selector chain, or nil.
func crossScopeBase(x ast.Expr) *ast.CallExpr {
	for {
		switch y := x.(type) {
		case *ast.SelectorExpr:
			x = y.X
		case *ast.CallExpr:
			if isScopeFunc(y.Fun.Name) {
				return y
			}
			return nil
		default:
			return nil
		}
	}
}

func isScopeFunc(name string) bool {
	switch name {
	case "cluster", "database", "workspace", "app", "resource":
		return true
	}
	return false
}

// subquery checks body with in as the implied input of its first operator
// (mv-apply, partition, fork, facet).
func (c *checker) subquery(body ast.Expr, in *rel) *rel {
	saved := c.input
	c.input = in
	r := c.tabular(body)
	c.input = saved
	return r
}
