package ioc

// This file decides whether a dotted name is a domain, using the embedded
// public suffix list.

//go:generate go run ../internal/gen suffixes -in /usr/share/publicsuffix/public_suffix_list.dat -out suffixes.txt

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed suffixes.txt
var suffixData string

// reservedTLDs are accepted as suffixes although they are not public
// (RFC 2606); the lab's attacker domains live under .example.
var reservedTLDs = map[string]bool{"example": true}

// internalTLDs are names Active Directory forests commonly use. They make
// a UPN's domain acceptable, never a stand-alone domain IOC.
var internalTLDs = map[string]bool{"local": true, "lan": true, "internal": true, "corp": true,
	"home": true, "localdomain": true, "intranet": true}

var suffixes = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(suffixData, "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
})

// IsPublicSuffix reports whether name (lower case, no trailing dot) is an
// ICANN top-level domain or two-label public suffix, e.g. "com", "co.uk",
// "zip".
func IsPublicSuffix(name string) bool { return suffixes()[name] }

// domainKind classifies a lower-case dotted name: "" when it is not a
// domain, "public" when it ends in a public suffix with a label before it,
// "reserved" for .example names.
func domainKind(name string) string {
	if len(name) > 253 {
		return ""
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return ""
	}
	for _, l := range labels {
		if !validLabel(l) {
			return ""
		}
	}
	tld := labels[len(labels)-1]
	switch {
	case reservedTLDs[tld]:
		return "reserved"
	case len(labels) >= 3 && IsPublicSuffix(strings.Join(labels[len(labels)-2:], ".")):
		return "public"
	case IsPublicSuffix(tld) && !IsPublicSuffix(strings.Join(labels[len(labels)-2:], ".")):
		return "public"
	}
	return ""
}

// validLabel checks an LDH label: letters, digits and inner hyphens.
func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// upnDomainOK accepts the domain of a user@domain account: a public or
// reserved domain, or a name under a common internal TLD.
func upnDomainOK(domain string) (string, bool) {
	if k := domainKind(domain); k != "" {
		return k, true
	}
	i := strings.LastIndexByte(domain, '.')
	if i > 0 && internalTLDs[domain[i+1:]] {
		for _, l := range strings.Split(domain, ".") {
			if !validLabel(l) {
				return "", false
			}
		}
		return "internal", true
	}
	return "", false
}
