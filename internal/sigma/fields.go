package sigma

// This file maps log sources to tables and Sigma fields to columns: the
// Defender tables after the pySigma Kusto backend's microsoft_xdr
// pipeline (see shared/data/sigma/README.md), and the Entra ID and Azure
// activity tables of Sentinel.

import (
	"strings"
)

// fieldKind says how a field's values become tests.
type fieldKind uint8

const (
	plainField        fieldKind = iota
	hashesField                 // Hashes: "ALGO=value" picks the column (aux is the column prefix)
	userField                   // DOMAIN\user split into col and the domain column aux
	parentFileField             // a path reduced to its file name (ParentImage outside process creation)
	registryKeyField            // hive names rewritten as MDE spells them
	registryDataField           // Sysmon's "DWORD (0x…)" rewritten as MDE's value
	actionTypeField             // Sysmon registry EventType → ActionType
	integrityField              // mandatory-label SIDs rewritten as level names
	signinStatusField           // SigninLogs Status: Success and failure read ResultType
	jsonField                   // a dynamic column searched in its JSON text
	droppedField                // no counterpart in the table; the test is left out
)

// field is where a Sigma field lands.
type field struct {
	col  string // KQL expression: a column, or tostring(Col.path)
	kind fieldKind
	aux  string
}

// source is a supported log source.
type source struct {
	table   string
	timeCol string
	fields  map[string]field
	// defender tables: the generic fallback of the pipeline applies, and
	// field names are case-sensitive. Cloud tables fold case.
	defender bool
	// prelude are operators run before the detection: ActionType filters,
	// computed columns the mapping uses.
	prelude []string
	// scope are the entity kinds and the column each scopes.
	scope []scopeCol
	// project lists the output columns, the row id column last.
	project []string
}

type scopeCol struct{ entity, col string }

func plain(col string) field { return field{col: col} }

// processFields are DeviceProcessEvents' fields.
var processFields = map[string]field{
	"Image":             plain("FolderPath"),
	"CommandLine":       plain("ProcessCommandLine"),
	"ProcessId":         plain("ProcessId"),
	"ParentImage":       plain("InitiatingProcessFolderPath"),
	"ParentCommandLine": plain("InitiatingProcessCommandLine"),
	"ParentProcessId":   plain("InitiatingProcessId"),
	"ParentUser":        {col: "InitiatingProcessAccountName", kind: userField, aux: "InitiatingProcessAccountDomain"},
	"GrandParentImage":  {col: "InitiatingProcessParentFileName", kind: parentFileField},
	"User":              {col: "AccountName", kind: userField, aux: "AccountDomain"},
	"OriginalFileName":  plain("ProcessVersionInfoOriginalFileName"),
	"Company":           plain("ProcessVersionInfoCompanyName"),
	"Product":           plain("ProcessVersionInfoProductName"),
	"Description":       plain("ProcessVersionInfoFileDescription"),
	"FileVersion":       plain("ProcessVersionInfoProductVersion"),
	"IntegrityLevel":    {col: "ProcessIntegrityLevel", kind: integrityField},
	"LogonId":           plain("LogonId"),
	"md5":               plain("MD5"),
	"sha1":              plain("SHA1"),
	"sha256":            plain("SHA256"),
	"Hashes":            {kind: hashesField},
}

// initiatingFields are the fields the file, network and registry tables
// share: the acting process is the initiating one.
var initiatingFields = map[string]field{
	"Image":       plain("InitiatingProcessFolderPath"),
	"ProcessId":   plain("InitiatingProcessId"),
	"ParentImage": {col: "InitiatingProcessParentFileName", kind: parentFileField},
	"User":        {col: "InitiatingProcessAccountName", kind: userField, aux: "InitiatingProcessAccountDomain"},
}

var fileFields = with(initiatingFields, map[string]field{
	"User":           {col: "RequestAccountName", kind: userField, aux: "RequestAccountDomain"},
	"IntegrityLevel": {col: "InitiatingProcessIntegrityLevel", kind: integrityField},
	"md5":            plain("MD5"),
	"sha1":           plain("SHA1"),
	"sha256":         plain("SHA256"),
	"Hashes":         {kind: hashesField},
	"TargetFilename": plain("FolderPath"),
	"ObjectName":     plain("FolderPath"),
})

var networkFields = with(initiatingFields, map[string]field{
	"SourceIp":            plain("LocalIP"),
	"SourcePort":          plain("LocalPort"),
	"DestinationIp":       plain("RemoteIP"),
	"DestinationPort":     plain("RemotePort"),
	"DestinationHostname": plain("RemoteUrl"),
	"SourceHostname":      plain("DeviceName"),
	"Protocol":            plain("Protocol"),
	"Initiated":           {kind: droppedField},
})

var registryFields = with(initiatingFields, map[string]field{
	"ObjectName":   {col: "RegistryKey", kind: registryKeyField},
	"TargetObject": {col: "TargetObject", kind: registryKeyField},
	"Details":      {col: "RegistryValueData", kind: registryDataField},
	"EventType":    {col: "ActionType", kind: actionTypeField},
	// A renamed key's new name (Sysmon event 14), as ingest maps it.
	"NewName": {col: "RegistryKey", kind: registryKeyField},
})

// genericFields apply to every Defender table when the table's own map
// has no entry (the pipeline's generic mappings).
var genericFields = map[string]field{
	"Image":             plain("InitiatingProcessFolderPath"),
	"CommandLine":       plain("InitiatingProcessCommandLine"),
	"ProcessId":         plain("InitiatingProcessId"),
	"ParentCommandLine": plain("InitiatingProcessParentCommandLine"),
	"ParentProcessId":   plain("InitiatingProcessParentId"),
	"User":              {col: "InitiatingProcessAccountName", kind: userField, aux: "InitiatingProcessAccountDomain"},
	"OriginalFileName":  plain("InitiatingProcessVersionInfoOriginalFileName"),
	"Company":           plain("InitiatingProcessVersionInfoCompanyName"),
	"Product":           plain("InitiatingProcessVersionInfoProductName"),
	"Description":       plain("InitiatingProcessVersionInfoFileDescription"),
	"md5":               plain("InitiatingProcessMD5"),
	"sha1":              plain("InitiatingProcessSHA1"),
	"sha256":            plain("InitiatingProcessSHA256"),
	"Hashes":            {kind: hashesField, aux: "InitiatingProcess"},
	"EventType":         plain("ActionType"),
	"ProcessName":       plain("InitiatingProcessFolderPath"),
	"SourceImage":       plain("InitiatingProcessFolderPath"),
	// The pipeline drops these conditions: MDE tables are chosen by
	// category, not by event id.
	"EventID":    {kind: droppedField},
	"EventCode":  {kind: droppedField},
	"ObjectType": {kind: droppedField},
}

// Cloud tables. Field names fold case; dotted names reach into dynamic
// columns. Fields that are not listed fall back to a column of the same
// name.
var signinFields = map[string]field{
	"userAgent":                       plain("UserAgent"),
	"clientApp":                       plain("ClientAppUsed"),
	"username":                        plain("UserPrincipalName"),
	"status":                          {col: "tostring(Status)", kind: signinStatusField},
	"resultdescription":               plain("ResultDescription"),
	"deviceDetail.trusttype":          plain("tostring(DeviceDetail.trustType)"),
	"deviceDetail.deviceId":           plain("tostring(DeviceDetail.deviceId)"),
	"deviceDetail.isCompliant":        plain("tostring(DeviceDetail.isCompliant)"),
	"deviceDetail.isManaged":          plain("tostring(DeviceDetail.isManaged)"),
	"deviceDetail.operatingSystem":    plain("tostring(DeviceDetail.operatingSystem)"),
	"deviceDetail.browser":            plain("tostring(DeviceDetail.browser)"),
	"deviceDetail.displayName":        plain("tostring(DeviceDetail.displayName)"),
	"locationDetails.countryOrRegion": plain("tostring(LocationDetails.countryOrRegion)"),
	"status.errorCode":                plain("tostring(Status.errorCode)"),
	"status.failureReason":            plain("tostring(Status.failureReason)"),
}

var auditFields = map[string]field{
	"properties.message":         plain("ActivityDisplayName"),
	"properties.result":          plain("Result"),
	"status":                     plain("Result"),
	"properties.targetResources": {col: "tostring(TargetResources)", kind: jsonField},
	"targetResources":            {col: "tostring(TargetResources)", kind: jsonField},
	"initiatedBy":                {col: "tostring(InitiatedBy)", kind: jsonField},
	"additionalDetails":          {col: "tostring(AdditionalDetails)", kind: jsonField},
}

var activityFields = map[string]field{
	"operationName":      plain("OperationNameValue"),
	"properties.message": plain("tostring(Properties_d.message)"),
	"resourceId":         plain("_ResourceId"),
	"status":             plain("ActivityStatusValue"),
}

func with(base, extra map[string]field) map[string]field {
	out := map[string]field{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

var deviceScope = []scopeCol{{"device", "DeviceName"}, {"account", "InitiatingProcessAccountName"}}

// sources are the supported log sources by key: a Windows category or an
// Azure service.
var sources = map[string]*source{
	"process_creation": {table: "DeviceProcessEvents", timeCol: "Timestamp", fields: processFields, defender: true,
		scope: []scopeCol{{"device", "DeviceName"}, {"account", "AccountName"}},
		project: []string{"Timestamp", "DeviceId", "DeviceName", "ActionType", "FileName", "FolderPath", "ProcessCommandLine",
			"ProcessVersionInfoOriginalFileName", "SHA256", "AccountDomain", "AccountName", "InitiatingProcessFileName",
			"InitiatingProcessFolderPath", "InitiatingProcessCommandLine", "ReportId"}},
	"network_connection": {table: "DeviceNetworkEvents", timeCol: "Timestamp", fields: networkFields, defender: true, scope: deviceScope,
		project: []string{"Timestamp", "DeviceId", "DeviceName", "ActionType", "RemoteIP", "RemotePort", "RemoteUrl", "LocalIP",
			"LocalPort", "Protocol", "InitiatingProcessFileName", "InitiatingProcessFolderPath", "InitiatingProcessCommandLine",
			"InitiatingProcessAccountDomain", "InitiatingProcessAccountName", "ReportId"}},
	"file_event": {table: "DeviceFileEvents", timeCol: "Timestamp", fields: fileFields, defender: true, scope: deviceScope,
		// Sysmon's FileCreate fires on creation and on overwrite.
		prelude: []string{`where ActionType in ("FileCreated", "FileModified")`},
		project: []string{"Timestamp", "DeviceId", "DeviceName", "ActionType", "FileName", "FolderPath", "SHA256",
			"InitiatingProcessFileName", "InitiatingProcessFolderPath", "InitiatingProcessCommandLine",
			"InitiatingProcessAccountDomain", "InitiatingProcessAccountName", "ReportId"}},
	"registry_set":   registrySource(`where ActionType == "RegistryValueSet"`),
	"registry_event": registrySource(),
	"signinlogs": {table: "SigninLogs", timeCol: "TimeGenerated", fields: signinFields,
		scope: []scopeCol{{"account", "UserPrincipalName"}, {"ip", "IPAddress"}},
		project: []string{"TimeGenerated", "UserPrincipalName", "IPAddress", "Location", "AppDisplayName", "ClientAppUsed",
			"UserAgent", "ResultType", "ResultDescription", "AuthenticationRequirement", "Id"}},
	"auditlogs": {table: "AuditLogs", timeCol: "TimeGenerated", fields: auditFields,
		scope: []scopeCol{{"account", "tostring(InitiatedBy.user.userPrincipalName)"}},
		project: []string{"TimeGenerated", "OperationName", "ActivityDisplayName", "Category", "Result", "LoggedByService",
			"InitiatedBy", "TargetResources", "Id"}},
	"activitylogs": {table: "AzureActivity", timeCol: "TimeGenerated", fields: activityFields,
		scope: []scopeCol{{"account", "Caller"}, {"ip", "CallerIpAddress"}},
		project: []string{"TimeGenerated", "Caller", "CallerIpAddress", "OperationNameValue", "ActivityStatusValue",
			"ResourceGroup", "_ResourceId", "SubscriptionId", "EventDataId"}},
}

// registrySource is DeviceRegistryEvents with TargetObject computed as
// Sysmon writes it: key\value for value events, the key otherwise.
func registrySource(filters ...string) *source {
	prelude := append(filters, `extend TargetObject = iff(isempty(RegistryValueName), RegistryKey, strcat(RegistryKey, @"\", RegistryValueName))`)
	return &source{table: "DeviceRegistryEvents", timeCol: "Timestamp", fields: registryFields, defender: true,
		scope: deviceScope, prelude: prelude,
		project: []string{"Timestamp", "DeviceId", "DeviceName", "ActionType", "RegistryKey", "RegistryValueName",
			"RegistryValueData", "InitiatingProcessFileName", "InitiatingProcessFolderPath", "InitiatingProcessCommandLine",
			"InitiatingProcessAccountDomain", "InitiatingProcessAccountName", "ReportId"}}
}

// sourceKey names the rule's log source as sources keys it, and whether
// the product is one the mapping covers.
func sourceKey(l Logsource) string {
	switch {
	case l.Category != "" && (l.Product == "windows" || l.Product == ""):
		return l.Category
	case l.Category != "":
		return l.Product + "/" + l.Category
	case l.Product == "azure" && l.Service != "":
		return l.Service
	case l.Service != "":
		return l.Product + "/" + l.Service
	}
	return l.Product
}

// lookupField finds a Sigma field in a source's map: exactly for the
// Defender tables (then the generic map), folding case for cloud tables.
func (s *source) lookupField(name string) (field, bool) {
	if f, ok := s.fields[name]; ok {
		return f, true
	}
	if s.defender {
		f, ok := genericFields[name]
		return f, ok
	}
	for k, f := range s.fields {
		if strings.EqualFold(k, name) {
			return f, true
		}
	}
	return field{}, false
}
