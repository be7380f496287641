package main

// This file derives attack.json from the ATT&CK extract.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

type srcTechnique struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Tactics []string `json:"tactics"`
	IsSub   bool     `json:"is_subtechnique"`
	Parent  *string  `json:"parent"`
	// Optional in the extract: a later one may carry revoked entries.
	Revoked    bool   `json:"revoked"`
	Deprecated bool   `json:"deprecated"`
	RevokedBy  string `json:"revoked_by"`
}

type srcTactic struct {
	ID        string `json:"id"`
	ShortName string `json:"shortname"`
	Name      string `json:"name"`
	Order     int    `json:"order"`
}

type srcMitigation struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Techniques []string `json:"techniques"`
}

// The embedded format; the attack package has its own copy of these shapes.
type outTactic struct {
	ID        string `json:"id"`
	ShortName string `json:"shortname"`
	Name      string `json:"name"`
}

type outTechnique struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Tactics    []string `json:"tactics,omitempty"`
	Deprecated bool     `json:"deprecated,omitempty"`
	RevokedBy  string   `json:"revoked_by,omitempty"`
}

type outMitigation struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Techniques []string `json:"techniques"`
}

var versionRE = regexp.MustCompile(`ATT&CK v[0-9]+(\.[0-9]+)?`)

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func generateAttack(dir, legacyPath, licenseOut string) ([]byte, error) {
	var techs []srcTechnique
	var tactics []srcTactic
	var mits []srcMitigation
	for name, v := range map[string]any{"techniques.json": &techs, "tactics.json": &tactics, "mitigations.json": &mits} {
		if err := readJSON(filepath.Join(dir, name), v); err != nil {
			return nil, err
		}
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		return nil, err
	}
	version := versionRE.FindString(string(readme))
	if version == "" {
		return nil, fmt.Errorf("README.md names no ATT&CK version")
	}
	if legacyPath != "" {
		var legacy struct{ Techniques []srcTechnique }
		if err := readJSON(legacyPath, &legacy); err != nil {
			return nil, err
		}
		techs = append(techs, legacy.Techniques...)
	}
	outTechs, err := convertTechniques(techs, tactics)
	if err != nil {
		return nil, err
	}
	if err := checkMitigations(mits, outTechs); err != nil {
		return nil, err
	}
	if licenseOut != "" {
		lic, err := os.ReadFile(filepath.Join(dir, "LICENSE-ATTACK.txt"))
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(licenseOut, lic, 0o644); err != nil {
			return nil, err
		}
	}
	return encodeAttack(version, tactics, outTechs, mits)
}

// convertTechniques checks ids, parents, tactics and replacements, and
// sorts by id.
func convertTechniques(src []srcTechnique, tactics []srcTactic) ([]outTechnique, error) {
	shorts := map[string]bool{}
	for _, t := range tactics {
		shorts[t.ShortName] = true
	}
	byID := map[string]srcTechnique{}
	for _, t := range src {
		if _, dup := byID[t.ID]; dup {
			return nil, fmt.Errorf("technique %s listed twice", t.ID)
		}
		byID[t.ID] = t
	}
	var out []outTechnique
	for _, t := range src {
		parent, _, isSub := strings.Cut(t.ID, ".")
		if t.Parent != nil && (!isSub || *t.Parent != parent) || !inactive(t) && t.IsSub != isSub {
			return nil, fmt.Errorf("technique %s: parent/sub-technique fields disagree with its id", t.ID)
		}
		if isSub && !inactive(t) {
			if p, ok := byID[parent]; !ok || inactive(p) {
				return nil, fmt.Errorf("technique %s: parent %s is missing or inactive", t.ID, parent)
			}
		}
		for _, s := range t.Tactics {
			if !shorts[s] {
				return nil, fmt.Errorf("technique %s: unknown tactic %q", t.ID, s)
			}
		}
		if t.RevokedBy != "" {
			if r, ok := byID[t.RevokedBy]; !ok || inactive(r) {
				return nil, fmt.Errorf("technique %s: replacement %s is missing or inactive", t.ID, t.RevokedBy)
			}
		} else if t.Revoked {
			return nil, fmt.Errorf("technique %s: revoked without a replacement", t.ID)
		}
		o := outTechnique{ID: t.ID, Name: t.Name, Deprecated: t.Deprecated, RevokedBy: t.RevokedBy}
		if !inactive(t) {
			o.Tactics = append([]string(nil), t.Tactics...)
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func inactive(t srcTechnique) bool { return t.Deprecated || t.Revoked || t.RevokedBy != "" }

func checkMitigations(mits []srcMitigation, techs []outTechnique) error {
	known := map[string]bool{}
	for _, t := range techs {
		known[t.ID] = t.RevokedBy == "" && !t.Deprecated
	}
	for _, m := range mits {
		for _, id := range m.Techniques {
			if !known[id] {
				return fmt.Errorf("mitigation %s: technique %s is missing or inactive", m.ID, id)
			}
		}
	}
	return nil
}

// encodeAttack writes one record per line so a data refresh diffs cleanly.
func encodeAttack(version string, tactics []srcTactic, techs []outTechnique, mits []srcMitigation) ([]byte, error) {
	sort.Slice(tactics, func(i, j int) bool { return tactics[i].Order < tactics[j].Order })
	sort.Slice(mits, func(i, j int) bool { return mits[i].ID < mits[j].ID })
	var b bytes.Buffer
	v, _ := marshal(version)
	fmt.Fprintf(&b, "{\"version\": %s,\n", v)
	var tacs []any
	for _, t := range tactics {
		tacs = append(tacs, outTactic{t.ID, t.ShortName, t.Name})
	}
	var ts, ms []any
	for _, t := range techs {
		ts = append(ts, t)
	}
	for _, m := range mits {
		ts := append([]string(nil), m.Techniques...)
		sort.Strings(ts)
		ms = append(ms, outMitigation{m.ID, m.Name, ts})
	}
	for i, sec := range []struct {
		name string
		recs []any
	}{{"tactics", tacs}, {"techniques", ts}, {"mitigations", ms}} {
		fmt.Fprintf(&b, "%q: [\n", sec.name)
		for j, r := range sec.recs {
			line, err := marshal(r)
			if err != nil {
				return nil, err
			}
			b.Write(line)
			if j < len(sec.recs)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		if i < 2 {
			b.WriteString("],\n")
		} else {
			b.WriteString("]}\n")
		}
	}
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping ("ATT&CK" stays readable).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
