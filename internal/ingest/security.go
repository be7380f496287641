package ingest

// This file maps Security-channel events (and a few System and
// PowerShell ones) to the Defender tables, following the mapping of
// shared/data/attack-datasets/README.md: 4688 process creation, 4624/4625
// logons, 5156 connections, 4657 registry values, 4656/4663 access to
// lsass, 4698/4699/4702 scheduled tasks, 4697/7045 services, account and
// group changes, PowerShell 4103 commands.

import (
	"strings"
)

func (w *worker) security(e *winEvent) {
	switch e.eventID {
	case 4688:
		w.processCreation(e)
	case 4624, 4625:
		w.logon(e)
	case 5156:
		w.connection(e)
	case 4657:
		w.registryValue(e)
	case 4656, 4663:
		w.lsassAccess(e)
	case 4698, 4699, 4702:
		w.scheduledTask(e)
	case 4697:
		w.serviceInstalled(e, "ServiceFileName", "ServiceStartType", "ServiceAccount")
	case 4720, 4726, 4732, 4733:
		w.accountChange(e)
	}
}

// subjectAsInitiator sets the InitiatingProcessAccount columns from the
// event's Subject fields.
func (r *row) subjectAsInitiator(e *winEvent) {
	r.str("InitiatingProcessAccountName", e.get("SubjectUserName"))
	r.str("InitiatingProcessAccountDomain", e.get("SubjectDomainName"))
	r.str("InitiatingProcessAccountSid", e.get("SubjectUserSid"))
	r.long("InitiatingProcessLogonId", e.get("SubjectLogonId"))
}

func (w *worker) processCreation(e *winEvent) {
	r := w.mdeRow("DeviceProcessEvents", e, e.time, e.hasTime, "ProcessCreated")
	r.time("ProcessCreationTime", e.time, e.hasTime)
	r.path("FolderPath", "FileName", e.get("NewProcessName"))
	r.long("ProcessId", e.get("NewProcessId"))
	r.str("ProcessCommandLine", e.get("CommandLine"))
	r.long("InitiatingProcessId", e.get("ProcessId"))
	r.path("InitiatingProcessFolderPath", "InitiatingProcessFileName", e.get("ParentProcessName"))
	r.subjectAsInitiator(e)
	prefix := "Target"
	if sid := e.get("TargetUserSid"); sid == "" || sid == "S-1-0-0" {
		prefix = "Subject" // the new process runs as its creator
	}
	r.str("AccountName", e.get(prefix+"UserName"))
	r.str("AccountDomain", e.get(prefix+"DomainName"))
	r.str("AccountSid", e.get(prefix+"UserSid"))
	r.long("LogonId", e.get(prefix+"LogonId"))
	r.str("ProcessTokenElevation", tokenElevation(e.get("TokenElevationType")))
	r.str("ProcessIntegrityLevel", integrity(e.get("MandatoryLabel")))
	w.emit(r)
}

func (w *worker) logon(e *winEvent) {
	action := "LogonSuccess"
	if e.eventID == 4625 {
		action = "LogonFailed"
	}
	r := w.mdeRow("DeviceLogonEvents", e, e.time, e.hasTime, action)
	r.str("AccountName", e.get("TargetUserName"))
	r.str("AccountDomain", e.get("TargetDomainName"))
	r.str("AccountSid", e.get("TargetUserSid"))
	r.long("LogonId", e.get("TargetLogonId"))
	r.str("LogonType", logonTypeName(e.get("LogonType")))
	if ip := e.get("IpAddress"); ip != "" {
		r.str("RemoteIP", ip)
		r.str("RemoteIPType", ipType(ip))
		r.long("RemotePort", e.get("IpPort"))
	}
	r.str("RemoteDeviceName", e.get("WorkstationName"))
	proto := e.get("AuthenticationPackageName")
	if proto == "" {
		proto = strings.TrimSpace(e.get("LogonProcessName"))
	}
	r.str("Protocol", proto)
	r.path("InitiatingProcessFolderPath", "InitiatingProcessFileName", e.get("ProcessName"))
	if pid, ok := parseInt(e.get("ProcessId")); ok && pid != 0 {
		r.long("InitiatingProcessId", e.get("ProcessId"))
	}
	r.str("InitiatingProcessAccountName", e.get("SubjectUserName"))
	r.str("InitiatingProcessAccountDomain", e.get("SubjectDomainName"))
	r.str("InitiatingProcessAccountSid", e.get("SubjectUserSid"))
	if e.eventID == 4625 {
		r.str("FailureReason", failureReason(e.get("Status"), e.get("SubStatus")))
	}
	if et := e.get("ElevatedToken"); et != "" {
		r.str("IsLocalAdmin", map[string]string{"%%1842": "true", "%%1843": "false"}[et])
	}
	r.additional("LogonGuid", clean(e.get("LogonGuid")), "ImpersonationLevel", e.get("ImpersonationLevel"),
		"LmPackageName", e.get("LmPackageName"), "KeyLength", e.get("KeyLength"))
	w.emit(r)
}

// connection maps a Windows Filtering Platform 5156 (connection allowed).
func (w *worker) connection(e *winEvent) {
	outbound := e.get("Direction") != "%%14592"
	action := "ConnectionSuccess"
	if !outbound {
		action = "InboundConnectionAccepted"
	}
	r := w.mdeRow("DeviceNetworkEvents", e, e.time, e.hasTime, action)
	app := e.get("Application")
	r.initiating(drivePath(app), firstOf(e.get("ProcessID"), e.get("ProcessId")), "")
	r.str("Protocol", protocolName(e.get("Protocol")))
	r.endpoints(outbound, e.get("SourceAddress"), e.get("SourcePort"), e.get("DestAddress"), e.get("DestPort"))
	r.additional("Application", app, "Direction", e.get("Direction"), "LayerName", e.get("LayerName"))
	w.emit(r)
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// registryValue maps a 4657 (registry value modified).
func (w *worker) registryValue(e *winEvent) {
	action := "RegistryValueSet"
	if e.get("OperationType") == "%%1906" {
		action = "RegistryValueDeleted"
	}
	r := w.mdeRow("DeviceRegistryEvents", e, e.time, e.hasTime, action)
	r.str("RegistryKey", expandHive(e.get("ObjectName")))
	r.str("RegistryValueName", e.get("ObjectValueName"))
	r.str("RegistryValueData", e.get("NewValue"))
	r.str("PreviousRegistryValueData", e.get("OldValue"))
	r.str("RegistryValueType", e.get("NewValueType"))
	r.initiating(e.get("ProcessName"), e.get("ProcessId"), "")
	r.subjectAsInitiatorAccount(e)
	w.emit(r)
}

func (r *row) subjectAsInitiatorAccount(e *winEvent) {
	r.str("InitiatingProcessAccountName", e.get("SubjectUserName"))
	r.str("InitiatingProcessAccountDomain", e.get("SubjectDomainName"))
	r.str("InitiatingProcessAccountSid", e.get("SubjectUserSid"))
}

// lsassAccess maps 4656/4663 handle requests on lsass.exe, the only
// process access MDE reports as OpenProcessApiCall by default.
func (w *worker) lsassAccess(e *winEvent) {
	target := e.get("ObjectName")
	if e.get("ObjectType") != "Process" || !strings.EqualFold(basename(target), "lsass.exe") {
		return
	}
	r := w.mdeRow("DeviceEvents", e, e.time, e.hasTime, "OpenProcessApiCall")
	r.path("FolderPath", "FileName", drivePath(target))
	r.initiating(e.get("ProcessName"), e.get("ProcessId"), "")
	r.subjectAsInitiatorAccount(e)
	r.additional("DesiredAccess", e.get("AccessMask"), "EventID", map[int]string{4656: "4656", 4663: "4663"}[e.eventID])
	w.emit(r)
}

func (w *worker) scheduledTask(e *winEvent) {
	action := map[int]string{4698: "ScheduledTaskCreated", 4699: "ScheduledTaskDeleted", 4702: "ScheduledTaskUpdated"}[e.eventID]
	r := w.mdeRow("DeviceEvents", e, e.time, e.hasTime, action)
	r.subjectAsInitiatorAccount(e)
	r.additional("TaskName", e.get("TaskName"), "TaskContent", firstOf(e.get("TaskContent"), e.get("TaskContentNew")))
	w.emit(r)
}

// serviceInstalled maps 4697 and System 7045; the field names differ.
func (w *worker) serviceInstalled(e *winEvent, file, start, account string) {
	r := w.mdeRow("DeviceEvents", e, e.time, e.hasTime, "ServiceInstalled")
	r.subjectAsInitiatorAccount(e)
	r.additional("ServiceName", e.get("ServiceName"), "ServiceFileName", e.get(file),
		"ServiceType", e.get("ServiceType"), "ServiceStartType", e.get(start), "ServiceAccount", e.get(account))
	w.emit(r)
}

// accountChange maps user creation and deletion (4720, 4726) and local
// group membership changes (4732, 4733).
func (w *worker) accountChange(e *winEvent) {
	action := map[int]string{4720: "UserAccountCreated", 4726: "UserAccountDeleted",
		4732: "UserAccountAddedToLocalGroup", 4733: "UserAccountRemovedFromLocalGroup"}[e.eventID]
	r := w.mdeRow("DeviceEvents", e, e.time, e.hasTime, action)
	r.subjectAsInitiatorAccount(e)
	if e.eventID == 4732 || e.eventID == 4733 {
		d, n := splitUser(e.get("MemberName"))
		if strings.HasPrefix(n, "CN=") { // a distinguished name, not DOMAIN\user
			n = ""
		}
		r.str("AccountDomain", d)
		r.str("AccountName", n)
		r.str("AccountSid", e.get("MemberSid"))
		r.additional("GroupName", e.get("TargetUserName"), "GroupDomainName", e.get("TargetDomainName"),
			"GroupSid", e.get("TargetSid"))
	} else {
		r.str("AccountName", e.get("TargetUserName"))
		r.str("AccountDomain", e.get("TargetDomainName"))
		r.str("AccountSid", e.get("TargetSid"))
	}
	w.emit(r)
}

// powerShellCommand maps PowerShell 4103 (module logging) to the command
// it ran; MDE keeps the command's name, not the script block.
func (w *worker) powerShellCommand(e *winEvent) {
	cmd := ""
	for _, line := range strings.Split(e.get("ContextInfo"), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && strings.TrimSpace(k) == "Command Name" {
			cmd = strings.TrimSpace(v)
		}
	}
	if cmd == "" {
		return
	}
	r := w.mdeRow("DeviceEvents", e, e.time, e.hasTime, "PowerShellCommand")
	r.additional("Command", cmd)
	w.emit(r)
}
