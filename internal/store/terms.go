package store

// This file implements the term index: per row group and string column,
// two Bloom filters that let a scan skip row groups a needle cannot match.
//
//   - terms: every term of every value, ASCII-lower-cased. A term is a
//     maximal run of ASCII letters and digits, as the engine's has
//     operator defines it (bytes ≥ 0x80 separate terms).
//   - values: every whole value, case-folded rune by rune
//     (unicode.ToLower(unicode.ToUpper(r)), which agrees with the engine's
//     =~, in~ and strings.EqualFold), for == , =~, in and in~.
//
// Each filter has 10 bits per distinct key and 7 probes (double hashing
// of a 64-bit FNV-1a hash with a murmur finalizer): for a key that is not
// in the row group the false-positive rate is about 0.8%, so an absent
// needle still reads roughly one row group in 120. A filter never gives
// a false negative, so pruning only ever skips data that cannot match.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode"
	"unicode/utf8"
)

const (
	bloomBitsPerKey = 10
	bloomProbes     = 7
)

// bloom is a Bloom filter over 64-bit key hashes.
type bloom struct {
	words []uint64
}

func newBloom(keys int) *bloom {
	nbits := max(64, keys*bloomBitsPerKey)
	return &bloom{words: make([]uint64, (nbits+63)/64)}
}

func (b *bloom) add(h uint64) {
	m := uint64(len(b.words) * 64)
	h1, h2 := h&0xffffffff, h>>32|1
	for i := uint64(0); i < bloomProbes; i++ {
		bit := (h1 + i*h2) % m
		b.words[bit/64] |= 1 << (bit % 64)
	}
}

func (b *bloom) mayContain(h uint64) bool {
	m := uint64(len(b.words) * 64)
	if m == 0 {
		return true
	}
	h1, h2 := h&0xffffffff, h>>32|1
	for i := uint64(0); i < bloomProbes; i++ {
		bit := (h1 + i*h2) % m
		if b.words[bit/64]&(1<<(bit%64)) == 0 {
			return false
		}
	}
	return true
}

func (b *bloom) appendTo(dst []byte) []byte {
	for _, w := range b.words {
		dst = binary.LittleEndian.AppendUint64(dst, w)
	}
	return dst
}

func bloomOf(data []byte) *bloom {
	b := &bloom{words: make([]uint64, len(data)/8)}
	for i := range b.words {
		b.words[i] = binary.LittleEndian.Uint64(data[8*i:])
	}
	return b
}

// FNV-1a constants and the murmur3 finalizer spread the hash over all bits.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func finish(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// termByte maps each byte to itself ASCII-lower-cased when it belongs to
// a term (an ASCII letter or digit), and to 0 when it separates terms.
var termByte = func() (t [256]byte) {
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c)
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = byte(c), byte(c)
	}
	return t
}()

func isTermByte(c byte) bool { return termByte[c] != 0 }

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// termHash hashes one term, folding ASCII case.
func termHash(t string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(t); i++ {
		h = (h ^ uint64(lowerByte(t[i]))) * fnvPrime
	}
	return finish(h)
}

// addTerms adds the hash of every term of s, as termHash computes it, to
// the set. It is the one tokenizer of the write side.
func (set *hashSet) addTerms(s string) {
	h, in := uint64(fnvOffset), false
	for i := 0; i < len(s); i++ {
		if c := termByte[s[i]]; c != 0 {
			h, in = (h^uint64(c))*fnvPrime, true
			continue
		}
		if in {
			set.add(finish(h))
			h, in = fnvOffset, false
		}
	}
	if in {
		set.add(finish(h))
	}
}

// foldRune is the case-folding key of r: runes the engine compares
// case-insensitively equal map to the same key.
func foldRune(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }

// valueHash hashes a whole value case-folded. Invalid UTF-8 bytes hash as
// U+FFFD, as the engine decodes them.
func valueHash(s string) uint64 {
	h := uint64(fnvOffset)
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			h = (h ^ uint64(lowerByte(c))) * fnvPrime
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n := utf8.EncodeRune(buf[:], foldRune(r))
		for _, b := range buf[:n] {
			h = (h ^ uint64(b)) * fnvPrime
		}
	}
	return finish(h)
}

// hashSet is a set of non-zero hashes (open addressing), used to count
// the distinct keys of a row group before sizing its filters.
type hashSet struct {
	slots []uint64
	n     int
}

func (s *hashSet) add(h uint64) {
	if h == 0 {
		h = 1
	}
	if 2*(s.n+1) > len(s.slots) {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case h:
			return
		case 0:
			s.slots[i] = h
			s.n++
			return
		}
	}
}

func (s *hashSet) grow() {
	old := s.slots
	s.slots = make([]uint64, max(64, 2*len(old)))
	s.n = 0
	for _, h := range old {
		if h != 0 {
			s.add(h)
		}
	}
}

func (s *hashSet) reset() {
	clear(s.slots)
	s.n = 0
}

// bloomOfSet returns a filter holding every hash of s.
func bloomOfSet(s *hashSet) *bloom {
	b := newBloom(s.n)
	for _, h := range s.slots {
		if h != 0 {
			b.add(h)
		}
	}
	return b
}

// columnTerms collects the keys of one string column in one row group.
type columnTerms struct {
	terms, values hashSet
	recent        [256]string // values already tokenized, by hash slot
}

func (c *columnTerms) addValue(s string) {
	slot := &c.recent[quickSlot(s)]
	if *slot == s && s != "" {
		return // added already
	}
	*slot = s
	c.values.add(valueHash(s))
	c.terms.addTerms(s)
}

// quickSlot picks s's slot in the recent-values cache from a few bytes.
func quickSlot(s string) int {
	if s == "" {
		return 0
	}
	n := len(s)
	return int(uint(n)^uint(s[0])<<2^uint(s[n-1])<<4^uint(s[n/2])<<1^uint(s[n/3])<<3) & 255
}

func (c *columnTerms) reset() {
	c.terms.reset()
	c.values.reset()
	c.recent = [256]string{}
}

// The terms file of a segment (<segment>.terms) holds the filters of every
// row group and string column, then a footer:
//
//	filters…  (each: little-endian uint64 words)
//	directory: uvarint count of columns; per column uvarint length + name;
//	           uvarint count of row groups; per row group and column
//	           uvarint offset and word count of the terms filter, then
//	           of the values filter
//	uint32 directory length, "VGTI" magic
const termsMagic = "VGTI"

// termsWriter writes a terms file row group by row group.
type termsWriter struct {
	w       io.Writer
	off     uint64
	columns []string
	dir     []uint64 // per row group and column: off, words, off, words
	buf     []byte
}

func (tw *termsWriter) writeRowGroup(cols []*columnTerms) error {
	for _, c := range cols {
		for _, set := range []*hashSet{&c.terms, &c.values} {
			b := bloomOfSet(set)
			tw.buf = b.appendTo(tw.buf[:0])
			if _, err := tw.w.Write(tw.buf); err != nil {
				return err
			}
			tw.dir = append(tw.dir, tw.off, uint64(len(b.words)))
			tw.off += uint64(len(tw.buf))
		}
	}
	return nil
}

func (tw *termsWriter) finish(rowGroups int) error {
	d := binary.AppendUvarint(nil, uint64(len(tw.columns)))
	for _, c := range tw.columns {
		d = binary.AppendUvarint(d, uint64(len(c)))
		d = append(d, c...)
	}
	d = binary.AppendUvarint(d, uint64(rowGroups))
	for _, v := range tw.dir {
		d = binary.AppendUvarint(d, v)
	}
	d = binary.LittleEndian.AppendUint32(d, uint32(len(d)))
	d = append(d, termsMagic...)
	_, err := tw.w.Write(d)
	return err
}

// termsIndex is an open terms file.
type termsIndex struct {
	f         *os.File
	columns   map[string]int
	rowGroups int
	dir       []uint64
}

var errBadTerms = errors.New("malformed terms file")

func openTerms(path string) (*termsIndex, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	ti, err := readTermsFooter(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ti, nil
}

func readTermsFooter(f *os.File) (*termsIndex, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	var tail [8]byte
	if fi.Size() < 8 {
		return nil, errBadTerms
	}
	if _, err := f.ReadAt(tail[:], fi.Size()-8); err != nil {
		return nil, err
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if string(tail[4:]) != termsMagic || n > fi.Size()-8 {
		return nil, errBadTerms
	}
	d := make([]byte, n)
	if _, err := f.ReadAt(d, fi.Size()-8-n); err != nil {
		return nil, err
	}
	return parseTermsDir(f, d)
}

func parseTermsDir(f *os.File, d []byte) (*termsIndex, error) {
	ti := &termsIndex{f: f, columns: map[string]int{}}
	next := func() uint64 {
		v, k := binary.Uvarint(d)
		if k <= 0 {
			d = nil
			return 0
		}
		d = d[k:]
		return v
	}
	ncol := int(next())
	for i := 0; i < ncol; i++ {
		l := int(next())
		if l > len(d) {
			return nil, errBadTerms
		}
		ti.columns[string(d[:l])] = i
		d = d[l:]
	}
	ti.rowGroups = int(next())
	want := ti.rowGroups * ncol * 4
	for i := 0; i < want && d != nil; i++ {
		ti.dir = append(ti.dir, next())
	}
	if len(ti.dir) != want || len(d) != 0 {
		return nil, errBadTerms
	}
	return ti, nil
}

// filter reads the terms (values=false) or values filter of a row group
// and column; ok is false when the file has no filter for the column.
func (ti *termsIndex) filter(rg int, column string, values bool) (*bloom, bool, error) {
	c, ok := ti.columns[column]
	if !ok || rg >= ti.rowGroups {
		return nil, false, nil
	}
	i := (rg*len(ti.columns)+c)*4 + 0
	if values {
		i += 2
	}
	off, words := ti.dir[i], ti.dir[i+1]
	if words > 1<<28 {
		return nil, false, errBadTerms
	}
	data := make([]byte, 8*words)
	if _, err := ti.f.ReadAt(data, int64(off)); err != nil {
		return nil, false, err
	}
	return bloomOf(data), true, nil
}

func (ti *termsIndex) close() error { return ti.f.Close() }
