package finding

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// checker is a small JSON Schema validator covering the keywords
// finding.schema.json uses: type, required, properties,
// additionalProperties, items, enum, minimum, maximum, minLength, pattern,
// format date-time and local $ref.
type checker struct {
	root map[string]any
	errs []string
}

func (c *checker) check(path string, s map[string]any, v any) {
	if ref, ok := s["$ref"].(string); ok {
		c.check(path, c.resolve(ref), v)
	}
	if t, ok := s["type"].(string); ok && !hasType(t, v) {
		c.errs = append(c.errs, fmt.Sprintf("%s: want %s, got %T", path, t, v))
		return
	}
	if enum, ok := s["enum"].([]any); ok && !inEnum(enum, v) {
		c.errs = append(c.errs, fmt.Sprintf("%s: %v is not one of %v", path, v, enum))
	}
	c.scalar(path, s, v)
	switch x := v.(type) {
	case map[string]any:
		c.object(path, s, x)
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range x {
				c.check(fmt.Sprintf("%s[%d]", path, i), items, e)
			}
		}
	}
}

func (c *checker) scalar(path string, s map[string]any, v any) {
	if n, ok := v.(float64); ok {
		if min, ok := s["minimum"].(float64); ok && n < min {
			c.errs = append(c.errs, fmt.Sprintf("%s: %v < minimum %v", path, n, min))
		}
		if max, ok := s["maximum"].(float64); ok && n > max {
			c.errs = append(c.errs, fmt.Sprintf("%s: %v > maximum %v", path, n, max))
		}
	}
	str, ok := v.(string)
	if !ok {
		return
	}
	if ml, ok := s["minLength"].(float64); ok && float64(len(str)) < ml {
		c.errs = append(c.errs, fmt.Sprintf("%s: shorter than %v", path, ml))
	}
	if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
		c.errs = append(c.errs, fmt.Sprintf("%s: %q does not match %s", path, str, p))
	}
	if s["format"] == "date-time" {
		if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
			c.errs = append(c.errs, fmt.Sprintf("%s: %q is not a date-time", path, str))
		}
	}
}

func (c *checker) object(path string, s map[string]any, obj map[string]any) {
	req, _ := s["required"].([]any)
	for _, r := range req {
		if _, ok := obj[r.(string)]; !ok {
			c.errs = append(c.errs, fmt.Sprintf("%s: missing required %q", path, r))
		}
	}
	props, _ := s["properties"].(map[string]any)
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if ps, ok := props[k].(map[string]any); ok {
			c.check(path+"."+k, ps, obj[k])
			continue
		}
		switch ap := s["additionalProperties"].(type) {
		case bool:
			if !ap {
				c.errs = append(c.errs, fmt.Sprintf("%s: unexpected property %q", path, k))
			}
		case map[string]any:
			c.check(path+"."+k, ap, obj[k])
		}
	}
}

func (c *checker) resolve(ref string) map[string]any {
	name := strings.TrimPrefix(ref, "#/$defs/")
	defs := c.root["$defs"].(map[string]any)
	return defs[name].(map[string]any)
}

func hasType(t string, v any) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "integer":
		n, ok := v.(float64)
		return ok && n == float64(int64(n))
	case "number":
		_, ok := v.(float64)
		return ok
	}
	return false
}

func inEnum(enum []any, v any) bool {
	for _, e := range enum {
		if e == v {
			return true
		}
	}
	return false
}

func schemaErrors(t *testing.T, v any) []string {
	t.Helper()
	var root map[string]any
	if err := json.Unmarshal(Schema(), &root); err != nil {
		t.Fatalf("schema: %v", err)
	}
	c := &checker{root: root}
	c.check("$", root, v)
	return c.errs
}

func asJSON(t *testing.T, f Finding) map[string]any {
	t.Helper()
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestProducedFindingsMatchSchema(t *testing.T) {
	fs := []Finding{hunterFinding(t), agentFinding(t), sigmaFinding(t)}
	fs = append(fs, Merge(fs)...)
	for i, f := range fs {
		if errs := schemaErrors(t, asJSON(t, f)); len(errs) > 0 {
			t.Errorf("finding %d: %s", i, strings.Join(errs, "\n"))
		}
	}
}

func TestSchemaRejects(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(m map[string]any)
		want   string
	}{
		{"severity", func(m map[string]any) { m["severity"] = "urgent" }, "$.severity"},
		{"missing title", func(m map[string]any) { delete(m, "title") }, `missing required "title"`},
		{"score", func(m map[string]any) { m["confidence"].(map[string]any)["score"] = 101.0 }, "maximum"},
		{"fraction", func(m map[string]any) { m["risk_score"] = 1.5 }, "want integer"},
		{"technique id", func(m map[string]any) { m["technique"].(map[string]any)["id"] = "T10" }, "does not match"},
		{"unknown field", func(m map[string]any) { m["color"] = "red" }, `unexpected property "color"`},
		{"time", func(m map[string]any) { m["first_seen"] = "yesterday" }, "date-time"},
		{"ioc type", func(m map[string]any) { m["iocs"].([]any)[0].(map[string]any)["type"] = "email" }, "$.iocs[0].type"},
		{"props", func(m map[string]any) {
			m["entities"].([]any)[0].(map[string]any)["props"] = map[string]any{"n": 1.0}
		}, "$.entities[0].props.n"},
	}
	for _, tc := range cases {
		m := asJSON(t, hunterFinding(t))
		tc.mutate(m)
		errs := strings.Join(schemaErrors(t, m), "\n")
		if !strings.Contains(errs, tc.want) {
			t.Errorf("%s: errors %q do not mention %q", tc.name, errs, tc.want)
		}
	}
}

// TestSchemaCoversModel keeps the schema and the Go structs in step: every
// JSON field of a struct is a property of its schema object and the other
// way round, and required fields are the ones without omitempty.
func TestSchemaCoversModel(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(Schema(), &root); err != nil {
		t.Fatal(err)
	}
	defs := root["$defs"].(map[string]any)
	pairs := map[string]any{"": Finding{}, "confidence": Confidence{}, "attackRef": AttackRef{}, "entity": Entity{},
		"ioc": hunterFinding(t).IOCs[0], "cell": *hunterFinding(t).IOCs[0].FirstSeen, "evidence": Evidence{},
		"rowRef": RowRef{}, "event": Event{}, "recommendation": Recommendation{}, "action": Action{}, "producer": Producer{}}
	for def, v := range pairs {
		s := root
		if def != "" {
			s = defs[def].(map[string]any)
		}
		props := s["properties"].(map[string]any)
		required := map[string]bool{}
		for _, r := range s["required"].([]any) {
			required[r.(string)] = true
		}
		typ := reflect.TypeOf(v)
		seen := map[string]bool{}
		for i := 0; i < typ.NumField(); i++ {
			tag := typ.Field(i).Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			seen[name] = true
			if _, ok := props[name]; !ok {
				t.Errorf("%s: field %s missing from the schema", typ.Name(), name)
			}
			if omit := strings.Contains(opts, "omitempty"); omit == required[name] {
				t.Errorf("%s.%s: omitempty=%v but required=%v", typ.Name(), name, omit, required[name])
			}
		}
		for name := range props {
			if !seen[name] {
				t.Errorf("%s: schema property %s has no field", typ.Name(), name)
			}
		}
	}
}
