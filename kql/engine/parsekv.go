package engine

// This file implements parse-kv: key/value pairs are read out of a
// string into typed columns, one per listed key (the first appearance of
// a key wins; a missing key or a value that does not convert is null).
// Pairs are found with given delimiters (pair_delimiter, kv_delimiter,
// quote, escape, greedy), with a regex of two groups (key, value), or,
// with neither, by treating every non-alphanumeric character as a
// delimiter.

import (
	"context"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileParseKV) }

// kvOptions are the with (…) properties of parse-kv.
type kvOptions struct {
	pairDelim, kvDelim string
	quotes             [][2]rune
	escapes            []rune
	greedy             bool
	re                 *regexp.Regexp
}

func compileParseKV(c *compiler, op *ast.ParseKVOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	src, err := c.expr(op.X, in.schema(), sc)
	if err != nil {
		return nil, err
	}
	keys, err := declSchema(op.Cols, op.Word)
	if err != nil {
		return nil, err
	}
	for i, d := range op.Cols {
		if d.Type == nil {
			keys.Columns[i].Type = types.String
		}
	}
	o := &kvOptions{}
	for _, p := range op.Props {
		v, err := c.constValue(p.Value, sc)
		if err != nil {
			return nil, err
		}
		text := v.String()
		switch strings.ToLower(p.Name.Name) {
		case "pair_delimiter":
			o.pairDelim = text
		case "kv_delimiter":
			o.kvDelim = text
		case "quote":
			r := []rune(text)
			switch len(r) {
			case 1:
				o.quotes = append(o.quotes, [2]rune{r[0], r[0]})
			case 2:
				o.quotes = append(o.quotes, [2]rune{r[0], r[1]})
			default:
				return nil, errorf(p.Pos(), op.Word, "quote must be one or two characters")
			}
		case "escape":
			r := []rune(text)
			if len(r) != 1 {
				return nil, errorf(p.Pos(), op.Word, "escape must be one character")
			}
			o.escapes = append(o.escapes, r[0])
		case "greedy":
			o.greedy = v.Type == types.Bool && v.B
		case "regex":
			re, err := regexp.Compile(text)
			if err != nil {
				return nil, errorf(p.Pos(), op.Word, "bad regex: %v", err)
			}
			if re.NumSubexp() != 2 {
				return nil, errorf(p.Pos(), op.Word, "regex must have exactly two groups: the key and the value")
			}
			o.re = re
		default:
			return nil, errorf(p.Pos(), op.Word, "unknown property %s", p.Name.Name)
		}
	}
	if (o.pairDelim == "") != (o.kvDelim == "") {
		return nil, errorf(op.Pos(), op.Word, "pair_delimiter and kv_delimiter go together")
	}
	p := &parseKVPlan{in: in, src: src, keys: keys, opts: o, s: in.schema().Clone()}
	for _, k := range keys.Columns {
		if p.s.Index(k.Name) >= 0 {
			return nil, errorf(op.Pos(), op.Word, "column %s already exists", k.Name)
		}
		p.s.Columns = append(p.s.Columns, k)
	}
	return p, nil
}

type parseKVPlan struct {
	in   plan
	src  expr
	keys *types.Schema
	opts *kvOptions
	s    *types.Schema
}

func (p *parseKVPlan) schema() *types.Schema { return p.s }

func (p *parseKVPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	in, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	return &mapStream{in: in, s: p.s, f: func(b *Batch) (*Batch, error) { return p.apply(rt, b) }}, nil
}

func (p *parseKVPlan) apply(rt *runtime, b *Batch) (*Batch, error) {
	src, err := p.src.eval(rt, b)
	if err != nil {
		return nil, err
	}
	ins := p.in.schema()
	out := &Batch{Schema: p.s, N: b.N}
	for i := range ins.Columns {
		out.Cols = append(out.Cols, plannedCol(b, ins, i))
	}
	cols := make([]*value.Column, len(p.keys.Columns))
	want := map[string]int{}
	for k, col := range p.keys.Columns {
		cols[k] = value.NewColumn(col.Type, b.N)
		want[col.Name] = k
	}
	found := make([]string, len(cols))
	seen := make([]bool, len(cols))
	for i := 0; i < b.N; i++ {
		clear(seen)
		p.opts.pairs(stringOf(src, i), want, func(k int, v string) {
			if !seen[k] {
				seen[k], found[k] = true, v
			}
		})
		for k, col := range p.keys.Columns {
			if !seen[k] {
				cols[k].AppendNull()
				continue
			}
			v, ok := convertParsed(found[k], col.Type)
			if !ok {
				v = value.Null(col.Type)
			}
			cols[k].Append(v)
		}
	}
	out.Cols = append(out.Cols, cols...)
	return out, nil
}

// pairs calls f for each pair of s whose key is wanted, in order.
func (o *kvOptions) pairs(s string, want map[string]int, f func(k int, v string)) {
	emit := func(key, val string) {
		if k, ok := want[o.unquote(strings.TrimSpace(key))]; ok {
			f(k, o.unquote(strings.TrimSpace(val)))
		}
	}
	switch {
	case o.re != nil:
		for _, m := range o.re.FindAllStringSubmatch(s, -1) {
			emit(m[1], m[2])
		}
	case o.pairDelim != "":
		o.delimitedPairs(s, emit)
	default:
		o.loosePairs(s, emit)
	}
}

// delimitedPairs splits s into pairs at pair delimiters outside quotes,
// and each pair at its first key/value delimiter. In greedy mode a piece
// without a key/value delimiter belongs to the previous value.
func (o *kvOptions) delimitedPairs(s string, emit func(key, val string)) {
	pieces := o.splitQuoted(s, o.pairDelim)
	var key, val string
	have := false
	for _, piece := range pieces {
		k, v, ok := o.cutQuoted(piece, o.kvDelim)
		switch {
		case ok:
			if have {
				emit(key, val)
			}
			key, val, have = k, v, true
		case o.greedy && have:
			val += o.pairDelim + piece
		}
	}
	if have {
		emit(key, val)
	}
}

// loosePairs reads pairs when any non-alphanumeric character delimits: a
// key is a run of letters and digits (or a quoted string), its value the
// next such run or quoted string.
func (o *kvOptions) loosePairs(s string, emit func(key, val string)) {
	var tokens []string
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if closeQ, ok := o.opening(r); ok {
			j := o.quotedEnd(s, i+w, closeQ)
			tokens = append(tokens, s[i:j])
			i = j
			continue
		}
		if isWordRune(r) {
			j := i
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) {
					break
				}
				j += w2
			}
			tokens = append(tokens, s[i:j])
			i = j
			continue
		}
		i += w
	}
	for t := 0; t+1 < len(tokens); t++ {
		emit(tokens[t], tokens[t+1])
	}
}

func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// opening reports whether r opens a quote, and its closing character.
func (o *kvOptions) opening(r rune) (rune, bool) {
	for _, q := range o.quotes {
		if q[0] == r {
			return q[1], true
		}
	}
	return 0, false
}

func (o *kvOptions) isEscape(r rune) bool {
	for _, e := range o.escapes {
		if e == r {
			return true
		}
	}
	return false
}

// quotedEnd returns the index just past the closing quote of a quoted
// string whose contents start at i (or len(s) when it never closes).
func (o *kvOptions) quotedEnd(s string, i int, closeQ rune) int {
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if o.isEscape(r) && i+w < len(s) {
			_, w2 := utf8.DecodeRuneInString(s[i+w:])
			i += w + w2
			continue
		}
		i += w
		if r == closeQ {
			return i
		}
	}
	return len(s)
}

// splitQuoted splits s at sep outside quoted strings.
func (o *kvOptions) splitQuoted(s, sep string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if closeQ, ok := o.opening(r); ok {
			i = o.quotedEnd(s, i+w, closeQ)
			continue
		}
		if strings.HasPrefix(s[i:], sep) {
			out = append(out, s[start:i])
			i += len(sep)
			start = i
			continue
		}
		i += w
	}
	return append(out, s[start:])
}

// cutQuoted cuts s at the first sep outside quoted strings.
func (o *kvOptions) cutQuoted(s, sep string) (before, after string, found bool) {
	parts := o.splitQuoted(s, sep)
	if len(parts) < 2 {
		return s, "", false
	}
	return parts[0], s[len(parts[0])+len(sep):], true
}

// unquote removes one pair of quotes around s and the escapes inside.
func (o *kvOptions) unquote(s string) string {
	r, w := utf8.DecodeRuneInString(s)
	closeQ, ok := o.opening(r)
	if !ok || len(s) < 2 {
		return s
	}
	end := o.quotedEnd(s, w, closeQ)
	inner := s[w:end]
	if lr, lw := utf8.DecodeLastRuneInString(inner); lr == closeQ {
		inner = inner[:len(inner)-lw]
	}
	if len(o.escapes) == 0 {
		return inner
	}
	var b strings.Builder
	for i := 0; i < len(inner); {
		r, w := utf8.DecodeRuneInString(inner[i:])
		if o.isEscape(r) && i+w < len(inner) {
			i += w
			r, w = utf8.DecodeRuneInString(inner[i:])
		}
		b.WriteRune(r)
		i += w
	}
	return b.String()
}
