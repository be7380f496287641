package report

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// clock is a fake time source advanced by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestProgressTTY(t *testing.T) {
	var buf bytes.Buffer
	c := &clock{t0}
	p := NewProgress(&buf, ProgressOptions{TTY: true, ASCII: true, Width: 40, Now: c.now})
	p.Update(Step{Done: 1, Total: 40, Noun: "hunts", Detail: "cred-lsass-comsvcs"})
	p.Update(Step{Done: 2, Total: 40, Noun: "hunts"}) // within 100 ms: not drawn
	c.t = c.t.Add(time.Second)
	p.Update(Step{Done: 12, Total: 40, Noun: "hunts"})
	p.Update(Step{Done: 40, Total: 40, Noun: "hunts"}) // the last step is always drawn
	p.Finish()
	want := "\r| running 1/40 hunts... cred-lsass-c..." +
		"\r/ running 12/40 hunts..." + strings.Repeat(" ", 39-24) +
		"\r- running 40/40 hunts..." +
		"\r" + strings.Repeat(" ", 24) + "\r"
	if got := buf.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestProgressPlain(t *testing.T) {
	var buf bytes.Buffer
	c := &clock{t0}
	p := NewProgress(&buf, ProgressOptions{Now: c.now})
	for i := 1; i <= 40; i++ {
		c.t = c.t.Add(time.Second)
		p.Update(Step{Done: i, Total: 40, Noun: "hunts"})
	}
	p.Tick()
	p.Finish()
	want := "running 1/40 hunts…\nrunning 6/40 hunts…\nrunning 11/40 hunts…\nrunning 16/40 hunts…\n" +
		"running 21/40 hunts…\nrunning 26/40 hunts…\nrunning 31/40 hunts…\nrunning 36/40 hunts…\nrunning 40/40 hunts…\n"
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s", got)
	}
	if strings.Contains(buf.String(), "\r") {
		t.Error("plain progress redraws with \\r")
	}
}
