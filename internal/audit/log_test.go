package audit

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func fixedClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

// writeLog appends n records and returns the path.
func writeLog(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Open(path, WithClock(fixedClock()))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for i := 1; i <= n; i++ {
		if _, err := l.Append(KindQuery, "vigil", map[string]any{"i": i, "kql": "DeviceProcessEvents | take 5 <x> & y"}); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func readLines(t *testing.T, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.SplitAfter(b, []byte("\n"))[:bytes.Count(b, []byte("\n"))]
}

func writeLines(t *testing.T, path string, lines [][]byte) {
	t.Helper()
	if err := os.WriteFile(path, bytes.Join(lines, nil), 0o600); err != nil {
		t.Fatal(err)
	}
}

func wantTamper(t *testing.T, path string, seq int64, line int, reason string) {
	t.Helper()
	_, err := Verify(path)
	var te *TamperError
	if !errors.As(err, &te) {
		t.Fatalf("Verify: got %v, want a TamperError", err)
	}
	if te.Seq != seq || te.Line != line || !strings.Contains(te.Reason, reason) {
		t.Fatalf("Verify: got %v, want record %d line %d with %q", te, seq, line, reason)
	}
}

func TestChainVerifies(t *testing.T) {
	path := writeLog(t, 5)
	rep, err := Verify(path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records != 5 || rep.LastSeq != 5 || rep.HeadSeq != 5 || rep.HeadMissing {
		t.Fatalf("report %+v", rep)
	}
	lines := readLines(t, path)
	first, err := parseLine(bytes.TrimSuffix(lines[0], []byte("\n")))
	if err != nil {
		t.Fatal(err)
	}
	if first.Prev != Genesis || first.Seq != 1 || first.Time.Format(time.RFC3339) != "2026-11-20T09:00:01Z" {
		t.Fatalf("first record %+v", first)
	}
	want := `{"seq":1,"time":"2026-11-20T09:00:01.000000000Z","kind":"query","actor":"vigil","payload":{"i":1,"kql":"DeviceProcessEvents | take 5 \u003cx\u003e \u0026 y"},"prev":"` + Genesis + `","hash":"`
	if !strings.HasPrefix(string(lines[0]), want) {
		t.Fatalf("line 1:\n%s\nwant prefix\n%s", lines[0], want)
	}
}

func TestReopenContinuesChain(t *testing.T) {
	path := writeLog(t, 2)
	l, err := Open(path, WithClock(fixedClock()))
	if err != nil {
		t.Fatal(err)
	}
	r, err := l.Append(KindFinding, "vigil", nil)
	l.Close()
	if err != nil || r.Seq != 3 {
		t.Fatalf("append after reopen: %+v, %v", r, err)
	}
	if _, err := Verify(path); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(KindFinding, "vigil", nil); err == nil {
		t.Fatal("append after Close succeeded")
	}
}

// Every single-byte change anywhere in the file is found, at its record.
func TestEveryByteEditDetected(t *testing.T) {
	path := writeLog(t, 4)
	orig, _ := os.ReadFile(path)
	line := 1
	for i := range orig {
		mut := bytes.Clone(orig)
		mut[i] ^= 0x01
		if err := os.WriteFile(path, mut, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Verify(path)
		var te *TamperError
		if !errors.As(err, &te) {
			t.Fatalf("byte %d (%q) changed: Verify returned %v", i, orig[i], err)
		}
		if te.Line != line || te.Seq != int64(line) {
			t.Fatalf("byte %d (%q) on line %d changed: got %v", i, orig[i], line, te)
		}
		if orig[i] == '\n' {
			line++
		}
	}
}

func TestDeletion(t *testing.T) {
	for _, tc := range []struct {
		name   string
		del    int // 0-based line
		seq    int64
		line   int
		reason string
	}{
		{"first", 0, 2, 1, "seq jumps from 0 to 2"},
		{"middle", 2, 4, 3, "seq jumps from 2 to 4"},
		{"last", 4, 5, 5, "records removed from the end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeLog(t, 5)
			lines := readLines(t, path)
			writeLines(t, path, append(lines[:tc.del:tc.del], lines[tc.del+1:]...))
			wantTamper(t, path, tc.seq, tc.line, tc.reason)
		})
	}
}

func TestInsertion(t *testing.T) {
	path := writeLog(t, 5)
	lines := readLines(t, path)
	// A copy of record 2 inserted after it.
	dup := append(append(append([][]byte{}, lines[:2]...), lines[1]), lines[2:]...)
	writeLines(t, path, dup)
	wantTamper(t, path, 2, 3, "seq 2 after 2")

	// A record with a valid hash of its own, forged to take seq 3's place.
	other := filepath.Join(t.TempDir(), "other.jsonl")
	ol, err := Open(other, WithClock(fixedClock()))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		ol.Append(KindDecision, "mallory", map[string]string{"verdict": "approved"})
	}
	ol.Close()
	forged := readLines(t, other)[2]
	ins := append(append(append([][]byte{}, lines[:2]...), forged), lines[2:]...)
	writeLines(t, path, ins)
	wantTamper(t, path, 3, 3, "prev is not the hash of record 2")
}

func TestSwap(t *testing.T) {
	path := writeLog(t, 5)
	lines := readLines(t, path)
	lines[1], lines[2] = lines[2], lines[1]
	writeLines(t, path, lines)
	wantTamper(t, path, 3, 2, "seq jumps from 1 to 3")
}

func TestTornTail(t *testing.T) {
	path := writeLog(t, 3)
	b, _ := os.ReadFile(path)
	os.WriteFile(path, b[:len(b)-10], 0o600)
	wantTamper(t, path, 3, 3, "incomplete final record")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.Append(KindQuery, "x", nil); !errors.Is(err, ErrTornTail) {
		t.Fatalf("append to torn log: %v", err)
	}
}

func TestHeadRewritten(t *testing.T) {
	path := writeLog(t, 3)
	os.WriteFile(path+".head", []byte(`{"seq":2,"hash":"`+strings.Repeat("a", 64)+`"}`), 0o600)
	wantTamper(t, path, 2, 2, "hash differs from the head file")
	os.Remove(path + ".head")
	rep, err := Verify(path)
	if err != nil || !rep.HeadMissing {
		t.Fatalf("without head: %+v, %v", rep, err)
	}
}

func TestConcurrentAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	const procs, perProc, goroutines = 3, 40, 4
	var cmds []*exec.Cmd
	for range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperAppend$")
		cmd.Env = append(os.Environ(), "AUDIT_HELPER_PATH="+path, "AUDIT_HELPER_N="+strconv.Itoa(perProc))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	// Two Logs in this process as well, each used by several goroutines.
	var wg sync.WaitGroup
	for i := range 2 {
		l, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		for g := range goroutines {
			wg.Go(func() {
				for j := range perProc {
					if _, err := l.Append(KindAPICall, fmt.Sprintf("log%d-g%d", i, g), map[string]int{"j": j}); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("helper process: %v", err)
		}
	}
	rep, err := Verify(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := procs*perProc + 2*goroutines*perProc; rep.Records != want || rep.HeadSeq != int64(want) {
		t.Fatalf("got %+v, want %d records", rep, want)
	}
}

// TestHelperAppend is run as a separate process by TestConcurrentAppends.
func TestHelperAppend(t *testing.T) {
	path := os.Getenv("AUDIT_HELPER_PATH")
	if path == "" {
		t.Skip("helper process only")
	}
	n, _ := strconv.Atoi(os.Getenv("AUDIT_HELPER_N"))
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for i := range n {
		if _, err := l.Append(KindModelCall, fmt.Sprintf("pid-%d", os.Getpid()), map[string]int{"i": i}); err != nil {
			t.Fatal(err)
		}
	}
}
