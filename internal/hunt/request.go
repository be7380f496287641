// Package hunt turns an analyst's plain-language concern into a hunting
// plan (intents, entities, a time range, tables and hunt ids) without a
// model: deterministic and offline, the safety net under the LLM agent.
//
// Usage:
//
//	p := hunt.Understand("did anyone log into windows-target-1 in the last few days?", hunt.Env{
//		Now:     asOf,
//		Devices: devices, // from DeviceInfo
//		Hunts:   registry,
//	})
//	fmt.Print(p.Explain())
package hunt

// This file prepares a request for the three readers (time, entities,
// intents): unicode and defanged-IOC normalisation, and the word tokens
// the intent matcher reads, with negation marked.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// refangs rewrites defanged indicators back to their live form. Matching
// is case-insensitive; order matters (longer forms first).
var refangs = []struct{ from, to string }{
	{"hxxps", "https"}, {"hxxp", "http"}, {"fxp", "ftp"},
	{"[://]", "://"}, {"[:]", ":"}, {"[.]", "."}, {"(.)", "."}, {"{.}", "."},
	{"[dot]", "."}, {"(dot)", "."}, {"{dot}", "."}, {"[@]", "@"}, {"[at]", "@"},
	{"(at)", "@"}, {"[/]", "/"},
}

// typography maps typographic characters to their ASCII equivalents.
var typography = strings.NewReplacer(
	"\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`,
	"\u2013", "-", "\u2014", "-", "\u2212", "-", "\u00a0", " ", "\u2026", "...",
)

// normalise returns req with typographic characters made ASCII and
// defanged indicators refanged. Offsets elsewhere refer to its result.
func normalise(req string) string {
	s := typography.Replace(req)
	for _, r := range refangs {
		s = replaceFold(s, r.from, r.to)
	}
	return s
}

// replaceFold replaces every case-insensitive occurrence of from (ASCII)
// in s with to.
func replaceFold(s, from, to string) string {
	lower := strings.ToLower(s)
	if !strings.Contains(lower, from) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(lower, from)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(to)
		s, lower = s[i+len(from):], lower[i+len(from):]
	}
}

// span is a byte range [start, end) of the normalised request.
type span struct{ start, end int }

// mask returns s with every span blanked to spaces, keeping offsets.
func mask(s string, spans []span) string {
	b := []byte(s)
	for _, sp := range spans {
		for i := max(sp.start, 0); i < sp.end && i < len(b); i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

// word is one token of the intent matcher's view of a request.
type word struct {
	raw    string // lowercase, spelling folded
	stem   string
	clause int  // index of the clause (split at punctuation) holding it
	neg    bool // inside the scope of a negation
}

// words splits s into lowercase alphanumeric words, numbering clauses at
// sentence punctuation, and marks negated words. Apostrophes vanish
// ("don't" → "dont") and "c&c" reads as "c2".
func words(s string) []word {
	s = replaceFold(s, "c&c", " c2 ")
	s = strings.ReplaceAll(s, "&", " and ")
	var out []word
	clause := 0
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			raw := fold(cur.String())
			out = append(out, word{raw: raw, stem: stem(raw), clause: clause})
			cur.Reset()
		}
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(unicode.ToLower(r))
		case r == '\'':
			// "RDP'd", "jsmith's", "it'll": drop the clitic; "don't",
			// "I'm": join; elsewhere a boundary
			if n := clitic(s[i:]); cur.Len() > 0 && n > 0 {
				i += n
				flush()
			}
		case strings.ContainsRune(",;:!?()\"\n", r) || r == '.' && (i >= len(s) || s[i] == ' ' || s[i] == '\n'):
			flush()
			clause++
		default:
			flush()
		}
	}
	flush()
	markNegation(out)
	return out
}

// clitic returns the length of a clitic ("d", "s", "ll", "ve", "re",
// "ed", "ing") at the start of s when a word boundary follows it.
func clitic(s string) int {
	for _, c := range []string{"ing", "ed", "ll", "ve", "re", "d", "s"} {
		if len(s) >= len(c) && strings.EqualFold(s[:len(c)], c) && (len(s) == len(c) || !isAlnum(s[len(c)])) {
			return len(c)
		}
	}
	return 0
}

// negators open a negation scope over the next few words of their clause.
var negators = set("not", "no", "never", "nor", "neither", "dont", "doesnt", "didnt",
	"isnt", "arent", "wasnt", "werent", "cant", "cannot", "wont", "havent", "hasnt",
	"hadnt", "shouldnt", "couldnt", "wouldnt", "exclude", "excluding", "except",
	"ignore", "ignoring", "nothing")

// hedges after a negator cancel it: "not sure if", "don't know whether",
// "can't rule out", "not only … but", "no longer".
var hedges = set("sure", "certain", "know", "knowing", "clear", "idea", "tell",
	"whether", "if", "just", "only", "merely", "confirm", "rule", "exclude",
	"longer", "able", "convinced", "yet", "want", "wanna")

// scopeEnd closes a negation scope early.
var scopeEnd = set("but", "however", "though", "although", "just", "only", "instead",
	"rather", "yet", "so", "and", "then", "please", "check", "look", "focus", "hunt")

// negationReach is how many words after a negator it can cover.
const negationReach = 5

// markNegation sets neg on words inside a negation scope. It is cheap
// and shallow by design: "not ransomware, just logons" negates only
// "ransomware"; hedges such as "not sure whether" negate nothing.
func markNegation(ws []word) {
	for i, w := range ws {
		if !negators[w.raw] {
			continue
		}
		if i+1 < len(ws) && hedges[ws[i+1].raw] {
			continue
		}
		for j := i + 1; j < len(ws) && j <= i+negationReach; j++ {
			if ws[j].clause != w.clause || scopeEnd[ws[j].raw] {
				break
			}
			ws[j].neg = true
		}
	}
	// "rather than X", "other than X", "instead of X"
	for i := 0; i+1 < len(ws); i++ {
		a, b := ws[i].raw, ws[i+1].raw
		if (a == "rather" || a == "other") && b == "than" || a == "instead" && b == "of" {
			for j := i + 2; j < len(ws) && j <= i+1+negationReach && ws[j].clause == ws[i].clause; j++ {
				ws[j].neg = true
			}
		}
	}
}

// set builds a string set.
func set(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}
