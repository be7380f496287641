package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// idBatch returns n rows of batch id: column ID holds id, Row the row
// number, Timestamp spreads over span from start.
func idBatch(id, n int, start value.Datetime, span value.Timespan) *engine.Batch {
	cols := []types.Column{{Name: "Timestamp", Type: types.Datetime}, {Name: "ID", Type: types.Long},
		{Name: "Row", Type: types.Long}, {Name: "Msg", Type: types.String}}
	return makeBatch(cols, n, func(r int) []value.Value {
		ts := start
		if n > 1 {
			ts += value.Datetime(int64(span) * int64(r) / int64(n-1))
		}
		return []value.Value{value.OfDatetime(ts), value.OfLong(int64(id)), value.OfLong(int64(r)),
			value.OfString(fmt.Sprintf("batch %d row %d", id, r))}
	})
}

// batchCounts returns the number of rows of each batch id in table T,
// failing on a row that appears twice.
func batchCounts(t testing.TB, cat engine.Catalog) map[int64]int {
	t.Helper()
	b, err := scanTable(cat, "T", engine.ScanRequest{Columns: []string{"ID", "Row"}})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	counts := map[int64]int{}
	seen := map[[2]int64]bool{}
	for r := 0; r < b.N; r++ {
		k := [2]int64{b.Cols[0].Ints[r], b.Cols[1].Ints[r]}
		if seen[k] {
			t.Fatalf("batch %d row %d appears twice", k[0], k[1])
		}
		seen[k] = true
		counts[k[0]]++
	}
	return counts
}

// files lists the regular files under dir, relative, sorted.
func listFiles(t testing.TB, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func TestReopen(t *testing.T) {
	dir := t.TempDir()
	ws := openWS(t, dir, testOptions())
	for id := 0; id < 3; id++ {
		if err := ws.WriteBatch("T", idBatch(id, 100, day0, 2*value.Day)); err != nil {
			t.Fatal(err)
		}
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ws.WriteBatch("T", idBatch(9, 1, day0, 0)); !errors.Is(err, ErrClosed) {
		t.Errorf("WriteBatch after Close: %v, want ErrClosed", err)
	}
	ws = openWS(t, dir, testOptions())
	got := batchCounts(t, ws.Catalog())
	if len(got) != 3 || got[0] != 100 || got[2] != 100 {
		t.Errorf("after reopen: %v", got)
	}
	st := ws.Stats()
	if len(st) != 1 || st[0].Rows != 300 || st[0].Segments != 9 || st[0].MinTime != day0 || st[0].MaxTime != day0+value.Datetime(2*value.Day) {
		t.Errorf("stats %+v", st)
	}
	if names := ws.Tables(); len(names) != 1 || names[0] != "T" {
		t.Errorf("tables %v", names)
	}
}

func TestLock(t *testing.T) {
	dir := t.TempDir()
	ws := openWS(t, dir, testOptions())
	_, err := Open(dir, testOptions())
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer: %v, want a LockedError", err)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Errorf("error does not name the holder: %v", err)
	}
	ro := readOnly(t, dir)
	if err := ro.WriteBatch("T", idBatch(1, 1, day0, 0)); !errors.Is(err, ErrReadOnly) {
		t.Errorf("read-only WriteBatch: %v", err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	ws2, err := Open(dir, testOptions())
	if err != nil {
		t.Fatalf("Open after the holder closed: %v", err)
	}
	ws2.Close()
}

func readOnly(t testing.TB, dir string) *Workspace {
	o := testOptions()
	o.ReadOnly = true
	return openWS(t, dir, o)
}

func TestReadOnlyFollowsWriter(t *testing.T) {
	dir := t.TempDir()
	ws := openWS(t, dir, testOptions())
	ro := readOnly(t, dir)
	if len(ro.Tables()) != 0 {
		t.Fatal("new workspace has tables")
	}
	if err := ws.WriteBatch("T", idBatch(1, 10, day0, 0)); err != nil {
		t.Fatal(err)
	}
	if got := batchCounts(t, ro.Catalog()); got[1] != 10 {
		t.Errorf("read-only workspace sees %v", got)
	}
	if _, err := Open(filepath.Join(dir, "absent"), Options{ReadOnly: true}); err == nil {
		t.Error("read-only Open of a missing directory succeeded")
	}
}

func TestBatchSpanningDays(t *testing.T) {
	ws := openWS(t, t.TempDir(), testOptions())
	b := idBatch(1, 1000, day0, 3*value.Day) // 4 days, more than SegmentRows per day
	b.Cols[0].Nulls = make([]bool, b.N)
	b.Cols[0].Nulls[5] = true
	if err := ws.WriteBatch("T", b); err != nil {
		t.Fatal(err)
	}
	m := ws.current()
	parts := map[string]int64{}
	for _, s := range m.Tables["T"].Segments {
		parts[s.Partition] += s.Rows
		if s.Rows > 256 {
			t.Errorf("segment %s has %d rows, more than SegmentRows", s.File, s.Rows)
		}
	}
	want := map[string]int64{}
	for r := 0; r < b.N; r++ {
		key := "none"
		if !b.Cols[0].IsNull(r) {
			key = value.Datetime(b.Cols[0].Ints[r]).Time().Format("2006-01-02")
		}
		want[key]++
	}
	if len(want) != 5 || fmt.Sprint(parts) != fmt.Sprint(want) {
		t.Errorf("partitions %v, want %v", parts, want)
	}
	if got := batchCounts(t, ws.Catalog()); got[1] != 1000 {
		t.Errorf("rows %v", got)
	}
}

// TestOpenAfterCrash simulates what a crash can leave and checks that
// Open recovers exactly the committed batches.
func TestOpenAfterCrash(t *testing.T) {
	tests := []struct {
		name  string
		crash func(t *testing.T, dir string, seg *segmentMeta)
	}{
		{"temporary segment files", func(t *testing.T, dir string, seg *segmentMeta) {
			d := filepath.Dir(filepath.Join(dir, seg.File))
			putFile(t, filepath.Join(d, tempPrefix+"123"), []byte("PAR1 partial"))
			putFile(t, filepath.Join(d, tempPrefix+"456"), nil)
		}},
		{"partial temporary manifest", func(t *testing.T, dir string, seg *segmentMeta) {
			data, _ := os.ReadFile(filepath.Join(dir, manifestName))
			putFile(t, filepath.Join(dir, tempPrefix+"789"), data[:len(data)/2])
		}},
		{"uncommitted segment", func(t *testing.T, dir string, seg *segmentMeta) {
			cloneFile(t, filepath.Join(dir, seg.File), filepath.Join(dir, filepath.Dir(seg.File), "9999999999.parquet"))
			cloneFile(t, filepath.Join(dir, seg.termsFile()), filepath.Join(dir, filepath.Dir(seg.File), "9999999999.terms"))
			os.MkdirAll(filepath.Join(dir, tablesDir, "T", "2030-01-01"), 0o755)
			cloneFile(t, filepath.Join(dir, seg.File), filepath.Join(dir, tablesDir, "T", "2030-01-01", "9999999998.parquet"))
		}},
		{"truncated uncommitted segment", func(t *testing.T, dir string, seg *segmentMeta) {
			data, _ := os.ReadFile(filepath.Join(dir, seg.File))
			putFile(t, filepath.Join(dir, filepath.Dir(seg.File), "9999999999.parquet"), data[:len(data)/3])
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ws, err := Open(dir, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			for id := 0; id < 4; id++ {
				if err := ws.WriteBatch("T", idBatch(id, 50, day0, value.Day)); err != nil {
					t.Fatal(err)
				}
			}
			seg := ws.current().Tables["T"].Segments[0]
			before := listFiles(t, dir)
			ws.Close()
			tc.crash(t, dir, seg)
			ws = openWS(t, dir, testOptions())
			got := batchCounts(t, ws.Catalog())
			if len(got) != 4 || got[0] != 50 || got[3] != 50 {
				t.Errorf("batches after recovery: %v", got)
			}
			if after := listFiles(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("files after recovery:\n%v\nwant\n%v", after, before)
			}
		})
	}
}

func TestOpenRejectsCorruptManifest(t *testing.T) {
	dir := t.TempDir()
	ws := openWS(t, dir, testOptions())
	if err := ws.WriteBatch("T", idBatch(1, 10, day0, 0)); err != nil {
		t.Fatal(err)
	}
	ws.Close()
	before := listFiles(t, dir)
	putFile(t, filepath.Join(dir, manifestName), []byte(`{"version":1,"tables":{"T":`))
	if _, err := Open(dir, testOptions()); err == nil {
		t.Fatal("Open accepted a corrupt manifest")
	}
	if after := listFiles(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("Open of a corrupt manifest removed files: %v", after)
	}
}

func putFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func cloneFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	putFile(t, to, data)
}

// TestManifestAtomicity reads the manifest file and read-only catalogs
// while a writer commits: every read parses, and every snapshot holds
// whole batches only.
func TestManifestAtomicity(t *testing.T) {
	dir := t.TempDir()
	ws := openWS(t, dir, testOptions())
	ro := readOnly(t, dir)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		for id := 0; id < 40; id++ {
			if err := ws.WriteBatch("T", idBatch(id, 30, day0, 2*value.Day)); err != nil {
				t.Error(err)
				return
			}
			if id%10 == 9 {
				if err := ws.Compact(context.Background()); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	reads := 0
	for {
		select {
		case <-done:
			wg.Wait()
			if reads == 0 {
				t.Error("no concurrent read")
			}
			return
		default:
		}
		data, err := os.ReadFile(filepath.Join(dir, manifestName))
		if err == nil {
			var m manifest
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatalf("torn manifest read: %v", err)
			}
		}
		for _, cat := range []engine.Catalog{ws.Catalog(), ro.Catalog()} {
			if _, ok := cat.Table("T"); !ok {
				continue
			}
			b, err := scanTable(cat, "T", engine.ScanRequest{Columns: []string{"ID"}})
			if errors.Is(err, ErrStale) {
				continue // the read-only side lost a race with compaction
			}
			if err != nil {
				t.Fatal(err)
			}
			counts := map[int64]int{}
			for r := 0; r < b.N; r++ {
				counts[b.Cols[0].Ints[r]]++
			}
			for id, n := range counts {
				if n != 30 {
					t.Fatalf("snapshot holds %d rows of batch %d", n, id)
				}
			}
			reads++
		}
	}
}

func TestDefaultDir(t *testing.T) {
	env := map[string]string{"LocalAppData": `C:\Users\u\AppData\Local`, "XDG_DATA_HOME": "/xdg"}
	home := func() (string, error) { return "/home/u", nil }
	tests := []struct {
		goos string
		env  map[string]string
		want string
	}{
		{"windows", env, filepath.Join(`C:\Users\u\AppData\Local`, "vigil")},
		{"linux", env, filepath.Join("/xdg", "vigil")},
		{"linux", map[string]string{"XDG_DATA_HOME": "relative"}, filepath.Join("/home/u", ".local", "share", "vigil")},
		{"darwin", env, filepath.Join("/home/u", "Library", "Application Support", "vigil")},
	}
	for _, tc := range tests {
		got, err := defaultDir(tc.goos, func(k string) string { return tc.env[k] }, home)
		if err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.goos, got, err, tc.want)
		}
	}
	if _, err := defaultDir("windows", func(string) string { return "" }, home); err == nil {
		t.Error("windows without LocalAppData: no error")
	}
}
