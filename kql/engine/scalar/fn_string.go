package scalar

// This file implements the plain string functions: strlen, substring,
// strcat, strcat_delim, tolower, toupper, split, replace_string,
// replace_strings, indexof, countof, reverse, strrep, translate,
// has_any_index, string_size, isascii, isutf8, strcmp and the Unicode
// code point conversions.

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	def(bindStrlen, "strlen")
	def(func(c *call) (*Fn, error) {
		return intOfStr(c.args[0], func(s string) int64 { return int64(len(s)) }), nil
	}, "string_size")
	def(bindSubstring, "substring")
	def(bindStrcat, "strcat")
	def(bindStrcatDelim, "strcat_delim")
	def(strFn(strings.ToLower), "tolower")
	def(strFn(strings.ToUpper), "toupper")
	def(strFn(reverseRunes), "reverse")
	def(bindSplit, "split")
	def(bindReplaceString, "replace_string")
	def(bindReplaceStrings, "replace_strings")
	def(bindIndexOf, "indexof")
	def(bindCountOf, "countof")
	def(bindStrrep, "strrep")
	def(bindTranslate, "translate")
	def(bindHasAnyIndex, "has_any_index")
	def(boolOfStr(isASCII), "isascii")
	def(boolOfStr(utf8.ValidString), "isutf8")
	def(bindStrcmp, "strcmp")
	def(bindCodepointsFrom, "unicode_codepoints_from_string", "to_utf8")
	def(bindCodepointsTo, "unicode_codepoints_to_string", "make_string")
}

// intOfStr binds a long-valued function of a string.
func intOfStr(x Arg, f func(string) int64) *Fn {
	return &Fn{Type: types.Long, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		a := strsOf(x, cols[0])
		out := make([]int64, n)
		for i := range out {
			out[i] = f(a.at(i))
		}
		return intCol(types.Long, out, nil), nil
	}}
}

func boolOfStr(f func(string) bool) binder {
	return func(c *call) (*Fn, error) {
		x := c.args[0]
		return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			a := strsOf(x, cols[0])
			out := make([]bool, n)
			for i := range out {
				out[i] = f(a.at(i))
			}
			return boolCol(out, nil), nil
		}}, nil
	}
}

func bindStrlen(c *call) (*Fn, error) {
	return intOfStr(c.args[0], func(s string) int64 { return int64(utf8.RuneCountInString(s)) }), nil
}

func reverseRunes(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

// runeRange returns the byte range of runes [start, start+length) of s;
// length < 0 means to the end.
func runeRange(s string, start, length int) (int, int) {
	i, from, to := 0, -1, len(s)
	for pos := range s {
		if i == start {
			from = pos
		}
		if length >= 0 && i == start+length {
			to = pos
			break
		}
		i++
	}
	if from < 0 {
		return len(s), len(s)
	}
	return from, to
}

// bindSubstring is substring(source, start[, length]); a negative start
// counts from the end.
func bindSubstring(c *call) (*Fn, error) {
	return c.rows(types.String, func(v []value.Value) value.Value {
		s := toStr(v[0])
		start, ok := argInt(v[1])
		if !ok {
			return value.OfString("")
		}
		n := int64(utf8.RuneCountInString(s))
		if start < 0 {
			start = max(n+start, 0)
		}
		length := int64(-1)
		if len(v) > 2 {
			if l, ok := argInt(v[2]); ok {
				if l < 0 {
					return value.OfString("")
				}
				length = l
			}
		}
		if start >= n {
			return value.OfString("")
		}
		from, to := runeRange(s, int(start), int(length))
		return value.OfString(s[from:to])
	}), nil
}

func bindStrcat(c *call) (*Fn, error) {
	args := c.args
	return &Fn{Type: types.String, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		parts := make([]vec[string], len(args))
		for k := range args {
			parts[k] = strsOf(args[k], cols[k])
		}
		out := make([]string, n)
		var b strings.Builder
		for i := range out {
			b.Reset()
			for k := range parts {
				b.WriteString(parts[k].at(i))
			}
			out[i] = b.String()
		}
		return strCol(types.String, out), nil
	}}, nil
}

func bindStrcatDelim(c *call) (*Fn, error) {
	return c.rows(types.String, func(v []value.Value) value.Value {
		d := toStr(v[0])
		parts := make([]string, len(v)-1)
		for i, x := range v[1:] {
			parts[i] = toStr(x)
		}
		return value.OfString(strings.Join(parts, d))
	}), nil
}

// bindSplit is split(source, delimiter[, index]): a dynamic array of the
// parts, or an array holding the index'th part.
func bindSplit(c *call) (*Fn, error) {
	return c.rows(types.Dynamic, func(v []value.Value) value.Value {
		s, d := toStr(v[0]), toStr(v[1])
		var parts []string
		if d == "" {
			parts = []string{s}
		} else {
			parts = strings.Split(s, d)
		}
		if len(v) > 2 {
			i, ok := argInt(v[2])
			if !ok || i < 0 || i >= int64(len(parts)) {
				return value.OfDynamic([]any{})
			}
			return value.OfDynamic([]any{parts[i]})
		}
		arr := make([]any, len(parts))
		for i, p := range parts {
			arr[i] = p
		}
		return value.OfDynamic(arr)
	}), nil
}

func bindReplaceString(c *call) (*Fn, error) {
	return c.rows(types.String, func(v []value.Value) value.Value {
		s, old, rep := toStr(v[0]), toStr(v[1]), toStr(v[2])
		if old == "" {
			return value.OfString(s)
		}
		return value.OfString(strings.ReplaceAll(s, old, rep))
	}), nil
}

// bindReplaceStrings replaces several lookups at once, longest first at
// each position, never re-replacing replaced text.
func bindReplaceStrings(c *call) (*Fn, error) {
	return c.rows(types.String, func(v []value.Value) value.Value {
		s := toStr(v[0])
		looks, _ := v[1].D.([]any)
		reps, _ := v[2].D.([]any)
		var pairs []string
		for i, l := range looks {
			ls := toStr(fromDyn(l))
			if ls == "" {
				continue
			}
			r := ""
			if i < len(reps) {
				r = toStr(fromDyn(reps[i]))
			}
			pairs = append(pairs, ls, r)
		}
		if len(pairs) == 0 {
			return value.OfString(s)
		}
		return value.OfString(strings.NewReplacer(pairs...).Replace(s))
	}), nil
}

// bindIndexOf is indexof(source, lookup[, start[, length[, occurrence]]])
// in characters; -1 when not found.
func bindIndexOf(c *call) (*Fn, error) {
	return c.rows(types.Long, func(v []value.Value) value.Value {
		s, look := toStr(v[0]), toStr(v[1])
		r := []rune(s)
		start, length, occ := int64(0), int64(-1), int64(1)
		if len(v) > 2 {
			start, _ = argInt(v[2])
		}
		if len(v) > 3 {
			if l, ok := argInt(v[3]); ok {
				length = l
			}
		}
		if len(v) > 4 {
			occ, _ = argInt(v[4])
		}
		n := int64(len(r))
		if start < 0 {
			start = max(n+start, 0)
		}
		if start > n || occ <= 0 || length < -1 {
			return value.OfLong(-1)
		}
		end := n
		if length >= 0 && start+length < n {
			end = start + length
		}
		hay := string(r[start:end])
		pos := 0
		for k := int64(0); k < occ; k++ {
			j := strings.Index(hay[pos:], look)
			if j < 0 {
				return value.OfLong(-1)
			}
			if k == occ-1 {
				return value.OfLong(start + int64(utf8.RuneCountInString(hay[:pos+j])))
			}
			_, size := utf8.DecodeRuneInString(hay[pos+j:])
			pos += j + max(size, 1)
			if pos > len(hay) {
				return value.OfLong(-1)
			}
		}
		return value.OfLong(-1)
	}), nil
}

// bindCountOf is countof(source, search[, kind]): overlapping plain
// matches, or non-overlapping regex matches when kind is "regex".
func bindCountOf(c *call) (*Fn, error) {
	kind := "normal"
	if len(c.args) > 2 {
		k, err := c.needConstStr(2, "kind")
		if err != nil {
			return nil, err
		}
		kind = k
	}
	if kind == "regex" {
		if p, ok := c.constStr(1); ok {
			re, err := compileRegex(p)
			if err != nil {
				return nil, c.errorf("%v", err)
			}
			return c.rows(types.Long, func(v []value.Value) value.Value {
				return value.OfLong(int64(len(re.FindAllStringIndex(toStr(v[0]), -1))))
			}), nil
		}
	}
	return c.rows(types.Long, func(v []value.Value) value.Value {
		s, look := toStr(v[0]), toStr(v[1])
		if kind == "regex" {
			re, err := compileRegex(look)
			if err != nil {
				return value.Null(types.Long)
			}
			return value.OfLong(int64(len(re.FindAllStringIndex(s, -1))))
		}
		if look == "" {
			return value.OfLong(0)
		}
		count := int64(0)
		for i := 0; ; {
			j := strings.Index(s[i:], look)
			if j < 0 {
				break
			}
			count++
			_, size := utf8.DecodeRuneInString(s[i+j:])
			i += j + size
		}
		return value.OfLong(count)
	}), nil
}

func bindStrrep(c *call) (*Fn, error) {
	return c.rows(types.String, func(v []value.Value) value.Value {
		s := toStr(v[0])
		k, ok := argInt(v[1])
		if !ok || k <= 0 {
			return value.OfString("")
		}
		k = min(k, 1024)
		d := ""
		if len(v) > 2 {
			d = toStr(v[2])
		}
		parts := make([]string, k)
		for i := range parts {
			parts[i] = s
		}
		return value.OfString(strings.Join(parts, d))
	}), nil
}

// bindTranslate is translate(search_list, replacement_list, source).
func bindTranslate(c *call) (*Fn, error) {
	return c.rows(types.String, func(v []value.Value) value.Value {
		from, to, s := []rune(toStr(v[0])), []rune(toStr(v[1])), toStr(v[2])
		m := make(map[rune]int, len(from))
		for i, r := range from {
			if _, ok := m[r]; !ok {
				m[r] = i
			}
		}
		var b strings.Builder
		for _, r := range s {
			i, ok := m[r]
			switch {
			case !ok:
				b.WriteRune(r)
			case len(to) == 0:
			case i < len(to):
				b.WriteRune(to[i])
			default:
				b.WriteRune(to[len(to)-1])
			}
		}
		return value.OfString(b.String())
	}), nil
}

// bindHasAnyIndex is has_any_index(source, values): the index of the first
// value (in the array's order) that source has as a term, or -1.
func bindHasAnyIndex(c *call) (*Fn, error) {
	return c.rows(types.Long, func(v []value.Value) value.Value {
		s := toStr(v[0])
		arr, _ := v[1].D.([]any)
		for i, e := range arr {
			needle := toStr(fromDyn(e))
			if needle != "" && newMatcher(mHas, needle, false).match(s) {
				return value.OfLong(int64(i))
			}
		}
		return value.OfLong(-1)
	}), nil
}

func bindStrcmp(c *call) (*Fn, error) {
	return c.rows(types.Long, func(v []value.Value) value.Value {
		return value.OfLong(int64(strings.Compare(toStr(v[0]), toStr(v[1]))))
	}), nil
}

func bindCodepointsFrom(c *call) (*Fn, error) {
	return c.rows(types.Dynamic, func(v []value.Value) value.Value {
		var arr []any
		for _, r := range toStr(v[0]) {
			arr = append(arr, int64(r))
		}
		if arr == nil {
			arr = []any{}
		}
		return value.OfDynamic(arr)
	}), nil
}

func bindCodepointsTo(c *call) (*Fn, error) {
	return c.rows(types.String, func(v []value.Value) value.Value {
		var b strings.Builder
		var add func(x value.Value)
		add = func(x value.Value) {
			if arr, ok := x.D.([]any); ok && x.Type == types.Dynamic {
				for _, e := range arr {
					add(fromDyn(e))
				}
				return
			}
			if i, ok := argInt(x); ok {
				b.WriteRune(rune(i))
			}
		}
		for _, x := range v {
			add(x)
		}
		return value.OfString(b.String())
	}), nil
}
