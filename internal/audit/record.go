package audit

// This file defines a record and its canonical bytes.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kinds of record. Other kinds are allowed; these are the ones vigil writes.
const (
	KindQuery     = "query"
	KindModelCall = "model_call"
	KindToolCall  = "tool_call"
	KindFinding   = "finding"
	KindProposal  = "proposal"
	KindDecision  = "decision"
	KindAPICall   = "api_call"
	KindExecution = "execution"
)

// Genesis is the prev of the first record.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// timeLayout has a fixed width so times sort as strings.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// Record is one entry of the log.
type Record struct {
	Seq     int64
	Time    time.Time // UTC
	Kind    string
	Actor   string
	Payload json.RawMessage // canonical, redacted JSON
	Prev    string          // hash of the previous record, or Genesis
	Hash    string          // SHA-256 hex of the canonical bytes without hash
}

// wire is a record as written; field order is the canonical key order.
type wire struct {
	Seq     int64           `json:"seq"`
	Time    string          `json:"time"`
	Kind    string          `json:"kind"`
	Actor   string          `json:"actor"`
	Payload json.RawMessage `json:"payload"`
	Prev    string          `json:"prev"`
	Hash    string          `json:"hash,omitempty"`
}

func (r Record) wire() wire {
	return wire{Seq: r.Seq, Time: r.Time.UTC().Format(timeLayout), Kind: r.Kind,
		Actor: r.Actor, Payload: r.Payload, Prev: r.Prev, Hash: r.Hash}
}

// canonical returns the record's canonical bytes, with or without its hash.
func (r Record) canonical(withHash bool) []byte {
	w := r.wire()
	if !withHash {
		w.Hash = ""
	}
	b, err := json.Marshal(w)
	if err != nil { // a RawMessage that is not JSON; Append never builds one
		panic(fmt.Sprintf("audit: encode record: %v", err))
	}
	return b
}

// computeHash returns the SHA-256 hex of the canonical bytes without hash.
func (r Record) computeHash() string {
	sum := sha256.Sum256(r.canonical(false))
	return hex.EncodeToString(sum[:])
}

// line is the record as written to the file, newline included.
func (r Record) line() []byte { return append(r.canonical(true), '\n') }

// parseLine decodes one line (without its newline). It rejects unknown
// fields, missing fields and trailing data, but not a wrong hash or chain.
func parseLine(b []byte) (Record, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var w struct {
		Seq     *int64          `json:"seq"`
		Time    *string         `json:"time"`
		Kind    *string         `json:"kind"`
		Actor   *string         `json:"actor"`
		Payload json.RawMessage `json:"payload"`
		Prev    *string         `json:"prev"`
		Hash    *string         `json:"hash"`
	}
	if err := dec.Decode(&w); err != nil {
		return Record{}, fmt.Errorf("not a JSON record: %v", err)
	}
	if dec.More() {
		return Record{}, fmt.Errorf("data after the record")
	}
	var missing []string
	for name, ok := range map[string]bool{"seq": w.Seq != nil, "time": w.Time != nil,
		"kind": w.Kind != nil, "actor": w.Actor != nil, "payload": w.Payload != nil,
		"prev": w.Prev != nil, "hash": w.Hash != nil} {
		if !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return Record{}, fmt.Errorf("missing field(s) %s", strings.Join(missing, ", "))
	}
	t, err := time.Parse(timeLayout, *w.Time)
	if err != nil {
		return Record{}, fmt.Errorf("bad time %q", *w.Time)
	}
	return Record{Seq: *w.Seq, Time: t, Kind: *w.Kind, Actor: *w.Actor,
		Payload: w.Payload, Prev: *w.Prev, Hash: *w.Hash}, nil
}
