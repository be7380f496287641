// Package sarif writes diagnostics as a SARIF 2.1.0 log, the format code
// scanning in CI systems reads, so that `vigil kql check` can annotate
// detection rules in pull requests.
package sarif

import (
	"encoding/json"
	"io"
	"path/filepath"
	"sort"
	"unicode/utf8"
)

// Version is the SARIF version written.
const Version = "2.1.0"

const schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

// Result is one diagnostic. Lines are 1-based; columns are 1-based byte
// columns on LineText, converted to the Unicode code point columns the log
// declares.
type Result struct {
	RuleID    string
	Level     string // "error", "warning" or "note"
	Message   string
	File      string
	Line      int
	Column    int
	EndLine   int
	EndColumn int
	// LineText is the source line of Line (for the column conversion); an
	// empty LineText keeps byte columns.
	LineText    string
	EndLineText string
}

// Rule describes a RuleID for the tool's driver section.
type Rule struct {
	ID   string
	Text string
}

// Write writes a SARIF log with one run of the named tool.
func Write(w io.Writer, tool, version, infoURI string, rules []Rule, results []Result) error {
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	lg := log{Version: Version, Schema: schemaURI}
	r := run{ColumnKind: "unicodeCodePoints", Results: []result{}}
	r.Tool.Driver = driver{Name: tool, Version: version, InformationURI: infoURI}
	for _, ru := range rules {
		r.Tool.Driver.Rules = append(r.Tool.Driver.Rules, rule{ID: ru.ID, ShortDescription: message{Text: ru.Text}})
	}
	for _, res := range results {
		reg := region{StartLine: res.Line, StartColumn: codePointColumn(res.LineText, res.Column)}
		if res.EndLine > 0 {
			reg.EndLine = res.EndLine
			reg.EndColumn = codePointColumn(res.EndLineText, res.EndColumn)
		}
		loc := location{}
		loc.PhysicalLocation.ArtifactLocation.URI = filepath.ToSlash(res.File)
		loc.PhysicalLocation.Region = reg
		r.Results = append(r.Results, result{
			RuleID: res.RuleID, Level: res.Level, Message: message{Text: res.Message},
			Locations: []location{loc},
		})
	}
	lg.Runs = []run{r}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(lg)
}

// codePointColumn converts a 1-based byte column on line to a 1-based code
// point column.
func codePointColumn(line string, col int) int {
	if line == "" || col <= 1 {
		return col
	}
	if col-1 > len(line) {
		return utf8.RuneCountInString(line) + (col - 1 - len(line)) + 1
	}
	return utf8.RuneCountInString(line[:col-1]) + 1
}

type log struct {
	Version string `json:"version"`
	Schema  string `json:"$schema"`
	Runs    []run  `json:"runs"`
}

type run struct {
	Tool struct {
		Driver driver `json:"driver"`
	} `json:"tool"`
	ColumnKind string   `json:"columnKind"`
	Results    []result `json:"results"`
}

type driver struct {
	Name           string `json:"name"`
	Version        string `json:"version,omitempty"`
	InformationURI string `json:"informationUri,omitempty"`
	Rules          []rule `json:"rules,omitempty"`
}

type rule struct {
	ID               string  `json:"id"`
	ShortDescription message `json:"shortDescription"`
}

type message struct {
	Text string `json:"text"`
}

type result struct {
	RuleID    string     `json:"ruleId"`
	Level     string     `json:"level"`
	Message   message    `json:"message"`
	Locations []location `json:"locations"`
}

type location struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region region `json:"region"`
	} `json:"physicalLocation"`
}

type region struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}
