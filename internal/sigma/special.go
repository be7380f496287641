package sigma

// This file matches values of the fields whose values change on the way
// to the table: hashes, DOMAIN\user, parent file names, registry keys and
// data, registry event types, integrity levels, sign-in status and JSON
// columns.

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
)

// fieldMatch tests one pattern of a field.
func (c *compiler) fieldMatch(f field, typ types.Type, p pattern, cased bool) (node, error) {
	switch f.kind {
	case hashesField:
		return c.hashes(f, p)
	case userField:
		return userMatch(f, p, cased), nil
	case parentFileField:
		return c.parentFile(f, p, cased)
	case registryKeyField:
		return registryKeyMatch(f.col, p, cased), nil
	case registryDataField:
		return registryDataMatch(f.col, p, cased), nil
	case actionTypeField:
		return registryAction(p)
	case integrityField:
		return match(f.col, typ, integrityLevel(p), cased), nil
	case signinStatusField:
		return signinStatus(f, p, cased), nil
	case jsonField:
		return c.jsonMatch(f, p, cased), nil
	}
	return match(f.col, typ, p, cased), nil
}

// hashes reads "ALGO=value" (Sysmon's Hashes field) into a test of the
// algorithm's column. MDE keeps no import hash: IMPHASH values can match
// nothing.
func (c *compiler) hashes(f field, p pattern) (node, error) {
	trimmed := trimAny(p)
	s, ok := trimmed.plain()
	algo, val, found := strings.Cut(s, "=")
	if !ok || !found {
		return nil, errorf("value", "Hashes value %q is not ALGO=value", p)
	}
	switch algo = strings.ToUpper(strings.TrimSpace(algo)); algo {
	case "MD5", "SHA1", "SHA256":
		return &cmp{lhs: f.aux + algo, op: "=~", rhs: quote(strings.TrimSpace(val))}, nil
	case "IMPHASH":
		c.note("IMPHASH values are left out: MDE records no import hash")
		return falseNode, nil
	}
	return nil, errorf("value", "Hashes algorithm %s has no MDE column", algo)
}

// trimAny drops * at both ends.
func trimAny(p pattern) pattern {
	for len(p) > 0 && p[0].wild == wildAny {
		p = p[1:]
	}
	for len(p) > 0 && p[len(p)-1].wild == wildAny {
		p = p[:len(p)-1]
	}
	return p
}

// userMatch splits DOMAIN\user into the domain and user columns; a value
// without a backslash tests the user column.
func userMatch(f field, p pattern, cased bool) node {
	dom, user, found := p.cut(`\`)
	if !found {
		return match(f.col, types.String, p, cased)
	}
	part := func(col string, q pattern) node {
		if len(q) == 0 || q.matchAll() {
			return trueNode
		}
		return match(col, types.String, q, cased)
	}
	return and(part(f.aux, dom), part(f.col, user))
}

// parentFile keeps the file name of a path: MDE has no parent folder
// column outside process creation.
func (c *compiler) parentFile(f field, p pattern, cased bool) (node, error) {
	name := p.afterLast(`\`)
	if len(name) == 0 || name.matchAll() {
		return nil, errorf("value", "%s value %q names a folder; %s keeps only the parent's file name", f.col, p, c.src.table)
	}
	if len(name) < len(p) {
		c.note("parent image paths are reduced to their file name (%s)", f.col)
	}
	return match(f.col, types.String, name, cased), nil
}

// hives are Sysmon's short hive names and how MDE spells them; HKU and
// HKCR have two spellings in the wild (the pipeline's first).
var hives = []struct {
	short string
	long  []string
}{
	{`HKLM\`, []string{`HKEY_LOCAL_MACHINE\`}},
	{`HKU\`, []string{`HKEY_USERS\`, `HKEY_CURRENT_USER\`}},
	{`HKCR\`, []string{`HKEY_LOCAL_MACHINE\CLASSES\`, `HKEY_CLASSES_ROOT\`}},
	{`HKCU\`, []string{`HKEY_CURRENT_USER\`}},
}

var currentControlSet = regexp.MustCompile(`(?i)CurrentControlSet`)

// registryKeyMatch rewrites a hive name that starts the value (after a
// leading wildcard) and also tries ControlSet001 for CurrentControlSet,
// which MDE reports.
func registryKeyMatch(col string, p pattern, cased bool) node {
	alts := []pattern{p}
	lead := pattern{}
	rest := p
	if len(rest) > 0 && rest[0].wild == wildAny {
		lead, rest = p[:1], p[1:]
	}
	if len(rest) > 0 && rest[0].wild == 0 {
		for _, h := range hives {
			first := rest[0].lit
			if len(first) < len(h.short) || !strings.EqualFold(first[:len(h.short)], h.short) {
				continue
			}
			alts = nil
			for _, l := range h.long {
				q := append(append(append(pattern{}, lead...), piece{lit: l + first[len(h.short):]}), rest[1:]...)
				alts = append(alts, q.normal())
			}
			break
		}
	}
	var ns []node
	for _, a := range alts {
		ns = append(ns, match(col, types.String, a, cased))
		if hasLiteral(a, currentControlSet) {
			b := a.mapLiterals(func(s string) string { return currentControlSet.ReplaceAllString(s, "ControlSet001") })
			ns = append(ns, match(col, types.String, b, cased))
		}
	}
	return or(ns...)
}

func hasLiteral(p pattern, re *regexp.Regexp) bool {
	for _, x := range p {
		if x.wild == 0 && re.MatchString(x.lit) {
			return true
		}
	}
	return false
}

var dwordValue = regexp.MustCompile(`(?i)^(DWORD|QWORD) \((?:0x)?([0-9a-f]+)(?:-(?:0x)?([0-9a-f]+))?\)$`)

// registryDataMatch rewrites Sysmon's renderings of registry data as MDE
// stores them: "DWORD (0x00000001)" is the value 1, "(Empty)" an empty
// value, "Binary Data" a value of type Binary.
func registryDataMatch(col string, p pattern, cased bool) node {
	core := trimAny(p)
	s, ok := core.plain()
	if !ok {
		return match(col, types.String, p, cased)
	}
	if m := dwordValue.FindStringSubmatch(s); m != nil {
		if n, ok := dwordNumber(m); ok {
			return &cmp{lhs: col, op: "==", rhs: quote(n)}
		}
	}
	switch {
	case strings.EqualFold(s, "(Empty)"):
		return call("isempty(" + col + ")")
	case strings.EqualFold(s, "Binary Data"):
		return &cmp{lhs: "RegistryValueType", op: "=~", rhs: quote("Binary")}
	case (strings.EqualFold(s, "DWORD") || strings.EqualFold(s, "QWORD")) && len(core) < len(p):
		return &cmp{lhs: "RegistryValueType", op: "=~", rhs: quote(s)}
	}
	return match(col, types.String, p, cased)
}

func dwordNumber(m []string) (string, bool) {
	hi, err := strconv.ParseUint(m[2], 16, 64)
	if err != nil {
		return "", false
	}
	if m[3] == "" {
		return strconv.FormatUint(hi, 10), true
	}
	lo, err := strconv.ParseUint(m[3], 16, 64)
	return strconv.FormatUint(hi<<32|lo, 10), err == nil
}

// registryActions are Sysmon registry event types as MDE action types,
// after the pipeline.
var registryActions = map[string][]string{
	"createkey":   {"RegistryKeyCreated"},
	"deletekey":   {"RegistryKeyDeleted", "RegistryValueDeleted"},
	"setvalue":    {"RegistryValueSet"},
	"renamekey":   {"RegistryValueSet", "RegistryKeyCreated"},
	"deletevalue": {"RegistryValueDeleted"},
}

func registryAction(p pattern) (node, error) {
	s, ok := p.plain()
	acts, known := registryActions[strings.ToLower(s)]
	if !ok || !known {
		return nil, errorf("value", "registry EventType %q has no MDE action type", p)
	}
	var ns []node
	for _, a := range acts {
		ns = append(ns, &cmp{lhs: "ActionType", op: "==", rhs: quote(a)})
	}
	return or(ns...), nil
}

// integrityLevel rewrites mandatory-label SIDs (Security 4688) as the
// level names MDE and Sysmon use.
func integrityLevel(p pattern) pattern {
	s, ok := p.plain()
	if !ok {
		return p
	}
	levels := map[string]string{"S-1-16-4096": "Low", "S-1-16-8192": "Medium", "S-1-16-12288": "High", "S-1-16-16384": "System"}
	if l, ok := levels[strings.ToUpper(s)]; ok {
		return literal(l)
	}
	return p
}

// signinStatus reads Status: Success / failure as the sign-in's result
// code; other values are searched in the Status JSON.
func signinStatus(f field, p pattern, cased bool) node {
	s, ok := p.plain()
	switch {
	case ok && strings.EqualFold(s, "success"):
		return &cmp{lhs: "ResultType", op: "==", rhs: `"0"`}
	case ok && (strings.EqualFold(s, "failure") || strings.EqualFold(s, "failed")):
		return &cmp{lhs: "ResultType", op: "!=", rhs: `"0"`}
	}
	return match(f.col, types.String, p, cased)
}

// jsonMatch searches a dynamic column's JSON text: an exact value is
// looked for as a quoted JSON string.
func (c *compiler) jsonMatch(f field, p pattern, cased bool) node {
	if s, ok := p.plain(); ok {
		c.note("exact values of %s are matched as JSON strings anywhere in it", f.col)
		op := "contains"
		if cased {
			op = "contains_cs"
		}
		return &cmp{lhs: f.col, op: op, rhs: quote(jsonString(s))}
	}
	return match(f.col, types.String, p, cased)
}

// jsonString is s as a JSON string literal, non-ASCII text kept as is.
func jsonString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
