package finding

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.json")

// TestGolden keeps one example finding of each producer in testdata, the
// reference for consumers (reports, the web console), and checks that it
// decodes back to the same finding and validates.
func TestGolden(t *testing.T) {
	merged := Merge([]Finding{hunterFinding(t), agentFinding(t), sigmaFinding(t)})
	cases := map[string]Finding{"hunter.json": hunterFinding(t), "agent.json": agentFinding(t),
		"sigma.json": sigmaFinding(t), "merged.json": merged[0]}
	for name, f := range cases {
		got, err := json.MarshalIndent(f, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the produced finding (run go test -update and review the diff):\n%s", path, got)
		}
		var back Finding
		if err := json.Unmarshal(want, &back); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		again, _ := json.MarshalIndent(back, "", "  ")
		if !bytes.Equal(append(again, '\n'), want) {
			t.Errorf("%s does not round-trip", name)
		}
		if errs := Validate(back); len(errs) > 0 {
			t.Errorf("%s: %v", name, errs)
		}
	}
}
