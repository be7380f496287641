package scalar

// This file implements the regex functions: extract, extract_all,
// replace_regex (and the deprecated replace), trim, trim_start, trim_end,
// indexof_regex, regex_quote; and extract_json. Constant patterns are
// compiled once at bind time.

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	def(bindExtract, "extract")
	def(bindExtractAll, "extract_all", "extractall")
	def(bindReplaceRegex(0, 1, 2), "replace_regex")
	def(bindReplaceRegex(2, 0, 1), "replace")
	def(bindTrim(true, true), "trim")
	def(bindTrim(true, false), "trim_start")
	def(bindTrim(false, true), "trim_end")
	def(bindIndexOfRegex, "indexof_regex")
	def(strFn(regexp.QuoteMeta), "regex_quote")
	def(bindExtractJSON, "extract_json", "extractjson")
}

// regexArg returns a function giving the regex of argument i for a row:
// compiled once when constant. wrap rewrites the pattern first.
func (c *call) regexArg(i int, wrap func(string) string) (func(v []value.Value) *regexp.Regexp, error) {
	if wrap == nil {
		wrap = func(s string) string { return s }
	}
	if p, ok := c.constStr(i); ok {
		re, err := compileRegex(wrap(p))
		if err != nil {
			return nil, c.errorf("bad regex: %v", err)
		}
		return func([]value.Value) *regexp.Regexp { return re }, nil
	}
	var mu sync.Mutex
	cache := map[string]*regexp.Regexp{}
	return func(v []value.Value) *regexp.Regexp {
		p := wrap(toStr(v[i]))
		mu.Lock()
		defer mu.Unlock()
		if re, ok := cache[p]; ok {
			return re
		}
		re, err := compileRegex(p)
		if err != nil {
			re = nil
		}
		if len(cache) < 64 {
			cache[p] = re
		}
		return re
	}, nil
}

// bindExtract is extract(regex, group, source[, typeof(T)]).
func bindExtract(c *call) (*Fn, error) {
	reOf, err := c.regexArg(0, nil)
	if err != nil {
		return nil, err
	}
	t := types.String
	if len(c.args) > 3 && c.args[3].TypeOf {
		t = c.args[3].Type
	}
	return c.rows(t, func(v []value.Value) value.Value {
		re := reOf(v)
		g, ok := argInt(v[1])
		if re == nil || !ok || g < 0 || int(g) > re.NumSubexp() {
			return value.Null(t)
		}
		m := re.FindStringSubmatchIndex(toStr(v[2]))
		if m == nil || m[2*g] < 0 {
			return value.Null(t)
		}
		s := toStr(v[2])[m[2*g]:m[2*g+1]]
		return convertTo(value.OfString(s), t)
	}), nil
}

// bindExtractAll is extract_all(regex, [groups,] source): every match as
// an array of strings (one group or none) or of arrays (several groups);
// null when nothing matches.
func bindExtractAll(c *call) (*Fn, error) {
	reOf, err := c.regexArg(0, nil)
	if err != nil {
		return nil, err
	}
	src := len(c.args) - 1
	return c.rows(types.Dynamic, func(v []value.Value) value.Value {
		re := reOf(v)
		if re == nil {
			return value.Null(types.Dynamic)
		}
		var groups []int
		if src == 2 {
			arr, _ := v[1].D.([]any)
			for _, g := range arr {
				switch x := g.(type) {
				case int64:
					groups = append(groups, int(x))
				case string:
					groups = append(groups, re.SubexpIndex(x))
				}
			}
		} else {
			for g := 1; g <= re.NumSubexp(); g++ {
				groups = append(groups, g)
			}
			if len(groups) == 0 {
				groups = []int{0}
			}
		}
		s := toStr(v[src])
		all := re.FindAllStringSubmatchIndex(s, -1)
		if len(all) == 0 {
			return value.Null(types.Dynamic)
		}
		out := make([]any, 0, len(all))
		for _, m := range all {
			row := make([]any, len(groups))
			for k, g := range groups {
				if g >= 0 && 2*g+1 < len(m) && m[2*g] >= 0 {
					row[k] = s[m[2*g]:m[2*g+1]]
				} else {
					row[k] = ""
				}
			}
			if len(groups) == 1 {
				out = append(out, row[0])
			} else {
				out = append(out, row)
			}
		}
		return value.OfDynamic(out)
	}), nil
}

// rewriteTemplate converts a Kusto rewrite (\1 or $1 for groups) into a
// Go template ($ escaped, groups as ${n}).
func rewriteTemplate(r string) string {
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case c == '\\' && i+1 < len(r) && r[i+1] >= '0' && r[i+1] <= '9':
			b.WriteString("${" + r[i+1:i+2] + "}")
			i++
		case c == '$' && i+1 < len(r) && r[i+1] >= '0' && r[i+1] <= '9':
			j := i + 1
			for j < len(r) && r[j] >= '0' && r[j] <= '9' {
				j++
			}
			b.WriteString("${" + r[i+1:j] + "}")
			i = j - 1
		case c == '$':
			b.WriteString("$$")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// bindReplaceRegex binds replace_regex(source, regex, rewrite) given the
// argument positions of source, regex and rewrite.
func bindReplaceRegex(src, rx, rw int) binder {
	return func(c *call) (*Fn, error) {
		reOf, err := c.regexArg(rx, nil)
		if err != nil {
			return nil, err
		}
		return c.rows(types.String, func(v []value.Value) value.Value {
			re := reOf(v)
			s := toStr(v[src])
			if re == nil {
				return value.OfString(s)
			}
			return value.OfString(re.ReplaceAllString(s, rewriteTemplate(toStr(v[rw]))))
		}), nil
	}
}

// bindTrim binds trim(regex, source) and its one-sided forms.
func bindTrim(start, end bool) binder {
	return func(c *call) (*Fn, error) {
		var startOf, endOf func(v []value.Value) *regexp.Regexp
		var err error
		if start {
			if startOf, err = c.regexArg(0, func(p string) string { return "^(?:" + p + ")+" }); err != nil {
				return nil, err
			}
		}
		if end {
			if endOf, err = c.regexArg(0, func(p string) string { return "(?:" + p + ")+$" }); err != nil {
				return nil, err
			}
		}
		return c.rows(types.String, func(v []value.Value) value.Value {
			s := toStr(v[1])
			if startOf != nil {
				if re := startOf(v); re != nil {
					if loc := re.FindStringIndex(s); loc != nil {
						s = s[loc[1]:]
					}
				}
			}
			if endOf != nil {
				if re := endOf(v); re != nil {
					if loc := re.FindStringIndex(s); loc != nil {
						s = s[:loc[0]]
					}
				}
			}
			return value.OfString(s)
		}), nil
	}
}

// bindIndexOfRegex is indexof_regex(source, regex[, start[, length[,
// occurrence]]]).
func bindIndexOfRegex(c *call) (*Fn, error) {
	reOf, err := c.regexArg(1, nil)
	if err != nil {
		return nil, err
	}
	return c.rows(types.Long, func(v []value.Value) value.Value {
		re := reOf(v)
		if re == nil {
			return value.Null(types.Long)
		}
		r := []rune(toStr(v[0]))
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
		if start < 0 || occ <= 0 || length < -1 {
			return value.Null(types.Long)
		}
		if start > n {
			return value.OfLong(-1)
		}
		end := n
		if length >= 0 && start+length < n {
			end = start + length
		}
		hay := string(r[start:end])
		all := re.FindAllStringIndex(hay, int(occ))
		if int64(len(all)) < occ {
			return value.OfLong(-1)
		}
		return value.OfLong(start + int64(utf8.RuneCountInString(hay[:all[occ-1][0]])))
	}), nil
}

// bindExtractJSON is extract_json(path, json[, typeof(T)]).
func bindExtractJSON(c *call) (*Fn, error) {
	t := types.String
	if len(c.args) > 2 && c.args[2].TypeOf {
		t = c.args[2].Type
	}
	return c.rows(t, func(v []value.Value) value.Value {
		steps, ok := parseJSONPath(toStr(v[0]))
		if !ok {
			return value.Null(t)
		}
		d := toDynamicValue(value.OfString(toStr(v[1])))
		e, found := walkPath(d.D, steps)
		if !found {
			return value.Null(t)
		}
		return convertTo(value.OfDynamic(e), t)
	}), nil
}

// pathStep is one step of a JSONPath: a key or an index.
type pathStep struct {
	key   string
	index int
	isIdx bool
}

// parseJSONPath parses $.a.b, $['a'], $["a"] and $.a[0] forms.
func parseJSONPath(p string) ([]pathStep, bool) {
	p = strings.TrimSpace(p)
	if !strings.HasPrefix(p, "$") {
		return nil, false
	}
	var steps []pathStep
	for i := 1; i < len(p); {
		switch p[i] {
		case '.':
			j := i + 1
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			if j == i+1 {
				return nil, false
			}
			steps = append(steps, pathStep{key: p[i+1 : j]})
			i = j
		case '[':
			j := strings.IndexByte(p[i:], ']')
			if j < 0 {
				return nil, false
			}
			inner := strings.TrimSpace(p[i+1 : i+j])
			if len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[len(inner)-1] == inner[0] {
				steps = append(steps, pathStep{key: inner[1 : len(inner)-1]})
			} else {
				k, err := strconv.Atoi(inner)
				if err != nil {
					return nil, false
				}
				steps = append(steps, pathStep{index: k, isIdx: true})
			}
			i += j + 1
		default:
			return nil, false
		}
	}
	return steps, true
}

// walkPath follows steps into a dynamic value.
func walkPath(d any, steps []pathStep) (any, bool) {
	for _, s := range steps {
		switch x := d.(type) {
		case *value.Bag:
			if s.isIdx {
				return nil, false
			}
			v, ok := x.Get(s.key)
			if !ok {
				return nil, false
			}
			d = v
		case []any:
			if !s.isIdx {
				return nil, false
			}
			i := s.index
			if i < 0 {
				i += len(x)
			}
			if i < 0 || i >= len(x) {
				return nil, false
			}
			d = x[i]
		default:
			return nil, false
		}
	}
	return d, true
}
