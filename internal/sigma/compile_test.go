package sigma

import (
	"errors"
	"strings"
	"testing"
)

// testRule builds a rule from a log source ("process_creation" or
// "azure/signinlogs") and a detection block written without indentation.
func testRule(t *testing.T, logsource, detection string) (*Rule, error) {
	t.Helper()
	ls := "    category: " + logsource + "\n    product: windows\n"
	if prod, svc, ok := strings.Cut(logsource, "/"); ok {
		ls = "    product: " + prod + "\n    service: " + svc + "\n"
	}
	var det strings.Builder
	for _, line := range strings.Split(strings.Trim(detection, "\n"), "\n") {
		det.WriteString("    " + line + "\n")
	}
	return Parse([]byte("title: Test\nid: 11111111-2222-3333-4444-555555555555\nauthor: vigil tests\nlogsource:\n" + ls + "detection:\n" + det.String()))
}

// conditionKQL compiles a rule's condition: one line per top-level and.
func conditionKQL(t *testing.T, logsource, detection string) (string, error) {
	t.Helper()
	r, err := testRule(t, logsource, detection)
	if err != nil {
		return "", err
	}
	c, err := newCompiler(r)
	if err != nil {
		return "", err
	}
	n, err := c.condition()
	if err != nil {
		return "", err
	}
	terms := []node{n}
	if a, ok := n.(andNode); ok {
		terms = a
	}
	var lines []string
	for _, x := range terms {
		lines = append(lines, render(x))
	}
	return strings.Join(lines, "\n"), nil
}

func TestCompileCondition(t *testing.T) {
	tests := []struct {
		name, logsource, detection, want string
	}{
		{"equality is case-insensitive", "process_creation", `
selection:
    Image: 'C:\Windows\System32\cmd.exe'
condition: selection`, `FolderPath =~ @"C:\Windows\System32\cmd.exe"`},
		{"a list is an or, equalities grouped", "process_creation", `
selection:
    OriginalFileName:
        - 'cmd.exe'
        - 'PowerShell.EXE'
condition: selection`, `ProcessVersionInfoOriginalFileName in~ ("cmd.exe", "PowerShell.EXE")`},
		{"contains, startswith, endswith", "process_creation", `
selection:
    CommandLine|contains: 'urlcache'
    ParentImage|startswith: 'C:\Users\'
    Image|endswith: '\certutil.exe'
condition: selection`, "ProcessCommandLine contains \"urlcache\"\nInitiatingProcessFolderPath startswith @\"C:\\Users\\\"\nFolderPath endswith @\"\\certutil.exe\""},
		{"contains with term boundaries becomes has", "process_creation", `
selection:
    CommandLine|contains:
        - ' -nop '
        - ' /c '
condition: selection`, `ProcessCommandLine has_any (" -nop ", " /c ")`},
		{"contains|all", "process_creation", `
selection:
    CommandLine|contains|all:
        - ' -w '
        - 'hidden'
condition: selection`, "ProcessCommandLine has \" -w \"\nProcessCommandLine contains \"hidden\""},
		{"inner wildcards become a regex", "process_creation", `
selection:
    Image: 'C:\Users\\*\AppData\\?emp\\*.exe' # \\ before a wildcard is a backslash
condition: selection`, `FolderPath matches regex @"(?si)^C:\\Users\\.*\\AppData\\.emp\\.*\.exe$"`},
		{"plain wildcards at the ends", "process_creation", `
selection:
    CommandLine: '*mimikatz*'
    Image: '*\rundll32.exe'
condition: selection`, "ProcessCommandLine contains \"mimikatz\"\nFolderPath endswith @\"\\rundll32.exe\""},
		{"escaped wildcard stays literal", "process_creation", `
selection:
    CommandLine|contains: 'select \* from'
condition: selection`, `ProcessCommandLine contains "select * from"`},
		{"null and empty", "process_creation", `
selection:
    Image|endswith: '\rundll32.exe'
filter_null:
    CommandLine: null
filter_empty:
    CommandLine: ''
condition: selection and not 1 of filter_*`, "FolderPath endswith @\"\\rundll32.exe\"\nnot(isempty(ProcessCommandLine))"},
		{"star alone means present", "process_creation", `
selection:
    Description: '*'
condition: selection`, `isnotempty(ProcessVersionInfoFileDescription)`},
		{"re is case-sensitive, re|i is not", "process_creation", `
selection:
    CommandLine|re: '\s-e(nc)?\s'
    Image|re|i: '\\(cmd|pwsh)\.exe$'
condition: selection`, "ProcessCommandLine matches regex @\"\\s-e(nc)?\\s\"\nFolderPath matches regex @\"(?i)\\\\(cmd|pwsh)\\.exe$\""},
		{"cidr", "network_connection", `
selection:
    DestinationIp|cidr:
        - '10.0.0.0/8'
        - '172.16.0.0/12'
        - 'fe80::/10'
condition: selection`, `ipv4_is_in_any_range(RemoteIP, "10.0.0.0/8", "172.16.0.0/12") or ipv6_is_in_range(RemoteIP, "fe80::/10")`},
		{"numbers on a numeric column", "network_connection", `
selection:
    DestinationPort:
        - 445
        - '139'
    Initiated: 'true'
condition: selection`, `RemotePort in (445, 139)`},
		{"base64", "process_creation", `
selection:
    CommandLine|base64|contains: 'http://'
condition: selection`, `ProcessCommandLine contains "aHR0cDovLw=="`},
		{"base64offset", "process_creation", `
selection:
    CommandLine|base64offset|contains: 'IEX'
condition: selection`, `ProcessCommandLine contains "SUVY" or ProcessCommandLine contains "lFW" or ProcessCommandLine contains "JRV"`},
		{"wide base64offset", "process_creation", `
selection:
    CommandLine|wide|base64offset|contains: 'iex'
condition: selection`, `ProcessCommandLine contains "aQBlAHgA" or ProcessCommandLine contains "kAZQB4A" or ProcessCommandLine contains "pAGUAeA"`},
		{"windash", "process_creation", `
selection:
    CommandLine|windash|contains: '-urlcache'
condition: selection`, `ProcessCommandLine contains "-urlcache" or ProcessCommandLine contains "/urlcache" or ProcessCommandLine contains "–urlcache" or ProcessCommandLine contains "—urlcache" or ProcessCommandLine contains "―urlcache"`},
		{"exists", "process_creation", `
selection:
    Company|exists: true
    ProcessId|exists: false
condition: selection`, "isnotempty(ProcessVersionInfoCompanyName)\nnot(isnotnull(ProcessId))"},
		{"comparisons", "process_creation", `
selection:
    ProcessId|gt: 4
    LogonId|lte: '0x3e7'
condition: selection`, "ProcessId > 4\nLogonId <= 999"},
		{"fieldref with the domain", "process_creation", `
selection:
    User|fieldref: ParentUser
condition: not selection`, `not(AccountName =~ InitiatingProcessAccountName and AccountDomain =~ InitiatingProcessAccountDomain)`},
		{"cased", "process_creation", `
selection:
    CommandLine|cased|contains: 'Invoke-'
    Image|cased: 'C:\x.exe'
condition: selection`, "ProcessCommandLine contains_cs \"Invoke-\"\nFolderPath == @\"C:\\x.exe\""},
		{"keywords", "azure/activitylogs", `
keywords:
    - 'Microsoft.Compute/snapshots/write'
    - ' /delete '
    - 'C:\temp\'
condition: keywords`, `tostring(pack_all()) contains "Microsoft.Compute/snapshots/write" or tostring(pack_all()) has " /delete " or tostring(pack_all()) contains @"C:\\temp\\"`},
		{"hashes pick the column; IMPHASH cannot match", "process_creation", `
selection:
    Hashes|contains:
        - 'SHA256=ABC123'
        - 'MD5=0011'
        - 'IMPHASH=FFEE'
condition: selection`, `SHA256 =~ "ABC123" or MD5 =~ "0011"`},
		{"DOMAIN\\user is split", "process_creation", `
selection:
    User|contains:
        - 'AUTHORI'
        - 'NT AUTHORITY\SYSTEM'
condition: selection`, `AccountName contains "AUTHORI" or AccountDomain endswith "NT AUTHORITY" and AccountName startswith "SYSTEM"`},
		{"equality user split", "process_creation", `
selection:
    User: 'NT AUTHORITY\SYSTEM'
condition: selection`, "AccountDomain =~ \"NT AUTHORITY\"\nAccountName =~ \"SYSTEM\""},
		{"parent image outside process creation keeps the file name", "network_connection", `
selection:
    ParentImage|endswith: '\explorer.exe'
condition: selection`, `InitiatingProcessParentFileName =~ "explorer.exe"`},
		{"grouped has across a selection and parent image in process creation", "process_creation", `
selection:
    ParentImage: 'C:\Windows\explorer.exe'
condition: selection`, `InitiatingProcessFolderPath =~ @"C:\Windows\explorer.exe"`},
		{"registry hives and control sets", "registry_set", `
selection:
    TargetObject|startswith: 'HKLM\SYSTEM\CurrentControlSet\Services\'
condition: selection`, `TargetObject startswith @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\" or TargetObject startswith @"HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\"`},
		{"registry user hive", "registry_set", `
selection:
    TargetObject|contains: 'HKU\'
condition: selection`, `TargetObject contains @"HKEY_USERS\" or TargetObject contains @"HKEY_CURRENT_USER\"`},
		{"registry data as MDE stores it", "registry_set", `
selection:
    Details:
        - 'DWORD (0x00000001)'
        - '(Empty)'
        - 'Binary Data'
condition: selection`, `RegistryValueData == "1" or isempty(RegistryValueData) or RegistryValueType =~ "Binary"`},
		{"registry event types", "registry_event", `
selection:
    EventType: DeleteKey
    EventID: 12
condition: selection`, `ActionType in ("RegistryKeyDeleted", "RegistryValueDeleted")`},
		{"file event target", "file_event", `
selection:
    TargetFilename|endswith: '.lnk'
    User|contains: 'admin'
condition: selection`, "FolderPath endswith \".lnk\"\nRequestAccountName contains \"admin\""},
		{"sign-in status and numbers as text", "azure/signinlogs", `
selection:
    Status: Success
    ResultType: 50053
    DeviceDetail.trusttype: ''
    userAgent|contains: 'python'
condition: selection`, "ResultType == \"0\"\nResultType =~ \"50053\"\nisempty(tostring(DeviceDetail.trustType))\nUserAgent contains \"python\""},
		{"audit log JSON columns", "azure/auditlogs", `
selection:
    operationName: 'Add member to role'
    properties.targetResources|contains: 'Admins'
    TargetResources.ModifiedProperties.DisplayName: 'StrongAuthenticationRequirement'
condition: selection`, "OperationName =~ \"Add member to role\"\ntostring(TargetResources) contains \"Admins\"\ntostring(TargetResources) contains \"\\\"StrongAuthenticationRequirement\\\"\""},
		{"list of maps is an or", "process_creation", `
selection:
    - Image|endswith: '\a.exe'
    - OriginalFileName: 'a.exe'
      Product: 'A'
condition: selection`, `FolderPath endswith @"\a.exe" or ProcessVersionInfoOriginalFileName =~ "a.exe" and ProcessVersionInfoProductName =~ "A"`},
	}
	for _, tt := range tests {
		got, err := conditionKQL(t, tt.logsource, tt.detection)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestCompileRefuses(t *testing.T) {
	tests := []struct {
		name, logsource, detection, kind string
	}{
		{"a log source without a table", "pipe_created", "selection:\n    PipeName: x\ncondition: selection", "logsource"},
		{"a field without a column", "process_creation", "selection:\n    CurrentDirectory: 'C:\\'\ncondition: selection", "field"},
		{"a generic mapping to a column the table lacks", "file_event", "selection:\n    ParentCommandLine: x\ncondition: selection", "field"},
		{"expand placeholders", "process_creation", "selection:\n    User|expand: '%admins%'\ncondition: selection", "modifier"},
		{"two position modifiers", "process_creation", "selection:\n    Image|startswith|endswith: x\ncondition: selection", "modifier"},
		{"base64offset without contains", "process_creation", "selection:\n    CommandLine|base64offset: x\ncondition: selection", "modifier"},
		{"regex RE2 cannot read", "process_creation", "selection:\n    CommandLine|re: 'a(?=b)'\ncondition: selection", "regex"},
		{"a bad CIDR", "network_connection", "selection:\n    DestinationIp|cidr: '10.0.0.0/33'\ncondition: selection", "value"},
		{"only IMPHASH", "process_creation", "selection:\n    Hashes|contains: 'IMPHASH=AA'\ncondition: selection", "constant"},
		{"only dropped fields", "process_creation", "selection:\n    EventID: 1\ncondition: selection", "constant"},
		{"a parent folder outside process creation", "file_event", "selection:\n    ParentImage|contains: '\\Temp\\'\ncondition: selection", "value"},
		{"timeframe", "process_creation", "selection:\n    Image: x\ntimeframe: 5m\ncondition: selection", "aggregation"},
		{"an aggregation", "process_creation", "selection:\n    Image: x\ncondition: selection | count() > 3", "aggregation"},
		{"a missing search", "process_creation", "selection:\n    Image: x\ncondition: selection and filter", "condition"},
		{"nested values", "process_creation", "selection:\n    Image:\n        a: b\ncondition: selection", "detection"},
		{"an unknown registry event type", "registry_event", "selection:\n    EventType: Frobnicate\ncondition: selection", "value"},
	}
	for _, tt := range tests {
		_, err := conditionKQL(t, tt.logsource, tt.detection)
		var e *Error
		if !errors.As(err, &e) || e.Kind != tt.kind {
			t.Errorf("%s: error %v; want kind %s", tt.name, err, tt.kind)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct{ name, text, kind string }{
		{"not YAML", "title: [x", "yaml"},
		{"no detection", "title: x\n", "yaml"},
		{"a correlation rule", "title: x\ncorrelation:\n    type: event_count\ndetection:\n    condition: x\n", "correlation"},
		{"a rule collection", "title: x\ndetection:\n    s:\n        a: b\n    condition: s\n---\ntitle: y\n", "multi-document"},
		{"no condition", "title: x\ndetection:\n    s:\n        a: b\n", "condition"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.text))
		var e *Error
		if !errors.As(err, &e) || e.Kind != tt.kind {
			t.Errorf("%s: error %v; want kind %s", tt.name, err, tt.kind)
		}
	}
}
