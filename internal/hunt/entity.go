package hunt

// This file holds the entity API: what a request names (devices,
// accounts, addresses, domains, URLs, hashes, files) and ExtractEntities,
// which finds them. The readers for each kind live in entity_*.go.

import (
	"fmt"
	"slices"
	"strings"
)

// Entity kinds, as HuntInfo.Entities names them.
const (
	KindDevice  = "device"
	KindAccount = "account"
	KindIP      = "ip"
	KindDomain  = "domain"
	KindURL     = "url"
	KindHash    = "hash"
	KindFile    = "file"
)

// Entities are the things a request names, each list in order of first
// mention without duplicates. IPs, domains, hashes and files are
// lowercase; a URL's host is also listed under Domains or IPs.
type Entities struct {
	Devices  []DeviceMatch  `json:"devices,omitempty"`
	Accounts []AccountMatch `json:"accounts,omitempty"`
	IPs      []string       `json:"ips,omitempty"` // addresses or CIDR prefixes, IPv4 or IPv6
	Domains  []string       `json:"domains,omitempty"`
	URLs     []string       `json:"urls,omitempty"`
	Hashes   []Hash         `json:"hashes,omitempty"`
	Files    []string       `json:"files,omitempty"` // file or process names (base names: evil.exe)
}

// DeviceMatch is a device the request names.
type DeviceMatch struct {
	Name string `json:"name"` // as DeviceInfo spells it; as written when unverified
	ID   string `json:"id,omitempty"`
	Text string `json:"text"` // as the request wrote it
	// How it matched: exact, short (the request gave the short name of
	// an FQDN), fqdn (the request gave an FQDN of a short name),
	// normalised (same letters and digits: "DC01" for dc-01), spaced
	// ("windows target 1"), fuzzy (one edit away), or unverified (looks
	// like a host name but is not in the caller's device list).
	How string `json:"how"`
}

// AccountMatch is an account the request names.
type AccountMatch struct {
	Name string `json:"name"` // as the known list spells it, else as written
	Text string `json:"text"`
	// Known is set when the caller's account list holds it.
	Known bool `json:"known,omitempty"`
}

// Hash is a file hash; Kind is md5, sha1 or sha256.
type Hash struct {
	Value string `json:"value"`
	Kind  string `json:"kind"`
}

// Kinds lists the entity kinds present, in the order of the Kind constants.
func (e Entities) Kinds() []string {
	var out []string
	add := func(n int, kind string) {
		if n > 0 {
			out = append(out, kind)
		}
	}
	add(len(e.Devices), KindDevice)
	add(len(e.Accounts), KindAccount)
	add(len(e.IPs), KindIP)
	add(len(e.Domains), KindDomain)
	add(len(e.URLs), KindURL)
	add(len(e.Hashes), KindHash)
	add(len(e.Files), KindFile)
	return out
}

// Empty reports whether no entity was found.
func (e Entities) Empty() bool { return len(e.Kinds()) == 0 }

// ExtractEntities finds the entities text names, matching devices and
// accounts against env.Devices and env.Accounts when given.
func ExtractEntities(text string, env Env) Entities {
	src := normalise(text)
	_, tsp := parseTimeRange(src, env.Now)
	x := newExtractor(mask(src, []span{tsp}), env)
	x.run()
	return x.ents
}

// extractor gathers entities from one normalised request.
type extractor struct {
	src     string
	devices *deviceIndex
	accts   *accountIndex
	ents    Entities
	spans   []span // entity spans other than files, for the intent reader to skip
	notes   []string
	at      map[string]int // kind and value → offset of first mention
}

func newExtractor(src string, env Env) *extractor {
	return &extractor{
		src:     src,
		devices: newDeviceIndex(env.Devices),
		accts:   newAccountIndex(env.Accounts),
		at:      map[string]int{},
	}
}

// run reads URLs first (they hold everything else), then each token,
// then the multi-word forms: spaced device names and "user jsmith".
func (x *extractor) run() {
	x.urls()
	toks := entityTokens(mask(x.src, x.spans))
	var rest []etok
	for _, t := range toks {
		if !x.classify(t) {
			rest = append(rest, t)
		}
	}
	x.spacedDevices()
	x.contextAccounts(toks)
	for _, t := range rest {
		x.hostLike(t)
	}
	x.sortByMention()
}

// sortByMention orders each list by where the request first names it.
func (x *extractor) sortByMention() {
	pos := func(kind, v string) int { return x.at[kind+"\x00"+strings.ToLower(v)] }
	byPos := func(kind string) func(a, b string) int {
		return func(a, b string) int { return pos(kind, a) - pos(kind, b) }
	}
	e := &x.ents
	slices.SortStableFunc(e.Devices, func(a, b DeviceMatch) int { return byPos(KindDevice)(a.Name, b.Name) })
	slices.SortStableFunc(e.Accounts, func(a, b AccountMatch) int { return byPos(KindAccount)(a.Name, b.Name) })
	slices.SortStableFunc(e.Hashes, func(a, b Hash) int { return byPos(KindHash)(a.Value, b.Value) })
	slices.SortStableFunc(e.IPs, byPos(KindIP))
	slices.SortStableFunc(e.Domains, byPos(KindDomain))
	slices.SortStableFunc(e.URLs, byPos(KindURL))
	slices.SortStableFunc(e.Files, byPos(KindFile))
}

// note records a note once.
func (x *extractor) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	if !slices.Contains(x.notes, n) {
		x.notes = append(x.notes, n)
	}
}

// first reports whether kind:value is new, and remembers where it is.
func (x *extractor) first(kind, value string, at int) bool {
	k := kind + "\x00" + strings.ToLower(value)
	if _, ok := x.at[k]; ok {
		return false
	}
	x.at[k] = at
	return true
}

func (x *extractor) addIP(v string, sp span) {
	x.spans = append(x.spans, sp)
	if x.first(KindIP, v, sp.start) {
		x.ents.IPs = append(x.ents.IPs, v)
	}
}

func (x *extractor) addDomain(v string, sp span) {
	x.spans = append(x.spans, sp)
	if x.first(KindDomain, v, sp.start) {
		x.ents.Domains = append(x.ents.Domains, v)
	}
}

func (x *extractor) addFile(v string, at int) {
	if x.first(KindFile, v, at) {
		x.ents.Files = append(x.ents.Files, v)
	}
}

func (x *extractor) addHash(v string, sp span) {
	x.spans = append(x.spans, sp)
	kind := map[int]string{32: "md5", 40: "sha1", 64: "sha256"}[len(v)]
	if x.first(KindHash, v, sp.start) {
		x.ents.Hashes = append(x.ents.Hashes, Hash{Value: v, Kind: kind})
	}
}

func (x *extractor) addDevice(m DeviceMatch, sp span) {
	x.spans = append(x.spans, sp)
	if x.first(KindDevice, m.Name, sp.start) {
		x.ents.Devices = append(x.ents.Devices, m)
	}
}

func (x *extractor) addAccount(m AccountMatch, sp span) {
	x.spans = append(x.spans, sp)
	if x.first(KindAccount, m.Name, sp.start) {
		x.ents.Accounts = append(x.ents.Accounts, m)
	}
}
