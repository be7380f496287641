package scalar

// This file implements punycode_from_string and punycode_to_string (RFC
// 3492 on one label, without the xn-- prefix), and the context functions
// of a local run, which has no cluster, database, cursor or extents.

import (
	"strings"
	"unicode/utf8"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	def(strFn(func(s string) string {
		out, ok := punyEncode(s)
		if !ok {
			return ""
		}
		return out
	}), "punycode_from_string")
	def(strFn(func(s string) string {
		out, ok := punyDecode(s)
		if !ok {
			return ""
		}
		return out
	}), "punycode_to_string")
	for _, name := range []string{"current_database", "current_cluster_endpoint", "cursor_current"} {
		def(constFn(value.OfString("")), name)
	}
	def(constFn(value.OfBool(true)), "cursor_after")
	def(constFn(value.OfBool(true)), "cursor_before_or_at")
	def(constFn(value.Null(types.Guid)), "extent_id")
	def(constFn(value.OfDynamic([]any{})), "extent_tags")
}

// constFn binds a function that yields v for every row.
func constFn(v value.Value) binder {
	return func(c *call) (*Fn, error) {
		return c.rows(v.Type, func([]value.Value) value.Value { return v }), nil
	}
}

const (
	pBase = 36
	pTMin = 1
	pTMax = 26
	pSkew = 38
	pDamp = 700
)

func pAdapt(delta, n int, first bool) int {
	if first {
		delta /= pDamp
	} else {
		delta /= 2
	}
	delta += delta / n
	k := 0
	for delta > ((pBase-pTMin)*pTMax)/2 {
		delta /= pBase - pTMin
		k += pBase
	}
	return k + (pBase-pTMin+1)*delta/(delta+pSkew)
}

func pDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}

func pThreshold(k, bias int) int {
	switch {
	case k <= bias:
		return pTMin
	case k >= bias+pTMax:
		return pTMax
	}
	return k - bias
}

// punyEncode encodes a label.
func punyEncode(s string) (string, bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	runes := []rune(s)
	var out strings.Builder
	for _, r := range runes {
		if r < 0x80 {
			out.WriteRune(r)
		}
	}
	b := out.Len()
	h := b
	if b > 0 {
		out.WriteByte('-')
	}
	n, delta, bias := 128, 0, 72
	for h < len(runes) {
		m := rune(0x7fffffff)
		for _, r := range runes {
			if int(r) >= n && r < m {
				m = r
			}
		}
		delta += (int(m) - n) * (h + 1)
		n = int(m)
		for _, r := range runes {
			if int(r) < n {
				delta++
			}
			if int(r) == n {
				q := delta
				for k := pBase; ; k += pBase {
					t := pThreshold(k, bias)
					if q < t {
						break
					}
					out.WriteByte(pDigit(t + (q-t)%(pBase-t)))
					q = (q - t) / (pBase - t)
				}
				out.WriteByte(pDigit(q))
				bias = pAdapt(delta, h+1, h == b)
				delta = 0
				h++
			}
		}
		delta++
		n++
	}
	return out.String(), true
}

// punyDecode decodes a label.
func punyDecode(s string) (string, bool) {
	var out []rune
	rest := s
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		for _, c := range s[:i] {
			if c >= 0x80 {
				return "", false
			}
			out = append(out, c)
		}
		rest = s[i+1:]
	}
	n, i, bias := 128, 0, 72
	for p := 0; p < len(rest); {
		oldi, w := i, 1
		for k := pBase; ; k += pBase {
			if p >= len(rest) {
				return "", false
			}
			c := rest[p]
			p++
			var d int
			switch {
			case c >= 'a' && c <= 'z':
				d = int(c - 'a')
			case c >= 'A' && c <= 'Z':
				d = int(c - 'A')
			case c >= '0' && c <= '9':
				d = int(c-'0') + 26
			default:
				return "", false
			}
			i += d * w
			t := pThreshold(k, bias)
			if d < t {
				break
			}
			w *= pBase - t
		}
		bias = pAdapt(i-oldi, len(out)+1, oldi == 0)
		n += i / (len(out) + 1)
		i %= len(out) + 1
		out = append(out[:i], append([]rune{rune(n)}, out[i:]...)...)
		i++
	}
	return string(out), true
}
