package hunt

// This file binds a hunt's parameters: the value of each top-level let
// naming a parameter is replaced by a literal, so the text that runs (and
// is kept as evidence) is a complete, self-contained query.

import (
	"encoding/json"
	"sort"
	"strings"
	"time"
)

// Bindings are the values for a hunt's parameters. Zero times and nil
// lists keep the defaults written in the hunt.
type Bindings struct {
	Start, End time.Time
	Devices    []string
	Accounts   []string
	IPs        []string
	Domains    []string
	URLs       []string
	Hashes     []string
	Files      []string
}

// BindingsFor takes a plan's time range and entities.
func BindingsFor(p Plan) Bindings {
	b := Bindings{Start: p.Start, End: p.End, IPs: p.Entities.IPs, Domains: p.Entities.Domains,
		URLs: p.Entities.URLs, Files: p.Entities.Files}
	for _, d := range p.Entities.Devices {
		b.Devices = append(b.Devices, d.Name)
	}
	for _, a := range p.Entities.Accounts {
		b.Accounts = append(b.Accounts, a.Name)
	}
	for _, x := range p.Entities.Hashes {
		b.Hashes = append(b.Hashes, x.Value)
	}
	return b
}

// Bind returns the hunt's query with its parameters bound.
func (h *Hunt) Bind(b Bindings) string {
	vals := map[string]string{}
	setTime := func(p string, t time.Time) {
		if !t.IsZero() {
			vals[p] = kqlDatetime(t)
		}
	}
	setTime(ParamStart, b.Start)
	setTime(ParamEnd, b.End)
	if !b.Start.IsZero() {
		setTime(ParamBaselineStart, b.Start.Add(-h.Baseline))
	}
	setList := func(p string, xs []string) {
		if xs != nil {
			vals[p] = kqlList(xs)
		}
	}
	setList(ParamDevices, deviceForms(b.Devices))
	setList(ParamAccounts, accountForms(b.Accounts))
	setList(ParamIPs, lowerAll(b.IPs))
	setList(ParamDomains, lowerAll(b.Domains))
	setList(ParamURLs, b.URLs)
	setList(ParamHashes, lowerAll(b.Hashes))
	setList(ParamFiles, lowerAll(b.Files))
	return h.substitute(vals)
}

// substitute replaces the values of the named lets, back to front so the
// offsets stay valid.
func (h *Hunt) substitute(vals map[string]string) string {
	type edit struct {
		sp  valueSpan
		val string
	}
	var edits []edit
	for p, v := range vals {
		if sp, ok := h.lets[p]; ok {
			edits = append(edits, edit{sp, v})
		}
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].sp.from > edits[j].sp.from })
	out := h.KQL
	for _, e := range edits {
		out = out[:e.sp.from] + e.val + out[e.sp.to:]
	}
	return out
}

// kqlDatetime is a datetime literal.
func kqlDatetime(t time.Time) string {
	return "datetime(" + t.UTC().Format("2006-01-02T15:04:05.0000000Z") + ")"
}

// kqlList is a dynamic array literal of strings.
func kqlList(xs []string) string {
	if len(xs) == 0 {
		return "dynamic([])"
	}
	b, _ := json.Marshal(xs)
	return "dynamic(" + string(b) + ")"
}

func lowerAll(xs []string) []string {
	if xs == nil {
		return nil
	}
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = appendNew(out, strings.ToLower(strings.TrimSpace(x)))
	}
	return out
}

// deviceForms lists each device lower-cased, with its short name when
// it is an FQDN (MDE reports either, depending on the sensor).
func deviceForms(ds []string) []string {
	if ds == nil {
		return nil
	}
	out := []string{}
	for _, d := range lowerAll(ds) {
		out = appendNew(out, d)
		if short, _, ok := strings.Cut(d, "."); ok && short != "" {
			out = appendNew(out, short)
		}
	}
	return out
}

// accountForms lists each account lower-cased and its bare user name, so
// hunts can match AccountName, UPNs and DOMAIN\user forms alike.
func accountForms(as []string) []string {
	if as == nil {
		return nil
	}
	out := []string{}
	for _, a := range lowerAll(as) {
		out = appendNew(out, a)
		out = appendNew(out, userPart(a))
	}
	return out
}

func appendNew(xs []string, x string) []string {
	if x == "" {
		return xs
	}
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}
