package hunt

// This file implements the network analysers: beaconing (connections to
// one destination at regular intervals) and outbound volume anomalies.

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
)

// analyseBeacon groups outbound connections by device, process and
// destination. A group of at least min_connections whose inter-arrival
// times have a coefficient of variation at most max_cv is a beacon. A
// Devices column (devices that contacted the destination) grades rarity.
func analyseBeacon(x *analysis, r *huntRows) []*draft {
	minConn := int(r.hunt.Setting("min_connections", 12))
	maxCV := r.hunt.Setting("max_cv", 0.3)
	var out []*draft
	groups := groupRows(r, func(i int) string {
		return r.device(i) + "\x00" + strings.ToLower(r.str(i, "InitiatingProcessFileName")) + "\x00" + r.str(i, "RemoteIP")
	})
	for _, idx := range groups {
		if len(idx) < minConn {
			continue
		}
		sortByTime(r, idx)
		mean, cv, n := interArrival(r, idx)
		if n+1 < minConn || cv > maxCV || mean < 5*time.Second {
			continue
		}
		out = append(out, beaconDraft(x, r, idx, mean, cv))
	}
	return out
}

// interArrival returns the mean and coefficient of variation of the gaps
// between rows, ignoring gaps under a second (retries, parallel sockets).
func interArrival(r *huntRows, idx []int) (time.Duration, float64, int) {
	var gaps []float64
	for k := 1; k < len(idx); k++ {
		g := r.when(idx[k]).Sub(r.when(idx[k-1])).Seconds()
		if g >= 1 {
			gaps = append(gaps, g)
		}
	}
	if len(gaps) < 2 {
		return 0, math.Inf(1), len(gaps)
	}
	var sum, sq float64
	for _, g := range gaps {
		sum += g
	}
	mean := sum / float64(len(gaps))
	for _, g := range gaps {
		sq += (g - mean) * (g - mean)
	}
	sd := math.Sqrt(sq / float64(len(gaps)-1))
	return time.Duration(mean * float64(time.Second)), sd / mean, len(gaps)
}

func beaconDraft(x *analysis, r *huntRows, idx []int, mean time.Duration, cv float64) *draft {
	i0 := idx[0]
	dest := firstNonEmpty(r.str(i0, "RemoteUrl"), r.str(i0, "RemoteIP"))
	proc := r.str(i0, "InitiatingProcessFileName")
	d := newDraft(r, idx)
	d.title = fmt.Sprintf("%s on %s beacons to %s every %s", proc, r.device(i0), dest, mean.Round(time.Second))
	d.reason("%d connections at a mean interval of %s with a coefficient of variation of %.2f", len(idx), mean.Round(time.Second), cv)
	if cv <= 0.1 {
		d.adjust(10, "the interval barely varies (jitter under 10%%)")
	}
	devs := int(r.num(i0, "Devices"))
	d.rarity = rarityOf(devs, x.fleet)
	if devs == 1 {
		d.adjust(5, "no other device contacted %s", dest)
	}
	if p := strings.ToLower(r.str(i0, "InitiatingProcessFolderPath")); userWritable(p) || strings.HasPrefix(p, "/tmp") {
		d.adjust(10, "the process runs from a user-writable folder (%s)", r.str(i0, "InitiatingProcessFolderPath"))
	}
	if port := r.str(i0, "RemotePort"); port != "80" && port != "443" && port != "8080" {
		d.technique = "T1071"
		d.reason("on the non-web port %s", port)
	}
	d.nextSteps = []string{"Identify and collect " + proc + " and block " + dest + " at the proxy",
		"Search the fleet for other devices contacting " + dest}
	return d
}

// analyseVolume sums outbound bytes per source and public destination
// (AzureNetworkAnalytics_CL flows, or any rows with SrcIP/DestIP and
// OutboundBytes columns). A pair sending at least min_mb is flagged
// unless it recurs on several days (a routine backup); an Azure-service
// destination lowers confidence.
func analyseVolume(x *analysis, r *huntRows) []*draft {
	minBytes := r.hunt.Setting("min_mb", 500) * 1e6
	routineDays := int(r.hunt.Setting("routine_days", 3))
	var out []*draft
	groups := groupRows(r, func(i int) string { return flowSource(r, i) + "\x00" + flowDest(r, i) })
	for _, idx := range groups {
		var total float64
		var inRange []int
		days := map[string]bool{}
		for _, i := range idx {
			days[r.when(i).Format(time.DateOnly)] = true
			if x.start.IsZero() || !r.when(i).Before(x.start) {
				total += r.num(i, "OutboundBytes")
				inRange = append(inRange, i)
			}
		}
		if total < minBytes || len(days) >= routineDays {
			continue
		}
		sortByTime(r, inRange)
		out = append(out, volumeDraft(r, inRange, total, len(days)))
	}
	return out
}

func flowSource(r *huntRows, i int) string {
	return firstNonEmpty(r.str(i, "SrcIP"), r.str(i, "SrcIP_s"), r.str(i, "DeviceName"))
}

func flowDest(r *huntRows, i int) string {
	return firstNonEmpty(r.str(i, "DestIP"), r.str(i, "DestPublicIPs_s"), r.str(i, "DestIP_s"), r.str(i, "RemoteIP"))
}

func volumeDraft(r *huntRows, idx []int, total float64, days int) *draft {
	i0 := idx[0]
	src, dst := firstNonEmpty(r.str(i0, "VM"), flowSource(r, i0)), flowDest(r, i0)
	d := newDraft(r, idx)
	d.device = strings.ToLower(r.str(i0, "VM"))
	d.title = fmt.Sprintf("%s sent %s to %s", src, humanBytes(total), dst)
	first, last := d.span()
	d.reason("%s outbound to %s between %s and %s", humanBytes(total), dst, first.Format(time.RFC3339), last.Format(time.RFC3339))
	d.rarity = 1
	switch ft := r.str(i0, "FlowType_s"); ft {
	case "AzurePublic":
		d.adjust(-25, "the destination is an Azure service")
	case "ExternalPublic", "MaliciousFlow":
		d.adjust(5, "the destination is outside Azure (%s)", ft)
	}
	if days == 1 {
		d.reason("this source sent nothing to %s on any other day of the baseline", dst)
	}
	if total >= 2e9 {
		d.adjust(5, "more than 2 GB")
		d.severity = finding.High
	}
	d.nextSteps = []string{"Identify the process on " + src + " that sent the data (DeviceNetworkEvents around the flow times)",
		"Establish what data was sent and block " + dst}
	return d
}

// humanBytes formats a byte count: 3.6 GB.
func humanBytes(b float64) string {
	units := []string{"B", "KB", "MB", "GB", "TB"}
	i := 0
	for b >= 1000 && i < len(units)-1 {
		b /= 1000
		i++
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}
