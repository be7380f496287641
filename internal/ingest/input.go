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
	bytes     func() int64 // input bytes read so far
}

// rec is one input record: its first line, its text and, for CSV, its
// cells. err, when set, is a framing error that rejects the record.
type rec struct {
	line  int
	text  string
	cells []string
	err   string
}

// framer cuts an input into records; next returns nil at the end.
type framer interface {
	next() ([]rec, error)
}

var errTableForEvents = errors.New("a table can only be given for row exports (json, csv): event formats route records themselves")

func openInput(name string, r io.Reader, opts Options) (*input, error) {
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
	head, err := peek(src, headSize)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	hr := io.MultiReader(bytes.NewReader(head), src)
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		head = head[3:]
		hr = io.MultiReader(bytes.NewReader(head), src)
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		// UTF-16, as Windows PowerShell's Export-Csv and Out-File write.
		hr = &utf16Reader{r: hr, big: head[0] == 0xfe}
		if head, err = peek(hr, headSize); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		hr = io.MultiReader(bytes.NewReader(head), hr)
	}
	in := &input{name: name, format: opts.Format, opts: opts, reg: registryFor(opts.Catalog)}
	if in.format == Auto {
		in.format = detect(name, head)
	}
	if opts.Table != "" && in.format != JSON && in.format != CSV {
		return nil, errTableForEvents
	}
	in.fileTable, in.fallback = tableFromName(name, in.reg)
	if in.format == CSV {
		data, err := io.ReadAll(hr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		cf := newCSVFramer(string(data))
		in.header = cf.header
		in.fr = cf
		return in, nil
	}
	if lineMode(head) {
		in.fr = newLineFramer(hr)
		return in, nil
	}
	data, err := io.ReadAll(hr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	in.fr = &valueFramer{s: string(data), line: 1}
	return in, nil
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
