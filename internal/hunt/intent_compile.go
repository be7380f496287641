package hunt

// This file compiles the cue table (intent_cues.go) once, at start-up,
// into phrases of stems, prefixes and exact words.

import (
	"cmp"
	"maps"
	"slices"
	"strings"
)

// cueWord is one word of a compiled cue; exactly one field is set.
type cueWord struct {
	stem   string // matches a word with this stem
	prefix string // "word*": matches a word (folded) starting with this
	exact  string // "=word": matches this word only, unstemmed
}

// cue is a compiled cue.
type cue struct {
	text   string // as written in the table, without its condition
	words  []cueWord
	joined string // the stem of the words written as one ("bruteforce")
	weight float64
	cond   string // "", "@host", "@nohost", "@cloud", "@nocloud"
	gap    bool   // parts may have up to maxGap words between them
}

// maxGap is how many words may separate the parts of a phrase cue.
const maxGap = 2

// tightWords are short function words: a phrase with one of them must
// be contiguous ("sign in", not "signed binaries in"; "at logon", not
// "look at the logon").
var tightWords = set("in", "into", "on", "onto", "to", "out", "up", "down", "off", "from", "with", "of",
	"for", "the", "a", "an", "at", "by", "and", "or", "home", "back", "as")

// compiledIntents holds each intent's cues, strongest and longest first.
var compiledIntents, cueStems, cueRaws = compileCueTable()

var (
	compiledBroad = compileList(broadCues, strongCue)
	compiledCloud = compileList(cloudWords, strongCue)
	compiledHost  = compileList(hostCueWords, strongCue)
)

func compileCueTable() (map[string][]cue, map[string]bool, []string) {
	out := map[string][]cue{}
	stems, raws := map[string]bool{}, map[string]bool{}
	for id, cs := range cueTable {
		var list []cue
		for _, g := range []struct {
			texts []string
			w     float64
		}{{cs.against, -strongCue}, {cs.strong, strongCue}, {cs.medium, mediumCue}, {cs.weak, weakCue}} {
			list = append(list, compileList(g.texts, g.w)...)
		}
		slices.SortStableFunc(list, func(a, b cue) int {
			if c := cmp.Compare(b.priority(), a.priority()); c != 0 {
				return c
			}
			return cmp.Compare(len(b.words), len(a.words))
		})
		out[id] = list
		for _, c := range list {
			for _, w := range c.words {
				if w.stem != "" {
					stems[w.stem] = true
				}
			}
		}
	}
	for _, cs := range cueTable {
		for _, t := range slices.Concat(cs.strong, cs.medium, cs.weak) {
			for _, part := range strings.Fields(t) {
				if !strings.ContainsAny(part, "*=@") && len(part) >= 5 && !hasDigit(part) {
					raws[fold(strings.ToLower(part))] = true
				}
			}
		}
	}
	return out, stems, slices.Sorted(maps.Keys(raws))
}

// priority orders cues for matching: against cues first, then by weight.
func (c cue) priority() float64 {
	if c.weight < 0 {
		return 10
	}
	return c.weight
}

func compileList(texts []string, weight float64) []cue {
	out := make([]cue, 0, len(texts))
	for _, t := range texts {
		out = append(out, compileCue(t, weight))
	}
	return out
}

// compileCue parses one cue of the table's syntax.
func compileCue(text string, weight float64) cue {
	c := cue{weight: weight, gap: true}
	if strings.HasPrefix(text, "@") {
		c.cond, text, _ = strings.Cut(text, " ")
	}
	c.text = text
	var joined strings.Builder
	plain := true // every part is a plain word, so the cue can be written as one
	for _, part := range strings.Fields(text) {
		switch {
		case strings.HasPrefix(part, "="):
			c.words, plain = append(c.words, cueWord{exact: part[1:]}), false
		case strings.HasSuffix(part, "*"):
			c.words, plain = append(c.words, cueWord{prefix: fold(strings.TrimSuffix(part, "*"))}), false
		default:
			for _, w := range words(part) {
				c.words = append(c.words, cueWord{stem: w.stem})
				joined.WriteString(w.raw)
			}
		}
	}
	for _, w := range c.words {
		if tightWords[w.stem] || tightWords[w.exact] {
			c.gap = false
		}
	}
	if plain && len(c.words) > 1 && joined.Len() >= 5 {
		c.joined = stem(joined.String())
	}
	return c
}

// isCueWord reports whether low (a word without digits) is a cue word,
// so never an account name.
func isCueWord(low string) bool {
	return !hasDigit(low) && cueStems[stem(fold(low))]
}
