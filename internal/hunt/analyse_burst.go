package hunt

// This file implements the burst analysers: many distinct commands of a
// kind (discovery) by one account on one device within minutes, and mass
// file renames to one new extension (encryption for impact).

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
)

// analyseBurst groups rows by device and account and finds the window of
// window_minutes holding the most distinct Key values; min_distinct of
// them make a burst. Confidence grows with the count; a Weight column
// (1–3) lets telling commands (domain admins enumeration) count more.
func analyseBurst(x *analysis, r *huntRows) []*draft {
	window := time.Duration(r.hunt.Setting("window_minutes", 10)) * time.Minute
	minDistinct := r.hunt.Setting("min_distinct", 4)
	var out []*draft
	for _, idx := range groupRows(r, func(i int) string { return r.device(i) + "\x00" + userPart(r.account(i)) }) {
		sortByTime(r, idx)
		win, score, keys := bestBurst(r, idx, window)
		if float64(len(keys)) < minDistinct {
			continue
		}
		d := newDraft(r, win)
		d.title = fmt.Sprintf("%s: %d distinct in %s by %s", d.hunt.Title, len(keys), window, burstSubject(d))
		shown := keys
		if len(shown) > 10 {
			shown = append(slices.Clone(shown[:10]), fmt.Sprintf("and %d more", len(keys)-10))
		}
		d.reason("%d distinct within %s: %s", len(keys), window, strings.Join(shown, ", "))
		d.confidence = burstConfidence(d.confidence, len(keys), score)
		d.technique = commonTechnique(r, win)
		d.rarity = fleetRarity(x, r)
		out = append(out, d)
	}
	return out
}

// burstSubject names who did it where: "account on device".
func burstSubject(d *draft) string {
	switch {
	case d.account != "" && d.device != "":
		return d.account + " on " + d.device
	case d.account != "":
		return d.account
	}
	return firstNonEmpty(d.device, "one source")
}

// bestBurst finds the window with the most distinct keys and returns its
// rows, weighted score and keys (sorted).
func bestBurst(r *huntRows, idx []int, window time.Duration) ([]int, float64, []string) {
	var best []int
	bestScore := 0.0
	var bestKeys []string
	lo := 0
	for hi := range idx {
		for r.when(idx[hi]).Sub(r.when(idx[lo])) > window {
			lo++
		}
		seen := map[string]float64{}
		for _, i := range idx[lo : hi+1] {
			w := r.num(i, "Weight")
			if w <= 0 {
				w = 1
			}
			seen[r.str(i, "Key")] = max(seen[r.str(i, "Key")], w)
		}
		score := 0.0
		for _, w := range seen {
			score += w
		}
		if score > bestScore {
			bestScore, best = score, idx[lo:hi+1]
			bestKeys = bestKeys[:0]
			for k := range seen {
				bestKeys = append(bestKeys, k)
			}
		}
	}
	sort.Strings(bestKeys)
	return append([]int(nil), best...), bestScore, bestKeys
}

// burstConfidence grows from base at the minimum with each distinct key
// and each extra weight point.
func burstConfidence(base, distinct int, score float64) int {
	c := base + 8*(distinct-4) + int(3*(score-float64(distinct)))
	return min(95, max(20, c))
}

// commonTechnique is the most frequent Technique column value among rows
// (ties broken by id), or "" for the hunt's own.
func commonTechnique(r *huntRows, idx []int) string {
	count := map[string]int{}
	for _, i := range idx {
		if t := strings.ToUpper(r.str(i, "Technique")); t != "" {
			count[t]++
		}
	}
	best := ""
	for t, n := range count {
		if n > count[best] || n == count[best] && t < best {
			best = t
		}
	}
	return best
}

// analyseMassRename groups renames by device and process and finds the
// window of window_minutes with the most renames to one new extension;
// min_files of them is encryption in progress.
func analyseMassRename(x *analysis, r *huntRows) []*draft {
	window := time.Duration(r.hunt.Setting("window_minutes", 10)) * time.Minute
	minFiles := int(r.hunt.Setting("min_files", 50))
	var out []*draft
	groups := groupRows(r, func(i int) string {
		return r.device(i) + "\x00" + strings.ToLower(r.str(i, "InitiatingProcessFileName")) + "\x00" + strings.ToLower(path.Ext(r.str(i, "FileName")))
	})
	for _, idx := range groups {
		if len(idx) < minFiles {
			continue
		}
		sortByTime(r, idx)
		lo, best, bestLo := 0, 0, 0
		for hi := range idx {
			for r.when(idx[hi]).Sub(r.when(idx[lo])) > window {
				lo++
			}
			if hi-lo+1 > best {
				best, bestLo = hi-lo+1, lo
			}
		}
		if best < minFiles {
			continue
		}
		win := idx[bestLo : bestLo+best]
		i0 := win[0]
		ext := path.Ext(r.str(i0, "FileName"))
		d := newDraft(r, win)
		d.title = fmt.Sprintf("%s renamed %d files to %s on %s", r.str(i0, "InitiatingProcessFileName"), len(idx), ext, d.device)
		d.reason("%d files renamed to the extension %s within %s", best, ext, window)
		folders := map[string]bool{}
		for _, i := range idx {
			folders[strings.ToLower(r.str(i, "FolderPath")[:max(0, strings.LastIndexAny(r.str(i, "FolderPath"), `\/`))])] = true
		}
		d.reason("across %d folders", len(folders))
		d.severity = finding.Critical
		d.rarity = fleetRarity(x, r)
		d.nextSteps = []string{"Isolate " + d.device + " now and stop the process " + r.str(i0, "InitiatingProcessFileName"),
			"Check the backups of the affected shares are intact and offline"}
		out = append(out, d)
	}
	return out
}
