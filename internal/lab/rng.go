package lab

// This file implements the seeded random streams every generator draws
// from. Each stream is named, so adding draws to one generator never shifts
// the values another sees.

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// rng is a deterministic random stream.
type rng struct{ r *rand.Rand }

// newRNG returns the stream named name (with optional numeric qualifiers,
// e.g. a device index and a day) of the lab seeded with seed.
func newRNG(seed int64, name string, qual ...int) *rng {
	h := fnv.New64a()
	h.Write([]byte(name))
	var b [8]byte
	for _, q := range qual {
		for i := range b {
			b[i] = byte(uint64(q) >> (8 * i))
		}
		h.Write(b[:])
	}
	return &rng{rand.New(rand.NewPCG(uint64(seed), h.Sum64()))}
}

// intn returns a number in [0, n); n <= 0 gives 0.
func (g *rng) intn(n int) int {
	if n <= 0 {
		return 0
	}
	return g.r.IntN(n)
}

// between returns a number in [lo, hi].
func (g *rng) between(lo, hi int) int { return lo + g.intn(hi-lo+1) }

// chance reports true with probability p.
func (g *rng) chance(p float64) bool { return g.r.Float64() < p }

// float returns a number in [0, 1).
func (g *rng) float() float64 { return g.r.Float64() }

// dur returns a duration in [lo, hi).
func (g *rng) dur(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(g.r.Int64N(int64(hi-lo)))
}

// exp returns an exponentially distributed duration of the given mean,
// capped at ten means: the gap between independent events.
func (g *rng) exp(mean time.Duration) time.Duration {
	d := time.Duration(g.r.ExpFloat64() * float64(mean))
	return min(d, 10*mean) + time.Millisecond
}

// norm returns a normally distributed number.
func (g *rng) norm(mean, sd float64) float64 { return mean + sd*g.r.NormFloat64() }

// pick returns a random element of xs, which must not be empty.
func pick[T any](g *rng, xs []T) T { return xs[g.intn(len(xs))] }

// weighted returns an index into weights chosen in proportion to them.
func (g *rng) weighted(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.intn(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

const hexDigits = "0123456789abcdef"

// guid returns a random version-4 GUID in canonical lower-case form.
func (g *rng) guid() string {
	var b [36]byte
	x, y := g.r.Uint64(), g.r.Uint64()
	x = x&^(0xf<<12) | 4<<12 // version nibble
	y = y&^(3<<62) | 2<<62   // variant bits
	j := 0
	for i := 0; i < 32; i++ {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			b[j] = '-'
			j++
		}
		var nib uint64
		if i < 16 {
			nib = x >> (60 - 4*i) & 0xf
		} else {
			nib = y >> (60 - 4*(i-16)) & 0xf
		}
		b[j] = hexDigits[nib]
		j++
	}
	return string(b[:])
}

// hex returns n random lower-case hex digits.
func (g *rng) hex(n int) string {
	b := make([]byte, n)
	var x uint64
	for i := range b {
		if i%16 == 0 {
			x = g.r.Uint64()
		}
		b[i] = hexDigits[x&0xf]
		x >>= 4
	}
	return string(b)
}

// digest holds the three hashes MDE reports for a file.
type digest struct{ SHA1, SHA256, MD5 string }

// digestOf derives stable, realistic-looking hashes from a file's identity
// (path, version, or the content a scenario names). The same identity
// always gives the same hashes, in every run and every table.
func digestOf(identity string) digest {
	s1 := sha1.Sum([]byte("sha1\x00" + identity))
	s2 := sha256.Sum256([]byte("sha256\x00" + identity))
	m := md5.Sum([]byte("md5\x00" + identity))
	return digest{hex.EncodeToString(s1[:]), hex.EncodeToString(s2[:]), hex.EncodeToString(m[:])}
}
