package ingest

// This file cuts inputs into records: JSON lines read as a stream, JSON
// values (pretty-printed, concatenated or in an array) and CSV records
// read from memory.

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unsafe"
)

// chunkSize is how much of a JSON-lines input one unit of work holds.
const chunkSize = 8 << 20

// lineFramer reads JSON lines in chunks. Each chunk is read into a buffer
// of its own that is never written again, so that it can become the
// string the records (and the strings decoded from them) share without a
// copy. Reading a stream, a chunk also ends when the oldest complete line
// not yet handed on has waited the stream's FlushAfter (see stream.go).
type lineFramer struct {
	r      io.Reader
	stream *streamReader // r, when the input is a stream
	tail   []byte        // the start of a line the last chunk cut
	line   int           // number of the next line
	last   int           // the capacity of the previous chunk
	eof    bool
	// since is when the oldest line not yet handed on in a quiet unit
	// was complete; zero when there is none.
	since time.Time
}

func newLineFramer(r io.Reader) *lineFramer {
	f := &lineFramer{r: r, line: 1}
	f.stream, _ = r.(*streamReader)
	return f
}

func (f *lineFramer) next() ([]rec, bool, error) {
	want := chunkSize
	for {
		if f.eof && len(f.tail) == 0 {
			return nil, false, nil
		}
		// Start small and double up to want, so that small inputs stay
		// cheap; once the input has filled a chunk, allocate whole ones.
		buf := make([]byte, len(f.tail), max(64<<10, 2*len(f.tail), min(f.last, want)))
		copy(buf, f.tail)
		quiet := false
		for !f.eof && len(buf) < want && !quiet {
			if len(buf) == cap(buf) {
				buf = append(buf, make([]byte, min(cap(buf), want-len(buf)))...)[:len(buf)]
			}
			n, late, err := f.read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			quiet = late
			if err == io.EOF {
				f.eof = true
			} else if err != nil {
				return nil, false, err
			}
		}
		cut := len(buf)
		if !f.eof {
			k := bytes.LastIndexByte(buf, '\n')
			if k < 0 && quiet { // only lines handed on earlier are waiting
				f.tail, f.since = buf, time.Time{}
				return []rec{}, true, nil
			}
			if k < 0 { // a line longer than the chunk: read on
				f.tail = buf
				want = 2 * len(buf)
				continue
			}
			cut = k + 1
		}
		f.tail = append([]byte(nil), buf[cut:]...)
		f.last = cap(buf)
		recs := f.split(unsafe.String(unsafe.SliceData(buf), cut))
		if quiet {
			f.since = time.Time{}
			return recs, true, nil
		}
		if len(recs) > 0 {
			return recs, false, nil
		}
	}
}

// read reads into p. Reading a stream, it gives up (late) once the
// oldest complete line not yet handed on in a quiet unit has waited
// FlushAfter.
func (f *lineFramer) read(p []byte) (n int, late bool, err error) {
	if f.stream == nil {
		n, err = f.r.Read(p)
		return n, false, err
	}
	var deadline time.Time
	if !f.since.IsZero() {
		deadline = f.since.Add(f.stream.after)
	}
	n, late, err = f.stream.readBy(p, deadline)
	if f.since.IsZero() && bytes.IndexByte(p[:n], '\n') >= 0 {
		f.since = time.Now()
	}
	return n, late, err
}

// split cuts a chunk of whole lines into records, skipping blank lines.
func (f *lineFramer) split(text string) []rec {
	recs := make([]rec, 0, 1024)
	for len(text) > 0 {
		ln := text
		if k := strings.IndexByte(text, '\n'); k >= 0 {
			ln, text = text[:k], text[k+1:]
		} else {
			text = ""
		}
		line := f.line
		f.line++
		ln = strings.TrimSuffix(ln, "\r")
		if skipWS(ln, 0) == len(ln) {
			continue
		}
		recs = append(recs, rec{line: line, text: ln})
	}
	return recs
}

// valueFramer cuts a whole input into JSON values: concatenated or
// pretty-printed objects, or the elements of one top-level array. Text that
// is not a value is rejected up to the end of its line, and reading goes
// on from the next line.
type valueFramer struct {
	s       string
	i       int
	line    int // line of s[i]
	started bool
	inArray bool
}

func (f *valueFramer) advance(n int) {
	f.line += strings.Count(f.s[f.i:f.i+n], "\n")
	f.i += n
}

func (f *valueFramer) next() ([]rec, bool, error) {
	var recs []rec
	for len(recs) < 1024 {
		f.advance(skipWS(f.s, f.i) - f.i)
		if f.i >= len(f.s) {
			break
		}
		c := f.s[f.i]
		if !f.started {
			f.started = true
			if c == '[' {
				f.inArray = true
				f.advance(1)
				continue
			}
		}
		if f.inArray && (c == ',' || c == ']') {
			f.inArray = c == ','
			f.advance(1)
			continue
		}
		rest := f.s[f.i:]
		_, end, err := scanValue(rest, 0)
		if err != nil {
			e := f.resync(err)
			recs = append(recs, rec{line: f.line, text: strings.TrimRight(rest[:e], " \t\r\n,"), err: err.Error()})
			f.advance(e)
			continue
		}
		recs = append(recs, rec{line: f.line, text: rest[:end]})
		f.advance(end)
	}
	if len(recs) == 0 {
		return nil, false, nil
	}
	return recs, false, nil
}

// resync returns how far past f.i the next record can start after a value
// that does not parse: the first line, from the one where the error was
// found on, that opens an object or array no deeper indented than the bad
// value; else the end of the input. Starting at the error keeps the work
// linear however the input is broken.
func (f *valueFramer) resync(err error) int {
	lineStart := strings.LastIndexByte(f.s[:f.i], '\n') + 1
	indent := f.i - lineStart
	j := f.i
	if se, ok := err.(*syntaxError); ok && se.off > 0 && f.i+se.off <= len(f.s) {
		if k := strings.LastIndexByte(f.s[:f.i+se.off], '\n') + 1; k > f.i {
			j = k - 1 // so that the loop below looks at the error's own line first
		}
	}
	for {
		nl := strings.IndexByte(f.s[j:], '\n')
		if nl < 0 {
			return len(f.s) - f.i
		}
		j += nl + 1
		k := j
		for k < len(f.s) && (f.s[k] == ' ' || f.s[k] == '\t') {
			k++
		}
		if k < len(f.s) && (f.s[k] == '{' || f.s[k] == '[') && k-j <= indent {
			return j - f.i
		}
	}
}

// csvFramer reads CSV (RFC 4180, leniently) from memory: quoted cells may
// span lines and hold doubled quotes; a quote inside a cell is kept as
// text. A record whose quote never closes is rejected on its first line
// and reading goes on from the next line.
type csvFramer struct {
	s       string
	i       int
	line    int
	header  []string
	pending []rec // lines before the header that could not be read
}

func newCSVFramer(s string) *csvFramer {
	f := &csvFramer{s: s, line: 1}
	for f.i < len(f.s) && f.header == nil {
		switch r := f.record(); {
		case r.err != "":
			r.err = "before the header: " + r.err
			f.pending = append(f.pending, r)
		case len(r.cells) == 1 && strings.HasPrefix(r.cells[0], "#TYPE "):
			// Windows PowerShell's Export-Csv names the object type first.
		case !blankRecord(r.cells):
			f.header = r.cells
		}
	}
	for i, h := range f.header {
		if h = strings.TrimSpace(h); h == "" {
			h = fmt.Sprintf("Column%d", i+1)
		}
		f.header[i] = h
	}
	return f
}

func (f *csvFramer) next() ([]rec, bool, error) {
	recs := f.pending
	f.pending = nil
	for len(recs) < 1024 && f.i < len(f.s) {
		r := f.record()
		if r.err == "" && blankRecord(r.cells) {
			continue
		}
		if r.err == "" && len(r.cells) != len(f.header) {
			r.err = fmt.Sprintf("%d fields, the header has %d", len(r.cells), len(f.header))
		}
		recs = append(recs, r)
	}
	if len(recs) == 0 {
		return nil, false, nil
	}
	return recs, false, nil
}

func blankRecord(cells []string) bool {
	return len(cells) == 1 && strings.TrimSpace(cells[0]) == ""
}

// record reads the record at f.i.
func (f *csvFramer) record() rec {
	start, line := f.i, f.line
	cells, end, ok := parseCSVRecord(f.s, start)
	if !ok {
		e := strings.IndexByte(f.s[start:], '\n')
		if e < 0 {
			e = len(f.s) - start
		} else {
			e++
		}
		f.i = start + e
		f.line++
		return rec{line: line, text: strings.TrimRight(f.s[start:f.i], "\r\n"), err: "unterminated quoted field"}
	}
	f.i = end
	f.line += strings.Count(f.s[start:end], "\n")
	return rec{line: line, text: strings.TrimRight(f.s[start:end], "\r\n"), cells: cells}
}

// parseCSVRecord parses the record at s[i:] and returns its cells and
// the offset after its line end; ok is false when a quote never closes.
func parseCSVRecord(s string, i int) (cells []string, end int, ok bool) {
	for {
		var cell string
		if i < len(s) && s[i] == '"' {
			var closed bool
			cell, i, closed = quotedCell(s, i)
			if !closed {
				return nil, i, false
			}
		} else {
			j := i
			for j < len(s) && s[j] != ',' && s[j] != '\n' {
				j++
			}
			cell = s[i:j]
			if j < len(s) && s[j] == '\n' {
				cell = strings.TrimSuffix(cell, "\r")
			}
			i = j
		}
		cells = append(cells, cell)
		if i >= len(s) {
			return cells, i, true
		}
		if s[i] == ',' {
			i++
			continue
		}
		return cells, i + 1, true // s[i] == '\n'
	}
}

// quotedCell reads the quoted cell at s[i] and any text after its closing
// quote up to the next comma or line end.
func quotedCell(s string, i int) (string, int, bool) {
	j := i + 1
	var b strings.Builder
	for {
		k := strings.IndexByte(s[j:], '"')
		if k < 0 {
			return "", len(s), false
		}
		if j+k+1 < len(s) && s[j+k+1] == '"' {
			b.WriteString(s[j : j+k+1])
			j += k + 2
			continue
		}
		var cell string
		if b.Len() == 0 {
			cell = s[j : j+k]
		} else {
			b.WriteString(s[j : j+k])
			cell = b.String()
		}
		j += k + 1
		if t := j; t < len(s) && s[t] != ',' && s[t] != '\n' {
			for t < len(s) && s[t] != ',' && s[t] != '\n' {
				t++
			}
			tail := s[j:t]
			if t < len(s) && s[t] == '\n' {
				tail = strings.TrimSuffix(tail, "\r")
			}
			cell += tail
			j = t
		}
		return cell, j, true
	}
}
