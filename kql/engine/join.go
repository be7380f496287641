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

// joinBuildLimit is how many rows of the right side are read before the
// join considers building its hash table on the left side instead: the
// smaller side is built, the larger streamed. (A variable for tests.)
var joinBuildLimit = 1 << 18

func (p *joinPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	rs, err := p.right.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	rPrefix, rn, rDone, err := pullRows(ctx, rs, joinBuildLimit)
	if err != nil {
		return nil, err
	}
	ls, err := p.left.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	if rDone {
		return p.newStream(concatBatches(rs.Schema(), rPrefix), false, ls), nil
	}
	lPrefix, _, lDone, err := pullRows(ctx, ls, rn)
	if err != nil {
		return nil, err
	}
	if lDone {
		return p.newStream(concatBatches(ls.Schema(), lPrefix), true, &prefixStream{batches: rPrefix, rest: rs}), nil
	}
	rest, err := Collect(ctx, rs)
	if err != nil {
		return nil, err
	}
	build := concatBatches(rs.Schema(), append(rPrefix, rest))
	return p.newStream(build, false, &prefixStream{batches: lPrefix, rest: ls}), nil
}

// pullRows reads batches until the stream ends (done) or more than limit
// rows were read. Batches are copied, since a stream may reuse them.
func pullRows(ctx context.Context, s Stream, limit int) (bs []*Batch, n int, done bool, err error) {
	for n <= limit {
		b, err := s.Next(ctx)
		if err == io.EOF {
			return bs, n, true, nil
		}
		if err != nil {
			return nil, 0, false, err
		}
		bs = append(bs, copyBatch(b))
		n += b.N
	}
	return bs, n, false, nil
}

// copyBatch returns a copy of b sharing no column memory with it.
func copyBatch(b *Batch) *Batch {
	out := NewBatch(b.Schema, b.N)
	for i, c := range b.Cols {
		out.Cols[i].AppendColumn(c)
	}
	out.N = b.N
	return out
}

// concatBatches appends batches into one.
func concatBatches(s *types.Schema, bs []*Batch) *Batch {
	if len(bs) == 1 {
		return bs[0]
	}
	n := 0
	for _, b := range bs {
		n += b.N
	}
	out := NewBatch(s, n)
	for _, b := range bs {
		for i, c := range b.Cols {
			out.Cols[i].AppendColumn(c)
		}
		out.N += b.N
	}
	return out
}

// prefixStream replays batches already read, then the rest of a stream.
type prefixStream struct {
	batches []*Batch
	rest    Stream
}

func (s *prefixStream) Schema() *types.Schema { return s.rest.Schema() }

func (s *prefixStream) Next(ctx context.Context) (*Batch, error) {
	if len(s.batches) > 0 {
		b := s.batches[0]
		s.batches = s.batches[1:]
		return b, nil
	}
	return s.rest.Next(ctx)
}

// joinRole is what a kind does, seen from the side whose rows probe the
// hash table and the side it was built on.
type joinRole struct {
	pairs                bool // output matching pairs
	probeOuter           bool // output probe rows without a match, the other side null
	buildOuter           bool // output build rows never matched, at the end
	probeSemi, probeAnti bool // output probe rows with (without) a match, alone
	buildSemi, buildAnti bool // output build rows (never) matched, alone, at the end
	dedupProbe           bool // innerunique, left probing: one left row per key
	headOnly             bool // innerunique, left built: only a key's first left row
}

func roleOf(k joinKind, buildLeft bool) joinRole {
	var r joinRole
	probeSide := func(left, right bool) bool { return buildLeft && right || !buildLeft && left }
	buildSide := func(left, right bool) bool { return buildLeft && left || !buildLeft && right }
	switch k {
	case joinInner:
		r.pairs = true
	case joinInnerUnique:
		r.pairs, r.dedupProbe, r.headOnly = true, !buildLeft, buildLeft
	case joinLeftOuter, joinRightOuter, joinFullOuter:
		l, rr := k != joinRightOuter, k != joinLeftOuter
		r.pairs, r.probeOuter, r.buildOuter = true, probeSide(l, rr), buildSide(l, rr)
	case joinLeftSemi, joinRightSemi:
		l := k == joinLeftSemi
		r.probeSemi, r.buildSemi = probeSide(l, !l), buildSide(l, !l)
	case joinLeftAnti, joinRightAnti:
		l := k == joinLeftAnti
		r.probeAnti, r.buildAnti = probeSide(l, !l), buildSide(l, !l)
	}
	return r
}

func (p *joinPlan) newStream(build *Batch, buildLeft bool, probe Stream) *joinStream {
	s := &joinStream{p: p, role: roleOf(p.kind, buildLeft), buildLeft: buildLeft, probe: probe, build: build}
	s.buildSchema, s.probeSchema = p.right.schema(), p.left.schema()
	if buildLeft {
		s.buildSchema, s.probeSchema = s.probeSchema, s.buildSchema
	}
	cols := make([]*value.Column, len(p.keys))
	for k := range p.keys {
		cols[k] = plannedCol(build, s.buildSchema, s.keyCol(k, true))
	}
	s.ht = buildHash(s.orientedKeys(), cols, build.N)
	if s.role.buildOuter || s.role.buildSemi || s.role.buildAnti {
		s.matched = make([]bool, build.N)
	}
	if s.role.dedupProbe {
		s.used = make([]bool, build.N)
	}
	return s
}

// keyCol is the position of key k's column on the build or probe side.
func (s *joinStream) keyCol(k int, build bool) int {
	if build == s.buildLeft {
		return s.p.keys[k].lc
	}
	return s.p.keys[k].rc
}

// orientedKeys returns the key pairs (only their classes matter to the
// hash table).
func (s *joinStream) orientedKeys() []keyPair { return s.p.keys }

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
	p                        *joinPlan
	role                     joinRole
	buildLeft                bool
	build                    *Batch
	buildSchema, probeSchema *types.Schema
	probe                    Stream
	ht                       *hashTable
	matched                  []bool // build rows that found a probe row
	used                     []bool // dedupProbe: key chains (by head row) already joined

	pb    *Batch // the probe batch being matched
	keys  keyReader
	pi    int   // next probe row
	chain int32 // next build row of the current probe row's chain, or -1

	pidx, bidx []int
	tail       int // next build row to consider once probing ended
	probeDone  bool
}

func (s *joinStream) Schema() *types.Schema { return s.p.s }

func (s *joinStream) Next(ctx context.Context) (*Batch, error) {
	for !s.probeDone {
		if s.pb == nil {
			b, err := s.probe.Next(ctx)
			if err == io.EOF {
				s.probeDone = true
				break
			}
			if err != nil {
				return nil, err
			}
			s.pb, s.pi, s.chain = b, 0, -1
			cols := make([]*value.Column, len(s.p.keys))
			for k := range s.p.keys {
				cols[k] = plannedCol(b, s.probeSchema, s.keyCol(k, false))
			}
			s.keys = newKeyReader(s.p.keys, cols)
		}
		pb := s.pb
		s.pidx, s.bidx = s.pidx[:0], s.bidx[:0]
		if s.probeBatch() {
			s.pb = nil
		}
		if len(s.pidx) > 0 {
			bidx := s.bidx
			if !s.role.pairs {
				bidx = nil
			}
			return s.emit(pb, s.pidx, bidx), nil
		}
	}
	return s.emitTail()
}

// probeBatch matches rows of the current probe batch, stopping once a
// batch of output rows is full; it reports whether the batch is done.
func (s *joinStream) probeBatch() bool {
	role, next, n := &s.role, s.ht.next, s.pb.N
	for ; s.pi < n; s.pi++ {
		r := s.chain
		if r < 0 {
			r = s.ht.lookup(&s.keys, s.pi)
			switch {
			case role.probeSemi:
				if r >= 0 {
					s.pidx = append(s.pidx, s.pi)
				}
				continue
			case role.probeAnti:
				if r < 0 {
					s.pidx = append(s.pidx, s.pi)
				}
				continue
			case r < 0:
				if role.probeOuter {
					s.pidx, s.bidx = append(s.pidx, s.pi), append(s.bidx, -1)
				}
				continue
			case role.dedupProbe:
				if s.used[r] {
					continue
				}
				s.used[r] = true
			}
		}
		if !role.pairs {
			for ; r >= 0; r = next[r] {
				s.matched[r] = true
			}
			continue
		}
		for ; r >= 0; r = next[r] {
			if len(s.pidx) >= BatchSize {
				s.chain = r
				return false
			}
			s.pidx, s.bidx = append(s.pidx, s.pi), append(s.bidx, int(r))
			if s.matched != nil {
				s.matched[r] = true
			}
			if role.headOnly {
				break
			}
		}
		s.chain = -1
	}
	return true
}

// emit gathers output rows: probe rows pidx of pb and build rows bidx
// (-1, or a nil slice, for a missing side).
func (s *joinStream) emit(pb *Batch, pidx, bidx []int) *Batch {
	p := s.p
	n := len(pidx)
	if pb == nil {
		n = len(bidx)
	}
	out := &Batch{Schema: p.s, Cols: make([]*value.Column, len(p.outs)), N: n}
	for j, o := range p.outs {
		switch {
		case o.right == s.buildLeft: // a probe-side column
			if pb == nil {
				out.Cols[j] = value.NullColumn(p.s.Columns[j].Type, n)
			} else {
				out.Cols[j] = plannedCol(pb, s.probeSchema, o.idx).Gather(pidx)
			}
		case bidx == nil:
			out.Cols[j] = value.NullColumn(p.s.Columns[j].Type, n)
		default:
			out.Cols[j] = plannedCol(s.build, s.buildSchema, o.idx).Gather(bidx)
		}
	}
	return out
}

// emitTail produces the build rows owed once probing ended: those never
// matched (outer and anti joins) or matched (semi joins).
func (s *joinStream) emitTail() (*Batch, error) {
	var want bool
	switch {
	case s.role.buildOuter, s.role.buildAnti:
		want = false
	case s.role.buildSemi:
		want = true
	default:
		return nil, io.EOF
	}
	s.bidx = s.bidx[:0]
	for ; s.tail < s.build.N && len(s.bidx) < BatchSize; s.tail++ {
		if s.matched[s.tail] == want {
			s.bidx = append(s.bidx, s.tail)
		}
	}
	if len(s.bidx) == 0 {
		return nil, io.EOF
	}
	return s.emit(nil, nil, s.bidx), nil
}
