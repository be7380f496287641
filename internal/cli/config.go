package cli

// This file finds vigil's per-user state directory and reads its config
// file.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/vigil-hunt/vigil/internal/respond"
	"github.com/vigil-hunt/vigil/internal/store"
)

// stateDir is where vigil keeps its config, approvals database and audit
// log: $VIGIL_HOME, else the per-user config directory
// (~/.config/vigil on Linux, %AppData%\vigil on Windows).
func stateDir() (string, error) {
	if d := os.Getenv("VIGIL_HOME"); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find a directory for vigil's state (set VIGIL_HOME): %w", err)
	}
	return filepath.Join(base, "vigil"), nil
}

// config is vigil's config file, config.yaml in the state directory. Each
// section is decoded by the package it configures, so its field names and
// checks live in one place.
type config struct {
	path     string
	sections map[string]any
}

// loadConfig reads dir/config.yaml; a missing file is an empty config.
func loadConfig(dir string) (*config, error) {
	c := &config{path: filepath.Join(dir, "config.yaml"), sections: map[string]any{}}
	data, err := os.ReadFile(c.path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	if err := yaml.Unmarshal(data, &c.sections); err != nil {
		return nil, fmt.Errorf("%s: %w", c.path, err)
	}
	return c, nil
}

// section returns the JSON of a top-level section, or nil when absent.
func (c *config) section(name string) ([]byte, error) {
	v, ok := c.sections[name]
	if !ok || v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%s: section %s: %w", c.path, name, err)
	}
	return b, nil
}

// policy returns the response policy; without a policy section every
// action needs approval.
func (c *config) policy() (respond.Policy, error) {
	b, err := c.section("policy")
	if err != nil || b == nil {
		return respond.Policy{}, err
	}
	p, err := respond.ParsePolicy(b)
	if err != nil {
		return respond.Policy{}, fmt.Errorf("%s: %w", c.path, err)
	}
	return p, nil
}

// maintenance returns the workspace maintenance policy (the workspace
// section); without one, workspaces are compacted and keep every row.
func (c *config) maintenance() (store.Maintenance, error) {
	b, err := c.section("workspace")
	if err != nil {
		return store.Maintenance{}, err
	}
	m, err := store.ParseMaintenance(b)
	if err != nil {
		return store.Maintenance{}, fmt.Errorf("%s: workspace: %w", c.path, err)
	}
	return m, nil
}

// maintenancePolicy reads the maintenance policy from the config file in
// the state directory. Without a state directory (no $HOME, as in some
// containers) there is no config to read, and ingestion still works.
func maintenancePolicy() (store.Maintenance, error) {
	dir, err := stateDir()
	if err != nil {
		return store.Maintenance{}, nil
	}
	cfg, err := loadConfig(dir)
	if err != nil {
		return store.Maintenance{}, err
	}
	return cfg.maintenance()
}
