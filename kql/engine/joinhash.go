package engine

// This file implements the hash table of join and lookup: rows of the
// build side chained by key, looked up by the rows of the probe side. A
// single integer-like or string key uses a map of that Go type; several
// keys, or dynamic ones, are encoded into bytes.

import (
	"encoding/binary"
	"math"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// keyClass is how a pair of key columns is compared.
type keyClass uint8

const (
	keyInt  keyClass = iota // int, long (also datetime, timespan, bool with their own type)
	keyReal                 // numbers of which one is real or decimal
	keyStr                  // string, guid
	keyDyn                  // a dynamic side: compared as dynamic values
)

// keyClassOf returns how a left key of type lt compares to a right key of
// type rt, or false when they cannot be equal.
func keyClassOf(lt, rt types.Type) (keyClass, bool) {
	switch {
	case lt == types.Dynamic || rt == types.Dynamic || !lt.IsKnown() || !rt.IsKnown():
		return keyDyn, true
	case isInteger(lt) && isInteger(rt):
		return keyInt, true
	case lt.IsNumeric() && rt.IsNumeric():
		return keyReal, true
	case (lt == types.String || lt == types.Guid) && (rt == types.String || rt == types.Guid):
		return keyStr, true
	case lt == rt && (lt == types.Datetime || lt == types.Timespan || lt == types.Bool):
		return keyInt, true
	}
	return 0, false
}

type keyMode uint8

const (
	modeInt keyMode = iota
	modeStr
	modeInt2 // two integer-like keys
	modeBytes
)

func modeOf(keys []keyPair) keyMode {
	numeric := func(c keyClass) bool { return c == keyInt || c == keyReal }
	switch {
	case len(keys) == 1 && numeric(keys[0].class):
		return modeInt
	case len(keys) == 1 && keys[0].class == keyStr:
		return modeStr
	case len(keys) == 2 && numeric(keys[0].class) && numeric(keys[1].class):
		return modeInt2
	}
	return modeBytes
}

// keyReader reads the key of a row from one side's key columns.
type keyReader struct {
	mode    keyMode
	cols    []*value.Column
	classes []keyClass
	buf     []byte
}

func newKeyReader(keys []keyPair, cols []*value.Column) keyReader {
	r := keyReader{mode: modeOf(keys), cols: cols, classes: make([]keyClass, len(keys))}
	for k, kp := range keys {
		r.classes[k] = kp.class
	}
	return r
}

// intKey returns the single integer-like or real key of row i as int64
// bits; false for a null.
func (r *keyReader) intKey(i int) (int64, bool) { return r.intKeyOf(0, i) }

// int2Key returns the two integer-like or real keys of row i.
func (r *keyReader) int2Key(i int) ([2]int64, bool) {
	a, ok := r.intKeyOf(0, i)
	if !ok {
		return [2]int64{}, false
	}
	b, ok := r.intKeyOf(1, i)
	return [2]int64{a, b}, ok
}

// intKeyOf returns key k of row i as int64 bits; false for a null.
func (r *keyReader) intKeyOf(k, i int) (int64, bool) {
	c := r.cols[k]
	if c.Nulls != nil && c.Nulls[i] {
		return 0, false
	}
	if r.classes[k] == keyReal {
		return realKeyBits(c, i)
	}
	if c.Type == types.Bool {
		if c.Bools[i] {
			return 1, true
		}
		return 0, true
	}
	return c.Ints[i], true
}

// realKeyBits returns a number's bits as a real, with -0 folded into 0;
// NaN never matches.
func realKeyBits(c *value.Column, i int) (int64, bool) {
	var f float64
	if c.Type == types.Int || c.Type == types.Long {
		f = float64(c.Ints[i])
	} else {
		f = c.Reals[i]
	}
	if math.IsNaN(f) {
		return 0, false
	}
	if f == 0 {
		f = 0
	}
	return int64(math.Float64bits(f)), true
}

// bytesKey encodes every key of row i into r.buf; false when any is null.
func (r *keyReader) bytesKey(i int) ([]byte, bool) {
	b := r.buf[:0]
	for k, c := range r.cols {
		if c.IsNull(i) {
			return nil, false
		}
		switch r.classes[k] {
		case keyInt:
			var x int64
			if c.Type == types.Bool {
				if c.Bools[i] {
					x = 1
				}
			} else {
				x = c.Ints[i]
			}
			b = binary.LittleEndian.AppendUint64(b, uint64(x))
		case keyReal:
			x, ok := realKeyBits(c, i)
			if !ok {
				return nil, false
			}
			b = binary.LittleEndian.AppendUint64(b, uint64(x))
		case keyStr:
			b = binary.AppendUvarint(b, uint64(len(c.Strs[i])))
			b = append(b, c.Strs[i]...)
		default:
			start := len(b)
			b = append(b, 0, 0, 0, 0)
			b = value.AppendJSON(b, c.Value(i).ToDynamic())
			binary.LittleEndian.PutUint32(b[start:], uint32(len(b)-start-4))
		}
	}
	r.buf = b
	return b, true
}

// hashTable chains the rows of the build side by key: the map gives the
// first row of a key, next[r] the following one (-1 at the end), in row
// order.
type hashTable struct {
	mode  keyMode
	ints  map[int64]int32
	ints2 *pairTable
	strs  map[string]int32
	next  []int32
}

// pairTable maps pairs of int64 to the first row holding them, by open
// addressing with linear probing: for the build sides of joins on two
// integer keys it does one probe sequence per row where a map does two
// hashed accesses.
type pairTable struct {
	slots []pairSlot
	mask  uint64
}

// pairSlot is a key and its row+1; row 0 marks a free slot.
type pairSlot struct {
	key [2]int64
	row int32
}

func newPairTable(n int) *pairTable {
	size := 16
	for size < n+n/3 {
		size <<= 1
	}
	return &pairTable{slots: make([]pairSlot, size), mask: uint64(size - 1)}
}

func (t *pairTable) slot(k [2]int64) uint64 {
	h := uint64(k[0])*0x9e3779b97f4a7c15 + uint64(k[1])
	h ^= h >> 32
	h *= 0xd6e8feb86659fd93
	h ^= h >> 32
	return h & t.mask
}

// swap stores row under k and returns the row k held before, or -1.
func (t *pairTable) swap(k [2]int64, row int32) int32 {
	for i := t.slot(k); ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		switch {
		case s.row == 0:
			s.key, s.row = k, row+1
			return -1
		case s.key == k:
			prev := s.row - 1
			s.row = row + 1
			return prev
		}
	}
}

// get returns the row stored under k, or -1.
func (t *pairTable) get(k [2]int64) int32 {
	for i := t.slot(k); ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		switch {
		case s.row == 0:
			return -1
		case s.key == k:
			return s.row - 1
		}
	}
}

// buildHash indexes n rows whose key columns are cols.
func buildHash(keys []keyPair, cols []*value.Column, n int) *hashTable {
	r := newKeyReader(keys, cols)
	h := &hashTable{mode: r.mode, next: make([]int32, n)}
	switch h.mode {
	case modeInt:
		h.ints = make(map[int64]int32, n)
		for i := n - 1; i >= 0; i-- {
			k, ok := r.intKey(i)
			if !ok {
				continue
			}
			h.next[i] = lookupOr(h.ints, k)
			h.ints[k] = int32(i)
		}
	case modeInt2:
		h.ints2 = newPairTable(n)
		for i := n - 1; i >= 0; i-- {
			k, ok := r.int2Key(i)
			if !ok {
				continue
			}
			h.next[i] = h.ints2.swap(k, int32(i))
		}
	case modeStr:
		h.strs = make(map[string]int32, n)
		strs := cols[0].Strs
		for i := n - 1; i >= 0; i-- {
			h.next[i] = lookupOr(h.strs, strs[i])
			h.strs[strs[i]] = int32(i)
		}
	default:
		h.strs = make(map[string]int32, n)
		for i := n - 1; i >= 0; i-- {
			k, ok := r.bytesKey(i)
			if !ok {
				continue
			}
			h.next[i] = lookupOr(h.strs, string(k))
			h.strs[string(k)] = int32(i)
		}
	}
	return h
}

func lookupOr[K comparable](m map[K]int32, k K) int32 {
	if v, ok := m[k]; ok {
		return v
	}
	return -1
}

// lookup returns the first build row matching row i of the probe side,
// or -1.
func (h *hashTable) lookup(r *keyReader, i int) int32 {
	switch h.mode {
	case modeInt:
		k, ok := r.intKey(i)
		if !ok {
			return -1
		}
		return lookupOr(h.ints, k)
	case modeStr:
		return lookupOr(h.strs, r.cols[0].Strs[i])
	case modeInt2:
		k, ok := r.int2Key(i)
		if !ok {
			return -1
		}
		return h.ints2.get(k)
	}
	k, ok := r.bytesKey(i)
	if !ok {
		return -1
	}
	if v, ok := h.strs[string(k)]; ok {
		return v
	}
	return -1
}
