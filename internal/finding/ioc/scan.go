package ioc

// This file holds the scanner state shared by the extraction passes. Each
// pass masks what it takes (with spaces), so later passes do not see the
// inside of a URL as a domain or of a path as an account.

import "strings"

type found struct {
	off int
	ioc IOC
}

type scan struct {
	text      []byte // the refanged text; taken spans are blanked
	lead      int    // offset of the first non-blank byte of the value
	network   bool   // the column holds network names
	found     []found
	pathNames map[string]bool // lower-case last components of paths seen
}

func newScan(text string, network bool) *scan {
	lead := len(text) - len(strings.TrimLeft(text, " \t\r\n"))
	return &scan{text: []byte(text), lead: lead, network: network, pathNames: map[string]bool{}}
}

func (s *scan) add(off int, t Type, value string, tags ...Tag) {
	s.found = append(s.found, found{off, IOC{Type: t, Value: value, Tags: tags}})
}

func (s *scan) mask(start, end int) {
	for i := start; i < end; i++ {
		s.text[i] = ' '
	}
}

func (s *scan) at(i int) byte {
	if i < 0 || i >= len(s.text) {
		return 0
	}
	return s.text[i]
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// addHost adds the host of a URL or UNC path as its own indicator, after
// the container that add already recorded, and returns the tags the host
// gives the container.
func (s *scan) addHost(off int, host string) []Tag {
	if addr, ok := parseIP(host); ok {
		t, tags := ipIOC(addr)
		s.add(off, t, addr.Unmap().String(), tags...)
		return tags
	}
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	switch domainKind(h) {
	case "public":
		s.add(off, Domain, h)
	case "reserved":
		s.add(off, Domain, h, TagReserved)
		return []Tag{TagReserved}
	}
	if h == "localhost" {
		return []Tag{TagLoopback}
	}
	return nil
}

// tag adds tags to the indicator recorded at index i of found.
func (s *scan) tag(i int, tags ...Tag) {
	s.found[i].ioc.Tags = append(s.found[i].ioc.Tags, tags...)
}
