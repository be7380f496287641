package aggregate

// This file implements the HyperLogLog sketch behind dcount and hll. A
// sketch starts sparse (the set of the values' 32-bit hash fingerprints,
// so small counts are exact but for one-in-a-billion collisions) and
// turns dense (2^p one-byte registers) once the set outgrows 2^p/8
// entries. Dense estimates use Ertl's improved estimator ("New
// cardinality estimation algorithms for HyperLogLog sketches", 2017),
// which needs no empirical bias tables and is accurate over the whole
// range. Kusto's accuracy levels 0..4 map to p = 12, 14, 16, 17, 18
// (standard errors 1.6%, 0.8%, 0.4%, 0.28%, 0.2%).

import (
	"encoding/base64"
	"math"
	"math/bits"
)

// precisionOf maps a dcount accuracy level to the register index width.
func precisionOf(accuracy int64) (uint8, bool) {
	switch accuracy {
	case 0:
		return 12, true
	case 1:
		return 14, true
	case 2:
		return 16, true
	case 3:
		return 17, true
	case 4:
		return 18, true
	}
	return 0, false
}

// sketch is one HyperLogLog sketch.
type sketch struct {
	p      uint8
	set    []uint32 // sparse: open-addressing set of fingerprints (0 marks a free slot)
	n      int      // entries in set
	dense  []uint8  // registers, once dense
	sparse bool
}

func newSketch(p uint8) *sketch {
	return &sketch{p: p, set: make([]uint32, 8), sparse: true}
}

// fingerprint is the part of a hash the sparse set keeps.
func fingerprint(h uint64) uint32 {
	if f := uint32(h >> 32); f != 0 {
		return f
	}
	return 1 // 0 marks a free slot
}

// unfold returns a hash with fingerprint f; the bits it lacks stop the
// leading-zero count, so a register never gets a rank it did not see.
func unfold(f uint32) uint64 { return uint64(f)<<32 | 1<<31 }

// sparseLimit is the number of distinct hashes kept exactly.
func (s *sketch) sparseLimit() int { return 1 << s.p >> 3 }

// add adds one hash.
func (s *sketch) add(h uint64) {
	if !s.sparse {
		s.addDense(h)
		return
	}
	s.addSparse(fingerprint(h))
}

func (s *sketch) addSparse(f uint32) {
	mask := uint32(len(s.set) - 1)
	for i := f & mask; ; i = (i + 1) & mask {
		switch s.set[i] {
		case f:
			return
		case 0:
			s.set[i] = f
			s.n++
			if s.n*2 > len(s.set) {
				s.rehash()
			}
			return
		}
	}
}

// rehash doubles the sparse set, or turns the sketch dense past the limit.
func (s *sketch) rehash() {
	old := s.set
	if s.n > s.sparseLimit() {
		s.toDense()
		return
	}
	s.set, s.n = make([]uint32, 2*len(old)), 0
	for _, f := range old {
		if f != 0 {
			s.addSparse(f)
		}
	}
}

func (s *sketch) toDense() {
	old := s.set
	s.sparse, s.set, s.n = false, nil, 0
	s.dense = make([]uint8, 1<<s.p)
	for _, f := range old {
		if f != 0 {
			s.addDense(unfold(f))
		}
	}
}

func (s *sketch) addDense(h uint64) {
	idx := h >> (64 - s.p)
	w := h<<s.p | 1<<(s.p-1)
	r := uint8(bits.LeadingZeros64(w) + 1)
	if r > s.dense[idx] {
		s.dense[idx] = r
	}
}

// estimate returns the estimated number of distinct hashes added.
func (s *sketch) estimate() int64 {
	if s.sparse {
		return int64(s.n)
	}
	q := 64 - int(s.p)
	hist := make([]int, q+2)
	for _, r := range s.dense {
		hist[r]++
	}
	m := float64(len(s.dense))
	z := m * tau(1-float64(hist[q+1])/m)
	for k := q; k >= 1; k-- {
		z = 0.5 * (z + float64(hist[k]))
	}
	z += m * sigma(float64(hist[0])/m)
	return int64(math.Round(m * m / (2 * math.Ln2 * z)))
}

func sigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		prev := z
		z += x * y
		y += y
		if z == prev {
			return z
		}
	}
}

func tau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		prev := z
		y *= 0.5
		z -= (1 - x) * (1 - x) * y
		if z == prev {
			return z / 3
		}
	}
}

// merge folds o into s. A sketch of higher precision is folded down to
// the lower one.
func (s *sketch) merge(o *sketch) {
	if o.p < s.p && !s.sparse {
		s.foldTo(o.p)
	} else if o.p < s.p {
		s.p = o.p
	}
	if o.sparse {
		for _, f := range o.set {
			switch {
			case f == 0:
			case s.sparse:
				s.addSparse(f)
			default:
				s.addDense(unfold(f))
			}
		}
		return
	}
	if s.sparse {
		s.toDense()
	}
	shift := o.p - s.p
	for i, r := range o.dense {
		if r == 0 {
			continue
		}
		idx, rank := i>>shift, r
		if shift > 0 {
			if low := uint64(i) & (1<<shift - 1); low != 0 {
				rank = uint8(bits.LeadingZeros64(low<<(64-shift)) + 1)
			} else {
				rank = r + shift
			}
		}
		if rank > s.dense[idx] {
			s.dense[idx] = rank
		}
	}
}

// foldTo lowers a dense sketch's precision to p.
func (s *sketch) foldTo(p uint8) {
	o := &sketch{p: s.p, dense: s.dense}
	s.p, s.dense = p, make([]uint8, 1<<p)
	s.merge(o)
}

// state encodes the sketch as the dynamic value hll() returns:
// [precision, "sparse", [fingerprints…]] or [precision, "dense", base64].
func (s *sketch) state() any {
	if s.sparse {
		fs := make([]any, 0, s.n)
		for _, f := range s.set {
			if f != 0 {
				fs = append(fs, int64(f))
			}
		}
		return []any{int64(s.p), "sparse", fs}
	}
	return []any{int64(s.p), "dense", base64.StdEncoding.EncodeToString(s.dense)}
}

// sketchOf decodes a state produced by state; ok is false for anything
// else.
func sketchOf(d any) (*sketch, bool) {
	arr, ok := d.([]any)
	if !ok || len(arr) != 3 {
		return nil, false
	}
	p, ok := arr[0].(int64)
	if !ok || p < 4 || p > 18 {
		return nil, false
	}
	s := newSketch(uint8(p))
	switch arr[1] {
	case "sparse":
		hs, ok := arr[2].([]any)
		if !ok {
			return nil, false
		}
		for _, h := range hs {
			if v, ok := h.(int64); ok && v > 0 && v <= 1<<32-1 {
				s.addSparse(uint32(v))
			}
		}
		return s, true
	case "dense":
		str, _ := arr[2].(string)
		regs, err := base64.StdEncoding.DecodeString(str)
		if err != nil || len(regs) != 1<<p {
			return nil, false
		}
		s.sparse, s.set, s.dense = false, nil, regs
		return s, true
	}
	return nil, false
}

// DcountHLL returns the distinct count estimated from an hll() state, as
// dcount_hll() does; ok is false when d is not such a state.
func DcountHLL(d any) (int64, bool) {
	s, ok := sketchOf(d)
	if !ok {
		return 0, false
	}
	return s.estimate(), true
}

// MergeHLL merges hll() states into one, as the scalar hll_merge() does;
// nulls are skipped and ok is false when a value is not a state.
func MergeHLL(states ...any) (any, bool) {
	var acc *sketch
	for _, d := range states {
		if d == nil {
			continue
		}
		s, ok := sketchOf(d)
		if !ok {
			return nil, false
		}
		if acc == nil {
			acc = s
			continue
		}
		acc.merge(s)
	}
	if acc == nil {
		return nil, true
	}
	return acc.state(), true
}
