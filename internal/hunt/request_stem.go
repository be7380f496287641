package hunt

// This file holds the word morphology the matcher needs: a spelling fold
// (British to American), a light suffix-stripping stemmer, and edit
// distance for typos. Both sides of every comparison go through the same
// functions, so a stem need only be consistent, not a dictionary word.

import (
	"strings"

	"github.com/vigil-hunt/vigil/kql/suggest"
)

// spellings maps British forms that suffix rules do not cover.
var spellings = map[string]string{
	"defence": "defense", "offence": "offense", "licence": "license",
	"programme": "program", "centre": "center", "catalogue": "catalog",
	"dialogue": "dialog", "grey": "gray", "logoff": "logout",
}

// fold maps British spellings onto American ones: -ise/-isation to
// -ize/-ization, -yse to -yze, -our to -or.
func fold(w string) string {
	if s, ok := spellings[w]; ok {
		return s
	}
	if len(w) < 6 {
		return w
	}
	for _, suf := range []string{"isations", "isation", "ising", "ised", "ises", "ise"} {
		if stem, ok := strings.CutSuffix(w, suf); ok && len(stem) >= 3 {
			return stem + "iz" + suf[2:]
		}
	}
	for _, suf := range []string{"ysing", "ysed", "yses", "yse"} {
		if stem, ok := strings.CutSuffix(w, suf); ok && len(stem) >= 3 {
			return stem + "yz" + suf[2:]
		}
	}
	for _, suf := range []string{"ours", "oured", "ouring", "our"} {
		if stem, ok := strings.CutSuffix(w, suf); ok && len(stem) >= 3 {
			return stem + "or" + suf[3:]
		}
	}
	return w
}

// stemKeep are words the stemmer leaves alone because stripping would
// merge them with a cue they must not match ("logs" is not "log in").
var stemKeep = set("logs", "this", "its", "has", "was", "is", "us", "as", "ps", "dns", "aws", "news", "bits")

// particles are the plural particles of hyphenated nouns: sign-ins,
// log-ons, call-outs.
var particles = map[string]string{"ins": "in", "ons": "on", "outs": "out", "ups": "up"}

// stem strips inflectional suffixes: plural -s/-es/-ies, -ed, -ing, -ly,
// -ation, -er and a final -e, then undoubles a final consonant pair.
func stem(w string) string {
	if s, ok := particles[w]; ok {
		return s
	}
	if stemKeep[w] || len(w) <= 3 || !hasLetter(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	switch {
	case strings.HasSuffix(w, "ied") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ed") && len(w) > 4 && hasVowel(w[:len(w)-2]):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ing") && len(w) > 5 && hasVowel(w[:len(w)-3]):
		w = w[:len(w)-3]
	case strings.HasSuffix(w, "ly") && len(w) > 5:
		w = w[:len(w)-2]
	}
	switch {
	case strings.HasSuffix(w, "ation") && len(w) > 7:
		w = w[:len(w)-5] + "at"
	case strings.HasSuffix(w, "er") && len(w) > 5:
		w = w[:len(w)-2]
	}
	if strings.HasSuffix(w, "e") && len(w) > 3 {
		w = w[:len(w)-1]
	}
	if n := len(w); n > 3 && w[n-1] == w[n-2] && !isVowel(w[n-1]) && w[n-1] != 's' && w[n-1] != 'z' && !isDigit(w[n-1]) {
		w = w[:n-1]
	}
	return w
}

func isVowel(c byte) bool { return strings.IndexByte("aeiouy", c) >= 0 }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func hasVowel(s string) bool {
	for i := 0; i < len(s); i++ {
		if isVowel(s[i]) {
			return true
		}
	}
	return false
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return true
		}
	}
	return false
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

// editDistance is the optimal-string-alignment distance between a and b,
// or limit+1 once it exceeds limit.
func editDistance(a, b string, limit int) int { return suggest.Distance(a, b, limit+1) }
