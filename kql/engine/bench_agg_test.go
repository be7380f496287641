package engine

// Benchmarks of the aggregation and ordering operators over a generated
// 1,000,000-row table shaped like Defender's DeviceProcessEvents.
//
//	go test -run '^$' -bench 'Agg' -benchmem ./kql/engine/

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

const benchRows = 1_000_000

var (
	benchOnce sync.Once
	benchCat  *MemCatalog
)

// benchCatalog returns a catalog holding DeviceProcessEvents: one week of
// events from ~1k devices and ~5k accounts.
func benchCatalog() *MemCatalog {
	benchOnce.Do(func() {
		r := rand.New(rand.NewPCG(1, 2))
		s := &types.Schema{Columns: []types.Column{
			{Name: "Timestamp", Type: types.Datetime},
			{Name: "DeviceName", Type: types.String},
			{Name: "AccountName", Type: types.String},
			{Name: "FileName", Type: types.String},
			{Name: "ProcessCommandLine", Type: types.String},
			{Name: "ProcessId", Type: types.Long},
			{Name: "InitiatingProcessFileName", Type: types.String},
		}}
		pool := func(n int, f string) []string {
			out := make([]string, n)
			for i := range out {
				out[i] = fmt.Sprintf(f, i)
			}
			return out
		}
		devices := pool(1000, "wks-%04d.corp.contoso.com")
		accounts := pool(5000, "user%05d")
		files := pool(200, "proc%03d.exe")
		cmds := pool(20000, `"C:\Windows\System32\cmd.exe" /c run-task --id %d --quiet`)
		start := value.DatetimeOf(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
		week := int64(7 * value.Day)
		b := NewBatch(s, benchRows)
		for i := 0; i < benchRows; i++ {
			b.Cols[0].Ints = append(b.Cols[0].Ints, int64(start)+r.Int64N(week))
			b.Cols[1].Strs = append(b.Cols[1].Strs, devices[r.IntN(len(devices))])
			b.Cols[2].Strs = append(b.Cols[2].Strs, accounts[r.IntN(len(accounts))])
			b.Cols[3].Strs = append(b.Cols[3].Strs, files[r.IntN(len(files))])
			b.Cols[4].Strs = append(b.Cols[4].Strs, cmds[r.IntN(len(cmds))])
			b.Cols[5].Ints = append(b.Cols[5].Ints, r.Int64N(65536))
			b.Cols[6].Strs = append(b.Cols[6].Strs, files[r.IntN(len(files))])
		}
		b.N = benchRows
		benchCat = NewMemCatalog()
		benchCat.Add("DeviceProcessEvents", NewMemTable(b))
	})
	return benchCat
}

// cpuTime is the CPU time the process has used: on a shared machine it
// measures the work where wall time measures the contention too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchQuery runs q b.N times and reports rows/s (wall clock) and
// rows/cpu-s (process CPU time, garbage collection included).
func benchQuery(b *testing.B, q string, wantRows int) {
	cat := benchCatalog()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		res, err := Query(ctx, q, Options{Catalog: cat})
		if err != nil {
			b.Fatal(err)
		}
		if wantRows >= 0 && res.Tables[0].N != wantRows {
			b.Fatalf("%d rows, want %d", res.Tables[0].N, wantRows)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(benchRows)*float64(b.N)/cpu.Seconds(), "rows/cpu-s")
	}
}

func BenchmarkAggCountByDeviceHour(b *testing.B) {
	benchQuery(b, "DeviceProcessEvents | summarize count() by DeviceName, bin(Timestamp, 1h)", -1)
}

func BenchmarkAggDcountByDevice(b *testing.B) {
	benchQuery(b, "DeviceProcessEvents | summarize dcount(AccountName) by DeviceName", 1000)
}

func BenchmarkAggTop10ByTimestamp(b *testing.B) {
	benchQuery(b, "DeviceProcessEvents | top 10 by Timestamp", 10)
}

func BenchmarkAggSortByTimestamp(b *testing.B) {
	benchQuery(b, "DeviceProcessEvents | sort by Timestamp | take 10", 10)
}

func BenchmarkAggCountByFileName(b *testing.B) {
	benchQuery(b, "DeviceProcessEvents | summarize count(), make_set(AccountName, 10), max(Timestamp) by FileName", 200)
}

func BenchmarkAggCountByTwoStrings(b *testing.B) {
	benchQuery(b, "DeviceProcessEvents | summarize count() by FileName, InitiatingProcessFileName", -1)
}

func BenchmarkAggArgMaxStarByDevice(b *testing.B) {
	benchQuery(b, "DeviceProcessEvents | summarize arg_max(Timestamp, *) by DeviceName", 1000)
}
