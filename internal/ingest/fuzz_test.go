package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/vigil-hunt/vigil/kql/engine"
)

// countSink counts rows and checks that batches are well formed.
type countSink struct {
	mu   sync.Mutex
	rows int
	err  string
}

func (s *countSink) WriteBatch(table string, b *engine.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, c := range b.Cols {
		if c.Len() != b.N || (c.Nulls != nil && len(c.Nulls) != b.N) {
			s.err = table + "." + b.Schema.Columns[i].Name + ": column length differs from the batch's"
		}
	}
	s.rows += b.N
	return nil
}

// fuzzIngest ingests data in the given format, with and without
// normalisation, and checks that every record is accounted for.
func fuzzIngest(t *testing.T, name string, format Format, data []byte) {
	gzipped := len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b
	for _, normalize := range []bool{false, true} {
		sink := &countSink{}
		var rejects bytes.Buffer
		opts := Options{Format: format, NoNormalize: !normalize, BatchSize: 7}
		sum, err := Reader(context.Background(), name, bytes.NewReader(data), sink, &rejects, opts)
		if err != nil {
			if gzipped {
				return // a corrupt gzip stream is unreadable input
			}
			t.Fatalf("ingest: %v", err)
		}
		if sink.err != "" {
			t.Fatal(sink.err)
		}
		if sink.rows != sum.TotalRows() {
			t.Fatalf("sink got %d rows, summary says %d", sink.rows, sum.TotalRows())
		}
		n := 0
		for _, line := range bytes.Split(rejects.Bytes(), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			var r Reject
			if err := json.Unmarshal(line, &r); err != nil || r.Reason == "" || r.Line < 1 {
				t.Fatalf("bad reject line %q: %v", line, err)
			}
			n++
		}
		if n != sum.Rejects {
			t.Fatalf("%d reject lines, summary says %d", n, sum.Rejects)
		}
		accepted := sum.Records - sum.Rejects
		if accepted < 0 {
			t.Fatalf("%d rejects of %d records", sum.Rejects, sum.Records)
		}
		if !normalize && sum.TotalRows() != accepted {
			t.Fatalf("%d rows from %d records with %d rejects", sum.TotalRows(), sum.Records, sum.Rejects)
		}
		if normalize && sum.TotalRows() < accepted {
			t.Fatalf("%d rows from %d accepted records", sum.TotalRows(), accepted)
		}
	}
}

// lineSeeds adds each line of a testdata file as a seed: small seeds keep
// the fuzzer's minimisation of new inputs quick.
func lineSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimSpace(line)) > 0 {
				f.Add(line)
			}
		}
	}
}

func FuzzJSONLines(f *testing.F) {
	lineSeeds(f, "DeviceProcessEvents.jsonl", "sentinel_events.jsonl")
	f.Add([]byte(`{"Type":"Foo_CL","a":1}` + "\n" + `{"Type":"Foo_CL","a":"x"}`))
	f.Add([]byte("[{\"Type\":\"SigninLogs\",\"IPAddress\":\"192.0.2.1\"},\n 3, {\"x\"\n]"))
	f.Add([]byte("{\n  \"TimeGenerated\": \"2024-01-01\",\n  \"Type\": \"AuditLogs\"\n}\n{\"bad\"\n{\"Type\":\"X\"}"))
	f.Add([]byte(`{"EventID":4624,"Computer":"h","TargetUserName":"u","LogonType":"3"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzIngest(t, "DeviceProcessEvents.jsonl", JSON, data)
		fuzzIngest(t, "-", JSON, data)
	})
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("Timestamp [UTC],DeviceName,RemotePort,AdditionalFields\n\"5/2/2024, 10:15:30 AM\",pc,443,\"{\"\"a\"\":1}\"\n"))
	f.Add([]byte("a,b\n1,2\n\"3\n4\",5\n6"))
	f.Add([]byte("\xef\xbb\xbfType,TimeGenerated [UTC],x\nSigninLogs,\"5/1/2024, 1:00:00 PM\",1\n"))
	f.Add([]byte(",EventID,Computer,NewProcessName\n0,4688,h,C:\\x.exe\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzIngest(t, "DeviceNetworkEvents.csv", CSV, data)
		fuzzIngest(t, "unknown.csv", CSV, data)
	})
}

func FuzzEventHub(f *testing.F) {
	lineSeeds(f, "eventhub.json")
	f.Add([]byte("{\n \"records\": [\n  {\"category\": \"AdvancedHunting-DeviceEvents\", \"properties\": {\"ActionType\": \"x\"}}\n ]\n}"))
	f.Add([]byte(`{"category":"AdvancedHunting-Custom","properties":{"a":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzIngest(t, "hub.json", EventHub, data)
	})
}

func FuzzWinlogbeat(f *testing.F) {
	lineSeeds(f, "winlogbeat.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzIngest(t, "events.json", Winlogbeat, data)
	})
}

func FuzzEvtxDump(f *testing.F) {
	f.Add([]byte(`{"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon"}},"EventID":1,` +
		`"TimeCreated":{"#attributes":{"SystemTime":"2024-05-04T09:00:00Z"}},"Channel":"Microsoft-Windows-Sysmon/Operational",` +
		`"Computer":"ws"},"EventData":{"Image":"C:\\a.exe","ProcessId":1,"User":"D\\u"}}}`))
	f.Add([]byte("{\"Event\":{\"System\":{\"EventID\":{\"#text\":4624},\"Channel\":\"Security\"},\"EventData\":{\"LogonType\":\"3\"}}}\n" +
		"{\"Event\":{\"System\":{\"Channel\":\"X\"},\"UserData\":{\"A\":{\"B\":1}}}}"))
	f.Add([]byte("{\n  \"Event\": {\n    \"System\": {\"EventID\": 13, \"Channel\": \"Microsoft-Windows-Sysmon/Operational\"},\n" +
		"    \"EventData\": {\"EventType\": \"SetValue\", \"TargetObject\": \"HKLM\\\\x\\\\y\", \"Details\": \"DWORD (0x1)\"}\n  }\n}\n{\n  \"Event\": {"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzIngest(t, "event.json", EvtxDump, data)
	})
}
