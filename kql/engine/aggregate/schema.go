package aggregate

// This file implements buildschema: the smallest schema admitting every
// dynamic value of a group. A property bag becomes a bag of the schemas
// of its keys, an array {"`indexer`": schema of its elements}, a scalar
// its type name; a slot that saw several kinds lists them in order of
// first appearance.

import (
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	register("buildschema", 1, 1, func(string, []Arg) (Func, error) {
		return &schemaFunc{single: one(types.Dynamic)}, nil
	})
}

// schemaNode is the schema of one slot.
type schemaNode struct {
	order   []string // kinds in order of first appearance: scalar type names, "{}", "[]"
	bag     map[string]*schemaNode
	keys    []string
	indexer *schemaNode
}

func (n *schemaNode) kind(k string) {
	for _, o := range n.order {
		if o == k {
			return
		}
	}
	n.order = append(n.order, k)
}

func (n *schemaNode) add(d any) {
	switch x := d.(type) {
	case nil:
	case *value.Bag:
		n.kind("{}")
		if n.bag == nil {
			n.bag = map[string]*schemaNode{}
		}
		for _, k := range x.Keys() {
			child, ok := n.bag[k]
			if !ok {
				child = &schemaNode{}
				n.bag[k] = child
				n.keys = append(n.keys, k)
			}
			v, _ := x.Get(k)
			child.add(v)
		}
	case []any:
		n.kind("[]")
		if n.indexer == nil {
			n.indexer = &schemaNode{}
		}
		for _, e := range x {
			n.indexer.add(e)
		}
	case bool:
		n.kind("bool")
	case int64:
		n.kind("long")
	case float64:
		n.kind("double")
	case string:
		n.kind("string")
	case value.Datetime:
		n.kind("datetime")
	case value.Timespan:
		n.kind("timespan")
	}
}

// value renders the node: one kind alone, several as an array.
func (n *schemaNode) value() any {
	var out []any
	for _, k := range n.order {
		switch k {
		case "{}":
			b := value.NewBag(len(n.keys))
			for _, key := range n.keys {
				if v := n.bag[key].value(); v != nil {
					b.Set(key, v)
				}
			}
			out = append(out, b)
		case "[]":
			b := value.NewBag(1)
			if v := n.indexer.value(); v != nil {
				b.Set("`indexer`", v)
			}
			out = append(out, b)
		default:
			out = append(out, k)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}

type schemaFunc struct {
	single
	nodes []*schemaNode
}

func (f *schemaFunc) Grow(groups int) { f.nodes = grow(f.nodes, groups) }

func (f *schemaFunc) Update(groups []int32, args []*value.Column, n int) {
	for i, g := range groups[:n] {
		d := dynAt(args[0], i)
		if d == nil {
			continue
		}
		if f.nodes[g] == nil {
			f.nodes[g] = &schemaNode{}
		}
		f.nodes[g].add(d)
	}
}

func (f *schemaFunc) Result(g int) value.Value {
	if f.nodes[g] == nil {
		return value.Null(types.Dynamic)
	}
	return value.OfDynamic(f.nodes[g].value())
}
