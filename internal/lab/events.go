package lab

// This file implements the Defender event model shared by the Device*
// tables and the helpers generators use to emit one row: a process
// creation, a connection, a logon, a file or registry change, or one of
// the miscellaneous DeviceEvents.

import (
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

// event is one row of a Device* table. Which fields are set depends on the
// table and action; unset ones become empty or null cells.
type event struct {
	h       *host
	action  string
	init    *proc    // the initiating process
	proc    *proc    // the created (DeviceProcessEvents) or target process
	file    *file    // the file acted on; for process creation, the image
	acct    *account // Account* columns
	logonID int64    // LogonId; 0 means null
	net     *netInfo
	logon   *logonInfo
	reg     *regInfo
	fop     *fileOp
	extra   any // AdditionalFields
}

type netInfo struct {
	RemoteIP, RemoteURL, RemoteDev, LocalIP, Protocol string
	RemotePort, LocalPort                             int
}

type logonInfo struct {
	Type, Failure string
	LocalAdmin    bool
}

type regInfo struct{ Key, ValueType, ValueName, ValueData, PrevKey, PrevName, PrevData string }

type fileOp struct {
	OriginURL, OriginReferrer, OriginIP, PrevPath string
	ReqProtocol, ReqSourceIP, Share               string
	ReqSourcePort                                 int
	ReqAcct                                       *account
}

// hctx is a generator working on one host with one random stream.
type hctx struct {
	g      *gen
	h      *host
	r      *rng
	day    time.Time      // the local day being generated
	d      value.Datetime // its start
	dayIdx int
}

func (c *hctx) emit(t tableID, at value.Datetime, e *event) *event {
	e.h = c.h
	c.g.sink.add(t, &record{t: at, ev: e})
	return e
}

// spawn starts a process and reports its creation. The child runs as
// acct; integrity and elevation follow from the account and the parent.
func (c *hctx) spawn(parent *proc, image *file, cmd string, at value.Datetime, acct *account) *proc {
	p := c.newProc(parent, image, cmd, at, acct)
	c.emit(tProcess, at, &event{action: "ProcessCreated", init: parent, proc: p, file: image, acct: acct, logonID: p.LogonID})
	return p
}

// newProc creates a process without reporting it.
func (c *hctx) newProc(parent *proc, image *file, cmd string, at value.Datetime, acct *account) *proc {
	p := &proc{Img: image, PID: c.h.nextPID(), Cmd: cmd, Created: at, Acct: acct, Parent: parent}
	if parent != nil {
		p.Session, p.RemoteDev, p.RemoteIP = parent.Session, parent.RemoteDev, parent.RemoteIP
	}
	switch {
	case c.h.linux:
	case acct == acctSystem:
		p.Integrity, p.Elevation, p.LogonID = "System", "TokenElevationTypeDefault", logonSystem
	case acct == acctLocalService:
		p.Integrity, p.Elevation, p.LogonID = "System", "TokenElevationTypeDefault", logonLocalService
	case acct == acctNetworkService:
		p.Integrity, p.Elevation, p.LogonID = "System", "TokenElevationTypeDefault", logonNetworkService
	case parent != nil && parent.Acct == acct && parent.Integrity != "System":
		p.Integrity, p.Elevation, p.LogonID = parent.Integrity, parent.Elevation, parent.LogonID
	default:
		p.Integrity, p.Elevation = "Medium", "TokenElevationTypeLimited"
		if parent != nil {
			p.LogonID = parent.LogonID
		}
	}
	p.UniqueID = uniqueID(p)
	return p
}

// elevate marks a process as running with a full administrator token.
func elevate(p *proc) *proc {
	p.Integrity, p.Elevation = "High", "TokenElevationTypeFull"
	return p
}

// ephemeral returns a client port in the host's dynamic range.
func (c *hctx) ephemeral() int {
	if c.h.linux {
		return c.r.between(32768, 60999)
	}
	return c.r.between(49152, 65535)
}

// connect reports an outbound connection by p.
func (c *hctx) connect(p *proc, at value.Datetime, action, remoteIP string, port int, url string) *event {
	proto := "Tcp"
	if port == 53 || port == 123 || port == 3478 {
		proto = "Udp"
	}
	return c.emit(tNetwork, at, &event{action: action, init: p, net: &netInfo{
		RemoteIP: remoteIP, RemotePort: port, RemoteURL: url, LocalIP: c.h.IP, LocalPort: c.ephemeral(), Protocol: proto}})
}

// accept reports an inbound connection accepted by the listening process p.
func (c *hctx) accept(p *proc, at value.Datetime, remoteIP string, remotePort, localPort int) *event {
	return c.emit(tNetwork, at, &event{action: "InboundConnectionAccepted", init: p, net: &netInfo{
		RemoteIP: remoteIP, RemotePort: remotePort, LocalIP: c.h.IP, LocalPort: localPort, Protocol: "Tcp"}})
}

// logonEv describes a logon attempt for emitLogon.
type logonEv struct {
	action, ltype, proto, failure string
	acct                          *account
	remoteIP, remoteDev           string
	remotePort                    int
	admin                         bool
	init                          *proc
	id                            int64 // the session's logon id, when already known
}

// logon reports a logon attempt and returns the new session's logon id (0
// for failures).
func (c *hctx) logon(at value.Datetime, l logonEv) int64 {
	e := &event{action: l.action, acct: l.acct, init: l.init,
		logon: &logonInfo{Type: l.ltype, Failure: l.failure, LocalAdmin: l.admin},
		net:   &netInfo{RemoteIP: l.remoteIP, RemoteDev: l.remoteDev, RemotePort: l.remotePort, Protocol: l.proto}}
	if e.init == nil && !c.h.linux {
		e.init = c.h.sys.lsass
		switch l.ltype {
		case "Interactive", "Unlock", "CachedInteractive", "RemoteInteractive":
			e.init = c.h.sys.winlogon
		case "Service":
			e.init = c.h.sys.services
		}
	}
	if l.action == "LogonSuccess" {
		e.logonID = l.id
		if e.logonID == 0 {
			e.logonID = c.h.nextLogonID()
		}
	}
	c.emit(tLogon, at, e)
	return e.logonID
}

// fileEvent reports a file change by p.
func (c *hctx) fileEvent(p *proc, at value.Datetime, action string, f *file, op *fileOp) *event {
	return c.emit(tFile, at, &event{action: action, init: p, file: f, fop: op})
}

// regSet reports a registry value written by p.
func (c *hctx) regSet(p *proc, at value.Datetime, key, vtype, name, data string) *event {
	return c.emit(tRegistry, at, &event{action: "RegistryValueSet", init: p,
		reg: &regInfo{Key: key, ValueType: vtype, ValueName: name, ValueData: data}})
}

// misc reports a DeviceEvents row initiated by p.
func (c *hctx) misc(p *proc, at value.Datetime, action string, extra any) *event {
	return c.emit(tEvents, at, &event{action: action, init: p, extra: extra, logonID: p.LogonID})
}

// bag builds an AdditionalFields property bag from key, value pairs.
func bag(kv ...any) *value.Bag {
	b := value.NewBag(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		v := kv[i+1]
		switch x := v.(type) {
		case int:
			v = int64(x)
		case []string:
			arr := make([]any, len(x))
			for j, s := range x {
				arr[j] = s
			}
			v = arr
		}
		b.Set(kv[i].(string), v)
	}
	return b
}

// add returns t moved by d.
func add(t value.Datetime, d time.Duration) value.Datetime { return t + value.Datetime(d/100) }
