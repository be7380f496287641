package engine

// This file implements name scopes: let bindings, function parameters and
// the implied input of sub-queries.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/value"
)

// binding is what a name stands for. Exactly one field is set.
type binding struct {
	val  *value.Value // a scalar let, evaluated once
	tab  plan         // a tabular let or tabular parameter
	fn   *userFunc    // a let-defined function
	expr expr         // a scalar parameter inlined into a function body
}

// userFunc is a let-defined function with the scope it was defined in.
type userFunc struct {
	name string
	lit  *ast.FuncLit
	def  *scope
}

// scope maps names to bindings, falling back to its parent.
type scope struct {
	parent *scope
	names  map[string]*binding
	// input is the implied input of a sub-query (mv-apply's on (…),
	// partition's body), used when a pipeline starts with an operator that
	// needs input.
	input plan
}

func newScope(parent *scope) *scope {
	s := &scope{parent: parent, names: map[string]*binding{}}
	if parent != nil {
		s.input = parent.input
	}
	return s
}

func (s *scope) lookup(name string) *binding {
	for ; s != nil; s = s.parent {
		if b, ok := s.names[name]; ok {
			return b
		}
	}
	return nil
}

func (s *scope) bind(name string, b *binding) { s.names[name] = b }
