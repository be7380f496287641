package report

// This file keeps indicators from turning into live links: IOC lists are
// printed in their defanged form, and free text taken from telemetry has
// the URLs, domains and addresses in it defanged too.

import (
	"regexp"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/finding/ioc"
)

// defanger defangs the indicators in text, except the names of the
// finding's own devices and accounts (the analyst's assets, not
// indicators), which stay readable.
type defanger struct {
	keep map[string]bool // lower-case values left as they are
}

func newDefanger(f finding.Finding) defanger {
	d := defanger{keep: map[string]bool{}}
	for _, e := range f.Entities {
		if e.Type == finding.EntityDevice || e.Type == finding.EntityAccount {
			d.keep[strings.ToLower(e.Value)] = true
		}
	}
	return d
}

// text returns s with every indicator whose defanged form differs from
// it replaced by that form; indicators already defanged stay as they are.
func (d defanger) text(s string) string {
	if !strings.ContainsAny(s, ".:") {
		return s
	}
	var found []ioc.IOC
	for _, x := range ioc.Extract(s) {
		def := defangedOf(x)
		if def != x.Value && !d.keep[strings.ToLower(x.Value)] {
			x.Defanged = def
			found = append(found, x)
		}
	}
	// Longest first, so a URL is rewritten before the domain inside it.
	sort.SliceStable(found, func(a, b int) bool { return len(found[a].Value) > len(found[b].Value) })
	for _, x := range found {
		s = replaceFold(s, x.Value, x.Defanged)
	}
	return s
}

// entity prints an entity's value: network indicators defanged, devices,
// accounts, files and processes as they are (apart from URLs inside them).
func (d defanger) entity(e finding.Entity) string {
	switch e.Type {
	case finding.EntityIP, finding.EntityDomain, finding.EntityURL:
		return defangValue(e.Value)
	case finding.EntityDevice, finding.EntityAccount:
		return e.Value
	}
	return d.text(e.Value)
}

// defangValue defangs one value that is itself an indicator (an IP, a
// domain or a URL entity), whatever the extractor makes of it.
func defangValue(v string) string {
	for _, x := range ioc.Extract(v) {
		if x.Value == ioc.Refang(v) {
			return defangedOf(x)
		}
	}
	// Not recognised as a whole: defang what is inside, dots and all.
	return (defanger{}).text(v)
}

func defangedOf(x ioc.IOC) string {
	if x.Defanged != "" {
		return x.Defanged
	}
	return ioc.Defang(x)
}

// replaceFold replaces every case-insensitive occurrence of old in s.
func replaceFold(s, old, repl string) string {
	re := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(old))
	return re.ReplaceAllLiteralString(s, repl)
}

// iocRank orders indicator types for a card's short list: what can be
// blocked or hunted across the estate first.
var iocRank = map[ioc.Type]int{
	ioc.URL: 1, ioc.Domain: 2, ioc.IPv4: 3, ioc.IPv6: 3, ioc.SHA256: 4, ioc.SHA1: 5, ioc.MD5: 6,
	ioc.FilePath: 7, ioc.RegistryKey: 8, ioc.Account: 9, ioc.FileName: 10,
}

// keyIOCs orders the finding's indicators by iocRank, those that merely
// name the finding's own devices and accounts last; the order within a
// type is the finding's.
func keyIOCs(f finding.Finding) []ioc.IOC {
	own := newDefanger(f).keep
	out := append([]ioc.IOC(nil), f.IOCs...)
	rank := func(x ioc.IOC) int {
		r, ok := iocRank[x.Type]
		if !ok {
			r = 20
		}
		if own[strings.ToLower(x.Value)] {
			r += 100
		}
		return r
	}
	sort.SliceStable(out, func(a, b int) bool { return rank(out[a]) < rank(out[b]) })
	return out
}
