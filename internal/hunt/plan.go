package hunt

// This file holds the plan API: the environment a request is read in,
// the hunt registry entries a plan chooses from, the Plan itself and
// Understand, which reads a request into one.

import (
	"fmt"
	"time"
)

// Env is what Understand knows besides the request. Only Now matters for
// the time range; the rest sharpen entities and choose hunts.
type Env struct {
	// Now anchors relative times (the CLI's --as-of). Zero means the
	// current time.
	Now time.Time
	// Devices are the workspace's devices (DeviceInfo), for matching names.
	Devices []DeviceRef
	// Accounts are known account names in any form (DOMAIN\user, UPN,
	// user), for checking the accounts a request names.
	Accounts []string
	// Hunts is the hunt registry to choose from.
	Hunts []HuntInfo
	// Tables are the tables the workspace has. Nil means unknown: every
	// hunt is assumed runnable.
	Tables []string
}

// HuntInfo is what a plan needs to know about a hunt in the library.
type HuntInfo struct {
	ID string `json:"id"`
	// Intents are the intent ids it serves; IntentTriage marks a hunt of
	// the broad triage pack.
	Intents []string `json:"intents"`
	// Tables are the tables it reads; all must exist for it to run.
	Tables []string `json:"tables"`
	// Entities are the entity kinds (KindDevice, …) it can be scoped by.
	Entities []string `json:"entities,omitempty"`
}

// Plan is how vigil will pursue a request.
type Plan struct {
	Request string    `json:"request"`
	Now     time.Time `json:"now"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	// TimeText is the part of the request the range came from; empty
	// when the default applies.
	TimeText string   `json:"time_text,omitempty"`
	Intents  []Intent `json:"intents"`
	Entities Entities `json:"entities"`
	Tables   []string `json:"tables"`
	HuntIDs  []string `json:"hunt_ids"`
	// Triage is set when the request asks for a broad look: no specific
	// intent was recognised, or it asks for "anything else" too.
	Triage bool     `json:"triage"`
	Notes  []string `json:"notes,omitempty"`
}

// Understand reads a request into a plan. It is deterministic for a
// given env (with Now set) and never fails: an unclear request becomes
// a triage plan over the default time range.
func Understand(req string, env Env) Plan {
	if env.Now.IsZero() {
		env.Now = time.Now()
	}
	src := normalise(req)
	tr, tsp := parseTimeRange(src, env.Now)
	x := newExtractor(mask(src, []span{tsp}), env)
	x.run()
	p := Plan{Request: req, Now: env.Now, Start: tr.Start, End: tr.End, TimeText: tr.Text, Entities: x.ents}
	if tr.Default {
		p.Notes = append(p.Notes, fmt.Sprintf("no time range given; using the last %s", humanDuration(DefaultLookback)))
	}
	p.Notes = append(p.Notes, tr.Notes...)
	p.Notes = append(p.Notes, x.notes...)
	intents, triage, notes := readIntents(mask(src, append(x.spans, tsp)), x.ents)
	p.Intents, p.Triage = intents, triage
	if p.Intents == nil {
		p.Intents = []Intent{}
	}
	p.Notes = append(p.Notes, notes...)
	if len(intents) == 0 {
		p.Notes = append(p.Notes, "no specific intent recognised; running the broad triage pack"+scopeNote(p.Entities))
	}
	p.chooseHunts(env)
	return p
}

// scopeNote says what a triage is scoped to.
func scopeNote(e Entities) string {
	if e.Empty() {
		return " across the workspace"
	}
	return fmt.Sprintf(" scoped to the named %s", joinList(e.Kinds()))
}
