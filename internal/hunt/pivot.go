package hunt

// This file follows up confident findings: the library's pivot queries
// run once over all pivot targets (the findings' devices and accounts,
// their time ±1h), and each finding takes the rows about its own device or
// account as timeline entries. Suspicious rows the finding's own evidence
// does not hold raise its confidence; a logon after which the account did
// nothing lowers it.

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
)

const (
	pivotMargin    = time.Hour // how far around a finding pivots look
	pivotTargets   = 25        // most findings pivoted on in one run
	pivotEvents    = 30        // most timeline entries pivots add to a finding
	pivotMaxBoost  = 15
	pivotBoostStep = 5
)

// pivotTarget is a finding to follow up, with its scope.
type pivotTarget struct {
	f          *finding.Finding
	device     string
	accounts   []string // user names, lower-case
	from, to   time.Time
	ownRows    map[string]bool // table + row id of its evidence
	markers    []string
	events     []scoredEvent
	activities int // rows by its account after its first time
}

type scoredEvent struct {
	ev     finding.Event
	marked bool
}

// pivot runs the pivot queries for confident findings and applies what
// they show; it returns the queries run.
func (r *run) pivot(ctx context.Context, fs []finding.Finding) []QueryRun {
	if r.opts.PivotThreshold < 0 {
		return nil
	}
	targets := r.pivotTargets(fs)
	var pivots []*Hunt
	for _, h := range r.lib.Pivots() {
		if r.serves(h) {
			pivots = append(pivots, h)
		}
	}
	if len(targets) == 0 || len(pivots) == 0 {
		return nil
	}
	b := Bindings{Devices: []string{}, Accounts: []string{}}
	for _, t := range targets {
		if t.device != "" {
			b.Devices = appendNew(b.Devices, t.device)
		}
		for _, a := range t.accounts {
			b.Accounts = appendNew(b.Accounts, a)
		}
		if b.Start.IsZero() || t.from.Before(b.Start) {
			b.Start = t.from
		}
		if t.to.After(b.End) {
			b.End = t.to
		}
	}
	var jobs []job
	for _, h := range pivots {
		jobs = append(jobs, job{phase: "pivot", hunt: h, kql: h.Bind(b)})
	}
	outs := r.runAll(ctx, jobs)
	var runs []QueryRun
	for _, o := range outs {
		runs = append(runs, o.run)
		if o.run.Err != nil || o.table == nil {
			continue
		}
		rows := newHuntRows(o.hunt, o.kql, o.table)
		for _, t := range targets {
			t.take(rows)
		}
	}
	for _, t := range targets {
		t.apply()
	}
	return runs
}

// pivotTargets picks the findings to follow up, most confident first.
func (r *run) pivotTargets(fs []finding.Finding) []*pivotTarget {
	var out []*pivotTarget
	for i := range fs {
		f := &fs[i]
		if f.Confidence.Score < r.opts.PivotThreshold || f.FirstSeen.IsZero() {
			continue
		}
		t := &pivotTarget{f: f, device: findingDevice(*f), from: f.FirstSeen.Add(-pivotMargin), to: f.LastSeen.Add(pivotMargin),
			ownRows: map[string]bool{}}
		for _, e := range f.Entities {
			if e.Type == finding.EntityAccount && !builtinAccount(e.Value) {
				t.accounts = appendNew(t.accounts, userPart(strings.ToLower(e.Value)))
			}
		}
		if t.device == "" && len(t.accounts) == 0 {
			continue
		}
		for _, ev := range f.Evidence {
			for _, id := range ev.RowIDs {
				t.ownRows[ev.Table+"\x00"+id.ID] = true
			}
		}
		out = append(out, t)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].f.Confidence.Score > out[j].f.Confidence.Score })
	if len(out) > pivotTargets {
		out = out[:pivotTargets]
	}
	return out
}

// take keeps the pivot rows about the target's device or accounts within
// its window.
func (t *pivotTarget) take(r *huntRows) {
	for i := 0; i < r.n(); i++ {
		when := r.when(i)
		if when.Before(t.from) || when.After(t.to) {
			continue
		}
		dev := r.device(i)
		mine := t.device != "" && sameDevice(dev, t.device)
		byAcct := slices.Contains(t.accounts, userPart(r.account(i)))
		if !mine && !(byAcct && (dev == "" || t.device == "" || mine)) {
			continue
		}
		table := r.table(i)
		if t.ownRows[table+"\x00"+r.str(i, idColumn(table))] {
			continue
		}
		if byAcct && when.After(t.f.FirstSeen) {
			t.activities++
		}
		mark := pivotMarker(r, i, table)
		if mark != "" {
			t.markers = appendNew(t.markers, mark)
		}
		t.events = append(t.events, scoredEvent{marked: mark != "", ev: finding.Event{Time: when, Table: table,
			Summary: "pivot " + r.hunt.ID + ": " + describeRow(r, i, table), Entity: firstNonEmpty(dev, r.account(i))}})
	}
}

// apply adds the kept events (marked ones first, then the nearest in
// time) and adjusts confidence.
func (t *pivotTarget) apply() {
	f := t.f
	mid := f.FirstSeen.Add(f.LastSeen.Sub(f.FirstSeen) / 2)
	sort.SliceStable(t.events, func(i, j int) bool {
		a, b := t.events[i], t.events[j]
		if a.marked != b.marked {
			return a.marked
		}
		return absDur(a.ev.Time.Sub(mid)) < absDur(b.ev.Time.Sub(mid))
	})
	for i, e := range t.events {
		if i == pivotEvents {
			break
		}
		f.Timeline = append(f.Timeline, e.ev)
	}
	slices.SortStableFunc(f.Timeline, func(a, b finding.Event) int { return a.Time.Compare(b.Time) })
	if n := len(t.markers); n > 0 {
		sort.Strings(t.markers)
		shown := t.markers[:min(n, 4)]
		boost(f, min(pivotMaxBoost, pivotBoostStep*n),
			fmt.Sprintf("pivot found related suspicious activity within %s: %s", pivotMargin, strings.Join(shown, "; ")))
	}
	if logonFinding(*f) && len(t.accounts) > 0 && t.activities == 0 {
		setConfidence(f, -10, "pivot: no activity by the account followed within "+pivotMargin.String())
	}
}

// setConfidence moves a finding's confidence by delta with a reason.
func setConfidence(f *finding.Finding, delta int, reason string) {
	f.Confidence.Score = min(99, max(1, f.Confidence.Score+delta))
	f.Confidence.Level = finding.LevelFor(f.Confidence.Score)
	f.Confidence.Reasons = append(f.Confidence.Reasons, reason)
}

// logonFinding reports whether a finding is about an account logging on
// (valid accounts, brute force, external remote services).
func logonFinding(f finding.Finding) bool {
	id := f.AttackID()
	return strings.HasPrefix(id, "T1078") || strings.HasPrefix(id, "T1110") || id == "T1133"
}

func sameDevice(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	a, b = strings.ToLower(a), strings.ToLower(b)
	if a == b {
		return true
	}
	sa, _, _ := strings.Cut(a, ".")
	sb, _, _ := strings.Cut(b, ".")
	return sa == sb
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// suspiciousCommand are command-line fragments that mark a pivot row.
var suspiciousCommand = []string{" -enc", "-encodedcommand", "downloadstring", "invoke-expression", "iex(", "iex (",
	"frombase64string", "-urlcache", "/transfer", "comsvcs", "minidump", "sekurlsa", "lsadump", "delete shadows",
	`\users\public\`, `\appdata\local\temp\`, "/tmp/", "/dev/shm/", "| bash", "|bash", "-w hidden", "/node:",
	"process call create", "-accepteula", "reg save", "schtasks /create", `currentversion\run`}

// pivotMarker says what is suspicious about a pivot row, or "".
func pivotMarker(r *huntRows, i int, table string) string {
	switch table {
	case "DeviceProcessEvents":
		cmd := strings.ToLower(r.str(i, "ProcessCommandLine"))
		for _, s := range suspiciousCommand {
			if strings.Contains(cmd, s) {
				return fmt.Sprintf("%s ran %q", r.str(i, "FileName"), strings.TrimSpace(s))
			}
		}
	case "DeviceNetworkEvents":
		if publicIP(r.str(i, "RemoteIP")) && r.has("Devices") && r.num(i, "Devices") == 1 && !strings.HasPrefix(r.str(i, "ActionType"), "Inbound") {
			return "connection to " + firstNonEmpty(r.str(i, "RemoteUrl"), r.str(i, "RemoteIP")) + " that no other device contacted"
		}
	case "DeviceFileEvents":
		p := strings.ToLower(r.str(i, "FolderPath"))
		if r.str(i, "ActionType") == "FileCreated" && executableName(p) && userWritable(p) {
			return "executable written to " + r.str(i, "FolderPath")
		}
	case "DeviceLogonEvents":
		if strings.HasPrefix(r.str(i, "ActionType"), "LogonSuccess") && publicIP(r.str(i, "RemoteIP")) {
			return "logon from internet address " + r.str(i, "RemoteIP")
		}
	case "SigninLogs":
		if lvl := strings.ToLower(r.str(i, "RiskLevelDuringSignIn")); lvl == "medium" || lvl == "high" {
			return "risky sign-in (" + lvl + ") from " + r.str(i, "IPAddress")
		}
	case "AzureActivity":
		if strings.Contains(strings.ToLower(r.str(i, "OperationNameValue")), "roleassignments/write") {
			return "role assignment by " + r.str(i, "Caller")
		}
	}
	return ""
}

// executableName reports whether a path names a program or script.
func executableName(p string) bool {
	for _, ext := range []string{".exe", ".dll", ".ps1", ".bat", ".cmd", ".vbs", ".js", ".hta", ".scr", ".sh"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

// userWritable reports whether a path is somewhere any user (or malware
// running as one) can write.
func userWritable(p string) bool {
	p = strings.ToLower(p)
	for _, s := range []string{`\users\public\`, `\appdata\`, `\temp\`, `\programdata\`, `\downloads\`, "/tmp/", "/dev/shm/", "/var/tmp/"} {
		if strings.Contains(p, s) {
			return true
		}
	}
	return false
}
