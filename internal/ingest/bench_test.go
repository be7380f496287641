package ingest

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

type discardSink struct{}

func (discardSink) WriteBatch(string, *engine.Batch) error { return nil }

// processRows makes n DeviceProcessEvents rows shaped like the lab
// generator's and real advanced-hunting exports: every column present,
// Defender columns filled with realistic values, Sentinel-only ones empty.
func processRows(n int, seed uint64) *engine.Batch {
	s, _ := catalog.Default().LookupTable("DeviceProcessEvents")
	b := engine.NewBatch(s, n)
	rng := rand.New(rand.NewPCG(seed, 1))
	type image struct{ path, company, product, version, internal, original, desc string }
	images := []image{
		{`C:\Windows\System32\cmd.exe`, "Microsoft Corporation", "Microsoft® Windows® Operating System", "10.0.19041.1", "cmd", "Cmd.Exe", "Windows Command Processor"},
		{`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, "Microsoft Corporation", "Microsoft® Windows® Operating System", "10.0.19041.1", "POWERSHELL", "PowerShell.EXE", "Windows PowerShell"},
		{`C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE`, "Microsoft Corporation", "Microsoft Office", "16.0.17328.20162", "WinWord", "WinWord.exe", "Microsoft Word"},
		{`C:\Windows\System32\svchost.exe`, "Microsoft Corporation", "Microsoft® Windows® Operating System", "10.0.19041.1", "svchost.exe", "svchost.exe", "Host Process for Windows Services"},
		{`C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`, "Microsoft Corporation", "Microsoft Edge", "121.0.2277.83", "msedge_exe", "msedge.exe", "Microsoft Edge"},
	}
	base := value.DatetimeOf(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	hex := func(k int) string {
		const digits = "0123456789abcdef"
		out := make([]byte, k)
		for i := range out {
			out[i] = digits[rng.IntN(16)]
		}
		return string(out)
	}
	for r := 0; r < n; r++ {
		img, parent := images[rng.IntN(len(images))], images[rng.IntN(len(images))]
		user := fmt.Sprintf("user%02d", rng.IntN(60))
		ts := base + value.Datetime(rng.Int64N(int64(7*value.Day)))
		cmd := fmt.Sprintf(`"%s" /c echo %s > C:\Users\%s\AppData\Local\Temp\%s.txt`, basename(img.path), hex(12), user, hex(8))
		str := map[string]string{
			"DeviceId": hex(40), "DeviceName": fmt.Sprintf("wks-%03d.contoso.local", rng.IntN(300)),
			"ActionType": "ProcessCreated", "FileName": basename(img.path), "FolderPath": img.path,
			"SHA1": hex(40), "SHA256": hex(64), "MD5": hex(32),
			"ProcessVersionInfoCompanyName": img.company, "ProcessVersionInfoProductName": img.product,
			"ProcessVersionInfoProductVersion": img.version, "ProcessVersionInfoInternalFileName": img.internal,
			"ProcessVersionInfoOriginalFileName": img.original, "ProcessVersionInfoFileDescription": img.desc,
			"ProcessCommandLine": cmd, "ProcessIntegrityLevel": "Medium", "ProcessTokenElevation": "TokenElevationTypeLimited",
			"AccountDomain": "contoso", "AccountName": user, "AccountSid": "S-1-5-21-1004336348-1177238915-682003330-" + fmt.Sprint(1100+rng.IntN(60)),
			"AccountUpn": user + "@contoso.com", "AccountObjectId": fmt.Sprintf("%s-%s-%s-%s-%s", hex(8), hex(4), hex(4), hex(4), hex(12)),
			"InitiatingProcessIntegrityLevel": "Medium", "InitiatingProcessTokenElevation": "TokenElevationTypeLimited",
			"InitiatingProcessAccountDomain": "contoso", "InitiatingProcessAccountName": user,
			"InitiatingProcessAccountSid": "S-1-5-21-1004336348-1177238915-682003330-1104", "InitiatingProcessAccountUpn": user + "@contoso.com",
			"InitiatingProcessSHA1": hex(40), "InitiatingProcessSHA256": hex(64), "InitiatingProcessMD5": hex(32),
			"InitiatingProcessFileName": basename(parent.path), "InitiatingProcessFolderPath": parent.path,
			"InitiatingProcessVersionInfoCompanyName": parent.company, "InitiatingProcessVersionInfoProductName": parent.product,
			"InitiatingProcessVersionInfoProductVersion": parent.version, "InitiatingProcessVersionInfoInternalFileName": parent.internal,
			"InitiatingProcessVersionInfoOriginalFileName": parent.original, "InitiatingProcessVersionInfoFileDescription": parent.desc,
			"InitiatingProcessCommandLine": `"` + basename(parent.path) + `"`, "InitiatingProcessParentFileName": "explorer.exe",
			"InitiatingProcessSignerType": "OsVendor", "InitiatingProcessSignatureStatus": "Valid",
		}
		for i, c := range s.Columns {
			v := value.Null(c.Type)
			switch c.Type {
			case types.Datetime:
				if c.Name != "TimeGenerated" {
					v = value.OfDatetime(ts - value.Datetime(rng.Int64N(int64(value.Hour))))
				}
			case types.Long, types.Int:
				v = value.Value{Type: c.Type, I: rng.Int64N(1 << 20)}
			case types.Bool:
				v = value.OfBool(false)
			case types.String:
				v = value.OfString(str[c.Name])
			case types.Dynamic:
				if rng.IntN(4) == 0 {
					bag := value.NewBag(2)
					bag.Set("ProcessStartKey", rng.Int64N(1<<40))
					bag.Set("Flags", "0x"+hex(4))
					v = value.OfDynamic(bag)
				}
			}
			if c.Name == "_BilledSize" {
				v = value.Null(c.Type)
			}
			b.Cols[i].Append(v)
		}
		b.N++
	}
	return b
}

// writeProcessJSONL writes rows DeviceProcessEvents rows as JSON lines.
func writeProcessJSONL(tb testing.TB, dir string, rows int) string {
	path := filepath.Join(dir, "DeviceProcessEvents.jsonl")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for done := 0; done < rows; done += 10000 {
		if err := writeJSONLines(w, processRows(min(10000, rows-done), uint64(done))); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Sync(); err != nil { // write back now, not while the benchmark reads
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// writeJSONLines writes one JSON object per row, keys in column order,
// as vigil's jsonl output and Log Analytics exports do.
func writeJSONLines(w *bufio.Writer, b *engine.Batch) error {
	var line []byte
	for r := 0; r < b.N; r++ {
		line = append(line[:0], '{')
		for i, c := range b.Cols {
			if i > 0 {
				line = append(line, ',')
			}
			line = value.AppendJSON(line, b.Schema.Columns[i].Name)
			line = append(line, ':')
			v := c.Value(r)
			if v.IsNull() && v.Type != types.String {
				line = append(line, "null"...)
				continue
			}
			line = value.AppendJSON(line, v.ToDynamic())
		}
		if _, err := w.Write(append(line, '}', '\n')); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkIngestJSONL ingests 200,000 DeviceProcessEvents rows of JSON
// lines into a discarding sink and reports rows/s.
func BenchmarkIngestJSONL(b *testing.B) {
	const rows = 200000
	path := os.Getenv("VIGIL_BENCH_JSONL") // a pre-made file, for profiling
	if path == "" {
		path = writeProcessJSONL(b, b.TempDir(), rows)
	}
	info, _ := os.Stat(path)
	b.SetBytes(info.Size())
	runtime.GC()
	b.ResetTimer()
	start, cpu := time.Now(), cpuTime()
	for i := 0; i < b.N; i++ {
		sum, err := File(context.Background(), path, discardSink{}, nil, Options{})
		if err != nil || sum.Rows["DeviceProcessEvents"] != rows || sum.Rejects != 0 {
			b.Fatalf("ingest: %v, %v", sum, err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/time.Since(start).Seconds(), "rows/s")
	if used := cpuTime() - cpu; used > 0 {
		// CPU per row does not depend on what else the machine runs.
		b.ReportMetric(float64(used.Nanoseconds())/1000/float64(rows*b.N), "cpu-µs/row")
	}
}
