package check

// This file implements let scopes: the names bound by let, declare,
// function parameters and "as", which shadow tables of the same name.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// entityKind says what a let name denotes.
type entityKind uint8

const (
	scalarEntity  entityKind = iota // a scalar value
	tabularEntity                   // a tabular value
	funcEntity                      // a user function (lambda)
)

// entity is what a name in a scope is bound to.
type entity struct {
	name  string
	kind  entityKind
	typ   types.Type // scalar entities
	value ast.Expr   // the bound expression (scalar: for time bounds and constants)
	rel   *rel       // tabular entities, and tabular functions' result at definition
	fn    *ast.FuncLit
	env   *scope // scope the function was defined in
	used  bool
}

// scope is one level of let bindings.
type scope struct {
	parent *scope
	names  map[string]*entity
}

func newScope(parent *scope) *scope {
	return &scope{parent: parent, names: make(map[string]*entity)}
}

// lookup finds name in s or its parents; names are case-sensitive.
func (s *scope) lookup(name string) *entity {
	for ; s != nil; s = s.parent {
		if e, ok := s.names[name]; ok {
			return e
		}
	}
	return nil
}

// all returns every name visible from s (for suggestions).
func (s *scope) all() []string {
	var out []string
	for ; s != nil; s = s.parent {
		for n := range s.names {
			out = append(out, n)
		}
	}
	return out
}

func (c *checker) bind(e *entity) {
	c.scope.names[e.name] = e
	if e.kind == tabularEntity || e.kind == funcEntity {
		c.lets = append(c.lets, e)
	}
}

// let checks a let statement and binds its name in the current scope.
func (c *checker) let(s *ast.LetStmt) {
	name := s.Name.Name
	switch v := unparen(s.Value).(type) {
	case *ast.FuncLit:
		e := &entity{name: name, kind: funcEntity, fn: v, env: c.scope}
		// bind first: the body cannot call itself, but a later let may
		c.defineFunc(e)
		c.bind(e)
		return
	}
	if c.isTabular(s.Value) {
		r := c.tabular(s.Value)
		c.bind(&entity{name: name, kind: tabularEntity, rel: r, value: s.Value})
		return
	}
	t := c.expr(s.Value, &env{})
	c.bind(&entity{name: name, kind: scalarEntity, typ: t, value: s.Value})
}

// declareParam binds a query parameter of declare query_parameters.
func (c *checker) declareParam(p *ast.FuncParam) {
	e := &entity{name: p.Name.Name, kind: scalarEntity, typ: types.Unknown}
	if p.Type != nil && p.Type.Tabular != nil {
		e.kind = tabularEntity
		e.rel = &rel{schema: declaredSchema(p.Type.Tabular)}
	} else if p.Type != nil {
		if t, ok := types.Lookup(p.Type.Name); ok {
			e.typ = t
		}
	}
	if p.Default != nil {
		c.expr(p.Default, &env{})
	}
	c.bind(e)
}

// declaredSchema is the schema written in typeof(…) or a tabular
// parameter: (*) is open, (a:string, *) has a and is open.
func declaredSchema(x *ast.SchemaExpr) *types.Schema {
	s := &types.Schema{Open: x.Star}
	for _, d := range x.Cols {
		s.Columns = append(s.Columns, types.Column{Name: d.Name.Name, Type: typeRef(d.Type)})
	}
	return s
}

// typeRef returns the scalar type of a declaration, Unknown if absent and
// Invalid if misspelled.
func typeRef(t *ast.TypeRef) types.Type {
	if t == nil || t.Tabular != nil {
		return types.Unknown
	}
	if typ, ok := types.Lookup(t.Name); ok {
		return typ
	}
	return types.Invalid
}

// unparen strips parentheses.
func unparen(x ast.Expr) ast.Expr {
	for {
		p, ok := x.(*ast.ParenExpr)
		if !ok {
			return x
		}
		x = p.X
	}
}
