package attack

// This file loads the embedded catalog and defines its types.

//go:generate go run ../internal/gen attack -in ../../../../shared/data/attack -legacy ../internal/gen/legacy.json -license LICENSE-ATTACK.txt -out attack.json

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Notice is MITRE's copyright designation, which must travel with any copy
// of ATT&CK data (the full licence is LICENSE-ATTACK.txt beside this file).
const Notice = "© 2025 The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation."

// Tactic is an Enterprise tactic (a column of the matrix).
type Tactic struct {
	ID        string // TA0006
	ShortName string // credential-access, as techniques list it
	Name      string // Credential Access
	Order     int    // 1 (reconnaissance) … 14 (impact)
}

// Technique is a technique or sub-technique. Revoked and deprecated ids
// are kept so they can be rejected by name; they have no tactics.
type Technique struct {
	ID         string   // T1003 or T1003.001
	Name       string   // sub-technique names omit the parent's: "LSASS Memory"
	Tactics    []string // tactic short names, in the order the data lists them
	Parent     string   // T1003 for T1003.001; empty for a technique
	IsSub      bool
	Deprecated bool
	Revoked    bool
	RevokedBy  string // the replacement id when Revoked
}

// Active reports whether the technique is neither revoked nor deprecated.
func (t Technique) Active() bool { return !t.Revoked && !t.Deprecated }

// Mitigation is an ATT&CK mitigation (course of action).
type Mitigation struct {
	ID         string   // M1043
	Name       string   // Credential Access Protection
	Techniques []string // ids it mitigates, sorted
}

// Catalog answers lookups over one ATT&CK release. It is read-only and
// safe for concurrent use.
type Catalog struct {
	version     string
	tactics     []Tactic
	tacticKeys  map[string]int // normalised id, short name and name → index
	techniques  []Technique    // sorted by id
	techByID    map[string]int
	subs        map[string][]string
	mitigations []Mitigation
	mitByID     map[string]int
	mitsOf      map[string][]int // technique id → mitigation indexes
}

//go:embed attack.json
var embedded []byte

var defaultCatalog = sync.OnceValue(func() *Catalog {
	c, err := decode(embedded)
	if err != nil {
		panic(fmt.Sprintf("attack: embedded attack.json: %v", err))
	}
	return c
})

// Default returns the catalog built into vigil, parsing it on first use.
func Default() *Catalog { return defaultCatalog() }

// Version names the ATT&CK release, e.g. "ATT&CK v18.1".
func (c *Catalog) Version() string { return c.version }

type fileTactic struct {
	ID        string `json:"id"`
	ShortName string `json:"shortname"`
	Name      string `json:"name"`
}

type fileTechnique struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Tactics    []string `json:"tactics"`
	Deprecated bool     `json:"deprecated"`
	RevokedBy  string   `json:"revoked_by"`
}

type fileMitigation struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Techniques []string `json:"techniques"`
}

type file struct {
	Version     string           `json:"version"`
	Tactics     []fileTactic     `json:"tactics"`
	Techniques  []fileTechnique  `json:"techniques"`
	Mitigations []fileMitigation `json:"mitigations"`
}

func decode(data []byte) (*Catalog, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	c := &Catalog{version: f.Version, tacticKeys: map[string]int{}, techByID: map[string]int{},
		subs: map[string][]string{}, mitByID: map[string]int{}, mitsOf: map[string][]int{}}
	for i, t := range f.Tactics {
		c.tactics = append(c.tactics, Tactic{ID: t.ID, ShortName: t.ShortName, Name: t.Name, Order: i + 1})
		for _, k := range []string{t.ID, t.ShortName, t.Name} {
			c.tacticKeys[tacticKey(k)] = i
		}
	}
	for _, t := range f.Techniques {
		parent, _, isSub := strings.Cut(t.ID, ".")
		tech := Technique{ID: t.ID, Name: t.Name, Tactics: t.Tactics, IsSub: isSub,
			Deprecated: t.Deprecated, Revoked: t.RevokedBy != "", RevokedBy: t.RevokedBy}
		if isSub {
			tech.Parent = parent
			if tech.Active() {
				c.subs[parent] = append(c.subs[parent], t.ID)
			}
		}
		for _, s := range t.Tactics {
			if _, ok := c.tacticKeys[s]; !ok {
				return nil, fmt.Errorf("technique %s: unknown tactic %q", t.ID, s)
			}
		}
		c.techByID[t.ID] = len(c.techniques)
		c.techniques = append(c.techniques, tech)
	}
	sort.Slice(c.techniques, func(i, j int) bool { return c.techniques[i].ID < c.techniques[j].ID })
	for i, t := range c.techniques {
		c.techByID[t.ID] = i
	}
	for i, m := range f.Mitigations {
		c.mitigations = append(c.mitigations, Mitigation(m))
		c.mitByID[m.ID] = i
		for _, id := range m.Techniques {
			if _, ok := c.techByID[id]; !ok {
				return nil, fmt.Errorf("mitigation %s: unknown technique %s", m.ID, id)
			}
			c.mitsOf[id] = append(c.mitsOf[id], i)
		}
	}
	return c, nil
}
