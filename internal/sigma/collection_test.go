package sigma

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// TestSigmaCollection imports the shared SigmaHQ rules: it reports how
// many rules of each log source convert and why the others do not, and
// requires 90% of the process_creation rules to convert and every
// converted query to pass the checker, time-bounded, bare and as a
// library hunt with its parameters bound.
//
//	go test ./internal/sigma -run TestSigmaCollection -v
func TestSigmaCollection(t *testing.T) {
	res := importCollection(t)
	converted, total := map[string]int{}, map[string]int{}
	for _, h := range res.Hunts {
		converted[h.Source]++
		total[h.Source]++
	}
	reasons := map[string]int{}
	for _, s := range res.Skipped {
		total[s.Source]++
		reasons[s.Kind+": "+reasonGroup(s.Reason)]++
	}
	var lines []string
	for src, n := range total {
		lines = append(lines, fmt.Sprintf("  %-20s %4d of %4d", src, converted[src], n))
	}
	sort.Strings(lines)
	t.Logf("converted %d of %d rules:\n%s", len(res.Hunts), len(res.Hunts)+len(res.Skipped), strings.Join(lines, "\n"))
	lines = lines[:0]
	for r, n := range reasons {
		lines = append(lines, fmt.Sprintf("  %4d  %s", n, r))
	}
	sort.Sort(sort.Reverse(sort.StringSlice(lines)))
	t.Logf("skipped, by reason:\n%s", strings.Join(lines, "\n"))

	if pc := total["process_creation"]; pc == 0 || converted["process_creation"]*10 < pc*9 {
		t.Errorf("%d of %d process_creation rules convert; want at least 90%%", converted["process_creation"], pc)
	}
	for _, h := range res.Hunts {
		if err := checkQuery(h.Path, h.KQL); err != nil {
			t.Errorf("%s: %v\n%s", h.Path, err, h.KQL)
		}
	}
	notWritten, err := res.WriteHunts(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d converted rules are not library hunts (no ATT&CK technique)", len(notWritten))
}

// TestSigmaCollectionHunts loads the converted collection with the hunt
// library, as vigil hunts would.
func TestSigmaCollectionHunts(t *testing.T) {
	res := importCollection(t)
	dir := t.TempDir()
	notWritten, err := res.WriteHunts(dir)
	if err != nil {
		t.Fatal(err)
	}
	loadWritten(t, dir, len(res.Hunts)-len(notWritten))
}

// reasonGroup shortens a skip reason to what groups it: the field, the
// modifier or the log source, without the search name.
func reasonGroup(r string) string {
	if _, after, ok := strings.Cut(r, ": "); ok && strings.HasPrefix(r, "search ") {
		r = after
	}
	if i := strings.Index(r, " value \""); i >= 0 {
		r = r[:i] + " value …"
	}
	if i := strings.Index(r, ": \""); i >= 0 {
		r = r[:i] + ": …"
	}
	return r
}
