package report

// This file shows a hunt's progress on stderr.

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// ProgressOptions configure NewProgress. The zero value prints plain
// lines at most every 5 seconds, for logs and pipes.
type ProgressOptions struct {
	TTY   bool          // redraw one line in place with \r
	ASCII bool          // spin with |/-\ instead of Braille dots
	Width int           // the TTY line is cut to Width-1 columns (default 80)
	Every time.Duration // least time between plain lines (default 5 s)
	Now   func() time.Time
}

// Step is how far a phase has come: "running 12/40 hunts… cred-lsass".
type Step struct {
	Done, Total int
	Noun        string // what is counted, plural: "hunts"
	Detail      string // optional: what just finished
}

// Progress draws Steps: on a terminal as one line with a spinner,
// redrawn at most ten times a second; elsewhere as plain lines now and
// then, and always for the first and the last step. It is safe for
// concurrent use.
type Progress struct {
	mu     sync.Mutex
	w      io.Writer
	o      ProgressOptions
	frame  int
	drawn  int // columns of the line on screen (TTY)
	last   time.Time
	step   Step
	update bool // a step was reported
}

var (
	brailleSpin = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
	asciiSpin   = []string{"|", "/", "-", `\`}
)

const ttyRedrawEvery = 100 * time.Millisecond

// NewProgress returns a Progress writing to w (usually stderr).
func NewProgress(w io.Writer, o ProgressOptions) *Progress {
	if o.Width <= 0 {
		o.Width = 80
	}
	if o.Every <= 0 {
		o.Every = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Progress{w: w, o: o}
}

// Update reports a step.
func (p *Progress) Update(s Step) {
	p.mu.Lock()
	defer p.mu.Unlock()
	first := !p.update
	p.step, p.update = s, true
	now := p.o.Now()
	final := s.Total > 0 && s.Done >= s.Total
	every := p.o.Every
	if p.o.TTY {
		every = ttyRedrawEvery
	}
	if first || final || now.Sub(p.last) >= every {
		p.last = now
		p.draw()
	}
}

// Tick advances the spinner and redraws the last step on a terminal; a
// caller with a ticker keeps the spinner moving during a long query.
func (p *Progress) Tick() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.o.TTY && p.update {
		p.draw()
	}
}

// Finish clears the line on a terminal, so a summary can take its place.
func (p *Progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.o.TTY && p.drawn > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.drawn))
		p.drawn = 0
	}
}

func (p *Progress) draw() {
	ell := "…"
	if p.o.ASCII {
		ell = "..."
	}
	msg := fmt.Sprintf("running %d/%d %s%s", p.step.Done, p.step.Total, p.step.Noun, ell)
	if p.step.Detail != "" {
		msg += " " + termSafe(p.step.Detail)
	}
	if !p.o.TTY {
		fmt.Fprintln(p.w, msg)
		return
	}
	spin := brailleSpin
	if p.o.ASCII {
		spin = asciiSpin
	}
	line := cutWith(spin[p.frame%len(spin)]+" "+msg, p.o.Width-1, ell)
	p.frame++
	w := textWidth(line)
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", max(p.drawn-w, 0)))
	p.drawn = w
}
