package store

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/value"
)

// processEvents returns rows [first, first+n) of a table of total
// DeviceProcessEvents-shaped rows (the catalog's 77 columns, the usual
// ones filled) spread over one day from day0. "mimikatz" appears only in
// rows [total/2, total/2+20).
func processEvents(first, n, total int) *engine.Batch {
	seed := uint64(first)
	s, _ := catalog.Default().LookupTable("DeviceProcessEvents")
	b := engine.NewBatch(s, n)
	rng := rand.New(rand.NewPCG(seed, 1))
	exes := []string{"svchost.exe", "powershell.exe", "cmd.exe", "chrome.exe", "explorer.exe", "msedge.exe", "conhost.exe", "rundll32.exe", "taskhostw.exe", "OneDrive.exe"}
	for i := 0; i < 190; i++ {
		exes = append(exes, fmt.Sprintf("app%03d.exe", i))
	}
	step := value.Datetime(int64(value.Day) / int64(total))
	for r := first; r < first+n; r++ {
		dev := rng.IntN(50)
		exe, parent := exes[rng.IntN(len(exes))], exes[rng.IntN(10)]
		cmd := fmt.Sprintf(`"C:\Windows\System32\%s" -k %x --session=%d`, exe, rng.Uint64(), rng.IntN(1000))
		if r >= total/2 && r < total/2+20 {
			cmd = `C:\Users\bob\Downloads\mimikatz.exe "sekurlsa::logonpasswords" exit`
		}
		ts := day0 + value.Datetime(r)*step
		for i, c := range s.Columns {
			var v value.Value
			switch c.Name {
			case "Timestamp", "TimeGenerated":
				v = value.OfDatetime(ts)
			case "ProcessCreationTime":
				v = value.OfDatetime(ts - 1234)
			case "DeviceId":
				v = value.OfString(fmt.Sprintf("%040x", dev*7919))
			case "DeviceName":
				v = value.OfString(fmt.Sprintf("ws-%04d.corp.contoso.com", dev))
			case "ActionType":
				v = value.OfString("ProcessCreated")
			case "FileName":
				v = value.OfString(exe)
			case "FolderPath":
				v = value.OfString(`C:\Windows\System32\` + exe)
			case "SHA256":
				v = value.OfString(fmt.Sprintf("%064x", len(exe)*104729+int(exe[0])))
			case "ProcessId", "InitiatingProcessId":
				v = value.OfLong(int64(rng.IntN(65536)))
			case "ProcessCommandLine":
				v = value.OfString(cmd)
			case "AccountName", "InitiatingProcessAccountName":
				v = value.OfString(fmt.Sprintf("user%03d", rng.IntN(100)))
			case "AccountDomain":
				v = value.OfString("corp")
			case "InitiatingProcessFileName":
				v = value.OfString(parent)
			case "InitiatingProcessCommandLine":
				v = value.OfString(parent + " /background")
			case "ReportId":
				v = value.OfLong(int64(r))
			case "IsProcessRemoteSession", "IsInitiatingProcessRemoteSession":
				v = value.OfBool(false)
			default:
				v = value.Null(c.Type)
			}
			b.Cols[i].Append(v)
		}
	}
	b.N = n
	return b
}

var benchColumns = []string{"Timestamp", "DeviceName", "ProcessCommandLine"}

// benchWorkspace writes rows of processEvents into a new workspace.
func benchWorkspace(b *testing.B, rows int) *Workspace {
	dir := b.TempDir()
	o := Options{NoSync: true}
	ws := openWS(b, dir, o)
	const chunk = 1 << 18
	for from := 0; from < rows; from += chunk {
		batch := processEvents(from, min(chunk, rows-from), rows)
		if err := ws.WriteBatch("DeviceProcessEvents", batch); err != nil {
			b.Fatal(err)
		}
	}
	if err := ws.Compact(context.Background()); err != nil {
		b.Fatal(err)
	}
	return ws
}

// drain reads a scan to the end and returns the rows and the rows for
// which match is true.
func drain(b *testing.B, tab engine.Table, req engine.ScanRequest, match func(*engine.Batch, int) bool) (rows, matched int) {
	s, err := tab.Scan(context.Background(), req)
	if err != nil {
		b.Fatal(err)
	}
	for {
		batch, err := s.Next(context.Background())
		if err == io.EOF {
			return rows, matched
		}
		if err != nil {
			b.Fatal(err)
		}
		rows += batch.N
		if match != nil {
			for r := 0; r < batch.N; r++ {
				if match(batch, r) {
					matched++
				}
			}
		}
	}
}

// BenchmarkScan scans a 1M-row DeviceProcessEvents table: three columns
// in full, and the same columns with a selective has needle that the
// term index prunes to one row group. rows/s counts table rows.
func BenchmarkScan(b *testing.B) {
	const rows = 1 << 20
	ws := benchWorkspace(b, rows)
	tab, _ := ws.Catalog().Table("DeviceProcessEvents")
	hasMimikatz := func(batch *engine.Batch, r int) bool {
		return strings.Contains(strings.ToLower(batch.Cols[2].Strs[r]), "mimikatz")
	}
	cases := []struct {
		name  string
		req   engine.ScanRequest
		match func(*engine.Batch, int) bool
		want  int
	}{
		{"full3cols", engine.ScanRequest{Columns: benchColumns}, nil, rows},
		{"hasNeedle", engine.ScanRequest{Columns: benchColumns, Preds: []engine.Pred{
			{Kind: engine.PredHasTerm, Column: "ProcessCommandLine", Term: "mimikatz"}}}, hasMimikatz, 20},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			cpu := processCPU()
			for b.Loop() {
				n, m := drain(b, tab, tc.req, tc.match)
				if tc.match == nil {
					m = n
				}
				if m != tc.want {
					b.Fatalf("matched %d rows, want %d", m, tc.want)
				}
			}
			reportRates(b, rows, processCPU()-cpu)
		})
	}
}

// reportRates reports table rows per second of wall time and per second
// of CPU time (all cores).
func reportRates(b *testing.B, rows int, cpu time.Duration) {
	total := float64(rows) * float64(b.N)
	b.ReportMetric(total/b.Elapsed().Seconds(), "rows/s")
	if cpu > 0 {
		b.ReportMetric(total/cpu.Seconds(), "rows/cpu-s")
	}
}

// BenchmarkWrite measures WriteBatch of 64k-row DeviceProcessEvents batches.
func BenchmarkWrite(b *testing.B) {
	batch := processEvents(0, 1<<16, 1<<16)
	ws := openWS(b, b.TempDir(), Options{NoSync: true})
	cpu := processCPU()
	for b.Loop() {
		if err := ws.WriteBatch("DeviceProcessEvents", batch); err != nil {
			b.Fatal(err)
		}
	}
	reportRates(b, batch.N, processCPU()-cpu)
}
