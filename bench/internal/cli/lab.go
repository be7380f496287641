package cli

// This file generates the lab data the benchmarks read, and reuses it
// when a stamp file shows it was generated from the same configuration.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"time"

	"github.com/vigil-hunt/vigil/bench/internal/jsonl"
	"github.com/vigil-hunt/vigil/internal/lab"
	"github.com/vigil-hunt/vigil/internal/store"
)

// labFlags configure the generated lab.
type labFlags struct {
	devices, users, days int
	seed                 int64
	rebuild              bool
}

func (l *labFlags) register(fs *flag.FlagSet, devices, days int) {
	fs.IntVar(&l.devices, "devices", devices, "lab devices")
	fs.IntVar(&l.users, "users", 0, "lab users (0: twice the devices)")
	fs.IntVar(&l.days, "days", days, "lab days, ending "+labEnd.Format(time.DateOnly))
	fs.Int64Var(&l.seed, "seed", 1, "lab seed")
	fs.BoolVar(&l.rebuild, "rebuild", false, "generate the data again even if it is present")
}

func (l *labFlags) config() lab.Config {
	users := l.users
	if users <= 0 {
		users = 2 * l.devices
	}
	return lab.Config{Devices: l.devices, Users: users, Days: l.days, Seed: l.seed, End: labEnd, Scenarios: nil}
}

// stamp records what a directory of generated data holds. It is written
// last, so a directory without one is incomplete.
type stamp struct {
	Config lab.Config     `json:"config"`
	Rows   map[string]int `json:"rows"`
}

const stampFile = "stamp.json"

func readStamp(dir string, cfg lab.Config) (*stamp, bool) {
	data, err := os.ReadFile(filepath.Join(dir, stampFile))
	if err != nil {
		return nil, false
	}
	var s stamp
	if json.Unmarshal(data, &s) != nil || !reflect.DeepEqual(s.Config, roundTrip(cfg)) {
		return nil, false
	}
	return &s, true
}

// roundTrip returns cfg as it reads back from JSON, for comparison.
func roundTrip(cfg lab.Config) lab.Config {
	data, _ := json.Marshal(cfg)
	var out lab.Config
	json.Unmarshal(data, &out)
	return out
}

func writeStamp(dir string, cfg lab.Config, rows map[string]int) error {
	data, err := json.MarshalIndent(stamp{Config: cfg, Rows: rows}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, stampFile), data, 0o644)
}

func total(rows map[string]int) int {
	n := 0
	for _, r := range rows {
		n += r
	}
	return n
}

// labWorkspace makes sure dir/ws holds the lab cfg describes, generating
// it when absent, of another configuration or not of the size its stamp
// records. It returns the rows per table.
func labWorkspace(e *env, dir string, cfg lab.Config, rebuild bool) (map[string]int, error) {
	ws := filepath.Join(dir, "ws")
	if s, ok := readStamp(dir, cfg); ok && !rebuild {
		if err := sameSize(ws, s.Rows); err == nil {
			e.logf("reusing the lab workspace %s (%d rows)", ws, total(s.Rows))
			return s.Rows, nil
		} else {
			e.logf("regenerating %s: %v", ws, err)
		}
	}
	if err := reset(dir); err != nil {
		return nil, err
	}
	e.logf("generating the lab workspace %s (%d devices, %d days); this takes minutes", ws, cfg.Devices, cfg.Days)
	start := time.Now()
	// The workspace is a fixture that can be regenerated, so it is
	// written without fsync, as bulk loads may be.
	w, err := store.Open(ws, store.Options{NoSync: true})
	if err != nil {
		return nil, err
	}
	gt, err := lab.Generate(cfg, w)
	if err == nil {
		e.logf("generated %d rows in %s; compacting", total(gt.Rows), time.Since(start).Round(time.Second))
		err = w.Compact(context.Background())
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	e.logf("lab workspace ready in %s", time.Since(start).Round(time.Second))
	return gt.Rows, writeStamp(dir, cfg, gt.Rows)
}

// sameSize checks that the workspace in ws holds the rows recorded.
func sameSize(ws string, rows map[string]int) error {
	w, err := store.Open(ws, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer w.Close()
	got := map[string]int{}
	for _, st := range w.Stats() {
		got[st.Name] = int(st.Rows)
	}
	if !reflect.DeepEqual(got, rows) {
		return fmt.Errorf("it holds %d rows, not the %d generated", total(got), total(rows))
	}
	return nil
}

// labJSONL makes sure dir holds the lab cfg describes as one JSON-lines
// file per table, and returns the files.
func labJSONL(e *env, dir string, cfg lab.Config, rebuild bool) ([]jsonl.File, error) {
	if s, ok := readStamp(dir, cfg); ok && !rebuild {
		if files, err := jsonlFiles(dir, s.Rows); err == nil {
			e.logf("reusing the lab JSON lines in %s (%d rows)", dir, total(s.Rows))
			return files, nil
		}
	}
	if err := reset(dir); err != nil {
		return nil, err
	}
	e.logf("writing the lab as JSON lines to %s (%d devices, %d days)", dir, cfg.Devices, cfg.Days)
	w := jsonl.NewWriter(dir)
	gt, err := lab.Generate(cfg, w)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return w.Files(), writeStamp(dir, cfg, gt.Rows)
}

// jsonlFiles lists the files of a generated JSON-lines directory.
func jsonlFiles(dir string, rows map[string]int) ([]jsonl.File, error) {
	var out []jsonl.File
	for _, t := range lab.Tables() {
		path := filepath.Join(dir, t+".jsonl")
		info, err := os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) && rows[t] == 0 {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, jsonl.File{Table: t, Path: path, Rows: rows[t], Bytes: info.Size()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Table < out[j].Table })
	return out, nil
}

// reset empties dir.
func reset(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.MkdirAll(dir, 0o755)
}

// checkGlobs checks that the Parquet files DuckDB's globs find are the
// segments the workspace's manifest names (a crash or an unfinished
// compaction can leave others behind); a mismatch is an error, as the
// engines would read different data.
func checkGlobs(e *env, ws string) error {
	w, err := store.Open(ws, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer w.Close()
	for _, st := range w.Stats() {
		files, err := filepath.Glob(filepath.Join(ws, "tables", st.Name, "*", "*.parquet"))
		if err != nil {
			return err
		}
		if len(files) != st.Segments {
			return fmt.Errorf("%s: the glob finds %d Parquet files but the manifest names %d segments; run with -rebuild", st.Name, len(files), st.Segments)
		}
	}
	return nil
}
