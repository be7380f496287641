package ioc

// This file extracts IP addresses and URLs and classifies address ranges.

import (
	"net/netip"
	"net/url"
	"regexp"
	"strings"
)

var (
	ipv4RE = regexp.MustCompile(`[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}`)
	ipv6RE = regexp.MustCompile(`[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*`)
	urlRE  = regexp.MustCompile("(?i)\\b(?:https?|ftp)://[^\\s\"'<>`\\\\^{}|]+")
)

// ranges classifies special-purpose addresses, most specific first.
var ranges = []struct {
	prefix netip.Prefix
	tag    Tag
}{
	{netip.MustParsePrefix("192.0.2.0/24"), TagDocumentation},
	{netip.MustParsePrefix("198.51.100.0/24"), TagDocumentation},
	{netip.MustParsePrefix("203.0.113.0/24"), TagDocumentation},
	{netip.MustParsePrefix("2001:db8::/32"), TagDocumentation},
	{netip.MustParsePrefix("3fff::/20"), TagDocumentation},
	{netip.MustParsePrefix("10.0.0.0/8"), TagPrivate},
	{netip.MustParsePrefix("172.16.0.0/12"), TagPrivate},
	{netip.MustParsePrefix("192.168.0.0/16"), TagPrivate},
	{netip.MustParsePrefix("fc00::/7"), TagPrivate},
	{netip.MustParsePrefix("127.0.0.0/8"), TagLoopback},
	{netip.MustParsePrefix("::1/128"), TagLoopback},
	{netip.MustParsePrefix("169.254.0.0/16"), TagLinkLocal},
	{netip.MustParsePrefix("fe80::/10"), TagLinkLocal},
	{netip.MustParsePrefix("224.0.0.0/4"), TagMulticast},
	{netip.MustParsePrefix("ff00::/8"), TagMulticast},
	{netip.MustParsePrefix("0.0.0.0/32"), TagUnspecified},
	{netip.MustParsePrefix("::/128"), TagUnspecified},
	{netip.MustParsePrefix("0.0.0.0/8"), TagReserved},
	{netip.MustParsePrefix("100.64.0.0/10"), TagReserved}, // carrier-grade NAT
	{netip.MustParsePrefix("192.0.0.0/24"), TagReserved},
	{netip.MustParsePrefix("198.18.0.0/15"), TagReserved}, // benchmarking
	{netip.MustParsePrefix("240.0.0.0/4"), TagReserved},   // incl. broadcast
	{netip.MustParsePrefix("100::/64"), TagReserved},      // discard-only
}

// RangeTag names the special-purpose range an address is in, or "" for a
// global address. Documentation ranges are not private.
func RangeTag(addr netip.Addr) Tag {
	addr = addr.Unmap()
	for _, r := range ranges {
		if r.prefix.Contains(addr) {
			return r.tag
		}
	}
	return ""
}

func parseIP(s string) (netip.Addr, bool) {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	if i := strings.IndexByte(s, '%'); i >= 0 {
		s = s[:i]
	}
	a, err := netip.ParseAddr(s)
	return a, err == nil
}

func canonicalIP(s string) string {
	if a, ok := parseIP(s); ok {
		return a.String()
	}
	return strings.ToLower(s)
}

func ipIOC(a netip.Addr) (Type, []Tag) {
	t := IPv6
	if a.Unmap().Is4() && a.Is4() {
		t = IPv4
	}
	if tag := RangeTag(a); tag != "" {
		return t, []Tag{tag}
	}
	return t, nil
}

// urls takes http, https and ftp URLs, and their hosts as domains or IPs.
func (s *scan) urls() {
	for _, m := range urlRE.FindAllIndex(s.text, -1) {
		raw := trimURL(string(s.text[m[0]:m[1]]))
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			continue
		}
		host := u.Hostname()
		if !strings.Contains(host, ".") && !strings.Contains(host, ":") && host != "localhost" {
			continue
		}
		i := len(s.found)
		s.add(m[0], URL, normalizeURL(raw))
		s.tag(i, s.addHost(m[0], host)...)
		s.mask(m[0], m[0]+len(raw))
	}
}

// trimURL drops sentence punctuation after a URL and a closing bracket
// that has no opening one inside it.
func trimURL(u string) string {
	for len(u) > 0 {
		c := u[len(u)-1]
		switch {
		case strings.IndexByte(".,;:!?*", c) >= 0:
		case c == ')' && strings.Count(u, "(") < strings.Count(u, ")"):
		case c == ']' && strings.Count(u, "[") < strings.Count(u, "]"):
		default:
			return u
		}
		u = u[:len(u)-1]
	}
	return u
}

// normalizeURL lower-cases the scheme and host; the rest keeps its case.
func normalizeURL(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	return strings.ToLower(scheme) + "://" + strings.ToLower(rest[:end]) + rest[end:]
}

// ipv6s takes runs of hex digits, colons and dots that parse as IPv6.
func (s *scan) ipv6s() {
	for _, m := range ipv6RE.FindAllIndex(s.text, -1) {
		start, end := m[0], m[1]
		for end > start && (s.text[end-1] == '.' || s.text[end-1] == ':' && s.at(end-2) != ':') {
			end--
		}
		run := string(s.text[start:end])
		if isAlnum(s.at(start-1)) || isAlnum(s.at(end)) || !strings.ContainsAny(run, "0123456789abcdefABCDEF") {
			continue
		}
		if !strings.Contains(run, "::") && strings.Count(run, ":") != 7 && !(strings.Count(run, ":") == 6 && strings.Contains(run, ".")) {
			continue
		}
		a, err := netip.ParseAddr(run)
		if err != nil || !a.Is6() {
			continue
		}
		if a.Is4In6() {
			t, tags := ipIOC(a.Unmap())
			s.add(start, t, a.Unmap().String(), tags...)
		} else {
			_, tags := ipIOC(a)
			s.add(start, IPv6, a.String(), tags...)
		}
		s.mask(start, end)
	}
}

// ipv4s takes dotted quads that are not part of a longer dotted number
// (10.0.19041.1, 1.2.3.4.5) or of a word (v1.2.3.4).
func (s *scan) ipv4s() {
	for _, m := range ipv4RE.FindAllIndex(s.text, -1) {
		start, end := m[0], m[1]
		before, after := s.at(start-1), s.at(end)
		if isAlnum(before) || before == '.' && isDigit(s.at(start-2)) ||
			isAlnum(after) || after == '.' && isDigit(s.at(end+1)) {
			continue
		}
		a, err := netip.ParseAddr(string(s.text[start:end]))
		if err != nil {
			continue
		}
		_, tags := ipIOC(a)
		s.add(start, IPv4, a.String(), tags...)
		s.mask(start, end)
	}
}
