package report

import (
	"bytes"
	"testing"
)

func TestMarkdownGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, incident(t)); err != nil {
		t.Fatal(err)
	}
	golden(t, "incident.md", buf.Bytes())
}

func TestHTMLGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, incident(t)); err != nil {
		t.Fatal(err)
	}
	golden(t, "incident.html", buf.Bytes())
}
