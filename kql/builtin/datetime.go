package builtin

// This file holds the datetime and timespan functions, and bin, bin_at and
// floor, which round numbers, datetimes and timespans alike.

import "github.com/vigil-hunt/vigil/kql/types"

var datetimeFuncs = []*Func{
	fn("ago", returns(types.Datetime), "The current UTC time minus a timespan.", req("timespan", TimespanArg)),
	fn("now", returns(types.Datetime), "The current UTC time, fixed for the whole query, optionally plus an offset.",
		opt("offset", TimespanArg)),
	fn("datetime_add", returns(types.Datetime), "Adds an amount of a unit (\"day\", \"month\", ...) to a datetime.",
		req("part", ConstantString), req("amount", IntegerArg), req("datetime", DatetimeArg)),
	fn("datetime_diff", returns(types.Long), "Number of unit boundaries (\"day\", \"hour\", ...) from the second datetime to the first.",
		req("part", ConstantString), req("datetime1", DatetimeArg), req("datetime2", DatetimeArg)),
	fn("datetime_part", returns(types.Int), "One part (\"year\", \"hour\", \"week_of_year\", ...) of a datetime as an integer.",
		req("part", ConstantString), req("datetime", DatetimeArg)),
	deprecated("datepart", "datetime_part"),
	fn("datetime_utc_to_local", returns(types.Datetime), "Converts a UTC datetime to local time in an IANA time zone.",
		req("datetime", DatetimeArg), req("timezone", StringArg)),
	fn("datetime_local_to_utc", returns(types.Datetime), "Converts a local datetime in an IANA time zone to UTC.",
		req("datetime", DatetimeArg), req("timezone", StringArg)),
	fn("datetime_list_timezones", returns(types.Dynamic), "The supported IANA time zone names."),

	fn("dayofweek", returns(types.Timespan), "Days since the preceding Sunday, as a timespan (0d to 6d).",
		req("datetime", DatetimeArg)),
	fn("dayofmonth", returns(types.Int), "Day of the month, 1 to 31.", req("datetime", DatetimeArg)),
	fn("dayofyear", returns(types.Int), "Day of the year, 1 to 366.", req("datetime", DatetimeArg)),
	fn("hourofday", returns(types.Int), "Hour of the day, 0 to 23.", req("datetime", DatetimeArg)),
	fn("getmonth", returns(types.Int), "Month of the year, 1 to 12.", req("datetime", DatetimeArg)),
	synonym("monthofyear", "getmonth"),
	fn("getyear", returns(types.Int), "The year of a datetime.", req("datetime", DatetimeArg)),
	fn("week_of_year", returns(types.Int), "ISO 8601 week number of a datetime.", req("datetime", DatetimeArg)),
	deprecated("weekofyear", "week_of_year"),

	fn("startofday", returns(types.Datetime), "Midnight starting the day of a datetime, optionally shifted by whole days.",
		req("datetime", DatetimeArg), opt("offset", IntegerArg)),
	fn("startofweek", returns(types.Datetime), "Start of the week (Sunday) of a datetime, optionally shifted by whole weeks.",
		req("datetime", DatetimeArg), opt("offset", IntegerArg)),
	fn("startofmonth", returns(types.Datetime), "Start of the month of a datetime, optionally shifted by whole months.",
		req("datetime", DatetimeArg), opt("offset", IntegerArg)),
	fn("startofyear", returns(types.Datetime), "Start of the year of a datetime, optionally shifted by whole years.",
		req("datetime", DatetimeArg), opt("offset", IntegerArg)),
	fn("endofday", returns(types.Datetime), "Last tick of the day of a datetime, optionally shifted by whole days.",
		req("datetime", DatetimeArg), opt("offset", IntegerArg)),
	fn("endofweek", returns(types.Datetime), "Last tick of the week of a datetime, optionally shifted by whole weeks.",
		req("datetime", DatetimeArg), opt("offset", IntegerArg)),
	fn("endofmonth", returns(types.Datetime), "Last tick of the month of a datetime, optionally shifted by whole months.",
		req("datetime", DatetimeArg), opt("offset", IntegerArg)),
	fn("endofyear", returns(types.Datetime), "Last tick of the year of a datetime, optionally shifted by whole years.",
		req("datetime", DatetimeArg), opt("offset", IntegerArg)),

	fn("format_datetime", returns(types.String), "Formats a datetime with a pattern such as \"yyyy-MM-dd HH:mm\".",
		req("datetime", DatetimeArg), req("format", ConstantString)),
	fn("format_timespan", returns(types.String), "Formats a timespan with a pattern such as \"d.hh:mm:ss\".",
		req("timespan", TimespanArg), req("format", ConstantString)),
	// make_datetime(year, month, day[, hour, minute, second]) or make_datetime(value).
	fn("make_datetime", returns(types.Datetime), "Builds a datetime from year, month, day and optional hour, minute, second.",
		req("year", AnyScalar), opt("month", NumericArg), opt("day", NumericArg),
		opt("hour", NumericArg), opt("minute", NumericArg), opt("second", NumericArg)),
	// make_timespan(hours, minutes[, seconds]), (days, hours, minutes, seconds) or (value).
	fn("make_timespan", returns(types.Timespan), "Builds a timespan from [days,] hours, minutes and optional seconds.",
		req("first", AnyScalar), opt("second", NumericArg), opt("third", NumericArg), opt("fourth", NumericArg)),
	fn("unixtime_seconds_todatetime", returns(types.Datetime), "Converts seconds since the Unix epoch to a datetime.",
		req("seconds", NumericArg)),
	fn("unixtime_milliseconds_todatetime", returns(types.Datetime), "Converts milliseconds since the Unix epoch to a datetime.",
		req("milliseconds", NumericArg)),
	fn("unixtime_microseconds_todatetime", returns(types.Datetime), "Converts microseconds since the Unix epoch to a datetime.",
		req("microseconds", NumericArg)),
	fn("unixtime_nanoseconds_todatetime", returns(types.Datetime), "Converts nanoseconds since the Unix epoch to a datetime.",
		req("nanoseconds", NumericArg)),

	fn("bin", binResult, "Rounds a number, datetime or timespan down to a multiple of the bin size.",
		req("value", NumericOrDatetimeOrTimespanArg), req("bin_size", NumericOrDatetimeOrTimespanArg)),
	synonym("floor", "bin"),
	fn("bin_at", binResult, "Rounds down to a multiple of the bin size, with bins aligned on a fixed point.",
		req("value", NumericOrDatetimeOrTimespanArg), req("bin_size", NumericOrDatetimeOrTimespanArg),
		req("fixed_point", NumericOrDatetimeOrTimespanArg)),
}
