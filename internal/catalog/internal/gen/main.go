// Command gen derives internal/catalog/tables.json from the research
// schema file: table names, column names, Kusto types and availability
// only. Descriptions, notes and sources stay behind, so the binary carries
// facts and no copied prose.
//
//	go run ./internal/catalog/internal/gen -in ../shared/data/schemas/tables.json -out internal/catalog/tables.json
//
// It fails, naming the table and column, on a type it cannot map, so a
// typo in the research data cannot reach the checker as a silent Unknown.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/vigil-hunt/vigil/kql/types"
)

// srcColumn is the part of a source column we keep; other fields
// (description, note) are ignored by the decoder.
type srcColumn struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	In     string `json:"in"`
	AHType string `json:"ah_type"`
}

type srcTable struct {
	Columns []srcColumn `json:"columns"`
}

// outColumn and outTable are the embedded format. The catalog package has
// its own copy of these shapes (it cannot be imported here: it does not
// compile until this program has written its tables.json).
type outColumn struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	In     string `json:"in"`
	AHType string `json:"ah_type,omitempty"`
}

type outTable struct {
	Name    string      `json:"name"`
	Columns []outColumn `json:"columns"`
}

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "research `tables.json` to read")
	out := fs.String("out", "", "compact `file` to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return errors.New("both -in and -out are required")
	}
	src, err := os.ReadFile(*in)
	if err != nil {
		return fmt.Errorf("reading source: %w", err)
	}
	data, err := generate(src)
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	return nil
}

// generate converts the source document into the compact form: a JSON
// array, sorted by table name, one table per line, columns in source order.
func generate(src []byte) ([]byte, error) {
	var doc map[string]srcTable
	if err := json.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("decoding: %w", err)
	}
	names := make([]string, 0, len(doc))
	for name := range doc {
		names = append(names, name)
	}
	sort.Strings(names)

	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, name := range names {
		t, err := convertTable(name, doc[name])
		if err != nil {
			return nil, err
		}
		line, err := json.Marshal(t)
		if err != nil {
			return nil, fmt.Errorf("table %s: encoding: %w", name, err)
		}
		buf.Write(line)
		if i < len(names)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]\n")
	return buf.Bytes(), nil
}

func convertTable(name string, src srcTable) (outTable, error) {
	if name == "" {
		return outTable{}, errors.New("table with an empty name")
	}
	if len(src.Columns) == 0 {
		return outTable{}, fmt.Errorf("table %s: no columns", name)
	}
	t := outTable{Name: name, Columns: make([]outColumn, 0, len(src.Columns))}
	seen := make(map[string]bool, len(src.Columns))
	for _, c := range src.Columns {
		oc, err := convertColumn(c)
		if err != nil {
			return outTable{}, fmt.Errorf("table %s, column %q: %w", name, c.Name, err)
		}
		if seen[oc.Name] {
			return outTable{}, fmt.Errorf("table %s, column %q: listed twice", name, c.Name)
		}
		seen[oc.Name] = true
		t.Columns = append(t.Columns, oc)
	}
	return t, nil
}

// convertColumn validates one column and writes its types in canonical
// spelling; ah_type is dropped when it names the same type as type.
func convertColumn(c srcColumn) (outColumn, error) {
	if c.Name == "" {
		return outColumn{}, errors.New("empty column name")
	}
	typ, ok := types.Lookup(c.Type)
	if !ok {
		return outColumn{}, fmt.Errorf("unknown type %q", c.Type)
	}
	switch c.In {
	case "both", "advanced_hunting", "sentinel":
	default:
		return outColumn{}, fmt.Errorf("unknown availability %q", c.In)
	}
	oc := outColumn{Name: c.Name, Type: typ.String(), In: c.In}
	if c.AHType != "" {
		ah, ok := types.Lookup(c.AHType)
		if !ok {
			return outColumn{}, fmt.Errorf("unknown ah_type %q", c.AHType)
		}
		if ah != typ {
			oc.AHType = ah.String()
		}
	}
	return oc, nil
}
