package ingest

// This file implements Summary, what an ingestion did.

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Summary says what an ingestion read and wrote. Every input record is
// either ingested or rejected: Records == ingested + Rejects, and an
// ingested record gives at least one row (a normalised Windows event gives
// two, its own table's and a Defender table's).
type Summary struct {
	Format  Format         // the format read (of the last input, after Add)
	Records int            // input records read
	Rows    map[string]int // rows written, per table
	Rejects int            // records rejected
	// Ignored counts, by "Table.Field", records that carried a field that
	// is not a column of their catalogued table.
	Ignored  map[string]int
	Bytes    int64         // input bytes read
	Duration time.Duration // wall time
}

func newSummary() Summary {
	return Summary{Rows: map[string]int{}, Ignored: map[string]int{}}
}

// Add adds o's counts to s, for an ingestion of several inputs.
func (s *Summary) Add(o Summary) {
	if s.Rows == nil {
		s.Rows = map[string]int{}
	}
	if s.Ignored == nil {
		s.Ignored = map[string]int{}
	}
	s.Format = o.Format
	s.Records += o.Records
	s.Rejects += o.Rejects
	s.Bytes += o.Bytes
	s.Duration += o.Duration
	for k, n := range o.Rows {
		s.Rows[k] += n
	}
	for k, n := range o.Ignored {
		s.Ignored[k] += n
	}
}

// TotalRows returns the rows written to all tables.
func (s Summary) TotalRows() int {
	n := 0
	for _, r := range s.Rows {
		n += r
	}
	return n
}

// String formats the summary on one line: rows per table (sorted by
// name), rejects, and throughput, e.g.
//
//	DeviceProcessEvents 1200, SecurityEvent 40; 1240 records, 2 rejected; 1.2 MB in 50ms (24800 records/s)
func (s Summary) String() string {
	var b strings.Builder
	names := make([]string, 0, len(s.Rows))
	for n := range s.Rows {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", n, s.Rows[n])
	}
	if len(names) == 0 {
		b.WriteString("no rows")
	}
	fmt.Fprintf(&b, "; %d records, %d rejected", s.Records, s.Rejects)
	if n := len(s.Ignored); n > 0 {
		fmt.Fprintf(&b, ", %d unknown field%s ignored", n, plural(n))
	}
	fmt.Fprintf(&b, "; %s in %s", formatBytes(s.Bytes), s.Duration.Round(time.Millisecond))
	if secs := s.Duration.Seconds(); secs > 0 {
		fmt.Fprintf(&b, " (%.0f records/s)", float64(s.Records)/secs)
	}
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
