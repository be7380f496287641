package hunt

// This file reads accounts: the explicit forms (DOMAIN\user, UPNs) found
// by the token reader, names after a cue ("user jsmith", "account:
// admin01", "jdoe's account"), and bare mentions of known accounts.

import (
	"regexp"
	"strings"
)

// accountIndex finds the caller's known accounts by full name and by
// user name (the part after '\' or before '@').
type accountIndex struct {
	list   []string
	byFull map[string]int
	byUser map[string][]int
}

func newAccountIndex(list []string) *accountIndex {
	ix := &accountIndex{list: list, byFull: map[string]int{}, byUser: map[string][]int{}}
	for i, a := range list {
		low := strings.ToLower(strings.TrimSpace(a))
		if low == "" {
			continue
		}
		if _, ok := ix.byFull[low]; !ok {
			ix.byFull[low] = i
		}
		addUnique(ix.byUser, userPart(low), i)
	}
	return ix
}

// userPart is the user name of DOMAIN\user or user@domain.
func userPart(a string) string {
	if i := strings.LastIndexByte(a, '\\'); i >= 0 {
		return a[i+1:]
	}
	u, _, _ := strings.Cut(a, "@")
	return u
}

// find returns the known spelling of an account: by full name, else by
// user name. A user name several known accounts share (HARBOR\jsmith
// and jsmith@harborline.example) is known but keeps the written form.
func (ix *accountIndex) find(name string) (string, bool) {
	low := strings.ToLower(name)
	if i, ok := ix.byFull[low]; ok {
		return ix.list[i], true
	}
	switch is := ix.byUser[userPart(low)]; {
	case len(is) == 1:
		return ix.list[is[0]], true
	case len(is) > 1:
		return name, true
	}
	return "", false
}

// resolve builds the match for an account written as text, named name.
func (ix *accountIndex) resolve(text, name string) AccountMatch {
	if known, ok := ix.find(name); ok {
		return AccountMatch{Name: known, Text: text, Known: true}
	}
	return AccountMatch{Name: name, Text: text}
}

// accountCues introduce an account name: "user jsmith", "account: x".
var accountCues = set("user", "username", "account", "acct", "upn", "identity", "principal",
	"userprincipalname", "accountname", "samaccountname", "accountupn", "login", "uid")

// wellKnownAccounts are built-in names that "as" introduces ("logged in
// as root") though the caller's list may lack them.
var wellKnownAccounts = set("root", "administrator", "admin", "guest", "ubuntu", "azureuser", "ec2-user", "krbtgt")

// accountFillers may stand between a cue and the name.
var accountFillers = set("named", "called", "name", "id", "is", "was", "of")

// contextAccounts reads names introduced by a cue, "X's account", "the
// X account" (X known or name-shaped), "as X" and bare known names.
func (x *extractor) contextAccounts(toks []etok) {
	for i, t := range toks {
		low := strings.TrimRight(t.low, ":")
		switch {
		case accountCues[low] && i+1 < len(toks):
			j := i + 1
			if accountFillers[toks[j].low] && j+1 < len(toks) {
				j++
			}
			x.accountCandidate(toks[j], false)
		case (low == "account" || low == "accounts") && i >= 2 && toks[i-1].low == "s" && x.src[toks[i-1].sp.start-1] == '\'':
			x.accountCandidate(toks[i-2], false)
		case low == "account" && i >= 1:
			x.accountCandidate(toks[i-1], true)
		case low == "as" && i+1 < len(toks) && wellKnownAccounts[toks[i+1].low]:
			x.accountCandidate(toks[i+1], false)
		case low == "as" && i+1 < len(toks):
			x.accountCandidate(toks[i+1], true)
		default:
			if len(x.accts.list) > 0 && len(low) >= 3 && !accountStop[low] && !x.used(t.sp) && !isCueWord(low) {
				if _, ok := x.accts.find(low); ok {
					x.accountCandidate(t, true)
				}
			}
		}
	}
}

// accountCandidate adds t as an account when it can be one; strict asks
// for a known account or a name with digits or separators in it.
func (x *extractor) accountCandidate(t etok, strict bool) {
	low := t.low
	if x.used(t.sp) || !plausibleAccount(low) && !wellKnownAccounts[low] {
		return
	}
	known, ok := x.accts.find(low)
	if strict && !ok && !strings.ContainsAny(low, "0123456789._$-") {
		return
	}
	if ok {
		x.addAccount(AccountMatch{Name: known, Text: t.text, Known: true}, t.sp)
		return
	}
	if len(x.accts.list) > 0 {
		x.note("account %q is not among the known accounts", t.text)
	}
	x.addAccount(AccountMatch{Name: t.text, Text: t.text}, t.sp)
}

var reAccountShape = regexp.MustCompile(`^[a-z0-9][a-z0-9._$-]{1,63}$`)

// accountStop are words that follow "user" or "account" in ordinary
// prose ("user behaviour", "account was") and are never names.
var accountStop = set("the", "a", "an", "this", "that", "these", "those", "is", "was", "were", "are",
	"has", "had", "have", "be", "been", "being", "did", "does", "do", "and", "or", "but", "not", "no",
	"any", "all", "some", "which", "who", "whose", "from", "to", "on", "in", "at", "with", "for", "by",
	"it", "its", "of", "as", "if", "may", "might", "could", "would", "should", "can", "will", "just",
	"account", "accounts", "user", "users", "name", "names", "activity", "activities", "behavior",
	"behaviour", "session", "sessions", "logon", "logons", "login", "logins", "signin", "signins",
	"sign", "profile", "profiles", "rights", "privileges", "privilege", "data", "context", "agent",
	"interaction", "mode", "level", "group", "groups", "directory", "input", "folder", "base",
	"risk", "credentials", "credential", "password", "passwords", "id", "ids", "principal", "settings",
	"access", "permissions", "creation", "changes", "change", "lockout", "lockouts", "manipulation",
	"discovery", "enumeration", "takeover", "compromise", "names", "list", "type", "types", "details",
	"info", "information", "here", "there", "now", "then", "also", "again", "too", "admin", "admins",
	"administrator", "administrators", "local", "domain", "service", "services", "guest", "new",
	"someone", "somebody", "anyone", "anybody", "everyone", "nobody", "me", "my", "we", "our", "us",
	"they", "them", "their", "he", "she", "him", "her", "his", "i", "you", "your", "what", "when",
	"where", "why", "how", "whether", "got", "get", "gets", "went", "go", "so", "please", "pls",
	"system", "cloud", "azure", "entra", "aad", "mailbox", "email", "mfa", "portal", "ad",
	"says", "said", "reports", "reported", "claims", "claimed", "complains", "complained", "noticed",
	"notices", "sees", "saw", "seen", "received", "receives", "clicked", "clicks", "opened", "opens", "logs",
	"logged", "tried", "tries", "attempts", "attempted", "ran", "runs", "got", "gets", "wants", "needs",
	"called", "calls", "sent", "sends", "thinks", "thought", "believes", "asked", "asks", "uses", "used",
	"can't", "cant", "cannot", "didnt", "doesnt", "isnt", "wasnt", "reset", "resets", "changed", "keeps",
	"still", "suddenly", "today", "yesterday", "recently", "reporting", "complaining", "report", "say",
	"claim", "complain", "notice", "see", "receive", "click", "open", "log", "try", "run", "get", "want",
	"need", "call", "send", "think", "ask", "use", "change", "keep", "accounts", "who", "whose", "that",
	"with", "without", "experience", "home", "drive", "share", "mapping", "object", "objects", "sid",
	"token", "tokens", "agent", "agents", "error", "errors", "issue", "issues", "problem", "problems")

// plausibleAccount reports whether low can be an account name: shaped
// like one, not a stop word, and not an English word by its ending.
func plausibleAccount(low string) bool {
	if !reAccountShape.MatchString(low) || !hasLetter(low) || accountStop[low] || isCueWord(low) {
		return false
	}
	if strings.ContainsAny(low, "0123456789._$-") {
		return true
	}
	for _, suf := range []string{"ing", "ed", "tion", "sion", "ity", "ment", "ness", "ies", "ous", "ive", "ly", "ful", "less", "able"} {
		if strings.HasSuffix(low, suf) && len(low) > len(suf)+2 {
			return false
		}
	}
	return true
}

// used reports whether sp overlaps a span already taken by an entity.
func (x *extractor) used(sp span) bool {
	for _, s := range x.spans {
		if sp.start < s.end && s.start < sp.end {
			return true
		}
	}
	return false
}
