package store

// This file implements the manifest: the one file that says which
// segments make up each table. It is replaced atomically, so it is the
// commit point of every change; a segment file it does not name is not
// part of the workspace.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
)

const (
	manifestName = "manifest.json"
	// manifestVersion 2 leaves out a segment's columns when they are its
	// table's (version 1 listed them for every segment, and every commit
	// rewrote the list). Version 1 is still read.
	manifestVersion = 2
	tablesDir       = "tables"
)

// manifest is one generation of the workspace's contents. A published
// manifest is never modified: changes build a new one (see edit).
type manifest struct {
	Version    int                   `json:"version"`
	Generation uint64                `json:"generation"`
	NextID     uint64                `json:"nextSegment"`
	Tables     map[string]*tableMeta `json:"tables"`
}

// tableMeta is one table: its schema, time column and segments in the
// order they were committed.
type tableMeta struct {
	Columns    []columnMeta   `json:"columns"`
	TimeColumn string         `json:"timeColumn,omitempty"`
	Segments   []*segmentMeta `json:"segments"`

	schema *types.Schema
}

func emptyManifest() *manifest {
	return &manifest{Version: manifestVersion, NextID: 1, Tables: map[string]*tableMeta{}}
}

// edit returns a copy of m that can be changed without touching m: the
// table map, tables and segment lists are copied; segments are shared
// and must be replaced, not modified.
func (m *manifest) edit() *manifest {
	out := *m
	out.Tables = make(map[string]*tableMeta, len(m.Tables))
	for name, t := range m.Tables {
		tc := *t
		tc.Segments = append([]*segmentMeta(nil), t.Segments...)
		out.Tables[name] = &tc
	}
	return &out
}

// tableNames returns the names of m's tables, sorted.
func (m *manifest) tableNames() []string {
	names := make([]string, 0, len(m.Tables))
	for n := range m.Tables {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// files returns the relative paths of every file m references.
func (m *manifest) files() map[string]bool {
	out := map[string]bool{}
	for _, t := range m.Tables {
		for _, s := range t.Segments {
			out[s.File] = true
			out[s.termsFile()] = true
		}
	}
	return out
}

// loadManifest reads dir's manifest; a workspace without one is empty.
func loadManifest(dir string) (*manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return emptyManifest(), nil
	}
	if err != nil {
		return nil, err
	}
	return decodeManifest(data)
}

func decodeManifest(data []byte) (*manifest, error) {
	m := &manifest{}
	if err := json.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	if m.Version != manifestVersion && m.Version != 1 {
		return nil, fmt.Errorf("manifest version %d is not supported (want %d)", m.Version, manifestVersion)
	}
	m.Version = manifestVersion
	if m.Tables == nil {
		m.Tables = map[string]*tableMeta{}
	}
	for name, t := range m.Tables {
		cols, err := schemaColumns(t.Columns)
		if err != nil {
			return nil, fmt.Errorf("manifest table %s: %w", name, err)
		}
		t.schema = &types.Schema{Columns: cols}
		var names []string
		for _, s := range t.Segments {
			if s.Columns == nil {
				if names == nil {
					names = t.schema.Names()
				}
				s.Columns = names
			}
		}
	}
	return m, nil
}

// saveManifest makes m the workspace's manifest.
func saveManifest(dir string, m *manifest, noSync bool) error {
	data, err := json.Marshal(compactManifest(m))
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, manifestName), data, noSync)
}

// compactManifest returns m as it is saved: without the column list of
// each segment that has exactly its table's columns.
func compactManifest(m *manifest) *manifest {
	out := *m
	out.Tables = make(map[string]*tableMeta, len(m.Tables))
	for name, t := range m.Tables {
		tc := *t
		tc.Segments = make([]*segmentMeta, len(t.Segments))
		for i, s := range t.Segments {
			if sameNames(s.Columns, t.Columns) {
				sc := *s
				sc.Columns = nil
				s = &sc
			}
			tc.Segments[i] = s
		}
		out.Tables[name] = &tc
	}
	return &out
}

func sameNames(names []string, cols []columnMeta) bool {
	if len(names) != len(cols) {
		return false
	}
	for i, c := range cols {
		if names[i] != c.Name {
			return false
		}
	}
	return true
}

// sweep removes what is not part of the workspace: temporary files left
// by a crash and segment files the manifest does not reference (written
// by a batch or compaction that never committed, or replaced by one whose
// clean-up was interrupted), then empty directories.
func sweep(dir string, m *manifest, keep map[string]bool) error {
	live := m.files()
	for f := range keep {
		live[f] = true
	}
	root := filepath.Join(dir, tablesDir)
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, path)
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if isTemp(d.Name()) || !live[filepath.ToSlash(rel)] {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := len(dirs) - 1; i > 0; i-- { // deepest first; keep tables/ itself
		os.Remove(dirs[i]) // fails, harmlessly, unless empty
	}
	return removeTemps(dir)
}

// removeTemps removes temporary files in the workspace directory itself
// (an interrupted manifest write).
func removeTemps(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() && isTemp(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// tableDirName returns the directory holding a table's segments: the name
// itself when it is plain, else an escaped form. Distinct tables may share
// a directory on a case-insensitive file system; segment file names are
// unique across the workspace, so they never collide.
func tableDirName(table string) string {
	var b strings.Builder
	for i := 0; i < len(table); i++ {
		c := table[i]
		if isTermByte(c) || c == '_' || c == '-' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	if b.Len() == 0 {
		return "%"
	}
	return b.String()
}
