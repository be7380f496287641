package scalar

// This file implements the parsers that return dynamic values: parse_url,
// parse_urlquery, parse_path, parse_command_line, parse_csv and parse_xml.

import (
	"encoding/csv"
	"encoding/xml"
	"io"
	"net/url"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	def(strDyn(parseURL), "parse_url", "parseurl")
	def(strDyn(func(s string) value.Value {
		b := value.NewBag(1)
		b.Set("Query Parameters", queryBag(strings.TrimPrefix(s, "?")))
		return value.OfDynamic(b)
	}), "parse_urlquery", "parseurlquery")
	def(strDyn(parsePath), "parse_path")
	def(strDyn(parseCommandLine), "parse_command_line")
	def(strDyn(parseCSV), "parse_csv")
	def(strDyn(parseXML), "parse_xml")
}

// strDyn binds a parser of the first argument's string form.
func strDyn(f func(s string) value.Value) binder {
	return func(c *call) (*Fn, error) {
		return c.rows(types.Dynamic, func(v []value.Value) value.Value { return f(toStr(v[0])) }), nil
	}
}

// parseURL splits an absolute URL into its parts; anything else gives an
// empty bag.
func parseURL(s string) value.Value {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return value.OfDynamic(value.NewBag(0))
	}
	b := value.NewBag(8)
	b.Set("Scheme", u.Scheme)
	b.Set("Host", u.Hostname())
	b.Set("Port", u.Port())
	b.Set("Path", strings.TrimPrefix(u.EscapedPath(), "/"))
	user, pass := "", ""
	if u.User != nil {
		user = u.User.Username()
		pass, _ = u.User.Password()
	}
	b.Set("Username", user)
	b.Set("Password", pass)
	b.Set("Query Parameters", queryBag(u.RawQuery))
	b.Set("Fragment", u.Fragment)
	return value.OfDynamic(b)
}

// queryBag parses k1=v1&k2=v2 into a bag, decoding escapes.
func queryBag(q string) *value.Bag {
	b := value.NewBag(4)
	for _, part := range strings.Split(q, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		b.Set(k, v)
	}
	return b
}

// parsePath splits a Windows or Unix file path.
func parsePath(p string) value.Value {
	scheme, rest := "", p
	if i := strings.Index(p, "://"); i > 0 {
		scheme, rest = p[:i], p[i+3:]
	}
	root := ""
	if len(rest) >= 2 && rest[1] == ':' && isLetter(rest[0]) {
		root = rest[:2]
	}
	cut := strings.LastIndexAny(rest, `\/`)
	dir, file := "", rest
	if cut >= 0 {
		dir, file = rest[:cut], rest[cut+1:]
	}
	ads := ""
	if i := strings.IndexByte(file, ':'); i >= 0 {
		file, ads = file[:i], file[i+1:]
	}
	dirName := dir
	if j := strings.LastIndexAny(dir, `\/`); j >= 0 {
		dirName = dir[j+1:]
	}
	ext := ""
	if j := strings.LastIndexByte(file, '.'); j >= 0 {
		ext = file[j+1:]
	}
	b := value.NewBag(7)
	b.Set("Scheme", scheme)
	b.Set("RootPath", root)
	b.Set("DirectoryPath", dir)
	b.Set("DirectoryName", dirName)
	b.Set("Filename", file)
	b.Set("Extension", ext)
	b.Set("AlternateDataStreamName", ads)
	return value.OfDynamic(b)
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// parseCommandLine splits a command line by Windows' CommandLineToArgvW
// rules: spaces separate, quotes group, backslashes escape quotes.
func parseCommandLine(s string) value.Value {
	var args []any
	var cur strings.Builder
	inQuote, have := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			j := i
			for j < len(s) && s[j] == '\\' {
				j++
			}
			n := j - i
			if j < len(s) && s[j] == '"' {
				cur.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					cur.WriteByte('"')
					j++
				}
			} else {
				cur.WriteString(strings.Repeat(`\`, n))
			}
			have = true
			i = j - 1
		case c == '"':
			if inQuote && i+1 < len(s) && s[i+1] == '"' {
				cur.WriteByte('"')
				i++
			} else {
				inQuote = !inQuote
			}
			have = true
		case (c == ' ' || c == '\t') && !inQuote:
			if have {
				args = append(args, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	if have {
		args = append(args, cur.String())
	}
	if args == nil {
		args = []any{}
	}
	return value.OfDynamic(args)
}

// parseCSV splits one CSV record into strings.
func parseCSV(s string) value.Value {
	r := csv.NewReader(strings.NewReader(s))
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	rec, err := r.Read()
	if err != nil {
		return value.OfDynamic([]any{""})
	}
	out := make([]any, len(rec))
	for i, f := range rec {
		out[i] = f
	}
	return value.OfDynamic(out)
}

// parseXML converts XML to a dynamic value the way Json.NET does:
// attributes become "@name", text beside attributes or children
// "#text", repeated child elements an array.
func parseXML(s string) value.Value {
	dec := xml.NewDecoder(strings.NewReader(s))
	dec.Strict = false
	root := value.NewBag(1)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return value.Null(types.Dynamic)
		}
		if se, ok := tok.(xml.StartElement); ok {
			v, err := xmlElement(dec, se)
			if err != nil {
				return value.Null(types.Dynamic)
			}
			addXMLChild(root, se.Name.Local, v)
		}
	}
	if root.Len() == 0 {
		return value.Null(types.Dynamic)
	}
	return value.OfDynamic(root)
}

func xmlElement(dec *xml.Decoder, se xml.StartElement) (any, error) {
	b := value.NewBag(len(se.Attr))
	for _, a := range se.Attr {
		b.Set("@"+a.Name.Local, a.Value)
	}
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			v, err := xmlElement(dec, t)
			if err != nil {
				return nil, err
			}
			addXMLChild(b, t.Name.Local, v)
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			txt := strings.TrimSpace(text.String())
			if b.Len() == 0 {
				if txt == "" {
					return nil, nil
				}
				return txt, nil
			}
			if txt != "" {
				b.Set("#text", txt)
			}
			return b, nil
		}
	}
}

func addXMLChild(b *value.Bag, name string, v any) {
	old, ok := b.Get(name)
	if !ok {
		b.Set(name, v)
		return
	}
	if arr, isArr := old.([]any); isArr {
		b.Set(name, append(arr, v))
		return
	}
	b.Set(name, []any{old, v})
}
