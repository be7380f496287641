package sigma

// This file compiles a rule's detection into a KQL predicate over its
// table, and writes the query: time-bounded by the hunt library's start
// and end parameters, scoped by its entity parameters, with the rule's
// attribution in every row.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/kql/types"
)

// Query is a rule compiled to KQL.
type Query struct {
	Source   string   // log source key: process_creation, signinlogs, …
	Table    string   // the table it reads
	Entities []string // entity kinds its parameters scope (device, account, ip)
	KQL      string   // the query, its parameters declared as top-level lets
	Notes    []string // what the translation approximated or left out
}

// Attribution is what every row of a rule's query carries, as the
// Detection Rule License asks: the rule, its author(s) and a link.
type Attribution struct {
	Title, RuleID, Author, Link string
}

// compiler compiles one rule.
type compiler struct {
	rule     *Rule
	src      *source
	schema   *types.Schema
	searches map[string]node
	notes    []string
}

// Compile converts a rule to a KQL query over the table of its log source.
// An unsupported log source, field, modifier, value or condition gives an
// *Error; nothing is silently left out except what Notes list.
func Compile(r *Rule, attr Attribution) (*Query, error) {
	c, err := newCompiler(r)
	if err != nil {
		return nil, err
	}
	cond, err := c.condition()
	if err != nil {
		return nil, err
	}
	q := &Query{Source: sourceKey(r.Logsource), Table: c.src.table, Notes: c.notes}
	for _, s := range c.src.scope {
		q.Entities = append(q.Entities, s.entity)
	}
	q.KQL = c.query(cond, attr)
	return q, nil
}

// newCompiler finds the rule's log source and table.
func newCompiler(r *Rule) (*compiler, error) {
	key := sourceKey(r.Logsource)
	src, ok := sources[key]
	if !ok {
		return nil, errorf("logsource", "log source %s is not supported", key)
	}
	t, ok := catalog.Default().Table(src.table)
	if !ok {
		return nil, fmt.Errorf("table %s is not in the catalog", src.table)
	}
	if r.Detection.Timeframe != "" {
		return nil, errorf("aggregation", "timeframe (%s) aggregations are not supported", r.Detection.Timeframe)
	}
	return &compiler{rule: r, src: src, schema: t.Schema(), searches: map[string]node{}}, nil
}

// condition compiles the detection's condition.
func (c *compiler) condition() (node, error) {
	x, err := c.rule.Detection.Expand(c.rule.Detection.Condition)
	if err != nil {
		return nil, err
	}
	n, err := c.expr(x)
	if err != nil {
		return nil, err
	}
	if k, isConst := n.(constNode); isConst {
		return nil, errorf("constant", "the condition is always %v once unmappable tests are left out", bool(k))
	}
	return n, nil
}

func (c *compiler) expr(x Expr) (node, error) {
	switch x := x.(type) {
	case *Ref:
		return c.search(x.Name)
	case *Not:
		n, err := c.expr(x.X)
		return not(n), err
	case *And:
		ns, err := c.exprs(x.Terms)
		return and(ns...), err
	case *Or:
		ns, err := c.exprs(x.Terms)
		return or(ns...), err
	}
	return nil, fmt.Errorf("unexpanded condition node %T", x)
}

func (c *compiler) exprs(xs []Expr) ([]node, error) {
	out := make([]node, len(xs))
	for i, x := range xs {
		n, err := c.expr(x)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// search compiles a named search: OR of alternatives, AND of items.
func (c *compiler) search(name string) (node, error) {
	if n, ok := c.searches[name]; ok {
		return n, nil
	}
	s, _ := c.rule.Detection.Search(name)
	var alts []node
	for _, items := range s.Alternatives {
		var terms []node
		for _, it := range items {
			n, err := c.item(it)
			if err != nil {
				return nil, fmt.Errorf("search %s: %w", name, err)
			}
			terms = append(terms, n)
		}
		alts = append(alts, and(terms...))
	}
	n := or(alts...)
	c.searches[name] = n
	return n, nil
}

// note records an approximation once.
func (c *compiler) note(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	if !slices.Contains(c.notes, s) {
		c.notes = append(c.notes, s)
	}
}

// query writes the query text.
func (c *compiler) query(cond node, attr Attribution) string {
	var b strings.Builder
	b.WriteString("let start = ago(7d);\nlet end = now();\n")
	for _, s := range c.src.scope {
		fmt.Fprintf(&b, "let %s = dynamic([]);\n", scopeParam(s.entity))
	}
	fmt.Fprintf(&b, "%s\n| where %s between (start .. end)\n", c.src.table, c.src.timeCol)
	for _, s := range c.src.scope {
		fmt.Fprintf(&b, "| where %s\n", scopeTest(s))
	}
	for _, p := range c.src.prelude {
		fmt.Fprintf(&b, "| %s\n", p)
	}
	terms := []node{cond}
	if a, ok := cond.(andNode); ok {
		terms = a
	}
	for _, t := range terms {
		fmt.Fprintf(&b, "| where %s\n", render(t))
	}
	reason := fmt.Sprintf("Sigma rule %q by %s", attr.Title, attr.Author)
	fmt.Fprintf(&b, "| extend SigmaRule = %s, SigmaRuleId = %s, SigmaAuthor = %s, SigmaLink = %s, Reason = %s\n",
		quote(attr.Title), quote(attr.RuleID), quote(attr.Author), quote(attr.Link), quote(reason))
	cols := append(slices.Clone(c.src.project), "SigmaRule", "SigmaRuleId", "SigmaAuthor", "SigmaLink", "Reason")
	fmt.Fprintf(&b, "| project %s\n", strings.Join(cols, ", "))
	return b.String()
}

// scopeParam is the hunt library's parameter for an entity kind.
func scopeParam(entity string) string {
	switch entity {
	case "device":
		return "devices"
	case "account":
		return "accounts"
	case "ip":
		return "ips"
	}
	return entity + "s"
}

// scopeTest is the where that scopes the query by an entity parameter,
// a no-op while the parameter is empty.
func scopeTest(s scopeCol) string {
	p := scopeParam(s.entity)
	switch s.entity {
	case "device":
		return fmt.Sprintf(`array_length(%s) == 0 or %s in~ (%s) or tostring(split(%s, ".")[0]) in~ (%s)`, p, s.col, p, s.col, p)
	case "account":
		if strings.Contains(s.col, "Principal") || strings.Contains(s.col, "userPrincipalName") || s.col == "Caller" {
			return fmt.Sprintf(`array_length(%s) == 0 or %s in~ (%s) or tostring(split(%s, "@")[0]) in~ (%s)`, p, s.col, p, s.col, p)
		}
	}
	return fmt.Sprintf("array_length(%s) == 0 or %s in~ (%s)", p, s.col, p)
}
