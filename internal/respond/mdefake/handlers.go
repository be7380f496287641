package mdefake

// This file answers the machine and machine-action endpoints.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// eqClause is one `field eq 'value'` of a $filter.
var eqClause = regexp.MustCompile(`^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$`)

// parseFilter reads `a eq 'x' and b eq 'y'` into lower-cased field names.
func parseFilter(f string) (map[string]string, bool) {
	out := map[string]string{}
	for _, c := range strings.Split(f, " and ") {
		m := eqClause.FindStringSubmatch(c)
		if m == nil {
			return nil, false
		}
		out[strings.ToLower(m[1])] = strings.ReplaceAll(m[2], "''", "'")
	}
	return out, true
}

func (s *Server) machineJSON(m Machine) map[string]any {
	tags := m.Tags
	if tags == nil {
		tags = []string{}
	}
	last := m.LastSeen
	if last.IsZero() {
		last = s.Now().Add(-time.Hour)
	}
	return map[string]any{
		"id": m.ID, "computerDnsName": m.DNSName, "firstSeen": last.Add(-30 * 24 * time.Hour),
		"lastSeen": last, "osPlatform": or(m.OSPlatform, "Windows11"), "version": "23H2",
		"healthStatus": "Active", "onboardingStatus": "Onboarded", "rbacGroupId": 42,
		"rbacGroupName": m.RBACGroupName, "riskScore": "High", "exposureLevel": "Medium",
		"lastIpAddress": "10.0.0.5", "machineTags": tags, "isAadJoined": true,
	}
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (s *Server) listMachines(w http.ResponseWriter, r *http.Request) {
	f, ok := parseFilter(r.URL.Query().Get("$filter"))
	name, byName := f["computerdnsname"]
	if !ok || !byName {
		writeError(w, http.StatusBadRequest, "ODataError", "Invalid filter clause")
		return
	}
	value := []any{}
	for _, m := range s.machines {
		if strings.EqualFold(m.DNSName, name) {
			value = append(value, s.machineJSON(m))
		}
	}
	if len(value) == 0 && s.notFound {
		writeError(w, http.StatusNotFound, "ResourceNotFound", "No recent machines found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": s.URL + "/api/$metadata#Machines", "value": value})
}

func (s *Server) machine(idOrName string) (Machine, bool) {
	for _, m := range s.machines {
		if m.ID == idOrName || strings.EqualFold(m.DNSName, idOrName) {
			return m, true
		}
	}
	return Machine{}, false
}

func (s *Server) getMachine(w http.ResponseWriter, id string) {
	m, ok := s.machine(id)
	if !ok {
		writeError(w, http.StatusNotFound, "ResourceNotFound", "Machine "+id+" was not found")
		return
	}
	writeJSON(w, http.StatusOK, s.machineJSON(m))
}

// endpoints maps an action path segment to the MDE type and the body
// parameters it takes (required first) with their allowed values.
var endpoints = map[string]struct {
	typ    string
	params map[string][]string // optional parameter -> allowed values
	need   []string            // required parameters besides Comment
}{
	"isolate":                     {"Isolate", map[string][]string{"IsolationType": {"Full", "Selective", "UnManagedDevice"}}, nil},
	"unisolate":                   {"Unisolate", nil, nil},
	"collectInvestigationPackage": {"CollectInvestigationPackage", nil, nil},
	"runAntiVirusScan":            {"RunAntiVirusScan", map[string][]string{"ScanType": {"Quick", "Full"}}, []string{"ScanType"}},
	"restrictCodeExecution":       {"RestrictCodeExecution", nil, nil},
	"unrestrictCodeExecution":     {"UnrestrictCodeExecution", nil, nil},
}

func (s *Server) postAction(w http.ResponseWriter, id, segment string, body []byte) {
	ep, ok := endpoints[segment]
	if !ok {
		writeError(w, http.StatusNotFound, "NotFound", "No route for "+segment)
		return
	}
	m, ok := s.machine(id)
	if !ok {
		writeError(w, http.StatusNotFound, "ResourceNotFound", "Machine "+id+" was not found")
		return
	}
	params, code, msg := checkBody(body, ep.params, ep.need)
	if code != "" {
		writeError(w, http.StatusBadRequest, code, msg)
		return
	}
	if s.conflict > 0 {
		s.conflict--
		s.newAction(m.ID, ep.typ, params["IsolationType"], "someone-else@contoso.com", "raced", s.progress)
	}
	for _, aid := range s.order {
		a := s.actions[aid].wire
		if a["machineId"] == m.ID && a["type"] == ep.typ && (a["status"] == "Pending" || a["status"] == "InProgress") {
			writeError(w, http.StatusBadRequest, "ActiveRequestAlreadyExists", "Action is already in progress")
			return
		}
	}
	aid := s.newAction(m.ID, ep.typ, params["IsolationType"], "vigil@contoso.com", params["Comment"], s.progress)
	writeJSON(w, http.StatusCreated, s.actions[aid].wire)
}

// checkBody validates a JSON body with MDE's case-sensitive names: Comment
// is required; other keys must be known and take allowed values.
func checkBody(body []byte, allowed map[string][]string, need []string) (map[string]string, string, string) {
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, "InvalidRequestBody", "Request body is not a JSON object"
	}
	out := map[string]string{}
	for k, v := range raw {
		str, ok := v.(string)
		vals, known := allowed[k]
		switch {
		case k == "Comment" && ok:
		case !known:
			return nil, "InvalidRequestBody", fmt.Sprintf("Unknown parameter %q", k)
		case !ok || !slices.Contains(vals, str):
			return nil, "InvalidInput", fmt.Sprintf("Invalid value for %s", k)
		}
		out[k] = str
	}
	for _, k := range append([]string{"Comment"}, need...) {
		if strings.TrimSpace(out[k]) == "" {
			return nil, "MissingRequiredParameter", k + " is required"
		}
	}
	return out, "", ""
}

// newAction records an action; the caller holds s.mu.
func (s *Server) newAction(machineID, typ, scope, requestor, comment string, steps []string) string {
	if len(steps) == 0 {
		steps = []string{"Pending"}
	}
	s.nextID++
	id := fmt.Sprintf("5382f7ea-7557-4ab7-9782-%012d", s.nextID)
	m, _ := s.machine(machineID)
	now := s.Now().Add(time.Duration(s.nextID) * time.Second)
	var sc any
	if scope != "" {
		sc = scope
	}
	s.actions[id] = &action{steps: steps[1:], wire: map[string]any{
		"@odata.context": s.URL + "/api/$metadata#MachineActions/$entity",
		"id":             id, "type": typ, "scope": sc, "requestor": requestor,
		"requestorComment": comment, "status": steps[0], "machineId": machineID,
		"computerDnsName": m.DNSName, "creationDateTimeUtc": now, "lastUpdateDateTimeUtc": now,
		"relatedFileInfo": nil,
	}}
	s.order = append(s.order, id)
	return id
}

func (s *Server) getAction(w http.ResponseWriter, id string) {
	a := s.actions[id]
	if a == nil {
		writeError(w, http.StatusNotFound, "ResourceNotFound", "MachineAction "+id+" was not found")
		return
	}
	writeJSON(w, http.StatusOK, a.wire)
	if len(a.steps) > 0 { // the next GET sees the next status
		a.wire["status"], a.steps = a.steps[0], a.steps[1:]
	}
}

func (s *Server) listActions(w http.ResponseWriter, r *http.Request) {
	f, ok := parseFilter(r.URL.Query().Get("$filter"))
	if !ok {
		writeError(w, http.StatusBadRequest, "ODataError", "Invalid filter clause")
		return
	}
	value := []any{}
	for _, id := range s.order {
		a := s.actions[id].wire
		if match(a, f, "machineid", "machineId") && match(a, f, "status", "status") && match(a, f, "type", "type") {
			value = append(value, a)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": s.URL + "/api/$metadata#MachineActions", "value": value})
}

func match(a map[string]any, f map[string]string, key, field string) bool {
	v, ok := f[key]
	return !ok || strings.EqualFold(fmt.Sprint(a[field]), v)
}

func (s *Server) cancelAction(w http.ResponseWriter, id string, body []byte) {
	a := s.actions[id]
	if a == nil {
		writeError(w, http.StatusNotFound, "ResourceNotFound", "MachineAction "+id+" was not found")
		return
	}
	if _, code, msg := checkBody(body, nil, nil); code != "" {
		writeError(w, http.StatusBadRequest, code, msg)
		return
	}
	if st := a.wire["status"]; st == "Pending" || st == "InProgress" {
		a.wire["status"], a.steps = "Cancelled", nil
	}
	writeJSON(w, http.StatusOK, a.wire)
}
