package value

import (
	"testing"
	"time"
)

func TestParseDatetime(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339, "" when invalid
	}{
		{"2015-12-31 23:59:59.9", "2015-12-31T23:59:59.9Z"},
		{"2015-12-31", "2015-12-31T00:00:00Z"},
		{"2014-05-25T08:20:03.123456Z", "2014-05-25T08:20:03.123456Z"},
		{"2014-05-25T08:20", "2014-05-25T08:20:00Z"},
		{"2014-11-08 15:55:55.123456Z", "2014-11-08T15:55:55.123456Z"},
		{"2014-11-08 15:55", "2014-11-08T15:55:00Z"},
		{"2021-03-04T05:06:07+02:00", "2021-03-04T03:06:07Z"},
		{"Sat, 8 Nov 14 15:05:02 GMT", "2014-11-08T15:05:02Z"},
		{"Saturday, 08-Nov-14 15:05:02 GMT", "2014-11-08T15:05:02Z"},
		{"'2020-01-01'", "2020-01-01T00:00:00Z"},
		{"0001-01-01", "0001-01-01T00:00:00Z"},
		{"2025, 6, 14", "2025-06-14T00:00:00Z"},
		{"2017 - 08 - 01", "2017-08-01T00:00:00Z"},
		{"2017 - 08 - 01 10:00", "2017-08-01T10:00:00Z"},
		{"2025,6,14,10,20,30", "2025-06-14T10:20:30Z"},
		{"2025, 6, 31", ""},
		{"2025, 13, 1", ""},
		{"1, 2", ""},
		{"not a date", ""},
		{"", ""},
	}
	for _, tt := range tests {
		d, ok := ParseDatetime(tt.in)
		if tt.want == "" {
			if ok {
				t.Errorf("ParseDatetime(%q) = %v, want failure", tt.in, d)
			}
			continue
		}
		want, _ := time.Parse(time.RFC3339Nano, tt.want)
		if !ok || !d.Time().Equal(want) {
			t.Errorf("ParseDatetime(%q) = %v, %v; want %v", tt.in, d.Time(), ok, want)
		}
	}
}

func TestDatetimeString(t *testing.T) {
	d, _ := ParseDatetime("2015-12-31 23:59:59.9")
	if got := d.String(); got != "2015-12-31T23:59:59.9000000Z" {
		t.Errorf("String = %q", got)
	}
	old, _ := ParseDatetime("1601-01-01")
	if got := old.String(); got != "1601-01-01T00:00:00.0000000Z" {
		t.Errorf("pre-epoch String = %q", got)
	}
}

func TestParseTimespan(t *testing.T) {
	tests := []struct {
		in   string
		want Timespan
		ok   bool
	}{
		{"2d", 2 * Day, true},
		{"1.5h", 90 * Minute, true},
		{"30m", 30 * Minute, true},
		{"10s", 10 * Second, true},
		{"0.1s", 100 * Millisecond, true},
		{"100ms", 100 * Millisecond, true},
		{"10microsecond", 10 * Microsecond, true},
		{"1tick", 1, true},
		{"15 seconds", 15 * Second, true},
		{"2", 2 * Day, true},
		{"0.12:34:56.7", 12*Hour + 34*Minute + 56*Second + 700*Millisecond, true},
		{"1.02:03:04", Day + 2*Hour + 3*Minute + 4*Second, true},
		{"00:01:00", Minute, true},
		{"12:34", 12*Hour + 34*Minute, true},
		{"-1d", -Day, true},
		{"3w", 0, false},
		{"", 0, false},
		{"abc", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseTimespan(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ParseTimespan(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestTimespanString(t *testing.T) {
	tests := []struct {
		in   Timespan
		want string
	}{
		{0, "00:00:00"},
		{Day + 2*Hour + 3*Minute + 4*Second, "1.02:03:04"},
		{500 * Millisecond, "00:00:00.5000000"},
		{-90 * Minute, "-01:30:00"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("(%d).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatRealLikeDotnet(t *testing.T) {
	tenth, fifth := 0.1, 0.2
	for f, want := range map[float64]string{
		1: "1", tenth + fifth: "0.30000000000000004", 1e20: "1E+20", 1e15: "1E+15", 1e14: "100000000000000",
		1234567: "1234567", 123456789012.5: "123456789012.5", 1.5e-7: "1.5E-07", 0.00001: "1E-05",
		0.0001: "0.0001", -2.5e-300: "-2.5E-300",
	} {
		if got := FormatReal(f); got != want {
			t.Errorf("FormatReal(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestParseGuid(t *testing.T) {
	const want = "74be27de-1e4e-49d9-b579-fe0b331d3642"
	for _, in := range []string{want, "74BE27DE1E4E49D9B579FE0B331D3642", "{74be27de-1e4e-49d9-b579-fe0b331d3642}", "(74be27de1e4e49d9b579fe0b331d3642)"} {
		if got, ok := ParseGuid(in); !ok || got != want {
			t.Errorf("ParseGuid(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "74be27de-1e4e-49d9-b579", "zzbe27de1e4e49d9b579fe0b331d3642", "{74be27de1e4e49d9b579fe0b331d3642"} {
		if got, ok := ParseGuid(bad); ok {
			t.Errorf("ParseGuid(%q) = %q, want failure", bad, got)
		}
	}
}
