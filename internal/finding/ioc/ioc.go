package ioc

// This file defines indicators and the extraction entry points.

import (
	"sort"
	"strings"
)

// Type is the kind of an indicator.
type Type string

// Indicator types.
const (
	IPv4        Type = "ipv4"
	IPv6        Type = "ipv6"
	Domain      Type = "domain"
	URL         Type = "url"
	MD5         Type = "md5"
	SHA1        Type = "sha1"
	SHA256      Type = "sha256"
	FilePath    Type = "file_path"
	FileName    Type = "file_name"
	RegistryKey Type = "registry_key"
	Account     Type = "account"
)

// Types lists every indicator type.
var Types = []Type{IPv4, IPv6, Domain, URL, MD5, SHA1, SHA256, FilePath, FileName, RegistryKey, Account}

// Tag qualifies an indicator.
type Tag string

// Tags. Addresses and hosts get one range tag; names get the others.
const (
	TagPrivate       Tag = "private"       // RFC 1918, fc00::/7
	TagLoopback      Tag = "loopback"      // 127/8, ::1
	TagLinkLocal     Tag = "link-local"    // 169.254/16, fe80::/10
	TagDocumentation Tag = "documentation" // TEST-NET-1/2/3, 2001:db8::/32: still reported
	TagReserved      Tag = "reserved"      // other special-purpose ranges; .example names
	TagMulticast     Tag = "multicast"
	TagUnspecified   Tag = "unspecified" // 0.0.0.0, ::
	TagUNC           Tag = "unc"         // \\host\share path
	TagUPN           Tag = "upn"         // user@domain account
	TagInternal      Tag = "internal"    // UPN under an internal TLD such as .local
	TagBuiltin       Tag = "builtin"     // NT AUTHORITY\…, BUILTIN\… accounts
	TagAlsoDomain    Tag = "also-domain" // file name whose extension is also a TLD (evil.zip)
)

// Cell locates where an indicator was first seen: an evidence entry of a
// finding, a row of it, and a column.
type Cell struct {
	Evidence int    `json:"evidence"`
	Row      int    `json:"row"`
	Column   string `json:"column"`
}

// IOC is one indicator of compromise. Value is refanged; Defanged is safe
// to print.
type IOC struct {
	Type      Type   `json:"type"`
	Value     string `json:"value"`
	Defanged  string `json:"defanged"`
	Tags      []Tag  `json:"tags,omitempty"`
	FirstSeen *Cell  `json:"first_seen,omitempty"`
}

// HasTag reports whether the indicator carries tag.
func (i IOC) HasTag(tag Tag) bool {
	for _, t := range i.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// Extract finds the indicators in a text, in order of appearance, each
// once. Defanged forms (hxxp, [.]) are recognised and refanged.
func Extract(text string) []IOC { return ExtractIn(text, "") }

// ExtractIn is Extract for a value of the named column. A column whose
// name mentions a URL, domain, host, DNS or FQDN makes a name such as
// "evil.zip" a domain; elsewhere it is a file name (see doc.go).
func ExtractIn(text, column string) []IOC {
	s := newScan(Refang(text), networkColumn(column))
	s.urls()
	s.registryKeys()
	s.windowsPaths()
	s.unixPaths()
	s.upns()
	s.domainAccounts()
	s.ipv6s()
	s.ipv4s()
	if !idColumn(column) {
		s.hashes()
	}
	s.names()
	sort.SliceStable(s.found, func(a, b int) bool { return s.found[a].off < s.found[b].off })
	var set Set
	for _, f := range s.found {
		set.Add(f.ioc)
	}
	return set.List()
}

// idColumn reports a column of identifiers (DeviceId, ReportId,
// AadDeviceId, TenantId, …): their hex values look like hashes but are
// not file hashes.
func idColumn(column string) bool {
	return strings.HasSuffix(column, "Id") || strings.HasSuffix(column, "ID") || strings.HasSuffix(column, "_id") ||
		strings.EqualFold(column, "id")
}

func networkColumn(column string) bool {
	c := strings.ToLower(column)
	for _, w := range []string{"url", "domain", "host", "dns", "fqdn"} {
		if strings.Contains(c, w) {
			return true
		}
	}
	return false
}

// Set collects indicators once each: case-insensitively for types that
// are (domains, hashes, Windows paths, registry keys, accounts, file
// names), exactly for Unix paths and URL paths. The zero value is ready.
type Set struct {
	list  []IOC
	index map[string]int
}

// Add keeps the first occurrence of an indicator, adding any new tags to
// it; it reports whether the indicator was new.
func (s *Set) Add(i IOC) bool {
	if s.index == nil {
		s.index = map[string]int{}
	}
	k := Key(i)
	if j, ok := s.index[k]; ok {
		for _, t := range i.Tags {
			if !s.list[j].HasTag(t) {
				s.list[j].Tags = append(s.list[j].Tags, t)
			}
		}
		return false
	}
	if i.Defanged == "" {
		i.Defanged = Defang(i)
	}
	s.index[k] = len(s.list)
	s.list = append(s.list, i)
	return true
}

// List returns the indicators in the order they were added.
func (s *Set) List() []IOC { return append([]IOC(nil), s.list...) }

// Len is the number of distinct indicators.
func (s *Set) Len() int { return len(s.list) }

// Key is the identity of an indicator used for de-duplication: type plus
// a normalised value.
func Key(i IOC) string {
	v := i.Value
	switch i.Type {
	case URL:
		v = normalizeURL(v)
	case FilePath:
		if !strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "~") {
			v = strings.ToLower(v)
		}
	case RegistryKey:
		v = strings.ToLower(canonicalHive(v))
	case IPv4, IPv6:
		v = canonicalIP(v)
	default:
		v = strings.ToLower(v)
	}
	return string(i.Type) + "\x00" + v
}
