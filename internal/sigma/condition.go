package sigma

// This file parses condition expressions: and, or, not, parentheses,
// search names, and the quantifiers "1 of x*", "all of x*", "1 of them"
// and "all of them". Aggregations ("| count() > 5") and near are refused.

import (
	"fmt"
	"path"
	"strings"
)

// Expr is a condition expression.
type Expr interface{ String() string }

// Ref names one search.
type Ref struct{ Name string }

// Not negates X.
type Not struct{ X Expr }

// And is true when every term is.
type And struct{ Terms []Expr }

// Or is true when any term is.
type Or struct{ Terms []Expr }

// Of is "1 of pattern" (All false) or "all of pattern"; Pattern "them"
// means every search.
type Of struct {
	All     bool
	Pattern string
}

func (r *Ref) String() string { return r.Name }
func (n *Not) String() string {
	if _, ok := n.X.(*Ref); ok {
		return "not " + n.X.String()
	}
	return "not (" + n.X.String() + ")"
}
func (a *And) String() string { return joinExprs(a.Terms, " and ") }
func (o *Or) String() string  { return joinExprs(o.Terms, " or ") }
func (o *Of) String() string {
	if o.All {
		return "all of " + o.Pattern
	}
	return "1 of " + o.Pattern
}

func joinExprs(xs []Expr, sep string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = x.String()
		if _, ok := x.(*Ref); !ok {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return strings.Join(parts, sep)
}

// parseConditions parses each condition and joins them with or.
func parseConditions(texts []string) (Expr, error) {
	var terms []Expr
	for _, t := range texts {
		x, err := ParseCondition(t)
		if err != nil {
			return nil, err
		}
		terms = append(terms, x)
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return &Or{Terms: terms}, nil
}

// ParseCondition parses one condition expression. Keywords are case
// insensitive; names keep their case.
func ParseCondition(text string) (Expr, error) {
	if i := strings.IndexByte(text, '|'); i >= 0 {
		return nil, errorf("aggregation", "condition %q uses an aggregation (%s), which is not supported", text, strings.TrimSpace(text[i+1:]))
	}
	p := &condParser{toks: condTokens(text), text: text}
	for _, tok := range p.toks {
		if strings.EqualFold(tok, "near") {
			return nil, errorf("aggregation", "condition %q uses near, which is not supported", text)
		}
	}
	x, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, p.errorf("unexpected %q", p.toks[p.i])
	}
	return x, nil
}

// condTokens splits on spaces and parentheses.
func condTokens(s string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '(' || r == ')':
			flush()
			out = append(out, string(r))
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return out
}

type condParser struct {
	toks []string
	i    int
	text string
}

func (p *condParser) errorf(format string, args ...any) error {
	return errorf("condition", "condition %q: %s", p.text, fmt.Sprintf(format, args...))
}

func (p *condParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

// keyword reports whether the next token is kw (case-insensitive) and
// consumes it.
func (p *condParser) keyword(kw string) bool {
	if strings.EqualFold(p.peek(), kw) {
		p.i++
		return true
	}
	return false
}

func (p *condParser) or() (Expr, error) {
	var terms []Expr
	for {
		x, err := p.and()
		if err != nil {
			return nil, err
		}
		terms = append(terms, x)
		if !p.keyword("or") {
			break
		}
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return &Or{Terms: terms}, nil
}

func (p *condParser) and() (Expr, error) {
	var terms []Expr
	for {
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		terms = append(terms, x)
		if !p.keyword("and") {
			break
		}
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return &And{Terms: terms}, nil
}

func (p *condParser) not() (Expr, error) {
	if p.keyword("not") {
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		return &Not{X: x}, nil
	}
	return p.primary()
}

func (p *condParser) primary() (Expr, error) {
	tok := p.peek()
	switch {
	case tok == "":
		return nil, p.errorf("unexpected end")
	case tok == "(":
		p.i++
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.keyword(")") {
			return nil, p.errorf("missing )")
		}
		return x, nil
	case tok == ")":
		return nil, p.errorf("unexpected )")
	}
	if p.i+1 < len(p.toks) && strings.EqualFold(p.toks[p.i+1], "of") {
		return p.quantifier()
	}
	if isKeyword(tok) {
		return nil, p.errorf("unexpected %q", tok)
	}
	p.i++
	return &Ref{Name: tok}, nil
}

// quantifier reads "1 of x", "any of x" or "all of x".
func (p *condParser) quantifier() (Expr, error) {
	q := strings.ToLower(p.toks[p.i])
	p.i += 2
	pat := p.peek()
	if pat == "" || pat == "(" || pat == ")" || isKeyword(pat) {
		return nil, p.errorf("%s of: missing a name pattern", q)
	}
	p.i++
	switch q {
	case "1", "any":
		return &Of{Pattern: pat}, nil
	case "all":
		return &Of{All: true, Pattern: pat}, nil
	}
	return nil, p.errorf("quantifier %q (only 1 of and all of are supported)", q)
}

func isKeyword(s string) bool {
	switch strings.ToLower(s) {
	case "and", "or", "not", "of":
		return true
	}
	return false
}

// Expand replaces quantifiers by the searches they name, so the result
// only holds Ref, Not, And and Or. "them" names every search whose name
// does not start with an underscore. A pattern naming no search, or a Ref
// to a missing search, is an error.
func (d *Detection) Expand(x Expr) (Expr, error) {
	switch x := x.(type) {
	case *Ref:
		if _, ok := d.Search(x.Name); !ok {
			return nil, errorf("condition", "condition names search %q, which the detection lacks", x.Name)
		}
		return x, nil
	case *Not:
		y, err := d.Expand(x.X)
		if err != nil {
			return nil, err
		}
		return &Not{X: y}, nil
	case *And:
		terms, err := d.expandAll(x.Terms)
		return &And{Terms: terms}, err
	case *Or:
		terms, err := d.expandAll(x.Terms)
		return &Or{Terms: terms}, err
	case *Of:
		return d.expandOf(x)
	}
	return nil, fmt.Errorf("unknown condition node %T", x)
}

func (d *Detection) expandAll(xs []Expr) ([]Expr, error) {
	out := make([]Expr, len(xs))
	for i, x := range xs {
		y, err := d.Expand(x)
		if err != nil {
			return nil, err
		}
		out[i] = y
	}
	return out, nil
}

func (d *Detection) expandOf(o *Of) (Expr, error) {
	var refs []Expr
	for _, s := range d.Searches {
		if o.Pattern == "them" && !strings.HasPrefix(s.Name, "_") || o.Pattern != "them" && globMatch(o.Pattern, s.Name) {
			refs = append(refs, &Ref{Name: s.Name})
		}
	}
	switch {
	case len(refs) == 0:
		return nil, errorf("condition", "%s names no search", o)
	case len(refs) == 1:
		return refs[0], nil
	case o.All:
		return &And{Terms: refs}, nil
	}
	return &Or{Terms: refs}, nil
}

// globMatch matches a search name against a pattern with * wildcards.
func globMatch(pattern, name string) bool {
	ok, err := path.Match(pattern, name)
	return err == nil && ok
}
