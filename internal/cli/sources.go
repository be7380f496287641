package cli

// This file opens the remote sources configured in config.yaml (Log
// Analytics / Sentinel, Defender advanced hunting, Azure Data Explorer) so
// that vigil hunt --source NAME hunts them with the same KQL.

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/hunt"
	"github.com/vigil-hunt/vigil/internal/source"
	"github.com/vigil-hunt/vigil/kql/engine"
)

// namedRunner is one place a hunt runs.
type namedRunner struct {
	name string
	r    hunt.Runner
}

// openSources opens the named sources of config.yaml's sources section
// (a list of {name, kind, workspace_id, tenant_id, …}; snake_case keys
// are accepted for the source package's field names).
func openSources(names []string) (map[string]source.Source, error) {
	dir, err := stateDir()
	if err != nil {
		return nil, err
	}
	cfg, err := loadConfig(dir)
	if err != nil {
		return nil, err
	}
	raw, ok := cfg.sections["sources"].([]any)
	if !ok {
		return nil, usageErr("--source: %s has no sources list", cfg.path)
	}
	var sc source.Config
	b, err := json.Marshal(unsnake(raw))
	if err == nil {
		err = json.Unmarshal(b, &sc.Sources)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: sources: %w", cfg.path, err)
	}
	all, err := source.Open(sc, source.Deps{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.path, err)
	}
	out := map[string]source.Source{}
	for _, n := range names {
		s, ok := all[n]
		if !ok {
			var have []string
			for k := range all {
				have = append(have, k)
			}
			sort.Strings(have)
			return nil, usageErr("--source %s: not configured (have: %s)", n, strings.Join(have, ", "))
		}
		out[n] = s
	}
	return out, nil
}

// unsnake rewrites map keys from snake_case to the field names the source
// package's structs use (workspace_id → workspaceid, matched
// case-insensitively by encoding/json).
func unsnake(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[strings.ReplaceAll(k, "_", "")] = unsnake(val)
		}
		return out
	case []any:
		for i := range x {
			x[i] = unsnake(x[i])
		}
		return x
	}
	return v
}

// sourceRunner runs hunts on a source, passing the plan's time range as
// the service's timespan where it takes one.
type sourceRunner struct {
	src        source.Source
	start, end time.Time
}

func (s sourceRunner) Query(ctx context.Context, kql string) (*engine.Result, error) {
	res, err := s.src.Query(ctx, source.Query{Text: kql, Start: s.start, End: s.end})
	if err != nil {
		return nil, err
	}
	return &engine.Result{Tables: res.Tables, Truncated: res.Truncated}, nil
}
