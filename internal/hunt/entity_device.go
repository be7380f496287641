package hunt

// This file matches device names against the caller's device list:
// exactly, short name against FQDN either way, by letters and digits
// only ("DC01"), spelled out in words ("windows target 1"), and one edit
// away; and it keeps host-like names the list does not hold.

import (
	"regexp"
	"strings"
)

// DeviceRef is a device the request may name, from DeviceInfo.
type DeviceRef struct {
	Name string `json:"name"` // DeviceName: a short name or an FQDN
	ID   string `json:"id,omitempty"`
	// Aliases are other names for the device (an old name, a NetBIOS
	// name); matched like Name.
	Aliases  []string `json:"aliases,omitempty"`
	Platform string   `json:"platform,omitempty"` // OSPlatform, informational
}

// deviceIndex finds devices by name, short name and key.
type deviceIndex struct {
	devs    []DeviceRef
	byName  map[string][]int // full lowercase name
	byShort map[string][]int // first label
	byKey   map[string][]int // letters and digits of the short name
}

func newDeviceIndex(devs []DeviceRef) *deviceIndex {
	ix := &deviceIndex{devs: devs, byName: map[string][]int{}, byShort: map[string][]int{}, byKey: map[string][]int{}}
	for i, d := range devs {
		for _, n := range append([]string{d.Name}, d.Aliases...) {
			n = strings.ToLower(strings.TrimSpace(n))
			if n == "" {
				continue
			}
			addUnique(ix.byName, n, i)
			addUnique(ix.byShort, shortName(n), i)
			if k := nameKey(shortName(n)); len(k) >= 4 {
				addUnique(ix.byKey, k, i)
			}
		}
	}
	return ix
}

func addUnique(m map[string][]int, k string, i int) {
	for _, j := range m[k] {
		if j == i {
			return
		}
	}
	m[k] = append(m[k], i)
}

// shortName is the first label of a DNS name.
func shortName(n string) string {
	s, _, _ := strings.Cut(n, ".")
	return s
}

// nameKey keeps only the letters and digits of a name.
func nameKey(n string) string {
	var b strings.Builder
	for i := 0; i < len(n); i++ {
		if c := n[i]; isDigit(c) || c >= 'a' && c <= 'z' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (ix *deviceIndex) match(is []int, how string) []DeviceMatch {
	out := make([]DeviceMatch, len(is))
	for k, i := range is {
		out[k] = DeviceMatch{Name: ix.devs[i].Name, ID: ix.devs[i].ID, How: how}
	}
	return out
}

// lookup matches one lowercase token: the full name, the short name of
// a listed FQDN, the short name of a written FQDN, or the same key.
func (ix *deviceIndex) lookup(low string) []DeviceMatch {
	if len(ix.devs) == 0 {
		return nil
	}
	if is := ix.byName[low]; len(is) > 0 {
		return ix.match(is, "exact")
	}
	if is := ix.byShort[low]; len(is) > 0 && !strings.Contains(low, ".") {
		return ix.match(is, "short")
	}
	if strings.Contains(low, ".") && !isFileName(low) {
		if is := ix.byShort[shortName(low)]; len(is) > 0 {
			return ix.match(is, "fqdn")
		}
	}
	if is := ix.byKey[nameKey(low)]; len(is) == 1 && (hasDigit(low) || len(nameKey(low)) >= 6) {
		return ix.match(is, "normalised")
	}
	return nil
}

// spacedDevices finds device names written as separate words: runs of
// two to five words whose letters and digits spell a device's key, with
// number words read as digits ("windows target one"). Only a run that
// names exactly one device counts.
func (x *extractor) spacedDevices() {
	if len(x.devices.devs) == 0 {
		return
	}
	ws := wordSpans(mask(x.src, x.spans))
	for i := 0; i < len(ws); i++ {
		for n := min(5, len(ws)-i); n >= 2; n-- {
			var key, digits strings.Builder
			for _, w := range ws[i : i+n] {
				low := strings.ToLower(x.src[w.start:w.end])
				key.WriteString(low)
				if d, ok := smallNumbers[low]; ok {
					low = d
				}
				digits.WriteString(low)
			}
			is := x.devices.byKey[key.String()]
			if len(is) == 0 {
				is = x.devices.byKey[digits.String()]
			}
			if len(is) != 1 || len(key.String()) < 5 {
				continue
			}
			sp := span{ws[i].start, ws[i+n-1].end}
			m := x.devices.match(is, "spaced")[0]
			m.Text = x.src[sp.start:sp.end]
			x.addDevice(m, sp)
			i += n - 1
			break
		}
	}
}

var smallNumbers = map[string]string{"one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
	"six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "zero": "0"}

// wordSpans returns the spans of alphanumeric runs in s; runs separated
// by anything but spaces, hyphens and underscores start a new sequence
// only in the sense that they are separate words.
func wordSpans(s string) []span {
	var out []span
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		out = append(out, span{i, j})
		i = j
	}
	return out
}

var (
	reHostShape = regexp.MustCompile(`^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+(?:\.[a-z0-9-]+)*$`)
	notHostPfx  = []string{"cve-", "ms0", "ms1", "ms2", "sha-", "sha1", "sha2", "md5", "utf-", "x86", "x64", "win32", "win64", "base64", "t1", "ta0", "covid", "rc4", "aes", "tls", "ssl", "http", "ipv", "event-", "type-", "top-", "log4",
		"inc-", "inc0", "sr-", "case-", "req-", "chg-", "ticket-", "ir-", "sec-", "jira-", "task-", "ritm", "sir-", "alert-", "bug-"}
	hostWords = set("host", "hostname", "machine", "device", "server", "computer", "endpoint", "workstation", "laptop", "box", "vm", "pc", "desktop", "node")
)

// hostLike reads a token left over by the other readers: one edit away
// from a listed device (names of six or more characters), or shaped like
// a host name (letters, then digits and separators: wks-fin-01) or
// following a host word ("host FINPC22"), kept as unverified.
func (x *extractor) hostLike(t etok) {
	low := t.low
	if !hasLetter(low) || x.used(t.sp) {
		return
	}
	if m, ok := x.fuzzyDevice(low); ok {
		m.Text = t.text
		x.addDevice(m, t.sp)
		return
	}
	shaped := reHostShape.MatchString(low) && hasDigit(low)
	for _, p := range notHostPfx {
		if strings.HasPrefix(low, p) {
			shaped = false
		}
	}
	after := hostWords[strings.ToLower(lastWord(x.src[:t.sp.start]))] && hasDigit(low) && len(low) >= 3 && reHostShape.MatchString(low+"-0")
	if !shaped && !after {
		return
	}
	if len(x.devices.devs) > 0 {
		x.note("%q looks like a device name but is not in the device list", t.text)
	}
	x.addDevice(DeviceMatch{Name: low, Text: t.text, How: "unverified"}, t.sp)
}

// fuzzyDevice finds the one device one edit away from low; names under
// six characters never match fuzzily, and a tie matches nothing.
func (x *extractor) fuzzyDevice(low string) (DeviceMatch, bool) {
	if len(low) < 6 || !strings.ContainsAny(low, "-_0123456789") {
		return DeviceMatch{}, false
	}
	found := -1
	for i, d := range x.devices.devs {
		for _, n := range append([]string{d.Name}, d.Aliases...) {
			n = strings.ToLower(n)
			for _, cand := range []string{n, shortName(n)} {
				if len(cand) >= 6 && editDistance(low, cand, 1) <= 1 {
					if found >= 0 && found != i {
						x.note("%q is close to several devices; not guessing", low)
						return DeviceMatch{}, false
					}
					found = i
				}
			}
		}
	}
	if found < 0 {
		return DeviceMatch{}, false
	}
	return x.devices.match([]int{found}, "fuzzy")[0], true
}

// lastWord is the last alphanumeric word of s.
func lastWord(s string) string {
	s = strings.TrimRight(s, " \t:")
	i := len(s)
	for i > 0 && isAlnum(s[i-1]) {
		i--
	}
	return s[i:]
}
