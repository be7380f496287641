package lab

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// testEnd is a fixed "now" so tests never read the clock.
var testEnd = time.Date(2024, 11, 14, 16, 23, 41, 0, time.UTC)

// memWriter keeps every batch in memory, one merged batch per table.
type memWriter struct {
	tables  map[string]*engine.Batch
	batches int
	maxRows int
	schemas map[string]*types.Schema
}

func newMemWriter() *memWriter {
	return &memWriter{tables: map[string]*engine.Batch{}, schemas: map[string]*types.Schema{}}
}

func (w *memWriter) WriteBatch(table string, b *engine.Batch) error {
	w.batches++
	w.maxRows = max(w.maxRows, b.N)
	for i, c := range b.Cols {
		if c.Len() != b.N {
			return fmt.Errorf("%s.%s has %d rows, batch says %d", table, b.Schema.Columns[i].Name, c.Len(), b.N)
		}
	}
	t := w.tables[table]
	if t == nil {
		t = engine.NewBatch(b.Schema, b.N)
		w.tables[table] = t
		w.schemas[table] = b.Schema
	}
	for i, c := range b.Cols {
		t.Cols[i].AppendColumn(c)
	}
	t.N += b.N
	return nil
}

// hashWriter digests everything it is given, in order.
type hashWriter struct{ h hashState }

type hashState = interface {
	Write([]byte) (int, error)
	Sum([]byte) []byte
}

func (w *hashWriter) WriteBatch(table string, b *engine.Batch) error {
	fmt.Fprintf(w.h, "%s|%d|%s\n", table, b.N, b.Schema)
	var buf [8]byte
	for _, c := range b.Cols {
		for i := range b.N {
			v := c.Value(i)
			if v.IsNull() {
				w.h.Write([]byte{0})
				continue
			}
			switch {
			case v.Type == types.Real:
				binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v.F))
				w.h.Write(buf[:])
			default:
				w.h.Write([]byte(v.String()))
			}
			w.h.Write([]byte{1})
		}
	}
	return nil
}

func smallConfig() Config {
	return Config{Devices: 16, Users: 30, Days: 3, Seed: 7, End: testEnd}
}

var (
	defaultOnce  sync.Once
	defaultData  *memWriter
	defaultTruth *GroundTruth
	defaultErr   error
)

// generated returns the DefaultConfig workspace, generated once per test
// binary.
func generated(t *testing.T) (*memWriter, *GroundTruth) {
	t.Helper()
	defaultOnce.Do(func() {
		defaultData = newMemWriter()
		defaultTruth, defaultErr = Generate(DefaultConfig(testEnd), defaultData)
	})
	if defaultErr != nil {
		t.Fatal(defaultErr)
	}
	return defaultData, defaultTruth
}

func TestDeterministic(t *testing.T) {
	digest := func() ([]byte, []byte) {
		w := &hashWriter{sha256.New()}
		gt, err := Generate(smallConfig(), w)
		if err != nil {
			t.Fatal(err)
		}
		var js bytes.Buffer
		if err := gt.WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
		return w.h.Sum(nil), js.Bytes()
	}
	d1, j1 := digest()
	d2, j2 := digest()
	if !bytes.Equal(d1, d2) {
		t.Error("two runs of the same Config wrote different data")
	}
	if !bytes.Equal(j1, j2) {
		t.Error("two runs of the same Config returned different ground truth")
	}
	other := smallConfig()
	other.Seed++
	w := &hashWriter{sha256.New()}
	if _, err := Generate(other, w); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(d1, w.h.Sum(nil)) {
		t.Error("a different seed wrote the same data")
	}
}

func TestSchemasMatchCatalog(t *testing.T) {
	w, gt := generated(t)
	for _, name := range Tables() {
		tab, ok := catalog.Default().Table(name)
		if !ok {
			t.Fatalf("%s is not in the catalog", name)
		}
		b := w.tables[name]
		if b == nil || b.N == 0 {
			t.Errorf("%s: no rows written", name)
			continue
		}
		if got, want := w.schemas[name].String(), tab.Schema().String(); got != want {
			t.Errorf("%s: schema\n got %s\nwant %s", name, got, want)
		}
		for i, c := range tab.Columns {
			if b.Cols[i].Type != c.Type || b.Cols[i].Len() != b.N {
				t.Errorf("%s.%s: column of %s with %d rows, want %s with %d", name, c.Name, b.Cols[i].Type, b.Cols[i].Len(), c.Type, b.N)
			}
		}
		if gt.Rows[name] != b.N {
			t.Errorf("%s: ground truth counts %d rows, writer got %d", name, gt.Rows[name], b.N)
		}
	}
	if w.maxRows > batchRows {
		t.Errorf("a batch of %d rows exceeds %d", w.maxRows, batchRows)
	}
}

// TestColumnsFilled checks that every column carries a value in some row,
// unless the product leaves it empty in every event the lab generates.
func TestColumnsFilled(t *testing.T) {
	alwaysEmpty := map[string]bool{
		"AppGuardContainerId": true, "SensitivityLabel": true, "SensitivitySubLabel": true, "IsAzureInfoProtectionApplied": true,
		"SourceSystem": true, "_ResourceId": true, "_SubscriptionId": true, "RegistryDeviceTag": true, "DeviceSubtype": true,
		"MergedDeviceIds": true, "MergedToDeviceId": true, "ExclusionReason": true, "HostDeviceId": true, "AwsResourceName": true,
		"GcpFullResourceName": true, "PreviousRegistryKey": true, "PreviousRegistryValueName": true, "PreviousRegistryValueData": true,
		"FlowCount_d": true, "Subscription_g": true, "Computer": true, "NSGRules_s": true, "Region_s": true, "NIC_s": true,
		"VM_s": true, "Subnet_s": true, "PublicIPs_s": true, "ActivitySubstatus": true, "AppliedEventListeners": true,
		"AuthenticationMethodsUsed": true, "IPAddressFromResourceProvider": true, "RiskLevel": true, "ServicePrincipalId": true,
		"ServicePrincipalName": true, "SignInIdentifierType": true, "TokenIssuerName": true, "AdditionalFields": true,
	}
	// Columns the product fills only for event types the lab does not
	// generate, per table.
	emptyIn := map[string][]string{
		"DeviceLogonEvents": {"InitiatingProcessAccountUpn", "InitiatingProcessAccountObjectId",
			"InitiatingProcessRemoteSessionDeviceName", "InitiatingProcessRemoteSessionIP"},
		"DeviceEvents": {"AccountDomain", "AccountName", "AccountSid", "RemoteDeviceName", "RegistryKey", "RegistryValueName",
			"RegistryValueData", "FileOriginUrl", "FileOriginIP", "ProcessRemoteSessionDeviceName", "ProcessRemoteSessionIP"},
	}
	w, _ := generated(t)
	for _, name := range Tables() {
		b := w.tables[name]
		for j, c := range b.Schema.Columns {
			if alwaysEmpty[c.Name] || slices.Contains(emptyIn[name], c.Name) || strings.Contains(c.Name, "Gateway") || strings.Contains(c.Name, "ExpressRoute") ||
				strings.Contains(c.Name, "LoadBalancer") || strings.HasPrefix(c.Name, "Connect") {
				continue
			}
			filled := false
			for i := 0; i < b.N && !filled; i++ {
				v := b.Cols[j].Value(i)
				filled = !v.IsNull() && v.String() != ""
			}
			if !filled {
				t.Errorf("%s.%s is empty in every row", name, c.Name)
			}
		}
	}
}

// index maps each table's id values to the rows holding them.
func index(t *testing.T, w *memWriter) map[string]map[string][]int {
	t.Helper()
	out := map[string]map[string][]int{}
	for _, name := range Tables() {
		b := w.tables[name]
		col := b.Col(IDColumn(name))
		if col == nil {
			t.Fatalf("%s has no id column %s", name, IDColumn(name))
		}
		m := map[string][]int{}
		for i := range b.N {
			id := col.Value(i).String()
			m[id] = append(m[id], i)
		}
		out[name] = m
	}
	return out
}

func TestRowRefsExistOnce(t *testing.T) {
	w, gt := generated(t)
	idx := index(t, w)
	for _, name := range Tables() {
		for id, rows := range idx[name] {
			if id == "" || len(rows) != 1 {
				t.Errorf("%s: id %q is on %d rows", name, id, len(rows))
				break
			}
		}
	}
	seen := map[RowRef]string{}
	for _, sc := range gt.Scenarios {
		if len(sc.Rows) == 0 {
			t.Errorf("%s: no rows", sc.ID)
		}
		for _, r := range sc.Rows {
			if r.IDColumn != IDColumn(r.Table) {
				t.Errorf("%s: row %v names id column %s, want %s", sc.ID, r, r.IDColumn, IDColumn(r.Table))
			}
			if n := len(idx[r.Table][r.ID]); n != 1 {
				t.Errorf("%s: row %v found %d times", sc.ID, r, n)
			}
			if other, dup := seen[r]; dup {
				t.Errorf("row %v belongs to both %s and %s", r, other, sc.ID)
			}
			seen[r] = sc.ID
		}
	}
}

func TestTimesInsideWindow(t *testing.T) {
	w, gt := generated(t)
	start, end := value.DatetimeOf(gt.Start), value.DatetimeOf(gt.End)
	if got := gt.End.Sub(gt.Start); got != 7*24*time.Hour {
		t.Errorf("window is %v long, want 7 days", got)
	}
	idx := index(t, w)
	for _, name := range Tables() {
		b := w.tables[name]
		tab, _ := catalog.Default().Table(name)
		for _, tc := range tab.TimeColumns() {
			col := b.Col(tc)
			for i := range b.N {
				if d := value.Datetime(col.Ints[i]); col.IsNull(i) || d < start || d > end {
					t.Fatalf("%s row %d: %s %v outside [%v, %v]", name, i, tc, d, gt.Start, gt.End)
				}
			}
		}
	}
	for _, sc := range gt.Scenarios {
		if sc.Start.Before(gt.Start) || sc.End.After(gt.End) || sc.End.Before(sc.Start) {
			t.Errorf("%s: [%v, %v] is not inside the window", sc.ID, sc.Start, sc.End)
		}
		lo, hi := value.DatetimeOf(sc.Start), value.DatetimeOf(sc.End)
		for _, r := range sc.Rows {
			b := w.tables[r.Table]
			tab, _ := catalog.Default().Table(r.Table)
			at := value.Datetime(b.Col(tab.TimeColumn()).Ints[idx[r.Table][r.ID][0]])
			if at < lo || at > hi {
				t.Errorf("%s: row %v at %v outside the scenario's [%v, %v]", sc.ID, r, at, sc.Start, sc.End)
			}
		}
	}
}

func TestScenarioSelection(t *testing.T) {
	count := func(gt *GroundTruth) (total, malicious int) {
		for _, n := range gt.Rows {
			total += n
		}
		for _, sc := range gt.Scenarios {
			malicious += len(sc.Rows)
		}
		return
	}
	all, err := Generate(smallConfig(), &hashWriter{sha256.New()})
	if err != nil {
		t.Fatal(err)
	}
	allRows, allMal := count(all)
	tests := []struct {
		name      string
		scenarios []string
		want      []string
		err       string
	}{
		{"nil plants all", nil, ScenarioIDs(), ""},
		{"empty plants none", []string{}, nil, ""},
		{"one", []string{"c2-beacon"}, []string{"c2-beacon"}, ""},
		{"duplicates once", []string{"ransomware", "ransomware", "impossible-travel"}, []string{"ransomware", "impossible-travel"}, ""},
		{"unknown", []string{"c2-beacon", "no-such-thing"}, nil, `unknown scenario "no-such-thing"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := smallConfig()
			cfg.Scenarios = tt.scenarios
			gt, err := Generate(cfg, &hashWriter{sha256.New()})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, sc := range gt.Scenarios {
				got = append(got, sc.ID)
				if len(sc.Rows) == 0 {
					t.Errorf("%s planted no rows", sc.ID)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("scenarios %v, want %v", got, tt.want)
			}
			total, mal := count(gt)
			if total-mal != allRows-allMal {
				t.Errorf("%d benign rows, want the %d benign rows of the full run", total-mal, allRows-allMal)
			}
		})
	}
}

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Config)
		err    string
	}{
		{"default is valid", func(*Config) {}, ""},
		{"too few devices", func(c *Config) { c.Devices = 5 }, "Devices"},
		{"too few users", func(c *Config) { c.Users = 3 }, "Users"},
		{"no days", func(c *Config) { c.Days = 0 }, "Days"},
		{"no end", func(c *Config) { c.End = time.Time{} }, "End"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig(testEnd)
			tt.modify(&cfg)
			err := cfg.validate()
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("error %v, want one mentioning %s", err, tt.err)
			}
		})
	}
}

func TestShortAndLargeWindows(t *testing.T) {
	for _, cfg := range []Config{
		{Devices: 12, Users: 20, Days: 1, Seed: 3, End: testEnd},
		{Devices: 45, Users: 50, Days: 2, Seed: 4, End: testEnd.Add(7 * time.Hour)},
	} {
		t.Run(fmt.Sprintf("%dd%dh", cfg.Devices, cfg.Days), func(t *testing.T) {
			w := newMemWriter()
			gt, err := Generate(cfg, w)
			if err != nil {
				t.Fatal(err)
			}
			idx := index(t, w)
			for _, sc := range gt.Scenarios {
				if len(sc.Rows) == 0 {
					t.Errorf("%s planted no rows", sc.ID)
				}
				for _, r := range sc.Rows {
					if len(idx[r.Table][r.ID]) != 1 {
						t.Errorf("%s: row %v not found once", sc.ID, r)
					}
				}
			}
		})
	}
}

func TestFleet(t *testing.T) {
	_, gt := generated(t)
	if len(gt.Devices) != 30 {
		t.Errorf("%d devices, want 30", len(gt.Devices))
	}
	roles := map[string]int{}
	var target *Device
	for i, d := range gt.Devices {
		roles[d.Role]++
		if d.Name == "windows-target-1" {
			target = &gt.Devices[i]
		}
		if d.Criticality < 0 || d.Criticality > 5 || d.ID == "" || d.IP == "" {
			t.Errorf("device %+v", d)
		}
	}
	if target == nil || target.Role != "workstation" || !strings.HasPrefix(target.OS, "Windows") {
		t.Errorf("windows-target-1 is %+v, want a Windows workstation", target)
	}
	if n := roles["domain-controller"]; n < 1 || n > 2 {
		t.Errorf("%d domain controllers", n)
	}
	if roles["server"] == 0 || roles["workstation"] == 0 {
		t.Errorf("roles %v", roles)
	}
}
