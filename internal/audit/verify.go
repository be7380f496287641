package audit

// This file checks a log's chain and names the first record that breaks it.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// Report says what Verify checked.
type Report struct {
	Records  int    // records that verified, from the start
	LastSeq  int64  // seq of the last good record
	LastHash string // its hash: publish it to detect truncation later
	// HeadSeq is the seq the head file records; HeadMissing says there was
	// no head file, so removal of trailing records could not be checked.
	HeadSeq     int64
	HeadMissing bool
}

// TamperError names the first record that does not verify.
type TamperError struct {
	Path string
	// Seq is the record's own seq when its hash holds, else (unreadable or
	// changed record) the seq expected at that position.
	Seq    int64
	Line   int // 1-based line number
	Reason string
}

func (e *TamperError) Error() string {
	return fmt.Sprintf("audit log %s: record %d (line %d): %s", e.Path, e.Seq, e.Line, e.Reason)
}

// Verify reads the log at path and checks every record's hash, encoding,
// seq and link to the record before, then the head file. It returns a
// *TamperError for the first bad record, or another error when the file
// cannot be read. The Report covers the records before the bad one.
func Verify(path string) (Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return Report{}, fmt.Errorf("audit log: %w", err)
	}
	defer f.Close()
	v := verifier{path: path, rep: Report{LastHash: Genesis}}
	if err := v.scan(bufio.NewReaderSize(f, 64<<10)); err != nil {
		return v.rep, err
	}
	return v.rep, v.checkHead()
}

type verifier struct {
	path   string
	rep    Report
	line   int
	head   head   // from the head file
	atHead string // hash of the record with seq head.Seq, once seen
}

func (v *verifier) scan(r *bufio.Reader) error {
	h, ok, err := readHead(v.path)
	if err != nil {
		return err
	}
	v.head, v.rep.HeadMissing, v.rep.HeadSeq = h, !ok, h.Seq
	for {
		b, err := r.ReadBytes('\n')
		if len(b) > 0 {
			v.line++
			if b[len(b)-1] != '\n' {
				return v.bad(v.rep.LastSeq+1, "incomplete final record (no newline): torn write or truncation")
			}
			if err := v.check(b[:len(b)-1]); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("audit log %s: %w", v.path, err)
		}
	}
}

// check verifies one line against the chain so far.
func (v *verifier) check(b []byte) error {
	want := v.rep.LastSeq + 1
	if len(b) == 0 {
		return v.bad(want, "empty line")
	}
	r, err := parseLine(b)
	if err != nil {
		return v.bad(want, err.Error())
	}
	switch {
	case r.computeHash() != r.Hash:
		return v.bad(want, "hash mismatch: the record was changed after it was written")
	case !bytes.Equal(r.canonical(true), b):
		return v.bad(r.Seq, "bytes differ from the canonical encoding: the line was edited")
	case r.Seq > want:
		return v.bad(r.Seq, fmt.Sprintf("seq jumps from %d to %d: records deleted or moved", want-1, r.Seq))
	case r.Seq < want:
		return v.bad(r.Seq, fmt.Sprintf("seq %d after %d: record inserted or moved", r.Seq, want-1))
	case r.Prev != v.rep.LastHash:
		return v.bad(r.Seq, fmt.Sprintf("prev is not the hash of record %d (line %d): that record or this one was replaced", want-1, v.line-1))
	}
	v.rep.Records++
	v.rep.LastSeq, v.rep.LastHash = r.Seq, r.Hash
	if r.Seq == v.head.Seq {
		v.atHead = r.Hash
	}
	return nil
}

// checkHead compares the end of the log with the head file.
func (v *verifier) checkHead() error {
	if v.rep.HeadMissing || v.rep.HeadSeq == 0 {
		return nil
	}
	h := v.head
	switch {
	case v.atHead == "":
		return &TamperError{Path: v.path, Seq: h.Seq, Line: v.line + 1, Reason: fmt.Sprintf(
			"missing: the log ends at record %d but its head file records %d: records removed from the end", v.rep.LastSeq, h.Seq)}
	case v.atHead != h.Hash:
		return &TamperError{Path: v.path, Seq: h.Seq, Line: int(h.Seq), Reason: "hash differs from the head file: the log was rewritten"}
	}
	return nil
}

func (v *verifier) bad(seq int64, reason string) error {
	return &TamperError{Path: v.path, Seq: seq, Line: v.line, Reason: reason}
}
