package hunt

import (
	"reflect"
	"strings"
	"testing"
)

func TestExtractIndicators(t *testing.T) {
	tests := []struct {
		in   string
		want Entities
	}{
		{"beacon to evil[.]com and 203.0.113[.]7 via hxxps://evil[.]com/a/b.ps1?x=1",
			Entities{IPs: []string{"203.0.113.7"}, Domains: []string{"evil.com"},
				URLs: []string{"https://evil.com/a/b.ps1?x=1"}, Files: []string{"b.ps1"}}},
		{"traffic from 2001:db8::5 and [2001:db8::6]:443 and fe80::1%eth0",
			Entities{IPs: []string{"2001:db8::5", "2001:db8::6", "fe80::1"}}},
		{"scan from 198.51.100.0/24 on 10.0.0.5:3389, not 999.1.1.1 or 1.2.3",
			Entities{IPs: []string{"198.51.100.0/24", "10.0.0.5"}}},
		{"md5 44D88612FEA8A8F36DE82E1278ABB02F sha1:3395856ce81f2b7382dee72602f798b642f14140 and " +
			"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.",
			Entities{Hashes: []Hash{{"44d88612fea8a8f36de82e1278abb02f", "md5"},
				{"3395856ce81f2b7382dee72602f798b642f14140", "sha1"},
				{"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256"}}}},
		{`ran C:\Users\Public\svch0st.exe, /tmp/.x/miner.sh and "rundll32.exe comsvcs.dll"`,
			Entities{Files: []string{"svch0st.exe", "miner.sh", "rundll32.exe", "comsvcs.dll"}}},
		{`by CONTOSO\jdoe and NT AUTHORITY\SYSTEM, mail jdoe@contoso.com`,
			Entities{Accounts: []AccountMatch{{Name: `CONTOSO\jdoe`, Text: `CONTOSO\jdoe`},
				{Name: `NT AUTHORITY\SYSTEM`, Text: `NT AUTHORITY\SYSTEM`}, {Name: "jdoe@contoso.com", Text: "jdoe@contoso.com"}}}},
		{`HKLM\Software\Microsoft\Windows\CurrentVersion\Run changed; see Downloads\evil.exe`,
			Entities{Files: []string{"evil.exe"}}},
		{"e.g. node.js, i.e. ASP.NET at 10 a.m. on report.docx", Entities{Files: []string{"report.docx"}}},
		{"the user behaviour of user jsmith and account: admin01; also bob's account", Entities{Accounts: []AccountMatch{
			{Name: "jsmith", Text: "jsmith"}, {Name: "admin01", Text: "admin01"}, {Name: "bob", Text: "bob"}}}},
		{"logged in as root, then as someone", Entities{Accounts: []AccountMatch{{Name: "root", Text: "root"}}}},
		{"Ticket INC-4821 about wks-fin-07 and CVE-2024-3400", Entities{Devices: []DeviceMatch{
			{Name: "wks-fin-07", Text: "wks-fin-07", How: "unverified"}}}},
	}
	for _, tc := range tests {
		got := ExtractEntities(tc.in, Env{})
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got  %+v\n want %+v", tc.in, got, tc.want)
		}
	}
}

func TestMatchDevices(t *testing.T) {
	env := Env{Devices: []DeviceRef{
		{Name: "windows-target-1", ID: "a"}, {Name: "windows-target-2", ID: "b"},
		{Name: "dc-01.corp.example", ID: "c"}, {Name: "srv-fs-01", ID: "d", Aliases: []string{"FILESRV"}},
		{Name: "web", ID: "e"},
	}}
	tests := []struct {
		in   string
		want []string // name/how
	}{
		{"check WINDOWS-TARGET-1", []string{"windows-target-1/exact"}},
		{"logons on dc-01 and DC-01.CORP.EXAMPLE", []string{"dc-01.corp.example/short"}},
		{"srv-fs-01.corp.example", []string{"srv-fs-01/fqdn"}},
		{"DC01", []string{"dc-01.corp.example/normalised"}},
		{"is windows target 1 ok", []string{"windows-target-1/spaced"}},
		{"windows target two", []string{"windows-target-2/spaced"}},
		{"windws-target-1", []string{"windows-target-1/fuzzy"}},
		{"windows-target-3", []string{"windows-target-3/unverified"}}, // one edit from two devices: no guess
		{"the filesrv alias", []string{"srv-fs-01/exact"}},
		{"web server attack", []string{"web/exact"}},
		{"windows target", nil},
		{"srv-fs-02", []string{"srv-fs-01/fuzzy"}},
	}
	for _, tc := range tests {
		var got []string
		for _, d := range ExtractEntities(tc.in, env).Devices {
			got = append(got, d.Name+"/"+d.How)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestKnownAccounts(t *testing.T) {
	env := Env{Accounts: []string{`HARBOR\jsmith`, "jsmith@harborline.example", `HARBOR\svc_backup`, "Alice.Wong@harborline.example"}}
	x := newExtractor(normalise(`svc_backup and harbor\JSMITH, user jsmith, alice.wong@harborline.example, account ghost99`), env)
	x.run()
	var got []string
	for _, a := range x.ents.Accounts {
		got = append(got, a.Name+"/"+map[bool]string{true: "known", false: "unknown"}[a.Known])
	}
	want := []string{`HARBOR\svc_backup/known`, `HARBOR\jsmith/known`, "jsmith/known",
		"Alice.Wong@harborline.example/known", "ghost99/unknown"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if !strings.Contains(strings.Join(x.notes, "\n"), `"ghost99" is not among the known accounts`) {
		t.Errorf("notes %q lack the unknown account", x.notes)
	}
}
