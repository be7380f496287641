package lab

// This file maps the columns of the Defender Device* tables to the event
// model: one function per column name, shared by every table that has the
// column, so a column means the same thing wherever it appears.

import (
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func vs(s string) value.Value { return value.OfString(s) }

func vlong(x int64, ok bool) value.Value {
	if !ok {
		return value.Null(types.Long)
	}
	return value.OfLong(x)
}

func vint(x int, ok bool) value.Value {
	if !ok {
		return value.Null(types.Int)
	}
	return value.OfInt(int64(x))
}

func vtime(t value.Datetime, ok bool) value.Value {
	if !ok {
		return value.Null(types.Datetime)
	}
	return value.OfDatetime(t)
}

func vbool(b, ok bool) value.Value {
	if !ok {
		return value.Null(types.Bool)
	}
	return value.OfBool(b)
}

func vdyn(d any) value.Value {
	if d == nil {
		return value.Null(types.Dynamic)
	}
	return value.OfDynamic(d)
}

// commonColumns are the Log Analytics columns every Sentinel table has;
// table maps override them where a table fills one differently.
func (g *gen) commonColumns() map[string]colFn {
	ws := g.fleet.workspaceID
	return map[string]colFn{
		"TimeGenerated":   func(r *record) value.Value { return value.OfDatetime(r.t) },
		"TenantId":        func(r *record) value.Value { return vs(ws) },
		"Type":            func(r *record) value.Value { return vs(tableNames[r.tab]) },
		"SourceSystem":    func(r *record) value.Value { return vs("") },
		"_BilledSize":     func(r *record) value.Value { return value.OfReal(0) }, // set by the sink
		"_IsBillable":     func(r *record) value.Value { return vs("True") },
		"_ResourceId":     func(r *record) value.Value { return vs("") },
		"_SubscriptionId": func(r *record) value.Value { return vs("") },
		"_ItemId":         func(r *record) value.Value { return vs(r.item) },
	}
}

// fileCol reads a field of the event's file, "" when there is none.
func fileCol(get func(*file) string) colFn {
	return func(r *record) value.Value {
		if f := r.ev.file; f != nil {
			return vs(get(f))
		}
		return vs("")
	}
}

func verCol(get func(*verInfo) string) colFn {
	return func(r *record) value.Value {
		if f := r.ev.file; f != nil && f.ver != nil {
			return vs(get(f.ver))
		}
		return vs("")
	}
}

func initCol(get func(*proc) string) colFn {
	return func(r *record) value.Value {
		if p := r.ev.init; p != nil {
			return vs(get(p))
		}
		return vs("")
	}
}

func initVerCol(get func(*verInfo) string) colFn {
	return func(r *record) value.Value {
		if p := r.ev.init; p != nil && p.Img.ver != nil {
			return vs(get(p.Img.ver))
		}
		return vs("")
	}
}

func procCol(get func(*proc) string) colFn {
	return func(r *record) value.Value {
		if p := r.ev.proc; p != nil {
			return vs(get(p))
		}
		return vs("")
	}
}

func acctCol(get func(*account) string) colFn {
	return func(r *record) value.Value {
		if a := r.ev.acct; a != nil {
			return vs(get(a))
		}
		return vs("")
	}
}

func initAcctCol(get func(*account) string) colFn {
	return func(r *record) value.Value {
		if p := r.ev.init; p != nil && p.Acct != nil {
			return vs(get(p.Acct))
		}
		return vs("")
	}
}

func netCol(get func(*netInfo) string) colFn {
	return func(r *record) value.Value {
		if n := r.ev.net; n != nil {
			return vs(get(n))
		}
		return vs("")
	}
}

func regCol(get func(*regInfo) string) colFn {
	return func(r *record) value.Value {
		if g := r.ev.reg; g != nil {
			return vs(get(g))
		}
		return vs("")
	}
}

func fopCol(get func(*fileOp) string) colFn {
	return func(r *record) value.Value {
		if o := r.ev.fop; o != nil {
			return vs(get(o))
		}
		return vs("")
	}
}

func reqAcctCol(get func(*account) string) colFn {
	return func(r *record) value.Value {
		if o := r.ev.fop; o != nil && o.ReqAcct != nil {
			return vs(get(o.ReqAcct))
		}
		return vs("")
	}
}

// ipType classifies an address as RemoteIPType and LocalIPType do.
func ipType(ip string) string {
	switch {
	case ip == "":
		return ""
	case strings.HasPrefix(ip, "127.") || ip == "::1":
		return "Loopback"
	case strings.HasPrefix(ip, "10.") || strings.HasPrefix(ip, "192.168.") || isPrivate172(ip) || strings.HasPrefix(ip, "fe80:"):
		return "Private"
	case strings.HasPrefix(ip, "224.") || strings.HasPrefix(ip, "239."):
		return "Multicast"
	case ip == "255.255.255.255":
		return "Broadcast"
	}
	return "Public"
}

func isPrivate172(ip string) bool {
	if !strings.HasPrefix(ip, "172.") || len(ip) < 7 {
		return false
	}
	second := ip[4 : strings.IndexByte(ip[4:]+".", '.')+4]
	return second >= "16" && second <= "31" && len(second) == 2
}

// deviceColumns describes every column of the Device* event tables.
func (g *gen) deviceColumns() map[string]colFn {
	m := map[string]colFn{
		"Timestamp":           func(r *record) value.Value { return value.OfDatetime(r.t) },
		"DeviceId":            func(r *record) value.Value { return vs(r.ev.h.ID) },
		"DeviceName":          func(r *record) value.Value { return vs(r.ev.h.Name) },
		"ActionType":          func(r *record) value.Value { return vs(r.ev.action) },
		"MachineGroup":        func(r *record) value.Value { return vs(r.ev.h.group) },
		"ReportId":            func(r *record) value.Value { return value.OfLong(r.rid) },
		"AppGuardContainerId": func(r *record) value.Value { return vs("") },
		"AdditionalFields":    func(r *record) value.Value { return vdyn(r.ev.extra) },
		"LogonId": func(r *record) value.Value {
			id := r.ev.logonID
			if r.tab == tProcess && r.ev.proc != nil {
				id = r.ev.proc.LogonID // set once the session is known
			}
			return vlong(id, id != 0)
		},

		// The file acted on (or the created process's image).
		"FileName":   fileCol(func(f *file) string { return f.Name }),
		"FolderPath": fileCol(func(f *file) string { return f.Path }),
		"SHA1":       fileCol(func(f *file) string { return f.SHA1 }),
		"SHA256":     fileCol(func(f *file) string { return f.SHA256 }),
		"MD5":        fileCol(func(f *file) string { return f.MD5 }),
		"FileSize": func(r *record) value.Value {
			f := r.ev.file
			return vlong(sizeOf(f), f != nil && f.Size > 0)
		},
		"ProcessVersionInfoCompanyName":      verCol(func(v *verInfo) string { return v.Company }),
		"ProcessVersionInfoProductName":      verCol(func(v *verInfo) string { return v.Product }),
		"ProcessVersionInfoProductVersion":   verCol(func(v *verInfo) string { return v.Version }),
		"ProcessVersionInfoInternalFileName": verCol(func(v *verInfo) string { return v.Internal }),
		"ProcessVersionInfoOriginalFileName": verCol(func(v *verInfo) string { return v.Original }),
		"ProcessVersionInfoFileDescription":  verCol(func(v *verInfo) string { return v.Description }),

		// The created or target process.
		"ProcessId":             func(r *record) value.Value { p := r.ev.proc; return vlong(pidOf(p), p != nil) },
		"ProcessCommandLine":    procCol(func(p *proc) string { return p.Cmd }),
		"ProcessIntegrityLevel": procCol(func(p *proc) string { return p.Integrity }),
		"ProcessTokenElevation": procCol(func(p *proc) string { return p.Elevation }),
		"ProcessCreationTime": func(r *record) value.Value {
			p := r.ev.proc
			return vtime(createdOf(p), p != nil)
		},
		"CreatedProcessSessionId": func(r *record) value.Value {
			p := r.ev.proc
			return vlong(sessionOf(p), p != nil && !r.ev.h.linux)
		},
		"IsProcessRemoteSession": func(r *record) value.Value {
			p := r.ev.proc
			return vbool(p != nil && p.RemoteIP != "", p != nil && !r.ev.h.linux)
		},
		"ProcessRemoteSessionDeviceName": procCol(func(p *proc) string { return p.RemoteDev }),
		"ProcessRemoteSessionIP":         procCol(func(p *proc) string { return p.RemoteIP }),

		// The account the row is about.
		"AccountDomain":   acctCol(func(a *account) string { return a.Domain }),
		"AccountName":     acctCol(func(a *account) string { return a.Name }),
		"AccountSid":      acctCol(func(a *account) string { return a.Sid }),
		"AccountUpn":      acctCol(func(a *account) string { return a.Upn }),
		"AccountObjectId": acctCol(func(a *account) string { return a.ObjectID }),

		// The initiating process, its account and its parent.
		"InitiatingProcessAccountDomain":   initAcctCol(func(a *account) string { return a.Domain }),
		"InitiatingProcessAccountName":     initAcctCol(func(a *account) string { return a.Name }),
		"InitiatingProcessAccountSid":      initAcctCol(func(a *account) string { return a.Sid }),
		"InitiatingProcessAccountUpn":      initAcctCol(func(a *account) string { return a.Upn }),
		"InitiatingProcessAccountObjectId": initAcctCol(func(a *account) string { return a.ObjectID }),
		"InitiatingProcessSHA1":            initCol(func(p *proc) string { return p.Img.SHA1 }),
		"InitiatingProcessSHA256":          initCol(func(p *proc) string { return p.Img.SHA256 }),
		"InitiatingProcessMD5":             initCol(func(p *proc) string { return p.Img.MD5 }),
		"InitiatingProcessFileName":        initCol(func(p *proc) string { return p.Img.Name }),
		"InitiatingProcessFolderPath":      initCol(func(p *proc) string { return p.Img.lowerPath }),
		"InitiatingProcessCommandLine":     initCol(func(p *proc) string { return p.Cmd }),
		"InitiatingProcessIntegrityLevel":  initCol(func(p *proc) string { return p.Integrity }),
		"InitiatingProcessTokenElevation":  initCol(func(p *proc) string { return p.Elevation }),
		"InitiatingProcessSignerType":      initCol(func(p *proc) string { return p.Img.signer }),
		"InitiatingProcessSignatureStatus": initCol(func(p *proc) string { return p.Img.sigStatus }),
		"InitiatingProcessUniqueId":        initCol(func(p *proc) string { return p.UniqueID }),
		"InitiatingProcessParentFileName": initCol(func(p *proc) string {
			if p.Parent == nil {
				return ""
			}
			return p.Parent.Img.Name
		}),
		"InitiatingProcessRemoteSessionDeviceName":     initCol(func(p *proc) string { return p.RemoteDev }),
		"InitiatingProcessRemoteSessionIP":             initCol(func(p *proc) string { return p.RemoteIP }),
		"InitiatingProcessVersionInfoCompanyName":      initVerCol(func(v *verInfo) string { return v.Company }),
		"InitiatingProcessVersionInfoProductName":      initVerCol(func(v *verInfo) string { return v.Product }),
		"InitiatingProcessVersionInfoProductVersion":   initVerCol(func(v *verInfo) string { return v.Version }),
		"InitiatingProcessVersionInfoInternalFileName": initVerCol(func(v *verInfo) string { return v.Internal }),
		"InitiatingProcessVersionInfoOriginalFileName": initVerCol(func(v *verInfo) string { return v.Original }),
		"InitiatingProcessVersionInfoFileDescription":  initVerCol(func(v *verInfo) string { return v.Description }),
		"InitiatingProcessFileSize": func(r *record) value.Value {
			p := r.ev.init
			return vlong(imgSize(p), p != nil && p.Img.Size > 0)
		},
		"InitiatingProcessId": func(r *record) value.Value { p := r.ev.init; return vlong(pidOf(p), p != nil) },
		"InitiatingProcessCreationTime": func(r *record) value.Value {
			p := r.ev.init
			return vtime(createdOf(p), p != nil)
		},
		"InitiatingProcessLogonId": func(r *record) value.Value {
			p := r.ev.init
			return vlong(logonOf(p), p != nil && !r.ev.h.linux)
		},
		"InitiatingProcessParentId": func(r *record) value.Value {
			p := r.ev.init
			return vlong(pidOf(parentOf(p)), parentOf(p) != nil)
		},
		"InitiatingProcessParentCreationTime": func(r *record) value.Value {
			p := parentOf(r.ev.init)
			return vtime(createdOf(p), p != nil)
		},
		"InitiatingProcessSessionId": func(r *record) value.Value {
			p := r.ev.init
			return vlong(sessionOf(p), p != nil && !r.ev.h.linux)
		},
		"IsInitiatingProcessRemoteSession": func(r *record) value.Value {
			p := r.ev.init
			return vbool(p != nil && p.RemoteIP != "", p != nil && !r.ev.h.linux)
		},

		// Network endpoints (connections, and the remote side of logons).
		"RemoteIP":         netCol(func(n *netInfo) string { return n.RemoteIP }),
		"RemoteUrl":        netCol(func(n *netInfo) string { return n.RemoteURL }),
		"RemoteDeviceName": netCol(func(n *netInfo) string { return n.RemoteDev }),
		"LocalIP":          netCol(func(n *netInfo) string { return n.LocalIP }),
		"Protocol":         netCol(func(n *netInfo) string { return n.Protocol }),
		"RemoteIPType":     netCol(func(n *netInfo) string { return ipType(n.RemoteIP) }),
		"LocalIPType":      netCol(func(n *netInfo) string { return ipType(n.LocalIP) }),
		"RemotePort": func(r *record) value.Value {
			n := r.ev.net
			return vint(portOf(n, true), n != nil && n.RemotePort > 0)
		},
		"LocalPort": func(r *record) value.Value {
			n := r.ev.net
			return vint(portOf(n, false), n != nil && n.LocalPort > 0)
		},

		// Logons.
		"LogonType":     func(r *record) value.Value { return vs(logonField(r.ev, false)) },
		"FailureReason": func(r *record) value.Value { return vs(logonField(r.ev, true)) },
		"IsLocalAdmin": func(r *record) value.Value {
			l := r.ev.logon
			return vbool(l != nil && l.LocalAdmin, l != nil && r.ev.action == "LogonSuccess")
		},

		// File origin, renames and remote (SMB) creators.
		"FileOriginUrl":         fopCol(func(o *fileOp) string { return o.OriginURL }),
		"FileOriginReferrerUrl": fopCol(func(o *fileOp) string { return o.OriginReferrer }),
		"FileOriginIP":          fopCol(func(o *fileOp) string { return o.OriginIP }),
		"PreviousFolderPath":    fopCol(func(o *fileOp) string { return o.PrevPath }),
		"PreviousFileName":      fopCol(func(o *fileOp) string { return baseName(o.PrevPath) }),
		"RequestProtocol":       fopCol(func(o *fileOp) string { return o.ReqProtocol }),
		"RequestSourceIP":       fopCol(func(o *fileOp) string { return o.ReqSourceIP }),
		"ShareName":             fopCol(func(o *fileOp) string { return o.Share }),
		"RequestAccountName":    reqAcctCol(func(a *account) string { return a.Name }),
		"RequestAccountDomain":  reqAcctCol(func(a *account) string { return a.Domain }),
		"RequestAccountSid":     reqAcctCol(func(a *account) string { return a.Sid }),
		"RequestSourcePort": func(r *record) value.Value {
			o := r.ev.fop
			return vint(reqPort(o), o != nil && o.ReqSourcePort > 0)
		},
		"SensitivityLabel":             func(r *record) value.Value { return vs("") },
		"SensitivitySubLabel":          func(r *record) value.Value { return vs("") },
		"IsAzureInfoProtectionApplied": func(r *record) value.Value { return vbool(false, false) },

		// Registry.
		"RegistryKey":               regCol(func(g *regInfo) string { return g.Key }),
		"RegistryValueType":         regCol(func(g *regInfo) string { return g.ValueType }),
		"RegistryValueName":         regCol(func(g *regInfo) string { return g.ValueName }),
		"RegistryValueData":         regCol(func(g *regInfo) string { return g.ValueData }),
		"PreviousRegistryKey":       regCol(func(g *regInfo) string { return g.PrevKey }),
		"PreviousRegistryValueName": regCol(func(g *regInfo) string { return g.PrevName }),
		"PreviousRegistryValueData": regCol(func(g *regInfo) string { return g.PrevData }),
	}
	return m
}

func sizeOf(f *file) int64 {
	if f == nil {
		return 0
	}
	return f.Size
}

func imgSize(p *proc) int64 {
	if p == nil {
		return 0
	}
	return p.Img.Size
}

func pidOf(p *proc) int64 {
	if p == nil {
		return 0
	}
	return p.PID
}

func createdOf(p *proc) value.Datetime {
	if p == nil {
		return 0
	}
	return p.Created
}

func sessionOf(p *proc) int64 {
	if p == nil {
		return 0
	}
	return p.Session
}

func logonOf(p *proc) int64 {
	if p == nil {
		return 0
	}
	return p.LogonID
}

func parentOf(p *proc) *proc {
	if p == nil {
		return nil
	}
	return p.Parent
}

func portOf(n *netInfo, remote bool) int {
	switch {
	case n == nil:
		return 0
	case remote:
		return n.RemotePort
	}
	return n.LocalPort
}

func reqPort(o *fileOp) int {
	if o == nil {
		return 0
	}
	return o.ReqSourcePort
}

func logonField(e *event, failure bool) string {
	switch {
	case e.logon == nil:
		return ""
	case failure:
		return e.logon.Failure
	}
	return e.logon.Type
}
