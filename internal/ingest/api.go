package ingest

// This file holds the package's public API: the sink rows go to, the
// options, the summary, rejects, File and Reader.

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/kql/engine"
)

// Sink receives the ingested rows, table by table, in batches whose schema
// is the catalog's (or, for a table the catalog lacks, one inferred from
// the data). The sink may keep the batches: they are never reused.
type Sink interface {
	WriteBatch(table string, b *engine.Batch) error
}

// A StagingSink writes a batch in two steps: Stage does the work (for a
// workspace, encoding and syncing segments) and may run on several
// goroutines at once; the Staged batch's Commit makes the rows visible.
// Ingestion into a StagingSink stages batches concurrently with decoding
// and with each other, and commits them one at a time in input order.
type StagingSink interface {
	Sink
	Stage(table string, b *engine.Batch) (Staged, error)
}

// Staged is a batch a StagingSink has written but not yet made visible.
// Exactly one of Commit and Abort is called.
type Staged interface {
	Commit() error
	Abort()
}

// Format is an input format.
type Format uint8

// The formats. Auto detects the format from the content.
const (
	Auto       Format = iota
	JSON              // rows: JSON lines, concatenated objects or an array
	CSV               // rows: CSV with a header (advanced-hunting / portal export)
	EventHub          // {"records":[{"category":"AdvancedHunting-…","properties":{…}}]}
	Winlogbeat        // Windows events as winlogbeat / OTRF JSON lines
	EvtxDump          // Windows events as evtx_dump JSON {"Event":{"System":…,"EventData":…}}
)

var formatNames = [...]string{Auto: "auto", JSON: "json", CSV: "csv", EventHub: "eventhub",
	Winlogbeat: "winlogbeat", EvtxDump: "evtx"}

// String returns the name ParseFormat reads.
func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// ParseFormat reads a format name: auto, json (or jsonl), csv, eventhub,
// winlogbeat or evtx.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "jsonl", "ndjson":
		return JSON, nil
	}
	for i, n := range formatNames {
		if strings.EqualFold(s, n) {
			return Format(i), nil
		}
	}
	return Auto, fmt.Errorf("unknown format %q (want auto, json, csv, eventhub, winlogbeat or evtx)", s)
}

// Options control an ingestion. The zero value detects the format, takes
// tables from the data or the file name, and normalises Windows events.
type Options struct {
	// Table sends every row of a JSON or CSV row export to this table,
	// whatever its Type column or file name says.
	Table string
	// Format overrides detection.
	Format Format
	// NoNormalize keeps Windows events only in SecurityEvent / WindowsEvent
	// instead of also mapping them to the Defender tables.
	NoNormalize bool
	// BatchSize caps the rows of a batch handed to the sink (default
	// 16384). A workspace writes each batch as its own segments, so
	// bigger batches mean fewer files and commits, at the cost of the
	// memory of the batches in flight (two per decoding goroutine).
	BatchSize int
	// Workers is the number of decoding goroutines (default min(2, GOMAXPROCS)).
	Workers int
	// FlushAfter bounds how long the rows of a stream (any input but a
	// regular file or memory: a pipe, a terminal, a socket) wait for a
	// fuller batch: once the oldest row not yet written has waited this
	// long, every row read so far goes to the sink, in batches as small as
	// they are (default DefaultFlushAfter; negative: only full batches, as
	// for files). This applies to JSON lines; other formats are read
	// whole. Rows of a table the catalog lacks still wait for the rows its
	// schema is inferred from, or the end of the input.
	FlushAfter time.Duration
	// Catalog gives table schemas (default catalog.Default()).
	Catalog *catalog.Catalog
	// Progress, if set, is called now and then from the calling goroutine.
	Progress func(Progress)
	// OnReject, if set, is called with every rejected record from the
	// calling goroutine, in input order (except that the rows of a table
	// the catalog lacks are checked, and rejected, once its schema is
	// inferred).
	OnReject func(Reject)
}

// Progress reports how far an ingestion has got.
type Progress struct {
	Name    string
	Bytes   int64 // input bytes read (compressed bytes for gzip input)
	Records int
	Rejects int
	Elapsed time.Duration
}

// Reject is a record that could not be ingested: where it is, why, and its
// text. Rejects are written as JSON lines with these keys.
type Reject struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
	Record string `json:"record"`
}

// String formats the reject as file:line: reason.
func (r Reject) String() string { return fmt.Sprintf("%s:%d: %s", r.File, r.Line, r.Reason) }

// File ingests the file at path (gzip-compressed or not) into sink,
// writing rejected records to rejects as JSON lines (rejects may be nil).
// A malformed record never stops the ingestion; errors are reserved for
// unreadable input, a failing sink and cancellation, and the summary then
// covers what was done.
func File(ctx context.Context, path string, sink Sink, rejects io.Writer, opts Options) (Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return newSummary(), err
	}
	defer f.Close()
	return Reader(ctx, path, f, sink, rejects, opts)
}

// Reader ingests r as File does; name is used for rejects, for detection
// (a .csv name means CSV) and, when rows carry no table, for the table
// (DeviceProcessEvents.jsonl). Use "-" or "" for an unnamed stream.
func Reader(ctx context.Context, name string, r io.Reader, sink Sink, rejects io.Writer, opts Options) (Summary, error) {
	start := time.Now()
	if opts.Catalog == nil {
		opts.Catalog = catalog.Default()
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 16384
	}
	if opts.FlushAfter == 0 {
		opts.FlushAfter = DefaultFlushAfter
	}
	cr := &countingReader{r: r}
	in, err := openInput(name, cr, opts, opts.FlushAfter > 0 && waitsForInput(r))
	sum := newSummary()
	if err == nil {
		in.bytes = cr.n.Load
		sum, err = run(ctx, in, sink, rejects)
		in.close()
	}
	sum.Bytes = cr.n.Load()
	sum.Duration = time.Since(start)
	return sum, err
}

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
