package audit

// This file removes secrets from payloads before they reach the log.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Redacted replaces every secret value.
const Redacted = "[redacted]"

// secretKeys are key names (lower case, without '-', '_', '.' or spaces)
// whose values are always secrets.
var secretKeys = map[string]bool{
	"apikey": true, "xapikey": true, "authorization": true, "proxyauthorization": true,
	"clientsecret": true, "password": true, "passwd": true, "pwd": true, "secret": true,
	"token": true, "accesstoken": true, "refreshtoken": true, "idtoken": true,
	"bearer": true, "bearertoken": true, "cookie": true, "setcookie": true,
	"privatekey": true, "connectionstring": true, "sastoken": true, "sig": true,
	"credential": true, "credentials": true, "subscriptionkey": true,
	"ocpapimsubscriptionkey": true, "accountkey": true, "sharedaccesskey": true,
}

// secretSuffixes catch compound names (openai_api_key, AZURE_CLIENT_SECRET,
// graphToken). Counts such as prompt_tokens or max_tokens do not match.
var secretSuffixes = []string{"apikey", "secret", "password", "passwd", "token", "accesskey", "privatekey", "credential"}

// secretKey reports whether a key names a secret value.
func secretKey(k string) bool {
	n := strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', '.', ' ':
			return -1
		}
		return r
	}, strings.ToLower(k))
	if secretKeys[n] || strings.HasPrefix(n, "bearer") {
		return true
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// secretPatterns find secrets inside strings. Each match is replaced; when a
// pattern has a group named "keep", that prefix survives so the reader still
// sees what was removed ("Bearer [redacted]", "client_secret=[redacted]").
var secretPatterns = []*regexp.Regexp{
	// Authorization header values, in any text.
	regexp.MustCompile(`(?i)(?P<keep>\bbearer\s+)[A-Za-z0-9\-._~+/]{16,}=*`),
	// JWTs: base64url header and claims both start with '{"' = "eyJ".
	regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`),
	// OpenAI (sk-, sk-proj-, sk-svcacct-) and Anthropic (sk-ant-) keys.
	regexp.MustCompile(`\bsk-[A-Za-z0-9_-]{20,}`),
	// GitHub tokens and AWS access key ids.
	regexp.MustCompile(`\b(?:gh[pousr]|github_pat)_[A-Za-z0-9_]{30,}`),
	regexp.MustCompile(`\bAKIA[0-9A-Z]{16}\b`),
	// key=value and key: value pairs in URLs, connection strings and messages.
	// The key may carry a prefix (AZURE_CLIENT_SECRET=…) or JSON quotes.
	regexp.MustCompile(`(?i)(?P<keep>\b[A-Za-z0-9_]*?(?:api[_-]?key|client[_-]?secret|password|passwd|pwd|secret|access[_-]?token|refresh[_-]?token|id[_-]?token|token|sig|accountkey|sharedaccesskey)"?\s*[=:]\s*"?)[^\s&;,"]+`),
}

// RedactString replaces the secrets found inside s.
func RedactString(s string) string {
	for _, re := range secretPatterns {
		keep := re.SubexpIndex("keep")
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			if keep < 0 {
				return Redacted
			}
			sub := re.FindStringSubmatch(m)
			return sub[keep] + Redacted
		})
	}
	return s
}

// Redact returns the canonical JSON of v with secrets replaced: objects with
// sorted keys, numbers as written, no insignificant white space.
func Redact(v any) (json.RawMessage, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode payload: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("decode payload: %w", err)
	}
	out, err := json.Marshal(redactValue(tree))
	if err != nil {
		return nil, fmt.Errorf("encode payload: %w", err)
	}
	return out, nil
}

// redactValue walks a decoded JSON tree.
func redactValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if secretKey(k) && e != nil {
				x[k] = Redacted
				continue
			}
			x[k] = redactValue(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = redactValue(e)
		}
		return x
	case string:
		return RedactString(x)
	}
	return v
}
