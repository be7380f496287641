package lab

// This file holds the package's public API: the configuration, the writer
// it feeds, Generate, and the ground truth it returns.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
)

// Config says what workspace to generate.
type Config struct {
	Devices, Users, Days int
	Seed                 int64
	// End is the end of the window; events fall in [End-Days, End]. The
	// caller passes the current time; Generate never reads the clock.
	End time.Time
	// Scenarios lists the attack scenarios to plant by id: nil plants all
	// of them, an empty non-nil slice none (benign activity only).
	Scenarios []string
}

// DefaultConfig is a small workspace (30 devices, 60 users, 7 days, a few
// hundred thousand rows) ending at end.
func DefaultConfig(end time.Time) Config {
	return Config{Devices: 30, Users: 60, Days: 7, Seed: 1, End: end}
}

func (c Config) validate() error {
	var errs []error
	if c.Devices < minDevices {
		errs = append(errs, fmt.Errorf("lab: Devices is %d; the scenarios need at least %d", c.Devices, minDevices))
	}
	if c.Users < minUsers {
		errs = append(errs, fmt.Errorf("lab: Users is %d; the scenarios need at least %d", c.Users, minUsers))
	}
	if c.Days < 1 {
		errs = append(errs, fmt.Errorf("lab: Days is %d; it must be at least 1", c.Days))
	}
	if c.End.IsZero() {
		errs = append(errs, errors.New("lab: End is not set"))
	}
	return errors.Join(errs...)
}

// minUsers is the smallest user base the scenarios can be planted in.
const minUsers = 20

// Writer receives the generated rows, table by table, in batches of at most
// 8192 rows whose schema is the catalog's. A table's batches arrive in time
// order, but tables interleave.
type Writer interface {
	WriteBatch(table string, b *engine.Batch) error
}

// GroundTruth describes what was planted.
type GroundTruth struct {
	Seed      int64      `json:"seed"`
	Start     time.Time  `json:"start"`
	End       time.Time  `json:"end"`
	Scenarios []Scenario `json:"scenarios"`
	Devices   []Device   `json:"devices"`
	// Rows counts the rows written per table.
	Rows map[string]int `json:"rows"`
}

// Scenario is one planted attack.
type Scenario struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Tactics    []string `json:"tactics"`    // ATT&CK tactic names
	Techniques []string `json:"techniques"` // ATT&CK ids, e.g. T1110.001
	Entities   Entities `json:"entities"`
	// Start and End bound the scenario's rows.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Rows lists every malicious row, by table and id, in time order
	// within a table.
	Rows []RowRef `json:"rows"`
}

// Entities are what a scenario touched. Devices and Accounts are victims and
// also appear in benign activity; IPs, Domains, Hashes (SHA256) and Files
// (full paths) are indicators: no benign row contains any of them.
type Entities struct {
	Devices  []string `json:"devices,omitempty"`
	Accounts []string `json:"accounts,omitempty"`
	IPs      []string `json:"ips,omitempty"`
	Domains  []string `json:"domains,omitempty"`
	Hashes   []string `json:"hashes,omitempty"`
	Files    []string `json:"files,omitempty"`
}

// RowRef identifies one row: the row of Table whose IDColumn equals ID
// (ReportId on Defender tables, written in decimal; Id on SigninLogs;
// EventDataId on AzureActivity; _ItemId on AzureNetworkAnalytics_CL).
type RowRef struct {
	Table    string `json:"table"`
	IDColumn string `json:"idColumn"`
	ID       string `json:"id"`
}

// Device is one device of the fleet. Criticality runs from 0 (none) to 5
// (the most critical: domain controllers).
type Device struct {
	Name        string `json:"name"`
	ID          string `json:"id"`
	OS          string `json:"os"`
	Role        string `json:"role"` // workstation, server, domain-controller
	Criticality int    `json:"criticality"`
	IP          string `json:"ip"`
}

// IDColumn returns the column that identifies rows of a generated table,
// or "" for a table the lab does not generate.
func IDColumn(table string) string {
	for i, n := range tableNames {
		if n == table {
			return idColumns[i]
		}
	}
	return ""
}

// Tables returns the names of the generated tables.
func Tables() []string { return append([]string(nil), tableNames[:]...) }

// WriteJSON writes the ground truth as indented JSON.
func (g *GroundTruth) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(g)
}

// seen widens the scenario's time bounds to include t.
func (s *Scenario) seen(t interface{ Time() time.Time }) {
	tt := t.Time()
	if s.Start.IsZero() || tt.Before(s.Start) {
		s.Start = tt
	}
	if tt.After(s.End) {
		s.End = tt
	}
}

// sortRows orders a scenario's rows by table, keeping time order within a
// table.
func (s *Scenario) sortRows() {
	sort.SliceStable(s.Rows, func(i, j int) bool { return s.Rows[i].Table < s.Rows[j].Table })
}
