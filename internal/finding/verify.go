package finding

// This file checks a finding's claims against its own evidence rows.

import (
	"fmt"
	"strings"

	"github.com/vigil-hunt/vigil/internal/finding/ioc"
)

// Unverified is a claim of a finding that its evidence does not support.
type Unverified struct {
	Kind  string // "ioc" or "entity"
	Index int    // into Finding.IOCs or Finding.Entities
	Value string
}

func (u Unverified) String() string {
	return fmt.Sprintf("%s %q not found in the evidence rows", u.Kind, u.Value)
}

// VerifyAgainstEvidence returns every IOC and entity of f that appears in
// none of its evidence rows. A value appears when it is a case-insensitive
// substring of a cell (dynamic values are searched leaf by leaf, and also
// after refanging), or when an indicator extracted from a cell of the row
// is the same indicator (so HKLM\X matches HKEY_LOCAL_MACHINE\X and
// 2001:DB8::1 matches 2001:db8::1). An account DOMAIN\user or user@domain
// also appears when its two halves are in cells of the same row, as in
// AccountDomain and AccountName. Used on LLM-agent findings: the caller
// drops what fails (DropUnverified) or marks the finding (MarkUnverified).
func VerifyAgainstEvidence(f Finding) []Unverified {
	rows := evidenceRows(f.Evidence)
	var out []Unverified
	for i, x := range f.IOCs {
		if !rows.hasIOC(x) {
			out = append(out, Unverified{Kind: "ioc", Index: i, Value: x.Value})
		}
	}
	for i, e := range f.Entities {
		if !rows.hasEntity(e) {
			out = append(out, Unverified{Kind: "entity", Index: i, Value: e.Value})
		}
	}
	return out
}

// MarkUnverified records the failures on f: Verified is true only when
// there are none, and each failure adds a reason.
func (f *Finding) MarkUnverified(us []Unverified) {
	f.Verified = len(us) == 0
	for _, u := range us {
		f.UnverifiedReasons = appendUnique(f.UnverifiedReasons, u.String())
	}
}

// DropUnverified removes the failed IOCs and entities from f; what is left
// is supported by the evidence, so f is marked verified.
func (f *Finding) DropUnverified(us []Unverified) {
	drop := map[string]bool{}
	for _, u := range us {
		drop[fmt.Sprint(u.Kind, u.Index)] = true
	}
	var iocs []ioc.IOC
	for i, x := range f.IOCs {
		if !drop[fmt.Sprint("ioc", i)] {
			iocs = append(iocs, x)
		}
	}
	var ents []Entity
	for i, e := range f.Entities {
		if !drop[fmt.Sprint("entity", i)] {
			ents = append(ents, e)
		}
	}
	f.IOCs, f.Entities, f.Verified = iocs, ents, true
}

// row is one evidence row as lower-cased cell strings, with the keys of
// the indicators in it worked out on first need.
type row struct {
	cells []string
	raw   []string
	keys  map[string]bool
}

type rowSet []*row

func evidenceRows(evs []Evidence) rowSet {
	var out rowSet
	for _, ev := range evs {
		for _, r := range ev.Rows {
			var cells, raw []string
			for _, col := range rowColumns(ev.Columns, r) {
				for _, s := range cellStrings(r[col], nil) {
					raw = append(raw, s)
					l := strings.ToLower(s)
					cells = append(cells, l)
					if rf := strings.ToLower(ioc.Refang(s)); rf != l {
						cells = append(cells, rf)
					}
				}
			}
			out = append(out, &row{cells: cells, raw: raw})
		}
	}
	return out
}

func (r *row) contains(v string) bool {
	for _, c := range r.cells {
		if strings.Contains(c, v) {
			return true
		}
	}
	return false
}

func (r *row) indicatorKeys() map[string]bool {
	if r.keys == nil {
		r.keys = map[string]bool{}
		for _, c := range r.raw {
			for _, x := range ioc.Extract(c) {
				r.keys[ioc.Key(x)] = true
			}
		}
	}
	return r.keys
}

func (rs rowSet) hasIOC(x ioc.IOC) bool {
	v := strings.ToLower(strings.TrimSpace(x.Value))
	if v == "" {
		return false
	}
	k := ioc.Key(x)
	for _, r := range rs {
		if r.contains(v) || r.indicatorKeys()[k] {
			return true
		}
	}
	return x.Type == ioc.Account && rs.hasAccount(v)
}

func (rs rowSet) hasEntity(e Entity) bool {
	v := strings.ToLower(strings.TrimSpace(e.Value))
	if v == "" {
		return false
	}
	for _, r := range rs {
		if r.contains(v) {
			return true
		}
	}
	if e.Type == EntityAccount {
		return rs.hasAccount(v)
	}
	return false
}

// hasAccount finds both halves of DOMAIN\user or user@domain in one row.
func (rs rowSet) hasAccount(v string) bool {
	a, b, ok := strings.Cut(v, `\`)
	if !ok {
		if i := strings.LastIndexByte(v, '@'); i > 0 {
			a, b, ok = v[i+1:], v[:i], true
		}
	}
	if !ok || a == "" || b == "" {
		return false
	}
	for _, r := range rs {
		if r.contains(a) && r.contains(b) {
			return true
		}
	}
	return false
}
