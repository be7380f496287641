package ingest

// This file reads UTF-16 text (with its byte-order mark) as UTF-8.

import (
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// utf16Reader converts a UTF-16 stream that starts with a byte-order mark
// to UTF-8. An unpaired surrogate becomes U+FFFD; an odd final byte is
// dropped.
type utf16Reader struct {
	r       io.Reader
	big     bool // big-endian
	started bool
	in      []byte
	out     []byte
	high    rune // a high surrogate waiting for its pair
	err     error
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		u.fill()
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

func (u *utf16Reader) fill() {
	buf := make([]byte, 32<<10)
	n, err := u.r.Read(buf)
	u.in = append(u.in, buf[:n]...)
	if !u.started && len(u.in) >= 2 {
		u.in, u.started = u.in[2:], true // the byte-order mark
	}
	out := u.out[:0]
	i := 0
	for ; u.started && i+1 < len(u.in); i += 2 {
		c := rune(u.in[i]) | rune(u.in[i+1])<<8
		if u.big {
			c = rune(u.in[i])<<8 | rune(u.in[i+1])
		}
		switch {
		case u.high != 0 && utf16.IsSurrogate(c) && c >= 0xdc00:
			out = utf8.AppendRune(out, utf16.DecodeRune(u.high, c))
			u.high = 0
			continue
		case u.high != 0:
			out = utf8.AppendRune(out, utf8.RuneError)
			u.high = 0
		}
		if utf16.IsSurrogate(c) && c < 0xdc00 {
			u.high = c
			continue
		}
		if utf16.IsSurrogate(c) {
			c = utf8.RuneError
		}
		out = utf8.AppendRune(out, c)
	}
	u.in = u.in[i:]
	u.out = out
	if err != nil {
		if u.high != 0 {
			u.out = utf8.AppendRune(u.out, utf8.RuneError)
			u.high = 0
		}
		u.err = err
	}
}
