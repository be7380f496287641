// Package mdefake is a fake Microsoft Defender for Endpoint API for tests:
// machines, machine actions and their life cycle, in MDE's wire format
// (201 + MachineAction, the {"error":{code,message,target}} envelope,
// case-sensitive body parameters), with scriptable failures.
//
//	s := mdefake.New()
//	defer s.Close()
//	s.AddMachine(mdefake.Machine{ID: mdefake.MachineID(1), DNSName: "windows-target-1"})
//	s.Throttle(2, "1")                 // the next two requests get 429, Retry-After: 1
//	s.Inject(mdefake.Fault{Method: "POST", PathSuffix: "/isolate", Status: 403, Code: "Forbidden"})
//	s.SetProgress("Pending", "InProgress", "Failed") // what successive GETs of a new action show
//	... run the client against s.URL ...
//	isolates := s.Calls("POST", "/isolate") // every request is recorded
//
// It answers only what vigil's client uses; it is not a general OData
// server.
package mdefake
