package engine

// This file benchmarks scalar predicates in where over a 1M-row table.

import (
	"context"
	"fmt"
	"testing"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func exprBenchCat(n int) *MemCatalog {
	s := &types.Schema{Columns: []types.Column{{Name: "CommandLine", Type: types.String}, {Name: "N", Type: types.Long}}}
	b := NewBatch(s, n)
	for i := 0; i < n; i++ {
		cl := fmt.Sprintf("C:\\Windows\\System32\\cmd.exe /c echo %d > C:\\Temp\\out%d.txt", i, i)
		if i%1000 == 0 {
			cl = "powershell.exe -nop -enc WHOAMI"
		}
		b.Cols[0].Append(value.OfString(cl))
		b.Cols[1].Append(value.OfLong(int64(i)))
		b.N++
	}
	cat := NewMemCatalog()
	cat.Add("E", NewMemTable(b))
	return cat
}

func BenchmarkWherePredicates(b *testing.B) {
	cat := exprBenchCat(1 << 20)
	for _, q := range []string{
		`E | where CommandLine has "whoami" | count`,
		`E | where CommandLine contains "whoami" | count`,
		`E | where CommandLine has_any ("whoami", "mimikatz", "net1", "psexec", "procdump", "vssadmin") | count`,
		`E | where N > 1000 and CommandLine endswith ".txt" | count`,
		`E | where N % 100 == 0 and CommandLine matches regex "out[0-9]+0.txt" | count`,
		`E | where CommandLine in~ ("powershell.exe -nop -enc whoami") | count`,
	} {
		b.Run(q[8:40], func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Query(context.Background(), q, Options{Catalog: cat}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N<<20)/b.Elapsed().Seconds()/1e6, "Mrows/s")
		})
	}
}
