// Package attack is the MITRE ATT&CK Enterprise catalog built into vigil:
// tactic, technique and mitigation ids and names, which tactics a
// technique sits under, sub-technique parents and which techniques each
// mitigation addresses. It holds facts only; MITRE's descriptions stay out.
//
// attack.json is generated from the extract in shared/data/attack, plus a
// short list of revoked and deprecated ids (internal/gen/legacy.json) so an
// old id such as T1086 is rejected with its replacement:
//
//	go generate ./internal/finding/attack
//
// Usage:
//
//	cat := attack.Default()
//	t, err := cat.Resolve("T1003.001") // LSASS Memory, parent T1003
//	if err != nil {
//		return err // e.g. "technique T1086 was revoked by MITRE; use T1059.001"
//	}
//	ok := cat.InTactic(t.ID, "Credential Access") // true
//	for _, m := range cat.Mitigations(t.ID) {
//		fmt.Println(m.ID, m.Name) // M1043 Credential Access Protection, …
//	}
//
// ATT&CK® is © The MITRE Corporation; see Notice and LICENSE-ATTACK.txt.
package attack
