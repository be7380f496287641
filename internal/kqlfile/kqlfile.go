// Package kqlfile reads KQL queries from the files detection engineers keep
// them in: plain query files (.kql, .csl, anything else) and Sentinel
// analytic-rule and hunting-query YAML files, whose query: field holds the
// KQL. Each query comes back as a token.File whose positions map to lines
// and columns of the original file, so diagnostics point into the YAML.
package kqlfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/vigil-hunt/vigil/kql/token"
)

// Query is one KQL query read from a file.
type Query struct {
	// File holds the query text and maps its positions to the source file.
	File *token.File
	// Name is the rule's name: field for YAML rules, "" otherwise.
	Name string
	// ID is the rule's id: field for YAML rules, "" otherwise.
	ID string
}

// ErrNoQuery is returned for a YAML file without a query: field.
var ErrNoQuery = errors.New("no query: field")

// Read reads the queries in the file at path; "-" reads standard input
// (as plain KQL). YAML files (.yaml, .yml) yield their query: field.
func Read(path string, stdin io.Reader) ([]Query, error) {
	var (
		data []byte
		err  error
		name = path
	)
	if path == "-" {
		name = "<stdin>"
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		if path == "-" {
			return nil, fmt.Errorf("read standard input: %w", err)
		}
		return nil, err // an *fs.PathError already names the file
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		q, err := ParseYAML(name, data)
		if err != nil {
			return nil, err
		}
		return []Query{q}, nil
	}
	return []Query{{File: token.NewFile(name, string(data))}}, nil
}

// ParseYAML extracts the query: field of a Sentinel rule or hunting query.
// Block scalars (query: | and query: >) are de-indented line by line from
// the raw file so that every position maps back exactly; the text is the
// same as the YAML value for the literal style, and keeps line breaks for
// the folded style (KQL does not care, and comments stay on their lines).
func ParseYAML(name string, data []byte) (Query, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Query{}, fmt.Errorf("%s: %w", name, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return Query{}, fmt.Errorf("%s: not a YAML mapping", name)
	}
	m := doc.Content[0]
	var q Query
	var query *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		switch k.Value {
		case "query":
			query = v
		case "name":
			q.Name = v.Value
		case "id":
			q.ID = v.Value
		}
	}
	if query == nil || query.Kind != yaml.ScalarNode {
		return Query{}, fmt.Errorf("%s: %w", name, ErrNoQuery)
	}
	q.File = queryFile(name, data, query)
	return q, nil
}

// queryFile builds the token.File for a query scalar node.
func queryFile(name string, data []byte, n *yaml.Node) *token.File {
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		f := token.NewFile(name, n.Value)
		f.LineOffset = n.Line - 1
		f.FirstColumnOffset = n.Column - 1
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			f.FirstColumnOffset++
		}
		return f
	}
	// The block's content starts on the line after the indicator (n.Line)
	// and runs while lines are blank or indented at least as deep as the
	// first content line.
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	start := n.Line // 0-based index of the line after the indicator
	indent := -1
	end := start
	for i := start; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" {
			end = i + 1
			continue
		}
		ind := len(l) - len(strings.TrimLeft(l, " "))
		if indent < 0 {
			indent = ind
		}
		if ind < indent {
			break
		}
		end = i + 1
	}
	if indent < 0 {
		indent = 0
	}
	var b bytes.Buffer
	for i := start; i < end; i++ {
		l := lines[i]
		if len(l) >= indent {
			l = l[indent:]
		} else {
			l = ""
		}
		b.WriteString(l)
		if i < end-1 {
			b.WriteByte('\n')
		}
	}
	text := strings.TrimRight(b.String(), "\n ")
	f := token.NewFile(name, text)
	f.LineOffset = start
	f.ColumnOffset = indent
	f.FirstColumnOffset = indent
	return f
}
