package sigma

// This file reads a field's modifiers and checks that they combine.

import (
	"strings"
)

// mods are a field item's modifiers.
type mods struct {
	contains, startswith, endswith bool
	all, cased                     bool
	re                             bool
	reFlags                        string // i, m, s
	cidr, exists, fieldref         bool
	compare                        string // >, >=, <, <= for gt, gte, lt, lte
	base64, base64offset           bool
	encoding                       string // utf16le, utf16be, utf16 (with BOM); "" for UTF-8
	windash                        bool
}

// parseMods reads and checks modifiers.
func parseMods(ms []string) (mods, error) {
	var m mods
	for _, s := range ms {
		switch s {
		case "contains":
			m.contains = true
		case "startswith":
			m.startswith = true
		case "endswith":
			m.endswith = true
		case "all":
			m.all = true
		case "cased":
			m.cased = true
		case "re":
			m.re = true
		case "i", "m", "s":
			m.reFlags += s
		case "cidr":
			m.cidr = true
		case "exists":
			m.exists = true
		case "fieldref":
			m.fieldref = true
		case "gt", "gte", "lt", "lte":
			m.compare = map[string]string{"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[s]
		case "base64":
			m.base64 = true
		case "base64offset":
			m.base64offset = true
		case "wide", "utf16le":
			m.encoding = "utf16le"
		case "utf16be", "utf16":
			m.encoding = s
		case "windash":
			m.windash = true
		default:
			return m, errorf("modifier", "modifier |%s is not supported", s)
		}
	}
	return m, m.check(ms)
}

// check refuses combinations that have no meaning.
func (m mods) check(ms []string) error {
	bad := func(why string) error {
		return errorf("modifier", "modifiers |%s: %s", strings.Join(ms, "|"), why)
	}
	pos := count(m.contains, m.startswith, m.endswith)
	special := count(m.re, m.cidr, m.exists, m.fieldref, m.compare != "")
	switch {
	case pos > 1:
		return bad("more than one of contains, startswith, endswith")
	case special > 1:
		return bad("re, cidr, exists, fieldref and comparisons do not combine")
	case special == 1 && (pos > 0 || m.base64 || m.base64offset || m.windash || m.encoding != ""):
		return bad("re, cidr, exists, fieldref and comparisons take no other value modifier")
	case m.reFlags != "" && !m.re:
		return bad("i, m and s only apply to re")
	case m.base64 && m.base64offset:
		return bad("base64 and base64offset together")
	case m.base64offset && !m.contains:
		return bad("base64offset needs contains")
	case m.encoding != "" && !m.base64 && !m.base64offset:
		return bad("an encoding modifier needs base64 or base64offset")
	}
	return nil
}

func count(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
