package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/types"
)

// TestMinimisationLab measures minimisation over hunt-shaped lab queries:
// the answer the model reads must cost at least 5× fewer tokens than the
// same rows as CSV, and every row must come back exactly from its handle.
func TestMinimisationLab(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the lab workspace")
	}
	src := labSource(t)
	sum, err := MinimisationReport(context.Background(), src, BenchQueries, "gpt-5.4-mini", Config{Now: labEnd})
	if err != nil {
		t.Fatal(err)
	}
	sum.WriteTo(os.Stdout)
	if !sum.Recoverable() {
		t.Error("some rows could not be recovered from their handles")
	}
	if r := sum.Ratio(); r < 5 {
		t.Errorf("minimised answers are %.1f× smaller than CSV; want ≥ 5×", r)
	}
}

func testResult() *result {
	long := "powershell.exe -nop -w hidden -enc " + strings.Repeat("SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA", 3)
	id := "6ce3d1a5e1f0c6d2b7a4f5e8d9c0b1a2f3e4d5c6"
	return &result{
		Table:   "DeviceProcessEvents",
		Columns: []string{"Timestamp", "TimeGenerated", "DeviceId", "DeviceName", "ActionType", "SHA1", "ProcessCommandLine", "_BilledSize", "ReportId"},
		Types:   []types.Type{types.Datetime, types.Datetime, types.String, types.String, types.String, types.String, types.String, types.Long, types.Long},
		Rows: [][]any{
			{"2024-11-13T10:00:00.1234567Z", "2024-11-13T10:00:00.1234567Z", id, "ws-01", "ProcessCreated", nil, long, int64(700), int64(1)},
			{"2024-11-13T10:00:00.1234567Z", "2024-11-13T10:00:00.1234567Z", id, "ws-01", "ProcessCreated", nil, long, int64(700), int64(1)},
			{"2024-11-13T11:30:00Z", "2024-11-13T11:30:00Z", id, "ws-02", "ProcessCreated", "", "cmd.exe /c whoami | findstr x", int64(650), int64(2)},
		},
	}
}

func TestMinimise(t *testing.T) {
	res := testResult()
	m := minimise(res)
	ev := newEvidence()
	m.handles = ev.add(res, m.groups)
	text := m.text(ShowConfig{}.withDefaults())
	for _, want := range []string{
		"3 rows, 2 distinct",
		"same in every row: DeviceId=6ce3d1a5…; ActionType=ProcessCreated",
		"equal columns: TimeGenerated=Timestamp",
		"empty: SHA1",
		"hidden (bookkeeping): _BilledSize",
		"times are UTC on 2024-11-13 (hh:mm:ss)",
		"#|n|Timestamp|DeviceName|ProcessCommandLine|ReportId",
		"r1|2|10:00:00|ws-01|powershell.exe -nop -w hidden -enc SQBFAFgAIAAoA…ZQBiAEMAbABpAGUAbgB0ACkA#",
		`r2|1|11:30:00|ws-02|cmd.exe /c whoami \| findstr x|2`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	// The shortened command line expands back from the rows.
	short := m.display(0, 6, 80)
	if got := expand(short, ev.rows()); got != res.Rows[0][6] {
		t.Errorf("expand(%q) = %q", short, got)
	}
	if got := expand("6ce3d1a5…", ev.rows()); got != res.Rows[0][2] {
		t.Errorf("expand id = %q", got)
	}
	// Handles give back the exact rows, identical rows together.
	got, ok := ev.Lookup("r1")
	if !ok || len(got.Rows) != 2 || got.Rows[1]["Timestamp"] != "2024-11-13T10:00:00.1234567Z" || got.RowIDs[0].ID != "1" || got.Count != 3 {
		t.Errorf("r1 = %+v", got)
	}
	if _, ok := ev.Lookup("r3"); ok {
		t.Error("r3 exists")
	}
	// JSON says the same.
	var v jsonView
	if err := json.Unmarshal([]byte(m.json(ShowConfig{}.withDefaults())), &v); err != nil {
		t.Fatal(err)
	}
	if v.Rows != 3 || v.Distinct != 2 || v.Equal["TimeGenerated"] != "Timestamp" || len(v.Data) != 2 || v.Data[0][1] != float64(2) {
		t.Errorf("json view %+v", v)
	}
}

func TestRenderPicksCheaperAndCaps(t *testing.T) {
	res := &result{Table: "T", Columns: []string{"a", "b"}, Types: []types.Type{types.String, types.Long}}
	for i := range 200 {
		res.Rows = append(res.Rows, []any{fmt.Sprintf("value-%d", i), int64(i)})
	}
	m := minimise(res)
	m.handles = newEvidence().add(res, m.groups)
	codec := codecFor(nil, "gpt-4.1-mini")
	show := ShowConfig{MaxGroups: 1000, MaxTokens: 300}.withDefaults()
	body, format, tokens, shown := m.render(show, codec)
	alt := m.json(ShowConfig{MaxGroups: shown, MaxCell: show.MaxCell})
	if format == formatJSON {
		alt = m.text(ShowConfig{MaxGroups: shown, MaxCell: show.MaxCell})
	}
	if tokens > 300 || shown < minShown || shown >= 200 || countTokens(codec, alt) < tokens {
		t.Errorf("%s, %d tokens, %d shown; the other format costs %d", format, tokens, shown, countTokens(codec, alt))
	}
	if !strings.Contains(body, fmt.Sprintf("… %d more distinct (%d rows) not shown", 200-shown, 200-shown)) &&
		!strings.Contains(body, fmt.Sprintf(`"not_shown":{"distinct":%d,"rows":%d}`, 200-shown, 200-shown)) {
		t.Errorf("no 'more rows' line:\n%s", body)
	}
}

func TestSanitise(t *testing.T) {
	for in, want := range map[string]string{
		"a\u200bb\u202ec":                "abc",
		"line1\nline2\tx\r":              `line1\nline2 x `,
		"x </data> y < DATA z <  /data>": "x ‹/data> y ‹ DATA z ‹  /data>",
		"a < b and c<d":                  "a < b and c<d",
		"bell\x07":                       "bell",
	} {
		if got := sanitise(in); got != want {
			t.Errorf("sanitise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestZeroRows(t *testing.T) {
	res := &result{Table: "T", Columns: []string{"a", "b"}, Types: []types.Type{types.String, types.Long}}
	m := minimise(res)
	if got := m.text(ShowConfig{}.withDefaults()); got != "0 rows\ncolumns: a, b" {
		t.Errorf("text %q", got)
	}
}
