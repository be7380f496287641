package store

// This file implements the workspace: vigil's persistent telemetry store,
// a directory that ingestion, the lab generator and the CLI write to and
// the engine queries through Catalog.
//
// On disk:
//
//	<dir>/LOCK                        writer lock; names the holder
//	<dir>/manifest.json               the tables, their schemas and segments
//	<dir>/tables/<Table>/<YYYY-MM-DD>/<id>.parquet   a segment (zstd Parquet)
//	<dir>/tables/<Table>/<YYYY-MM-DD>/<id>.terms     its term index
//
// A segment holds rows of one table whose time column (Timestamp, else
// TimeGenerated, else the first datetime column) falls on one UTC day;
// rows without a time go to partition "none". Segments hold up to
// Options.SegmentRows rows in row groups of Options.RowGroupRows; a
// batch becomes one segment per day it spans, and Compact merges the
// small segments continuous ingestion leaves behind (in the background
// with Options.Maintenance, which also applies retention by age).
//
// Every change writes new files first (temporary name, fsync, rename,
// fsync of the directory) and then replaces manifest.json the same way;
// that rename is the commit. A crash at any moment therefore leaves the
// previous or the next manifest, each naming only complete segments;
// Open removes the temporary and unreferenced files a crash leaves.
// Files the manifest names can be read by DuckDB, Spark, pandas or ADX
// (see layout.go); tools that glob the directory instead of reading the
// manifest may also see files a compaction is about to remove.
//
// One process writes (it holds LOCK); others open the workspace
// ReadOnly and follow its manifest. Within the writing process a Catalog
// is a snapshot whose files stay on disk while it or a scan of it is
// reachable, so take a new Catalog per query. A read-only process's scan
// can lose a race with the writer's compaction and then fails with
// ErrStale.
//
// Usage:
//
//	ws, err := store.Open(dir, store.Options{})
//	err = ws.WriteBatch("DeviceProcessEvents", batch) // durable on return
//	res, err := engine.Query(ctx, src, engine.Options{Catalog: ws.Catalog()})
//	err = ws.Compact(ctx)                              // merge small segments
//	err = ws.Retain(ctx, "", 30*24*time.Hour, time.Now())
//	rep, err := ws.Maintain(ctx, store.Maintenance{Retention: ages}) // both, by policy
//	err = ws.Close()

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/value"
)

// Options configure a workspace. The zero value is the production
// configuration.
type Options struct {
	// Schemas gives the schemas of catalogued tables; nil means
	// catalog.Default(). A table it does not know takes the schema of
	// its first batch.
	Schemas Schemas
	// ReadOnly opens an existing workspace without the writer lock, for
	// queries while another process writes. WriteBatch, Compact and
	// Retain then fail; every Catalog call sees the latest manifest.
	ReadOnly bool
	// RowGroupRows is the number of rows per Parquet row group
	// (default 65536).
	RowGroupRows int
	// SegmentRows is the most rows a segment holds, and the size
	// Compact merges small segments up to (default 1048576).
	SegmentRows int
	// NoSync skips fsync. Writes stay atomic against a process crash
	// but an operating-system crash or power loss may lose acknowledged
	// batches; for tests and bulk loads that can be redone.
	NoSync bool
	// Maintenance, when set on a writable workspace, runs maintenance
	// passes with this policy in the background until Close (see
	// Maintain).
	Maintenance *Maintenance
}

func (o Options) withDefaults() Options {
	if o.Schemas == nil {
		o.Schemas = catalog.Default()
	}
	if o.RowGroupRows <= 0 {
		o.RowGroupRows = 65536
	}
	if o.SegmentRows <= 0 {
		o.SegmentRows = 1 << 20
	}
	o.SegmentRows = max(o.SegmentRows, o.RowGroupRows)
	return o
}

// ErrClosed is returned by a closed workspace; ErrReadOnly by a change
// to one opened read-only.
var (
	ErrClosed   = errors.New("store: workspace is closed")
	ErrReadOnly = errors.New("store: workspace is open read-only")
)

// Workspace is an open workspace directory. Its methods are safe for
// concurrent use; writes are serialized.
type Workspace struct {
	dir  string
	opts Options
	lock *os.File // nil when read-only

	writeMu sync.Mutex   // serializes commits
	staging sync.RWMutex // held shared by each Stage; Close takes it to wait for them
	maintMu sync.Mutex   // serializes Compact, Retain and Maintain
	nextID  atomic.Uint64

	bgCancel context.CancelFunc // stops background maintenance; nil without it
	bgDone   chan struct{}      // closed when its goroutine has returned

	mu      sync.Mutex
	cur     *manifest
	closed  bool
	failed  error          // set when a commit's durability is unknown
	live    map[uint64]int // manifest generation → snapshots alive
	garbage []garbageFile
	seen    os.FileInfo // read-only: the manifest file cur was read from
}

// garbageFile is a file the manifest stopped referencing at generation
// removedAt; snapshots older than that may still read it.
type garbageFile struct {
	rel       string
	removedAt uint64
}

// Open opens the workspace in dir, creating it if absent (unless
// read-only). A writer takes the workspace's lock, so a second writer,
// in this process or another, gets a *LockedError naming the holder. A
// writer also removes what an earlier crash left behind and, with
// Options.Maintenance, starts background maintenance.
func Open(dir string, opts Options) (*Workspace, error) {
	w := &Workspace{dir: dir, opts: opts.withDefaults(), live: map[uint64]int{}}
	if m := opts.Maintenance; m != nil && !opts.ReadOnly {
		if err := m.Validate(); err != nil {
			return nil, fmt.Errorf("store: open workspace %s: %w", dir, err)
		}
	}
	if opts.ReadOnly {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("store: open workspace: %w", err)
		}
		if err := w.reload(); err != nil {
			return nil, err
		}
		return w, nil
	}
	if err := mkdirDurable(filepath.Join(dir, tablesDir), opts.NoSync); err != nil {
		return nil, fmt.Errorf("store: create workspace: %w", err)
	}
	lock, err := acquireLock(dir)
	if err != nil {
		return nil, err
	}
	w.lock = lock
	m, err := loadManifest(dir)
	if err == nil {
		err = sweep(dir, m, nil)
	}
	if err != nil {
		unlockFile(lock)
		return nil, fmt.Errorf("store: open workspace %s: %w", dir, err)
	}
	w.cur = m
	w.nextID.Store(m.NextID)
	if opts.Maintenance != nil {
		w.startMaintenance(*opts.Maintenance)
	}
	return w, nil
}

// DefaultDir returns the per-user workspace location: the user's data
// directory, because telemetry is data a user expects to keep, not a
// cache a cleaner may remove:
//
//	Linux, BSD  $XDG_DATA_HOME/vigil, else ~/.local/share/vigil
//	macOS       ~/Library/Application Support/vigil
//	Windows     %LocalAppData%\vigil
func DefaultDir() (string, error) {
	return defaultDir(runtime.GOOS, os.Getenv, os.UserHomeDir)
}

func defaultDir(goos string, getenv func(string) string, home func() (string, error)) (string, error) {
	switch goos {
	case "windows":
		if d := getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "vigil"), nil
		}
		return "", errors.New("store: %LocalAppData% is not set")
	case "darwin", "ios":
		h, err := home()
		if err != nil {
			return "", err
		}
		return filepath.Join(h, "Library", "Application Support", "vigil"), nil
	}
	if d := getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "vigil"), nil
	}
	h, err := home()
	if err != nil {
		return "", err
	}
	return filepath.Join(h, ".local", "share", "vigil"), nil
}

// Dir returns the workspace directory.
func (w *Workspace) Dir() string { return w.dir }

// Catalog returns the workspace's tables as of now: every table a query
// reads through it sees the same snapshot, whatever is written or
// compacted meanwhile. The snapshot's files are kept until the catalog
// and its scans are garbage collected.
func (w *Workspace) Catalog() engine.Catalog {
	return &storeCatalog{snap: w.snapshot()}
}

// Tables returns the names of the workspace's tables, sorted.
func (w *Workspace) Tables() []string {
	return w.latest().tableNames()
}

// TableStats describes one table.
type TableStats struct {
	Name     string
	Rows     int64
	Segments int
	Bytes    int64 // Parquet and term-index files
	// TimeColumn is the column the table is partitioned by ("" if
	// none); MinTime and MaxTime its range, zero when it has no values.
	TimeColumn       string
	MinTime, MaxTime value.Datetime
}

// Stats returns every table's statistics, sorted by name.
func (w *Workspace) Stats() []TableStats {
	m := w.latest()
	var out []TableStats
	for _, name := range m.tableNames() {
		t := m.Tables[name]
		st := TableStats{Name: name, Segments: len(t.Segments), TimeColumn: t.TimeColumn}
		first := true
		for _, s := range t.Segments {
			st.Rows += s.Rows
			st.Bytes += s.Bytes
			ts, ok := s.Times[t.TimeColumn]
			if !ok || ts.Nulls == s.Rows {
				continue
			}
			if first || value.Datetime(ts.Min) < st.MinTime {
				st.MinTime = value.Datetime(ts.Min)
			}
			if first || value.Datetime(ts.Max) > st.MaxTime {
				st.MaxTime = value.Datetime(ts.Max)
			}
			first = false
		}
		out = append(out, st)
	}
	return out
}

// Close stops background maintenance, cancelling a pass in progress
// (its finished merges stay), and releases the writer lock; later
// changes fail with ErrClosed. Catalogs and scans already taken keep
// reading.
func (w *Workspace) Close() error {
	// Before the locks: a maintenance pass commits under writeMu.
	w.stopMaintenance()
	w.staging.Lock()
	defer w.staging.Unlock()
	w.writeMu.Lock()
	defer w.writeMu.Unlock()
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	w.mu.Unlock()
	w.collect()
	if w.lock == nil {
		return nil
	}
	return unlockFile(w.lock)
}

// snapshot pins the current manifest until the returned snapshot is
// garbage collected.
func (w *Workspace) snapshot() *snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.opts.ReadOnly && !w.closed {
		w.reloadLocked()
	}
	s := &snapshot{ws: w, m: w.cur}
	gen := w.cur.Generation
	w.live[gen]++
	runtime.AddCleanup(s, w.unpin, gen)
	return s
}

// latest returns the current manifest without pinning its files, for
// metadata only.
func (w *Workspace) latest() *manifest {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.opts.ReadOnly && !w.closed {
		w.reloadLocked()
	}
	return w.cur
}

func (w *Workspace) unpin(gen uint64) {
	w.mu.Lock()
	if w.live[gen]--; w.live[gen] <= 0 {
		delete(w.live, gen)
	}
	w.mu.Unlock()
	w.collect()
}

// reload reads the manifest if it changed since the last read (read-only
// workspaces follow the writer this way).
func (w *Workspace) reload() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.reloadLocked()
}

func (w *Workspace) reloadLocked() error {
	path := filepath.Join(w.dir, manifestName)
	fi, err := os.Stat(path)
	if err == nil && w.seen != nil && os.SameFile(fi, w.seen) && fi.ModTime().Equal(w.seen.ModTime()) && fi.Size() == w.seen.Size() {
		return nil
	}
	m, err := loadManifest(w.dir)
	if err != nil {
		if w.cur == nil {
			return fmt.Errorf("store: open workspace %s: %w", w.dir, err)
		}
		return err // keep the last good snapshot
	}
	w.cur, w.seen = m, fi
	return nil
}

// writable reports why the workspace cannot change, if it cannot.
func (w *Workspace) writable() error {
	if w.opts.ReadOnly {
		return ErrReadOnly
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	return w.failed
}

// uncertainError is a commit that became visible but may not be
// durable; the caller must keep the files it wrote.
type uncertainError struct{ err error }

func (e *uncertainError) Error() string { return e.err.Error() }
func (e *uncertainError) Unwrap() error { return e.err }

// committed reports whether a failed commit is nonetheless visible.
func committed(err error) bool {
	var u *uncertainError
	return errors.As(err, &u)
}

// current returns the current manifest without pinning it; only writers
// (holding writeMu) use it.
func (w *Workspace) current() *manifest {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cur
}

// commit publishes next, the edited current manifest. The caller holds
// writeMu. Files next no longer references are deleted once no snapshot
// can read them.
func (w *Workspace) commit(next *manifest) error {
	if err := w.writable(); err != nil {
		return err
	}
	prev := w.current()
	next.Generation = prev.Generation + 1
	next.NextID = w.nextID.Load()
	if err := saveManifest(w.dir, next, w.opts.NoSync); err != nil {
		var placed *placedError
		if !errors.As(err, &placed) {
			return fmt.Errorf("store: write manifest: %w", err)
		}
		// The new manifest is in place but its durability is unknown:
		// keep every file it or the old one names, and refuse further
		// writes until the workspace is reopened.
		w.mu.Lock()
		w.cur = next
		w.failed = fmt.Errorf("store: workspace needs reopening after a failed fsync: %w", err)
		w.mu.Unlock()
		return &uncertainError{w.failed}
	}
	now := next.files()
	w.mu.Lock()
	w.cur = next
	for f := range prev.files() {
		if !now[f] {
			w.garbage = append(w.garbage, garbageFile{rel: f, removedAt: next.Generation})
		}
	}
	w.mu.Unlock()
	w.collect()
	return nil
}

// collect deletes garbage files no live snapshot can read. A file that
// cannot be deleted now (Windows, while another process reads it) is
// left for the sweep of the next Open.
func (w *Workspace) collect() {
	w.mu.Lock()
	oldest := uint64(1<<64 - 1)
	for gen := range w.live {
		oldest = min(oldest, gen)
	}
	var del, keep []garbageFile
	for _, g := range w.garbage {
		if oldest >= g.removedAt {
			del = append(del, g)
		} else {
			keep = append(keep, g)
		}
	}
	w.garbage = keep
	w.mu.Unlock()
	for _, g := range del {
		os.Remove(filepath.Join(w.dir, filepath.FromSlash(g.rel)))
	}
}

// newSegment names a new segment of table in partition.
func (w *Workspace) newSegment(table, partition string) *segmentMeta {
	id := w.nextID.Add(1) - 1
	rel := fmt.Sprintf("%s/%s/%s/%010d.parquet", tablesDir, tableDirName(table), partition, id)
	return &segmentMeta{ID: id, Partition: partition, File: rel}
}

// syncSegmentDirs fsyncs the distinct directories of segs, making their
// new entries durable before a manifest references them.
func (w *Workspace) syncSegmentDirs(segs []*segmentMeta) error {
	if w.opts.NoSync {
		return nil
	}
	seen := map[string]bool{}
	var dirs []string
	for _, s := range segs {
		d := filepath.Dir(filepath.Join(w.dir, filepath.FromSlash(s.File)))
		if !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	return nil
}

// removeSegments deletes segments that were never committed.
func (w *Workspace) removeSegments(segs []*segmentMeta) {
	for _, s := range segs {
		os.Remove(filepath.Join(w.dir, filepath.FromSlash(s.File)))
		os.Remove(filepath.Join(w.dir, filepath.FromSlash(s.termsFile())))
	}
}
