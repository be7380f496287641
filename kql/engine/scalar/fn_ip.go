package scalar

// This file implements the IPv4 and IPv6 functions. Addresses may carry a
// CIDR suffix (/n); comparisons use the shortest prefix in play. IPv4
// addresses in the IPv6 functions are mapped (::ffff:a.b.c.d) and their
// prefixes shifted by 96 bits.

import (
	"fmt"
	"math/bits"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	def(ipRows(types.Long, func(v []value.Value) value.Value {
		ip, ok := parseV4(toStr(v[0]))
		if !ok {
			return value.Null(types.Long)
		}
		return value.OfLong(int64(ip.masked()))
	}), "parse_ipv4")
	def(ipRows(types.Long, func(v []value.Value) value.Value {
		ip, ok := parseV4(toStr(v[0]))
		p, okp := argInt(v[1])
		if !ok || !okp || p < 0 || p > 32 {
			return value.Null(types.Long)
		}
		ip.bits = min(ip.bits, int(p))
		return value.OfLong(int64(ip.masked()))
	}), "parse_ipv4_mask")
	def(ipRows(types.Bool, func(v []value.Value) value.Value {
		ip, ok := parseV4(toStr(v[0]))
		if !ok {
			return value.Null(types.Bool)
		}
		a := ip.addr
		return value.OfBool(a>>24 == 10 || a>>20 == 0xac1 || a>>16 == 0xc0a8)
	}), "ipv4_is_private")
	def(ipRows(types.Bool, func(v []value.Value) value.Value {
		ip, ok1 := parseV4(toStr(v[0]))
		r, ok2 := parseV4(toStr(v[1]))
		if !ok1 || !ok2 {
			return value.Null(types.Bool)
		}
		return value.OfBool(r.contains(ip))
	}), "ipv4_is_in_range")
	def(ipRows(types.Bool, func(v []value.Value) value.Value {
		ip, ok := parseV4(toStr(v[0]))
		if !ok {
			return value.Null(types.Bool)
		}
		for _, s := range flatStrings(v[1:]) {
			if r, ok := parseV4(s); ok && r.contains(ip) {
				return value.OfBool(true)
			}
		}
		return value.OfBool(false)
	}), "ipv4_is_in_any_range")
	def(ipRows(types.Bool, func(v []value.Value) value.Value {
		c, ok := compareV4(v)
		if !ok {
			return value.Null(types.Bool)
		}
		return value.OfBool(c == 0)
	}), "ipv4_is_match")
	def(ipRows(types.Long, func(v []value.Value) value.Value {
		c, ok := compareV4(v)
		if !ok {
			return value.Null(types.Long)
		}
		return value.OfLong(int64(c))
	}), "ipv4_compare")
	def(ipRows(types.Long, func(v []value.Value) value.Value {
		ip, ok := parseV4(toStr(v[0]))
		if !ok {
			return value.Null(types.Long)
		}
		return value.OfLong(int64(ip.bits))
	}), "ipv4_netmask_suffix")
	def(ipRows(types.Dynamic, rangeToCIDRs), "ipv4_range_to_cidr_list")
	def(ipRows(types.String, func(v []value.Value) value.Value { return formatV4(v, false) }), "format_ipv4")
	def(ipRows(types.String, func(v []value.Value) value.Value { return formatV4(v, true) }), "format_ipv4_mask")
	def(ipRows(types.String, func(v []value.Value) value.Value {
		ip, ok := parseV6(toStr(v[0]))
		if !ok {
			return value.OfString("")
		}
		return value.OfString(ip.String())
	}), "parse_ipv6")
	def(ipRows(types.String, func(v []value.Value) value.Value {
		ip, ok := parseV6(toStr(v[0]))
		p, okp := argInt(v[1])
		if !ok || !okp || p < 0 || p > 128 {
			return value.OfString("")
		}
		ip.bits = min(ip.bits, int(p))
		return value.OfString(ip.String())
	}), "parse_ipv6_mask")
	def(ipRows(types.Long, func(v []value.Value) value.Value {
		c, ok := compareV6(v)
		if !ok {
			return value.Null(types.Long)
		}
		return value.OfLong(int64(c))
	}), "ipv6_compare")
	def(ipRows(types.Bool, func(v []value.Value) value.Value {
		c, ok := compareV6(v)
		if !ok {
			return value.Null(types.Bool)
		}
		return value.OfBool(c == 0)
	}), "ipv6_is_match")
	def(ipRows(types.Bool, func(v []value.Value) value.Value {
		ip, ok1 := parseV6(toStr(v[0]))
		r, ok2 := parseV6(toStr(v[1]))
		if !ok1 || !ok2 {
			return value.Null(types.Bool)
		}
		return value.OfBool(r.contains(ip))
	}), "ipv6_is_in_range")
	def(ipRows(types.Bool, func(v []value.Value) value.Value {
		ip, ok := parseV6(toStr(v[0]))
		if !ok {
			return value.Null(types.Bool)
		}
		for _, s := range flatStrings(v[1:]) {
			if r, ok := parseV6(s); ok && r.contains(ip) {
				return value.OfBool(true)
			}
		}
		return value.OfBool(false)
	}), "ipv6_is_in_any_range")
	def(ipRows(types.Bool, func(v []value.Value) value.Value {
		return value.OfBool(hasIPv4(toStr(v[0]), flatStrings(v[1:2]), false))
	}), "has_ipv4")
	def(ipRows(types.Bool, func(v []value.Value) value.Value {
		return value.OfBool(hasIPv4(toStr(v[0]), flatStrings(v[1:2]), true))
	}), "has_ipv4_prefix")
	def(ipRows(types.Bool, func(v []value.Value) value.Value {
		return value.OfBool(hasIPv4(toStr(v[0]), flatStrings(v[1:]), false))
	}), "has_any_ipv4")
	def(ipRows(types.Bool, func(v []value.Value) value.Value {
		return value.OfBool(hasIPv4(toStr(v[0]), flatStrings(v[1:]), true))
	}), "has_any_ipv4_prefix")
}

func ipRows(t types.Type, f rowFunc) binder {
	return func(c *call) (*Fn, error) { return c.rows(t, f), nil }
}

// flatStrings returns the string forms of values, spreading arrays.
func flatStrings(vs []value.Value) []string {
	var out []string
	for _, v := range vs {
		if arr, ok := v.D.([]any); ok && v.Type == types.Dynamic {
			for _, e := range arr {
				out = append(out, toStr(fromDyn(e)))
			}
			continue
		}
		out = append(out, toStr(v))
	}
	return out
}

// v4 is an IPv4 address with a prefix length.
type v4 struct {
	addr uint32
	bits int
}

func mask4(bits int) uint32 {
	if bits <= 0 {
		return 0
	}
	return ^uint32(0) << (32 - bits)
}

func (a v4) masked() uint32 { return a.addr & mask4(a.bits) }

func (a v4) contains(b v4) bool {
	return a.addr&mask4(a.bits) == b.addr&mask4(a.bits)
}

// parseV4 parses "a.b.c.d" or "a.b.c.d/n".
func parseV4(s string) (v4, bool) {
	s = strings.TrimSpace(s)
	addr, suffix, hasSuffix := strings.Cut(s, "/")
	bits := 32
	if hasSuffix {
		n, err := strconv.Atoi(suffix)
		if err != nil || n < 0 || n > 32 {
			return v4{}, false
		}
		bits = n
	}
	a, ok := parseDotted(addr)
	return v4{addr: a, bits: bits}, ok
}

func parseDotted(s string) (uint32, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return 0, false
	}
	var a uint32
	for _, p := range parts {
		if p == "" || len(p) > 3 {
			return 0, false
		}
		n, err := strconv.Atoi(p)
		if err != nil || n > 255 {
			return 0, false
		}
		a = a<<8 | uint32(n)
	}
	return a, true
}

func dotted(a uint32) string {
	return fmt.Sprintf("%d.%d.%d.%d", a>>24, a>>16&255, a>>8&255, a&255)
}

// compareV4 compares v[0] and v[1] under the shortest prefix (and v[2]).
func compareV4(v []value.Value) (int, bool) {
	a, ok1 := parseV4(toStr(v[0]))
	b, ok2 := parseV4(toStr(v[1]))
	if !ok1 || !ok2 {
		return 0, false
	}
	p := min(a.bits, b.bits)
	if len(v) > 2 {
		q, ok := argInt(v[2])
		if !ok || q < 0 || q > 32 {
			return 0, false
		}
		p = min(p, int(q))
	}
	x, y := a.addr&mask4(p), b.addr&mask4(p)
	switch {
	case x < y:
		return -1, true
	case x > y:
		return 1, true
	}
	return 0, true
}

// formatV4 is format_ipv4 / format_ipv4_mask: the address (a string or a
// long) masked to its prefix and the optional argument.
func formatV4(v []value.Value, withMask bool) value.Value {
	var ip v4
	if x := unwrap(v[0]); isIntType(x.Type) {
		if x.I < 0 || x.I > 0xffffffff {
			return value.OfString("")
		}
		ip = v4{addr: uint32(x.I), bits: 32}
	} else {
		var ok bool
		if ip, ok = parseV4(toStr(x)); !ok {
			return value.OfString("")
		}
	}
	if len(v) > 1 {
		p, ok := argInt(v[1])
		if !ok || p < 0 || p > 32 {
			return value.OfString("")
		}
		ip.bits = min(ip.bits, int(p))
	}
	s := dotted(ip.masked())
	if withMask {
		s += "/" + strconv.Itoa(ip.bits)
	}
	return value.OfString(s)
}

// rangeToCIDRs is ipv4_range_to_cidr_list(start, end).
func rangeToCIDRs(v []value.Value) value.Value {
	a, ok1 := parseDotted(toStr(v[0]))
	b, ok2 := parseDotted(toStr(v[1]))
	if !ok1 || !ok2 || a > b {
		return value.Null(types.Dynamic)
	}
	out := []any{}
	for cur := uint64(a); cur <= uint64(b); {
		size := bits.TrailingZeros64(cur | 1<<32)
		for size > 0 && cur+(uint64(1)<<size)-1 > uint64(b) {
			size--
		}
		out = append(out, dotted(uint32(cur))+"/"+strconv.Itoa(32-size))
		cur += uint64(1) << size
	}
	return value.OfDynamic(out)
}

// v6 is an IPv6 address (IPv4 mapped) with a prefix length.
type v6 struct {
	addr [16]byte
	bits int
}

func (a v6) maskedBytes(bits int) [16]byte {
	out := a.addr
	for i := range out {
		keep := bits - 8*i
		switch {
		case keep >= 8:
		case keep <= 0:
			out[i] = 0
		default:
			out[i] &= byte(0xff << (8 - keep))
		}
	}
	return out
}

func (a v6) String() string {
	b := a.maskedBytes(a.bits)
	parts := make([]string, 8)
	for i := range parts {
		parts[i] = fmt.Sprintf("%02x%02x", b[2*i], b[2*i+1])
	}
	return strings.Join(parts, ":")
}

func (a v6) contains(b v6) bool {
	return a.maskedBytes(a.bits) == b.maskedBytes(a.bits)
}

// parseV6 parses an IPv6 or IPv4 address with an optional /n.
func parseV6(s string) (v6, bool) {
	s = strings.TrimSpace(s)
	addr, suffix, hasSuffix := strings.Cut(s, "/")
	if a, ok := parseDotted(addr); ok {
		bits := 128
		if hasSuffix {
			n, err := strconv.Atoi(suffix)
			if err != nil || n < 0 || n > 32 {
				return v6{}, false
			}
			bits = 96 + n
		}
		ip := netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)})
		return v6{addr: netip.AddrFrom16(ip.As16()).As16(), bits: bits}, true
	}
	if i := strings.LastIndexByte(addr, ':'); i >= 0 && strings.Contains(addr[i:], ".") {
		// ::a.b.c.d and ::ffff:a.b.c.d are IPv4 addresses.
		if a, ok := parseDotted(addr[i+1:]); ok && strings.Trim(addr[:i+1], ":fF") == "" {
			return parseV6(dotted(a) + s[len(addr):])
		}
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return v6{}, false
	}
	b := ip.As16()
	if ip.Is4In6() || ip.Is4() {
		b = netip.AddrFrom4(ip.Unmap().As4()).As16()
		b[10], b[11] = 0xff, 0xff
	}
	bits := 128
	if hasSuffix {
		n, err := strconv.Atoi(suffix)
		if err != nil || n < 0 || n > 128 {
			return v6{}, false
		}
		bits = n
		if ip.Is4In6() && strings.Contains(addr, ".") && n <= 32 {
			bits = 96 + n
		}
	}
	return v6{addr: b, bits: bits}, true
}

func compareV6(v []value.Value) (int, bool) {
	a, ok1 := parseV6(toStr(v[0]))
	b, ok2 := parseV6(toStr(v[1]))
	if !ok1 || !ok2 {
		return 0, false
	}
	p := min(a.bits, b.bits)
	if len(v) > 2 {
		q, ok := argInt(v[2])
		if !ok || q < 0 || q > 128 {
			return 0, false
		}
		p = min(p, int(q))
	}
	x, y := a.maskedBytes(p), b.maskedBytes(p)
	return strings.Compare(string(x[:]), string(y[:])), true
}

// hasIPv4 reports whether text holds a valid IPv4 address (bounded by
// characters that are neither letters, digits nor dots) equal to one of
// ips, or, when prefix, starting with one of them. A prefix must be a
// whole address or end with a dot.
func hasIPv4(text string, ips []string, prefix bool) bool {
	var want []string
	for _, ip := range ips {
		ip = strings.TrimSpace(ip)
		if prefix {
			if !validV4Prefix(ip) {
				continue
			}
		} else if _, ok := parseDotted(ip); !ok {
			continue
		}
		want = append(want, ip)
	}
	if len(want) == 0 {
		return false
	}
	for i := 0; i < len(text); {
		c := text[i]
		if !(c >= '0' && c <= '9') {
			i++
			continue
		}
		j := i
		for j < len(text) && (text[j] >= '0' && text[j] <= '9' || text[j] == '.') {
			j++
		}
		cand := text[i:j]
		before := i == 0 || !isTermByte(text[i-1])
		after := j == len(text) || !isTermByte(text[j])
		if before && after {
			if a, ok := parseDotted(cand); ok {
				s := dotted(a)
				for _, w := range want {
					if prefix && strings.HasPrefix(s, w) || !prefix && s == dottedOf(w) {
						return true
					}
				}
			}
		}
		i = j
	}
	return false
}

func dottedOf(s string) string {
	a, _ := parseDotted(s)
	return dotted(a)
}

func validV4Prefix(p string) bool {
	if _, ok := parseDotted(p); ok {
		return true
	}
	if !strings.HasSuffix(p, ".") {
		return false
	}
	parts := strings.Split(strings.TrimSuffix(p, "."), ".")
	if len(parts) > 3 {
		return false
	}
	for _, x := range parts {
		n, err := strconv.Atoi(x)
		if err != nil || n < 0 || n > 255 {
			return false
		}
	}
	return true
}
