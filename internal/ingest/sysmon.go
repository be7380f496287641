package ingest

// This file maps Sysmon events to the Defender tables, following the
// Sysmon → MDE mapping of shared/data/attack-datasets/README.md. The
// timestamp is Sysmon's UtcTime; events the mapping does not cover stay
// in WindowsEvent only.

import (
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/value"
)

func (w *worker) sysmon(e *winEvent) {
	ts, ok := ParseDatetime(e.get("UtcTime"))
	if !ok {
		ts, ok = e.time, e.hasTime
	}
	var r *row
	switch e.eventID {
	case 1:
		r = w.sysmonProcess(e, ts, ok)
	case 3:
		r = w.sysmonNetwork(e, ts, ok)
	case 7:
		r = w.mdeRow("DeviceImageLoadEvents", e, ts, ok, "ImageLoaded")
		r.path("FolderPath", "FileName", e.get("ImageLoaded"))
		r.hashes("", e.get("Hashes"))
		r.initiating(e.get("Image"), e.get("ProcessId"), e.get("User"))
	case 8:
		r = w.mdeRow("DeviceEvents", e, ts, ok, "CreateRemoteThreadApiCall")
		r.initiating(e.get("SourceImage"), e.get("SourceProcessId"), e.get("SourceUser"))
		r.path("FolderPath", "FileName", e.get("TargetImage"))
		r.long("ProcessId", e.get("TargetProcessId"))
		r.extras(e, "StartAddress", "StartModule", "StartFunction", "NewThreadId")
	case 10:
		r = w.mdeRow("DeviceEvents", e, ts, ok, "OpenProcessApiCall")
		r.initiating(e.get("SourceImage"), e.get("SourceProcessId"), e.get("SourceUser"))
		r.path("FolderPath", "FileName", e.get("TargetImage"))
		r.long("ProcessId", e.get("TargetProcessId"))
		r.user("", e.get("TargetUser"))
		r.extras(e, "GrantedAccess=DesiredAccess", "CallTrace", "SourceProcessGUID", "TargetProcessGUID")
	case 11, 23, 26:
		action := "FileCreated"
		if e.eventID != 11 {
			action = "FileDeleted"
		}
		r = w.mdeRow("DeviceFileEvents", e, ts, ok, action)
		r.path("FolderPath", "FileName", e.get("TargetFilename"))
		r.hashes("", e.get("Hashes"))
		r.initiating(e.get("Image"), e.get("ProcessId"), e.get("User"))
		r.extras(e, "ProcessGuid", "CreationUtcTime", "IsExecutable", "Archived")
	case 12, 13, 14:
		r = w.sysmonRegistry(e, ts, ok)
	case 17, 18:
		r = w.mdeRow("DeviceEvents", e, ts, ok, "NamedPipeEvent")
		r.initiating(e.get("Image"), e.get("ProcessId"), e.get("User"))
		pipe := e.get("PipeName")
		if strings.HasPrefix(pipe, `\`) && !strings.HasPrefix(strings.ToLower(pipe), `\device\`) {
			pipe = `\Device\NamedPipe` + pipe
		}
		op := "File created"
		if e.eventID == 18 {
			op = "File opened"
		}
		r.additional("PipeName", pipe, "FileOperation", op, "ProcessGuid", e.get("ProcessGuid"))
	case 22:
		r = w.mdeRow("DeviceEvents", e, ts, ok, "DnsQueryResponse")
		r.initiating(e.get("Image"), e.get("ProcessId"), e.get("User"))
		r.extras(e, "QueryName=DnsQueryString", "QueryResults=DnsQueryResult", "QueryStatus")
	default:
		return
	}
	w.emit(r)
}

func (w *worker) sysmonProcess(e *winEvent, ts value.Datetime, ok bool) *row {
	r := w.mdeRow("DeviceProcessEvents", e, ts, ok, "ProcessCreated")
	r.time("ProcessCreationTime", ts, ok)
	r.long("ProcessId", e.get("ProcessId"))
	r.path("FolderPath", "FileName", e.get("Image"))
	r.str("ProcessCommandLine", e.get("CommandLine"))
	r.str("ProcessVersionInfoOriginalFileName", e.get("OriginalFileName"))
	r.str("ProcessVersionInfoCompanyName", e.get("Company"))
	r.str("ProcessVersionInfoProductName", e.get("Product"))
	r.str("ProcessVersionInfoFileDescription", e.get("Description"))
	r.str("ProcessVersionInfoProductVersion", e.get("FileVersion"))
	r.hashes("", e.get("Hashes"))
	r.user("", e.get("User"))
	r.long("LogonId", e.get("LogonId"))
	r.long("CreatedProcessSessionId", e.get("TerminalSessionId"))
	r.str("ProcessIntegrityLevel", integrity(e.get("IntegrityLevel")))
	r.long("InitiatingProcessId", e.get("ParentProcessId"))
	r.path("InitiatingProcessFolderPath", "InitiatingProcessFileName", e.get("ParentImage"))
	r.str("InitiatingProcessCommandLine", e.get("ParentCommandLine"))
	r.user("InitiatingProcess", e.get("ParentUser"))
	r.extras(e, "ProcessGuid", "ParentProcessGuid", "LogonGuid", "CurrentDirectory", "RuleName")
	return r
}

// sysmonNetwork maps EID 3: the direction decides which end is local.
func (w *worker) sysmonNetwork(e *winEvent, ts value.Datetime, ok bool) *row {
	outbound := !strings.EqualFold(e.get("Initiated"), "false")
	action := "ConnectionSuccess"
	if !outbound {
		action = "InboundConnectionAccepted"
	}
	r := w.mdeRow("DeviceNetworkEvents", e, ts, ok, action)
	r.initiating(e.get("Image"), e.get("ProcessId"), e.get("User"))
	r.str("Protocol", protocolName(e.get("Protocol")))
	r.endpoints(outbound, e.get("SourceIp"), e.get("SourcePort"), e.get("DestinationIp"), e.get("DestinationPort"))
	if outbound {
		r.str("RemoteUrl", e.get("DestinationHostname"))
	}
	r.extras(e, "ProcessGuid", "SourceHostname", "DestinationHostname")
	return r
}

// endpoints sets Local/Remote IP, port and IP type from an initiator
// (source) and a responder (destination).
func (r *row) endpoints(outbound bool, srcIP, srcPort, dstIP, dstPort string) {
	local, lport, remote, rport := srcIP, srcPort, dstIP, dstPort
	if !outbound {
		local, lport, remote, rport = dstIP, dstPort, srcIP, srcPort
	}
	r.str("LocalIP", local)
	r.long("LocalPort", lport)
	r.str("LocalIPType", ipType(local))
	r.str("RemoteIP", remote)
	r.long("RemotePort", rport)
	r.str("RemoteIPType", ipType(remote))
}

var registryActions = map[string]string{
	"CreateKey": "RegistryKeyCreated", "DeleteKey": "RegistryKeyDeleted", "SetValue": "RegistryValueSet",
	"DeleteValue": "RegistryValueDeleted", "RenameKey": "RegistryKeyRenamed",
}

// sysmonRegistry maps EID 12/13/14. Value events name key\value in
// TargetObject; key events name the key.
func (w *worker) sysmonRegistry(e *winEvent, ts value.Datetime, ok bool) *row {
	et := e.get("EventType")
	if et == "" {
		et = map[int]string{12: "CreateKey", 13: "SetValue", 14: "RenameKey"}[e.eventID]
	}
	action := registryActions[et]
	if action == "" {
		action = et
	}
	r := w.mdeRow("DeviceRegistryEvents", e, ts, ok, action)
	r.initiating(e.get("Image"), e.get("ProcessId"), e.get("User"))
	target := expandHive(e.get("TargetObject"))
	switch et {
	case "SetValue", "DeleteValue":
		key, val := target, ""
		if i := strings.LastIndexByte(target, '\\'); i >= 0 {
			key, val = target[:i], target[i+1:]
		}
		r.str("RegistryKey", key)
		r.str("RegistryValueName", val)
		if et == "SetValue" {
			data, typ := registryValue(e.get("Details"))
			r.str("RegistryValueData", data)
			r.str("RegistryValueType", typ)
		}
	case "RenameKey":
		r.str("RegistryKey", expandHive(e.get("NewName")))
		r.str("PreviousRegistryKey", target)
	default:
		r.str("RegistryKey", target)
	}
	return r
}

// registryValue splits Sysmon's Details into MDE's value and type:
// "DWORD (0x00000001)" is 1 of type Dword.
func registryValue(d string) (data, typ string) {
	switch {
	case d == "" || d == "(Empty)":
		return "", "String"
	case d == "Binary Data":
		return "", "Binary"
	case strings.HasPrefix(d, "DWORD (") && strings.HasSuffix(d, ")"):
		if n, ok := parseInt(d[len("DWORD (") : len(d)-1]); ok {
			return strconv.FormatInt(n, 10), "Dword"
		}
	case strings.HasPrefix(d, "QWORD (") && strings.HasSuffix(d, ")"):
		hi, lo, _ := strings.Cut(d[len("QWORD ("):len(d)-1], "-")
		h, ok1 := parseInt(hi)
		l, ok2 := parseInt(lo)
		if ok1 && ok2 {
			return strconv.FormatUint(uint64(h)<<32|uint64(l), 10), "Qword"
		}
	}
	return d, "String"
}
