package ioc

// This file extracts registry keys and Windows and Unix file paths.
//
// A path ends at whitespace unless it is quoted, fills the whole value, or
// the space sits inside a directory name (C:\Program Files\…): a space
// continues the path only when the words after it reach another separator
// and none of them looks like a command-line switch or follows a file name
// with a known extension (cmd.exe /c …, powershell.exe -enc …).

import (
	"bytes"
	"regexp"
	"strings"
)

var (
	hiveRE = regexp.MustCompile(`(?i)\\REGISTRY\\(?:MACHINE|USER)\b|\bHKEY_(?:LOCAL_MACHINE|CURRENT_USER|CLASSES_ROOT|USERS|CURRENT_CONFIG)\b|\bHK(?:LM|CU|CR|U|CC)\b`)
	// winRootRE finds drive, UNC, device and %VARIABLE% roots.
	winRootRE = regexp.MustCompile(`(?i)\b[a-z]:[\\/]|\\\\[a-z0-9_.$-]+\\|\\\\\?\\[a-z]:\\|\\Device\\|%[a-z_][a-z0-9_()]*%\\|\$env:[a-z_][a-z0-9_]*\\`)
	unixRE    = regexp.MustCompile(`~?/[A-Za-z0-9._+@%=,~-]+(?:/[A-Za-z0-9._+@%=,~-]*)+`)
)

var hiveNames = map[string]string{
	"hklm": "HKEY_LOCAL_MACHINE", "hkcu": "HKEY_CURRENT_USER", "hkcr": "HKEY_CLASSES_ROOT",
	"hku": "HKEY_USERS", "hkcc": "HKEY_CURRENT_CONFIG",
	`\registry\machine`: "HKEY_LOCAL_MACHINE", `\registry\user`: "HKEY_USERS",
}

// canonicalHive spells the hive of a registry key in full, so HKLM\X,
// HKEY_LOCAL_MACHINE\X and \REGISTRY\MACHINE\X are one key.
func canonicalHive(key string) string {
	hive, rest := key, ""
	if i := strings.IndexByte(strings.TrimPrefix(key, `\REGISTRY\`), '\\'); i >= 0 {
		n := i + len(key) - len(strings.TrimPrefix(key, `\REGISTRY\`))
		hive, rest = key[:n], key[n:]
	}
	if full, ok := hiveNames[strings.ToLower(hive)]; ok {
		return full + rest
	}
	return strings.ToUpper(hive) + rest
}

func (s *scan) registryKeys() {
	taken := 0
	for _, m := range hiveRE.FindAllIndex(s.text, -1) {
		start, hiveEnd := m[0], m[1]
		if start < taken {
			continue
		}
		if before := s.at(start - 1); before == '_' || before == '\\' && s.text[start] != '\\' {
			continue
		}
		body := hiveEnd
		if s.at(body) == ':' { // PowerShell's HKLM:\
			body++
		}
		if s.at(body) != '\\' { // a bare hive is not a key
			continue
		}
		end := s.pathEnd(start, body, false)
		if end <= body+1 {
			continue
		}
		s.add(start, RegistryKey, string(s.text[start:hiveEnd])+string(s.text[body:end]))
		s.mask(start, end)
		taken = end
	}
}

func (s *scan) windowsPaths() {
	taken := 0
	for _, m := range winRootRE.FindAllIndex(s.text, -1) {
		start, rootEnd := m[0], m[1]
		if start < taken {
			continue
		}
		if s.at(start-1) == '\\' || isAlnum(s.at(start-1)) && s.text[start] != '\\' && s.text[start] != '%' {
			continue
		}
		end := s.pathEnd(start, rootEnd, true)
		if end <= rootEnd {
			continue
		}
		path := string(s.text[start:end])
		i := len(s.found)
		s.add(start, FilePath, path)
		if strings.HasPrefix(path, `\\`) && !strings.HasPrefix(path, `\\?\`) {
			host := path[2 : strings.IndexByte(path[2:], '\\')+2]
			s.tag(i, TagUNC)
			s.tag(i, s.addHost(start+2, host)...)
		}
		s.notePath(path, `\/`)
		s.mask(start, end)
		taken = end
	}
}

func (s *scan) unixPaths() {
	for _, m := range unixRE.FindAllIndex(s.text, -1) {
		start, end := m[0], m[1]
		before := s.at(start - 1)
		if isAlnum(before) || strings.IndexByte(`/\.:_-`, before) >= 0 {
			continue
		}
		if before == '"' || before == '\'' {
			window := s.text[end:min(len(s.text), end+maxPath)]
			if q := bytes.IndexByte(window, before); q > 0 && !bytes.ContainsAny(window[:q], "\r\n") {
				end += q
			}
		}
		end = trimPathEnd(s.text, start, end)
		path := string(s.text[start:end])
		if !unixPathOK(path) {
			continue
		}
		s.add(start, FilePath, path)
		s.notePath(path, "/")
		s.mask(start, end)
	}
}

// unixPathOK wants two components, one of them three or more characters
// long, so switches such as /c or /S/Q are not paths.
func unixPathOK(p string) bool {
	parts := strings.FieldsFunc(strings.TrimPrefix(p, "~"), func(r rune) bool { return r == '/' })
	if len(parts) < 2 {
		return false
	}
	for _, c := range parts {
		if len(c) >= 3 {
			return true
		}
	}
	return false
}

func (s *scan) notePath(path, seps string) {
	if i := strings.LastIndexAny(path, seps); i >= 0 && i < len(path)-1 {
		s.pathNames[strings.ToLower(path[i+1:])] = true
	}
}

// pathStop ends a path anywhere: characters Windows forbids in names,
// quotes, and line breaks.
func pathStop(c byte) bool { return c == 0 || strings.IndexByte("\"'<>|*?\r\n\t,;", c) >= 0 }

// pathEnd finds where a backslash path whose root spans text[start:i]
// ends. file says the last component may be a file name (for the
// whole-value rule).
func (s *scan) pathEnd(start, i int, file bool) int {
	if q := s.at(start - 1); q == '"' || q == '\'' {
		if end, ok := s.quotedEnd(i, q); ok {
			return end
		}
	}
	if end, ok := s.wholeValue(start, i, file); ok {
		return end
	}
	end := i
	for j := i; j < min(len(s.text), start+maxPath); {
		c := s.text[j]
		switch {
		case c == '\\' || c == '/' && file:
			j++
			end = j
		case c == ' ':
			k := j
			for k < len(s.text) && s.text[k] != '\\' && !pathStop(s.text[k]) && s.text[k] != ':' {
				k++
			}
			if s.at(k) != '\\' || !plainWords(s.component(j)+string(s.text[j:k])) || hiveRE.Match(s.text[j:k]) {
				return trimPathEnd(s.text, start, end)
			}
			j = k
		case pathStop(c) || c == ':':
			return trimPathEnd(s.text, start, end)
		default:
			j++
			end = j
		}
	}
	return trimPathEnd(s.text, start, end)
}

// component returns the path component that ends at j.
func (s *scan) component(j int) string {
	k := j
	for k > 0 && s.text[k-1] != '\\' {
		k--
	}
	return string(s.text[k:j])
}

// plainWords rejects a would-be directory name that reads like a command
// line: a word that is a switch, or a file name with a known extension
// followed by more words.
func plainWords(comp string) bool {
	words := strings.Fields(comp)
	for i, w := range words {
		if i > 0 && (w[0] == '-' || w[0] == '/') {
			return false
		}
		if i < len(words)-1 && knownExt(w) {
			return false
		}
	}
	return true
}

// maxPath bounds the search for a closing quote.
const maxPath = 2048

func (s *scan) quotedEnd(i int, q byte) (int, bool) {
	for j := i; j < min(len(s.text), i+maxPath); j++ {
		switch c := s.text[j]; {
		case c == q:
			return j, true
		case c == '\r' || c == '\n' || strings.IndexByte("<>|*?", c) >= 0:
			return 0, false
		}
	}
	return 0, false
}

// wholeValue takes the rest of the value when the path starts the value
// and fills it: no quotes or switches, and, for files, a last component
// that is a name with an extension.
func (s *scan) wholeValue(start, i int, file bool) (int, bool) {
	if start != s.lead {
		return 0, false
	}
	rest := strings.TrimRight(string(s.text[start:]), " ")
	if len(rest) <= i-start {
		return 0, false
	}
	body := rest[i-start:]
	if body == "" || strings.ContainsAny(body, "\"'\t\r\n<>|*?:") || !strings.Contains(body, " ") ||
		hiveRE.MatchString(body) || winRootRE.MatchString(body) {
		return 0, false
	}
	last := body[strings.LastIndexAny(body, `\`)+1:]
	for _, comp := range strings.Split(body, `\`) {
		if !plainWords(comp) {
			return 0, false
		}
	}
	if file && !hasExt(last) {
		return 0, false
	}
	return start + len(rest), true
}

// hasExt reports whether a name ends in a dot and one to eight letters or
// digits.
func hasExt(name string) bool {
	d := strings.LastIndexByte(name, '.')
	if d <= 0 || d == len(name)-1 || len(name)-d-1 > 8 {
		return false
	}
	for i := d + 1; i < len(name); i++ {
		if !isAlnum(name[i]) {
			return false
		}
	}
	return true
}

// trimPathEnd drops trailing sentence punctuation and an unbalanced
// closing bracket.
func trimPathEnd(text []byte, start, end int) int {
	for end > start {
		c := text[end-1]
		p := string(text[start:end])
		switch {
		case c == '.' || c == ' ' || c == ':':
		case c == ')' && strings.Count(p, "(") < strings.Count(p, ")"):
		case c == ']' && strings.Count(p, "[") < strings.Count(p, "]"):
		default:
			return end
		}
		end--
	}
	return end
}
