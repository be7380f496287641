package engine

// This file implements parse and parse-where: a pattern of string
// constants, * and columns (Name or Name:type) is matched against a
// string expression, each column getting the text between its
// delimiters, converted to its type. kind=simple (the default) matches
// the constants literally from the start of the string, a column or *
// taking as little as it can (a column at the end takes the rest, a typed
// column before * takes what its type can spell); kind=regex reads the
// constants as RE2 regular expressions, string columns and * greedy
// unless flags=U; kind=relaxed is simple but a value that does not
// convert becomes null alone instead of failing the row. A failed match
// gives null columns (parse) or drops the row (parse-where).

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileParse) }

// parseCol is one output column of a parse pattern.
type parseCol struct {
	name  string
	typ   types.Type
	group int // the capture group holding its text
}

func compileParse(c *compiler, op *ast.ParseOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	kind, flags := "simple", ""
	for _, p := range op.Params {
		switch p.Name.Name {
		case "kind":
			kind = strings.ToLower(paramText(p))
		case "flags":
			flags = paramText(p)
		}
	}
	if kind != "simple" && kind != "regex" && kind != "relaxed" {
		return nil, errorf(op.Pos(), op.Word, "kind must be simple, regex or relaxed, not %s", kind)
	}
	src, err := c.expr(op.X, in.schema(), sc)
	if err != nil {
		return nil, err
	}
	re, cols, err := parsePattern(op, kind, flags)
	if err != nil {
		return nil, err
	}
	p := &parsePlan{in: in, src: src, re: re, cols: cols, relaxed: kind == "relaxed", where: op.Word == "parse-where"}
	p.s = in.schema().Clone()
	for i := range p.s.Columns {
		p.outs = append(p.outs, -1-i)
	}
	for k, col := range cols {
		tc := types.Column{Name: col.name, Type: col.typ}
		if j := p.s.Index(col.name); j >= 0 {
			if p.outs[j] >= 0 {
				return nil, errorf(op.Pos(), op.Word, "column %s appears twice in the pattern", col.name)
			}
			p.s.Columns[j], p.outs[j] = tc, k
			continue
		}
		p.s.Columns = append(p.s.Columns, tc)
		p.outs = append(p.outs, k)
	}
	return p, nil
}

// parsePattern translates a pattern into a regular expression with one
// capture group per column.
func parsePattern(op *ast.ParseOp, kind, flags string) (*regexp.Regexp, []parseCol, error) {
	var b strings.Builder
	if kind == "regex" {
		if flags != "" {
			for _, f := range flags {
				if !strings.ContainsRune("imsU", f) {
					return nil, nil, errorf(op.Pos(), op.Word, "unsupported regex flag %q", f)
				}
			}
			b.WriteString("(?" + flags + ")")
		}
	} else {
		b.WriteString("(?s)^")
	}
	var cols []parseCol
	for i, part := range op.Pattern {
		switch {
		case part.Lit != nil:
			s, err := token.Unquote(part.Lit.Value)
			if err != nil {
				return nil, nil, errorf(part.Pos(), op.Word, "bad string: %v", err)
			}
			if kind == "regex" {
				b.WriteString("(?:" + s + ")")
			} else {
				b.WriteString(regexp.QuoteMeta(s))
			}
		case part.Col != nil:
			t := types.String
			if part.Type != nil {
				var ok bool
				if t, ok = types.Lookup(part.Type.Name); !ok {
					return nil, nil, errorf(part.Type.Pos(), op.Word, "unknown type %s", part.Type.Name)
				}
			}
			last := i == len(op.Pattern)-1
			nextStar := !last && op.Pattern[i+1].Lit == nil && op.Pattern[i+1].Col == nil
			fmt.Fprintf(&b, "(?P<c%d>%s)", len(cols), parseColRegex(t, kind, last, nextStar))
			cols = append(cols, parseCol{name: part.Col.Name, typ: t})
		default:
			b.WriteString(".*?")
		}
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, nil, errorf(op.Pos(), op.Word, "bad pattern: %v", err)
	}
	for k := range cols {
		cols[k].group = re.SubexpIndex(fmt.Sprintf("c%d", k))
	}
	return re, cols, nil
}

// parseColRegex is what a column of type t matches: the spelling of its
// type where one is needed to find the column's end, else any text.
func parseColRegex(t types.Type, kind string, last, nextStar bool) string {
	if kind == "regex" || nextStar || last {
		switch t {
		case types.Int, types.Long:
			return `-?\d+`
		case types.Real, types.Decimal:
			return `-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`
		case types.Bool:
			return `(?i:true|false)`
		}
	}
	if kind == "regex" || last {
		return ".*"
	}
	return ".*?"
}

type parsePlan struct {
	in      plan
	src     expr
	re      *regexp.Regexp
	cols    []parseCol
	relaxed bool
	where   bool
	s       *types.Schema
	// outs[j] is the pattern column of output column j, or -1-i for input
	// column i.
	outs []int
}

func (p *parsePlan) schema() *types.Schema { return p.s }

func (p *parsePlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	s, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	return &parseStream{p: p, in: s, rt: rt}, nil
}

type parseStream struct {
	p  *parsePlan
	in Stream
	rt *runtime
}

func (s *parseStream) Schema() *types.Schema { return s.p.s }

func (s *parseStream) Next(ctx context.Context) (*Batch, error) {
	p := s.p
	for {
		b, err := s.in.Next(ctx)
		if err != nil {
			return nil, err
		}
		src, err := p.src.eval(s.rt, b)
		if err != nil {
			return nil, err
		}
		cols := make([]*value.Column, len(p.cols))
		for k, col := range p.cols {
			cols[k] = value.NewColumn(col.typ, b.N)
		}
		var keep []int
		vals := make([]value.Value, len(p.cols))
		for i := 0; i < b.N; i++ {
			if !p.match(stringOf(src, i), vals) {
				if p.where {
					continue
				}
				for k, col := range p.cols {
					vals[k] = value.Null(col.typ)
				}
			}
			keep = append(keep, i)
			for k := range p.cols {
				cols[k].Append(vals[k])
			}
		}
		if len(keep) == 0 {
			continue
		}
		in := b
		if len(keep) < b.N {
			in = b.Gather(keep)
		}
		out := &Batch{Schema: p.s, Cols: make([]*value.Column, len(p.outs)), N: len(keep)}
		for j, o := range p.outs {
			if o >= 0 {
				out.Cols[j] = cols[o]
			} else {
				out.Cols[j] = plannedCol(in, p.in.schema(), -1-o)
			}
		}
		return out, nil
	}
}

// stringOf returns row i of c as parse sees it: strings as they are,
// other values as tostring() formats them.
func stringOf(c *value.Column, i int) string {
	if c.Type == types.String {
		return c.Strs[i]
	}
	return c.Value(i).String()
}

// match matches s, filling vals; false when the row fails (no match, or
// a value that does not convert outside relaxed mode).
func (p *parsePlan) match(s string, vals []value.Value) bool {
	m := p.re.FindStringSubmatchIndex(s)
	if m == nil {
		return false
	}
	for k, col := range p.cols {
		g := col.group
		text := ""
		if m[2*g] >= 0 {
			text = s[m[2*g]:m[2*g+1]]
		}
		v, ok := convertParsed(text, col.typ)
		if !ok {
			if !p.relaxed {
				return false
			}
			v = value.Null(col.typ)
		}
		vals[k] = v
	}
	return true
}

// convertParsed converts matched text to a column type.
func convertParsed(text string, t types.Type) (value.Value, bool) {
	if t == types.String {
		return value.OfString(text), true
	}
	s := strings.TrimSpace(text)
	switch t {
	case types.Int, types.Long:
		i, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
		if err != nil {
			return value.Value{}, false
		}
		if t == types.Int {
			return value.OfInt(i), true
		}
		return value.OfLong(i), true
	case types.Real, types.Decimal:
		f, ok := parseReal(s)
		return value.Value{Type: t, F: f}, ok
	case types.Bool:
		switch strings.ToLower(s) {
		case "true", "1":
			return value.OfBool(true), true
		case "false", "0":
			return value.OfBool(false), true
		}
	case types.Datetime:
		d, ok := value.ParseDatetime(s)
		return value.OfDatetime(d), ok
	case types.Timespan:
		ts, ok := value.ParseTimespan(s)
		return value.OfTimespan(ts), ok
	case types.Guid:
		if isGuidText(s) {
			return value.OfGuid(s), true
		}
	case types.Dynamic:
		if d, err := value.ParseJSON(s); err == nil {
			return value.OfDynamic(d), true
		}
		return value.OfDynamic(text), true
	}
	return value.Value{}, false
}

// isGuidText reports whether s spells a guid (8-4-4-4-12 hex digits).
func isGuidText(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}
