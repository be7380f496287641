package cli

// This file opens telemetry workspaces: one named with --workspace, else
// the default workspace (<data dir>/workspace) once the user has ingested
// data into it, else the lab workspace (<data dir>/lab), which is created
// on first use and regenerated when its events have aged out of the last
// days.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/internal/lab"
	"github.com/vigil-hunt/vigil/internal/store"
	"github.com/vigil-hunt/vigil/kql/engine"
)

// groundTruthFile holds a lab workspace's labels, beside its tables.
const groundTruthFile = "ground-truth.json"

// labMaxAge is how old the default lab's newest events may be before the
// lab is regenerated, so that "the last few days" always finds them.
const labMaxAge = 24 * time.Hour

// defaultWorkspaceDir is where vigil ingest writes without --workspace.
func defaultWorkspaceDir() (string, error) {
	d, err := store.DefaultDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "workspace"), nil
}

// defaultLabDir is the lab workspace: <data dir>/lab.
func defaultLabDir() (string, error) {
	d, err := store.DefaultDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "lab"), nil
}

// workspaceCatalog opens the workspace at dir (the default lab when dir
// is ""), read-only, and returns its tables plus an empty table for every
// other catalogued table. The caller closes the workspace.
func workspaceCatalog(e *env, dir string, now time.Time) (engine.Catalog, *store.Workspace, error) {
	if dir == "" {
		own, err := defaultWorkspaceDir()
		if err != nil {
			return nil, nil, err
		}
		if _, err := os.Stat(filepath.Join(own, "manifest.json")); err == nil {
			dir = own
		} else if dir, err = ensureDefaultLab(e, now); err != nil {
			return nil, nil, err
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
		return nil, nil, usageErr("%s is not a vigil workspace (no manifest.json); create one with vigil ingest or vigil lab generate", dir)
	}
	ws, err := store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		return nil, nil, fmt.Errorf("open workspace %s: %w", dir, err)
	}
	cat := catalog.Default()
	return store.WithEmptyTables(ws.Catalog(), cat.TableNames(), cat), ws, nil
}

// ensureDefaultLab creates the default lab workspace when it is missing
// or stale, telling the user, and returns its directory.
func ensureDefaultLab(e *env, now time.Time) (string, error) {
	dir, err := defaultLabDir()
	if err != nil {
		return "", err
	}
	end, err := labEnd(dir)
	switch {
	case err == nil && now.Sub(end) <= labMaxAge:
		return dir, nil
	case err == nil:
		fmt.Fprintf(e.stderr, "vigil: refreshing the lab workspace in %s (its events are from %s)…\n", dir, end.Format("2006-01-02"))
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(e.stderr, "vigil: creating the lab workspace in %s (a generated fleet with labelled attacks)…\n", dir)
	default:
		return "", err
	}
	start := time.Now()
	gt, err := generateLab(dir, lab.DefaultConfig(now.UTC()))
	if err != nil {
		return "", err
	}
	total := 0
	for _, n := range gt.Rows {
		total += n
	}
	fmt.Fprintf(e.stderr, "vigil: lab ready: %d devices, %d rows, %d planted attacks, in %.1f s\n",
		len(gt.Devices), total, len(gt.Scenarios), time.Since(start).Seconds())
	return dir, nil
}

// labEnd reads the end of a lab workspace's time window.
func labEnd(dir string) (time.Time, error) {
	b, err := os.ReadFile(filepath.Join(dir, groundTruthFile))
	if err != nil {
		return time.Time{}, err
	}
	var gt struct {
		End time.Time `json:"end"`
	}
	if err := json.Unmarshal(b, &gt); err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", filepath.Join(dir, groundTruthFile), err)
	}
	return gt.End, nil
}

// generateLab writes a lab workspace into a fresh directory beside dir and
// swaps it in, so a failure leaves any previous lab intact.
func generateLab(dir string, cfg lab.Config) (*lab.GroundTruth, error) {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".new-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	ws, err := store.Open(tmp, store.Options{})
	if err != nil {
		return nil, err
	}
	gt, err := lab.Generate(cfg, ws)
	if cerr := ws.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("generate lab: %w", err)
	}
	f, err := os.Create(filepath.Join(tmp, groundTruthFile))
	if err != nil {
		return nil, err
	}
	if err := gt.WriteJSON(f); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	old := dir + ".old"
	os.RemoveAll(old)
	if err := os.Rename(dir, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, err
	}
	os.RemoveAll(old)
	return gt, nil
}
