package finding

// This file computes risk scores.

import "math"

// severityWeight scales severities into (0, 1].
var severityWeight = map[Severity]float64{
	Informational: 0.05, Low: 0.25, Medium: 0.5, High: 0.75, Critical: 1,
}

// levelScore stands in for a confidence given as a level only.
var levelScore = map[Level]int{LevelLow: 25, LevelMedium: 55, LevelHigh: 85}

// Effective is the confidence as 0–100: Score when set, else a value for
// Level (low 25, medium 55, high 85).
func (c Confidence) Effective() int {
	if c.Score > 0 {
		return min(c.Score, 100)
	}
	return levelScore[c.Level]
}

// Score is a finding's risk from 0 to 100:
//
//	round(100 · S · (0.5 + 0.5·C) · (0.7 + 0.06·A) · (0.8 + 0.2·R))
//
// S is the severity weight (informational 0.05, low 0.25, medium 0.5,
// high 0.75, critical 1), C the effective confidence / 100, A the asset
// criticality 0–5 and R the rarity 0–1 (1: never seen in the
// environment before). Inputs out of range are clamped and an invalid
// severity scores 0. The score never decreases when any input grows; only
// a critical, certain finding on a tier-5 asset with unseen behaviour
// reaches 100, and confidence, asset and rarity together can at most
// halve, cut by 30% and cut by 20% a severity's weight.
func Score(sev Severity, conf Confidence, assetCriticality int, rarity float64) int {
	s := severityWeight[sev]
	c := float64(conf.Effective()) / 100
	a := float64(min(max(assetCriticality, 0), 5))
	r := math.Min(math.Max(rarity, 0), 1)
	if math.IsNaN(rarity) {
		r = 0
	}
	return int(math.Round(100 * s * (0.5 + 0.5*c) * (0.7 + 0.06*a) * (0.8 + 0.2*r)))
}
