package sarif

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestWrite(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, "vigil", "dev", "", []Rule{{ID: "UnknownColumn", Text: "unknown column"}}, []Result{{
		RuleID: "UnknownColumn", Level: "error", Message: "unknown column Foo",
		File: "rules/a.yaml", Line: 3, Column: 12, EndLine: 3, EndColumn: 15,
		LineText: "| where é Foo", EndLineText: "| where é Foo",
	}})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
						Region           struct {
							StartLine, StartColumn, EndColumn int
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, buf.String())
	}
	if got.Version != "2.1.0" || len(got.Runs) != 1 || got.Runs[0].Tool.Driver.Name != "vigil" {
		t.Fatalf("unexpected log: %s", buf.String())
	}
	res := got.Runs[0].Results
	if len(res) != 1 || res[0].RuleID != "UnknownColumn" || res[0].Level != "error" {
		t.Fatalf("results = %+v", res)
	}
	reg := res[0].Locations[0].PhysicalLocation.Region
	// Byte column 12 (Foo) follows the two-byte é: code point column 11.
	if reg.StartLine != 3 || reg.StartColumn != 11 || reg.EndColumn != 14 {
		t.Errorf("region = %+v, want line 3 columns 11..14", reg)
	}
	if uri := res[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "rules/a.yaml" {
		t.Errorf("uri = %q", uri)
	}
}

func TestWriteNoResultsIsValid(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "vigil", "", "", nil, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"results": []`)) {
		t.Errorf("an empty run must still carry a results array:\n%s", buf.String())
	}
}
