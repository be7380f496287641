package ioc

import "testing"

func TestIdentifierColumnsHoldNoHashes(t *testing.T) {
	const sha1 = "6ce3d1a58140fce75c64a57f349f4d3d1d17aede"
	if got := ExtractIn(sha1, "DeviceId"); len(got) != 0 {
		t.Errorf("DeviceId value extracted as %v", got)
	}
	if got := ExtractIn(sha1, "SHA1"); len(got) != 1 || got[0].Type != SHA1 {
		t.Errorf("SHA1 value extracted as %v, want one sha1", got)
	}
}
