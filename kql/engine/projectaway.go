package engine

// This file implements the operators that only choose, rename or reorder
// columns: project-away, project-keep, project-rename and
// project-reorder. Names may be wildcard patterns (Col*, *Id).

import (
	"context"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerOp(compileProjectAway)
	registerOp(compileProjectRename)
	registerOp(compileProjectReorder)
}

// compileProjectAway compiles project-away (drop the named columns) and
// project-keep (keep only them), both keeping the input's column order.
func compileProjectAway(c *compiler, op *ast.ProjectAwayOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	s := in.schema()
	named := make([]bool, len(s.Columns))
	for _, id := range op.Cols {
		hits := matchColumns(s, id.Name)
		if len(hits) == 0 && !isPattern(id.Name) && !s.Open {
			return nil, errorf(id.Pos(), op.Word, "unknown column %s", id.Name)
		}
		for _, i := range hits {
			named[i] = true
		}
	}
	keep := op.Word == "project-keep"
	var idx []int
	for i := range s.Columns {
		if named[i] == keep {
			idx = append(idx, i)
		}
	}
	return newSelectPlan(in, idx, nil), nil
}

func compileProjectRename(c *compiler, op *ast.ProjectRenameOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	s := in.schema()
	names := s.Names()
	for _, cd := range op.Cols {
		old, ok := cd.X.(*ast.Ident)
		if !ok || len(cd.Names) != 1 {
			return nil, errorf(cd.Pos(), op.Word, "expected NewName = ExistingName")
		}
		i := s.Index(old.Name)
		if i < 0 {
			return nil, errorf(old.Pos(), op.Word, "unknown column %s", old.Name)
		}
		names[i] = cd.Names[0].Name
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			return nil, errorf(op.Pos(), op.Word, "column %s would appear twice", n)
		}
		seen[n] = true
	}
	idx := make([]int, len(names))
	for i := range idx {
		idx[i] = i
	}
	return newSelectPlan(in, idx, names), nil
}

func compileProjectReorder(c *compiler, op *ast.ProjectReorderOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	s := in.schema()
	placed := make([]bool, len(s.Columns))
	var idx []int
	for _, k := range op.Cols {
		id, ok := k.X.(*ast.Ident)
		if !ok {
			return nil, errorf(k.Pos(), op.Word, "expected a column name or pattern")
		}
		var hits []int
		for _, i := range matchColumns(s, id.Name) {
			if !placed[i] {
				hits = append(hits, i)
				placed[i] = true
			}
		}
		if len(hits) == 0 && !isPattern(id.Name) && s.Index(id.Name) < 0 && !s.Open {
			return nil, errorf(id.Pos(), op.Word, "unknown column %s", id.Name)
		}
		sortColumnsByName(s, hits, k.Order)
		idx = append(idx, hits...)
	}
	for i := range s.Columns {
		if !placed[i] {
			idx = append(idx, i)
		}
	}
	return newSelectPlan(in, idx, nil), nil
}

// sortColumnsByName orders column positions by name: asc/desc by string,
// granny-asc/granny-desc comparing digit runs as numbers.
func sortColumnsByName(s *types.Schema, idx []int, order string) {
	less := func(a, b string) bool { return a < b }
	if strings.HasPrefix(order, "granny") {
		less = naturalLess
	}
	desc := strings.HasSuffix(order, "desc")
	if order == "" {
		return
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := s.Columns[idx[i]].Name, s.Columns[idx[j]].Name
		if desc {
			return less(b, a)
		}
		return less(a, b)
	})
}

// naturalLess compares strings with runs of digits compared as numbers.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// isPattern reports whether a name is a wildcard pattern.
func isPattern(name string) bool { return strings.Contains(name, "*") }

// matchColumns returns the positions of the columns a name or pattern
// matches, in schema order.
func matchColumns(s *types.Schema, pattern string) []int {
	if !isPattern(pattern) {
		if i := s.Index(pattern); i >= 0 {
			return []int{i}
		}
		return nil
	}
	var out []int
	for i, c := range s.Columns {
		if wildcardMatch(pattern, c.Name) {
			out = append(out, i)
		}
	}
	return out
}

// wildcardMatch reports whether name matches pattern, where * matches
// any run of characters (case-sensitive, as column and table names are).
func wildcardMatch(pattern, name string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == name
	}
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(name, p)
		if i < 0 {
			return false
		}
		name = name[i+len(p):]
	}
	return len(name) >= len(last) && strings.HasSuffix(name, last)
}

// selectPlan passes chosen input columns through, possibly renamed,
// without copying data.
type selectPlan struct {
	in  plan
	s   *types.Schema
	idx []int
}

// newSelectPlan selects the input columns at idx; names, when given,
// renames them (names[k] names output column k).
func newSelectPlan(in plan, idx []int, names []string) *selectPlan {
	inS := in.schema()
	s := &types.Schema{Open: inS.Open}
	for k, i := range idx {
		col := inS.Columns[i]
		if names != nil {
			col.Name = names[k]
		}
		s.Columns = append(s.Columns, col)
	}
	return &selectPlan{in: in, s: s, idx: idx}
}

func (p *selectPlan) schema() *types.Schema { return p.s }

func (p *selectPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	s, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	return &selectStream{in: s, p: p}, nil
}

type selectStream struct {
	in Stream
	p  *selectPlan
}

func (s *selectStream) Schema() *types.Schema { return s.p.s }

func (s *selectStream) Next(ctx context.Context) (*Batch, error) {
	b, err := s.in.Next(ctx)
	if err != nil {
		return nil, err
	}
	return selectBatch(b, s.p.in.schema(), s.p.s, s.p.idx), nil
}

// selectBatch picks columns idx (positions in planned, the schema the
// plan was compiled against) out of b. A batch of an open schema may
// order or lack columns differently; they are then found by name.
func selectBatch(b *Batch, planned, out *types.Schema, idx []int) *Batch {
	res := &Batch{Schema: out, Cols: make([]*value.Column, len(idx)), N: b.N}
	sameLayout := b.Schema == planned || len(b.Cols) == len(planned.Columns) && !planned.Open
	for k, i := range idx {
		if sameLayout {
			res.Cols[k] = b.Cols[i]
			continue
		}
		if col := b.Col(planned.Columns[i].Name); col != nil {
			res.Cols[k] = col
		} else {
			res.Cols[k] = value.NullColumn(planned.Columns[i].Type, b.N)
		}
	}
	return res
}
