package hunt

import (
	"testing"
	"time"
)

// pinnedNow is Thursday 14 March 2024, 15:30 UTC.
var pinnedNow = time.Date(2024, 3, 14, 15, 30, 0, 0, time.UTC)

func utc(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.UTC)
}

func TestParseTimeRange(t *testing.T) {
	now := pinnedNow
	today := utc(2024, 3, 14, 0, 0)
	tests := []struct {
		in         string
		start, end time.Time
		text       string
	}{
		{"failed logons in the last 24 hours", now.Add(-24 * time.Hour), now, "in the last 24 hours"},
		{"past week", now.Add(-7 * 24 * time.Hour), now, "past week"},
		{"previous 3 days", now.Add(-72 * time.Hour), now, "previous 3 days"},
		{"logged into in the last few days", now.Add(-FewDays), now, "in the last few days"},
		{"anything weird recently?", now.Add(-Recently), now, "recently"},
		{"lately", now.Add(-Recently), now, "lately"},
		{"today", today, now, "today"},
		{"what happened yesterday on dc-01", utc(2024, 3, 13, 0, 0), today, "yesterday"},
		{"since Monday", utc(2024, 3, 11, 0, 0), now, "since Monday"},
		{"since last Tuesday", utc(2024, 3, 12, 0, 0), now, "since last Tuesday"},
		{"since last Thursday", utc(2024, 3, 7, 0, 0), now, "since last Thursday"},
		{"since Thursday", today, now, "since Thursday"},
		{"on Friday", utc(2024, 3, 8, 0, 0), utc(2024, 3, 9, 0, 0), "on Friday"},
		{"this week", utc(2024, 3, 11, 0, 0), now, "this week"},
		{"last week", utc(2024, 3, 4, 0, 0), utc(2024, 3, 11, 0, 0), "last week"},
		{"in the last week", now.Add(-7 * 24 * time.Hour), now, "in the last week"},
		{"last month", utc(2024, 2, 1, 0, 0), utc(2024, 3, 1, 0, 0), "last month"},
		{"over the past month", now.Add(-30 * 24 * time.Hour), now, "over the past month"},
		{"this month", utc(2024, 3, 1, 0, 0), now, "this month"},
		{"over the weekend", utc(2024, 3, 9, 0, 0), utc(2024, 3, 11, 0, 0), "over the weekend"},
		{"overnight", utc(2024, 3, 13, 18, 0), utc(2024, 3, 14, 8, 0), "overnight"},
		{"last night", utc(2024, 3, 13, 18, 0), utc(2024, 3, 14, 8, 0), "last night"},
		{"this morning", today, utc(2024, 3, 14, 12, 0), "this morning"},
		{"in the last hour", now.Add(-time.Hour), now, "in the last hour"},
		{"past 90 minutes", now.Add(-90 * time.Minute), now, "past 90 minutes"},
		{"last 24h", now.Add(-24 * time.Hour), now, "last 24h"},
		{"within 48 hrs", now.Add(-48 * time.Hour), now, "within 48 hrs"},
		{"7d: rdp on dc-01", now.Add(-7 * 24 * time.Hour), now, "7d"},
		{"the last day or two", now.Add(-48 * time.Hour), now, "the last day or two"},
		{"last couple of days", now.Add(-48 * time.Hour), now, "last couple of days"},
		{"in the past twenty-four hours", now.Add(-24 * time.Hour), now, "in the past twenty-four hours"},
		{"past fortnight", now.Add(-14 * 24 * time.Hour), now, "past fortnight"},
		{"between 2024-03-01 and 2024-03-05", utc(2024, 3, 1, 0, 0), utc(2024, 3, 6, 0, 0), "between 2024-03-01 and 2024-03-05"},
		{"on March 3", utc(2024, 3, 3, 0, 0), utc(2024, 3, 4, 0, 0), "on March 3"},
		{"on 3rd March", utc(2024, 3, 3, 0, 0), utc(2024, 3, 4, 0, 0), "on 3rd March"},
		{"on March 20", utc(2023, 3, 20, 0, 0), utc(2023, 3, 21, 0, 0), "on March 20"},
		{"since 2024-03-01 10:00", utc(2024, 3, 1, 10, 0), now, "since 2024-03-01 10:00"},
		{"from 1 March to 3 March", utc(2024, 3, 1, 0, 0), utc(2024, 3, 4, 0, 0), "from 1 March to 3 March"},
		{"from March 1 to 3", utc(2024, 3, 1, 0, 0), utc(2024, 3, 4, 0, 0), "from March 1 to 3"},
		{"between 1 and 3 March", utc(2024, 3, 1, 0, 0), utc(2024, 3, 4, 0, 0), "between 1 and 3 March"},
		{"2024-03-01 to 2024-03-02", utc(2024, 3, 1, 0, 0), utc(2024, 3, 3, 0, 0), "2024-03-01 to 2024-03-02"},
		{"alert at 2024-03-12T09:15:00Z", utc(2024, 3, 11, 21, 15), utc(2024, 3, 12, 21, 15), "at 2024-03-12T09:15:00Z"},
		{"since 2024-03-12T09:15:00+02:00", utc(2024, 3, 12, 7, 15), now, "since 2024-03-12T09:15:00+02:00"},
		{"2 weeks ago", utc(2024, 2, 29, 0, 0), now, "2 weeks ago"},
		{"a few days ago", utc(2024, 3, 11, 0, 0), now, "a few days ago"},
		{"since 3 hours ago", now.Add(-3 * time.Hour), now, "since 3 hours ago"},
		{"since yesterday", utc(2024, 3, 13, 0, 0), now, "since yesterday"},
		{"yesterday at 10pm", utc(2024, 3, 13, 10, 0), utc(2024, 3, 14, 10, 0), "yesterday at 10pm"},
		{"since 09:00", utc(2024, 3, 14, 9, 0), now, "since 09:00"},
		{"since 16:00", utc(2024, 3, 13, 16, 0), now, "since 16:00"},
		{"before Monday", utc(2024, 3, 4, 0, 0), utc(2024, 3, 11, 0, 0), "before Monday"},
		{"until yesterday", utc(2024, 3, 7, 0, 0), today, "until yesterday"},
		{"in March", utc(2024, 3, 1, 0, 0), now, "in March"},
		{"in February 2024", utc(2024, 2, 1, 0, 0), utc(2024, 3, 1, 0, 0), "in February 2024"},
		{"on 03/12/2024", utc(2024, 3, 12, 0, 0), utc(2024, 3, 13, 0, 0), "on 03/12/2024"},
		{"the other day", now.Add(-FewDays), now, "the other day"},
		{"last 2 years", now.Add(-MaxSpan), now, "last 2 years"},
		{"since the start of the week", utc(2024, 3, 11, 0, 0), now, "since the start of the week"},
		{"since the 1st", utc(2024, 3, 1, 0, 0), now, "since the 1st"},
		{"on the 20th", utc(2024, 2, 20, 0, 0), utc(2024, 2, 21, 0, 0), "on the 20th"},
		{"from last Friday to Monday", utc(2024, 3, 8, 0, 0), utc(2024, 3, 12, 0, 0), "from last Friday to Monday"},
		{"Mar 3-5", utc(2024, 3, 3, 0, 0), utc(2024, 3, 6, 0, 0), "Mar 3-5"},
		{"on 3/1", utc(2024, 3, 1, 0, 0), utc(2024, 3, 2, 0, 0), "on 3/1"},
		{"since midnight", today, now, "since midnight"},
		{"since 9am today", utc(2024, 3, 14, 9, 0), now, "since 9am today"},
		{"throughout February", utc(2024, 2, 1, 0, 0), utc(2024, 3, 1, 0, 0), "throughout February"},
		{"during the night", utc(2024, 3, 13, 18, 0), utc(2024, 3, 14, 8, 0), "during the night"},
		{"last evening", utc(2024, 3, 13, 18, 0), today, "last evening"},
		{"yesterday between 10pm and midnight", utc(2024, 3, 13, 22, 0), today, "yesterday between 10pm and midnight"},
		{"between 08:00 and 17:00 yesterday", utc(2024, 3, 13, 8, 0), utc(2024, 3, 13, 17, 0), "between 08:00 and 17:00 yesterday"},
		{"between 2 and 4 pm yesterday", utc(2024, 3, 13, 14, 0), utc(2024, 3, 13, 16, 0), "between 2 and 4 pm yesterday"},
		{"last Monday night", utc(2024, 3, 11, 18, 0), utc(2024, 3, 12, 8, 0), "last Monday night"},
		{"this past weekend", utc(2024, 3, 9, 0, 0), utc(2024, 3, 11, 0, 0), "this past weekend"},
		{"an hour ago", now.Add(-time.Hour), now, "an hour ago"},
		{"earlier this week", utc(2024, 3, 11, 0, 0), now, "earlier this week"},
		{"from Feb 28 until now", utc(2024, 2, 28, 0, 0), now, "from Feb 28 until now"},
		{"over the past forty-eight hours", now.Add(-48 * time.Hour), now, "over the past forty-eight hours"},
		{"Threat hunt: lsass, 30 days", now.Add(-30 * 24 * time.Hour), now, "30 days"},
		{"beacon to 198.51.100.14:443", now.Add(-DefaultLookback), now, ""},
	}
	for _, tc := range tests {
		got := ParseTimeRange(tc.in, now)
		if !got.Start.Equal(tc.start) || !got.End.Equal(tc.end) || got.Text != tc.text {
			t.Errorf("%q:\n got  %s .. %s %q\n want %s .. %s %q", tc.in,
				got.Start.Format(time.RFC3339), got.End.Format(time.RFC3339), got.Text,
				tc.start.Format(time.RFC3339), tc.end.Format(time.RFC3339), tc.text)
		}
	}
}

func TestParseTimeRangeDefaults(t *testing.T) {
	for _, in := range []string{"", "check windows-target-1", "may have been compromised", "4625 events on port 3389", "10 failed logons", "is 10.0.0.5 bad?"} {
		got := ParseTimeRange(in, pinnedNow)
		if !got.Default || !got.Start.Equal(pinnedNow.Add(-DefaultLookback)) || !got.End.Equal(pinnedNow) {
			t.Errorf("%q: got %+v, want the default", in, got)
		}
	}
	if got := ParseTimeRange("last 2 years", pinnedNow); !got.Capped || len(got.Notes) == 0 {
		t.Errorf("last 2 years: got %+v, want capped with a note", got)
	}
	if got := ParseTimeRange("tonight", pinnedNow); !got.Default || len(got.Notes) == 0 {
		t.Errorf("tonight (in the future): got %+v, want the default with a note", got)
	}
}

// TestWeekStartsMonday pins the week boundaries for every day of a week.
func TestWeekStartsMonday(t *testing.T) {
	monday := utc(2024, 3, 11, 0, 0)
	for d := range 7 {
		now := monday.Add(time.Duration(d)*24*time.Hour + 10*time.Hour)
		got := ParseTimeRange("this week", now)
		if !got.Start.Equal(monday) {
			t.Errorf("this week on %s: start %s, want %s", now.Weekday(), got.Start, monday)
		}
		last := ParseTimeRange("last week", now)
		if !last.Start.Equal(monday.AddDate(0, 0, -7)) || !last.End.Equal(monday) {
			t.Errorf("last week on %s: %s .. %s", now.Weekday(), last.Start, last.End)
		}
	}
	// On a Sunday the weekend is the current one; "last weekend" the one before.
	sunday := utc(2024, 3, 17, 11, 0)
	if got := ParseTimeRange("over the weekend", sunday); !got.Start.Equal(utc(2024, 3, 16, 0, 0)) || !got.End.Equal(sunday) {
		t.Errorf("weekend on Sunday: %s .. %s", got.Start, got.End)
	}
	if got := ParseTimeRange("last weekend", sunday); !got.Start.Equal(utc(2024, 3, 9, 0, 0)) {
		t.Errorf("last weekend on Sunday: %s", got.Start)
	}
}

func TestParseTimeRangeLocation(t *testing.T) {
	loc := time.FixedZone("EST", -5*3600)
	now := time.Date(2024, 3, 14, 1, 0, 0, 0, loc) // still Thursday there
	got := ParseTimeRange("yesterday", now)
	if want := time.Date(2024, 3, 13, 0, 0, 0, 0, loc); !got.Start.Equal(want) {
		t.Errorf("yesterday in EST: %s, want %s", got.Start, want)
	}
}
