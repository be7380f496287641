package ioc

// This file turns defanged indicators back into matchable text and back.

import (
	"regexp"
	"strings"
)

var refangers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`(?i)\s?[\[({]\s?(?:\.|dot)\s?[\])}]\s?`), "."},
	{regexp.MustCompile(`(?i)[\[({](?:://)[\])}]`), "://"},
	{regexp.MustCompile(`(?i)[\[({](?::|colon)[\])}]`), ":"},
	{regexp.MustCompile(`(?i)[\[({](?:@|at)[\])}]`), "@"},
	{regexp.MustCompile(`\[/\]`), "/"},
	{regexp.MustCompile(`(?i)\bh(?:xx|tt|xt|tx)p(s?)(:|\b)`), "http$1$2"},
	{regexp.MustCompile(`(?i)\bfxp://`), "ftp://"},
}

// Refang undoes the usual defanging so indicators can be matched:
// hxxp(s) → http(s), fxp → ftp, [.] (.) {.} [dot] → ".", [:] → ":",
// [://] → "://", [@] [at] → "@". Other text is unchanged.
func Refang(s string) string {
	if !strings.ContainsAny(s, "[({") && !strings.Contains(strings.ToLower(s), "xp") {
		return s
	}
	for _, r := range refangers {
		s = r.re.ReplaceAllString(s, r.with)
	}
	return s
}

// Defang returns a form of the indicator that no viewer turns into a live
// link: hxxp(s)/fxp schemes and "[.]" for every dot of a host (URLs,
// domains, IPv4 addresses, a UPN's domain, a file name whose extension is
// also a TLD), "[:]" for IPv6 colons. Hashes, paths, registry keys and
// DOMAIN\user accounts are printed as they are.
func Defang(i IOC) string {
	v := i.Value
	switch i.Type {
	case URL:
		return defangURL(v)
	case Domain, IPv4:
		return dots(v)
	case IPv6:
		return strings.ReplaceAll(v, ":", "[:]")
	case Account:
		if at := strings.LastIndexByte(v, '@'); at >= 0 {
			return v[:at] + "@" + dots(v[at+1:])
		}
	case FileName:
		if i.HasTag(TagAlsoDomain) {
			return dots(v)
		}
	}
	return v
}

func dots(s string) string { return strings.ReplaceAll(s, ".", "[.]") }

// defangURL rewrites the scheme and the host's dots; the path is kept.
func defangURL(v string) string {
	scheme, rest, ok := strings.Cut(v, "://")
	if !ok {
		return dots(v)
	}
	switch strings.ToLower(scheme) {
	case "http":
		scheme = "hxxp"
	case "https":
		scheme = "hxxps"
	case "ftp":
		scheme = "fxp"
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	host := rest[:end]
	if strings.HasPrefix(host, "[") || strings.Count(host, ":") > 1 {
		host = strings.ReplaceAll(host, ":", "[:]")
	} else {
		host = dots(host)
	}
	return scheme + "://" + host + rest[end:]
}
