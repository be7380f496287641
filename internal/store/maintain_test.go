package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func TestCompaction(t *testing.T) {
	tests := []struct {
		name    string
		batches []int // rows per batch
	}{
		{"many small", []int{1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 1, 1, 1, 1}},
		{"small and large", []int{200, 10, 300, 10, 10, 129, 127}},
		{"nothing to merge", []int{200, 300}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ws := openWS(t, dir, testOptions())
			for id, n := range tc.batches {
				if err := ws.WriteBatch("T", idBatch(id, n, day0, value.Day)); err != nil {
					t.Fatal(err)
				}
			}
			before := ws.Catalog()
			segsBefore := len(ws.current().Tables["T"].Segments)
			if err := ws.Compact(context.Background()); err != nil {
				t.Fatal(err)
			}
			counts := batchCounts(t, ws.Catalog())
			for id, n := range tc.batches {
				if counts[int64(id)] != n {
					t.Fatalf("batch %d: %d rows after compaction, want %d", id, counts[int64(id)], n)
				}
			}
			// A catalog taken before compaction still reads its snapshot.
			old := batchCounts(t, before)
			if fmt.Sprint(old) != fmt.Sprint(counts) {
				t.Errorf("old snapshot reads %v, want %v", old, counts)
			}
			segs := ws.current().Tables["T"].Segments
			small := map[string]int{}
			for _, s := range segs {
				if s.Rows > 256 {
					t.Errorf("segment of %d rows exceeds SegmentRows", s.Rows)
				}
				if s.Rows < 128 {
					small[s.Partition]++
				}
			}
			for p, n := range small {
				if n > 2 {
					t.Errorf("partition %s keeps %d small segments", p, n)
				}
			}
			t.Logf("%d segments before, %d after", segsBefore, len(segs))
			// Compacting again changes nothing.
			gen := ws.current().Generation
			if err := ws.Compact(context.Background()); err != nil {
				t.Fatal(err)
			}
			if ws.current().Generation != gen {
				t.Error("second Compact changed the workspace")
			}
			ws.Close()
			ws = openWS(t, dir, testOptions())
			if got := batchCounts(t, ws.Catalog()); fmt.Sprint(got) != fmt.Sprint(counts) {
				t.Errorf("after reopen %v, want %v", got, counts)
			}
			noStrayFiles(t, ws, dir, "T")
		})
	}
}

func TestCompactionKeepsPruning(t *testing.T) {
	ws := openWS(t, t.TempDir(), testOptions())
	for id := 0; id < 20; id++ {
		if err := ws.WriteBatch("T", idBatch(id, 10, day0+value.Datetime(id)*value.Datetime(value.Minute), 0)); err != nil {
			t.Fatal(err)
		}
	}
	if err := ws.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	pred := engine.Pred{Kind: engine.PredEquals, Column: "Msg", Values: []value.Value{value.OfString("batch 7 row 3")}}
	got := scanAll(t, ws, "T", engine.ScanRequest{Columns: []string{"Msg"}, Preds: []engine.Pred{pred}})
	found := false
	for _, s := range got.Cols[0].Strs {
		found = found || s == "batch 7 row 3"
	}
	if !found || got.N > 2*64 {
		t.Errorf("equality scan after compaction: %d rows, found=%v", got.N, found)
	}
}

func TestRetain(t *testing.T) {
	ws := openWS(t, t.TempDir(), testOptions())
	// Batch i covers day i (00:00..23:59); batch 9 has a null time.
	for id := 0; id < 5; id++ {
		start := day0.Time().Truncate(24 * time.Hour).Add(time.Duration(id) * 24 * time.Hour)
		if err := ws.WriteBatch("T", idBatch(id, 48, value.DatetimeOf(start), value.Day-value.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	nullTime := idBatch(9, 3, day0, 0)
	nullTime.Cols[0].Nulls = []bool{true, true, true}
	if err := ws.WriteBatch("T", nullTime); err != nil {
		t.Fatal(err)
	}
	// Keep the last 2.5 days before the end of day 4.
	now := day0.Time().Truncate(24 * time.Hour).Add(5 * 24 * time.Hour)
	cutoff := value.DatetimeOf(now.Add(-60 * time.Hour))
	if err := ws.Retain(context.Background(), "T", 60*time.Hour, now); err != nil {
		t.Fatal(err)
	}
	got := scanAll(t, ws, "T", engine.ScanRequest{Columns: []string{"Timestamp", "ID"}})
	counts := map[int64]int{}
	for r := 0; r < got.N; r++ {
		if !got.Cols[0].IsNull(r) && value.Datetime(got.Cols[0].Ints[r]) < cutoff {
			t.Fatalf("row at %v survived retention (cutoff %v)", value.Datetime(got.Cols[0].Ints[r]), cutoff)
		}
		counts[got.Cols[1].Ints[r]]++
	}
	want := map[int64]int{2: 24, 3: 48, 4: 48, 9: 3}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("rows per batch after retention %v, want %v", counts, want)
	}
	if st := ws.Stats(); st[0].MinTime < cutoff || st[0].Rows != 123 {
		t.Errorf("stats after retention: %+v", st[0])
	}
	for _, tc := range []struct {
		table string
		age   time.Duration
	}{{"Nope", time.Hour}, {"T", 0}} {
		if err := ws.Retain(context.Background(), tc.table, tc.age, now); err == nil {
			t.Errorf("Retain(%q, %v) succeeded", tc.table, tc.age)
		}
	}
}

// TestConcurrentUse writes from several goroutines while compacting and
// querying: every batch ends up present exactly once.
func TestConcurrentUse(t *testing.T) {
	ws := openWS(t, t.TempDir(), testOptions())
	const writers, perWriter = 4, 12
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perWriter; i++ {
				id := w*100 + i
				if err := ws.WriteBatch("T", idBatch(id, 1+id%50, day0, value.Day)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	stop := make(chan struct{})
	var bg sync.WaitGroup
	bg.Add(2)
	go func() {
		defer bg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := ws.Compact(context.Background()); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	go func() {
		defer bg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, ok := ws.Catalog().Table("T"); ok {
				for id, n := range batchCounts(t, ws.Catalog()) {
					if n != 1+int(id)%50 {
						t.Errorf("batch %d has %d rows", id, n)
						return
					}
				}
			}
		}
	}()
	wg.Wait()
	close(stop)
	bg.Wait()
	counts := batchCounts(t, ws.Catalog())
	if len(counts) != writers*perWriter {
		t.Errorf("%d batches, want %d", len(counts), writers*perWriter)
	}
	if err := ws.WriteBatch("T", &engine.Batch{Schema: &types.Schema{}, N: 3}); err == nil {
		t.Error("a batch without columns was accepted")
	}
}

// TestCompactionKeepsValues compacts segments of every column type and
// checks that every value survives: a row group merged from several
// segments must not let one segment's values overwrite another's.
func TestCompactionKeepsValues(t *testing.T) {
	cols := []types.Column{{Name: "Timestamp", Type: types.Datetime}, {Name: "S", Type: types.String},
		{Name: "D", Type: types.Dynamic}, {Name: "G", Type: types.Guid}, {Name: "L", Type: types.Long},
		{Name: "R", Type: types.Real}, {Name: "B", Type: types.Bool}}
	row := func(id, r int) []value.Value {
		k := id*1000 + r
		d, err := value.ParseJSON(fmt.Sprintf(`{"k":%d,"s":"v%d"}`, k, k))
		if err != nil {
			t.Fatal(err)
		}
		g := value.Null(types.Guid)
		if k%3 != 0 {
			g = value.OfGuid(fmt.Sprintf("00000000-0000-0000-0000-%012d", k))
		}
		return []value.Value{value.OfDatetime(day0 + value.Datetime(k)), value.OfString(fmt.Sprintf("s%d", k)), value.OfDynamic(d), g,
			value.OfLong(int64(k)), value.OfReal(float64(k) / 2), value.OfBool(k%2 == 0)}
	}
	ws := openWS(t, t.TempDir(), testOptions())
	var want []*engine.Batch
	for id, n := range []int{3, 17, 40, 9, 60, 1} {
		b := makeBatch(cols, n, func(r int) []value.Value { return row(id, r) })
		want = append(want, b)
		if err := ws.WriteBatch("T", b); err != nil {
			t.Fatal(err)
		}
	}
	if err := ws.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	if segs := len(ws.current().Tables["T"].Segments); segs != 1 {
		t.Fatalf("%d segments after compaction, want 1", segs)
	}
	all := engine.NewBatch(&types.Schema{Columns: cols}, 0)
	for _, b := range want {
		for i, c := range b.Cols {
			all.Cols[i].AppendColumn(c)
		}
		all.N += b.N
	}
	sameRows(t, scanAll(t, ws, "T", engine.ScanRequest{Columns: []string{"Timestamp", "S", "D", "G", "L", "R", "B"}}), all)
}
