package lab

// This file implements AzureActivity: the subscription's activity log,
// one row per operation stage (Start, then Success or Failure).

import (
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

// activity is one AzureActivity row.
type activity struct {
	caller, callerIP  string
	callerName, objID string // for the claims
	appID             string // set when the caller is a service principal
	op, opName        string // e.g. Microsoft.Compute/virtualMachines/start/action, Start Virtual Machine
	status, substatus string // Start, Success, Failure, Accept; OK, Created, ...
	category          string // Administrative, Policy
	level             string
	rg, resourceID    string
	corr, opID        string
	requestBody       *value.Bag // Start stage of a write
	method            string
}

// azOp describes an operation for addOperation.
type azOp struct {
	caller, callerIP, callerName, objID, appID string
	op, opName, rg, resourceID, method         string
	category                                   string
	fail                                       bool
	body                                       *value.Bag
}

// addOperation queues the Start and the final stage of an operation.
func (g *gen) addOperation(r *rng, at value.Datetime, o azOp) {
	corr, opID := r.guid(), r.guid()
	if o.category == "" {
		o.category = "Administrative"
	}
	base := activity{caller: o.caller, callerIP: o.callerIP, callerName: o.callerName, objID: o.objID, appID: o.appID,
		op: o.op, opName: o.opName, category: o.category, level: "Informational", rg: o.rg, resourceID: o.resourceID,
		corr: corr, opID: opID, method: o.method}
	start := base
	start.status, start.requestBody = "Start", o.body
	if o.category == "Administrative" {
		g.sink.add(tActivity, &record{t: at, id: r.guid(), ac: &start})
	}
	end := base
	end.status, end.substatus = "Success", "OK"
	switch {
	case o.fail:
		end.status, end.substatus, end.level = "Failure", "Forbidden", "Error"
	case o.method == "PUT":
		end.substatus = "Created"
	case o.category == "Policy":
		end.substatus = ""
	}
	g.sink.add(tActivity, &record{t: add(at, r.dur(300*time.Millisecond, 6*time.Second)), id: r.guid(), ac: &end})
}

var legacyStatus = map[string]string{"Start": "Started", "Success": "Succeeded", "Failure": "Failed", "Accept": "Accepted"}

// providerOf returns a resource id's provider namespace (Microsoft.Compute).
func providerOf(resourceID string) string {
	const p = "/providers/"
	i := strings.LastIndex(resourceID, p)
	if i < 0 {
		return ""
	}
	rest := resourceID[i+len(p):]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		return rest[:j]
	}
	return rest
}

func (g *gen) activityColumns() map[string]colFn {
	f := g.fleet
	end := g.end
	str := func(get func(*activity) string) colFn {
		return func(r *record) value.Value { return vs(get(r.ac)) }
	}
	constant := func(s string) colFn { return func(*record) value.Value { return vs(s) } }
	authz := func(a *activity) *value.Bag { return bag("action", a.op, "scope", a.resourceID) }
	claims := func(a *activity) *value.Bag {
		b := bag("aud", "https://management.core.windows.net/", "iss", "https://sts.windows.net/"+f.tenantID+"/",
			"ipaddr", a.callerIP, "http://schemas.microsoft.com/identity/claims/objectidentifier", a.objID)
		if a.appID != "" {
			b.Set("appid", a.appID)
			b.Set("idtyp", "app")
		} else {
			b.Set("name", a.callerName)
			b.Set("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", a.caller)
			b.Set("appid", appPortal.ID)
		}
		return b
	}
	props := func(a *activity) *value.Bag {
		b := bag("eventCategory", a.category, "entity", a.resourceID, "message", a.op,
			"hierarchy", f.tenantID+"/"+f.subID)
		if a.requestBody != nil {
			b.Set("requestbody", value.FormatJSON(a.requestBody))
		}
		return b
	}
	return map[string]colFn{
		"ActivityStatus":         str(func(a *activity) string { return legacyStatus[a.status] }),
		"ActivityStatusValue":    str(func(a *activity) string { return a.status }),
		"ActivitySubstatus":      constant(""),
		"ActivitySubstatusValue": str(func(a *activity) string { return a.substatus }),
		"Authorization":          str(func(a *activity) string { return value.FormatJSON(authz(a)) }),
		"Authorization_d":        func(r *record) value.Value { return value.OfDynamic(authz(r.ac)) },
		"Caller":                 str(func(a *activity) string { return a.caller }),
		"CallerIpAddress":        str(func(a *activity) string { return a.callerIP }),
		"Category":               str(func(a *activity) string { return a.category }),
		"CategoryValue":          str(func(a *activity) string { return a.category }),
		"Claims":                 str(func(a *activity) string { return value.FormatJSON(claims(a)) }),
		"Claims_d":               func(r *record) value.Value { return value.OfDynamic(claims(r.ac)) },
		"CorrelationId":          str(func(a *activity) string { return a.corr }),
		"EventDataId":            func(r *record) value.Value { return vs(r.id) },
		"EventSubmissionTimestamp": func(r *record) value.Value {
			return value.OfDatetime(min(end, add(r.t, time.Duration(15+r.seq%40)*time.Second)))
		},
		"Hierarchy": constant(f.tenantID + "/" + f.subID),
		"HTTPRequest": func(r *record) value.Value {
			a := r.ac
			if a.status != "Start" || a.method == "" {
				return vs("")
			}
			return vs(value.FormatJSON(bag("clientRequestId", a.opID, "clientIpAddress", a.callerIP, "method", a.method)))
		},
		"Level":                 str(func(a *activity) string { return a.level }),
		"OperationId":           str(func(a *activity) string { return a.opID }),
		"OperationName":         str(func(a *activity) string { return a.opName }),
		"OperationNameValue":    str(func(a *activity) string { return strings.ToUpper(a.op) }),
		"Properties":            str(func(a *activity) string { return value.FormatJSON(props(a)) }),
		"Properties_d":          func(r *record) value.Value { return value.OfDynamic(props(r.ac)) },
		"Resource":              str(func(a *activity) string { return baseName(a.resourceID) }),
		"ResourceGroup":         str(func(a *activity) string { return strings.ToUpper(a.rg) }),
		"ResourceId":            str(func(a *activity) string { return a.resourceID }),
		"_ResourceId":           str(func(a *activity) string { return strings.ToLower(a.resourceID) }),
		"ResourceProvider":      str(func(a *activity) string { return providerOf(a.resourceID) }),
		"ResourceProviderValue": str(func(a *activity) string { return strings.ToUpper(providerOf(a.resourceID)) }),
		"SourceSystem":          constant("Azure"),
		"SubscriptionId":        constant(f.subID),
		"_SubscriptionId":       constant(f.subID),
	}
}
