package scalar

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// fnCase is one call and its expected value.
type fnCase struct {
	name string
	args []value.Value
	want value.Value
}

func runCases(t *testing.T, cases []fnCase) {
	t.Helper()
	for _, c := range cases {
		got := callFn(t, c.name, c.args...)
		parts := make([]string, len(c.args))
		for i, a := range c.args {
			parts[i] = show(a)
		}
		check(t, fmt.Sprintf("%s(%s)", c.name, strings.Join(parts, ", ")), got, c.want)
	}
}

func args(v ...value.Value) []value.Value { return v }

func TestStringFunctions(t *testing.T) {
	runCases(t, []fnCase{
		{"strlen", args(S("hello")), L(5)},
		{"strlen", args(S("⒦⒰⒮⒯⒪")), L(5)},
		{"string_size", args(S("⒦⒰⒮⒯⒪")), L(15)},
		{"substring", args(S("123456"), L(1)), S("23456")},
		{"substring", args(S("123456"), L(2), L(2)), S("34")},
		{"substring", args(S("ABCD"), L(0), L(2)), S("AB")},
		{"substring", args(S("123456"), L(-2), L(2)), S("56")},
		{"substring", args(S("123"), L(5)), S("")},
		{"substring", args(S("äöü"), L(1), L(1)), S("ö")},
		{"strcat", args(S("a"), L(1), B(true), N(types.Long)), S("a1true")},
		{"strcat_delim", args(S("-"), S("a"), L(1)), S("a-1")},
		{"tolower", args(S("AbC")), S("abc")},
		{"toupper", args(S("äbc")), S("ÄBC")},
		{"reverse", args(S("abc")), S("cba")},
		{"reverse", args(L(12345)), S("54321")},
		{"reverse", args(DT("2017-10-15 12:00")), S("Z0000000.00:00:21T51-01-7102")},
		{"split", args(S("aa_bb_cc"), S("_")), D(`["aa","bb","cc"]`)},
		{"split", args(S("aa__bb"), S("_")), D(`["aa","","bb"]`)},
		{"split", args(S("aa_bb_cc"), S("_"), L(1)), D(`["bb"]`)},
		{"split", args(S("aa_bb"), S("_"), L(5)), D(`[]`)},
		{"replace_string", args(S("a.b.c"), S("."), S("-")), S("a-b-c")},
		{"replace_strings", args(S("ab"), D(`["a","b"]`), D(`["b","a"]`)), S("ba")},
		{"indexof", args(S("abcdefg"), S("cde")), L(2)},
		{"indexof", args(S("abcdefg"), S("cde"), L(1), L(4)), L(2)},
		{"indexof", args(S("abcdefg"), S("cde"), L(1), L(2)), L(-1)},
		{"indexof", args(S("abcdefgabc"), S("abc"), L(0), L(-1), L(2)), L(7)},
		{"indexof", args(S("abc"), S("")), L(0)},
		{"indexof", args(S("abc"), S("x")), L(-1)},
		{"countof", args(S("The cat sat on the mat"), S("at")), L(3)},
		{"countof", args(S("aaa"), S("a")), L(3)},
		{"countof", args(S("aaaa"), S("aa")), L(3)},
		{"countof", args(S("aaaa"), S("aa"), S("regex")), L(2)},
		{"countof", args(S("abc"), S("x")), L(0)},
		{"strrep", args(S("ab"), L(3)), S("ababab")},
		{"strrep", args(S("ab"), L(2), S(",")), S("ab,ab")},
		{"translate", args(S("abc"), S("x"), S("abcd")), S("xxxd")},
		{"translate", args(S("ab"), S(""), S("abcd")), S("cd")},
		{"translate", args(S("ab"), S("xy"), S("abcab")), S("xycxy")},
		{"has_any_index", args(S("this is an example"), D(`["no","example","is"]`)), L(1)},
		{"has_any_index", args(S("this"), D(`["x"]`)), L(-1)},
		{"isascii", args(S("abc")), B(true)},
		{"isascii", args(S("äbc")), B(false)},
		{"isutf8", args(S("abc")), B(true)},
		{"strcmp", args(S("a"), S("b")), L(-1)},
		{"unicode_codepoints_from_string", args(S("Kö")), D(`[75, 246]`)},
		{"unicode_codepoints_to_string", args(L(75), D(`[246]`)), S("Kö")},
		{"url_encode", args(S("https://www.bing.com/hello world")), S("https%3a%2f%2fwww.bing.com%2fhello+world")},
		{"url_encode_component", args(S("https://www.bing.com/hello world")), S("https%3a%2f%2fwww.bing.com%2fhello%20world")},
		{"url_decode", args(S("https%3a%2f%2fwww.bing.com%2fhello+world%2")), S("https://www.bing.com/hello world%2")},
		{"base64_encode_tostring", args(S("Kusto")), S("S3VzdG8=")},
		{"base64_decode_tostring", args(S("S3VzdG8=")), S("Kusto")},
		{"base64_decode_tostring", args(S("U3RyaW5n0KHR0tGA0L7Rh9C60LA=")), S("")}, // not UTF-8
		{"base64_decode_toarray", args(S("S3VzdG8=")), D(`[75,117,115,116,111]`)},
		{"base64_encode_fromarray", args(D(`[75,117,115,116,111]`)), S("S3VzdG8=")},
		{"base64_encode_fromguid", args(value.OfGuid("10e99626-bc2b-4c75-bb3e-fe606de25700")), S("JpbpECu8dUy7Pv5gbeJXAA==")},
		{"zlib_compress_to_base64_string", args(S("1234567890qwertyuiop")), S("eAEBFADr/zEyMzQ1Njc4OTBxd2VydHl1aW9wOAkGdw==")},
		{"zlib_decompress_from_base64_string", args(S("eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4=")), S("Test string 123")},
		{"zlib_decompress_from_base64_string", args(S("x0x0x0")), S("")},
		{"gzip_decompress_from_base64_string", args(S("H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==")), S("1234567890qwertyuiop")},
		{"format_bytes", args(L(564)), S("564 Bytes")},
		{"format_bytes", args(L(10332), L(1)), S("10.1 KB")},
		{"format_bytes", args(L(20010332)), S("19 MB")},
		{"format_bytes", args(L(20010332), L(2)), S("19.08 MB")},
		{"format_bytes", args(L(20010332), L(0), S("KB")), S("19541 KB")},
	})
	// base64_decode_tostring of bytes that are not UTF-8 is empty.
	check(t, "base64_decode_tostring(invalid utf8)", callFn(t, "base64_decode_tostring", S("/w==")), S(""))
}

func TestRegexFunctions(t *testing.T) {
	runCases(t, []fnCase{
		{"extract", args(S(`x=(\d+)`), L(1), S("a x=42 b")), S("42")},
		{"extract", args(S(`x=(\d+)`), L(0), S("a x=42 b")), S("x=42")},
		{"extract", args(S(`x=(\d+)`), L(1), S("none")), S("")},
		{"extract", args(S(`x=(\d+)`), L(2), S("x=1")), S("")},
		{"extract_all", args(S(`(\d+)`), S("a1 b22 c333")), D(`["1","22","333"]`)},
		{"extract_all", args(S(`\d+`), S("a1 b22")), D(`["1","22"]`)},
		{"extract_all", args(S(`(\w)(\d+)`), S("a1 b22")), D(`[["a","1"],["b","22"]]`)},
		{"extract_all", args(S(`(\w)(\d+)`), D(`[2]`), S("a1 b22")), D(`["1","22"]`)},
		{"extract_all", args(S(`(\d+)`), S("none")), N(types.Dynamic)},
		{"replace_regex", args(S("Number is 1"), S(`is (\d+)`), S(`was: \1`)), S("Number was: 1")},
		{"replace_regex", args(S("a.b"), S(`\.`), S(`$`)), S("a$b")},
		{"replace", args(S(`is (\d+)`), S(`was: \1`), S("Number is 1")), S("Number was: 1")},
		{"trim", args(S("--"), S("--https://bing.com--")), S("https://bing.com")},
		{"trim", args(S(`[^\w]+`), S("-  Te st1// $")), S("Te st1")},
		{"trim_start", args(S(`[^\w]+`), S("-  Te st1// $")), S("Te st1// $")},
		{"trim_end", args(S(`[^\w]+`), S("-  Te st1// $")), S("-  Te st1")},
		{"trim", args(S(`\s+`), S("    Hello, world!    ")), S("Hello, world!")},
		{"indexof_regex", args(S("abcabc"), S("a.c")), L(0)},
		{"indexof_regex", args(S("abcabcdefg"), S("a.c"), L(0), L(9), L(2)), L(3)},
		{"indexof_regex", args(S("abcabc"), S("a.c"), L(1), L(-1), L(2)), L(-1)},
		{"indexof_regex", args(S("ababaa"), S("a.a"), L(0), L(-1), L(2)), L(-1)},
		{"indexof_regex", args(S("abcabc"), S("a|ab"), L(-1)), N(types.Long)},
		{"regex_quote", args(S("(so$me.Te^xt)")), S(`\(so\$me\.Te\^xt\)`)},
		{"extract_json", args(S("$.name"), S(`{"name": "John", "age": 30}`)), S("John")},
		{"extract_json", args(S("$.a[1]"), S(`{"a": [1, 2]}`)), S("2")},
		{"extract_json", args(S("$.x"), S(`{"a": 1}`)), S("")},
	})
}

func TestExtractTyped(t *testing.T) {
	fn, err := Call(&Env{}, "extract", []Arg{Const(S(`x=(\d+)`)), Const(L(1)), Col(types.String), TypeLit(types.Long)})
	if err != nil {
		t.Fatal(err)
	}
	col := &value.Column{Type: types.String, Strs: []string{"x=42", "none"}}
	out, err := fn.Eval([]*value.Column{nil, nil, col, nil}, 2)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "extract long", out.Value(0), L(42))
	check(t, "extract long, no match", out.Value(1), N(types.Long))
	if _, err := Call(&Env{}, "extract", []Arg{Const(S(`(`)), Const(L(1)), Col(types.String)}); err == nil {
		t.Error("bad regex: no bind error")
	}
}

func TestConversionFunctions(t *testing.T) {
	runCases(t, []fnCase{
		{"tostring", args(L(123)), S("123")},
		{"tostring", args(N(types.Long)), S("")},
		{"tostring", args(R(1.5)), S("1.5")},
		{"tostring", args(D(`{"a":1}`)), S(`{"a":1}`)},
		{"tostring", args(D(`"x"`)), S("x")},
		{"tostring", args(DT("2017-01-01")), S("2017-01-01T00:00:00.0000000Z")},
		{"tostring", args(TS("1d")), S("1.00:00:00")},
		{"tostring", args(B(true)), S("true")},
		{"toint", args(S("123")), I(123)},
		{"toint", args(S("abc")), N(types.Int)},
		{"toint", args(R(2.7)), I(2)},
		{"tolong", args(S(" 42 ")), L(42)},
		{"tolong", args(D("42")), L(42)},
		{"tolong", args(B(true)), L(1)},
		{"toreal", args(S("1.5")), R(1.5)},
		{"todouble", args(L(2)), R(2)},
		{"todecimal", args(S("1.25")), value.Value{Type: types.Decimal, F: 1.25}},
		{"tobool", args(S("TRUE")), B(true)},
		{"tobool", args(L(0)), B(false)},
		{"tobool", args(S("yes")), N(types.Bool)},
		{"todatetime", args(S("2017-01-01 10:00")), DT("2017-01-01 10:00")},
		{"todatetime", args(S("nope")), N(types.Datetime)},
		{"totimespan", args(S("0.00:01:00")), TS("1m")},
		{"totimespan", args(S("1d")), TS("1d")},
		{"toguid", args(S("0123456789ABCDEF0123456789abcdef")), value.OfGuid("01234567-89ab-cdef-0123-456789abcdef")},
		{"toguid", args(S("not a guid")), N(types.Guid)}, // invalid text: null
		{"parse_json", args(S(`{"a":[1,2]}`)), D(`{"a":[1,2]}`)},
		{"parse_json", args(S(`not json`)), value.OfDynamic("not json")},
		{"todynamic", args(D(`[1]`)), D(`[1]`)},
		{"tohex", args(L(256)), S("100")},
		{"tohex", args(L(-546)), S("fffffffffffffdde")},
		{"tohex", args(L(5), L(4)), S("0005")},
		{"gettype", args(L(1)), S("long")},
		{"gettype", args(I(1)), S("int")},
		{"gettype", args(S("a")), S("string")},
		{"gettype", args(D(`[1]`)), S("array")},
		{"gettype", args(D(`{}`)), S("dictionary")},
		{"gettype", args(D(`1.5`)), S("real")},
	})
}

func TestConditionalFunctions(t *testing.T) {
	runCases(t, []fnCase{
		{"iff", args(B(true), L(1), L(2)), L(1)},
		{"iff", args(B(false), L(1), R(2.5)), R(2.5)},
		{"iff", args(B(true), L(1), R(2.5)), R(1)},
		{"iff", args(N(types.Bool), S("a"), S("b")), S("b")},
		{"iif", args(B(true), S("a"), S("b")), S("a")},
		{"case", args(B(false), S("a"), B(true), S("b"), S("c")), S("b")},
		{"case", args(B(false), S("a"), S("c")), S("c")},
		{"coalesce", args(N(types.Long), L(2), L(3)), L(2)},
		{"coalesce", args(S(""), S("x")), S("x")},
		{"coalesce", args(N(types.Long), N(types.Long)), N(types.Long)},
		{"isnull", args(N(types.Long)), B(true)},
		{"isnull", args(S("")), B(false)},
		{"isnull", args(D("null")), B(true)},
		{"isnotnull", args(L(1)), B(true)},
		{"isempty", args(S("")), B(true)},
		{"isempty", args(N(types.Long)), B(true)},
		{"isempty", args(S("a")), B(false)},
		{"isnotempty", args(S("a")), B(true)},
		{"notempty", args(S("")), B(false)},
	})
}

func TestMathFunctions(t *testing.T) {
	runCases(t, []fnCase{
		{"abs", args(L(-3)), L(3)},
		{"abs", args(I(-3)), L(3)},
		{"abs", args(R(-1.5)), R(1.5)},
		{"abs", args(TS("-1h")), TS("1h")},
		{"ceiling", args(R(1.2)), R(2)},
		{"ceiling", args(L(3)), L(3)},
		{"round", args(R(2.98765), L(3)), R(2.988)},
		{"round", args(R(2.15), L(1)), R(2.2)},
		{"round", args(R(-50.55), L(-2)), R(-100)},
		{"round", args(R(21.5), L(-1)), R(20)},
		{"round", args(R(2.5)), R(3)},
		{"round", args(L(1234), L(-2)), L(1200)},
		{"sqrt", args(L(16)), R(4)},
		{"pow", args(L(2), L(10)), R(1024)},
		{"exp10", args(L(2)), R(100)},
		{"log10", args(L(1000)), R(3)},
		{"log2", args(L(8)), R(3)},
		{"sign", args(L(-5)), R(-1)},
		{"isnan", args(R(math.NaN())), B(true)},
		{"isnan", args(L(1)), B(false)},
		{"isfinite", args(R(math.Inf(-1))), B(false)},
		{"isfinite", args(R(1)), B(true)},
		{"isinf", args(L(1)), B(false)},
		{"min_of", args(L(10), L(1), L(-3), L(17)), L(-3)},
		{"max_of", args(L(10), N(types.Long), L(17)), L(17)},
		{"min_of", args(N(types.Long), N(types.Long)), N(types.Long)},
		{"max_of", args(L(1), R(2.5)), R(2.5)},
		{"max_of", args(S("a"), S("b")), S("b")},
		{"bin", args(L(7), L(5)), L(5)},
		{"bin", args(L(-7), L(5)), L(-10)},
		{"bin", args(R(7.5), L(5)), R(5)},
		{"bin", args(R(4.5), R(0.5)), R(4.5)},
		{"bin", args(DT("2017-01-01 10:10:17"), TS("1h")), DT("2017-01-01 10:00")},
		{"bin", args(DT("2017-01-05 10:00"), TS("7d")), DT("2017-01-02")},
		{"bin", args(TS("90m"), TS("1h")), TS("1h")},
		{"floor", args(L(7), L(5)), L(5)},
		{"bin", args(L(7), L(0)), N(types.Long)},
		{"bin_at", args(R(6.5), R(2.5), L(7)), R(4.5)},
		{"bin_at", args(TS("1h"), TS("1d"), TS("12h")), TS("-12h")},
		{"bin_at", args(DT("2017-05-15 10:20"), TS("1d"), DT("1970-01-01 12:00")), DT("2017-05-14 12:00")},
		{"binary_and", args(L(6), L(3)), L(2)},
		{"binary_or", args(L(6), L(3)), L(7)},
		{"binary_xor", args(L(1), L(2)), L(3)},
		{"binary_not", args(L(0)), L(-1)},
		{"binary_shift_left", args(L(1), L(4)), L(16)},
		{"binary_shift_right", args(L(16), L(4)), L(1)},
		{"bitset_count_ones", args(L(255)), L(8)},
		{"degrees", args(R(3.141592653589793)), R(180)},
	})
}

func TestRand(t *testing.T) {
	fn, err := Call(&Env{}, "rand", nil)
	if err != nil || !fn.Volatile || fn.Type != types.Real {
		t.Fatalf("rand(): %v %+v", err, fn)
	}
	out, _ := fn.Eval(nil, 100)
	for _, f := range out.Reals {
		if f < 0 || f >= 1 {
			t.Fatalf("rand() = %v", f)
		}
	}
	fn, _ = Call(&Env{}, "rand", []Arg{Const(L(10))})
	out, _ = fn.Eval([]*value.Column{nil}, 1)
	if v := out.Value(0); v.Type != types.Long || v.I < 0 || v.I >= 10 {
		t.Errorf("rand(10) = %v", out.Value(0))
	}
}
