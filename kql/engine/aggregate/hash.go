package aggregate

// This file implements the 64-bit value hash behind dcount and hll: a
// multiply-fold hash over 8-byte words (in the manner of wyhash), stable
// across runs and processes so that hll() states can be merged later.

import (
	"math"
	"math/bits"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

const (
	hashSeed = 0xa0761d6478bd642f
	hashK1   = 0xe7037ed1a0b428db
	hashK2   = 0x8ebc6af09c88c6e3
	hashK3   = 0x589965cc75374cc3
)

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// HashString returns the hash of s.
func HashString(s string) uint64 {
	h := hashSeed ^ uint64(len(s))*hashK1
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = mix(h^w, hashK2)
		s = s[8:]
	}
	var w uint64
	for i := 0; i < len(s); i++ {
		w |= uint64(s[i]) << (8 * i)
	}
	return mix(h^w^hashK3, hashK1^uint64(len(s)))
}

// HashInt returns the hash of an integer (datetimes and timespans hash
// their ticks).
func HashInt(v int64) uint64 {
	return mix(uint64(v)^hashSeed, hashK2) ^ mix(uint64(v)^hashK3, hashK1)
}

// hashReal hashes a real; integral reals hash like the equal integer so
// that 1 and 1.0 count once.
func hashReal(f float64) uint64 {
	if f == math.Trunc(f) && math.Abs(f) < 1<<62 {
		return HashInt(int64(f))
	}
	if math.IsNaN(f) {
		f = math.NaN()
	}
	return HashInt(int64(math.Float64bits(f))) ^ hashK3
}

// hashDynamic hashes a dynamic value: scalars like their typed form,
// arrays and bags by their JSON text.
func hashDynamic(d any) uint64 {
	switch x := d.(type) {
	case bool:
		if x {
			return HashInt(1) ^ hashK1
		}
		return HashInt(0) ^ hashK1
	case int64:
		return HashInt(x)
	case float64:
		return hashReal(x)
	case string:
		return HashString(x)
	case value.Datetime:
		return HashInt(int64(x))
	case value.Timespan:
		return HashInt(int64(x))
	}
	return HashString(value.FormatJSON(d)) ^ hashK2
}

// hashColumn writes the hashes of rows [0, n) of c into out and reports
// which rows are null (skipped by distinct counts) through keep.
func hashColumn(c *value.Column, n int, out []uint64, keep []bool) {
	for i := 0; i < n; i++ {
		keep[i] = !c.IsNull(i)
	}
	switch c.Type {
	case types.String, types.Guid:
		for i, s := range c.Strs[:n] {
			out[i] = HashString(s)
		}
	case types.Int, types.Long, types.Datetime, types.Timespan:
		for i, v := range c.Ints[:n] {
			out[i] = HashInt(v)
		}
	case types.Real, types.Decimal:
		for i, v := range c.Reals[:n] {
			out[i] = hashReal(v)
		}
	case types.Bool:
		for i, v := range c.Bools[:n] {
			out[i] = hashDynamic(v)
		}
	default:
		for i, v := range c.Dyns[:n] {
			out[i] = hashDynamic(v)
		}
	}
}
