package sigma

// This file compiles one field item (field|modifiers: values) into a
// predicate: it resolves the field to a column, applies the value
// modifiers and joins the values with or (and for |all).

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
)

// item compiles a field item.
func (c *compiler) item(it *Item) (node, error) {
	m, err := parseMods(it.Modifiers)
	if err != nil {
		return nil, err
	}
	if it.Field == "" {
		return c.keywords(it, m)
	}
	f, typ, err := c.resolve(it.Field)
	if err != nil {
		return nil, err
	}
	if f.kind == droppedField {
		c.note("%s tests are left out: %s has no counterpart", it.Field, c.src.table)
		return trueNode, nil
	}
	switch {
	case m.exists:
		return c.exists(f, typ, it)
	case m.fieldref:
		return c.fieldref(f, typ, it)
	case m.compare != "":
		return c.compare(f, typ, it, m.compare)
	case m.cidr:
		return c.cidr(f, typ, it)
	case m.re:
		return c.regexes(f, typ, it, m)
	}
	var ns []node
	for _, v := range it.Values {
		n, err := c.value(f, typ, m, v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", it.Field, err)
		}
		ns = append(ns, n)
	}
	if m.all {
		return and(ns...), nil
	}
	return or(ns...), nil
}

// resolve maps a Sigma field to the table: its mapping, else a column of
// the same name; for cloud tables a dotted name whose head is a dynamic
// column is searched in that column's JSON text.
func (c *compiler) resolve(name string) (field, types.Type, error) {
	f, ok := c.src.lookupField(name)
	if !ok {
		if col, found := c.column(name); found {
			f, ok = plain(col), true
		}
	}
	if !ok && !c.src.defender {
		head, _, dotted := strings.Cut(name, ".")
		if col, found := c.column(head); dotted && found && c.typeOf(col) == types.Dynamic {
			f, ok = field{col: "tostring(" + col + ")", kind: jsonField}, true
			c.note("%s is matched anywhere in the JSON text of %s", name, col)
		}
	}
	if !ok {
		return f, types.Invalid, errorf("field", "field %s has no mapping to %s", name, c.src.table)
	}
	if f.kind == droppedField || f.kind == hashesField {
		return f, types.String, nil
	}
	typ := c.typeOf(f.col)
	if typ == types.Invalid {
		return f, typ, errorf("field", "field %s maps to %s, which %s lacks", name, f.col, c.src.table)
	}
	return f, typ, nil
}

// column finds a column of the table by name: exactly for the Defender
// tables, folding case for the cloud tables.
func (c *compiler) column(name string) (string, bool) {
	for _, col := range c.schema.Columns {
		if col.Name == name || !c.src.defender && strings.EqualFold(col.Name, name) {
			return col.Name, true
		}
	}
	return "", false
}

// typeOf is the type of a column or of a tostring(…) expression; Invalid
// for an unknown column.
func (c *compiler) typeOf(expr string) types.Type {
	if strings.HasPrefix(expr, "tostring(") {
		return types.String
	}
	if expr == "TargetObject" && c.src.table == "DeviceRegistryEvents" {
		return types.String
	}
	for _, col := range c.schema.Columns {
		if col.Name == expr {
			return col.Type
		}
	}
	return types.Invalid
}

func isNumeric(t types.Type) bool {
	return t == types.Int || t == types.Long || t == types.Real || t == types.Decimal
}

// keywords searches each keyword in the row's JSON text (every column):
// tostring(pack_all()) is what Kusto and vigil's engine both run, where
// "* has" is not. The keyword is JSON-escaped to match that text.
func (c *compiler) keywords(it *Item, m mods) (node, error) {
	if m != (mods{}) && m != (mods{all: true}) {
		return nil, errorf("modifier", "keywords with modifiers |%s are not supported", strings.Join(it.Modifiers, "|"))
	}
	var ns []node
	for _, v := range it.Values {
		if v.Kind == Null {
			return nil, errorf("value", "a null keyword")
		}
		p := parsePattern(v.Text).wrap(true, true)
		core, _, _, ok := p.shape()
		if !ok {
			return nil, errorf("value", "keyword %q has inner wildcards, which a search of every column cannot test", v.Text)
		}
		esc := strings.TrimSuffix(strings.TrimPrefix(jsonString(core), `"`), `"`)
		op := "contains"
		if hasSafe(esc) {
			op = "has"
		}
		ns = append(ns, &cmp{lhs: "tostring(pack_all())", op: op, rhs: quote(esc)})
	}
	c.note("keywords are searched in the JSON text of every column")
	if m.all {
		return and(ns...), nil
	}
	return or(ns...), nil
}

// value compiles one value of a plain item.
func (c *compiler) value(f field, typ types.Type, m mods, v Value) (node, error) {
	if v.Kind == Null {
		return c.null(f, typ)
	}
	if isNumeric(typ) && v.Kind != String && f.kind == plainField {
		n, ok := number(v.Text)
		if !ok {
			return nil, errorf("value", "%q is not a number", v.Text)
		}
		return &cmp{lhs: f.col, op: "==", rhs: n}, nil
	}
	pats, err := c.patterns(m, v)
	if err != nil {
		return nil, err
	}
	var ns []node
	for _, p := range pats {
		n, err := c.fieldMatch(f, typ, p, m.cased)
		if err != nil {
			return nil, err
		}
		ns = append(ns, n)
	}
	return or(ns...), nil
}

// patterns applies the value modifiers: windash, base64 (after an
// encoding), then contains / startswith / endswith.
func (c *compiler) patterns(m mods, v Value) ([]pattern, error) {
	p := literal(v.Text)
	if v.Kind == String {
		p = parsePattern(v.Text)
	}
	pats := []pattern{p}
	if m.windash {
		pats = windash(p)
	}
	if m.base64 || m.base64offset {
		var enc []pattern
		for _, p := range pats {
			s, ok := p.plain()
			if !ok {
				return nil, errorf("value", "base64 of %q, which has wildcards", v.Text)
			}
			b := encode(s, m.encoding)
			if m.base64 {
				enc = append(enc, literal(base64Std(b)))
				continue
			}
			for _, o := range base64Offsets(b) {
				enc = append(enc, literal(o))
			}
		}
		pats = enc
	}
	for i, p := range pats {
		pats[i] = p.wrap(m.contains || m.endswith, m.contains || m.startswith)
	}
	return pats, nil
}

// null tests that a field is absent: empty for strings, null otherwise.
func (c *compiler) null(f field, typ types.Type) (node, error) {
	switch f.kind {
	case hashesField, actionTypeField:
		return nil, errorf("value", "a null %s", f.col)
	}
	if typ == types.String {
		return call("isempty(" + f.col + ")"), nil
	}
	return call("isnull(" + f.col + ")"), nil
}

// match tests a column against a pattern with Sigma's case-insensitive
// semantics (case-sensitive with cased).
func match(col string, typ types.Type, p pattern, cased bool) node {
	if isNumeric(typ) {
		if s, ok := p.plain(); ok {
			if n, ok := number(s); ok {
				return &cmp{lhs: col, op: "==", rhs: n}
			}
		}
	}
	if typ != types.String {
		col = "tostring(" + col + ")"
	}
	switch {
	case len(p) == 0:
		return call("isempty(" + col + ")")
	case p.matchAll():
		return call("isnotempty(" + col + ")")
	}
	core, before, after, ok := p.shape()
	if !ok {
		return &cmp{lhs: col, op: "matches regex", rhs: quote(p.regex(cased))}
	}
	var op string
	switch {
	case before && after && hasSafe(core):
		op = "has"
	case before && after:
		op = "contains"
	case before:
		op = "endswith"
	case after:
		op = "startswith"
	case cased:
		return &cmp{lhs: col, op: "==", rhs: quote(core)}
	default:
		return &cmp{lhs: col, op: "=~", rhs: quote(core)}
	}
	if cased {
		op += "_cs"
	}
	return &cmp{lhs: col, op: op, rhs: quote(core)}
}

// hasSafe reports whether has finds exactly what contains finds: the
// text starts and ends with an ASCII non-alphanumeric character (so term
// boundaries hold at both ends) and holds at least one term character.
func hasSafe(s string) bool {
	if len(s) < 2 || isTermByte(s[0]) || isTermByte(s[len(s)-1]) || s[0] >= 0x80 || s[len(s)-1] >= 0x80 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if isTermByte(s[i]) {
			return true
		}
	}
	return false
}

func isTermByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// number reads an integer (decimal or 0x hex) or a real as KQL source.
func number(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		n, err := strconv.ParseInt(h, 16, 64)
		return strconv.FormatInt(n, 10), err == nil
	}
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return s, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return "real(" + strconv.FormatFloat(f, 'g', -1, 64) + ")", true
	}
	return "", false
}
