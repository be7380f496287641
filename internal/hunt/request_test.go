package hunt

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// requestCase is one line of testdata/requests/requests.jsonl. Intents
// must all be recognised and Not none of them; Triage, when present,
// must match (a triage case expects no specific intent unless it lists
// some). Every entity list must match exactly (case-insensitive; absent
// means none), and so must the time range.
type requestCase struct {
	Req      string   `json:"req"`
	Intents  []string `json:"intents"`
	Not      []string `json:"not"`
	Triage   *bool    `json:"triage"`
	Devices  []string `json:"devices"`
	Accounts []string `json:"accounts"`
	IPs      []string `json:"ips"`
	Domains  []string `json:"domains"`
	URLs     []string `json:"urls"`
	Hashes   []string `json:"hashes"`
	Files    []string `json:"files"`
	Start    string   `json:"start"`
	End      string   `json:"end"`
	line     int
}

// testEnv is the workspace the request set is read in; now is pinnedNow.
func testEnv() Env {
	devs := []DeviceRef{
		{Name: "windows-target-1", ID: "d-wt1"},
		{Name: "dc-01.corp.harborline.example", ID: "d-dc01"},
		{Name: "dc-02.corp.harborline.example", ID: "d-dc02"},
		{Name: "dev-ubuntu-01", ID: "d-dev01"},
	}
	for _, n := range []string{"srv-fs-01", "srv-sql-01", "srv-jump-01", "srv-web-01", "srv-backup-01",
		"srv-sccm-01", "srv-scan-01", "srv-app-01", "wks-fin-01", "wks-fin-02", "wks-hr-01", "wks-eng-03"} {
		devs = append(devs, DeviceRef{Name: n, ID: "d-" + n})
	}
	return Env{
		Now:     pinnedNow,
		Devices: devs,
		Accounts: []string{`HARBOR\jsmith`, `HARBOR\adm-jsmith`, `HARBOR\svc_backup`, "jsmith@harborline.example",
			"adm-jsmith@harborline.example", "alice.wong@harborline.example", "alice", "mlopez", "mlopez@harborline.example"},
	}
}

func loadRequests(t *testing.T) []requestCase {
	t.Helper()
	f, err := os.Open("testdata/requests/requests.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []requestCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c requestCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("requests.jsonl:%d: %v", n, err)
		}
		c.line = n
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRequests(t *testing.T) {
	env := testEnv()
	for _, c := range loadRequests(t) {
		p := Understand(c.Req, env)
		if msg := c.intentMismatch(p); msg != "" {
			t.Errorf("line %d %q: %s", c.line, c.Req, msg)
		}
		c.checkEntities(t, p.Entities)
		c.checkTime(t, p)
	}
}

// intentMismatch explains how p's intents differ from the case's.
func (c requestCase) intentMismatch(p Plan) string {
	got := intentIDs(p.Intents)
	var missing, extra []string
	for _, id := range c.Intents {
		if !slices.Contains(got, id) {
			missing = append(missing, id)
		}
	}
	for _, id := range c.Not {
		if slices.Contains(got, id) {
			extra = append(extra, id)
		}
	}
	if c.Triage != nil && *c.Triage && len(c.Intents) == 0 {
		extra = append(extra, got...)
	}
	if c.Triage != nil && p.Triage != *c.Triage {
		extra = append(extra, "triage mismatch")
	}
	if len(missing) == 0 && len(extra) == 0 {
		return ""
	}
	return "intents " + strings.Join(got, ",") + "; missing [" + strings.Join(missing, ",") + "] unwanted [" + strings.Join(extra, ",") + "]"
}

// scored reports whether the case says anything about intents.
func (c requestCase) scored() bool { return len(c.Intents) > 0 || len(c.Not) > 0 || c.Triage != nil }

func intentIDs(in []Intent) []string {
	out := make([]string, len(in))
	for i, x := range in {
		out[i] = x.ID
	}
	return out
}

func (c requestCase) checkEntities(t *testing.T, e Entities) {
	t.Helper()
	var devs, accts, hashes []string
	for _, d := range e.Devices {
		devs = append(devs, d.Name)
	}
	for _, a := range e.Accounts {
		accts = append(accts, a.Name)
	}
	for _, h := range e.Hashes {
		hashes = append(hashes, h.Value)
	}
	for _, k := range []struct {
		kind      string
		want, got []string
	}{
		{"devices", c.Devices, devs}, {"accounts", c.Accounts, accts}, {"ips", c.IPs, e.IPs},
		{"domains", c.Domains, e.Domains}, {"urls", c.URLs, e.URLs}, {"hashes", c.Hashes, hashes},
		{"files", c.Files, e.Files},
	} {
		if !sameFold(k.want, k.got) {
			t.Errorf("line %d %q: %s = %q, want %q", c.line, c.Req, k.kind, k.got, k.want)
		}
	}
}

func (c requestCase) checkTime(t *testing.T, p Plan) {
	t.Helper()
	start, err1 := time.Parse(time.RFC3339, c.Start)
	end, err2 := time.Parse(time.RFC3339, c.End)
	if err1 != nil || err2 != nil {
		t.Errorf("line %d: bad start or end", c.line)
		return
	}
	if !p.Start.Equal(start) || !p.End.Equal(end) {
		t.Errorf("line %d %q: time %s .. %s (%q), want %s .. %s", c.line, c.Req,
			p.Start.UTC().Format(time.RFC3339), p.End.UTC().Format(time.RFC3339), p.TimeText, c.Start, c.End)
	}
}

func sameFold(want, got []string) bool {
	if len(want) != len(got) {
		return false
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.EqualFold(g, w) }) {
			return false
		}
	}
	return true
}

// TestIntentAccuracy measures intent recognition over the request set: a
// case is right when every expected intent fires and no unwanted one
// does. It also reports exact-set agreement and micro precision/recall
// against the expected sets (extra intents count against precision even
// where the set allows them).
func TestIntentAccuracy(t *testing.T) {
	env := testEnv()
	var n, right, exact, tp, fp, fn int
	for _, c := range loadRequests(t) {
		if !c.scored() {
			continue
		}
		n++
		p := Understand(c.Req, env)
		if c.intentMismatch(p) == "" {
			right++
		}
		got := intentIDs(p.Intents)
		if sameFold(c.Intents, got) {
			exact++
		}
		for _, id := range got {
			if slices.Contains(c.Intents, id) {
				tp++
			} else {
				fp++
			}
		}
		for _, id := range c.Intents {
			if !slices.Contains(got, id) {
				fn++
			}
		}
	}
	acc := float64(right) / float64(n)
	t.Logf("intent accuracy %d/%d = %.3f; exact sets %d/%d = %.3f; precision %.3f recall %.3f",
		right, n, acc, exact, n, float64(exact)/float64(n),
		float64(tp)/float64(max(tp+fp, 1)), float64(tp)/float64(max(tp+fn, 1)))
	if n < 80 {
		t.Errorf("only %d scored requests; the set should hold at least 80", n)
	}
	if acc < 0.95 {
		t.Errorf("intent accuracy %.3f is below 0.95", acc)
	}
}
