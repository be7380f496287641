package engine

// This file implements reduce: grouping strings by similarity into
// patterns (Pattern, Count, Representative), or with kind=source adding
// each row's Pattern.
//
// The algorithm follows the documentation's description, after Vaarandi's
// log-clustering idea: each value is split into terms at the separator
// characters (by default every character that is not an ASCII letter or
// digit); a term stays literal in the pattern when it appears at its
// position in at least (1 - threshold) of the rows, and becomes a * wildcard
// otherwise. A smaller threshold therefore makes fewer, more general
// groups, as documented. Separators next to a wildcard are dropped unless
// they hold a blank ("MachineLearningX4" with characters="X" gives
// "MachineLearning*", "One -on- One" gives "* -on- *"). Values whose pattern
// is a lone wildcard are counted in the group "others", which has no
// representative. Groups are ordered by count, largest first.

import (
	"sort"
	"strings"
	"unicode"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerOp(compileReduce)
}

// reduceOptions are reduce's parameters.
type reduceOptions struct {
	threshold float64
	seps      string // "" for the default separators
	source    bool
}

func compileReduce(c *compiler, op *ast.ReduceOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	opts, err := c.reduceOptions(op, sc)
	if err != nil {
		return nil, err
	}
	ins := in.schema()
	x, err := c.expr(op.X, ins, sc)
	if err != nil {
		return nil, err
	}
	if opts.source {
		s := ins.Clone()
		s.Columns = append(s.Columns, types.Column{Name: "Pattern", Type: types.String})
		return &wholePlan{in: in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
			vals, err := reduceInput(rt, x, b)
			if err != nil {
				return nil, err
			}
			pats := reducePatterns(vals, opts)
			out := &Batch{Schema: s, Cols: append(append([]*value.Column(nil), b.Cols...), value.NewColumn(types.String, b.N)), N: b.N}
			for _, p := range pats {
				out.Cols[len(b.Cols)].Append(value.OfString(p))
			}
			return out, nil
		}}, nil
	}
	s := &types.Schema{Columns: []types.Column{
		{Name: "Pattern", Type: types.String}, {Name: "Count", Type: types.Long},
		{Name: "Representative", Type: types.String},
	}}
	return &wholePlan{in: in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		vals, err := reduceInput(rt, x, b)
		if err != nil {
			return nil, err
		}
		return reduceGroups(s, vals, reducePatterns(vals, opts)), nil
	}}, nil
}

// reduceOptions reads kind=source, threshold= and characters=.
func (c *compiler) reduceOptions(op *ast.ReduceOp, sc *scope) (reduceOptions, error) {
	opts := reduceOptions{threshold: 0.1}
	for _, p := range op.Params {
		id, ok := p.Value.(*ast.Ident)
		if p.Name.Name != "kind" || !ok || id.Name != "source" {
			return opts, errorf(p.Pos(), op.Word, "the only kind is source")
		}
		opts.source = true
	}
	for _, p := range op.Options {
		v, err := c.constant(p.Value, sc)
		if err != nil {
			return opts, err
		}
		switch p.Name.Name {
		case "threshold":
			r := value.Convert(v, types.Real)
			if r.IsNull() || r.F < 0 || r.F > 1 {
				return opts, errorf(p.Pos(), op.Word, "threshold must be a number between 0 and 1")
			}
			opts.threshold = r.F
		case "characters":
			opts.seps = v.String()
		}
	}
	return opts, nil
}

// reduceInput evaluates the reduced expression as strings.
func reduceInput(rt *runtime, x expr, b *Batch) ([]string, error) {
	col, err := x.eval(rt, b)
	if err != nil {
		return nil, err
	}
	vals := make([]string, b.N)
	for i := range vals {
		if !col.IsNull(i) {
			vals[i] = col.Value(i).String()
		}
	}
	return vals, nil
}

// reduceTerms splits s into terms and the separator runs before each term
// (seps[i] precedes terms[i]; tail follows the last term).
func reduceTerms(s, chars string) (terms, seps []string, tail string) {
	isSep := func(r rune) bool {
		if chars != "" {
			return strings.ContainsRune(chars, r)
		}
		return r > unicode.MaxASCII || !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}
	var sep, term strings.Builder
	for _, r := range s {
		if isSep(r) {
			if term.Len() > 0 {
				terms, seps = append(terms, term.String()), append(seps, sep.String())
				term.Reset()
				sep.Reset()
			}
			sep.WriteRune(r)
			continue
		}
		term.WriteRune(r)
	}
	if term.Len() > 0 {
		terms, seps = append(terms, term.String()), append(seps, sep.String())
		sep.Reset()
	}
	return terms, seps, sep.String()
}

// reducePatterns computes each value's pattern ("others" for a value
// with no literal term).
func reducePatterns(vals []string, opts reduceOptions) []string {
	type posTerm struct {
		pos  int
		term string
	}
	counts := map[posTerm]int{}
	split := make([][3]any, len(vals))
	for i, v := range vals {
		terms, seps, tail := reduceTerms(v, opts.seps)
		split[i] = [3]any{terms, seps, tail}
		for p, t := range terms {
			counts[posTerm{p, t}]++
		}
	}
	need := (1 - opts.threshold) * float64(len(vals))
	pats := make([]string, len(vals))
	for i := range vals {
		terms, seps, tail := split[i][0].([]string), split[i][1].([]string), split[i][2].(string)
		var b strings.Builder
		literal, wild := false, false
		for p, t := range terms {
			keep := float64(counts[posTerm{p, t}]) >= need
			switch {
			case keep:
				if !wild || strings.ContainsAny(seps[p], " \t") {
					b.WriteString(seps[p])
				}
				b.WriteString(t)
				literal, wild = true, false
			case !wild:
				if strings.ContainsAny(seps[p], " \t") {
					b.WriteString(seps[p])
				}
				b.WriteByte('*')
				wild = true
			}
		}
		if !wild || strings.ContainsAny(tail, " \t") {
			b.WriteString(tail)
		}
		if literal {
			pats[i] = b.String()
		} else {
			pats[i] = "others"
		}
	}
	return pats
}

// reduceGroups counts the patterns: one row per pattern, largest first,
// with the first value of each as its representative.
func reduceGroups(s *types.Schema, vals, pats []string) *Batch {
	type group struct {
		pattern, rep string
		n, first     int
	}
	byPat := map[string]*group{}
	var groups []*group
	for i, p := range pats {
		g, ok := byPat[p]
		if !ok {
			g = &group{pattern: p, rep: vals[i], first: i}
			if p == "others" {
				g.rep = ""
			}
			byPat[p] = g
			groups = append(groups, g)
		}
		g.n++
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].n > groups[j].n })
	out := NewBatch(s, len(groups))
	for _, g := range groups {
		out.Cols[0].Append(value.OfString(g.pattern))
		out.Cols[1].Append(value.OfLong(int64(g.n)))
		out.Cols[2].Append(value.OfString(g.rep))
	}
	out.N = len(groups)
	return out
}
