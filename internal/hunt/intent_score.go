package hunt

// This file scores a request's words against the compiled cues: phrase
// matching with small gaps, compounds, typo repair, negation and the
// @host/@cloud conditions.

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

func (cw cueWord) match(w word) bool {
	switch {
	case cw.exact != "":
		return w.raw == cw.exact
	case cw.prefix != "":
		return strings.HasPrefix(w.raw, cw.prefix)
	}
	return w.stem == cw.stem
}

// matchAt matches c at word i, returning the words it covers.
func (c cue) matchAt(ws []word, i int, used []bool) ([]int, bool) {
	if used[i] {
		return nil, false
	}
	if c.joined != "" && ws[i].stem == c.joined {
		return []int{i}, true
	}
	if !c.words[0].match(ws[i]) {
		return c.compoundAt(ws, i, used)
	}
	at := []int{i}
	for _, cw := range c.words[1:] {
		last, found := at[len(at)-1], false
		limit := last + 1
		if c.gap {
			limit += maxGap
		}
		for j := last + 1; j <= limit && j < len(ws) && ws[j].clause == ws[i].clause; j++ {
			if !used[j] && cw.match(ws[j]) {
				at, found = append(at, j), true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return at, true
}

// compoundAt matches a one-word cue written as two words ("log on" for
// logon, "brute force" for a bruteforce cue).
func (c cue) compoundAt(ws []word, i int, used []bool) ([]int, bool) {
	if len(c.words) != 1 || c.words[0].stem == "" || len(c.words[0].stem) < 5 || i+1 >= len(ws) ||
		used[i+1] || ws[i+1].clause != ws[i].clause {
		return nil, false
	}
	s := c.words[0].stem
	if ws[i].stem+ws[i+1].stem == s || stem(ws[i].raw+ws[i+1].raw) == s {
		return []int{i, i + 1}, true
	}
	return nil, false
}

// requestContext is what the conditions of cues test.
type requestContext struct{ host, cloud bool }

func (rc requestContext) allows(cond string) bool {
	switch cond {
	case "@host":
		return rc.host && !rc.cloud
	case "@nohost":
		return !rc.host || rc.cloud
	case "@cloud":
		return rc.cloud
	case "@nocloud":
		return !rc.cloud
	}
	return true
}

// anyCue reports whether any of cs matches outside a negation.
func anyCue(ws []word, cs []cue) bool {
	used := make([]bool, len(ws))
	for _, c := range cs {
		for i := range ws {
			if at, ok := c.matchAt(ws, i, used); ok && !slices.ContainsFunc(at, func(j int) bool { return ws[j].neg }) {
				return true
			}
		}
	}
	return false
}

// scored is one intent's score and evidence.
type scored struct {
	score   float64
	cues    []string
	negated []string
	words   int // words the counted cues cover: ties go to the more specific intent
}

// scoreCues scores ws against cs. Each cue counts once; a word feeds at
// most one cue (the strongest); negated matches count nothing.
func scoreCues(ws []word, cs []cue, rc requestContext) scored {
	var s scored
	used := make([]bool, len(ws))
	for _, c := range cs {
		if !rc.allows(c.cond) {
			continue
		}
		for i := range ws {
			at, ok := c.matchAt(ws, i, used)
			if !ok {
				continue
			}
			for _, j := range at {
				used[j] = true
			}
			if slices.ContainsFunc(at, func(j int) bool { return ws[j].neg }) {
				s.negated = append(s.negated, c.text)
				continue
			}
			s.score += c.weight
			if c.weight > 0 {
				s.cues = append(s.cues, c.text)
				s.words += len(at)
			}
			break
		}
	}
	return s
}

// confidence maps a score to (0, 1).
func confidence(score float64) float64 {
	return math.Round((1-math.Exp(-score))*100) / 100
}

// repairTypos replaces words one edit (two for long words) from exactly
// one cue word with that word, and returns what it changed.
func repairTypos(ws []word) []string {
	var fixed []string
	for i, w := range ws {
		if len(w.raw) < 4 || hasDigit(w.raw) || cueStems[w.stem] || commonWords[w.raw] || typoKnown(w.raw) {
			continue
		}
		limit := 1
		if len(w.raw) >= 9 {
			limit = 2
		}
		best, bestD, n := "", limit+1, 0
		for _, r := range cueRaws {
			switch d := editDistance(w.raw, r, limit); {
			case d < bestD:
				best, bestD, n = r, d, 1
			case d == bestD:
				n++
			}
		}
		if n == 1 {
			ws[i].raw, ws[i].stem = best, stem(best)
			fixed = append(fixed, fmt.Sprintf("read %q as %q", w.raw, best))
		}
	}
	return fixed
}

// typoKnown reports whether raw already matches some prefix cue, so it
// needs no repair ("persistance" matches persist*).
func typoKnown(raw string) bool {
	for _, cs := range compiledIntents {
		for _, c := range cs {
			for _, cw := range c.words {
				if cw.prefix != "" && len(cw.prefix) >= 4 && strings.HasPrefix(raw, cw.prefix) {
					return true
				}
			}
		}
	}
	return false
}

// readIntents scores every intent for the words of text and the
// entities the request names.
func readIntents(text string, ents Entities) (intents []Intent, triage bool, notes []string) {
	ws := words(text)
	notes = repairTypos(ws)
	rc := requestContext{host: len(ents.Devices) > 0 || anyCue(ws, compiledHost), cloud: anyCue(ws, compiledCloud)}
	hints := entityHints(ents)
	techniqueHints(text, hints)
	specific := map[string]int{}
	for _, info := range intentInfos {
		s := scoreCues(ws, compiledIntents[info.ID], rc)
		if h, ok := hints[info.ID]; ok {
			s.score += h.score
			s.cues = append(s.cues, h.cues...)
		}
		for _, n := range s.negated {
			notes = append(notes, fmt.Sprintf("ignored negated cue %q (%s)", n, info.ID))
		}
		if s.score >= fireAt-1e-9 {
			intents = append(intents, Intent{ID: info.ID, Confidence: confidence(s.score), Cues: s.cues})
			specific[info.ID] = s.words
		}
	}
	slices.SortStableFunc(intents, func(a, b Intent) int {
		if c := cmp.Compare(b.Confidence, a.Confidence); c != 0 {
			return c
		}
		return cmp.Compare(specific[b.ID], specific[a.ID])
	})
	broad := scoreCues(ws, compiledBroad, rc).score > 0
	return intents, len(intents) == 0 || broad, notes
}
