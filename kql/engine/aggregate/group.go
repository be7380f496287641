package aggregate

// This file implements Groups, the hash table that numbers the distinct
// key tuples of summarize, distinct, make-series and top-nested. Common
// key shapes get maps that hash the values directly (one string, one
// integer, a string and an integer such as DeviceName and a time bin);
// others encode each key tuple into a reused buffer. Neither allocates per
// row: only a new group stores its key.

import (
	"encoding/binary"
	"math"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

type groupMode uint8

const (
	modeNone   groupMode = iota // no keys: one group
	modeStr                     // one string key
	modeInt                     // one integer-stored key (long, datetime, …)
	modeStrInt                  // a string key, then an integer-stored key
	modeAny                     // anything else: encoded tuples
)

// pairKey packs the dictionary codes of a two-column key: the string's
// code in the high half, the integer's in the low half.
type pairKey uint64

// denseLimit bounds the cells of a pairTable's matrix (16 MB of int32).
const denseLimit = 1 << 22

// pairTable maps two dictionary codes to a group: a matrix indexed by the
// codes while codes stay few (no hashing, and small enough to stay in
// cache), a hash map beyond.
type pairTable struct {
	dense        []int32 // rows*stride cells, -1 for no group
	rows, stride int
	pairs        map[pairKey]int32
}

func (t *pairTable) get(a, b uint32) (int32, bool) {
	if t.pairs != nil {
		id, ok := t.pairs[pairKey(uint64(a)<<32|uint64(b))]
		return id, ok
	}
	if int(a) >= t.rows || int(b) >= t.stride {
		return 0, false
	}
	id := t.dense[int(a)*t.stride+int(b)]
	return id, id >= 0
}

func (t *pairTable) put(a, b uint32, id int32) {
	if t.pairs == nil && (int(a) >= t.rows || int(b) >= t.stride) {
		t.resize(max(t.rows, int(a)+1), max(t.stride, int(b)+1))
	}
	if t.pairs != nil {
		t.pairs[pairKey(uint64(a)<<32|uint64(b))] = id
		return
	}
	t.dense[int(a)*t.stride+int(b)] = id
}

// resize grows the matrix to hold rows x stride cells (rounded up to
// powers of two), or moves to the hash map past denseLimit.
func (t *pairTable) resize(rows, stride int) {
	r, s := max(t.rows, 16), max(t.stride, 16)
	for r < rows {
		r *= 2
	}
	for s < stride {
		s *= 2
	}
	if r*s > denseLimit {
		t.pairs = make(map[pairKey]int32, 2*r*s/3)
		for a := 0; a < t.rows; a++ {
			for b := 0; b < t.stride; b++ {
				if id := t.dense[a*t.stride+b]; id >= 0 {
					t.pairs[pairKey(uint64(a)<<32|uint64(b))] = id
				}
			}
		}
		t.dense = nil
		return
	}
	dense := make([]int32, r*s)
	for i := range dense {
		dense[i] = -1
	}
	for a := 0; a < t.rows; a++ {
		copy(dense[a*s:a*s+t.stride], t.dense[a*t.stride:(a+1)*t.stride])
	}
	t.dense, t.rows, t.stride = dense, r, s
}

// Groups assigns dense group numbers, in order of first appearance, to
// the distinct key tuples of rows, and keeps each group's key.
type Groups struct {
	mode     groupMode
	keys     []*value.Column
	n        int
	strs     map[string]int32
	ints     map[int64]int32
	intNull  int32
	pairs    pairTable
	strCodes map[string]uint32 // modeStrInt: code of each distinct string
	intCodes map[int64]uint32  // modeStrInt: code of each distinct integer (0: null)
	tuples   map[string]int32
	buf      []byte
	out      []int32
	keyTypes []types.Type
}

// NewGroups returns an empty table for keys of the given types. With no
// key types every row falls in group 0, which exists from the start.
func NewGroups(keyTypes []types.Type) *Groups {
	g := &Groups{keyTypes: keyTypes, intNull: -1}
	for _, t := range keyTypes {
		g.keys = append(g.keys, value.NewColumn(t, 0))
	}
	switch {
	case len(keyTypes) == 0:
		g.mode, g.n = modeNone, 1
	case len(keyTypes) == 1 && storedAsString(keyTypes[0]):
		g.mode, g.strs = modeStr, make(map[string]int32)
	case len(keyTypes) == 1 && storedAsInt(keyTypes[0]):
		g.mode, g.ints = modeInt, make(map[int64]int32)
	case len(keyTypes) == 2 && storedAsString(keyTypes[0]) && storedAsInt(keyTypes[1]):
		g.mode = modeStrInt
		g.strCodes, g.intCodes = make(map[string]uint32), make(map[int64]uint32)
	default:
		g.mode, g.tuples = modeAny, make(map[string]int32)
	}
	return g
}

func storedAsString(t types.Type) bool { return t == types.String || t == types.Guid }

func storedAsInt(t types.Type) bool {
	return t == types.Int || t == types.Long || t == types.Datetime || t == types.Timespan
}

// Len returns the number of groups.
func (g *Groups) Len() int { return g.n }

// Keys returns the key columns: row k holds group k's key.
func (g *Groups) Keys() []*value.Column { return g.keys }

// Assign returns the group number of each of rows [0, n) of the key
// columns, creating groups for new keys. The slice is reused by the next
// call.
func (g *Groups) Assign(cols []*value.Column, n int) []int32 {
	g.out = grow(g.out[:0], n)
	out := g.out[:n]
	switch g.mode {
	case modeNone:
		clear(out)
	case modeStr:
		g.assignStr(cols[0], out)
	case modeInt:
		g.assignInt(cols[0], out)
	case modeStrInt:
		g.assignStrInt(cols[0], cols[1], out)
	default:
		g.assignAny(cols, out)
	}
	return out
}

func (g *Groups) assignStr(c *value.Column, out []int32) {
	strs := c.Strs[:len(out)]
	for i, s := range strs {
		id, ok := g.strs[s]
		if !ok {
			id = g.newGroup(c, i)
			g.strs[s] = id
		}
		out[i] = id
	}
}

func (g *Groups) assignInt(c *value.Column, out []int32) {
	vs := c.Ints[:len(out)]
	for i, v := range vs {
		if c.Nulls != nil && c.Nulls[i] {
			if g.intNull < 0 {
				g.intNull = g.newGroup(c, i)
			}
			out[i] = g.intNull
			continue
		}
		id, ok := g.ints[v]
		if !ok {
			id = g.newGroup(c, i)
			g.ints[v] = id
		}
		out[i] = id
	}
}

// assignStrInt codes each column through a small dictionary first, then
// finds the group of the pair of codes in a pairTable.
func (g *Groups) assignStrInt(a, b *value.Column, out []int32) {
	strs, ints := a.Strs[:len(out)], b.Ints[:len(out)]
	var lastS string
	var lastCode uint32
	haveLast := false
	for i := range out {
		s := strs[i]
		var sc uint32
		if haveLast && s == lastS {
			sc = lastCode
		} else {
			c, ok := g.strCodes[s]
			if !ok {
				c = uint32(len(g.strCodes))
				g.strCodes[s] = c
			}
			sc, lastS, lastCode, haveLast = c, s, c, true
		}
		var ic uint32
		if b.Nulls == nil || !b.Nulls[i] {
			c, ok := g.intCodes[ints[i]]
			if !ok {
				c = uint32(len(g.intCodes)) + 1
				g.intCodes[ints[i]] = c
			}
			ic = c
		}
		id, ok := g.pairs.get(sc, ic)
		if !ok {
			id = g.newGroup2(a, b, i)
			g.pairs.put(sc, ic, id)
		}
		out[i] = id
	}
}

func (g *Groups) assignAny(cols []*value.Column, out []int32) {
	for i := range out {
		g.buf = g.buf[:0]
		for _, c := range cols {
			g.buf = appendKey(g.buf, c, i)
		}
		id, ok := g.tuples[string(g.buf)]
		if !ok {
			id = int32(g.n)
			g.n++
			for k, c := range cols {
				g.keys[k].Append(c.Value(i))
			}
			g.tuples[string(g.buf)] = id
		}
		out[i] = id
	}
}

func (g *Groups) newGroup(c *value.Column, i int) int32 {
	g.keys[0].Append(c.Value(i))
	g.n++
	return int32(g.n - 1)
}

func (g *Groups) newGroup2(a, b *value.Column, i int) int32 {
	g.keys[0].Append(a.Value(i))
	g.keys[1].Append(b.Value(i))
	g.n++
	return int32(g.n - 1)
}

// appendKey appends an encoding of row i of c that equal values share
// and different values do not: a tag, then the value. Reals that are
// whole numbers share the encoding of the equal long, NaNs are one value
// and -0 is 0.
func appendKey(buf []byte, c *value.Column, i int) []byte {
	if c.IsNull(i) {
		return append(buf, 0)
	}
	switch c.Type {
	case types.Bool:
		if c.Bools[i] {
			return append(buf, 1, 1)
		}
		return append(buf, 1, 0)
	case types.Int, types.Long, types.Datetime, types.Timespan:
		return binary.LittleEndian.AppendUint64(append(buf, 2), uint64(c.Ints[i]))
	case types.Real, types.Decimal:
		return appendReal(buf, c.Reals[i])
	case types.String, types.Guid:
		s := c.Strs[i]
		buf = binary.AppendUvarint(append(buf, 4), uint64(len(s)))
		return append(buf, s...)
	}
	return appendDynKey(buf, c.Dyns[i])
}

func appendReal(buf []byte, f float64) []byte {
	switch {
	case f == math.Trunc(f) && math.Abs(f) < 1<<62:
		return binary.LittleEndian.AppendUint64(append(buf, 2), uint64(int64(f)))
	case math.IsNaN(f):
		f = math.NaN()
	}
	return binary.LittleEndian.AppendUint64(append(buf, 3), math.Float64bits(f))
}

// appendDynKey encodes a dynamic value: scalars as their typed forms,
// arrays and bags by their JSON text.
func appendDynKey(buf []byte, d any) []byte {
	switch x := d.(type) {
	case nil:
		return append(buf, 0)
	case bool:
		if x {
			return append(buf, 1, 1)
		}
		return append(buf, 1, 0)
	case int64:
		return binary.LittleEndian.AppendUint64(append(buf, 2), uint64(x))
	case float64:
		return appendReal(buf, x)
	case string:
		buf = binary.AppendUvarint(append(buf, 4), uint64(len(x)))
		return append(buf, x...)
	case value.Datetime:
		return binary.LittleEndian.AppendUint64(append(buf, 5), uint64(x))
	case value.Timespan:
		return binary.LittleEndian.AppendUint64(append(buf, 6), uint64(x))
	}
	s := value.FormatJSON(d)
	buf = binary.AppendUvarint(append(buf, 7), uint64(len(s)))
	return append(buf, s...)
}
