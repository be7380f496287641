package store

// This file reads a maintenance policy from configuration: the
// workspace section of vigil's config.yaml, as JSON.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ParseMaintenance reads a maintenance policy from JSON such as
//
//	{"maintenance_interval": "10m", "retention": {"*": "90d", "DeviceNetworkEvents": "30d"}}
//
// Durations are strings ParseDuration reads. Unknown keys are an error,
// so that a misspelt key does not silently keep data forever. Empty data
// is the zero policy.
func ParseMaintenance(data []byte) (Maintenance, error) {
	var m Maintenance
	if len(bytes.TrimSpace(data)) == 0 || string(bytes.TrimSpace(data)) == "null" {
		return m, nil
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return m, fmt.Errorf("want a mapping with keys maintenance_interval and retention: %w", err)
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		var err error
		switch k {
		case "maintenance_interval":
			m.Interval, err = durationValue(k, keys[k])
		case "retention":
			m.Retention, err = retentionValue(keys[k])
		default:
			err = fmt.Errorf("unknown key %q (want maintenance_interval or retention)", k)
		}
		if err != nil {
			return Maintenance{}, err
		}
	}
	return m, m.Validate()
}

// retentionValue reads the retention mapping of table names to ages.
func retentionValue(raw json.RawMessage) (map[string]time.Duration, error) {
	var ages map[string]json.RawMessage
	if err := json.Unmarshal(raw, &ages); err != nil || ages == nil {
		return nil, fmt.Errorf("retention: want a mapping of table names (or %q) to ages such as 30d, not %s", AllTables, raw)
	}
	out := make(map[string]time.Duration, len(ages))
	for _, table := range slices.Sorted(maps.Keys(ages)) {
		d, err := durationValue("retention: "+table, ages[table])
		if err != nil {
			return nil, err
		}
		out[table] = d
	}
	return out, nil
}

// durationValue reads the duration of key from its JSON value.
func durationValue(key string, raw json.RawMessage) (time.Duration, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("%s: %s is not a duration (write one such as 30d or 12h)", key, raw)
	}
	d, err := ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", key, err)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%s: %q is not a positive duration", key, s)
	}
	return d, nil
}

// ParseDuration reads a Go duration (90m, 12h30m) that may start with a
// number of days: 30d, 1.5d, 1d12h. Days are 24 hours; retention has no
// use for calendar days.
func ParseDuration(s string) (time.Duration, error) {
	bad := func() (time.Duration, error) {
		return 0, fmt.Errorf("%q is not a duration (write Go syntax such as 720h or 90m, or days such as 30d)", s)
	}
	t := strings.TrimSpace(s)
	days, rest, ok := strings.Cut(t, "d") // Go's units have no d
	if !ok {
		d, err := time.ParseDuration(t)
		if err != nil {
			return bad()
		}
		return d, nil
	}
	if days == "" || strings.Trim(days, "0123456789.") != "" {
		return bad()
	}
	n, err := strconv.ParseFloat(days, 64)
	if err != nil {
		return bad()
	}
	var extra time.Duration
	if rest != "" {
		if rest[0] == '-' || rest[0] == '+' {
			return bad()
		}
		if extra, err = time.ParseDuration(rest); err != nil {
			return bad()
		}
	}
	total := n*float64(24*time.Hour) + float64(extra)
	if total >= math.MaxInt64 {
		return 0, fmt.Errorf("%q is too long (at most %.0f days)", s, float64(math.MaxInt64)/float64(24*time.Hour))
	}
	return time.Duration(total), nil
}
