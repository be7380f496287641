package scalar

import (
	"testing"

	"github.com/vigil-hunt/vigil/kql/builtin"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func TestDatetimeFunctions(t *testing.T) {
	dt := DT("2017-01-01 10:10:17")
	runCases(t, []fnCase{
		{"now", nil, value.OfDatetime(testNow)},
		{"now", args(TS("-1d")), DT("2024-01-09 12:00")},
		{"ago", args(TS("1h")), DT("2024-01-10 11:00")},
		{"datetime_add", args(S("month"), L(1), DT("2017-01-31")), DT("2017-02-28")},
		{"datetime_add", args(S("year"), L(-5), DT("2017-01-01")), DT("2012-01-01")},
		{"datetime_add", args(S("day"), L(3), DT("2017-01-01")), DT("2017-01-04")},
		{"datetime_add", args(S("Hour"), L(2), DT("2017-01-01")), DT("2017-01-01 02:00")},
		{"datetime_add", args(S("quarter"), L(1), DT("2017-01-01")), DT("2017-04-01")},
		{"datetime_diff", args(S("year"), DT("2017-01-01"), DT("2000-12-31")), L(17)},
		{"datetime_diff", args(S("quarter"), DT("2017-07-01"), DT("2017-03-30")), L(2)},
		{"datetime_diff", args(S("month"), DT("2017-01-01"), DT("2015-12-30")), L(13)},
		{"datetime_diff", args(S("week"), DT("2017-10-29 00:00"), DT("2017-09-30 23:59")), L(5)},
		{"datetime_diff", args(S("day"), DT("2017-10-29 00:00"), DT("2017-09-30 23:59")), L(29)},
		{"datetime_diff", args(S("hour"), DT("2017-10-31 01:00"), DT("2017-10-30 23:59")), L(2)},
		{"datetime_diff", args(S("minute"), DT("2017-10-30 23:05:01"), DT("2017-10-30 23:00:59")), L(5)},
		{"datetime_diff", args(S("second"), DT("2017-10-30 23:00:10.100"), DT("2017-10-30 23:00:00.900")), L(10)},
		{"datetime_diff", args(S("millisecond"), DT("2017-10-30 23:00:00.200100"), DT("2017-10-30 23:00:00.100900")), L(100)},
		{"datetime_diff", args(S("nanosecond"), DT("2017-10-30 23:00:00.0000000"), DT("2017-10-30 23:00:00.0000007")), L(-700)},
		{"datetime_part", args(S("Year"), dt), I(2017)},
		{"datetime_part", args(S("quarter"), DT("2017-05-01")), I(2)},
		{"datetime_part", args(S("week_of_year"), DT("2017-01-01")), I(52)},
		{"datetime_part", args(S("minute"), dt), I(10)},
		{"dayofweek", args(DT("2017-01-04")), TS("3d")},
		{"dayofmonth", args(DT("2015-12-14")), I(14)},
		{"dayofyear", args(DT("2015-02-01")), I(32)},
		{"hourofday", args(dt), I(10)},
		{"getmonth", args(dt), I(1)},
		{"monthofyear", args(dt), I(1)},
		{"getyear", args(dt), I(2017)},
		{"week_of_year", args(DT("2020-12-31")), I(53)},
		{"startofday", args(dt), DT("2017-01-01")},
		{"startofday", args(dt, L(-1)), DT("2016-12-31")},
		{"startofweek", args(dt), DT("2017-01-01")},
		{"startofweek", args(dt, L(-1)), DT("2016-12-25")},
		{"startofmonth", args(dt, L(1)), DT("2017-02-01")},
		{"startofyear", args(dt), DT("2017-01-01")},
		{"endofday", args(dt), DT("2017-01-01 23:59:59.9999999")},
		{"endofweek", args(dt), DT("2017-01-07 23:59:59.9999999")},
		{"endofmonth", args(DT("2016-02-10")), DT("2016-02-29 23:59:59.9999999")},
		{"endofyear", args(dt, L(1)), DT("2018-12-31 23:59:59.9999999")},
		{"format_datetime", args(DT("2017-01-29 09:00:05"), S("yy-MM-dd [HH:mm:ss]")), S("17-01-29 [09:00:05]")},
		{"format_datetime", args(DT("2017-01-29 09:00:05"), S("yyyy-M-dd [H:mm:ss]")), S("2017-1-29 [9:00:05]")},
		{"format_datetime", args(DT("2017-01-29 21:00:05"), S("yy-MM-dd [hh:mm:ss tt]")), S("17-01-29 [09:00:05 PM]")},
		{"format_datetime", args(DT("2017-01-29 09:00:05.1234"), S("ss.fff|ss.FFFFF|s.F")), S("05.123|05.1234|5.1")},
		{"format_datetime", args(DT("2017-01-29 09:00:05"), S("HH:mm:ss.FFF")), S("09:00:05")},
		{"format_timespan", args(TS("1.02:03:04.5"), S("d.hh:mm:ss.ff")), S("1.02:03:04.50")},
		{"format_timespan", args(TS("29:00:01"), S("dd.hh")), S("01.05")},
		{"make_datetime", args(L(2017), L(10), L(1)), DT("2017-10-01")},
		{"make_datetime", args(L(2017), L(10), L(1), L(12), L(10)), DT("2017-10-01 12:10")},
		{"make_datetime", args(L(2017), L(10), L(1), L(12), L(11), R(0.1234567)), DT("2017-10-01 12:11:00.1234567")},
		{"make_datetime", args(L(2017), L(2), L(30)), N(types.Datetime)},
		{"make_timespan", args(L(1), L(30)), TS("90m")},
		{"make_timespan", args(L(1), L(2), L(3), L(4)), TS("1.02:03:04")},
		{"unixtime_seconds_todatetime", args(L(1546300800)), DT("2019-01-01")},
		{"unixtime_milliseconds_todatetime", args(L(1546300800123)), DT("2019-01-01 00:00:00.123")},
		{"unixtime_microseconds_todatetime", args(L(1546300800123456)), DT("2019-01-01 00:00:00.123456")},
		{"unixtime_nanoseconds_todatetime", args(L(1546300800123456789)), DT("2019-01-01 00:00:00.1234568")},
		{"unixtime_seconds_todatetime", args(R(1.5)), DT("1970-01-01 00:00:01.5")},
		{"datetime_utc_to_local", args(DT("2022-07-11 22:18:48"), S("US/Pacific")), DT("2022-07-11 15:18:48")},
		{"datetime_local_to_utc", args(DT("2022-07-11 15:18:48"), S("US/Pacific")), DT("2022-07-11 22:18:48")},
		{"datetime_utc_to_local", args(DT("2022-07-11 22:18:48"), S("No/Such_Zone")), N(types.Datetime)},
	})
	if _, err := Call(&Env{}, "datetime_add", []Arg{Const(S("fortnight")), Const(L(1)), Col(types.Datetime)}); err == nil {
		t.Error("datetime_add with a bad period: no error")
	}
}

func TestDynamicFunctions(t *testing.T) {
	runCases(t, []fnCase{
		{"bag_pack", args(S("a"), L(1), S("b"), S("x")), D(`{"a":1,"b":"x"}`)},
		{"pack", args(S("a"), N(types.Long)), D(`{"a":null}`)},
		{"pack_array", args(L(1), S("a"), DT("2017-01-01")), value.OfDynamic([]any{int64(1), "a", DT("2017-01-01").ToDynamic()})},
		{"bag_keys", args(D(`{"a":1,"b":2}`)), D(`["a","b"]`)},
		{"bag_keys", args(D(`[1]`)), N(types.Dynamic)},
		{"bag_merge", args(D(`{"a":1}`), D(`{"a":2,"b":3}`)), D(`{"a":1,"b":3}`)},
		{"bag_remove_keys", args(D(`{"key1":123,"key2":"abc"}`), D(`["key2","key4"]`)), D(`{"key1":123}`)},
		{"bag_remove_keys", args(D(`{"key1":123,"key2":{"prop1":"abc","prop2":"xyz"},"key3":[100,200]}`), D(`["$.key2.prop1","key3"]`)),
			D(`{"key1":123,"key2":{"prop2":"xyz"}}`)},
		{"bag_has_key", args(D(`{"a":{"b":1}}`), S("$.a.b")), B(true)},
		{"bag_has_key", args(D(`{"a":1}`), S("b")), B(false)},
		{"bag_set_key", args(D(`{"a":1}`), S("$.b.c"), L(2)), D(`{"a":1,"b":{"c":2}}`)},
		{"bag_zip", args(D(`["a","b"]`), D(`[1]`)), D(`{"a":1,"b":null}`)},
		{"dynamic_to_json", args(D(`{"b":1,"a":[{"d":1,"c":2}]}`)), S(`{"a":[{"c":2,"d":1}],"b":1}`)},
		{"treepath", args(D(`{"a":1,"b":{"c":[1]}}`)), D(`["$['a']","$['b']","$['b']['c']","$['b']['c'][0]"]`)},
		{"array_length", args(D(`[1,2,3]`)), L(3)},
		{"array_length", args(D(`{"a":1}`)), N(types.Long)},
		{"array_concat", args(D(`[1,2]`), D(`[3]`)), D(`[1,2,3]`)},
		{"array_slice", args(D(`[1,2,3]`), L(1), L(2)), D(`[2,3]`)},
		{"array_slice", args(D(`[1,2,3,4,5]`), L(2), L(-1)), D(`[3,4,5]`)},
		{"array_slice", args(D(`[1,2,3,4,5]`), L(-3), L(-2)), D(`[3,4]`)},
		{"array_slice", args(D(`[1,2,3]`), L(5), L(9)), D(`[]`)},
		{"array_index_of", args(D(`["this","is","an","example","an","example"]`), S("an")), L(2)},
		{"array_index_of", args(D(`["this","is","an","example","an","example"]`), S("example"), L(1), L(3)), L(3)},
		{"array_index_of", args(D(`["this","is","an","example","an","example"]`), S("example"), L(1), L(2)), L(-1)},
		{"array_index_of", args(D(`["this","is","an","example","an","example"]`), S("an"), L(1), L(-1), L(2)), L(4)},
		{"array_index_of", args(D(`[1,2,3]`), L(2)), L(1)},
		{"array_sort_asc", args(D(`[3,null,1,2]`)), D(`[1,2,3,null]`)},
		{"array_sort_desc", args(D(`["b","c","a"]`)), D(`["c","b","a"]`)},
		{"array_sort_asc", args(D(`[3,null,1]`), B(false)), D(`[null,1,3]`)},
		{"array_reverse", args(D(`["this","is","an","example"]`)), D(`["example","an","is","this"]`)},
		{"array_sum", args(D(`[1,2,3,4]`)), R(10)},
		{"array_iff", args(D(`[true,false,null]`), D(`[1,2,3]`), D(`[4,5,6]`)), D(`[1,5,null]`)},
		{"array_iff", args(D(`[true,false]`), L(1), L(0)), D(`[1,0]`)},
		{"array_split", args(D(`[1,2,3,4,5]`), L(2)), D(`[[1,2],[3,4,5]]`)},
		{"array_split", args(D(`[1,2,3,4,5]`), D(`[1,3]`)), D(`[[1],[2,3],[4,5]]`)},
		{"array_shift_left", args(D(`[1,2,3,4,5]`), L(2)), D(`[3,4,5,null,null]`)},
		{"array_shift_right", args(D(`[1,2,3,4,5]`), L(2), L(-1)), D(`[-1,-1,1,2,3]`)},
		{"array_rotate_left", args(D(`[1,2,3,4,5]`), L(2)), D(`[3,4,5,1,2]`)},
		{"array_rotate_left", args(D(`[1,2,3,4,5]`), L(-2)), D(`[4,5,1,2,3]`)},
		{"array_rotate_right", args(D(`[1,2,3,4,5]`), L(2)), D(`[4,5,1,2,3]`)},
		{"set_has_element", args(D(`["a","b"]`), S("b")), B(true)},
		{"set_has_element", args(D(`[1,2]`), L(3)), B(false)},
		{"set_union", args(D(`[1,2,1,4]`), D(`[1,2]`), D(`[8]`)), D(`[1,2,4,8]`)},
		{"set_intersect", args(D(`[1,2,1,4]`), D(`[1,2]`), D(`[8,1]`)), D(`[1]`)},
		{"set_intersect", args(D(`[1,2,3]`), D(`[4,5]`)), D(`[]`)},
		{"set_difference", args(D(`[1,2,3]`), D(`[1]`), D(`[3]`)), D(`[2]`)},
		{"jaccard_index", args(D(`[1,2,3]`), D(`[1,2,3,4]`)), R(0.75)},
		{"zip", args(D(`[1,2]`), D(`["a","b","c"]`)), D(`[[1,"a"],[2,"b"],[null,"c"]]`)},
		{"range", args(L(1), L(8), L(3)), D(`[1,4,7]`)},
		{"range", args(L(1), L(3)), D(`[1,2,3]`)},
		{"range", args(L(5), L(1), L(-2)), D(`[5,3,1]`)},
		{"range", args(R(1.0), L(3), L(1)), D(`[1.0,2.0,3.0]`)},
		{"range", args(TS("1h"), TS("3h")), value.OfDynamic([]any{value.Timespan(value.Hour), 2 * value.Hour, 3 * value.Hour})},
		{"repeat", args(S("a"), L(3)), D(`["a","a","a"]`)},
		{"strcat_array", args(D(`[1,"b",null]`), S("-")), S("1-b-")},
		{"parse_version", args(S("1.2.3.4")), value.Value{Type: types.Decimal, F: 1e24 + 2e16 + 3e8 + 4}},
		{"parse_version", args(S("0.0.7.0")), value.Value{Type: types.Decimal, F: 7e8}},
		{"parse_version", args(S("a.b")), N(types.Decimal)},
	})
}

func TestParseFunctions(t *testing.T) {
	runCases(t, []fnCase{
		{"parse_url", args(S("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")),
			D(`{"Scheme":"scheme","Host":"host","Port":"1234","Path":"this/is/a/path","Username":"username","Password":"password","Query Parameters":{"k1":"v1","k2":"v2"},"Fragment":"fragment"}`)},
		{"parse_urlquery", args(S("k1=v1&k2=v%202")), D(`{"Query Parameters":{"k1":"v1","k2":"v 2"}}`)},
		{"parse_path", args(S(`C:\temp\file.txt`)),
			D(`{"Scheme":"","RootPath":"C:","DirectoryPath":"C:\\temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}`)},
		{"parse_path", args(S("file://C:/temp/file.txt:some.exe")),
			D(`{"Scheme":"file","RootPath":"C:","DirectoryPath":"C:/temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":"some.exe"}`)},
		{"parse_path", args(S("/usr/lib/temp/file.txt")),
			D(`{"Scheme":"","RootPath":"","DirectoryPath":"/usr/lib/temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}`)},
		{"parse_command_line", args(S(`"C:\Program Files\a.exe" -x "b c" d\"e`), S("windows")), D(`["C:\\Program Files\\a.exe","-x","b c","d\"e"]`)},
		{"parse_csv", args(S(`aaa,"b,bb",ccc`)), D(`["aaa","b,bb","ccc"]`)},
		{"parse_csv", args(S(`a,"b ""q"" c"`)), D(`["a","b \"q\" c"]`)},
		{"parse_xml", args(S(`<root><a x="1">t</a><b>2</b><b>3</b></root>`)), D(`{"root":{"a":{"@x":"1","#text":"t"},"b":["2","3"]}}`)},
	})
}

func TestIPFunctions(t *testing.T) {
	runCases(t, []fnCase{
		{"parse_ipv4", args(S("127.0.0.1")), L(2130706433)},
		{"parse_ipv4", args(S("192.1.168.1/24")), L(3221334016)},
		{"parse_ipv4", args(S("256.0.0.1")), N(types.Long)},
		{"parse_ipv4_mask", args(S("192.1.168.2"), L(8)), L(3221225472)},
		{"ipv4_is_private", args(S("10.1.2.3")), B(true)},
		{"ipv4_is_private", args(S("192.168.1.1/24")), B(true)},
		{"ipv4_is_private", args(S("172.31.0.1")), B(true)},
		{"ipv4_is_private", args(S("172.32.0.1")), B(false)},
		{"ipv4_is_private", args(S("127.0.0.1")), B(false)},
		{"ipv4_is_in_range", args(S("192.168.1.6"), S("192.168.1.1/24")), B(true)},
		{"ipv4_is_in_range", args(S("192.168.2.6"), S("192.168.1.1/24")), B(false)},
		{"ipv4_is_in_range", args(S("x"), S("192.168.1.1/24")), N(types.Bool)},
		{"ipv4_is_in_any_range", args(S("192.168.1.6"), S("10.0.0.1/8"), S("192.168.1.1/24")), B(true)},
		{"ipv4_is_in_any_range", args(S("127.0.0.1"), D(`["127.0.0.1","192.168.1.1"]`)), B(true)},
		{"ipv4_is_in_any_range", args(S("1.1.1.1"), D(`["192.168.1.1/16","127.0.0.1/8"]`)), B(false)},
		{"ipv4_compare", args(S("192.168.1.1/24"), S("192.168.1.255")), L(0)},
		{"ipv4_compare", args(S("192.168.1.1"), S("192.168.1.255")), L(-1)},
		{"ipv4_compare", args(S("192.168.1.1"), S("192.168.1.0"), L(31)), L(0)},
		{"ipv4_is_match", args(S("192.168.1.1"), S("192.168.1.255"), L(24)), B(true)},
		{"ipv4_netmask_suffix", args(S("192.168.1.1/24")), L(24)},
		{"ipv4_netmask_suffix", args(S("192.168.1.1")), L(32)},
		{"ipv4_range_to_cidr_list", args(S("10.0.0.0"), S("10.0.0.9")), D(`["10.0.0.0/29","10.0.0.8/31"]`)},
		{"format_ipv4", args(S("192.168.1.255"), L(24)), S("192.168.1.0")},
		{"format_ipv4", args(L(3232236031)), S("192.168.1.255")},
		{"format_ipv4", args(S("192.168.1.1/24"), L(-1)), S("")},
		{"format_ipv4_mask", args(S("192.168.1.1"), L(24)), S("192.168.1.0/24")},
		{"format_ipv4_mask", args(S("192.168.1.1/24"), L(32)), S("192.168.1.0/24")},
		{"format_ipv4_mask", args(S("192.168.1.1")), S("192.168.1.1/32")},
		{"parse_ipv6", args(S("192.168.255.255/24")), S("0000:0000:0000:0000:0000:ffff:c0a8:ff00")},
		{"parse_ipv6", args(S("fe80::85d:e82c:9446:7994")), S("fe80:0000:0000:0000:085d:e82c:9446:7994")},
		{"parse_ipv6", args(S("::192.168.255.255")), S("0000:0000:0000:0000:0000:ffff:c0a8:ffff")},
		{"parse_ipv6_mask", args(S("fe80::85d:e82c:9446:7994/120"), L(124)), S("fe80:0000:0000:0000:085d:e82c:9446:7900")},
		{"parse_ipv6_mask", args(S("::192.168.255.255/24"), L(128)), S("0000:0000:0000:0000:0000:ffff:c0a8:ff00")},
		{"ipv6_compare", args(S("fe80::85d:e82c:9446:7994/120"), S("fe80::85d:e82c:9446:7998")), L(0)},
		{"ipv6_compare", args(S("192.168.1.1"), S("192.168.1.255/24")), L(0)},
		{"ipv6_compare", args(S("fe80::1"), S("fe80::2")), L(-1)},
		{"ipv6_is_match", args(S("fe80::85d:e82c:9446:7994"), S("fe80::85d:e82c:9446:7995"), L(127)), B(true)},
		{"ipv6_is_in_range", args(S("2001:db8::1"), S("2001:db8::/32")), B(true)},
		{"has_ipv4", args(S("05:04:54 127.0.0.1 GET /favicon.ico 404"), S("127.0.0.1")), B(true)},
		{"has_ipv4", args(S("05:04:54127.0.0.1 GET"), S("127.0.0.1")), B(false)},
		{"has_ipv4_prefix", args(S("05:04:54 127.0.0.1 GET"), S("127.0.")), B(true)},
		{"has_any_ipv4_prefix", args(S("05:04:54 127.0.0.1 GET /favicon.ico 404"), S("127.0.0."), S("192.168.")), B(true)},
		{"has_any_ipv4_prefix", args(S("05:04:54 127.0.0.1 GET"), D(`["127.0.","192.168."]`)), B(true)},
		{"has_any_ipv4_prefix", args(S("05:04:54 127.0.0.1 GET"), S("127.0")), B(false)},
		{"has_any_ipv4_prefix", args(S("05:04:54127.0.0.1 GET"), S("127.0."), S("192.")), B(false)},
		{"has_any_ipv4", args(S("a 10.0.0.1, b"), S("1.1.1.1"), S("10.0.0.1")), B(true)},
	})
}

func TestHashFunctions(t *testing.T) {
	runCases(t, []fnCase{
		{"hash", args(S("World")), L(1846988464401551951)},
		{"hash", args(S("World"), L(100)), L(51)},
		{"hash", args(DT("2015-01-01")), L(1380966698541616202)},
		{"hash_xxhash64", args(S("Hello")), L(753694413698530628)},
		{"hash_md5", args(S("World")), S("f5a7924e621e84c9280a9a27e1bcb7f6")},
		{"hash_sha1", args(S("World")), S("70c07ec18ef89c5309bbb0937f3a6342411e1fdd")},
		{"hash_sha256", args(S("World")), S("78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524")},
		{"hash_crc32", args(S("World")), L(4223024711)},
		{"hash", args(N(types.Long)), N(types.Long)},
	})
	fn, err := Call(&Env{}, "new_guid", nil)
	if err != nil || !fn.Volatile || fn.Type != types.Guid {
		t.Fatalf("new_guid(): %v %+v", err, fn)
	}
	out, _ := fn.Eval(nil, 2)
	if out.Strs[0] == out.Strs[1] || len(out.Strs[0]) != 36 {
		t.Errorf("new_guid() = %q, %q", out.Strs[0], out.Strs[1])
	}
}

func TestStatsAndPunycode(t *testing.T) {
	runCases(t, []fnCase{
		{"beta_inv", args(R(0.1), R(10), R(20)), R(0.2264150223887485)},
		{"beta_inv", args(R(1.5), R(10), R(20)), N(types.Real)},
		{"beta_cdf", args(R(0.2264150223887485), R(10), R(20)), R(0.1)},
		{"beta_pdf", args(R(0.5), R(1), R(1)), R(1)},
		{"welch_test", args(R(1), R(1), R(100), R(1), R(1), R(100)), R(1)},
		{"punycode_from_string", args(S("académie-française")), S("acadmie-franaise-npb1a")},
		{"punycode_to_string", args(S("mnchen-3ya")), S("münchen")},
		{"current_database", nil, S("")},
	})
}

func TestSeriesFunctions(t *testing.T) {
	runCases(t, []fnCase{
		{"series_abs", args(D(`[-6.5,0,8.2]`)), D(`[6.5,0.0,8.2]`)},
		{"series_sign", args(D(`[-6,0,8,null]`)), D(`[-1.0,0.0,1.0,null]`)},
		{"series_multiply", args(D(`[1,2,4]`), D(`[4,2,1]`)), D(`[4.0,4.0,4.0]`)},
		{"series_subtract", args(D(`[1,2,4]`), L(1)), D(`[0.0,1.0,3.0]`)},
		{"series_greater_equals", args(D(`[1,2,4]`), D(`[4,2,1]`)), D(`[false,true,true]`)},
		{"series_pow", args(D(`[1,2,3,4]`), D(`[1,2,3,0.5]`)), D(`[1.0,4.0,27.0,2.0]`)},
		{"series_dot_product", args(D(`[1,2,4]`), D(`[4,2,1]`)), R(12)},
		{"series_dot_product", args(D(`[1,2,4]`), L(1)), R(7)},
		{"series_pearson_correlation", args(D(`[1,2,3,4,5]`), D(`[2,4,6,8,10]`)), R(1)},
		{"series_magnitude", args(D(`[3,4]`)), R(5)},
		{"series_sum", args(D(`[1,2,3]`)), R(6)},
		{"series_fill_forward", args(D(`[null,null,36,41,null,null,16,61,33,null,null]`)), D(`[null,null,36,41,41,41,16,61,33,33,33]`)},
		{"series_fill_backward", args(D(`[null,1,null,2]`)), D(`[1,1,2,2]`)},
		{"series_fill_const", args(D(`[null,1,null]`), L(0)), D(`[0,1,0]`)},
		{"series_fill_linear", args(D(`[null,111,null,36,41,null,null,16]`)), D(`[111,111,73,36,41,32,24,16]`)},
		{"series_fill_linear", args(D(`[1.0,null,2.0,null]`), N(types.Real), B(false)), D(`[1.0,1.5,2.0,null]`)},
		{"series_iir", args(D(`[1.0,2.0,3.0,4.0]`), D(`[1]`), D(`[1,-1]`)), D(`[1.0,3.0,6.0,10.0]`)},
		{"series_fir", args(D(`[1,2,3]`), D(`[1,1]`), B(false)), D(`[1.0,3.0,5.0]`)},
	})
}

// TestResultTypesAgreeWithBuiltin binds every implemented function with
// representative argument types and checks the result type against
// package builtin's, which the checker reports.
func TestResultTypesAgreeWithBuiltin(t *testing.T) {
	samples := []types.Type{types.Long, types.Int, types.Real, types.String, types.Datetime,
		types.Timespan, types.Bool, types.Dynamic, types.Decimal}
	checked := 0
	defer func() {
		if checked < 1000 {
			t.Errorf("only %d bindings checked", checked)
		}
	}()
	for _, name := range Names() {
		f, ok := builtin.Lookup(name)
		if !ok {
			t.Errorf("%s: implemented but unknown to package builtin", name)
			continue
		}
		n := f.MinArgs()
		for _, first := range samples {
			ts := make([]types.Type, n)
			as := make([]Arg, n)
			for i := range ts {
				ts[i] = types.Long
				if i == 0 {
					ts[i] = first
				}
				if p, _ := f.Param(i); p.Kind == builtin.ConstantString {
					ts[i] = types.String
					as[i] = Const(S("day"))
					continue
				}
				as[i] = Col(ts[i])
			}
			fn, want, err := bindCall(&Env{}, name, as)
			if err != nil {
				continue // e.g. a constant the sample cannot provide
			}
			checked++
			if want.IsKnown() && fn.Type != want {
				t.Errorf("%s%v: type %s, builtin says %s", name, ts, fn.Type, want)
			}
		}
	}
}
