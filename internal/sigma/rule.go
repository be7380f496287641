package sigma

// This file holds the rule model and reads a rule from its YAML: the
// metadata, the log source and the detection's named searches.

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Rule is a parsed Sigma rule.
type Rule struct {
	Title       string
	ID          string
	Status      string // stable, test, experimental, deprecated, unsupported
	Description string
	Level       string // informational, low, medium, high, critical
	Author      string
	License     string // the rule's own license field, usually empty
	References  []string
	Tags        []string
	Logsource   Logsource
	Detection   Detection
}

// Logsource names the events a rule reads.
type Logsource struct {
	Product, Service, Category string
}

// Detection is the rule's named searches and the condition over them.
type Detection struct {
	// Searches by name, in file order.
	Searches []*Search
	// Condition is the condition expression; several (a YAML list) are
	// joined with or, as the specification says.
	Condition Expr
	// Timeframe is set by aggregation rules; conversion refuses them.
	Timeframe string
}

// Search is one named search identifier: a selection (AND of field
// items) or a list of them (OR), or keywords.
type Search struct {
	Name string
	// Alternatives are OR-ed; the items of each are AND-ed. A list of
	// keywords is one alternative of one keyword item.
	Alternatives [][]*Item
}

// Item is one field test: field|mod1|mod2: values. Field is empty for
// keywords. Values are OR-ed, or AND-ed with the all modifier.
type Item struct {
	Field     string
	Modifiers []string // lower case, in order
	Values    []Value
}

// ValueKind tells a YAML scalar's type.
type ValueKind uint8

// The kinds of values.
const (
	String ValueKind = iota
	Number
	Bool
	Null
)

// Value is a scalar of a field item; Text is its source text (a number
// keeps its spelling: 0x3e7, 50053).
type Value struct {
	Kind ValueKind
	Text string
}

// Search finds a search by name.
func (d *Detection) Search(name string) (*Search, bool) {
	for _, s := range d.Searches {
		if s.Name == name {
			return s, true
		}
	}
	return nil, false
}

// ruleDoc is the YAML shape of the metadata.
type ruleDoc struct {
	Title       string   `yaml:"title"`
	ID          string   `yaml:"id"`
	Status      string   `yaml:"status"`
	Description string   `yaml:"description"`
	Level       string   `yaml:"level"`
	Author      string   `yaml:"author"`
	License     string   `yaml:"license"`
	References  []string `yaml:"references"`
	Tags        []string `yaml:"tags"`
	RawLog      struct {
		Product  string `yaml:"product"`
		Service  string `yaml:"service"`
		Category string `yaml:"category"`
	} `yaml:"logsource"`
	Detection   yaml.Node `yaml:"detection"`
	Correlation yaml.Node `yaml:"correlation"`
	Action      string    `yaml:"action"`
}

// Parse reads a rule. A file of several YAML documents (rule collections
// with action: global, correlation rules) is refused with an *Error.
func Parse(data []byte) (*Rule, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc ruleDoc
	if err := dec.Decode(&doc); err != nil {
		return nil, errorf("yaml", "yaml: %v", err)
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, errorf("multi-document", "a rule collection of several YAML documents is not supported")
	}
	if doc.Correlation.Kind != 0 || doc.Action != "" {
		return nil, errorf("correlation", "correlation rules and rule collections are not supported")
	}
	if doc.Title == "" || doc.Detection.Kind == 0 {
		return nil, errorf("yaml", "not a Sigma rule: title and detection are required")
	}
	r := &Rule{Title: doc.Title, ID: doc.ID, Status: strings.ToLower(doc.Status), Description: doc.Description,
		Level: strings.ToLower(doc.Level), Author: doc.Author, License: doc.License, References: doc.References,
		Tags: doc.Tags, Logsource: Logsource{Product: strings.ToLower(doc.RawLog.Product),
			Service: strings.ToLower(doc.RawLog.Service), Category: strings.ToLower(doc.RawLog.Category)}}
	det, err := parseDetection(&doc.Detection)
	if err != nil {
		return nil, err
	}
	r.Detection = *det
	return r, nil
}

// parseDetection reads the detection mapping.
func parseDetection(n *yaml.Node) (*Detection, error) {
	if n.Kind != yaml.MappingNode {
		return nil, errorf("detection", "detection is not a mapping")
	}
	d := &Detection{}
	var conds []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i].Value, n.Content[i+1]
		switch key {
		case "condition":
			cs, err := conditionTexts(val)
			if err != nil {
				return nil, err
			}
			conds = cs
		case "timeframe":
			d.Timeframe = val.Value
		default:
			s, err := parseSearch(key, val)
			if err != nil {
				return nil, err
			}
			d.Searches = append(d.Searches, s)
		}
	}
	if len(conds) == 0 {
		return nil, errorf("condition", "detection has no condition")
	}
	var err error
	if d.Condition, err = parseConditions(conds); err != nil {
		return nil, err
	}
	return d, nil
}

func conditionTexts(n *yaml.Node) ([]string, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		return []string{n.Value}, nil
	case yaml.SequenceNode:
		var out []string
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return nil, errorf("condition", "condition list holds a non-string")
			}
			out = append(out, c.Value)
		}
		return out, nil
	}
	return nil, errorf("condition", "condition is neither a string nor a list")
}

// parseSearch reads one search identifier: a map, a list of maps, or
// keywords (a list of scalars or one scalar).
func parseSearch(name string, n *yaml.Node) (*Search, error) {
	s := &Search{Name: name}
	switch n.Kind {
	case yaml.MappingNode:
		items, err := parseSelection(name, n)
		if err != nil {
			return nil, err
		}
		s.Alternatives = [][]*Item{items}
	case yaml.SequenceNode:
		var kw []Value
		for _, c := range n.Content {
			switch c.Kind {
			case yaml.MappingNode:
				items, err := parseSelection(name, c)
				if err != nil {
					return nil, err
				}
				s.Alternatives = append(s.Alternatives, items)
			case yaml.ScalarNode:
				kw = append(kw, scalar(c))
			default:
				return nil, errorf("detection", "search %s: list element is neither a map nor a value", name)
			}
		}
		if len(kw) > 0 {
			if len(s.Alternatives) > 0 {
				return nil, errorf("detection", "search %s mixes keywords and field maps", name)
			}
			s.Alternatives = [][]*Item{{{Values: kw}}}
		}
	case yaml.ScalarNode:
		s.Alternatives = [][]*Item{{{Values: []Value{scalar(n)}}}}
	default:
		return nil, errorf("detection", "search %s has an unexpected shape", name)
	}
	if len(s.Alternatives) == 0 {
		return nil, errorf("detection", "search %s is empty", name)
	}
	return s, nil
}

// parseSelection reads a map of field items.
func parseSelection(name string, n *yaml.Node) ([]*Item, error) {
	var items []*Item
	for i := 0; i+1 < len(n.Content); i += 2 {
		parts := strings.Split(n.Content[i].Value, "|")
		it := &Item{Field: parts[0]}
		for _, m := range parts[1:] {
			it.Modifiers = append(it.Modifiers, strings.ToLower(strings.TrimSpace(m)))
		}
		val := n.Content[i+1]
		switch val.Kind {
		case yaml.ScalarNode:
			it.Values = []Value{scalar(val)}
		case yaml.SequenceNode:
			for _, c := range val.Content {
				if c.Kind != yaml.ScalarNode {
					return nil, errorf("detection", "search %s: field %s holds a nested structure", name, it.Field)
				}
				it.Values = append(it.Values, scalar(c))
			}
			if len(it.Values) == 0 {
				return nil, errorf("detection", "search %s: field %s has an empty list", name, it.Field)
			}
		default:
			return nil, errorf("detection", "search %s: field %s holds a nested structure", name, it.Field)
		}
		items = append(items, it)
	}
	return items, nil
}

// scalar reads a YAML scalar with its type.
func scalar(n *yaml.Node) Value {
	switch n.ShortTag() {
	case "!!null":
		return Value{Kind: Null}
	case "!!int", "!!float":
		return Value{Kind: Number, Text: n.Value}
	case "!!bool":
		return Value{Kind: Bool, Text: strings.ToLower(n.Value)}
	}
	return Value{Kind: String, Text: n.Value}
}
