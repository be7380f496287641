package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/internal/respond/mdefake"
)

// run runs vigil in process and returns stdout, failing on an unexpected
// exit code.
func run(t *testing.T, exit int, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := Run(args, strings.NewReader(""), &out, &errb); code != exit {
		t.Fatalf("vigil %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, exit, out.String(), errb.String())
	}
	return out.String()
}

// TestIsolationEndToEnd follows a lab finding from proposal to a contained
// device: the hunt proposes isolating windows-target-1, the proposal waits
// for an analyst, the CLI approval sends exactly one isolate call with the
// analyst's comment to (a fake of) Defender, the action is polled to
// Succeeded, and all of it is in an audit log that verifies until one
// byte of it changes.
func TestIsolationEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a lab workspace")
	}
	home := t.TempDir()
	t.Setenv("VIGIL_HOME", home)
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("VIGIL_TEST_MDE_TOKEN", "test-token")

	fake := mdefake.New()
	defer fake.Close()
	fake.Token = "test-token"
	fake.AddMachine(mdefake.Machine{ID: mdefake.MachineID(1), DNSName: "windows-target-1", OSPlatform: "Windows11"})
	cfg := "mde:\n  endpoint: " + fake.URL + "\n  token_env: VIGIL_TEST_MDE_TOKEN\n  poll_interval: 1ms\n"
	if err := os.WriteFile(filepath.Join(home, "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	const now = "2026-11-20T12:00:00Z"
	ws := filepath.Join(t.TempDir(), "lab")
	run(t, ExitOK, "lab", "generate", "--workspace", ws, "--end", now)
	out := run(t, ExitOK, "hunt", "--workspace", ws, "--as-of", now, "--offline",
		"I'm worried windows-target-1 was maliciously logged into in the last few days")
	if !strings.Contains(out, "queued for approval") {
		t.Fatalf("the hunt proposed nothing:\n%s", out)
	}
	if n := countIsolates(fake); n != 0 {
		t.Fatalf("%d isolate calls before any approval", n)
	}

	id := ""
	for _, line := range strings.Split(run(t, ExitOK, "actions", "list"), "\n") {
		f := strings.Fields(line)
		if len(f) > 3 && f[2] == "isolate" && f[3] == "windows-target-1" {
			id = f[0]
		}
	}
	if id == "" {
		t.Fatal("no pending isolation of windows-target-1 in the queue")
	}
	out = run(t, ExitOK, "actions", "approve", id, "--comment", "contain the brute force", "--as", "alice")
	if !strings.Contains(out, "executed") {
		t.Errorf("approve: %s", out)
	}
	var bodies []string
	for _, r := range fake.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/isolate") {
			bodies = append(bodies, r.Body)
		}
	}
	if len(bodies) != 1 || !strings.Contains(bodies[0], "contain the brute force") {
		t.Fatalf("isolate calls = %q, want exactly one carrying the comment", bodies)
	}
	show := run(t, ExitOK, "actions", "show", id)
	if !strings.Contains(show, "executed") || !strings.Contains(show, "alice") || !strings.Contains(show, "Succeeded") {
		t.Errorf("actions show:\n%s", show)
	}
	// Approving again does not act twice.
	run(t, ExitUsage, "actions", "approve", id)
	if n := countIsolates(fake); n != 1 {
		t.Errorf("%d isolate calls after a second approval, want 1", n)
	}

	if out := run(t, ExitOK, "audit", "verify"); !strings.HasPrefix(out, "ok:") {
		t.Fatalf("audit verify: %s", out)
	}
	logPath := filepath.Join(home, "audit.jsonl")
	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	i := bytes.Index(lines[2], []byte(`"hash":"`)) + len(`"hash":"`)
	if lines[2][i] == 'a' {
		lines[2][i] = 'b'
	} else {
		lines[2][i] = 'a'
	}
	if err := os.WriteFile(logPath, bytes.Join(lines, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	out = run(t, ExitFindings, "audit", "verify")
	if !strings.Contains(out, "line 3") {
		t.Errorf("verification after a one-byte change: %s, want it to name line 3", out)
	}
}

func countIsolates(s *mdefake.Server) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/isolate") {
			n++
		}
	}
	return n
}
