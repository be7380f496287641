package hunt

// This file holds the hunt library: hunts are KQL files whose leading
// comment block carries their metadata, embedded from library/ and
// loadable from a user's directory in the same format.

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
)

//go:embed library/*.kql
var builtinFS embed.FS

// Hunt kinds: a hunt looks for activity; a pivot follows up a finding's
// entities and only feeds timelines and confidence.
// A context query reads facts about the workspace (asset criticality).
const (
	KindHunt    = "hunt"
	KindPivot   = "pivot"
	KindContext = "context"
)

// Hunt is one query of the library with its metadata.
type Hunt struct {
	ID          string
	Title       string
	Description string
	Kind        string   // KindHunt or KindPivot
	Tables      []string // tables it reads
	// Techniques are ATT&CK ids; the first is what its findings report
	// unless the analyser or a Technique column says otherwise.
	Techniques []string
	Tactic     string // the tactic the primary technique serves here
	Intents    []string
	Severity   finding.Severity
	Confidence int    // base confidence 0–100 of a finding from one hit
	Analyser   string // the analyser that reads its rows
	Entities   []string
	// Baseline is how far before the plan's start the hunt reads to learn
	// what is usual (bound to baseline_start); zero for none.
	Baseline time.Duration
	// Settings are the analyser's knobs (min_failures=10 …).
	Settings map[string]string
	// Params are the parameters the query declares as top-level lets, in
	// order of appearance.
	Params []string
	Source string // file the hunt came from
	KQL    string // the file's text, defaults of its parameters included

	lets map[string]valueSpan // parameter → its default value in KQL
}

// valueSpan is the byte range [from, to) of a let's value in KQL.
type valueSpan struct{ from, to int }

// Info is what request understanding needs to know about the hunt.
func (h *Hunt) Info() HuntInfo {
	return HuntInfo{ID: h.ID, Intents: slices.Clone(h.Intents), Tables: slices.Clone(h.Tables), Entities: slices.Clone(h.Entities)}
}

// Technique is the hunt's primary ATT&CK technique, or "".
func (h *Hunt) Technique() string {
	if len(h.Techniques) == 0 {
		return ""
	}
	return h.Techniques[0]
}

// Setting returns a setting as an integer, or def when absent or invalid.
func (h *Hunt) Setting(name string, def float64) float64 {
	var v float64
	if _, err := fmt.Sscan(h.Settings[name], &v); err != nil {
		return def
	}
	return v
}

// Library is a set of hunts with unique ids.
type Library struct {
	hunts []*Hunt
	byID  map[string]*Hunt
}

var (
	defaultOnce sync.Once
	defaultLib  *Library
	defaultErr  error
)

// Default returns the built-in library. The embedded files are checked by
// the package's tests, so an error here is a build defect and panics.
func Default() *Library {
	defaultOnce.Do(func() { defaultLib, defaultErr = LoadFS(builtinFS, "library") })
	if defaultErr != nil {
		panic(defaultErr)
	}
	return defaultLib
}

// LoadDir reads every .kql file of dir (not its subdirectories) as a hunt.
func LoadDir(dir string) (*Library, error) { return LoadFS(os.DirFS(dir), ".") }

// LoadFS reads every .kql file of dir in fsys as a hunt. It reports every
// bad file, not just the first.
func LoadFS(fsys fs.FS, dir string) (*Library, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	lib := &Library{byID: map[string]*Hunt{}}
	var errs []string
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(path.Ext(e.Name()), ".kql") {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		h, err := ParseHunt(e.Name(), string(data))
		if err == nil {
			err = lib.add(h)
		}
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return lib, fmt.Errorf("hunt library %s: %s", dir, strings.Join(errs, "; "))
	}
	return lib, nil
}

func (l *Library) add(h *Hunt) error {
	if prev, ok := l.byID[h.ID]; ok {
		return fmt.Errorf("%s: hunt id %q is already used by %s", h.Source, h.ID, prev.Source)
	}
	l.byID[h.ID] = h
	l.hunts = append(l.hunts, h)
	sort.SliceStable(l.hunts, func(i, j int) bool { return l.hunts[i].ID < l.hunts[j].ID })
	return nil
}

// With returns a library holding l's hunts and other's; a hunt of other
// replaces l's hunt of the same id (a user's copy overrides the built-in).
func (l *Library) With(other *Library) *Library {
	out := &Library{byID: map[string]*Hunt{}}
	for _, h := range l.hunts {
		if _, over := other.byID[h.ID]; !over {
			out.add(h)
		}
	}
	for _, h := range other.hunts {
		out.add(h)
	}
	return out
}

// Hunts lists the hunts and pivots by id.
func (l *Library) Hunts() []*Hunt { return slices.Clone(l.hunts) }

// Hunt finds a hunt by id.
func (l *Library) Hunt(id string) (*Hunt, bool) {
	h, ok := l.byID[id]
	return h, ok
}

// Infos lists the hunts (not the pivots) for Env.Hunts.
func (l *Library) Infos() []HuntInfo {
	var out []HuntInfo
	for _, h := range l.hunts {
		if h.Kind == KindHunt {
			out = append(out, h.Info())
		}
	}
	return out
}

// Pivots lists the pivot queries by id.
func (l *Library) Pivots() []*Hunt {
	var out []*Hunt
	for _, h := range l.hunts {
		if h.Kind == KindPivot {
			out = append(out, h)
		}
	}
	return out
}
