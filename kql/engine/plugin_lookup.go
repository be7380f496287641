package engine

// This file implements ipv4_lookup and ipv6_lookup: a lookup of each
// input row's address in a table of addresses or prefixes (CIDR
// notation), optionally also matching extra key columns by name. The
// output has the lookup table's columns, then the input's; with
// return_unmatched, rows without a match are kept with nulls. A row that
// falls in several prefixes matches each.

import (
	"context"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerPlugin("ipv4_lookup", func(c *compiler, p *pluginCall) (plan, error) { return c.ipLookup(p, false) })
	registerPlugin("ipv6_lookup", func(c *compiler, p *pluginCall) (plan, error) { return c.ipLookup(p, true) })
}

// ipLookup compiles ipv4_lookup/ipv6_lookup(LookupTable, SourceKey,
// LookupKey [, ExtraKey…] [, return_unmatched]).
func (c *compiler) ipLookup(p *pluginCall, v6 bool) (plan, error) {
	if err := p.needArgs(3, "LookupTable, SourceKey, LookupKey"); err != nil {
		return nil, err
	}
	table, err := c.tabular(p.args[0], p.sc)
	if err != nil {
		return nil, err
	}
	src, err := p.column(1)
	if err != nil {
		return nil, err
	}
	ls := table.schema()
	keyID, ok := unparen(p.args[2]).(*ast.Ident)
	if !ok || ls.Index(keyID.Name) < 0 {
		return nil, p.errorf(p.args[2], "the third argument must be a column of the lookup table")
	}
	key := ls.Index(keyID.Name)
	unmatched := false
	var extra []string
	for _, a := range p.args[3:] {
		if na, ok := a.(*ast.NamedArg); ok {
			v, err := c.constant(na.Value, p.sc)
			if err != nil {
				return nil, err
			}
			unmatched = v.Type == types.Bool && v.B
			continue
		}
		if id, ok := unparen(a).(*ast.Ident); ok && p.in.schema().Index(id.Name) >= 0 {
			if ls.Index(id.Name) < 0 {
				return nil, p.errorf(a, "extra key %s is not a column of the lookup table", id.Name)
			}
			extra = append(extra, id.Name)
			continue
		}
		v, err := c.constant(a, p.sc)
		if err != nil || v.Type != types.Bool {
			return nil, p.errorf(a, "expected an extra key column or return_unmatched (a bool)")
		}
		unmatched = v.B
	}
	ins := p.in.schema()
	s := ls.Clone()
	s.Open = false
	taken := map[string]bool{}
	for _, col := range s.Columns {
		taken[col.Name] = true
	}
	for _, col := range ins.Columns {
		col.Name = uniqueName(col.Name, taken)
		taken[col.Name] = true
		s.Columns = append(s.Columns, col)
	}
	l := &ipLookupPlan{in: p.in, table: table, s: s, src: src, key: key, extra: extra, unmatched: unmatched, v6: v6}
	return l, nil
}

type ipLookupPlan struct {
	in, table plan
	s         *types.Schema
	src, key  int
	extra     []string
	unmatched bool
	v6        bool
}

func (p *ipLookupPlan) schema() *types.Schema { return p.s }

func (p *ipLookupPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	lt, err := runPlan(ctx, rt, p.table)
	if err != nil {
		return nil, err
	}
	idx := p.index(lt)
	w := &wholePlan{in: p.in, s: p.s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		return p.join(b, lt, idx), nil
	}}
	return w.open(ctx, rt)
}

// ipIndex finds lookup rows by prefix: for each prefix length present,
// the rows by masked address.
type ipIndex struct {
	lengths []int
	rows    map[netip.Prefix][]int
}

func (p *ipLookupPlan) index(lt *Batch) *ipIndex {
	idx := &ipIndex{rows: map[netip.Prefix][]int{}}
	seen := map[int]bool{}
	keys := lt.Cols[p.key]
	for i := 0; i < lt.N; i++ {
		pf, ok := parseIPPrefix(keys.Value(i).String(), p.v6)
		if !ok {
			continue
		}
		idx.rows[pf] = append(idx.rows[pf], i)
		if !seen[pf.Bits()] {
			seen[pf.Bits()] = true
			idx.lengths = append(idx.lengths, pf.Bits())
		}
	}
	return idx
}

// parseIPPrefix parses an address or a prefix, masked; IPv4 addresses are
// mapped into IPv6 for ipv6_lookup.
func parseIPPrefix(s string, v6 bool) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	addr, bits := s, -1
	if i := strings.IndexByte(s, '/'); i >= 0 {
		addr = s[:i]
		n, err := strconv.Atoi(s[i+1:])
		if err != nil {
			return netip.Prefix{}, false
		}
		bits = n
	}
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return netip.Prefix{}, false
	}
	switch {
	case v6 && a.Is4():
		a = netip.AddrFrom16(a.As16())
		if bits >= 0 {
			bits += 96
		}
	case !v6 && !a.Is4():
		return netip.Prefix{}, false
	}
	if bits < 0 {
		bits = a.BitLen()
	}
	pf, err := a.Prefix(bits)
	return pf, err == nil
}

// join matches the rows of b against the lookup table.
func (p *ipLookupPlan) join(b, lt *Batch, idx *ipIndex) *Batch {
	out := NewBatch(p.s, b.N)
	nl := len(lt.Cols)
	extraIn, extraL := make([]*value.Column, len(p.extra)), make([]*value.Column, len(p.extra))
	for k, name := range p.extra {
		extraIn[k], extraL[k] = b.Col(name), lt.Col(name)
	}
	emit := func(i, j int) {
		for k := 0; k < nl; k++ {
			if j < 0 {
				out.Cols[k].AppendNull()
			} else {
				out.Cols[k].Append(lt.Cols[k].Value(j))
			}
		}
		for k, col := range b.Cols {
			out.Cols[nl+k].Append(col.Value(i))
		}
		out.N++
	}
	for i := 0; i < b.N; i++ {
		matched := false
		if pf, ok := parseIPPrefix(b.Cols[p.src].Value(i).String(), p.v6); ok && !b.Cols[p.src].IsNull(i) {
			for _, bits := range idx.lengths {
				if bits > pf.Bits() {
					continue
				}
				m, _ := pf.Addr().Prefix(bits)
				for _, j := range idx.rows[m] {
					if extraMatch(extraIn, extraL, i, j) {
						emit(i, j)
						matched = true
					}
				}
			}
		}
		if !matched && p.unmatched {
			emit(i, -1)
		}
	}
	return out
}

// extraMatch compares the extra key columns of input row i and lookup row j.
func extraMatch(in, l []*value.Column, i, j int) bool {
	for k := range in {
		if in[k].IsNull(i) || l[k].IsNull(j) || !value.Equal(in[k].Value(i).ToDynamic(), l[k].Value(j).ToDynamic()) {
			return false
		}
	}
	return true
}
