package hunt

// This file implements the identity analysers: brute force (many
// failures from one source, then perhaps a success), password spray (one
// source failing against many accounts) and impossible travel (one
// account signing in from places too far apart for the time between).

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
)

// failedLogon reports whether row i is a failed logon or sign-in.
func failedLogon(r *huntRows, i int) bool {
	if a := r.str(i, "ActionType"); a != "" {
		return a == "LogonFailed"
	}
	rt := r.str(i, "ResultType")
	return rt != "" && rt != "0"
}

// sourceOf is the remote address a logon came from.
func sourceOf(r *huntRows, i int) string {
	return firstNonEmpty(r.str(i, "RemoteIP"), r.str(i, "IPAddress"))
}

// analyseBruteForce groups logons by target (device, or account for
// sign-ins) and source address. At least min_failures failures make an
// attempt; a success within window after them makes it a brute force
// that worked.
func analyseBruteForce(x *analysis, r *huntRows) []*draft {
	minFail := int(r.hunt.Setting("min_failures", 10))
	window := time.Duration(r.hunt.Setting("window_minutes", 60)) * time.Minute
	groups := groupRows(r, func(i int) string {
		target := r.device(i)
		if target == "" {
			target = r.account(i)
		}
		return target + "\x00" + sourceOf(r, i)
	})
	var out []*draft
	for _, idx := range groups {
		sortByTime(r, idx)
		if d := bruteForceGroup(r, idx, minFail, window); d != nil {
			d.rarity = 1
			out = append(out, d)
		}
	}
	return out
}

func bruteForceGroup(r *huntRows, idx []int, minFail int, window time.Duration) *draft {
	var fails []int
	accounts := map[string]bool{}
	success := -1
	for _, i := range idx {
		if failedLogon(r, i) {
			fails = append(fails, i)
			accounts[userPart(r.account(i))] = true
			continue
		}
		if len(fails) >= minFail && r.when(i).Sub(r.when(fails[len(fails)-1])) <= window {
			success = i
			break
		}
	}
	if len(fails) < minFail {
		return nil
	}
	src, target := sourceOf(r, idx[0]), firstNonEmpty(r.device(idx[0]), r.account(idx[0]))
	span := r.when(fails[len(fails)-1]).Sub(r.when(fails[0])).Round(time.Second)
	d := newDraft(r, slices.Clone(fails))
	d.reason("%d failed logons from %s in %s against %d account names", len(fails), src, span, len(accounts))
	if publicIP(src) {
		d.adjust(5, "the source %s is an internet address", src)
	}
	if success < 0 {
		d.title = fmt.Sprintf("Password guessing against %s from %s", target, src)
		d.severity, d.confidence = finding.Medium, min(d.confidence, 55)
		d.nextSteps = []string{"Block the source address and confirm that no logon from it succeeded later"}
		return d
	}
	d.parts[0].idx = append(d.parts[0].idx, success)
	d.account = r.account(success)
	d.title = fmt.Sprintf("Brute force from %s succeeded: %s logged on to %s", src, d.account, target)
	d.severity = finding.High
	d.adjust(10, "then %s logged on successfully from the same source (%s logon)", d.account, firstNonEmpty(r.str(success, "LogonType"), "interactive"))
	d.nextSteps = []string{
		"Reset the password of " + d.account + " and end its sessions",
		"Review everything " + d.account + " did after the successful logon",
		"Block " + src + " and restrict the exposed remote-access service",
	}
	return d
}

func sortByTime(r *huntRows, idx []int) {
	sort.SliceStable(idx, func(a, b int) bool { return r.when(idx[a]).Before(r.when(idx[b])) })
}

// analyseSpray finds sources that fail against at least min_accounts
// distinct accounts within window, mostly failing; a success or an MFA
// interrupt (the password was right) among them is called out.
func analyseSpray(x *analysis, r *huntRows) []*draft {
	minAccts := int(r.hunt.Setting("min_accounts", 10))
	window := time.Duration(r.hunt.Setting("window_minutes", 60)) * time.Minute
	var out []*draft
	for _, idx := range groupRows(r, func(i int) string { return sourceOf(r, i) }) {
		sortByTime(r, idx)
		best, lo := sprayWindow(r, idx, window)
		if best < minAccts {
			continue
		}
		win := windowRows(r, idx, lo, window)
		fails := 0
		var hits []string
		for _, i := range win {
			if failedLogon(r, i) {
				fails++
			}
			if rt := r.str(i, "ResultType"); rt == "0" || rt == "50076" || rt == "50074" || rt == "500121" {
				hits = appendNew(hits, r.account(i))
			}
		}
		if float64(fails) < 0.6*float64(len(win)) {
			continue
		}
		src := sourceOf(r, idx[0])
		d := newDraft(r, win)
		d.account = ""
		d.title = fmt.Sprintf("Password spray from %s against %d accounts", src, best)
		d.reason("%d distinct accounts failed from %s within %s (%d of %d sign-ins failed)", best, src, window, fails, len(win))
		d.rarity = 1
		if len(hits) > 0 {
			d.adjust(5, "the password was right for %s (signed in or stopped only by MFA)", strings.Join(hits, ", "))
			d.nextSteps = append(d.nextSteps, "Reset the passwords of "+strings.Join(hits, ", ")+" now: the spray found them")
		}
		d.nextSteps = append(d.nextSteps, "Block "+src+" with a conditional access named location and require MFA for every account")
		out = append(out, d)
	}
	return out
}

// sprayWindow finds the window with the most distinct failing accounts
// and returns that count and the index (into idx) of its first row.
func sprayWindow(r *huntRows, idx []int, window time.Duration) (int, int) {
	best, bestLo := 0, 0
	lo := 0
	for hi := range idx {
		for r.when(idx[hi]).Sub(r.when(idx[lo])) > window {
			lo++
		}
		accts := map[string]bool{}
		for _, i := range idx[lo : hi+1] {
			if failedLogon(r, i) {
				accts[r.account(i)] = true
			}
		}
		if len(accts) > best {
			best, bestLo = len(accts), lo
		}
	}
	return best, bestLo
}

// windowRows returns the rows of idx from position lo within window of it.
func windowRows(r *huntRows, idx []int, lo int, window time.Duration) []int {
	var out []int
	t0 := r.when(idx[lo])
	for _, i := range idx[lo:] {
		if r.when(i).Sub(t0) > window {
			break
		}
		out = append(out, i)
	}
	return out
}

// analyseTravel compares each account's consecutive successful sign-ins
// from different addresses. Rows need Latitude and Longitude columns; an
// IPUsers column (accounts seen from the address) lets shared egress
// points (office NAT, VPN) be ignored.
func analyseTravel(x *analysis, r *huntRows) []*draft {
	minKm := r.hunt.Setting("min_km", 500)
	minSpeed := r.hunt.Setting("min_kmh", 1000)
	var out []*draft
	for _, idx := range groupRows(r, func(i int) string { return r.account(i) }) {
		sortByTime(r, idx)
		var prev = -1
		for _, i := range idx {
			if failedLogon(r, i) || r.str(i, "Latitude") == "" {
				continue
			}
			if prev >= 0 && sourceOf(r, prev) != sourceOf(r, i) {
				if d := travelPair(r, prev, i, minKm, minSpeed); d != nil {
					out = append(out, d)
				}
			}
			prev = i
		}
	}
	return out
}

func travelPair(r *huntRows, a, b int, minKm, minSpeed float64) *draft {
	km := haversine(r.num(a, "Latitude"), r.num(a, "Longitude"), r.num(b, "Latitude"), r.num(b, "Longitude"))
	dt := r.when(b).Sub(r.when(a))
	hours := math.Max(dt.Hours(), 1.0/60)
	speed := km / hours
	if km < minKm || speed < minSpeed {
		return nil
	}
	// An address several accounts use (office NAT, VPN egress) locates
	// the network, not the user: only a jump across continents counts.
	shared := r.num(a, "IPUsers") > 2 || r.num(b, "IPUsers") > 2
	if shared && (km < 3000 || speed < 3000) {
		return nil
	}
	d := newDraft(r, []int{a, b})
	d.account = r.account(b)
	where := func(i int) string { return firstNonEmpty(r.str(i, "City"), r.str(i, "Location"), sourceOf(r, i)) }
	d.title = fmt.Sprintf("Impossible travel for %s: %s then %s %s later", d.account, where(a), where(b), dt.Round(time.Minute))
	d.reason("%.0f km in %s: %.0f km/h", km, dt.Round(time.Minute), speed)
	switch {
	case speed >= 5000 && km >= 3000:
		d.adjust(15, "faster than any flight")
	case speed < 2000:
		d.adjust(-15, "a fast flight could explain it")
	}
	if shared {
		d.adjust(-5, "one of the addresses is shared by several accounts (office or VPN egress)")
	}
	if lvl := strings.ToLower(r.str(b, "RiskLevelDuringSignIn")); lvl == "medium" || lvl == "high" {
		d.adjust(5, "Entra ID rated the second sign-in %s risk", lvl)
	}
	d.rarity = 1
	d.nextSteps = []string{"Ask " + d.account + " whether they were in " + where(b) + "; if not, revoke their sessions and reset the password",
		"Review what " + d.account + " did after signing in from " + sourceOf(r, b)}
	return d
}

// haversine is the great-circle distance in km.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const earth = 6371.0
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earth * math.Asin(math.Sqrt(h))
}
