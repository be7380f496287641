package hunt

// This file reads indicators from single tokens: URLs, IPv4 and IPv6
// addresses and prefixes, hashes, paths and file names, domains, and
// the explicit account forms DOMAIN\user and user@domain.

import (
	"net/netip"
	"net/url"
	"path"
	"regexp"
	"strings"
)

// etok is a whitespace-delimited token of the request, trimmed of
// surrounding punctuation, with its span.
type etok struct {
	text string // as written
	low  string
	sp   span
}

// entityTokens splits s at whitespace, quotes, brackets, commas,
// semicolons, pipes and '=' and trims trailing sentence punctuation.
func entityTokens(s string) []etok {
	var out []etok
	isSep := func(c byte) bool {
		return c <= ' ' || strings.IndexByte(",;()[]{}<>\"'`|=", c) >= 0
	}
	for i := 0; i < len(s); {
		if isSep(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && !isSep(s[j]) {
			j++
		}
		start, end := i, j
		for end > start && strings.IndexByte(".:!?", s[end-1]) >= 0 {
			end--
		}
		for start < end && s[start] == ':' {
			start++
		}
		if end > start {
			out = append(out, etok{text: s[start:end], low: strings.ToLower(s[start:end]), sp: span{start, end}})
		}
		i = j
	}
	return out
}

var reURL = regexp.MustCompile(`(?i)\b(?:https?|ftp|sftp|wss?)://[^\s<>"'` + "`" + `|]+`)

// urls reads URLs, listing each one's host as a domain or an address
// and the file its path ends in.
func (x *extractor) urls() {
	for _, loc := range reURL.FindAllStringIndex(x.src, -1) {
		raw := strings.TrimRight(x.src[loc[0]:loc[1]], ".,;:!?)]}'")
		sp := span{loc[0], loc[0] + len(raw)}
		x.spans = append(x.spans, sp)
		if x.first(KindURL, raw, sp.start) {
			x.ents.URLs = append(x.ents.URLs, raw)
		}
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		host := strings.ToLower(u.Hostname())
		if ip, ok := parseIP(host); ok {
			x.addIP(ip, sp)
		} else if isDomain(host) {
			x.addDomain(host, sp)
		}
		if f := strings.ToLower(path.Base(u.Path)); isFileName(f) {
			x.addFile(f, sp.start)
		}
	}
}

// classify reads one token as an indicator, a known device or an
// explicit account; it reports whether the token was used.
func (x *extractor) classify(t etok) bool {
	low := t.low
	switch {
	case reUPN.MatchString(low):
		x.addAccount(x.accts.resolve(t.text, t.text), t.sp)
	case strings.Contains(low, `\`):
		return x.backslash(t)
	case strings.Contains(low, "/") && !strings.HasPrefix(low, "/") && isCIDR(low):
		x.addIP(low, t.sp)
	case strings.Contains(low, "/"):
		f := path.Base(low)
		if !isFileName(f) {
			return false
		}
		x.addFile(f, t.sp.start)
	default:
		if ip, ok := parseIP(low); ok {
			x.addIP(ip, t.sp)
			return true
		}
		if h, ok := hashValue(low); ok {
			x.addHash(h, t.sp)
			return true
		}
		if ms := x.devices.lookup(low); len(ms) > 0 {
			x.devicesFound(ms, t)
			return true
		}
		switch {
		case isFileName(low):
			x.addFile(low, t.sp.start)
		case isDomain(low):
			x.addDomain(low, t.sp)
		default:
			return false
		}
	}
	return true
}

// devicesFound adds the devices one token matched; several mean the
// short name is shared, and all are kept.
func (x *extractor) devicesFound(ms []DeviceMatch, t etok) {
	if len(ms) > 1 {
		names := make([]string, len(ms))
		for i, m := range ms {
			names[i] = m.Name
		}
		x.note("%q matches several devices (%s); hunting all of them", t.text, strings.Join(names, ", "))
	}
	for _, m := range ms {
		m.Text = t.text
		x.addDevice(m, t.sp)
	}
}

var (
	reUPN       = regexp.MustCompile(`^[a-z0-9][a-z0-9._%+'-]*@[a-z0-9-]+(\.[a-z0-9-]+)+$`)
	reDomUser   = regexp.MustCompile(`^([a-z0-9][a-z0-9._-]{0,62})\\([a-z0-9][a-z0-9._$-]{0,63})$`)
	notDomains  = set("hklm", "hkcu", "hkcr", "hku", "hkey_local_machine", "hkey_current_user", "system32", "windows", "users", "programdata", "temp", "appdata")
	knownHashes = map[int]bool{32: true, 40: true, 64: true}
)

// backslash reads DOMAIN\user, or a Windows path whose base name is a file.
func (x *extractor) backslash(t etok) bool {
	if m := reDomUser.FindStringSubmatch(t.low); m != nil && !notDomains[m[1]] && len(m[1]) > 1 && !isFileName(m[2]) {
		text := t.text
		if m[1] == "authority" && strings.HasSuffix(strings.ToLower(strings.TrimRight(x.src[:t.sp.start], " ")), "nt") {
			text = "NT " + text
		}
		x.addAccount(x.accts.resolve(text, text), t.sp)
		return true
	}
	base := t.low[strings.LastIndexByte(t.low, '\\')+1:]
	if isFileName(base) {
		x.addFile(base, t.sp.start)
		return true
	}
	return false
}

// parseIP reads an IPv4 or IPv6 address, dropping a port, brackets and
// a zone.
func parseIP(s string) (string, bool) {
	s = strings.TrimPrefix(s, "[")
	if i := strings.Index(s, "]"); i >= 0 {
		s = s[:i]
	}
	if strings.Count(s, ":") == 1 && strings.Count(s, ".") == 3 { // 1.2.3.4:443
		s, _, _ = strings.Cut(s, ":")
	}
	if strings.Count(s, ".") != 3 && strings.Count(s, ":") < 2 {
		return "", false
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return "", false
	}
	return a.WithZone("").String(), true
}

func isCIDR(s string) bool {
	_, err := netip.ParsePrefix(s)
	return err == nil
}

// hashValue reads an MD5, SHA-1 or SHA-256 in hex, allowing an
// "sha256:" style prefix.
func hashValue(s string) (string, bool) {
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[i+1:]
	}
	if !knownHashes[len(s)] {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && (c < 'a' || c > 'f') {
			return "", false
		}
	}
	return s, true
}

// fileExts are the extensions that make a token a file or process name.
// They win over country-code domains (.sh, .py, .pl, .ps, .md).
var fileExts = set("exe", "dll", "sys", "scr", "cpl", "ocx", "drv", "msi", "msp", "ps1", "psm1", "psd1",
	"bat", "cmd", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "lnk", "jar", "py", "pl", "sh",
	"bash", "elf", "so", "bin", "dat", "dmp", "tmp", "log", "txt", "csv", "json", "xml", "ini",
	"cfg", "conf", "zip", "rar", "7z", "gz", "tgz", "tar", "iso", "img", "vhd", "vhdx", "doc",
	"docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx", "pdf", "rtf", "one", "html", "htm", "php",
	"asp", "aspx", "jsp", "war", "kirbi", "pfx", "pem", "dit", "evtx", "reg", "inf", "apk", "dmg",
	"pkg", "deb", "rpm", "appx", "msix", "chm", "xll", "wll", "iqy", "slk", "lock", "encrypted", "locked",
	"sct", "vbproj", "csproj", "ps", "aspx", "svg", "sql", "bak", "db", "mdb", "accdb", "kdbx", "ovpn", "rdp")

// isFileName reports whether s is name.ext with a known extension.
func isFileName(s string) bool {
	i := strings.LastIndexByte(s, '.')
	if notDomainNames[s] {
		return false
	}
	if i <= 0 || i == len(s)-1 || !fileExts[s[i+1:]] {
		return false
	}
	for _, c := range s[:i] {
		if !(c == '-' || c == '_' || c == '.' || c == '$' || c == '~' || c == '@' || c == '+' || isAlnumRune(c)) {
			return false
		}
	}
	return true
}

func isAlnumRune(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// genericTLDs are top-level domains accepted besides any two letters.
var genericTLDs = set("com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "io", "ai",
	"app", "dev", "xyz", "top", "site", "online", "club", "shop", "store", "tech", "cloud", "live",
	"pro", "name", "mobi", "icu", "vip", "work", "click", "link", "buzz", "monster", "rest", "space",
	"website", "fun", "host", "press", "win", "bid", "loan", "date", "download", "stream", "review",
	"example", "test", "invalid", "local", "localdomain", "internal", "corp", "lan", "home", "onion",
	"azure", "windows", "microsoft", "google", "amazon", "zip", "mov", "cam", "lol", "asia", "africa",
	"support", "help", "services", "email", "network", "security", "digital", "systems", "solutions",
	"company", "group", "center", "world", "today", "news", "one", "global", "agency", "cyou", "sbs",
	"cfd", "quest", "beauty", "hair", "skin", "autos", "boats", "homes", "yachts", "motorcycles", "bond",
	"run", "page", "blog", "chat", "social", "media", "tools", "zone", "team", "exchange", "finance",
	"money", "bank", "capital", "express", "direct", "market", "trade", "cloudflare", "aws")

// notDomainNames look like domains or files but are words or products.
var notDomainNames = set("asp.net", "vb.net", "node.js", "next.js", "vue.js", "react.js", "d3.js", "three.js", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "vs.net")

// isDomain reports whether s is a DNS name with two or more labels and a
// plausible top-level domain.
func isDomain(s string) bool {
	if notDomainNames[s] || len(s) > 253 {
		return false
	}
	labels := strings.Split(strings.TrimPrefix(s, "*."), ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isDigit(l[i]) && (l[i] < 'a' || l[i] > 'z') && l[i] != '-' && l[i] != '_' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if fileExts[tld] && len(labels) == 2 {
		return false
	}
	return genericTLDs[tld] || len(tld) == 2 && !hasDigit(tld)
}
