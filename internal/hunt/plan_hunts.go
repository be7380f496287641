package hunt

// This file chooses a plan's hunts and tables from the registry: hunts
// serving a recognised intent (or the triage pack) whose tables exist.

import (
	"fmt"
	"slices"
	"strings"
)

// chooseHunts fills HuntIDs and Tables. Hunts are ordered by the most
// confident intent they serve (triage last), then by how many of the
// named entity kinds they cannot be scoped by, then registry order.
// With no registry, Tables come from the intents' defaults.
func (p *Plan) chooseHunts(env Env) {
	have := tableSet(env.Tables)
	p.HuntIDs, p.Tables = []string{}, []string{}
	if len(env.Hunts) == 0 {
		p.Tables = defaultTables(p.Intents, p.Triage, have)
		p.Notes = append(p.Notes, "no hunt registry given; tables are the intents' defaults")
		return
	}
	rank := p.intentRanks(env.Hunts)
	type pick struct {
		h          HuntInfo
		rank, wide int
	}
	kinds := p.Entities.Kinds()
	var picks []pick
	for _, h := range env.Hunts {
		best := -1
		for _, id := range h.Intents {
			if r, ok := rank[id]; ok && (best < 0 || r < best) {
				best = r
			}
		}
		if best < 0 {
			continue
		}
		if missing := missingTables(h.Tables, have); len(missing) > 0 {
			p.Notes = append(p.Notes, fmt.Sprintf("skipping hunt %s: the workspace has no %s", h.ID, strings.Join(missing, ", ")))
			continue
		}
		wide := 0
		for _, k := range kinds {
			if !slices.Contains(h.Entities, k) {
				wide++
			}
		}
		picks = append(picks, pick{h, best, wide})
	}
	slices.SortStableFunc(picks, func(a, b pick) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return a.wide - b.wide
	})
	var chosen []HuntInfo
	for _, pk := range picks {
		chosen = append(chosen, pk.h)
		p.HuntIDs = append(p.HuntIDs, pk.h.ID)
		p.Tables = append(p.Tables, pk.h.Tables...)
	}
	p.Tables = sortedUnique(p.Tables)
	p.scopeNotes(chosen)
}

// intentRanks orders the intents a hunt may serve: the plan's intents by
// confidence, then triage. A triage plan over a registry with no triage
// hunts takes every hunt, after the rest.
func (p *Plan) intentRanks(hunts []HuntInfo) map[string]int {
	rank := map[string]int{}
	for i, in := range p.Intents {
		rank[in.ID] = i
	}
	if !p.Triage {
		return rank
	}
	rank[IntentTriage] = len(p.Intents)
	if slices.ContainsFunc(hunts, func(h HuntInfo) bool { return slices.Contains(h.Intents, IntentTriage) }) {
		return rank
	}
	p.Notes = append(p.Notes, "the registry has no triage hunts; triage runs every hunt")
	for _, h := range hunts {
		for _, id := range h.Intents {
			if _, ok := rank[id]; !ok {
				rank[id] = len(p.Intents) + 1
			}
		}
	}
	return rank
}

// scopeNotes notes the hunts that cannot be scoped to an entity kind the
// request names, and so run across the workspace.
func (p *Plan) scopeNotes(hunts []HuntInfo) {
	for _, kind := range p.Entities.Kinds() {
		var wide []string
		for _, h := range hunts {
			if !slices.Contains(h.Entities, kind) {
				wide = append(wide, h.ID)
			}
		}
		if len(wide) > 0 {
			p.Notes = append(p.Notes, fmt.Sprintf("not scoped by %s, so workspace-wide: %s", kind, strings.Join(wide, ", ")))
		}
	}
}

// defaultTables are the tables of the intents (and triage), in the
// order they first appear, less those the workspace lacks.
func defaultTables(intents []Intent, triage bool, have map[string]bool) []string {
	var ts []string
	for _, in := range intents {
		ts = append(ts, intentInfos[intentRank(in.ID)].Tables...)
	}
	if triage {
		ts = append(ts, triageTables...)
	}
	out := []string{}
	for _, t := range sortedUnique(ts) {
		if have == nil || have[strings.ToLower(t)] {
			out = append(out, t)
		}
	}
	return out
}

// tableSet indexes table names case-insensitively; nil for unknown.
func tableSet(tables []string) map[string]bool {
	if tables == nil {
		return nil
	}
	m := make(map[string]bool, len(tables))
	for _, t := range tables {
		m[strings.ToLower(t)] = true
	}
	return m
}

// missingTables lists the tables not in have (none when have is nil).
func missingTables(tables []string, have map[string]bool) []string {
	var out []string
	for _, t := range tables {
		if have != nil && !have[strings.ToLower(t)] {
			out = append(out, t)
		}
	}
	return out
}

func sortedUnique(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}

// joinList joins words as prose: "a", "a and b", "a, b and c".
func joinList(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
