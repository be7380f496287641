package ingest

// This file opens an input: it undoes gzip and a byte-order mark, detects
// the format from the first record, and picks the framer that cuts the
// input into records.

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
)

// headSize is how much of the input detection looks at.
const headSize = 64 << 10

// input is one input being ingested.
type input struct {
	name      string // as given, for rejects
	format    Format
	opts      Options
	reg       *registry
	header    []string // CSV header
	fileTable string   // the catalogued table the file name names, or ""
	fallback  string   // a table name made from the file name, or ""
	fr        framer
	bytes     func() int64  // input bytes read so far
	stream    *streamReader // when the input is read as a stream; closed by close
}

// close stops reading a stream ahead.
func (in *input) close() {
	if in.stream != nil {
		in.stream.close()
	}
}

// rec is one input record: its first line, its text and, for CSV, its
// cells. err, when set, is a framing error that rejects the record.
type rec struct {
	line  int
	text  string
	cells []string
	err   string
}

// framer cuts an input into records. next returns a unit of records, or
// nil at the end; quiet says that a stream went quiet after them, so that
// everything read so far should now go to the sink.
type framer interface {
	next() (recs []rec, quiet bool, err error)
}

var errTableForEvents = errors.New("a table can only be given for row exports (json, csv): event formats route records themselves")

// openInput opens r for reading. A stream (see stream.go) is read ahead
// on a goroutine of its own, which the input's close stops.
func openInput(name string, r io.Reader, opts Options, stream bool) (*input, error) {
	magic, err := peek(r, 2)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	src := io.MultiReader(bytes.NewReader(magic), r)
	if bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		gz, err := gzip.NewReader(src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		src = gz
	}
	bom, err := peek(src, 3)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	switch {
	case bytes.HasPrefix(bom, []byte("\xef\xbb\xbf")):
		src = io.MultiReader(bytes.NewReader(bom[3:]), src)
	case bytes.HasPrefix(bom, []byte("\xff\xfe")), bytes.HasPrefix(bom, []byte("\xfe\xff")):
		// UTF-16, as Windows PowerShell's Export-Csv and Out-File write.
		src = &utf16Reader{r: io.MultiReader(bytes.NewReader(bom), src), big: bom[0] == 0xfe}
	default:
		src = io.MultiReader(bytes.NewReader(bom), src)
	}
	in := &input{name: name, format: opts.Format, opts: opts, reg: registryFor(opts.Catalog)}
	var head []byte
	var since time.Time
	hr := src
	if stream {
		in.stream = newStreamReader(src, opts.FlushAfter)
		head, since, err = peekStream(in.stream, headSize)
		hr = in.stream
	} else {
		head, err = peek(src, headSize)
		hr = io.MultiReader(bytes.NewReader(head), src)
	}
	if err == nil {
		err = in.frame(head, hr, since)
	}
	if err != nil {
		in.close()
		return nil, err
	}
	return in, nil
}

// frame detects the format from head, the start of the input hr reads
// from its beginning, and picks the framer. since is when a stream's
// first line was complete.
func (in *input) frame(head []byte, hr io.Reader, since time.Time) error {
	name, opts := in.name, in.opts
	if in.format == Auto {
		in.format = detect(name, head)
	}
	if opts.Table != "" && in.format != JSON && in.format != CSV {
		return errTableForEvents
	}
	in.fileTable, in.fallback = tableFromName(name, in.reg)
	if in.format == CSV {
		data, err := io.ReadAll(hr)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		cf := newCSVFramer(string(data))
		in.header = cf.header
		in.fr = cf
		return nil
	}
	if lineMode(head) {
		lf := newLineFramer(hr)
		lf.since = since
		in.fr = lf
		return nil
	}
	data, err := io.ReadAll(hr)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	in.fr = &valueFramer{s: string(data), line: 1}
	return nil
}

// peek reads up to n bytes from the start of r.
func peek(r io.Reader, n int64) ([]byte, error) {
	var b bytes.Buffer
	_, err := io.CopyN(&b, r, n)
	if err == io.EOF {
		err = nil
	}
	return b.Bytes(), err
}

// tableFromName derives tables from a file name: the catalogued table it
// names (DeviceProcessEvents.jsonl, deviceprocessevents.csv.gz) and, for
// rows nothing else routes, a table name made of its base name.
func tableFromName(name string, reg *registry) (known, fallback string) {
	if name == "" || name == "-" {
		return "", ""
	}
	base := filepath.Base(name)
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	known = reg.canonical(base)
	var b strings.Builder
	for i, c := range base {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case c >= '0' && c <= '9':
			if i == 0 {
				b.WriteByte('_')
			}
		default:
			c = '_'
		}
		b.WriteRune(c)
	}
	return known, b.String()
}

// detect works out the format from the start of the input: CSV unless it
// starts with '{' or '['; for JSON, the shape of the first object decides.
func detect(name string, head []byte) Format {
	s := string(head)
	i := skipWS(s, 0)
	if i == len(s) {
		if strings.HasSuffix(strings.ToLower(strings.TrimSuffix(name, ".gz")), ".csv") {
			return CSV
		}
		return JSON
	}
	if s[i] != '{' && s[i] != '[' {
		return CSV
	}
	if s[i] == '[' {
		i = skipWS(s, i+1)
	}
	for tries := 0; tries < 32 && i < len(s); tries++ {
		if fields, _, err := scanObject(s, i, nil); err == nil {
			return classify(fields)
		}
		nl := strings.IndexByte(s[i:], '\n')
		if nl < 0 {
			break
		}
		i = skipWS(s, i+nl+1)
	}
	return JSON
}

// classify tells the format of a JSON record from its fields.
func classify(fields []field) Format {
	if v, ok := lookup(fields, "records"); ok && v.k == kArr {
		return EventHub
	}
	if v, ok := lookup(fields, "Event"); ok && v.k == kObj {
		return EvtxDump
	}
	if v, ok := lookup(fields, "winlog"); ok && v.k == kObj {
		return Winlogbeat
	}
	_, eid := lookup(fields, "EventID")
	_, ch := lookup(fields, "Channel")
	_, src := lookup(fields, "SourceName")
	_, typ := lookup(fields, "Type")
	_, tg := lookup(fields, "TimeGenerated")
	if eid && (ch || src) && !typ && !tg {
		return Winlogbeat
	}
	return JSON
}

// lineMode reports whether the first JSON record fits on its line, so
// that the input can be read line by line; otherwise (pretty-printed
// values, an array, a whole-file Event Hub blob) it is read whole.
func lineMode(head []byte) bool {
	s := string(head)
	i := skipWS(s, 0)
	if i >= len(s) {
		return true
	}
	if s[i] == '[' {
		return false
	}
	nl := strings.IndexByte(s[i:], '\n')
	if nl < 0 {
		return true
	}
	_, end, err := scanValue(s, i)
	if err == nil {
		return end <= i+nl
	}
	var se *syntaxError
	return !errors.As(err, &se) || se.off <= i+nl
}
