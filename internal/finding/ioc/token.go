package ioc

// This file extracts accounts, hashes, and the dotted names that are
// either domains or file names.

import (
	"regexp"
	"strings"
)

var (
	upnRE     = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`)
	domUserRE = regexp.MustCompile(`(?i)\bNT AUTHORITY\\(?:LOCAL|NETWORK) SERVICE\b|\b(?:NT AUTHORITY|NT SERVICE|[a-z0-9][a-z0-9._-]{0,62})\\[a-z0-9][a-z0-9._$-]{0,63}`)
	hexRE     = regexp.MustCompile(`[0-9A-Fa-f]{32,}`)
	nameRE    = regexp.MustCompile(`[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+`)
)

// builtinDomains are the authorities of Windows' built-in accounts.
var builtinDomains = map[string]bool{"nt authority": true, "nt service": true, "builtin": true,
	"font driver host": true, "window manager": true}

// upns takes user@domain accounts whose domain is public, reserved or
// under an internal TLD. URLs were taken before, so https://x@host is not
// an account.
func (s *scan) upns() {
	for _, m := range upnRE.FindAllIndex(s.text, -1) {
		start, end := m[0], m[1]
		v := string(s.text[start:end])
		at := strings.IndexByte(v, '@')
		domain := strings.ToLower(strings.TrimRight(v[at+1:], "-"))
		kind, ok := upnDomainOK(domain)
		if !ok || s.at(start-1) == '/' {
			continue
		}
		tags := []Tag{TagUPN}
		switch kind {
		case "reserved":
			tags = append(tags, TagReserved)
		case "internal":
			tags = append(tags, TagInternal)
		}
		s.add(start, Account, v[:at+1]+domain, tags...)
		s.mask(start, end)
	}
}

// domainAccounts takes DOMAIN\user. Paths were taken before; what remains
// must stand alone, not continue into another backslash or slash.
func (s *scan) domainAccounts() {
	for _, m := range domUserRE.FindAllIndex(s.text, -1) {
		start, end := m[0], m[1]
		v := string(s.text[start:end])
		before, after := s.at(start-1), s.at(end)
		if strings.IndexByte(`\/.%$-_`, before) >= 0 || strings.IndexByte(`\/`, after) >= 0 || after == '@' {
			continue
		}
		domain, user, _ := strings.Cut(v, `\`)
		if !hasLetter(user) || strings.HasSuffix(user, ".") || knownExt(user) {
			continue
		}
		var tags []Tag
		if builtinDomains[strings.ToLower(domain)] {
			tags = append(tags, TagBuiltin)
		}
		s.add(start, Account, v, tags...)
		s.mask(start, end)
	}
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}

// hashes takes hex runs of exactly 32, 40 or 64 digits that are not part
// of a longer word, all zeros, one repeated digit, or only decimal digits.
func (s *scan) hashes() {
	for _, m := range hexRE.FindAllIndex(s.text, -1) {
		start, end := m[0], m[1]
		if isAlnum(s.at(start-1)) || isAlnum(s.at(end)) {
			continue
		}
		v := strings.ToLower(string(s.text[start:end]))
		var t Type
		switch len(v) {
		case 32:
			t = MD5
		case 40:
			t = SHA1
		case 64:
			t = SHA256
		default:
			continue
		}
		if strings.Count(v, v[:1]) == len(v) || strings.Trim(v, "0123456789") == "" {
			continue
		}
		s.add(start, t, v)
		s.mask(start, end)
	}
}

// names classifies what is left that looks like a.b: a file name when its
// extension is a known one, a domain when it ends in a public suffix.
func (s *scan) names() {
	for _, m := range nameRE.FindAllIndex(s.text, -1) {
		start, end := m[0], m[1]
		for start < end && (s.text[start] == '-' || s.text[start] == '_') {
			start++
		}
		before, after := s.at(start-1), s.at(end)
		if strings.IndexByte(`$@.\/%`, before) >= 0 || after == '(' || after == '@' {
			continue
		}
		s.classify(start, string(s.text[start:end]))
	}
}

func (s *scan) classify(off int, v string) {
	lower := strings.ToLower(v)
	ext := lower[strings.LastIndexByte(lower, '.')+1:]
	kind := ""
	if !mixedCase(v[len(v)-len(ext):]) {
		kind = domainKind(lower)
	}
	if knownExt(lower) {
		switch {
		case kind == "" || s.pathNames[lower]:
			if kind != "" {
				s.add(off, FileName, v, TagAlsoDomain)
			} else {
				s.add(off, FileName, v)
			}
			return
		case !s.network:
			s.add(off, FileName, v, TagAlsoDomain)
			return
		}
	}
	switch kind {
	case "public":
		s.add(off, Domain, lower)
	case "reserved":
		s.add(off, Domain, lower, TagReserved)
	}
}

// mixedCase is true for "Net" in System.Net: code identifiers, not TLDs.
func mixedCase(label string) bool {
	return label != strings.ToLower(label) && label != strings.ToUpper(label)
}

// fileExts are extensions that make a dotted name a file name. Some are
// also TLDs (zip, mov, py, sh, pl, md, ps, rs, so, ai, app, one, cab, run);
// com is left out so example.com stays a domain.
var fileExts = map[string]bool{}

func init() {
	for _, e := range strings.Fields(`
		exe dll sys drv ocx cpl scr pif msi msp msc msu lnk url scf inf reg chm hlp
		bat cmd ps1 psm1 psd1 ps1xml vbs vbe js jse wsf wsh hta sct
		jar class war py pyc pyw sh bash zsh pl rb php asp aspx ashx jsp cgi lua go rs cs vb c h cpp
		elf so ko dylib bin dat tmp temp log txt csv tsv json xml yml yaml ini cfg conf config toml
		doc docx docm dot dotm xls xlsx xlsm xlsb xlam xll ppt pptx pptm pdf rtf odt ods one onepkg
		zip rar 7z gz tgz tar bz2 xz cab iso img vhd vhdx vmdk ova dmg pkg deb rpm apk ipa msix appx app run
		eml msg pst ost evtx etl dmp mdmp kirbi ccache keytab pem key crt cer der pfx p12 p7b ovpn kdbx
		db sqlite sqlite3 mdb accdb bak old bkp mov mp4 mkv avi mp3 wav png jpg jpeg gif bmp ico svg webp
		html htm mht mhtml xhtml css md ps ai psd lock locked encrypted crypt
	`) {
		fileExts[e] = true
	}
}

// knownExt reports whether a name ends in one of fileExts after a
// non-empty stem.
func knownExt(name string) bool {
	d := strings.LastIndexByte(name, '.')
	return d > 0 && fileExts[strings.ToLower(name[d+1:])]
}
