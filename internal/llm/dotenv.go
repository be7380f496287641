// This file parses .env files: KEY=VALUE lines with quotes and comments.

package llm

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"
)

var dotenvKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*$`)

// ReadDotenv parses the .env file at path. A missing file yields an empty
// map and no error.
func ReadDotenv(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vars, err := ParseDotenv(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return vars, nil
}

// ParseDotenv reads KEY=VALUE lines. Blank lines and lines starting with #
// are skipped; "export " before a key is allowed. Values may be bare (a " #"
// starts a comment), 'single-quoted' (literal) or "double-quoted" (with \n,
// \t, \" and \\ escapes). Quoted values are single-line; there is no
// ${VAR} expansion. A later line overrides an earlier one.
func ParseDotenv(r io.Reader) (map[string]string, error) {
	vars := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, err := parseDotenvLine(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		vars[key] = value
	}
	return vars, sc.Err()
}

func parseDotenvLine(line string) (key, value string, err error) {
	line = strings.TrimPrefix(line, "export ")
	key, rest, ok := strings.Cut(line, "=")
	key = strings.TrimSpace(key)
	if !ok {
		return "", "", fmt.Errorf("missing '=' after %q", key)
	}
	if !dotenvKey.MatchString(key) {
		return "", "", fmt.Errorf("invalid key %q", key)
	}
	value, err = parseDotenvValue(strings.TrimSpace(rest))
	return key, value, err
}

func parseDotenvValue(s string) (string, error) {
	switch {
	case strings.HasPrefix(s, "'"):
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return "", errors.New("unterminated single quote")
		}
		return s[1 : 1+end], checkTrailing(s[2+end:])
	case strings.HasPrefix(s, `"`):
		return parseDoubleQuoted(s[1:])
	}
	if i := strings.Index(s, " #"); i >= 0 {
		s = s[:i]
	}
	if i := strings.Index(s, "\t#"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s), nil
}

func parseDoubleQuoted(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return b.String(), checkTrailing(s[i+1:])
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteString(unescape(s[i]))
		default:
			b.WriteByte(c)
		}
	}
	return "", errors.New("unterminated double quote")
}

func unescape(c byte) string {
	switch c {
	case 'n':
		return "\n"
	case 't':
		return "\t"
	case 'r':
		return "\r"
	case '"', '\\':
		return string(c)
	}
	return "\\" + string(c)
}

// checkTrailing allows only a comment after a closing quote.
func checkTrailing(rest string) error {
	rest = strings.TrimSpace(rest)
	if rest == "" || strings.HasPrefix(rest, "#") {
		return nil
	}
	return fmt.Errorf("unexpected %q after closing quote", rest)
}
