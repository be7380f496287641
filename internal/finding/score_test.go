package finding

import "testing"

func TestScoreMonotone(t *testing.T) {
	confs := []Confidence{{}}
	for s := 0; s <= 100; s += 5 {
		confs = append(confs, Confidence{Score: s})
	}
	rarities := []float64{0, 0.1, 0.25, 0.5, 0.75, 0.9, 1}
	score := func(si, ci, a, ri int) int { return Score(Severities[si], confs[ci], a, rarities[ri]) }
	for si := range Severities {
		for ci := range confs {
			for a := 0; a <= 5; a++ {
				for ri := range rarities {
					s := score(si, ci, a, ri)
					if s < 0 || s > 100 {
						t.Fatalf("Score out of range: %d", s)
					}
					if si > 0 && score(si-1, ci, a, ri) > s {
						t.Errorf("not monotone in severity at %v", Severities[si])
					}
					if ci > 0 && score(si, ci-1, a, ri) > s {
						t.Errorf("not monotone in confidence at %+v", confs[ci])
					}
					if a > 0 && score(si, ci, a-1, ri) > s {
						t.Errorf("not monotone in asset criticality at %d", a)
					}
					if ri > 0 && score(si, ci, a, ri-1) > s {
						t.Errorf("not monotone in rarity at %v", rarities[ri])
					}
				}
			}
		}
	}
	levels := []Level{"", LevelLow, LevelMedium, LevelHigh}
	for i := 1; i < len(levels); i++ {
		lo, hi := Confidence{Level: levels[i-1]}, Confidence{Level: levels[i]}
		if Score(High, hi, 3, 0.5) <= Score(High, lo, 3, 0.5) {
			t.Errorf("level %q does not raise the score over %q", levels[i], levels[i-1])
		}
	}
}

func TestScoreValues(t *testing.T) {
	cases := []struct {
		sev   Severity
		conf  Confidence
		asset int
		rar   float64
		want  int
	}{
		{Critical, Confidence{Score: 100}, 5, 1, 100},
		{Critical, Confidence{Score: 100}, 9, 7, 100}, // clamped
		{Critical, Confidence{Score: 0}, 0, 0, 28},
		{High, Confidence{Level: LevelHigh}, 3, 0.5, 55},
		{Medium, Confidence{Score: 50}, 2, 0.5, 28},
		{Informational, Confidence{Score: 100}, 5, 1, 5},
		{Severity("bogus"), Confidence{Score: 100}, 5, 1, 0},
		{High, Confidence{Score: 80}, -3, -1, 38},
	}
	for _, tc := range cases {
		if got := Score(tc.sev, tc.conf, tc.asset, tc.rar); got != tc.want {
			t.Errorf("Score(%s, %+v, %d, %v) = %d, want %d", tc.sev, tc.conf, tc.asset, tc.rar, got, tc.want)
		}
	}
}

func TestLevelFor(t *testing.T) {
	for score, want := range map[int]Level{0: LevelLow, 39: LevelLow, 40: LevelMedium, 69: LevelMedium, 70: LevelHigh, 100: LevelHigh} {
		if got := LevelFor(score); got != want {
			t.Errorf("LevelFor(%d) = %s, want %s", score, got, want)
		}
	}
}
