package lab

// This file implements the sink: generators hand it records in any order;
// it keeps them until their time is reached, sorts each table by time,
// numbers the rows, turns them into column batches for the Writer and
// records which rows belong to which scenario.

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// tableID indexes the generated tables.
type tableID uint8

const (
	tInfo tableID = iota
	tProcess
	tNetwork
	tLogon
	tFile
	tRegistry
	tEvents
	tSignin
	tActivity
	tFlows
	nTables
)

// tableNames are the catalog names of the generated tables.
var tableNames = [nTables]string{
	"DeviceInfo", "DeviceProcessEvents", "DeviceNetworkEvents", "DeviceLogonEvents",
	"DeviceFileEvents", "DeviceRegistryEvents", "DeviceEvents",
	"SigninLogs", "AzureActivity", "AzureNetworkAnalytics_CL",
}

// idColumns name the column that identifies a row of each table: ReportId
// (a long, unique per table) on the Defender tables; on the Sentinel tables
// the sign-in request Id, the activity-log EventDataId and, for flow
// records, which carry no id of their own, the standard _ItemId.
var idColumns = [nTables]string{
	"ReportId", "ReportId", "ReportId", "ReportId", "ReportId", "ReportId", "ReportId",
	"Id", "EventDataId", "_ItemId",
}

// batchRows is the most rows handed to the Writer at once.
const batchRows = 8192

// record is one row waiting to be written.
type record struct {
	t    value.Datetime
	tab  tableID
	seq  int64
	scen int32  // scenario index, -1 for benign
	rid  int64  // ReportId, assigned when written
	item string // _ItemId
	id   string // Id / EventDataId of the Sentinel tables
	ev   *event
	info *infoRow
	si   *signin
	ac   *activity
	fl   *flow
}

type colFn func(r *record) value.Value

type tableSpec struct {
	id     tableID
	schema *types.Schema
	types  []types.Type
	cols   []colFn
	billed int // index of _BilledSize, or -1
}

type sink struct {
	w       Writer
	specs   [nTables]*tableSpec
	buf     [nTables][]*record
	nextRID [nTables]int64
	rows    [nTables]int
	seq     int64
	scen    int32
	start   value.Datetime
	end     value.Datetime
	items   *rng
	truth   []*Scenario // indexed like record.scen
}

func newSink(w Writer, g *gen) (*sink, error) {
	s := &sink{w: w, scen: -1, start: g.start, end: g.end, items: newRNG(g.cfg.Seed, "items")}
	maps := g.columnMaps()
	for t := tInfo; t < nTables; t++ {
		tab, ok := catalog.Default().Table(tableNames[t])
		if !ok {
			return nil, fmt.Errorf("lab: table %s is not in the catalog", tableNames[t])
		}
		spec := &tableSpec{id: t, schema: tab.Schema(), billed: -1}
		for i, c := range spec.schema.Columns {
			fn := maps[t][c.Name]
			if fn == nil {
				fn = maps[nTables][c.Name] // columns every table shares
			}
			if fn == nil {
				return nil, fmt.Errorf("lab: no generator for %s.%s", tableNames[t], c.Name)
			}
			if c.Name == "_BilledSize" {
				spec.billed = i
			}
			spec.cols = append(spec.cols, fn)
			spec.types = append(spec.types, c.Type)
		}
		s.specs[t] = spec
		s.nextRID[t] = 10000 + int64(t)*1000
	}
	return s, nil
}

// add queues a record. Records outside the window are dropped: the window
// is all the workspace holds.
func (s *sink) add(t tableID, r *record) {
	if r.t < s.start || r.t > s.end {
		return
	}
	r.tab = t
	r.seq = s.seq
	s.seq++
	r.scen = s.scen
	r.item = s.items.guid()
	s.buf[t] = append(s.buf[t], r)
}

// flush writes, table by table in time order, every queued record earlier
// than upTo. Tables are converted to batches in parallel, then written and
// credited to their scenarios in table order, so the output does not
// depend on scheduling.
func (s *sink) flush(upTo value.Datetime) error {
	var jobs [nTables]convertJob
	for t := tInfo; t < nTables; t++ {
		buf := s.buf[t]
		slices.SortFunc(buf, func(a, b *record) int {
			if c := cmp.Compare(a.t, b.t); c != 0 {
				return c
			}
			return cmp.Compare(a.seq, b.seq)
		})
		cut, _ := slices.BinarySearchFunc(buf, upTo, func(r *record, t value.Datetime) int { return cmp.Compare(r.t, t) })
		jobs[t] = convertJob{spec: s.specs[t], recs: slices.Clone(buf[:cut]), nextRID: s.nextRID[t]}
		rest := buf[cut:]
		clear(buf[:cut])
		s.buf[t] = append(buf[:0], rest...)
	}
	var wg sync.WaitGroup
	for t := range jobs {
		if len(jobs[t].recs) > 0 {
			wg.Go(jobs[t].run)
		}
	}
	wg.Wait()
	for t := range jobs {
		j := &jobs[t]
		if j.err != nil {
			return j.err
		}
		for _, b := range j.batches {
			if err := s.w.WriteBatch(tableNames[t], b); err != nil {
				return fmt.Errorf("lab: writing %s: %w", tableNames[t], err)
			}
		}
		s.nextRID[t] = j.nextRID
		s.rows[t] += len(j.recs)
		for _, r := range j.recs {
			if r.scen >= 0 {
				sc := s.truth[r.scen]
				sc.Rows = append(sc.Rows, RowRef{Table: tableNames[t], IDColumn: idColumns[t], ID: rowID(tableID(t), r)})
				sc.seen(r.t)
			}
		}
	}
	return nil
}

// convertJob turns one table's records into batches.
type convertJob struct {
	spec    *tableSpec
	recs    []*record
	nextRID int64
	batches []*engine.Batch
	err     error
}

func (j *convertJob) run() {
	for from := 0; from < len(j.recs) && j.err == nil; from += batchRows {
		var b *engine.Batch
		b, j.err = j.batch(j.recs[from:min(len(j.recs), from+batchRows)])
		j.batches = append(j.batches, b)
	}
}

// batch converts records to one batch, numbering Defender rows.
func (j *convertJob) batch(recs []*record) (*engine.Batch, error) {
	spec := j.spec
	b := engine.NewBatch(spec.schema, len(recs))
	numbered := idColumns[spec.id] == "ReportId"
	for _, r := range recs {
		if numbered {
			r.rid = j.nextRID
			j.nextRID++
		}
		size := 0
		for i, fn := range spec.cols {
			v := fn(r)
			if v.Type != spec.types[i] && !v.IsNull() {
				return nil, fmt.Errorf("lab: %s.%s: generated a %s for a %s column", tableNames[spec.id], spec.schema.Columns[i].Name, v.Type, spec.types[i])
			}
			size += cellSize(v)
			b.Cols[i].Append(v)
		}
		if spec.billed >= 0 {
			c := b.Cols[spec.billed]
			c.Reals[len(c.Reals)-1] = float64(size)
		}
	}
	b.N = len(recs)
	return b, nil
}

func rowID(t tableID, r *record) string {
	switch idColumns[t] {
	case "ReportId":
		return strconv.FormatInt(r.rid, 10)
	case "_ItemId":
		return r.item
	}
	return r.id
}

// cellSize approximates a cell's billed bytes.
func cellSize(v value.Value) int {
	switch {
	case v.IsNull():
		return 0
	case v.Type == types.String || v.Type == types.Guid:
		return len(v.S)
	case v.Type == types.Dynamic:
		return 48
	}
	return 8
}
