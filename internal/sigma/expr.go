package sigma

// This file holds the predicate tree the compiler builds and prints as
// KQL: comparisons, and, or, not and constants, simplified as they are
// built; tests of one column are grouped when printed (=~ into in~, has
// into has_any / has_all, == into in).

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// node is a predicate.
type node interface{ isNode() }

// cmp is "lhs op rhs"; rhs is KQL source (a quoted literal, a number,
// another column). A function-style test (isempty(X), ipv4_is_in_range)
// has op "" and its whole text in lhs.
type cmp struct{ lhs, op, rhs string }

type andNode []node
type orNode []node
type notNode struct{ x node }
type constNode bool

func (*cmp) isNode()      {}
func (andNode) isNode()   {}
func (orNode) isNode()    {}
func (*notNode) isNode()  {}
func (constNode) isNode() {}

var (
	trueNode  = constNode(true)
	falseNode = constNode(false)
)

// call is a function-style test.
func call(text string) node { return &cmp{lhs: text} }

// and joins predicates, dropping true and collapsing to false.
func and(xs ...node) node {
	var out andNode
	for _, x := range xs {
		switch x := x.(type) {
		case constNode:
			if !x {
				return falseNode
			}
		case andNode:
			out = appendNodes(out, x...)
		default:
			out = appendNodes(out, x)
		}
	}
	switch len(out) {
	case 0:
		return trueNode
	case 1:
		return out[0]
	}
	return out
}

// or joins predicates, dropping false and collapsing to true.
func or(xs ...node) node {
	var out orNode
	for _, x := range xs {
		switch x := x.(type) {
		case constNode:
			if x {
				return trueNode
			}
		case orNode:
			out = appendNodes(out, x...)
		default:
			out = appendNodes(out, x)
		}
	}
	switch len(out) {
	case 0:
		return falseNode
	case 1:
		return out[0]
	}
	return out
}

// appendNodes appends predicates, leaving out comparisons already there.
func appendNodes[S ~[]node](xs S, ys ...node) S {
	for _, y := range ys {
		c, isCmp := y.(*cmp)
		dup := false
		for _, x := range xs {
			if d, ok := x.(*cmp); ok && isCmp && *d == *c {
				dup = true
				break
			}
		}
		if !dup {
			xs = append(xs, y)
		}
	}
	return xs
}

// not negates a predicate.
func not(x node) node {
	switch x := x.(type) {
	case constNode:
		return !x
	case *notNode:
		return x.x
	}
	return &notNode{x}
}

// render writes a predicate as KQL.
func render(x node) string {
	switch x := x.(type) {
	case *cmp:
		if x.op == "" {
			return x.lhs
		}
		return x.lhs + " " + x.op + " " + x.rhs
	case andNode:
		parts := grouped([]node(x), groupAnd)
		for i, p := range parts {
			if _, isOr := p.(orNode); isOr {
				parts[i] = &cmp{lhs: "(" + render(p) + ")"}
			}
		}
		return joinPrinted(parts, " and ")
	case orNode:
		return joinPrinted(grouped([]node(x), groupOr), " or ")
	case *notNode:
		return "not(" + render(x.x) + ")"
	case constNode:
		if x {
			return "true"
		}
		return "false"
	}
	return "?"
}

func joinPrinted(xs []node, sep string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = render(x)
	}
	return strings.Join(parts, sep)
}

// Groupings: which operator's tests of one column merge into one test.
var (
	groupOr  = map[string]string{"=~": "in~", "==": "in", "has": "has_any"}
	groupAnd = map[string]string{"has": "has_all"}
)

// grouped merges the tests of one column with one operator, in place of
// the first of them.
func grouped(xs []node, ops map[string]string) []node {
	type key struct{ lhs, op string }
	members := map[key][]string{}
	for _, x := range xs {
		if c, ok := x.(*cmp); ok && ops[c.op] != "" {
			k := key{c.lhs, c.op}
			members[k] = append(members[k], c.rhs)
		}
	}
	var out []node
	done := map[key]bool{}
	for _, x := range xs {
		c, ok := x.(*cmp)
		if !ok || ops[c.op] == "" || len(members[key{c.lhs, c.op}]) < 2 {
			out = append(out, x)
			continue
		}
		k := key{c.lhs, c.op}
		if done[k] {
			continue
		}
		done[k] = true
		out = append(out, &cmp{lhs: c.lhs, op: ops[c.op], rhs: "(" + strings.Join(members[k], ", ") + ")"})
	}
	return out
}

// quote writes s as a KQL string literal: verbatim (@"…") when it holds
// backslashes and no control characters, else with escapes.
func quote(s string) string {
	if strings.Contains(s, `\`) && !hasControl(s) {
		return `@"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == utf8.RuneError {
				b.WriteString(`\u` + leftPad(strconv.FormatInt(int64(r), 16), 4))
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

func leftPad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}
