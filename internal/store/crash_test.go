package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/value"
)

// The crash test re-runs this test binary as a writer (TestCrashChild,
// selected by these variables) and kills it with SIGKILL at random
// moments.
const (
	crashDirEnv   = "VIGIL_STORE_CRASH_DIR"
	crashFirstEnv = "VIGIL_STORE_CRASH_FIRST"
)

// crashRows is the size of batch id; batches span two days, so most are
// several segments that must appear together or not at all.
func crashRows(id int) int { return 1 + id*7919%300 }

func crashOptions() Options {
	return Options{Schemas: noCatalog{}, RowGroupRows: 64, SegmentRows: 512} // fsync on
}

// TestCrashChild is the writer the crash test kills: it writes batches
// from id VIGIL_STORE_CRASH_FIRST on, printing "ack <id>" once each
// WriteBatch returned, and compacts every fourth batch.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("run by TestCrashRecovery")
	}
	first, err := strconv.Atoi(os.Getenv(crashFirstEnv))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := Open(dir, crashOptions())
	if err != nil {
		fmt.Printf("open: %v\n", err)
		os.Exit(2)
	}
	for id := first; ; id++ {
		if err := ws.WriteBatch("T", idBatch(id, crashRows(id), day0, 2*value.Day)); err != nil {
			fmt.Printf("write: %v\n", err)
			os.Exit(2)
		}
		fmt.Printf("ack %d\n", id)
		if id%4 == 3 {
			if err := ws.Compact(context.Background()); err != nil {
				fmt.Printf("compact: %v\n", err)
				os.Exit(2)
			}
		}
	}
}

// TestCrashRecovery kills a writer process at random moments, 30 times,
// and checks after each crash that the workspace opens, every segment
// reads, every acknowledged batch is present exactly once and no batch
// is partly present.
func TestCrashRecovery(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	rounds, budget := 30, 90*time.Second
	if testing.Short() {
		rounds = 6
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(2024, 5))
	acked := map[int]bool{}
	start, dirty, unacked := time.Now(), 0, map[int64]bool{}
	for round := 0; round < rounds; round++ {
		if time.Since(start) > budget {
			t.Logf("stopping after %d rounds: time budget spent", round)
			break
		}
		acks, out := killWriter(t, dir, round*100000, rng.IntN(6), time.Duration(rng.IntN(4000))*time.Microsecond)
		for _, id := range acks {
			acked[id] = true
		}
		for _, prefix := range []string{"open:", "write:", "compact:", "--- FAIL"} {
			if strings.Contains(out, prefix) {
				t.Errorf("round %d: the writer failed on its own", round)
			}
		}
		if leftovers(t, dir) > 0 {
			dirty++
		}
		for id := range checkCrashed(t, dir, acked, round) {
			if !acked[int(id)] {
				unacked[id] = true
			}
		}
		if t.Failed() {
			t.Fatalf("round %d; child output:\n%s", round, out)
		}
	}
	if len(acked) == 0 {
		t.Error("no batch was ever acknowledged")
	}
	t.Logf("%d acknowledged batches survived %d kills; %d kills left partial files, %d batches were committed but not acknowledged",
		len(acked), rounds, dirty, len(unacked))
}

// leftovers counts the files a crash left that are not part of the
// workspace: temporary files and segments the manifest does not name.
func leftovers(t *testing.T, dir string) int {
	m, err := loadManifest(dir)
	if err != nil {
		t.Errorf("manifest after crash: %v", err)
		return 0
	}
	live := m.files()
	n := 0
	for _, f := range listFiles(t, dir) {
		if strings.HasPrefix(f, tablesDir+"/") && !live[f] || strings.Contains(f, tempPrefix) {
			n++
		}
	}
	return n
}

// killWriter runs the child writer, lets it acknowledge afterAcks batches,
// waits delay more and kills it. It returns the acknowledged ids.
func killWriter(t *testing.T, dir string, first, afterAcks int, delay time.Duration) ([]int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashFirstEnv+"="+strconv.Itoa(first))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		acks []int
		out  strings.Builder
	)
	reached := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			mu.Lock()
			out.WriteString(line + "\n")
			if id, ok := strings.CutPrefix(line, "ack "); ok {
				n, _ := strconv.Atoi(id)
				acks = append(acks, n)
				if len(acks) == afterAcks {
					close(reached)
				}
			}
			mu.Unlock()
		}
	}()
	if afterAcks > 0 {
		select {
		case <-reached:
		case <-done: // the child died on its own
		case <-time.After(30 * time.Second):
			t.Error("child made no progress")
		}
	}
	time.Sleep(delay)
	cmd.Process.Kill() // SIGKILL
	<-done
	cmd.Wait()
	mu.Lock()
	defer mu.Unlock()
	return append([]int(nil), acks...), out.String()
}

// checkCrashed opens the workspace after a crash, checks its batches and
// returns their row counts by id.
func checkCrashed(t *testing.T, dir string, acked map[int]bool, round int) map[int64]int {
	t.Helper()
	ws, err := Open(dir, crashOptions())
	if err != nil {
		t.Errorf("round %d: open after crash: %v", round, err)
		return nil
	}
	defer ws.Close()
	cat := ws.Catalog()
	if _, ok := cat.Table("T"); !ok {
		if len(acked) > 0 {
			t.Errorf("round %d: table lost", round)
		}
		return nil
	}
	counts := batchCounts(t, cat)
	for id, n := range counts {
		if n != crashRows(int(id)) {
			t.Errorf("round %d: batch %d has %d of %d rows", round, id, n, crashRows(int(id)))
		}
	}
	for id := range acked {
		if counts[int64(id)] == 0 {
			t.Errorf("round %d: acknowledged batch %d is missing", round, id)
		}
	}
	// Every segment reads in full, every column.
	if _, err := scanTable(cat, "T", engine.ScanRequest{}); err != nil {
		t.Errorf("round %d: full scan: %v", round, err)
	}
	for _, f := range listFiles(t, dir) {
		if strings.Contains(f, tempPrefix) {
			t.Errorf("round %d: temporary file %s survived Open", round, f)
		}
	}
	return counts
}
