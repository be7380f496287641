package respond

// This file holds the MDE wire types vigil reads.

import "time"

// Machine is an MDE device (abridged).
type Machine struct {
	ID              string    `json:"id"`
	ComputerDNSName string    `json:"computerDnsName"`
	FirstSeen       time.Time `json:"firstSeen"`
	LastSeen        time.Time `json:"lastSeen"`
	OSPlatform      string    `json:"osPlatform"`
	HealthStatus    string    `json:"healthStatus"`
	OnboardingState string    `json:"onboardingStatus"`
	RBACGroupID     int64     `json:"rbacGroupId"`
	RBACGroupName   string    `json:"rbacGroupName"`
	RiskScore       string    `json:"riskScore"`
	ExposureLevel   string    `json:"exposureLevel"`
	LastIPAddress   string    `json:"lastIpAddress"`
	MachineTags     []string  `json:"machineTags"`
}

// MachineAction is an MDE machine action.
type MachineAction struct {
	ID                    string    `json:"id"`
	Type                  string    `json:"type"`
	Scope                 string    `json:"scope"`
	Requestor             string    `json:"requestor"`
	RequestorComment      string    `json:"requestorComment"`
	Status                string    `json:"status"`
	MachineID             string    `json:"machineId"`
	ComputerDNSName       string    `json:"computerDnsName"`
	CreationDateTimeUTC   time.Time `json:"creationDateTimeUtc"`
	LastUpdateDateTimeUTC time.Time `json:"lastUpdateDateTimeUtc"`
	// Existing is set by the client, not MDE: the action was already
	// pending when vigil asked for the same one, so vigil joined it.
	Existing bool `json:"-"`
}

// MDE action types and statuses.
const (
	TypeIsolate                 = "Isolate"
	TypeUnisolate               = "Unisolate"
	TypeCollectPackage          = "CollectInvestigationPackage"
	TypeRunAntiVirusScan        = "RunAntiVirusScan"
	TypeRestrictCodeExecution   = "RestrictCodeExecution"
	TypeUnrestrictCodeExecution = "UnrestrictCodeExecution"

	ActionPending    = "Pending"
	ActionInProgress = "InProgress"
	ActionSucceeded  = "Succeeded"
	ActionFailed     = "Failed"
	ActionTimeOut    = "TimeOut"
	ActionCancelled  = "Cancelled"
)

// Terminal reports whether the action has finished.
func (a MachineAction) Terminal() bool {
	switch a.Status {
	case ActionSucceeded, ActionFailed, ActionTimeOut, ActionCancelled:
		return true
	}
	return false
}

// list is an OData collection.
type list[T any] struct {
	Value []T `json:"value"`
}
