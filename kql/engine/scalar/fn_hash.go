package scalar

// This file implements the hash functions: hash and hash_xxhash64
// (xxHash64, seed 0), hash_crc32, hash_md5, hash_sha1, hash_sha256,
// hash_combine, hash_many, and new_guid.
//
// A value is hashed through its bytes: a string's UTF-8 bytes; a number,
// datetime (in .NET ticks) or timespan as its 8 little-endian bytes; a
// real as its IEEE bits; other values through their string form.

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"math"
	"math/bits"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	def(bindHash(func(b []byte) uint64 { return xxhash64(b) }), "hash", "hash_xxhash64")
	def(bindHash(func(b []byte) uint64 { return uint64(crc32.ChecksumIEEE(b)) }), "hash_crc32")
	def(hexHash(func(b []byte) []byte { s := md5.Sum(b); return s[:] }), "hash_md5")
	def(hexHash(func(b []byte) []byte { s := sha1.Sum(b); return s[:] }), "hash_sha1")
	def(hexHash(func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }), "hash_sha256")
	def(bindHashCombine, "hash_combine")
	def(bindHashMany, "hash_many")
	def(bindNewGuid, "new_guid")
}

// hashBytes returns the bytes a value is hashed through.
func hashBytes(v value.Value) []byte {
	if v.Type == types.Dynamic {
		v = fromDyn(v.D)
	}
	var b [8]byte
	switch {
	case v.IsNull():
		return nil
	case v.Type == types.String || v.Type == types.Guid:
		return []byte(v.S)
	case isIntType(v.Type) || v.Type == types.Timespan:
		binary.LittleEndian.PutUint64(b[:], uint64(v.I))
	case v.Type == types.Datetime:
		binary.LittleEndian.PutUint64(b[:], uint64(v.I+netTicks))
	case isRealType(v.Type):
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v.F))
	case v.Type == types.Bool:
		return []byte{byte(b2i(v.B))}
	default:
		return []byte(toStr(v))
	}
	return b[:]
}

// bindHash binds a 64-bit hash with an optional modulo.
func bindHash(h func([]byte) uint64) binder {
	return func(c *call) (*Fn, error) {
		return c.rows(types.Long, func(v []value.Value) value.Value {
			if v[0].IsNull() {
				return value.Null(types.Long)
			}
			x := int64(h(hashBytes(v[0])))
			if len(v) > 1 {
				m, ok := argInt(v[1])
				if !ok || m <= 0 {
					return value.Null(types.Long)
				}
				x = int64(uint64(x) % uint64(m))
			}
			return value.OfLong(x)
		}), nil
	}
}

func hexHash(h func([]byte) []byte) binder {
	return func(c *call) (*Fn, error) {
		return c.rows(types.String, func(v []value.Value) value.Value {
			if v[0].IsNull() {
				return value.OfString("")
			}
			return value.OfString(hex.EncodeToString(h(hashBytes(v[0]))))
		}), nil
	}
}

// bindHashCombine combines hashes as .NET's HashCode-style combiner
// Kusto documents: h = h*31 + x, wrapping (an approximation).
func bindHashCombine(c *call) (*Fn, error) {
	return c.strict(types.Long, func(v []value.Value) value.Value {
		var h uint64
		for i, x := range v {
			xi, _ := argInt(x)
			if i == 0 {
				h = uint64(xi)
				continue
			}
			h = combine64(h, uint64(xi))
		}
		return value.OfLong(int64(h))
	}), nil
}

// combine64 is the Boost-style 64-bit hash combiner.
func combine64(seed, h uint64) uint64 {
	return seed ^ (h + 0x9e3779b97f4a7c15 + (seed << 6) + (seed >> 2))
}

func bindHashMany(c *call) (*Fn, error) {
	return c.rows(types.Long, func(v []value.Value) value.Value {
		var h uint64
		for i, x := range v {
			xh := xxhash64(hashBytes(x))
			if i == 0 {
				h = xh
				continue
			}
			h = combine64(h, xh)
		}
		return value.OfLong(int64(h))
	}), nil
}

func bindNewGuid(c *call) (*Fn, error) {
	fn := c.rows(types.Guid, func([]value.Value) value.Value {
		var b [16]byte
		_, _ = rand.Read(b[:])
		b[6] = b[6]&0x0f | 0x40
		b[8] = b[8]&0x3f | 0x80
		h := hex.EncodeToString(b[:])
		return value.OfGuid(h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:])
	})
	fn.Volatile = true
	return fn, nil
}

// xxHash64 with seed 0.
const (
	xxP1 uint64 = 11400714785074694791
	xxP2 uint64 = 14029467366897019727
	xxP3 uint64 = 1609587929392839161
	xxP4 uint64 = 9650029242287828579
	xxP5 uint64 = 2870177450012600261
)

func xxRound(acc, in uint64) uint64 {
	acc += in * xxP2
	acc = bits.RotateLeft64(acc, 31)
	return acc * xxP1
}

func xxMerge(acc, v uint64) uint64 {
	acc ^= xxRound(0, v)
	return acc*xxP1 + xxP4
}

func xxhash64(b []byte) uint64 {
	n := len(b)
	var h uint64
	if n >= 32 {
		p1, p2 := xxP1, xxP2
		v1, v2, v3, v4 := p1+p2, p2, uint64(0), -p1
		for len(b) >= 32 {
			v1 = xxRound(v1, binary.LittleEndian.Uint64(b[0:]))
			v2 = xxRound(v2, binary.LittleEndian.Uint64(b[8:]))
			v3 = xxRound(v3, binary.LittleEndian.Uint64(b[16:]))
			v4 = xxRound(v4, binary.LittleEndian.Uint64(b[24:]))
			b = b[32:]
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) + bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h = xxMerge(h, v1)
		h = xxMerge(h, v2)
		h = xxMerge(h, v3)
		h = xxMerge(h, v4)
	} else {
		h = xxP5
	}
	h += uint64(n)
	for ; len(b) >= 8; b = b[8:] {
		h ^= xxRound(0, binary.LittleEndian.Uint64(b))
		h = bits.RotateLeft64(h, 27)*xxP1 + xxP4
	}
	if len(b) >= 4 {
		h ^= uint64(binary.LittleEndian.Uint32(b)) * xxP1
		h = bits.RotateLeft64(h, 23)*xxP2 + xxP3
		b = b[4:]
	}
	for _, c := range b {
		h ^= uint64(c) * xxP5
		h = bits.RotateLeft64(h, 11) * xxP1
	}
	h ^= h >> 33
	h *= xxP2
	h ^= h >> 29
	h *= xxP3
	h ^= h >> 32
	return h
}

func init() {
	// The local engine runs as no principal: the principal functions yield
	// empty values and membership is always false.
	def(func(c *call) (*Fn, error) {
		return c.rows(types.String, func([]value.Value) value.Value { return value.OfString("") }), nil
	}, "current_principal")
	def(func(c *call) (*Fn, error) {
		return c.rows(types.Dynamic, func([]value.Value) value.Value { return value.OfDynamic(value.NewBag(0)) }), nil
	}, "current_principal_details")
	def(func(c *call) (*Fn, error) {
		return c.rows(types.Bool, func([]value.Value) value.Value { return value.OfBool(false) }), nil
	}, "current_principal_is_member_of")
	def(func(c *call) (*Fn, error) {
		return c.rows(types.Datetime, func([]value.Value) value.Value { return value.Null(types.Datetime) }), nil
	}, "ingestion_time")
}
