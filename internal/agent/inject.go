package agent

// This file finds text in telemetry that looks like a prompt injection:
// instructions addressed to an AI, requests to ignore instructions, to
// report nothing or to act, chat-role markup and fake tool-call JSON.
// Such text is never obeyed; it is flagged as a suspicious artefact.

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Artefact is injected-looking text found in returned data.
type Artefact struct {
	Handle  string // the row group's handle, "" when found in a finding's evidence
	Table   string
	Column  string
	Reason  string // what it looks like
	Excerpt string // sanitised, at most excerptLen characters
}

// ArtefactPrefix starts every recommendation that flags an artefact.
const ArtefactPrefix = "Suspicious artefact: "

const excerptLen = 100

// injectionRules are matched against normalised text (lower case, URL
// escapes decoded, separators and runs of white space made single spaces).
var injectionRules = []struct {
	re     *regexp.Regexp
	reason string
}{
	{regexp.MustCompile(`\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(previous|prior|above|earlier|preceding|all|any|your|system|original)\b.{0,30}\b(instructions?|prompts?|rules|directives|guidelines|guardrails)\b`),
		"asks to ignore previous instructions"},
	{regexp.MustCompile(`\b(new|updated|real|actual|hidden) (system )?(instructions?|prompt|directive)s?\b|\bsystem prompt\b|\b(developer|admin|operator) (mode|override|instructions?)\b`),
		"claims to carry new instructions"},
	{regexp.MustCompile(`\b(dear|attention|hey|hello|note to( the)?|message (to|for)( the)?|instructions? (to|for)( the)?) (ai|llm|gpt|chatgpt|copilot|assistant|agent|model|bot|analyst bot)\b|\b(you are|you're|act as) (now )?(an? |the )?(ai|llm|assistant|language model|chatbot|security (ai|bot|agent))\b|\b(ai|llm|gpt|copilot|assistant|agent)s?\b[,:]? (must|should|shall|will|please|now|ignore|do not|don't|report|isolate|call|stop|respond|reply)\b|\b(ai|llm|gpt) (assistant|agent|analyst|model)s?\b`),
		"addresses an AI assistant"},
	{regexp.MustCompile(`\b(report|return|submit|say|output|conclude|respond with)\b.{0,20}\b(no|zero|0|nothing|empty)\b.{0,12}\b(findings?|threats?|alerts?|issues?|incidents?|detections?|malicious)\b|\bdo not (report|flag|alert|mention|escalate|investigate)\b|\b(mark|classify|treat|label) (this|it|these|everything|all)? ?(as )?(an? )?(benign|safe|clean|false positives?|legitimate)\b|\bnothing (malicious|suspicious) (here|to see)\b`),
		"tries to suppress findings"},
	{regexp.MustCompile(`\b(isolate|unisolate|release|disable|quarantine|wipe|delete|block|shut ?down|restrict)\b.{0,30}\b(every|all|each|the entire|whole)\b.{0,12}\b(devices?|machines?|hosts?|endpoints?|servers?|computers?|users?|accounts?|fleet|network)\b`),
		"asks for a response action"},
	{regexp.MustCompile(`"(tool_calls?|function_call|tool_choice|tool_call_id)"\s*:|"(name|function)"\s*:\s*"(run_kql|run_hunt|propose_action|submit_findings|entity_context|lookup_technique|list_tables|describe_table)"|\b(propose_action|submit_findings|run_kql|run_hunt)\s*\(|to=functions\.|"arguments"\s*:\s*"?\{`),
		"fake tool-call JSON"},
	{regexp.MustCompile(`<\|(im_start|im_end|im_sep|system|endoftext)\|>|\[/?inst\]|<</?sys>>|</?(system|assistant|instructions?)>|(^|\\n|\n) ?(system|assistant|developer) ?:`),
		"chat-role markup"},
}

// suspicious reports why s looks like an injection, or "".
func suspicious(s string) string {
	why, _ := detect(s)
	return why
}

// detect is suspicious with the byte offset in s where the match starts,
// as far as it can be located (0 otherwise).
func detect(s string) (reason string, at int) {
	if len(s) < 12 {
		return "", 0
	}
	for _, text := range normalisations(s) {
		for _, r := range injectionRules {
			loc := r.re.FindStringIndex(text)
			if loc == nil {
				continue
			}
			return r.reason, locate(s, text[loc[0]:loc[1]])
		}
	}
	return "", 0
}

// locate finds the start of a normalised match in the original text by
// its first letters; 0 when it cannot.
func locate(s, match string) int {
	key := strings.TrimSpace(match)
	for _, n := range []int{12, 6} {
		k := key[:min(n, len(key))]
		if i := strings.Index(strings.ToLower(s), k); i >= 0 && i < len(s) {
			return i
		}
	}
	return 0
}

// normalisations are the forms of s the rules see: as written, and with
// URL escapes decoded and _ + . - separators read as spaces.
func normalisations(s string) []string {
	base := squash(strings.ToLower(stripInvisible(s)))
	out := []string{base}
	dec := base
	if u, err := url.QueryUnescape(strings.ReplaceAll(base, "+", "%2B")); err == nil {
		dec = u
	}
	spaced := squash(strings.NewReplacer("_", " ", "+", " ", "%20", " ", "-", " ", ".", " ").Replace(dec))
	if spaced != base {
		out = append(out, spaced)
	}
	if dec != base && dec != spaced {
		out = append(out, squash(dec))
	}
	return out
}

func stripInvisible(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}

// squash collapses runs of white space into one space.
func squash(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\n' }), " ")
}

// excerpt is a short, sanitised piece of s starting a little before at.
func excerpt(s string, at int) string {
	r := []rune(s)
	start := max(0, utf8.RuneCountInString(s[:min(at, len(s))])-24)
	end := min(len(r), start+excerptLen)
	out := sanitise(string(r[start:end]))
	if start > 0 {
		out = "…" + out
	}
	if end < len(r) {
		out += "…"
	}
	return out
}

// scanResult flags every artefact in r, each column of a group once.
func scanResult(r *result, m *minimised) []Artefact {
	var out []Artefact
	for g, rows := range m.groups {
		for j := range r.Columns {
			for _, text := range leaves(r.Rows[rows[0]][j]) {
				if why, at := detect(text); why != "" {
					out = append(out, Artefact{Handle: m.handles[g], Table: r.Table, Column: r.Columns[j], Reason: why, Excerpt: excerpt(text, at)})
					break
				}
			}
		}
	}
	return out
}

// leaves flattens a cell into its string leaves (dynamic values walked).
func leaves(v any) []string {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, leaves(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, k := range sortedKeys(x) {
			out = append(out, leaves(x[k])...)
			if why := suspicious(k); why != "" {
				out = append(out, k)
			}
		}
		return out
	}
	return nil
}
