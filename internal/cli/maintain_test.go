package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/store"
)

// TestWorkspaceMaintain runs "vigil workspace maintain" and "vigil ingest
// --maintain" in turn on one workspace, comparing each step's output with
// a golden file. Its data is from 2024, so that a retention of 30 days
// drops it whatever the date; a table kept for 100 years keeps it.
func TestWorkspaceMaintain(t *testing.T) {
	home := t.TempDir()
	t.Setenv("VIGIL_HOME", home)
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	data := t.TempDir()
	files := map[string]string{
		"DeviceProcessEvents.jsonl": `{"Timestamp":"2024-01-01T10:00:00Z","DeviceName":"ws1","FileName":"a.exe"}
{"Timestamp":"2024-01-01T11:00:00Z","DeviceName":"ws1","FileName":"b.exe"}
`,
		"Inventory.jsonl": `{"Name":"ws1","Owner":"alice"}` + "\n",
	}
	for i, action := range []string{"LogonFailed", "LogonSuccess", "LogonFailed", "LogonSuccess"} {
		files["logons"+strconv.Itoa(i)+"/DeviceLogonEvents.jsonl"] = `{"Timestamp":"2024-01-01T1` + strconv.Itoa(i) + `:00:00Z","DeviceName":"ws1","ActionType":"` + action + `"}` + "\n"
	}
	for name, text := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(data, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(data, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := func(name string) string { return filepath.Join(data, name) }
	ws := filepath.Join(t.TempDir(), "ws")
	lab := filepath.Join(t.TempDir(), "lab")
	if err := os.MkdirAll(lab, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(lab, groundTruthFile), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}

	const policy = "workspace:\n  maintenance_interval: 10m\n  retention:\n    \"*\": 30d\n    DeviceLogonEvents: 36500d\n"
	steps := []struct {
		name   string
		config string
		args   []string
		exit   int
	}{
		{"ingest-files", policy, []string{"ingest", "--workspace", ws, file("DeviceProcessEvents.jsonl"), file("Inventory.jsonl"),
			file("logons0/DeviceLogonEvents.jsonl"), file("logons1/DeviceLogonEvents.jsonl"), file("logons2/DeviceLogonEvents.jsonl")}, ExitOK},
		{"workspace-maintain", policy, []string{"workspace", "maintain", "--workspace", ws}, ExitOK},
		{"workspace-maintain-again", policy, []string{"workspace", "maintain", "--workspace", ws}, ExitOK},
		{"ingest-maintain", policy, []string{"ingest", "--maintain", "--workspace", ws, file("logons3/DeviceLogonEvents.jsonl")}, ExitOK},
		{"workspace-maintain-no-time-column", "workspace:\n  retention:\n    Inventory: 30d\n",
			[]string{"workspace", "maintain", "--workspace", ws}, ExitUsage},
		{"workspace-maintain-bad-config", "workspace:\n  retention:\n    DeviceLogonEvents: 30 days\n",
			[]string{"workspace", "maintain", "--workspace", ws}, ExitUsage},
		{"workspace-maintain-unknown-key", "workspace:\n  retension:\n    DeviceLogonEvents: 30d\n",
			[]string{"workspace", "maintain", "--workspace", ws}, ExitUsage},
		{"workspace-maintain-lab", policy, []string{"workspace", "maintain", "--workspace", lab}, ExitUsage},
		{"workspace-maintain-missing", policy, []string{"workspace", "maintain", "--workspace", filepath.Join(ws, "nope")}, ExitUsage},
	}
	for _, st := range steps {
		if err := os.WriteFile(filepath.Join(home, "config.yaml"), []byte(st.config), 0o600); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		code := Run(st.args, strings.NewReader(""), &stdout, &stderr)
		if code != st.exit {
			t.Errorf("%s: exit = %d, want %d\nstdout:\n%s\nstderr:\n%s", st.name, code, st.exit, stdout.String(), stderr.String())
		}
		out := stdout.String() + "--- stderr\n" + stderr.String()
		for _, r := range []struct{ from, to string }{{ws, "$WS"}, {lab, "$LAB"}, {data + string(filepath.Separator), ""}, {home, "$HOME"}} {
			out = strings.ReplaceAll(out, r.from, r.to)
		}
		golden(t, st.name, timings.ReplaceAllString(filepath.ToSlash(out), "in TIME"))
	}

	w, err := store.Open(ws, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var got []string
	for _, s := range w.Stats() {
		got = append(got, s.Name+" "+strconv.Itoa(int(s.Rows))+" rows in "+strconv.Itoa(s.Segments))
	}
	if want := "DeviceLogonEvents 4 rows in 1,DeviceProcessEvents 0 rows in 0,Inventory 1 rows in 1"; strings.Join(got, ",") != want {
		t.Errorf("tables after maintenance: %s, want %s", strings.Join(got, ","), want)
	}
}

// timings matches the duration and rate in an ingestion summary.
var timings = regexp.MustCompile(`in [0-9.]+(ns|µs|ms|s|m[0-9.]+s)( \([0-9]+ records/s\))?`)

// TestIngestStreamMaintains feeds "vigil ingest -" a stream in two
// bursts: each burst's rows reach the workspace while the stream is still
// open, as a segment of its own, and background maintenance merges the
// two.
func TestIngestStreamMaintains(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for ingestion's flush interval twice")
	}
	home := t.TempDir()
	t.Setenv("VIGIL_HOME", home)
	cfg := "workspace:\n  maintenance_interval: 1ms\n"
	if err := os.WriteFile(filepath.Join(home, "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	ws := filepath.Join(t.TempDir(), "ws")
	pr, pw := io.Pipe()
	var stdout, stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Run([]string{"ingest", "--workspace", ws, "--table", "DeviceLogonEvents", "-"}, pr, &stdout, &stderr)
	}()

	// waitFor polls the workspace, read-only as a query would, until
	// cond holds for DeviceLogonEvents.
	waitFor := func(what string, cond func(store.TableStats) bool) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for time.Now().Before(deadline) {
			if r, err := store.Open(ws, store.Options{ReadOnly: true}); err == nil {
				for _, st := range r.Stats() {
					if st.Name == "DeviceLogonEvents" && cond(st) {
						r.Close()
						return
					}
				}
				r.Close()
			}
			select {
			case code := <-done:
				t.Fatalf("ingest ended (exit %d) before %s:\n%s", code, what, stderr.String())
			case <-time.After(10 * time.Millisecond):
			}
		}
		t.Fatalf("gave up waiting for %s", what)
	}
	line := func(i int) string {
		return `{"Timestamp":"2024-01-01T10:0` + strconv.Itoa(i) + `:00Z","DeviceName":"ws1","ActionType":"LogonFailed"}` + "\n"
	}
	io.WriteString(pw, line(0)+line(1))
	waitFor("the first rows", func(st store.TableStats) bool { return st.Rows == 2 })
	io.WriteString(pw, line(2))
	waitFor("the second rows", func(st store.TableStats) bool { return st.Rows == 3 })
	waitFor("compaction", func(st store.TableStats) bool { return st.Rows == 3 && st.Segments == 1 })
	pw.Close()
	if code := <-done; code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "vigil: maintenance: 1 table(s) changed") {
		t.Errorf("stderr does not report the background pass:\n%s", stderr.String())
	}
}
