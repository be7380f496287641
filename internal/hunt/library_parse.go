package hunt

// This file parses a hunt file: the "// key: value" header block, and the
// top-level lets that declare its parameters.

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
)

// Parameters a hunt may declare as top-level lets; the runner binds them.
// Lists are dynamic arrays of lower-case strings; empty means unscoped.
const (
	ParamStart         = "start"          // datetime: the plan's start
	ParamEnd           = "end"            // datetime: the plan's end
	ParamBaselineStart = "baseline_start" // datetime: start less the hunt's baseline
	ParamDevices       = "devices"        // device names, short and FQDN
	ParamAccounts      = "accounts"       // user names, UPNs and DOMAIN\user forms
	ParamIPs           = "ips"
	ParamDomains       = "domains"
	ParamURLs          = "urls"
	ParamHashes        = "hashes"
	ParamFiles         = "files" // base names
)

// scopeParams maps entity kinds to the parameter that scopes by them.
var scopeParams = map[string]string{
	KindDevice: ParamDevices, KindAccount: ParamAccounts, KindIP: ParamIPs, KindDomain: ParamDomains,
	KindURL: ParamURLs, KindHash: ParamHashes, KindFile: ParamFiles,
}

var knownParams = []string{ParamStart, ParamEnd, ParamBaselineStart, ParamDevices, ParamAccounts,
	ParamIPs, ParamDomains, ParamURLs, ParamHashes, ParamFiles}

// ParseHunt reads a hunt file. name is used in errors and kept as Source.
func ParseHunt(name, text string) (*Hunt, error) {
	h := &Hunt{Source: name, KQL: text, Kind: KindHunt, Confidence: 50, Settings: map[string]string{}}
	fields, err := headerFields(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var errs []error
	for _, f := range fields {
		if err := h.set(f.key, f.value); err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", f.line, err))
		}
	}
	errs = append(errs, h.validate()...)
	if err := h.findParams(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s: %w", name, errors.Join(errs...))
	}
	return h, nil
}

type headerField struct {
	key, value string
	line       int
}

// headerFields reads the leading comment block: "// key: value" lines,
// continued by lines indented two or more spaces after the slashes.
func headerFields(text string) ([]headerField, error) {
	var out []headerField
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "//")
		if !ok {
			if strings.TrimSpace(line) == "" && len(out) == 0 {
				continue
			}
			break
		}
		if strings.TrimSpace(rest) == "" {
			continue
		}
		if strings.HasPrefix(rest, "   ") && len(out) > 0 {
			out[len(out)-1].value += " " + strings.TrimSpace(rest)
			continue
		}
		k, v, ok := strings.Cut(rest, ":")
		key := strings.ToLower(strings.TrimSpace(k))
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			continue // prose in the header
		}
		out = append(out, headerField{key: key, value: strings.TrimSpace(v), line: i + 1})
	}
	if len(out) == 0 {
		return nil, errors.New("no metadata header (// id: …)")
	}
	return out, nil
}

// list splits a comma- or space-separated header value.
func list(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == ';' })
}

func (h *Hunt) set(key, v string) error {
	switch key {
	case "id":
		h.ID = v
	case "title":
		h.Title = v
	case "description":
		h.Description = v
	case "kind":
		h.Kind = strings.ToLower(v)
	case "tables":
		h.Tables = list(v)
	case "techniques", "technique", "attack":
		for _, t := range list(v) {
			h.Techniques = append(h.Techniques, strings.ToUpper(t))
		}
	case "tactic":
		h.Tactic = strings.ToLower(v)
	case "intents":
		h.Intents = list(v)
	case "severity":
		h.Severity = finding.Severity(strings.ToLower(v))
	case "confidence":
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100 {
			return fmt.Errorf("confidence %q is not 0–100", v)
		}
		h.Confidence = n
	case "analyser", "analyzer":
		h.Analyser = v
	case "entities":
		h.Entities = list(v)
	case "baseline":
		d, err := time.ParseDuration(strings.Replace(v, "d", "h", 1))
		if strings.HasSuffix(v, "d") {
			d *= 24
		}
		if err != nil || d < 0 {
			return fmt.Errorf("baseline %q is not a duration such as 7d or 12h", v)
		}
		h.Baseline = d
	case "settings":
		for _, kv := range list(v) {
			k, val, ok := strings.Cut(kv, "=")
			if !ok {
				return fmt.Errorf("setting %q is not name=value", kv)
			}
			h.Settings[k] = val
		}
	default:
		return fmt.Errorf("unknown header key %q", key)
	}
	return nil
}

// validate checks the fields a hunt must have.
func (h *Hunt) validate() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if h.ID == "" || strings.ContainsAny(h.ID, " \t/\\") {
		bad("id %q is missing or has spaces or slashes", h.ID)
	}
	if h.Title == "" || h.Description == "" {
		bad("title and description are required")
	}
	if h.Kind != KindHunt && h.Kind != KindPivot && h.Kind != KindContext {
		bad("kind %q is not hunt, pivot or context", h.Kind)
	}
	if len(h.Tables) == 0 {
		bad("tables are required")
	}
	if h.Severity.Rank() == 0 {
		bad("severity %q is not informational, low, medium, high or critical", h.Severity)
	}
	if _, ok := analysers[h.Analyser]; !ok {
		bad("unknown analyser %q", h.Analyser)
	}
	if h.Kind == KindHunt && len(h.Techniques) == 0 {
		bad("a hunt names at least one ATT&CK technique")
	}
	if h.Kind == KindHunt && len(h.Intents) == 0 {
		bad("a hunt serves at least one intent")
	}
	for _, in := range h.Intents {
		if in != IntentTriage && intentRank(in) == len(intentInfos) {
			bad("unknown intent %q", in)
		}
	}
	for _, k := range h.Entities {
		if _, ok := scopeParams[k]; !ok {
			bad("unknown entity kind %q", k)
		}
	}
	return errs
}

// findParams records the top-level lets naming known parameters, and
// checks that each entity kind the hunt claims has its parameter.
func (h *Hunt) findParams() error {
	f := token.NewFile(h.Source, h.KQL)
	q, err := parser.Parse(f)
	if err != nil {
		return fmt.Errorf("syntax: %w", err)
	}
	h.lets = map[string]valueSpan{}
	for _, st := range q.Stmts {
		let, ok := st.(*ast.LetStmt)
		if !ok || !slices.Contains(knownParams, let.Name.Name) {
			continue
		}
		if _, dup := h.lets[let.Name.Name]; dup {
			return fmt.Errorf("parameter %s is declared twice", let.Name.Name)
		}
		h.lets[let.Name.Name] = valueSpan{let.Value.Pos().Offset(), let.Value.End().Offset()}
		h.Params = append(h.Params, let.Name.Name)
	}
	for _, k := range h.Entities {
		if p := scopeParams[k]; !h.declares(p) {
			return fmt.Errorf("entity kind %s needs a let %s parameter", k, p)
		}
	}
	if h.Baseline > 0 && !h.declares(ParamBaselineStart) {
		return fmt.Errorf("a baseline needs a let %s parameter", ParamBaselineStart)
	}
	return nil
}

// declares reports whether the hunt declares parameter p.
func (h *Hunt) declares(p string) bool {
	_, ok := h.lets[p]
	return ok
}
