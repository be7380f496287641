package hunt

// This file scores findings: asset criticality read from DeviceInfo (or
// given by the caller), correlation between findings on one device, and
// the final risk score and ordering.

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
)

// asset is what the workspace says about a device.
type asset struct {
	criticality int // 0–5, as finding.Score takes it
	why         string
}

// assetMap maps lower-cased device names (FQDN and short) to assets.
type assetMap map[string]asset

// of returns the device's asset; a finding without a device is about a
// cloud identity or network (3), an unknown device is ordinary (2).
func (m assetMap) of(device string) asset {
	if device == "" {
		return asset{3, "cloud identity or network"}
	}
	d := strings.ToLower(device)
	if a, ok := m[d]; ok {
		return a
	}
	if short, _, ok := strings.Cut(d, "."); ok {
		if a, ok := m[short]; ok {
			return a
		}
	}
	return asset{2, "unknown device"}
}

func (m assetMap) set(device string, a asset) {
	d := strings.ToLower(device)
	m[d] = a
	if short, _, ok := strings.Cut(d, "."); ok && short != "" {
		if _, taken := m[short]; !taken {
			m[short] = a
		}
	}
}

// readAssets reads the context-assets query's rows: one per device with
// AssetValue, tags, type and exposure.
func readAssets(r *huntRows, overrides map[string]int) (assetMap, int) {
	m := assetMap{}
	fleet := 0
	for i := 0; i < r.n(); i++ {
		name := r.device(i)
		if name == "" {
			continue
		}
		fleet++
		m.set(name, criticalityOf(r, i))
	}
	for d, c := range overrides {
		m.set(d, asset{min(max(c, 0), 5), "set by the analyst"})
	}
	return m, fleet
}

// criticalityOf grades a device from its DeviceInfo row.
func criticalityOf(r *huntRows, i int) asset {
	tags := strings.ToLower(r.str(i, "DeviceManualTags") + " " + r.str(i, "DeviceDynamicTags") + " " + r.str(i, "MachineGroup"))
	server := strings.EqualFold(r.str(i, "DeviceType"), "Server") || strings.Contains(strings.ToLower(r.str(i, "OSPlatform")), "server")
	exposed := r.str(i, "IsInternetFacing") == "true"
	switch v := strings.ToLower(r.str(i, "AssetValue")); {
	case strings.Contains(tags, "tier0") || strings.Contains(tags, "domain controller"):
		return asset{5, "tier 0"}
	case v == "high":
		return asset{4, "asset value high"}
	case v == "normal" && (server || exposed):
		return asset{3, "server or internet-facing"}
	case v == "normal":
		return asset{2, "asset value normal"}
	case v == "low":
		return asset{1, "asset value low"}
	case server:
		return asset{3, "server"}
	}
	return asset{2, "no asset value"}
}

// correlationWindow is how close in time findings on one device must be
// to corroborate each other.
const correlationWindow = 2 * time.Hour

// correlate raises the confidence of findings that other findings of a
// different technique on the same device corroborate within the window:
// +5 for each (at most +15), only for findings already at medium
// confidence or above, whose corroborators are at medium too. Being near
// other activity never makes a finding high-confidence by itself (see
// boost): benign routine on a compromised device stays medium.
func correlate(fs []finding.Finding) {
	for i := range fs {
		f := &fs[i]
		dev := findingDevice(*f)
		if dev == "" || f.Confidence.Score < 40 {
			continue
		}
		var others []string
		for j, g := range fs {
			if i == j || g.Confidence.Score < 40 || findingDevice(g) != dev || sameTechnique(*f, g) {
				continue
			}
			if overlaps(f.FirstSeen, f.LastSeen, g.FirstSeen, g.LastSeen, correlationWindow) {
				others = appendNew(others, g.AttackID())
			}
		}
		if len(others) == 0 {
			continue
		}
		sort.Strings(others)
		boost(f, min(5*len(others), 15),
			fmt.Sprintf("corroborated by other findings on %s within %s: %s", dev, correlationWindow, strings.Join(others, ", ")))
	}
}

func findingDevice(f finding.Finding) string {
	for _, e := range f.Entities {
		if e.Type == finding.EntityDevice {
			return strings.ToLower(e.Value)
		}
	}
	return ""
}

// sameTechnique reports whether two findings name the same technique or
// one's parent.
func sameTechnique(a, b finding.Finding) bool {
	pa, _, _ := strings.Cut(a.AttackID(), ".")
	pb, _, _ := strings.Cut(b.AttackID(), ".")
	return pa == pb
}

func overlaps(a1, a2, b1, b2 time.Time, slack time.Duration) bool {
	return !a1.After(b2.Add(slack)) && !b1.After(a2.Add(slack))
}

// rescore recomputes risk scores after confidence changed, and orders
// findings by risk, then confidence, then first time and id.
func rescore(fs []finding.Finding, assets assetMap, rarity map[string]float64) {
	for i := range fs {
		f := &fs[i]
		f.RiskScore = finding.Score(f.Severity, f.Confidence, assets.of(findingDevice(*f)).criticality, rarity[f.ID])
	}
	slices.SortStableFunc(fs, func(a, b finding.Finding) int {
		switch {
		case a.RiskScore != b.RiskScore:
			return b.RiskScore - a.RiskScore
		case a.Confidence.Score != b.Confidence.Score:
			return b.Confidence.Score - a.Confidence.Score
		case !a.FirstSeen.Equal(b.FirstSeen):
			return a.FirstSeen.Compare(b.FirstSeen)
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// byConfidence orders findings most confident first, so that Merge, which
// keeps the first title and description of a group, keeps the strongest.
func byConfidence(fs []finding.Finding) {
	slices.SortStableFunc(fs, func(a, b finding.Finding) int {
		if a.Confidence.Score != b.Confidence.Score {
			return b.Confidence.Score - a.Confidence.Score
		}
		return a.FirstSeen.Compare(b.FirstSeen)
	})
}

// highFloor is where high confidence starts.
const highFloor = 70

// boost raises a finding's confidence by up to delta with a reason; a
// finding below high confidence stays below it, since corroboration
// ranks what the evidence shows but cannot replace it.
func boost(f *finding.Finding, delta int, reason string) {
	score := min(99, f.Confidence.Score+delta)
	if f.Confidence.Score < highFloor {
		score = min(score, highFloor-1)
	}
	if score == f.Confidence.Score {
		return
	}
	f.Confidence.Score = score
	f.Confidence.Level = finding.LevelFor(score)
	f.Confidence.Reasons = append(f.Confidence.Reasons, reason)
}

// fixCounts keeps each evidence entry's count at least its rows: Merge
// unions the rows of findings drawn from one query but keeps the larger
// count, not the sum.
func fixCounts(fs []finding.Finding) {
	for i := range fs {
		for j := range fs[i].Evidence {
			ev := &fs[i].Evidence[j]
			ev.Count = max(ev.Count, len(ev.Rows))
		}
	}
}
