package printer

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
)

type corpusQuery struct {
	ID    string `json:"id"`
	Query string `json:"query"`
}

// readCorpus reads the id and query of every line of a JSON Lines file,
// skipping the test when the file is absent.
func readCorpus(t *testing.T, path string) []corpusQuery {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("corpus %s not found", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qs []corpusQuery
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var q corpusQuery
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return qs
}

// checkRoundTrip prints src's tree, re-parses the output and compares the
// trees; it returns a short description of the first problem, or "".
// ok is false when src itself does not parse.
func checkRoundTrip(src string) (problem string, ok bool) {
	q, err := parse(src)
	if err != nil {
		return "", false
	}
	out := Query(q)
	q2, err := parse(out)
	if err != nil {
		return "output does not parse: " + firstLine(err.Error()), true
	}
	if d := treeDiff(q.Stmts, q2.Stmts); d != "" {
		return "tree differs at Stmts" + d, true
	}
	// Comments keep their text and order; trailing spaces are dropped.
	for _, c := range q.Comments {
		if !strings.Contains(out, commentText(c)) {
			return "comment lost: " + c.Text, true
		}
	}
	if len(q2.Comments) != len(q.Comments) {
		return fmt.Sprintf("%d comments, %d after printing", len(q.Comments), len(q2.Comments)), true
	}
	for i, c := range q.Comments {
		if commentText(c) != q2.Comments[i].Text {
			return fmt.Sprintf("comment %d: %q became %q", i, c.Text, q2.Comments[i].Text), true
		}
	}
	if again := Query(q2); again != out {
		return "not idempotent: " + firstDiffLine(out, again), true
	}
	return "", true
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// firstDiffLine shows the first line where a and b differ.
func firstDiffLine(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < min(len(la), len(lb)); i++ {
		if la[i] != lb[i] {
			return strings.TrimSpace(la[i]) + " ≠ " + strings.TrimSpace(lb[i])
		}
	}
	return "different line counts"
}

// roundTripFile checks every query of a corpus file that parses.
func roundTripFile(t *testing.T, path string) {
	qs := readCorpus(t, path)
	parsed, failed := 0, 0
	for _, q := range qs {
		problem, ok := checkRoundTrip(q.Query)
		if !ok {
			continue
		}
		parsed++
		if problem != "" {
			failed++
			if failed <= 5 {
				t.Errorf("%s: %s", q.ID, problem)
			}
		}
	}
	t.Logf("%s: %d queries, %d parse, %d round-trip", path, len(qs), parsed, parsed-failed)
	if failed > 0 {
		t.Errorf("%d of %d parsed queries do not round-trip", failed, parsed)
	}
}

func TestRoundTripCorpus(t *testing.T) {
	roundTripFile(t, "../../../shared/data/kql-corpus/sentinel.jsonl")
}

func TestRoundTripConformance(t *testing.T) {
	roundTripFile(t, "../../../shared/data/kql-conformance/examples.jsonl")
}

func TestRoundTripConformanceExternal(t *testing.T) {
	roundTripFile(t, "../../../shared/data/kql-conformance/examples-external-tables.jsonl")
}
