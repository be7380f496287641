package engine

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// joinBenchCatalog generates a process table of nProc rows over 100,000
// devices and a network table of nNet rows over half of them, two rows
// per device, so that an inner join on DeviceId yields about nProc rows.
func joinBenchCatalog(nProc, nNet int) *MemCatalog {
	const devices = 100_000
	devName := make([]string, devices)
	for i := range devName {
		devName[i] = fmt.Sprintf("dev-%08x", uint32(i)*2654435761)
	}
	proc := NewBatch(&types.Schema{Columns: []types.Column{
		{Name: "Timestamp", Type: types.Datetime}, {Name: "DeviceId", Type: types.String},
		{Name: "ProcessId", Type: types.Long}, {Name: "FileName", Type: types.String},
	}}, nProc)
	base := value.DatetimeOf(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	files := []string{"cmd.exe", "powershell.exe", "svchost.exe", "explorer.exe", "chrome.exe"}
	x := uint64(1)
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	for i := 0; i < nProc; i++ {
		proc.Cols[0].Ints = append(proc.Cols[0].Ints, int64(base)+int64(i)*int64(value.Second))
		proc.Cols[1].Strs = append(proc.Cols[1].Strs, devName[next()%devices])
		proc.Cols[2].Ints = append(proc.Cols[2].Ints, int64(next()%65536))
		proc.Cols[3].Strs = append(proc.Cols[3].Strs, files[next()%uint64(len(files))])
	}
	proc.N = nProc
	net := NewBatch(&types.Schema{Columns: []types.Column{
		{Name: "DeviceId", Type: types.String}, {Name: "RemoteIP", Type: types.String},
		{Name: "RemotePort", Type: types.Long},
	}}, nNet)
	for i := 0; i < nNet; i++ {
		net.Cols[0].Strs = append(net.Cols[0].Strs, devName[(i/2)*2%devices])
		net.Cols[1].Strs = append(net.Cols[1].Strs, fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
		net.Cols[2].Ints = append(net.Cols[2].Ints, int64(next()%65536))
	}
	net.N = nNet
	cat := NewMemCatalog()
	cat.Add("DeviceProcessEvents", NewMemTable(proc))
	cat.Add("DeviceNetworkEvents", NewMemTable(net))
	return cat
}

// BenchmarkJoinInner joins a 1,000,000-row process table to a
// 100,000-row network table on DeviceId, draining the join's output
// stream (the join operator itself):
//
//	go test ./kql/engine -run '^$' -bench JoinInner -benchmem
func BenchmarkJoinInner(b *testing.B) {
	const nProc, nNet = 1_000_000, 100_000
	cat := joinBenchCatalog(nProc, nNet)
	q := "DeviceProcessEvents | join kind=inner DeviceNetworkEvents on DeviceId"
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	var out int
	for i := 0; i < b.N; i++ {
		n, err := drainQuery(ctx, q, cat)
		if err != nil {
			b.Fatal(err)
		}
		out = n
	}
	b.ReportMetric(float64(nProc+nNet)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(out), "out-rows")
}

// BenchmarkJoinInnerQuery is BenchmarkJoinInner through Query, which
// also collects the million result rows into one batch.
func BenchmarkJoinInnerQuery(b *testing.B) {
	const nProc, nNet = 1_000_000, 100_000
	cat := joinBenchCatalog(nProc, nNet)
	q := "DeviceProcessEvents | join kind=inner DeviceNetworkEvents on DeviceId"
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Query(ctx, q, Options{Catalog: cat}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(nProc+nNet)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkJoinInnerConcat is BenchmarkJoinInner keeping the result as
// one batch built at its exact size (what Collect could do instead of
// growing its columns batch by batch).
func BenchmarkJoinInnerConcat(b *testing.B) {
	const nProc, nNet = 1_000_000, 100_000
	cat := joinBenchCatalog(nProc, nNet)
	q := "DeviceProcessEvents | join kind=inner DeviceNetworkEvents on DeviceId"
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var bs []*Batch
		var schema *types.Schema
		if _, err := drainQueryTo(ctx, q, cat, func(s *types.Schema, b *Batch) { schema = s; bs = append(bs, b) }); err != nil {
			b.Fatal(err)
		}
		concatBatches(schema, bs)
	}
	b.ReportMetric(float64(nProc+nNet)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// drainQuery compiles a one-statement query and reads its output stream
// to the end without keeping it, returning the row count.
func drainQuery(ctx context.Context, src string, cat Catalog) (int, error) {
	return drainQueryTo(ctx, src, cat, func(*types.Schema, *Batch) {})
}

// drainQueryTo is drainQuery handing each batch to keep.
func drainQueryTo(ctx context.Context, src string, cat Catalog, keep func(*types.Schema, *Batch)) (int, error) {
	q, err := parser.Parse(token.NewFile("bench", src))
	if err != nil {
		return 0, err
	}
	rt := &runtime{catalog: cat, materialized: map[plan]*Batch{}}
	c := &compiler{rt: rt}
	p, err := c.tabular(q.Stmts[0].(*ast.ExprStmt).X, newScope(nil))
	if err != nil {
		return 0, err
	}
	s, err := p.open(ctx, rt)
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		b, err := s.Next(ctx)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return 0, err
		}
		keep(s.Schema(), b)
		n += b.N
	}
}
