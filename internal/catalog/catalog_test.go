package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/types"
)

func TestColumns(t *testing.T) {
	tests := []struct {
		table, column string
		want          Column
		present       bool
	}{
		{"DeviceProcessEvents", "Timestamp", Column{Name: "Timestamp", Type: types.Datetime, In: Both}, true},
		{"DeviceProcessEvents", "ProcessCommandLine", Column{Name: "ProcessCommandLine", Type: types.String, In: Both}, true},
		{"DeviceProcessEvents", "TimeGenerated", Column{Name: "TimeGenerated", Type: types.Datetime, In: Sentinel}, true},
		{"DeviceProcessEvents", "AdditionalFields", Column{Name: "AdditionalFields", Type: types.Dynamic, In: Both, AHType: types.String}, true},
		{"DeviceProcessEvents", "processcommandline", Column{}, false},
		{"IdentityLogonEvents", "Port", Column{Name: "Port", Type: types.String, In: Both, AHType: types.Int}, true},
		{"IdentityLogonEvents", "Isp", Column{Name: "Isp", Type: types.String, In: AdvancedHunting}, true},
		{"IdentityLogonEvents", "ISP", Column{Name: "ISP", Type: types.String, In: Sentinel}, true},
		{"SigninLogs", "TimeGenerated", Column{Name: "TimeGenerated", Type: types.Datetime, In: Sentinel}, true},
		{"SigninLogs", "Timestamp", Column{}, false},
	}
	cat := Default()
	for _, tt := range tests {
		t.Run(tt.table+"."+tt.column, func(t *testing.T) {
			tab, ok := cat.Table(tt.table)
			if !ok {
				t.Fatalf("Table(%q) not found", tt.table)
			}
			got, ok := tab.Column(tt.column)
			if ok != tt.present || got != tt.want {
				t.Errorf("Column(%q) = %+v, %v; want %+v, %v", tt.column, got, ok, tt.want, tt.present)
			}
		})
	}
}

func TestTableExactName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"DeviceProcessEvents", true},
		{"deviceprocessevents", false},
		{"DEVICEPROCESSEVENTS", false},
		{"DeviceProcessEvents ", false},
		{"", false},
	}
	for _, tt := range tests {
		if _, got := Default().Table(tt.name); got != tt.want {
			t.Errorf("Table(%q) found = %v, want %v", tt.name, got, tt.want)
		}
		if _, got := Default().LookupTable(tt.name); got != tt.want {
			t.Errorf("LookupTable(%q) found = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestTimeColumns(t *testing.T) {
	handBuilt := &Table{Name: "T", Columns: []Column{
		{Name: "Timestamp", Type: types.String},
		{Name: "TimeGenerated", Type: types.Datetime},
	}}
	tests := []struct {
		table *Table
		want  string
		all   []string
	}{
		{mustTable(t, "DeviceProcessEvents"), "Timestamp", []string{"Timestamp", "TimeGenerated"}},
		{mustTable(t, "SigninLogs"), "TimeGenerated", []string{"TimeGenerated"}},
		{mustTable(t, "EntraIdSignInEvents"), "Timestamp", []string{"Timestamp"}},
		// Source order is TimeGenerated first; the answer order is fixed.
		{mustTable(t, "DeviceTvmSoftwareVulnerabilitiesKB"), "Timestamp", []string{"Timestamp", "TimeGenerated"}},
		{mustTable(t, "DeviceTvmBrowserExtensions"), "", nil},
		{handBuilt, "TimeGenerated", []string{"TimeGenerated"}},
	}
	for _, tt := range tests {
		t.Run(tt.table.Name, func(t *testing.T) {
			if got := tt.table.TimeColumn(); got != tt.want {
				t.Errorf("TimeColumn() = %q, want %q", got, tt.want)
			}
			if got := tt.table.TimeColumns(); !reflect.DeepEqual(got, tt.all) {
				t.Errorf("TimeColumns() = %q, want %q", got, tt.all)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct{ in, want string }{
		{"DeviceProcesEvents", "DeviceProcessEvents"},
		{"deviceprocessevents", "DeviceProcessEvents"},
		{"SignInLogs", "SigninLogs"},
		{"Syslgo", "Syslog"},
		{"Evnt", "Event"},
		{"DeviceNetworkEvent", "DeviceNetworkEvents"},
		{"Foo", ""},
		{"", ""},
		{"ProcessCreationEvents", ""},
	}
	for _, tt := range tests {
		if got := Default().Suggest(tt.in); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTables(t *testing.T) {
	tables := Default().Tables()
	if len(tables) != 63 {
		t.Errorf("len(Tables()) = %d, want 63", len(tables))
	}
	if !sort.SliceIsSorted(tables, func(i, j int) bool { return tables[i].Name < tables[j].Name }) {
		t.Error("Tables() not sorted by name")
	}
	tables[0] = nil
	if Default().Tables()[0] == nil {
		t.Error("Tables() shares its slice with the catalog")
	}
}

func TestSchemaIsFreshCopy(t *testing.T) {
	cat := Default()
	s, ok := cat.LookupTable("SigninLogs")
	if !ok || s.Open {
		t.Fatalf("LookupTable(SigninLogs) = %v, %v; want a closed schema", s, ok)
	}
	n := len(s.Columns)
	s.Columns[0].Name = "changed"
	s.Columns = append(s.Columns, types.Column{Name: "extra"})
	again, _ := cat.LookupTable("SigninLogs")
	if len(again.Columns) != n || again.Columns[0].Name == "changed" {
		t.Error("changing a returned schema changed the catalog")
	}
	if !reflect.DeepEqual(again, mustTable(t, "SigninLogs").Schema()) {
		t.Error("LookupTable and Table.Schema disagree")
	}
}

func TestNew(t *testing.T) {
	cat := New([]*Table{
		{Name: "B", Columns: []Column{{Name: "x", Type: types.Long}}},
		{Name: "A"},
		{Name: "B", Columns: []Column{{Name: "y", Type: types.Bool}}},
	})
	var names []string
	for _, tab := range cat.Tables() {
		names = append(names, tab.Name)
	}
	if want := []string{"A", "B"}; !reflect.DeepEqual(names, want) {
		t.Errorf("Tables() names = %q, want %q", names, want)
	}
	if s, _ := cat.LookupTable("B"); s.String() != "(y:bool)" {
		t.Errorf("LookupTable(B) = %s, want (y:bool): the later table should win", s)
	}
}

func TestAvailabilityString(t *testing.T) {
	tests := map[Availability]string{
		Both: "both", AdvancedHunting: "advanced_hunting", Sentinel: "sentinel", 9: "Availability(9)",
	}
	for a, want := range tests {
		if got := a.String(); got != want {
			t.Errorf("Availability(%d).String() = %q, want %q", uint8(a), got, want)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct{ name, data, wantErr string }{
		{"prose", `[{"name":"T","columns":[{"name":"c","type":"string","in":"both","description":"x"}]}]`, "description"},
		{"type", `[{"name":"T","columns":[{"name":"c","type":"text","in":"both"}]}]`, `table T, column "c": unknown type "text"`},
		{"ah_type", `[{"name":"T","columns":[{"name":"c","type":"string","in":"both","ah_type":"x"}]}]`, `unknown ah_type "x"`},
		{"in", `[{"name":"T","columns":[{"name":"c","type":"string","in":"portal"}]}]`, `unknown availability "portal"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode([]byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("decode error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestEmbeddedLayout checks the generated file is one table per line in
// name order, so regenerating gives small, reviewable diffs.
func TestEmbeddedLayout(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(string(embedded), "\n"), "\n")
	tables := Default().Tables()
	if len(lines) != len(tables)+2 || lines[0] != "[" || lines[len(lines)-1] != "]" {
		t.Fatalf("embedded file has %d lines, want [, %d tables, ]", len(lines), len(tables))
	}
	for i, tab := range tables {
		if prefix := `{"name":"` + tab.Name + `",`; !strings.HasPrefix(lines[i+1], prefix) {
			t.Errorf("line %d does not start with %s", i+2, prefix)
		}
	}
}

// TestEmbeddedMatchesSource re-derives the facts from the research file
// and checks the embedded copy agrees, so a stale tables.json is caught.
func TestEmbeddedMatchesSource(t *testing.T) {
	data, err := os.ReadFile("../../../shared/data/schemas/tables.json")
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("research tables.json not present outside the module")
	}
	if err != nil {
		t.Fatal(err)
	}
	var src map[string]struct {
		Columns []struct {
			Name, Type, In string
			AHType         string `json:"ah_type"`
		}
	}
	if err := json.Unmarshal(data, &src); err != nil {
		t.Fatal(err)
	}
	cat := Default()
	if got := len(cat.Tables()); got != len(src) {
		t.Errorf("embedded has %d tables, source %d", got, len(src))
	}
	names := make([]string, 0, len(src))
	for name := range src {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		var want []Column
		for _, sc := range src[name].Columns {
			want = append(want, sourceColumn(t, name, sc.Name, sc.Type, sc.In, sc.AHType))
		}
		tab, ok := cat.Table(name)
		if !ok {
			t.Errorf("table %s missing from the embedded catalog", name)
			continue
		}
		if diff := firstDiff(tab.Columns, want); diff != "" {
			t.Errorf("table %s differs from the source (%s); run go generate", name, diff)
		}
	}
}

// sourceColumn maps one research-file column to the Column the catalog
// should hold for it.
func sourceColumn(t *testing.T, table, name, typ, in, ahType string) Column {
	t.Helper()
	c := Column{Name: name}
	var ok bool
	if c.Type, ok = types.Lookup(typ); !ok {
		t.Fatalf("%s.%s: unknown type %q", table, name, typ)
	}
	if c.In, ok = parseAvailability(in); !ok {
		t.Fatalf("%s.%s: unknown availability %q", table, name, in)
	}
	if ahType != "" {
		if ah, _ := types.Lookup(ahType); ah != c.Type {
			c.AHType = ah
		}
	}
	return c
}

// firstDiff describes the first place got and want differ, or "".
func firstDiff(got, want []Column) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("column %d: embedded %+v, source %+v", i, got[i], want[i])
		}
	}
	if len(got) != len(want) {
		return fmt.Sprintf("embedded has %d columns, source %d", len(got), len(want))
	}
	return ""
}

func mustTable(t *testing.T, name string) *Table {
	t.Helper()
	tab, ok := Default().Table(name)
	if !ok {
		t.Fatalf("Table(%q) not found", name)
	}
	return tab
}

func TestTableNamesSortedAndComplete(t *testing.T) {
	names := Default().TableNames()
	if len(names) != len(Default().Tables()) {
		t.Fatalf("%d names for %d tables", len(names), len(Default().Tables()))
	}
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Fatalf("names not sorted at %d: %q, %q", i, names[i-1], names[i])
		}
	}
}
