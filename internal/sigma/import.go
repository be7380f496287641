package sigma

// This file imports a directory of rules: every .yml / .yaml file is
// parsed and compiled; what converts becomes an ImportedHunt carrying the
// rule's attribution, what does not is reported with its reason.

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/finding/attack"
)

// Result is the outcome of an import.
type Result struct {
	Hunts   []ImportedHunt // converted rules, by path
	Skipped []Skip         // rules not converted, by path
}

// ImportedHunt is a rule converted to a hunt of the library.
type ImportedHunt struct {
	ID          string // library id: sigma-<file name>
	RuleID      string // the rule's own id
	Title       string
	Description string
	Path        string // rule file, relative to the imported directory, slash-separated
	Source      string // log source key: process_creation, signinlogs, …
	Table       string
	KQL         string   // the query, with the library's parameters as lets
	Techniques  []string // ATT&CK ids: catalogued ones first, then ids the catalog lacks
	Tactic      string
	Intents     []string
	Entities    []string
	Severity    finding.Severity // from the rule's level
	Confidence  int              // from the rule's status
	Author      string
	Link        string // the rule on GitHub for SigmaHQ rules, else its first reference, else its id
	License     string // the licence and what it asks of users of the rule
	Notes       []string
}

// Skip is a rule that was not converted.
type Skip struct {
	Path   string
	Source string // log source key, "" when the rule could not be read
	Kind   string // groups reasons: logsource, field, modifier, regex, …
	Reason string
}

// drlNote is what the Detection Rule License asks of findings.
const drlNote = "Detection Rule License (DRL) 1.1 (https://github.com/SigmaHQ/Detection-Rule-License): " +
	"findings must keep the rule's author(s) and a link to the rule"

// Import reads every rule under dir (recursively, in path order).
func Import(dir string) (*Result, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		ext := strings.ToLower(filepath.Ext(p))
		if !d.IsDir() && (ext == ".yml" || ext == ".yaml") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	res := &Result{}
	ids := map[string]bool{}
	cat := attack.Default()
	for _, p := range paths {
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		h, src, err := importFile(cat, p, rel)
		if err != nil {
			sk := skipFor(rel, err)
			sk.Source = src
			res.Skipped = append(res.Skipped, sk)
			continue
		}
		h.ID = uniqueID(ids, h.ID, h.RuleID)
		res.Hunts = append(res.Hunts, *h)
	}
	return res, nil
}

func skipFor(path string, err error) Skip {
	if e, ok := asError(err); ok {
		return Skip{Path: path, Kind: e.Kind, Reason: err.Error()}
	}
	return Skip{Path: path, Kind: "error", Reason: err.Error()}
}

// importFile reads and converts one rule file; src is its log source
// key once it is read.
func importFile(cat *attack.Catalog, path, rel string) (h *ImportedHunt, src string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	r, err := Parse(data)
	if err != nil {
		return nil, "", err
	}
	src = sourceKey(r.Logsource)
	link, license := provenance(path, r)
	author := strings.TrimSpace(r.Author)
	if author == "" {
		author = "unknown author"
	}
	q, err := Compile(r, Attribution{Title: r.Title, RuleID: r.ID, Author: author, Link: link})
	if err != nil {
		return nil, src, err
	}
	known, unknown, notes := techniques(cat, r.Tags)
	h = &ImportedHunt{ID: "sigma-" + slug(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))),
		RuleID: r.ID, Title: r.Title, Description: oneLine(r.Description), Path: rel, Source: q.Source, Table: q.Table,
		KQL: q.KQL, Techniques: append(known, unknown...), Entities: q.Entities, Severity: severity(r.Level),
		Confidence: confidence(r.Status), Author: author, Link: link, License: license,
		Notes: append(notes, q.Notes...)}
	if len(known) > 0 {
		h.Tactic = tactic(cat, r.Tags, known[0])
	}
	h.Intents = intents(q.Table, r.Tags, known)
	if license == "" {
		h.Notes = append(h.Notes, "the rule names no licence; check its source's terms before sharing")
	}
	return h, src, nil
}

func asError(err error) (*Error, bool) {
	for err != nil {
		if e, ok := err.(*Error); ok {
			return e, true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return nil, false
		}
		err = u.Unwrap()
	}
	return nil, false
}

var sigmaHQFolder = regexp.MustCompile(`^(rules(-[a-z-]+)?|deprecated|unsupported)$`)

// provenance gives the rule's link and licence. A rule from a SigmaHQ
// checkout (a rules* folder with LICENSE.Detection.Rules.md beside it)
// links to its file in SigmaHQ/sigma; others link to their first
// reference, else their id.
func provenance(path string, r *Rule) (link, license string) {
	abs, err := filepath.Abs(path)
	if err == nil {
		for d := filepath.Dir(abs); d != filepath.Dir(d); d = filepath.Dir(d) {
			if !sigmaHQFolder.MatchString(filepath.Base(d)) {
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(d), "LICENSE.Detection.Rules.md")); err == nil {
				rel, _ := filepath.Rel(filepath.Dir(d), abs)
				return "https://github.com/SigmaHQ/sigma/blob/master/" + filepath.ToSlash(rel), drlNote
			}
		}
	}
	switch {
	case strings.Contains(strings.ToUpper(r.License), "DRL"):
		license = drlNote
	case r.License != "":
		license = r.License
	}
	if len(r.References) > 0 {
		return strings.TrimSpace(r.References[0]), license
	}
	if r.ID != "" {
		return "urn:uuid:" + r.ID, license
	}
	return "", license
}

// uniqueID keeps library ids unique: a clash gets the rule id's first
// eight characters.
func uniqueID(seen map[string]bool, id, ruleID string) string {
	if seen[id] {
		base := id
		if suffix := slug(ruleID); suffix != "" {
			base += "-" + suffix[:min(8, len(suffix))]
		}
		id = base
		for n := 2; seen[id]; n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
	}
	seen[id] = true
	return id
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug lower-cases s and joins its words with hyphens.
func slug(s string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// severity maps a Sigma level; an unknown level is medium.
func severity(level string) finding.Severity {
	s := finding.Severity(level)
	if s.Rank() == 0 {
		return finding.Medium
	}
	return s
}

// confidence is the base confidence of a finding by the rule's status.
func confidence(status string) int {
	switch status {
	case "stable":
		return 70
	case "test":
		return 60
	case "experimental":
		return 50
	}
	return 40
}
