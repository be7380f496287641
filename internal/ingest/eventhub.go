package ingest

// This file reads the Defender for Endpoint streaming API's format, as
// delivered to an Event Hub or a storage account:
//
//	{"records":[{"time":"…","tenantId":"…","operationName":"Publish",
//	  "category":"AdvancedHunting-DeviceProcessEvents","properties":{…}}]}
//
// one such object per line or a whole file. Each record goes to the table
// its category names; Timestamp comes from properties, else from time.

import (
	"strings"
)

func (w *worker) hubRecord(r *rec) {
	outer, err := w.objectRecord(r.text)
	if err != nil {
		w.res.records++
		w.reject(r.line, r.text, err.Error())
		return
	}
	recs, ok := lookup(outer, "records")
	if !ok { // a bare record, as some pipelines unwrap them
		w.res.records++
		w.hubOne(r.text, r.line)
		return
	}
	if recs.k != kArr {
		w.res.records++
		w.reject(r.line, r.text, `"records" is not an array`)
		return
	}
	base := strings.Index(r.text, recs.s)
	line, last := r.line, base
	_, _ = scanArray(recs.s, 0, func(v jval, off int) error {
		w.res.records++
		line += strings.Count(r.text[last:base+off], "\n")
		last = base + off
		text := recs.s[off:]
		if v.k == kObj {
			text = v.s
		} else if k := strings.IndexAny(text, ",]"); k >= 0 {
			text = text[:k]
		}
		if v.k != kObj {
			w.reject(line, text, "an Event Hub record must be a JSON object")
			return nil
		}
		w.hubOne(text, line)
		return nil
	})
}

// hubOne writes one streaming-API record.
func (w *worker) hubOne(text string, line int) {
	fields, _, err := scanObject(text, 0, w.inner[:0])
	w.inner = fields[:0]
	if err != nil {
		w.reject(line, text, err.Error())
		return
	}
	cat, _ := lookup(fields, "category")
	props, _ := lookup(fields, "properties")
	name := strings.TrimPrefix(cat.s, "AdvancedHunting-")
	switch {
	case cat.k != kStr || name == "":
		w.reject(line, text, `the record has no "category" naming its table`)
		return
	case props.k != kObj:
		w.reject(line, text, `the record has no "properties" object`)
		return
	case !isIdent(name):
		w.reject(line, text, "category "+preview(cat.s)+" names no table")
		return
	}
	if c := w.in.reg.canonical(name); c != "" {
		name = c
	}
	pf, _, err := scanObject(props.s, 0, w.props[:0])
	w.props = pf[:0]
	if err != nil {
		w.reject(line, text, err.Error())
		return
	}
	t := w.in.reg.table(name)
	for _, env := range [...][2]string{{"time", "Timestamp"}, {"tenantId", "TenantId"}} {
		if _, ok := lookup(pf, env[1]); ok || (t != nil && t.column(env[1]) < 0) {
			continue
		}
		if v, ok := lookup(fields, env[0]); ok && v.k == kStr {
			pf = append(pf, field{name: env[1], v: v})
		}
	}
	w.props = pf[:0]
	w.tableRow(name, pf, line, text, false)
}
