package ingest

// This file reads Windows event records in the shapes they are exported
// in: winlogbeat and the OTRF (Mordor) flattening of it, evtx_dump JSON,
// and Sentinel's SecurityEvent, WindowsEvent and Event tables. Each
// becomes a winEvent: system properties plus the EventData fields.

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/value"
)

// winEvent is one Windows event record.
type winEvent struct {
	channel, provider, computer string
	eventID                     int
	hasEID                      bool
	time                        value.Datetime
	hasTime                     bool
	timeRank                    int // how good the source of time is; lower is better
	message                     string
	// sys holds system properties under their SecurityEvent column names:
	// Task, Level, Keywords, Opcode, Version, EventRecordId,
	// SystemProcessId, SystemThreadId, SystemUserId, Correlation.
	sys   []field
	data  []field // EventData (or UserData) fields
	extra []field // envelope fields with no column: counted as ignored
}

func (e *winEvent) reset() {
	*e = winEvent{sys: e.sys[:0], data: e.data[:0], extra: e.extra[:0]}
}

// get returns an EventData field's text; "-" reads as empty.
func (e *winEvent) get(name string) string {
	for i := range e.data {
		if e.data[i].name == name {
			if s := e.data[i].v.text(); s != "-" {
				return s
			}
			return ""
		}
	}
	return ""
}

func (e *winEvent) setEventID(v jval) {
	if n, ok := parseInt(strings.TrimSpace(v.text())); ok {
		e.eventID, e.hasEID = int(n), true
	}
}

// setTime keeps the best-ranked parseable time.
func (e *winEvent) setTime(v jval, rank int) {
	if e.hasTime && rank >= e.timeRank {
		return
	}
	var d value.Datetime
	var ok bool
	if v.k == kNum {
		var f float64
		f, ok = parseFloat(v.s)
		if ok {
			d, ok = epoch(f)
		}
	} else {
		d, ok = ParseDatetime(v.text())
	}
	if ok {
		e.time, e.hasTime, e.timeRank = d, true, rank
	}
}

func parseFloat(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// flatSys maps the OTRF/nxlog envelope keys to system properties.
var flatSys = map[string]string{
	"Task": "Task", "Level": "Level", "Keywords": "Keywords", "Opcode": "Opcode", "Version": "Version",
	"RecordNumber": "EventRecordId", "EventRecordID": "EventRecordId", "ExecutionProcessID": "SystemProcessId",
	"ThreadID": "SystemThreadId", "UserID": "SystemUserId", "ActivityID": "Correlation",
}

// flatExtra are OTRF/nxlog envelope keys that describe the collection,
// not the event.
var flatExtra = map[string]bool{
	"@version": true, "tags": true, "port": true, "host": true, "Severity": true, "SeverityValue": true,
	"SourceModuleName": true, "SourceModuleType": true, "EventTypeOrignal": true, "OpcodeValue": true,
	"ProviderGuid": true, "Category": true, "EventTime": true, "EventReceivedTime": true,
}

// fromFlat reads the OTRF flattening: event data and envelope side by side.
func (e *winEvent) fromFlat(fields []field) string {
	nxlogUser := false
	for _, f := range fields {
		switch f.name {
		case "EventID":
			e.setEventID(f.v)
		case "Channel":
			e.channel = f.v.text()
		case "Hostname", "Computer", "computer_name":
			e.computer = f.v.text()
		case "SourceName", "ProviderName", "Provider":
			e.provider = f.v.text()
		case "Message":
			e.message = f.v.text()
		case "@timestamp":
			e.setTime(f.v, 0)
		case "TimeCreated":
			e.setTime(f.v, 1)
		case "EventType":
			switch f.v.s {
			case "AUDIT_SUCCESS", "AUDIT_FAILURE", "INFO", "WARNING", "ERROR", "VERBOSE", "CRITICAL":
				e.extra = append(e.extra, f)
			default:
				e.data = append(e.data, f)
			}
		default:
			if col, ok := flatSys[f.name]; ok {
				e.sys = append(e.sys, field{name: col, v: f.v})
				nxlogUser = nxlogUser || f.name == "UserID"
				continue
			}
			if flatExtra[f.name] {
				e.extra = append(e.extra, f)
				continue
			}
			e.data = append(e.data, f)
		}
	}
	if nxlogUser { // nxlog resolves the record's UserID into these
		e.data = moveFields(e.data, &e.extra, "AccountName", "Domain", "AccountType")
	}
	if e.computer == "" {
		if v, ok := lookup(fields, "host"); ok && v.k == kStr {
			e.computer = v.s
		}
	}
	return e.check()
}

func (e *winEvent) check() string {
	if !e.hasEID {
		return "not a Windows event: no EventID"
	}
	return ""
}

func moveFields(data []field, extra *[]field, names ...string) []field {
	out := data[:0]
	for _, f := range data {
		moved := false
		for _, n := range names {
			if f.name == n {
				*extra = append(*extra, f)
				moved = true
			}
		}
		if !moved {
			out = append(out, f)
		}
	}
	return out
}

// fromWinlogbeat reads winlogbeat's own shape: winlog.event_data etc.
func (e *winEvent) fromWinlogbeat(fields []field, winlog string) string {
	wl, _, err := scanObject(winlog, 0, nil)
	if err != nil {
		return err.Error()
	}
	for _, f := range fields {
		switch f.name {
		case "winlog":
		case "@timestamp":
			e.setTime(f.v, 0)
		case "message":
			e.message = f.v.text()
		case "host":
			if v := member(f.v, "name"); e.computer == "" && v.k == kStr {
				e.computer = v.s
			}
		default:
			e.extra = append(e.extra, f)
		}
	}
	for _, f := range wl {
		switch f.name {
		case "channel":
			e.channel = f.v.text()
		case "event_id":
			e.setEventID(f.v)
		case "computer_name":
			e.computer = f.v.text()
		case "provider_name":
			e.provider = f.v.text()
		case "record_id":
			e.sys = append(e.sys, field{name: "EventRecordId", v: f.v})
		case "task", "opcode", "version":
			e.sys = append(e.sys, field{name: strings.ToUpper(f.name[:1]) + f.name[1:], v: f.v})
		case "keywords":
			e.sys = append(e.sys, field{name: "Keywords", v: f.v})
		case "activity_id":
			e.sys = append(e.sys, field{name: "Correlation", v: f.v})
		case "process":
			e.sys = appendIf(e.sys, "SystemProcessId", member(f.v, "pid"))
			e.sys = appendIf(e.sys, "SystemThreadId", member(member(f.v, "thread"), "id"))
		case "user":
			e.sys = appendIf(e.sys, "SystemUserId", member(f.v, "identifier"))
		case "event_data", "user_data":
			e.data = appendObject(e.data, f.v)
		default:
			e.extra = append(e.extra, field{name: "winlog." + f.name, v: f.v})
		}
	}
	return e.check()
}

func appendIf(fs []field, name string, v jval) []field {
	if v.k == kNull {
		return fs
	}
	return append(fs, field{name: name, v: v})
}

// appendObject appends the members of an object value, skipping evtx
// attributes.
func appendObject(fs []field, v jval) []field {
	if v.k != kObj {
		return fs
	}
	members, _, err := scanObject(v.s, 0, nil)
	if err != nil {
		return fs
	}
	for _, m := range members {
		if m.name != "#attributes" {
			fs = append(fs, m)
		}
	}
	return fs
}

// member returns the member name of an object value (null if absent).
func member(v jval, name string) jval {
	if v.k != kObj {
		return jval{}
	}
	fs, _, err := scanObject(v.s, 0, nil)
	if err != nil {
		return jval{}
	}
	m, _ := lookup(fs, name)
	return m
}

// attr returns an evtx_dump attribute: v["#attributes"][name].
func attr(v jval, name string) jval { return member(member(v, "#attributes"), name) }

// fromEvtx reads evtx_dump's {"Event":{"System":{…},"EventData":{…}}}.
func (e *winEvent) fromEvtx(fields []field, event string) string {
	ev, _, err := scanObject(event, 0, nil)
	if err != nil {
		return err.Error()
	}
	for _, f := range fields {
		if f.name != "Event" {
			e.extra = append(e.extra, f)
		}
	}
	for _, f := range ev {
		switch f.name {
		case "System":
			e.evtxSystem(f.v)
		case "EventData":
			e.data = appendObject(e.data, f.v)
		case "UserData":
			children, _, err := scanObject(f.v.s, 0, nil)
			if err != nil || f.v.k != kObj {
				continue
			}
			for _, c := range children {
				e.data = appendObject(e.data, c.v)
			}
		case "#attributes":
		default:
			e.extra = append(e.extra, field{name: "Event." + f.name, v: f.v})
		}
	}
	return e.check()
}

func (e *winEvent) evtxSystem(v jval) {
	sys, _, err := scanObject(v.s, 0, nil)
	if err != nil || v.k != kObj {
		return
	}
	for _, f := range sys {
		switch f.name {
		case "Provider":
			e.provider = attr(f.v, "Name").text()
		case "EventID":
			if f.v.k == kObj {
				e.setEventID(member(f.v, "#text"))
			} else {
				e.setEventID(f.v)
			}
		case "TimeCreated":
			e.setTime(attr(f.v, "SystemTime"), 0)
		case "EventRecordID":
			e.sys = append(e.sys, field{name: "EventRecordId", v: f.v})
		case "Execution":
			e.sys = appendIf(e.sys, "SystemProcessId", attr(f.v, "ProcessID"))
			e.sys = appendIf(e.sys, "SystemThreadId", attr(f.v, "ThreadID"))
		case "Security":
			e.sys = appendIf(e.sys, "SystemUserId", attr(f.v, "UserID"))
		case "Correlation":
			e.sys = appendIf(e.sys, "Correlation", attr(f.v, "ActivityID"))
		case "Channel":
			e.channel = f.v.text()
		case "Computer":
			e.computer = f.v.text()
		case "Task", "Level", "Keywords", "Opcode", "Version":
			e.sys = append(e.sys, f)
		}
	}
}

// sentinelEnvelope are columns of Sentinel's event tables that are not
// event data.
var sentinelEnvelope = map[string]bool{
	"TenantId": true, "SourceSystem": true, "TimeGenerated": true, "Computer": true, "EventID": true,
	"Channel": true, "Type": true, "_ResourceId": true, "EventSourceName": true, "Task": true, "Level": true,
	"Activity": true, "MG": true, "ManagementGroupName": true, "SourceComputerId": true, "EventOriginId": true,
	"TimeCollected": true, "AzureDeploymentID": true, "Role": true, "_ItemId": true, "_BilledSize": true,
	"_IsBillable": true, "EventData": true, "Provider": true, "EventLevel": true, "EventLevelName": true,
	"EventLog": true, "Source": true, "EventCategory": true, "ParameterXml": true, "RenderedDescription": true,
	"UserName": true, "Keywords": true, "Opcode": true, "Version": true, "EventRecordId": true,
	"SystemProcessId": true, "SystemThreadId": true, "SystemUserId": true, "Correlation": true,
	"RawEventData": true, "InstanceId": true, "Message": true,
}

// eventFromRow reads a row of Sentinel's SecurityEvent, WindowsEvent or
// Event table as a Windows event, for normalisation.
func (w *worker) eventFromRow(table string, fields []field) (*winEvent, bool) {
	switch table {
	case "SecurityEvent", "WindowsEvent", "Event":
	default:
		return nil, false
	}
	e := &w.ev
	e.reset()
	for _, f := range fields {
		_, name := exportNames(f.name)
		switch name {
		case "EventID":
			e.setEventID(f.v)
		case "Channel", "EventLog":
			e.channel = f.v.text()
		case "Computer":
			e.computer = f.v.text()
		case "EventSourceName", "Provider", "Source":
			e.provider = f.v.text()
		case "TimeGenerated":
			e.setTime(f.v, 1)
		case "EventData":
			e.data = appendEventData(e.data, f.v)
		default:
			if !sentinelEnvelope[name] {
				e.data = append(e.data, field{name: name, v: f.v})
			}
		}
	}
	if table == "SecurityEvent" && e.channel == "" {
		e.channel = "Security"
	}
	return e, e.hasEID
}

// appendEventData appends the fields of an EventData column: a JSON
// object (WindowsEvent), JSON text of one, or XML (SecurityEvent, Event).
func appendEventData(fs []field, v jval) []field {
	switch {
	case v.k == kObj:
		return appendObject(fs, v)
	case v.k != kStr:
		return fs
	}
	s := strings.TrimSpace(v.s)
	switch {
	case strings.HasPrefix(s, "{"):
		return appendObject(fs, jval{k: kObj, s: s})
	case strings.HasPrefix(s, "<"):
		return appendXMLData(fs, s)
	}
	return fs
}

// appendXMLData appends the <Data Name="…">…</Data> elements of an
// EventData XML fragment, and the leaf elements of a UserData one.
func appendXMLData(fs []field, s string) []field {
	dec := xml.NewDecoder(strings.NewReader(s))
	var name string
	var text strings.Builder
	unnamed := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF || err != nil {
			return fs
		}
		switch t := tok.(type) {
		case xml.StartElement:
			text.Reset()
			name = t.Name.Local
			if name == "Data" {
				name = ""
				for _, a := range t.Attr {
					if a.Name.Local == "Name" {
						name = a.Value
					}
				}
				if name == "" {
					unnamed++
					name = "param" + strconv.Itoa(unnamed)
				}
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if name != "" && t.Name.Local != "EventData" && t.Name.Local != "UserData" && t.Name.Local != "DataItem" {
				fs = append(fs, field{name: name, v: jval{k: kStr, s: text.String()}})
			}
			name = ""
		}
	}
}
