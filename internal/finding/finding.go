package finding

// This file defines the finding model shared by every producer and
// consumer. finding.schema.json describes the same shape as JSON.

import (
	"time"

	"github.com/vigil-hunt/vigil/internal/finding/ioc"
)

// Finding is one conclusion of a reasoner about activity in telemetry.
type Finding struct {
	ID              string           `json:"id"` // see ComputeID
	Title           string           `json:"title"`
	Description     string           `json:"description,omitempty"`
	Severity        Severity         `json:"severity"`
	Confidence      Confidence       `json:"confidence"`
	Tactic          *AttackRef       `json:"tactic,omitempty"`        // TA0006 Credential Access
	Technique       *AttackRef       `json:"technique,omitempty"`     // T1003 OS Credential Dumping
	SubTechnique    *AttackRef       `json:"sub_technique,omitempty"` // T1003.001 LSASS Memory
	Entities        []Entity         `json:"entities,omitempty"`
	IOCs            []ioc.IOC        `json:"iocs,omitempty"`
	Evidence        []Evidence       `json:"evidence,omitempty"`
	Timeline        []Event          `json:"timeline,omitempty"`
	Recommendations []Recommendation `json:"recommendations,omitempty"`
	Actions         []Action         `json:"proposed_actions,omitempty"`
	Producer        Producer         `json:"producer"`
	AlsoProducedBy  []Producer       `json:"also_produced_by,omitempty"` // other producers merged in
	RiskScore       int              `json:"risk_score"`                 // 0–100, see Score
	// Verified is false when some claims of the finding (usually an LLM
	// agent's) could not be matched to its evidence; the reasons say which.
	Verified          bool      `json:"verified"`
	UnverifiedReasons []string  `json:"unverified_reasons,omitempty"`
	FirstSeen         time.Time `json:"first_seen"`
	LastSeen          time.Time `json:"last_seen"`
}

// Severity is how bad the activity would be if the finding is right.
type Severity string

// Severities, lowest first.
const (
	Informational Severity = "informational"
	Low           Severity = "low"
	Medium        Severity = "medium"
	High          Severity = "high"
	Critical      Severity = "critical"
)

// Severities lists the valid severities, lowest first.
var Severities = []Severity{Informational, Low, Medium, High, Critical}

// Rank orders severities from 1 (informational) to 5 (critical); an
// invalid severity ranks 0.
func (s Severity) Rank() int {
	for i, v := range Severities {
		if s == v {
			return i + 1
		}
	}
	return 0
}

// Level is a coarse confidence.
type Level string

// Confidence levels, lowest first.
const (
	LevelLow    Level = "low"
	LevelMedium Level = "medium"
	LevelHigh   Level = "high"
)

// Rank orders levels from 1 (low) to 3 (high); an invalid level ranks 0.
func (l Level) Rank() int {
	switch l {
	case LevelLow:
		return 1
	case LevelMedium:
		return 2
	case LevelHigh:
		return 3
	}
	return 0
}

// LevelFor maps a 0–100 score to a level: below 40 low, below 70 medium.
func LevelFor(score int) Level {
	switch {
	case score < 40:
		return LevelLow
	case score < 70:
		return LevelMedium
	}
	return LevelHigh
}

// Confidence is how sure the producer is, and why.
type Confidence struct {
	Level   Level    `json:"level"`
	Score   int      `json:"score"` // 0–100
	Reasons []string `json:"reasons,omitempty"`
}

// AttackRef names an ATT&CK tactic, technique or sub-technique.
type AttackRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// EntityType is what an entity is.
type EntityType string

// Entity types.
const (
	EntityDevice      EntityType = "device"       // device name or FQDN; props: device_id
	EntityAccount     EntityType = "account"      // DOMAIN\user or UPN; props: sid, object_id
	EntityIP          EntityType = "ip"           //
	EntityDomain      EntityType = "domain"       //
	EntityURL         EntityType = "url"          //
	EntityFileHash    EntityType = "file_hash"    // props: algorithm
	EntityFile        EntityType = "file"         // path or name; props: sha256, sha1, md5
	EntityProcess     EntityType = "process"      // command line or image; props: pid, image
	EntityRegistryKey EntityType = "registry_key" // props: value_name, value_data
)

// EntityTypes lists the valid entity types.
var EntityTypes = []EntityType{EntityDevice, EntityAccount, EntityIP, EntityDomain, EntityURL,
	EntityFileHash, EntityFile, EntityProcess, EntityRegistryKey}

// Role is the part an entity plays in the activity.
type Role string

// Roles.
const (
	RoleActor   Role = "actor"   // who or what did it (an account, an initiating process)
	RoleSource  Role = "source"  // where it came from (a remote IP, a sending device)
	RoleTarget  Role = "target"  // what it was done to
	RoleParent  Role = "parent"  // a parent process
	RoleChild   Role = "child"   // a spawned process
	RoleRelated Role = "related" // involved otherwise
)

// Roles lists the valid roles.
var Roles = []Role{RoleActor, RoleSource, RoleTarget, RoleParent, RoleChild, RoleRelated}

// Entity is something the finding is about. Value is its identifying
// string; Props holds other identifiers (see the EntityType constants).
type Entity struct {
	Type  EntityType        `json:"type"`
	Role  Role              `json:"role,omitempty"`
	Value string            `json:"value"`
	Props map[string]string `json:"props,omitempty"`
}

// Evidence is a query and the rows it returned.
type Evidence struct {
	Table   string           `json:"table"`             // DeviceProcessEvents
	Query   string           `json:"query"`             // the exact KQL that was run
	Source  string           `json:"source"`            // data source: "mde", a workspace id, "lab:<dataset>"
	Columns []string         `json:"columns"`           // the column order of Rows
	Rows    []map[string]any `json:"rows"`              // column → value; dynamic values as decoded JSON
	RowIDs  []RowID          `json:"row_ids,omitempty"` // parallel to Rows when the table has an id column
	Count   int              `json:"count"`             // rows the query returned; Rows may hold fewer
}

// RowID identifies a row by its table's id column, e.g. ReportId.
type RowID struct {
	Column string `json:"column"`
	ID     string `json:"id"`
}

// Event is one entry of the finding's timeline.
type Event struct {
	Time    time.Time `json:"time"`
	Table   string    `json:"table,omitempty"`
	Summary string    `json:"summary"`
	Entity  string    `json:"entity,omitempty"` // the entity value the event is about
	Row     *RowRef   `json:"row,omitempty"`
}

// RowRef points at a row of the finding's evidence by index.
type RowRef struct {
	Evidence int `json:"evidence"`
	Row      int `json:"row"`
}

// RecommendationKind says where a recommendation comes from.
type RecommendationKind string

// Recommendation kinds.
const (
	KindMitigation RecommendationKind = "mitigation" // an ATT&CK mitigation or a hardening step
	KindNextStep   RecommendationKind = "next_step"  // what an analyst should look at next
)

// Recommendation is advice for the analyst.
type Recommendation struct {
	Kind         RecommendationKind `json:"kind"`
	Text         string             `json:"text"`
	MitigationID string             `json:"mitigation_id,omitempty"` // M1043 when taken from ATT&CK
}

// ActionKind is a response action a finding may propose.
type ActionKind string

// Response actions. The respond package decides whether and how they run.
const (
	ActionIsolateDevice        ActionKind = "isolate" // the names respond and the MDE API use
	ActionCollectPackage       ActionKind = "collect_investigation_package"
	ActionRunAVScan            ActionKind = "run_av_scan"
	ActionRestrictAppExecution ActionKind = "restrict_app_execution"
	ActionDisableUser          ActionKind = "disable_user"
	ActionRevokeSessions       ActionKind = "revoke_sessions"
	ActionQuarantineFile       ActionKind = "quarantine_file"
	ActionBlockIndicator       ActionKind = "block_indicator"
)

// ActionKinds lists the valid action kinds.
var ActionKinds = []ActionKind{ActionIsolateDevice, ActionCollectPackage, ActionRunAVScan,
	ActionRestrictAppExecution, ActionDisableUser, ActionRevokeSessions, ActionQuarantineFile, ActionBlockIndicator}

// Action is a response the producer proposes; nothing runs it without
// the response policy's approval.
type Action struct {
	Action ActionKind        `json:"action"`
	Target string            `json:"target"` // device name, account, file hash or indicator
	Reason string            `json:"reason"`
	Params map[string]string `json:"params,omitempty"` // e.g. isolation_type: Selective
}

// ProducerKind is which reasoner produced a finding.
type ProducerKind string

// Producer kinds.
const (
	ProducerHunter ProducerKind = "hunter" // the deterministic hunt library
	ProducerAgent  ProducerKind = "agent"  // the LLM agent
	ProducerSigma  ProducerKind = "sigma"  // a converted Sigma rule
)

// Producer says who produced a finding. Sigma findings must carry the
// rule's author and link: the Detection Rule License requires attribution.
type Producer struct {
	Kind    ProducerKind `json:"kind"`
	HuntID  string       `json:"hunt_id,omitempty"` // hunter
	RuleID  string       `json:"rule_id,omitempty"` // sigma
	Title   string       `json:"title,omitempty"`   // the hunt's or rule's title
	Author  string       `json:"author,omitempty"`  // sigma
	Link    string       `json:"link,omitempty"`    // sigma: where the rule is published
	License string       `json:"license,omitempty"` // sigma: DRL-1.1
	Model   string       `json:"model,omitempty"`   // agent: the model that reasoned
}
