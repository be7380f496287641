package engine

// This file implements join: a hash join that reads the right side into a
// hash table on its key columns and streams the left side through it.
// Kinds: innerunique (the default: one left row per key), inner,
// leftouter, rightouter, fullouter, leftsemi, leftanti (anti,
// leftantisemi), rightsemi, rightanti (rightantisemi). Null keys never
// match. The output has the left columns, then the right ones, a right
// column whose name is taken getting the suffix 1 (Key1); semi and anti
// joins keep one side's columns only. hint.* options are accepted and
// ignored.

import (
	"context"
	"io"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileJoin) }

type joinKind uint8

const (
	joinInnerUnique joinKind = iota
	joinInner
	joinLeftOuter
	joinRightOuter
	joinFullOuter
	joinLeftSemi
	joinLeftAnti
	joinRightSemi
	joinRightAnti
)

var joinKinds = map[string]joinKind{
	"innerunique": joinInnerUnique, "inner": joinInner,
	"leftouter": joinLeftOuter, "rightouter": joinRightOuter, "fullouter": joinFullOuter,
	"leftsemi": joinLeftSemi, "leftanti": joinLeftAnti, "anti": joinLeftAnti, "leftantisemi": joinLeftAnti,
	"rightsemi": joinRightSemi, "rightanti": joinRightAnti, "rightantisemi": joinRightAnti,
}

// keepsLeft and keepsRight say which sides' columns a kind outputs.
func (k joinKind) keepsLeft() bool  { return k != joinRightSemi && k != joinRightAnti }
func (k joinKind) keepsRight() bool { return k != joinLeftSemi && k != joinLeftAnti }

func compileJoin(c *compiler, op *ast.JoinOp, in plan, sc *scope) (plan, error) {
	left, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	kind := joinInnerUnique
	for _, p := range op.Params {
		if p.Name.Name == "kind" {
			k, ok := joinKinds[strings.ToLower(paramText(p))]
			if !ok {
				return nil, errorf(p.Value.Pos(), op.Word, "unknown join kind %s", paramText(p))
			}
			kind = k
		}
	}
	right, err := c.tableExpr(op.Right, sc)
	if err != nil {
		return nil, err
	}
	keys, err := joinKeys(op.Word, op.On, op.Conds, left.schema(), right.schema())
	if err != nil {
		return nil, err
	}
	return newJoinPlan(kind, left, right, keys, nil)
}

// keyPair is one equality condition: left column lc equals right column rc.
type keyPair struct {
	lc, rc int
	class  keyClass
}

// joinKeys resolves join or lookup conditions: "Col", "$left.A ==
// $right.B" (either order), combined with "," or "and".
func joinKeys(what string, on token.Pos, conds []ast.Expr, ls, rs *types.Schema) ([]keyPair, error) {
	if len(conds) == 0 {
		return nil, errorf(on, what, "needs an on clause naming the key columns")
	}
	var keys []keyPair
	var walk func(e ast.Expr) error
	walk = func(e ast.Expr) error {
		switch e := e.(type) {
		case *ast.ParenExpr:
			return walk(e.X)
		case *ast.Ident:
			return addKey(&keys, what, e, e.Name, e.Name, ls, rs)
		case *ast.BinaryExpr:
			switch e.Op {
			case token.AND:
				if err := walk(e.X); err != nil {
					return err
				}
				return walk(e.Y)
			case token.EQL:
				a, aSide := sideColumn(e.X)
				b, bSide := sideColumn(e.Y)
				switch {
				case aSide == "$left" && bSide == "$right":
					return addKey(&keys, what, e, a, b, ls, rs)
				case aSide == "$right" && bSide == "$left":
					return addKey(&keys, what, e, b, a, ls, rs)
				}
			}
		}
		return errorf(e.Pos(), what, "a condition must be a column name or $left.Column == $right.Column")
	}
	for _, e := range conds {
		if err := walk(e); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// sideColumn splits $left.Col or $right.Col.
func sideColumn(e ast.Expr) (col, side string) {
	s, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", ""
	}
	id, ok := s.X.(*ast.Ident)
	if !ok || id.Name != "$left" && id.Name != "$right" {
		return "", ""
	}
	return s.Sel.Name, id.Name
}

func addKey(keys *[]keyPair, what string, at ast.Expr, lname, rname string, ls, rs *types.Schema) error {
	lc, rc := ls.Index(lname), rs.Index(rname)
	if lc < 0 {
		return errorf(at.Pos(), what, "left side has no column %s", lname)
	}
	if rc < 0 {
		return errorf(at.Pos(), what, "right side has no column %s", rname)
	}
	lt, rt := ls.Columns[lc].Type, rs.Columns[rc].Type
	class, ok := keyClassOf(lt, rt)
	if !ok {
		return errorf(at.Pos(), what, "key %s is %s on the left but %s on the right", lname, lt, rt)
	}
	*keys = append(*keys, keyPair{lc: lc, rc: rc, class: class})
	return nil
}

// joinOut says where an output column comes from.
type joinOut struct {
	right bool
	idx   int
}

type joinPlan struct {
	kind        joinKind
	left, right plan
	keys        []keyPair
	s           *types.Schema
	outs        []joinOut
}

// newJoinPlan builds a join; dropRight lists right columns left out of
// the output (lookup's keys).
func newJoinPlan(kind joinKind, left, right plan, keys []keyPair, dropRight map[int]bool) (*joinPlan, error) {
	p := &joinPlan{kind: kind, left: left, right: right, keys: keys, s: &types.Schema{}}
	ls, rs := left.schema(), right.schema()
	taken := map[string]bool{}
	if kind.keepsLeft() {
		for i, col := range ls.Columns {
			p.s.Columns = append(p.s.Columns, col)
			p.outs = append(p.outs, joinOut{idx: i})
			taken[col.Name] = true
		}
	}
	if kind.keepsRight() {
		for _, col := range rs.Columns {
			if !taken[col.Name] {
				taken[col.Name] = true
			}
		}
		for i, col := range rs.Columns {
			if dropRight[i] {
				continue
			}
			if kind.keepsLeft() && ls.Index(col.Name) >= 0 {
				col.Name = uniqueName(col.Name, taken)
				taken[col.Name] = true
			}
			p.s.Columns = append(p.s.Columns, col)
			p.outs = append(p.outs, joinOut{right: true, idx: i})
		}
	}
	p.s.Open = ls.Open && kind.keepsLeft() || rs.Open && kind.keepsRight()
	return p, nil
}

func (p *joinPlan) schema() *types.Schema { return p.s }

func (p *joinPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	rs, err := p.right.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	rb, err := Collect(ctx, rs)
	if err != nil {
		return nil, err
	}
	rcols := make([]*value.Column, len(p.keys))
	for k, kp := range p.keys {
		rcols[k] = plannedCol(rb, p.right.schema(), kp.rc)
	}
	ls, err := p.left.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	s := &joinStream{p: p, left: ls, rb: rb, ht: buildHash(p.keys, rcols, rb.N)}
	switch p.kind {
	case joinRightOuter, joinFullOuter, joinRightSemi, joinRightAnti:
		s.matched = make([]bool, rb.N)
	case joinInnerUnique:
		s.used = make([]bool, rb.N)
	}
	return s, nil
}

// plannedCol returns the column of b at position i of the schema the plan
// was compiled against; a batch of an open schema is searched by name.
func plannedCol(b *Batch, planned *types.Schema, i int) *value.Column {
	if b.Schema == planned || !planned.Open && len(b.Cols) == len(planned.Columns) {
		return b.Cols[i]
	}
	if c := b.Col(planned.Columns[i].Name); c != nil {
		return c
	}
	return value.NullColumn(planned.Columns[i].Type, b.N)
}

type joinStream struct {
	p       *joinPlan
	left    Stream
	rb      *Batch
	ht      *hashTable
	matched []bool // right rows that found a left row
	used    []bool // innerunique: key chains (by head row) already joined

	lb    *Batch // the left batch being probed
	probe keyReader
	li    int   // next left row
	chain int32 // next right row of the current left row's chain, or -1

	lidx, ridx []int
	tail       int  // next right row to consider after the left side ends
	leftDone   bool //
}

func (s *joinStream) Schema() *types.Schema { return s.p.s }

func (s *joinStream) Next(ctx context.Context) (*Batch, error) {
	for !s.leftDone {
		if s.lb == nil {
			b, err := s.left.Next(ctx)
			if err == io.EOF {
				s.leftDone = true
				break
			}
			if err != nil {
				return nil, err
			}
			s.lb, s.li, s.chain = b, 0, -1
			cols := make([]*value.Column, len(s.p.keys))
			for k, kp := range s.p.keys {
				cols[k] = plannedCol(b, s.p.left.schema(), kp.lc)
			}
			s.probe = newKeyReader(s.p.keys, cols)
		}
		lb := s.lb
		s.lidx, s.ridx = s.lidx[:0], s.ridx[:0]
		if s.probeBatch() {
			s.lb = nil
		}
		if len(s.lidx) > 0 {
			return s.emit(lb, s.lidx, s.ridx), nil
		}
	}
	return s.emitTail()
}

// probeBatch matches rows of the current left batch, stopping once a
// batch of output pairs is full; it reports whether the batch is done.
func (s *joinStream) probeBatch() bool {
	kind, next, n := s.p.kind, s.ht.next, s.lb.N
	for ; s.li < n; s.li++ {
		r := s.chain
		if r < 0 {
			r = s.ht.lookup(&s.probe, s.li)
			switch kind {
			case joinLeftSemi:
				if r >= 0 {
					s.lidx = append(s.lidx, s.li)
				}
				continue
			case joinLeftAnti:
				if r < 0 {
					s.lidx = append(s.lidx, s.li)
				}
				continue
			case joinLeftOuter, joinFullOuter:
				if r < 0 {
					s.lidx, s.ridx = append(s.lidx, s.li), append(s.ridx, -1)
					continue
				}
			case joinInnerUnique:
				if r < 0 || s.used[r] {
					continue
				}
				s.used[r] = true
			}
		}
		switch kind {
		case joinRightSemi, joinRightAnti:
			for ; r >= 0; r = next[r] {
				s.matched[r] = true
			}
			continue
		}
		for ; r >= 0; r = next[r] {
			if len(s.lidx) >= BatchSize {
				s.chain = r
				return false
			}
			s.lidx, s.ridx = append(s.lidx, s.li), append(s.ridx, int(r))
			if s.matched != nil {
				s.matched[r] = true
			}
		}
		s.chain = -1
	}
	return true
}

// emit gathers the output rows for pairs of left and right rows (-1 for a
// missing side).
func (s *joinStream) emit(lb *Batch, lidx, ridx []int) *Batch {
	p := s.p
	out := &Batch{Schema: p.s, Cols: make([]*value.Column, len(p.outs)), N: len(lidx)}
	if ridx == nil {
		ridx = lidx
	}
	for j, o := range p.outs {
		if o.right {
			out.Cols[j] = plannedCol(s.rb, p.right.schema(), o.idx).Gather(ridx)
		} else if lb == nil {
			out.Cols[j] = value.NullColumn(p.s.Columns[j].Type, len(lidx))
		} else {
			out.Cols[j] = plannedCol(lb, p.left.schema(), o.idx).Gather(lidx)
		}
	}
	return out
}

// emitTail produces the right rows owed after the left side ended: the
// unmatched ones of outer joins, the matched or unmatched ones of right
// semi and anti joins.
func (s *joinStream) emitTail() (*Batch, error) {
	var want bool
	switch s.p.kind {
	case joinRightOuter, joinFullOuter, joinRightAnti:
		want = false
	case joinRightSemi:
		want = true
	default:
		return nil, io.EOF
	}
	s.ridx = s.ridx[:0]
	for ; s.tail < s.rb.N && len(s.ridx) < BatchSize; s.tail++ {
		if s.matched[s.tail] == want {
			s.ridx = append(s.ridx, s.tail)
		}
	}
	if len(s.ridx) == 0 {
		return nil, io.EOF
	}
	return s.emit(nil, s.ridx, s.ridx), nil
}
