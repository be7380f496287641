package ast

import "reflect"

// This file implements traversal of the tree.

var nodeType = reflect.TypeFor[Node]()

// Inspect traverses the tree rooted at node in depth-first order, calling
// f for each node (before its children). If f returns false, the node's
// children are skipped. Nil nodes are not visited.
//
// The traversal follows every field of every node by reflection, so a node
// type added to this package is walked without further change; the cost
// is acceptable for analysis passes, which are not on the engine's hot path.
func Inspect(node Node, f func(Node) bool) {
	if node == nil || isNil(reflect.ValueOf(node)) {
		return
	}
	if !f(node) {
		return
	}
	walkFields(reflect.ValueOf(node), f)
}

func walkFields(v reflect.Value, f func(Node) bool) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < v.NumField(); i++ {
		walkValue(v.Field(i), f)
	}
}

func walkValue(fv reflect.Value, f func(Node) bool) {
	switch fv.Kind() {
	case reflect.Slice:
		for j := 0; j < fv.Len(); j++ {
			walkValue(fv.Index(j), f)
		}
	case reflect.Pointer, reflect.Interface:
		if fv.IsNil() {
			return
		}
		if fv.Type().Implements(nodeType) || (fv.Kind() == reflect.Interface && fv.Elem().Type().Implements(nodeType)) {
			Inspect(fv.Interface().(Node), f)
			return
		}
		walkFields(fv, f)
	}
}

func isNil(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return v.IsNil()
	}
	return false
}
