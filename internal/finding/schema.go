package finding

// This file embeds the JSON Schema of a finding.

import _ "embed"

//go:embed finding.schema.json
var schema []byte

// Schema returns the JSON Schema (draft 2020-12) that findings marshal
// to; SCHEMA.md explains it. The caller may keep the slice.
func Schema() []byte { return append([]byte(nil), schema...) }
