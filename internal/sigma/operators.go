package sigma

// This file compiles the modifiers that test a field other than by its
// value's text: exists, fieldref, gt / gte / lt / lte, cidr and re.

import (
	"fmt"
	"net/netip"
	"regexp/syntax"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
)

// exists compiles field|exists: true/false.
func (c *compiler) exists(f field, typ types.Type, it *Item) (node, error) {
	if len(it.Values) != 1 || it.Values[0].Kind != Bool {
		return nil, errorf("value", "%s|exists takes true or false", it.Field)
	}
	present := "isnotnull(" + f.col + ")"
	if typ == types.String {
		present = "isnotempty(" + f.col + ")"
	}
	if it.Values[0].Text == "true" {
		return call(present), nil
	}
	return not(call(present)), nil
}

// fieldref compiles field|fieldref: other — the two fields are equal.
func (c *compiler) fieldref(f field, typ types.Type, it *Item) (node, error) {
	var ns []node
	for _, v := range it.Values {
		g, gt, err := c.resolve(v.Text)
		if err != nil {
			return nil, err
		}
		if !(f.kind == plainField || f.kind == userField) || !(g.kind == plainField || g.kind == userField) || g.kind != f.kind {
			return nil, errorf("modifier", "%s|fieldref %s: only plain fields compare", it.Field, v.Text)
		}
		op := "=~"
		if isNumeric(typ) && isNumeric(gt) {
			op = "=="
		}
		n := node(&cmp{lhs: f.col, op: op, rhs: g.col})
		if f.kind == userField {
			n = and(n, &cmp{lhs: f.aux, op: "=~", rhs: g.aux})
		}
		ns = append(ns, n)
	}
	return or(ns...), nil
}

// compare compiles gt, gte, lt and lte.
func (c *compiler) compare(f field, typ types.Type, it *Item, op string) (node, error) {
	if f.kind != plainField {
		return nil, errorf("modifier", "%s: comparisons apply to plain fields", it.Field)
	}
	col := f.col
	if !isNumeric(typ) {
		col = "todouble(" + col + ")"
	}
	var ns []node
	for _, v := range it.Values {
		n, ok := number(v.Text)
		if !ok {
			return nil, errorf("value", "%s|%s: %q is not a number", it.Field, strings.Join(it.Modifiers, "|"), v.Text)
		}
		ns = append(ns, &cmp{lhs: col, op: op, rhs: n})
	}
	return or(ns...), nil
}

// cidr compiles field|cidr: ranges.
func (c *compiler) cidr(f field, typ types.Type, it *Item) (node, error) {
	if f.kind != plainField || typ != types.String {
		return nil, errorf("modifier", "%s|cidr applies to an address column", it.Field)
	}
	var v4 []string
	var ns []node
	for _, v := range it.Values {
		pfx, err := netip.ParsePrefix(strings.TrimSpace(v.Text))
		if err != nil {
			return nil, errorf("value", "%s|cidr: %q is not a CIDR range", it.Field, v.Text)
		}
		if pfx.Addr().Is4() {
			v4 = append(v4, quote(pfx.String()))
			continue
		}
		ns = append(ns, call(fmt.Sprintf("ipv6_is_in_range(%s, %s)", f.col, quote(pfx.String()))))
	}
	switch len(v4) {
	case 0:
	case 1:
		ns = append([]node{call(fmt.Sprintf("ipv4_is_in_range(%s, %s)", f.col, v4[0]))}, ns...)
	default:
		ns = append([]node{call(fmt.Sprintf("ipv4_is_in_any_range(%s, %s)", f.col, strings.Join(v4, ", ")))}, ns...)
	}
	return or(ns...), nil
}

// regexes compiles field|re: expressions. Sigma's regular expressions
// are case-sensitive unless |i is given; Kusto's are RE2, so a pattern
// RE2 cannot read (lookaround, backreferences) is refused.
func (c *compiler) regexes(f field, typ types.Type, it *Item, m mods) (node, error) {
	if f.kind != plainField && f.kind != jsonField && f.kind != registryKeyField && f.kind != registryDataField {
		return nil, errorf("modifier", "%s|re is not supported on this field", it.Field)
	}
	col := f.col
	if typ != types.String {
		col = "tostring(" + col + ")"
	}
	var ns []node
	for _, v := range it.Values {
		re := v.Text
		if m.reFlags != "" {
			re = "(?" + dedupFlags(m.reFlags) + ")" + re
		}
		if _, err := syntax.Parse(re, syntax.Perl); err != nil {
			return nil, errorf("regex", "%s|re: %q is not an RE2 expression (%v)", it.Field, v.Text, syntaxCode(err))
		}
		ns = append(ns, &cmp{lhs: col, op: "matches regex", rhs: quote(re)})
	}
	switch f.kind {
	case registryKeyField:
		c.note("%s|re is matched against the key as MDE spells it (HKEY_LOCAL_MACHINE, not HKLM)", it.Field)
	case registryDataField:
		c.note("%s|re is matched against the data as MDE stores it (1, not DWORD (0x00000001))", it.Field)
	}
	if m.all {
		return and(ns...), nil
	}
	return or(ns...), nil
}

func dedupFlags(s string) string {
	var out []byte
	for _, f := range "ims" {
		if strings.ContainsRune(s, f) {
			out = append(out, byte(f))
		}
	}
	return string(out)
}

// syntaxCode is the short reason of a regexp/syntax error.
func syntaxCode(err error) string {
	if e, ok := err.(*syntax.Error); ok {
		return string(e.Code)
	}
	return err.Error()
}
