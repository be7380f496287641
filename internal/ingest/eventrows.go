package ingest

// This file writes Windows event records from event-log exports to the
// tables Sentinel keeps them in: Security channel events to SecurityEvent
// (columns by field name, every field also in the EventData XML), every
// other channel to WindowsEvent (fields in the EventData bag).

import (
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/value"
)

// eventRecord reads one record of an event-log export.
func (w *worker) eventRecord(r *rec) {
	w.res.records++
	fields, err := w.objectRecord(r.text)
	if err != nil {
		w.reject(r.line, r.text, err.Error())
		return
	}
	e := &w.ev
	e.reset()
	var why string
	if v, ok := lookup(fields, "Event"); ok && v.k == kObj {
		why = e.fromEvtx(fields, v.s)
	} else if v, ok := lookup(fields, "winlog"); ok && v.k == kObj {
		why = e.fromWinlogbeat(fields, v.s)
	} else {
		why = e.fromFlat(fields)
	}
	if why != "" {
		w.reject(r.line, r.text, why)
		return
	}
	if strings.EqualFold(e.channel, "Security") {
		w.securityEventRow(e)
	} else {
		w.windowsEventRow(e)
	}
	if !w.in.opts.NoNormalize {
		w.normalize(e)
	}
}

// systemColumns sets the system properties that are columns of the row's
// table (WindowsEvent calls Level EventLevel) and counts the others.
func (w *worker) systemColumns(r *row, e *winEvent) {
	for _, f := range e.sys {
		col := f.name
		if col == "Level" && r.t.name == "WindowsEvent" {
			col = "EventLevel"
			r.str("EventLevelName", levelName(f.v.text()))
		}
		if r.t.column(col) < 0 || !r.str(col, f.v.text()) {
			w.ignore(r.t, col)
		}
	}
	for _, f := range e.extra {
		w.ignore(r.t, f.name)
	}
	if e.message != "" {
		w.ignore(r.t, "Message")
	}
}

func (w *worker) ignore(t *tableInfo, field string) {
	w.res.ignored[ignoredKey{t.name, field}]++
}

func levelName(level string) string {
	switch level {
	case "1":
		return "Critical"
	case "2":
		return "Error"
	case "3":
		return "Warning"
	case "0", "4":
		return "Information"
	case "5":
		return "Verbose"
	}
	return ""
}

func (w *worker) eventHeader(r *row, e *winEvent) {
	r.time("TimeGenerated", e.time, e.hasTime)
	r.str("Computer", e.computer)
	if e.hasEID {
		r.set("EventID", value.OfLong(int64(e.eventID)))
	}
	r.str("Channel", e.channel)
	r.str("Type", r.t.name)
	w.systemColumns(r, e)
}

func (w *worker) securityEventRow(e *winEvent) {
	r := w.row(w.in.reg.table("SecurityEvent"))
	w.eventHeader(r, e)
	r.str("EventSourceName", e.provider)
	if e.message != "" {
		msg, _, _ := strings.Cut(e.message, "\n")
		r.str("Activity", strconv.Itoa(e.eventID)+" - "+strings.TrimSpace(msg))
	}
	for _, f := range e.data {
		if i := r.t.column(f.name); i >= 0 && f.v.k != kNull {
			if v, err := coerce(f.v, r.t.schema.Columns[i].Type); err == nil {
				r.vals[i] = v
			}
		}
	}
	subject := account(e.get("SubjectDomainName"), e.get("SubjectUserName"))
	target := account(e.get("TargetDomainName"), e.get("TargetUserName"))
	r.str("SubjectAccount", subject)
	r.str("TargetAccount", target)
	if target != "" {
		r.str("Account", target)
		r.str("AccountType", accountType(e.get("TargetUserName")))
	} else if subject != "" {
		r.str("Account", subject)
		r.str("AccountType", accountType(e.get("SubjectUserName")))
	}
	if lt := e.get("LogonType"); lt != "" {
		if name := logonTypeName(lt); name != "" {
			r.str("LogonTypeName", lt+" - "+name)
		}
	}
	r.str("EventData", eventDataXML(e.data))
	w.emit(r)
}

func account(domain, user string) string {
	switch {
	case user == "":
		return ""
	case domain == "":
		return user
	}
	return domain + `\` + user
}

func accountType(user string) string {
	if strings.HasSuffix(user, "$") {
		return "Machine"
	}
	return "User"
}

// eventDataXML renders event data as Sentinel's EventData column does.
func eventDataXML(data []field) string {
	var b strings.Builder
	b.WriteString(`<EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event">`)
	for _, f := range data {
		b.WriteString(`<Data Name="`)
		xmlEscape(&b, f.name)
		b.WriteString(`">`)
		xmlEscape(&b, f.v.text())
		b.WriteString(`</Data>`)
	}
	b.WriteString(`</EventData>`)
	return b.String()
}

func xmlEscape(b *strings.Builder, s string) {
	for _, c := range s {
		switch c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			b.WriteRune(c)
		}
	}
}

func (w *worker) windowsEventRow(e *winEvent) {
	r := w.row(w.in.reg.table("WindowsEvent"))
	w.eventHeader(r, e)
	r.str("Provider", e.provider)
	bag := value.NewBag(len(e.data))
	for _, f := range e.data {
		d, err := dynamicOf(f.v)
		if err != nil {
			d = f.v.s
		}
		bag.Set(f.name, d)
	}
	r.set("EventData", value.OfDynamic(bag))
	w.emit(r)
}
