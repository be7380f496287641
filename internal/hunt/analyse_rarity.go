package hunt

// This file implements the fleet analysers: rarity (behaviour, named by a
// Key column, that few devices show) and first-seen (behaviour that
// starts during the hunt after a quiet baseline).

import (
	"fmt"
	"strings"
	"time"
)

// analyseRarity groups rows by device (or account) and Technique; each
// row names a Key (a process pair, a destination) and a Devices column
// says on how many devices the key was seen across the fleet. Keys seen
// on more than max_devices are skipped. Rarity alone is weak evidence, so
// these findings stay below high confidence whatever the rows claim.
func analyseRarity(x *analysis, r *huntRows) []*draft {
	maxDevs := int(r.hunt.Setting("max_devices", 1))
	var out []*draft
	groups := groupRows(r, func(i int) string { return subjectOf(r, i) + "\x00" + strings.ToUpper(r.str(i, "Technique")) })
	for _, idx := range groups {
		var keep []int
		var keys []string
		devs := 0
		for _, i := range idx {
			if n := int(r.num(i, "Devices")); n <= maxDevs {
				keep = append(keep, i)
				keys = appendNew(keys, truncate(r.str(i, "Key"), 80))
				devs = max(devs, n)
			}
		}
		if len(keep) == 0 {
			continue
		}
		d := newDraft(r, keep)
		d.rarity = rarityOf(devs, x.fleet)
		d.title = fmt.Sprintf("%s: %s", d.hunt.Title, joinKeys(keys, 3))
		if d.device != "" {
			d.title += " on " + d.device
		}
		d.reason("seen on at most %d device(s) of the fleet: %s", max(devs, 1), joinKeys(keys, 8))
		gradeRows(d, r, keep)
		d.confidence = min(d.confidence, highFloor-5)
		d.technique = strings.ToUpper(r.str(keep[0], "Technique"))
		out = append(out, d)
	}
	return out
}

// joinKeys lists at most n keys, then how many more.
func joinKeys(keys []string, n int) string {
	if len(keys) <= n {
		return strings.Join(keys, ", ")
	}
	return strings.Join(keys[:n], ", ") + fmt.Sprintf(" and %d more", len(keys)-n)
}

// analyseFirstSeen flags keys whose first row falls inside the hunt's
// time range, after at least min_quiet_hours of data without them (so a
// workspace's first day is baseline, not news). Keys seen on more than
// max_devices devices are skipped. Novelty alone stays below high
// confidence.
func analyseFirstSeen(x *analysis, r *huntRows) []*draft {
	quiet := time.Duration(r.hunt.Setting("min_quiet_hours", 24)) * time.Hour
	maxDevs := int(r.hunt.Setting("max_devices", 2))
	var dataStart time.Time
	for i := 0; i < r.n(); i++ {
		if t := r.when(i); dataStart.IsZero() || t.Before(dataStart) {
			dataStart = t
		}
	}
	from := dataStart.Add(quiet)
	if x.start.After(from) {
		from = x.start
	}
	byKey := groupRows(r, func(i int) string { return r.str(i, "Key") })
	var out []*draft
	for _, idx := range byKey {
		sortByTime(r, idx)
		devs := map[string]bool{}
		for _, i := range idx {
			devs[r.device(i)] = true
		}
		if len(devs) > maxDevs || r.when(idx[0]).Before(from) {
			continue
		}
		d := newDraft(r, idx)
		key := r.str(idx[0], "Key")
		d.title = fmt.Sprintf("%s: %s", d.hunt.Title, truncate(key, 120))
		d.reason("first seen %s, after %s of data without it", r.when(idx[0]).Format(time.RFC3339), r.when(idx[0]).Sub(dataStart).Round(time.Hour))
		d.rarity = rarityOf(len(devs), x.fleet)
		gradeRows(d, r, idx)
		d.confidence = min(d.confidence, highFloor-5)
		d.technique = strings.ToUpper(r.str(idx[0], "Technique"))
		out = append(out, d)
	}
	return out
}
