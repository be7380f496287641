package hunt

// This file implements the signature analyser: every row a hunt returns
// is a hit. Rows are grouped by device (or account, for cloud tables) and
// technique into one finding each. A hunt's query may grade its rows with
// optional columns: Confidence (0–100), Reason, Technique (an ATT&CK id
// overriding the hunt's), Severity and Title.

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/internal/finding"
)

func analyseSignature(x *analysis, r *huntRows) []*draft {
	groups := groupRows(r, func(i int) string {
		return subjectOf(r, i) + "\x00" + strings.ToUpper(r.str(i, "Technique")) + "\x00" + confidenceBand(r, i)
	})
	rarity := fleetRarity(x, r)
	var out []*draft
	for _, idx := range groups {
		d := newDraft(r, idx)
		d.technique = strings.ToUpper(r.str(idx[0], "Technique"))
		d.rarity = rarity
		gradeRows(d, r, idx)
		d.title = titleFor(r, idx, d)
		out = append(out, d)
	}
	return out
}

// confidenceBand puts a row's Confidence column in a band (low, medium,
// high), so that routine rows do not share a finding with alarming ones.
func confidenceBand(r *huntRows, i int) string {
	if !r.has("Confidence") {
		return ""
	}
	return string(finding.LevelFor(int(r.num(i, "Confidence"))))
}

// gradeRows applies the optional Confidence, Reason, Severity columns.
func gradeRows(d *draft, r *huntRows, idx []int) {
	if r.has("Confidence") {
		best := 0
		for _, i := range idx {
			best = max(best, int(r.num(i, "Confidence")))
		}
		if best > 0 {
			d.confidence = min(best, 99)
		}
	}
	if r.has("Severity") {
		for _, i := range idx {
			if s := finding.Severity(strings.ToLower(r.str(i, "Severity"))); s.Rank() > d.severity.Rank() {
				d.severity = s
			}
		}
	}
	var reasons []string
	for _, i := range idx {
		if s := r.str(i, "Reason"); s != "" && !slices.Contains(reasons, s) {
			reasons = append(reasons, s)
		}
	}
	sort.Strings(reasons)
	if len(reasons) > 6 {
		reasons = append(reasons[:6], fmt.Sprintf("and %d more", len(reasons)-6))
	}
	d.reasons = append(d.reasons, reasons...)
	if len(idx) > 1 {
		d.reason("%d matching events", len(idx))
	}
}

// titleFor is the group's Title column, else the hunt's title with the
// subject.
func titleFor(r *huntRows, idx []int, d *draft) string {
	if t := r.str(idx[0], "Title"); t != "" {
		return t
	}
	switch {
	case d.device != "":
		return d.hunt.Title + " on " + d.device
	case d.account != "":
		return d.hunt.Title + " by " + d.account
	}
	return d.hunt.Title
}

// subjectOf is what a row is about: its Subject column when the query
// sets one, else its device, else its account, else its source address.
func subjectOf(r *huntRows, i int) string {
	if s := r.str(i, "Subject"); s != "" {
		return "s:" + s
	}
	if d := r.device(i); d != "" {
		return "d:" + d
	}
	if a := r.account(i); a != "" {
		return "a:" + a
	}
	for _, c := range []string{"IPAddress", "SrcIP_s", "SrcIP", "RemoteIP", "CallerIpAddress"} {
		if v := r.str(i, c); v != "" {
			return "i:" + v
		}
	}
	return ""
}

// groupRows groups row indexes by key, in order of first appearance.
func groupRows(r *huntRows, key func(i int) string) [][]int {
	at := map[string]int{}
	var out [][]int
	for i := 0; i < r.n(); i++ {
		k := key(i)
		g, ok := at[k]
		if !ok {
			g = len(out)
			at[k] = g
			out = append(out, nil)
		}
		out[g] = append(out[g], i)
	}
	return out
}

// fleetRarity is 1 when the hunt fired on one device of the fleet, falling
// towards 0 as it fires on more of it; 0.5 when the fleet is unknown.
func fleetRarity(x *analysis, r *huntRows) float64 {
	devs := map[string]bool{}
	for i := 0; i < r.n(); i++ {
		if d := r.device(i); d != "" {
			devs[d] = true
		}
	}
	return rarityOf(len(devs), x.fleet)
}

// rarityOf turns "seen on n of fleet devices" into 0–1.
func rarityOf(n, fleet int) float64 {
	switch {
	case fleet <= 1:
		return 0.5
	case n <= 1:
		return 1
	}
	return max(0, 1-float64(n-1)/float64(fleet-1))
}
