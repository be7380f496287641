package store

// This file implements maintenance as a policy: Maintain runs one pass
// (retention per table, then compaction), and a workspace opened with
// Options.Maintenance runs passes in the background until Close, so that
// continuous ingestion, which writes many small segments, leaves a
// workspace of few large ones holding only the data the policy keeps.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// DefaultMaintenanceInterval is how often background maintenance runs
// when Maintenance.Interval is zero.
const DefaultMaintenanceInterval = 5 * time.Minute

// AllTables is the Retention key that applies to every table without an
// entry of its own.
const AllTables = "*"

// Maintenance is a workspace's maintenance policy. The zero value
// compacts every DefaultMaintenanceInterval and keeps every row.
type Maintenance struct {
	// Interval is the time between background passes (default
	// DefaultMaintenanceInterval).
	Interval time.Duration
	// Retention maps a table name to the age beyond which its rows are
	// dropped; AllTables ("*") applies to every table not named. A table
	// without an entry keeps everything. Tables without a time column
	// are skipped, unless named explicitly, which is an error.
	Retention map[string]time.Duration
	// OnError, if set, is called with the error of a background pass;
	// nil ignores it. OnReport, if set, is called with the report of
	// every background pass, including failed ones (what they did before
	// failing). Both run on the maintenance goroutine: they must not
	// block for long, nor call Close, which waits for that goroutine.
	OnError  func(error)
	OnReport func(MaintenanceReport)
	// Now gives the time retention counts ages from (default time.Now).
	Now func() time.Time
}

// Validate checks the interval and retention ages.
func (m Maintenance) Validate() error {
	if m.Interval < 0 {
		return fmt.Errorf("maintenance interval %v is negative", m.Interval)
	}
	for _, name := range slices.Sorted(maps.Keys(m.Retention)) {
		if age := m.Retention[name]; age <= 0 {
			return fmt.Errorf("retention: %s: age %v is not positive", name, age)
		}
	}
	return nil
}

func (m Maintenance) interval() time.Duration {
	if m.Interval == 0 {
		return DefaultMaintenanceInterval
	}
	return m.Interval
}

func (m Maintenance) now() time.Time {
	if m.Now == nil {
		return time.Now()
	}
	return m.Now()
}

// retention returns table's maximum age, whether it has one, and whether
// the table is named explicitly.
func (m Maintenance) retention(table string) (age time.Duration, ok, named bool) {
	if age, ok := m.Retention[table]; ok {
		return age, true, true
	}
	age, ok = m.Retention[AllTables]
	return age, ok, false
}

// MaintenanceReport says what a maintenance pass changed.
type MaintenanceReport struct {
	// Tables lists the tables the pass changed, sorted by name.
	Tables []TableMaintenance
}

// TableMaintenance is what a pass changed in one table.
type TableMaintenance struct {
	Table string
	// RowsDropped is the number of rows retention removed.
	RowsDropped int64
	// SegmentsBefore counts the table's segments when the pass first
	// changed it; SegmentsAfter what the pass left of those (segments
	// written meanwhile by ingestion are not counted).
	SegmentsBefore, SegmentsAfter int
}

// Changed reports whether the pass changed anything.
func (r MaintenanceReport) Changed() bool { return len(r.Tables) > 0 }

// String summarises the report on one line.
func (r MaintenanceReport) String() string {
	if !r.Changed() {
		return "maintenance: nothing to do"
	}
	sum := TableMaintenance{Table: fmt.Sprintf("maintenance: %d table(s) changed", len(r.Tables))}
	for _, t := range r.Tables {
		sum.RowsDropped += t.RowsDropped
		sum.SegmentsBefore += t.SegmentsBefore
		sum.SegmentsAfter += t.SegmentsAfter
	}
	return sum.String()
}

// String describes the change to one table.
func (t TableMaintenance) String() string {
	s := fmt.Sprintf("%s: %d segment(s) now %d", t.Table, t.SegmentsBefore, t.SegmentsAfter)
	if t.RowsDropped > 0 {
		s += fmt.Sprintf(", %d row(s) dropped by retention", t.RowsDropped)
	}
	return s
}

// tally counts what maintenance commits, per table.
type tally map[string]*TableMaintenance

// note records the commit of new segments in place of old ones in a
// table that had segs segments.
func (t tally) note(table string, segs int, old, new []*segmentMeta) {
	tm := t[table]
	if tm == nil {
		tm = &TableMaintenance{Table: table, SegmentsBefore: segs, SegmentsAfter: segs}
		t[table] = tm
	}
	for _, s := range old {
		tm.RowsDropped += s.Rows
		tm.SegmentsAfter--
	}
	for _, s := range new {
		tm.RowsDropped -= s.Rows
		tm.SegmentsAfter++
	}
}

func (t tally) report() MaintenanceReport {
	var r MaintenanceReport
	for _, name := range slices.Sorted(maps.Keys(t)) {
		r.Tables = append(r.Tables, *t[name])
	}
	return r
}

// Maintain runs one maintenance pass: retention for every table m gives
// an age, then Compact. It goes on past a table it cannot retain (named
// in m.Retention without a time column) and returns that error with the
// report of what it did. Tables named in m.Retention that the workspace
// lacks are skipped. Writes may continue meanwhile.
func (w *Workspace) Maintain(ctx context.Context, m Maintenance) (MaintenanceReport, error) {
	if err := w.writable(); err != nil {
		return MaintenanceReport{}, err
	}
	if err := m.Validate(); err != nil {
		return MaintenanceReport{}, fmt.Errorf("store: %w", err)
	}
	w.maintMu.Lock()
	defer w.maintMu.Unlock()
	before := w.current()
	t := tally{}
	errs := w.retainAll(ctx, before, m, t)
	if err := ctx.Err(); err != nil {
		return t.report(), err
	}
	if err := w.compact(ctx, t); err != nil {
		errs = append(errs, err)
	}
	return t.report(), errors.Join(errs...)
}

// retainAll applies m's retention to the tables of mf. It stops at
// cancellation but otherwise tries every table, returning every error.
func (w *Workspace) retainAll(ctx context.Context, mf *manifest, m Maintenance, t tally) []error {
	now := m.now()
	var errs []error
	for _, name := range mf.tableNames() {
		age, ok, named := m.retention(name)
		tm := mf.Tables[name]
		switch {
		case !ok:
			continue
		case tm.TimeColumn == "" && named:
			errs = append(errs, fmt.Errorf("store: retain %s: the table has no time column", name))
			continue
		}
		if err := w.retainTable(ctx, name, tm, cutoffOf(now, age), t); err != nil {
			errs = append(errs, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errs
}

// startMaintenance runs passes of m every m.Interval until Close.
func (w *Workspace) startMaintenance(m Maintenance) {
	m.Retention = maps.Clone(m.Retention) // the caller may reuse its map
	ctx, cancel := context.WithCancel(context.Background())
	w.bgCancel, w.bgDone = cancel, make(chan struct{})
	go w.maintainLoop(ctx, m)
}

func (w *Workspace) maintainLoop(ctx context.Context, m Maintenance) {
	defer close(w.bgDone)
	timer := time.NewTimer(m.interval())
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		rep, err := w.Maintain(ctx, m)
		if ctx.Err() != nil {
			// Close cancelled the pass: not a failure to report, but
			// what it committed before is.
			if m.OnReport != nil && rep.Changed() {
				m.OnReport(rep)
			}
			return
		}
		if err != nil && m.OnError != nil {
			m.OnError(err)
		}
		if m.OnReport != nil {
			m.OnReport(rep)
		}
		timer.Reset(m.interval())
	}
}

// stopMaintenance cancels the background pass, if any, and waits for its
// goroutine. Close calls it before taking the write locks, which a pass's
// commits take too.
func (w *Workspace) stopMaintenance() {
	if w.bgCancel == nil {
		return
	}
	w.bgCancel()
	<-w.bgDone
}
