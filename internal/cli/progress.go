package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress draws a one-line progress bar with an ETA on a terminal. A nil
// *progress draws nothing, so callers need not check.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	total int
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, on bool, label string, total int) *progress {
	if !on || total <= 0 {
		return nil
	}
	return &progress{w: w, label: label, total: total, start: time.Now()}
}

// Set reports done units; it redraws at most ten times a second.
func (p *progress) Set(done int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if done < p.total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	frac := float64(done) / float64(p.total)
	const width = 30
	n := int(frac * width)
	el := now.Sub(p.start)
	eta := "--"
	if done > 0 {
		eta = (time.Duration(float64(el)/frac) - el).Round(100 * time.Millisecond).String()
	}
	fmt.Fprintf(p.w, "\r%s %s%s %3.0f%% %d/%d  elapsed %s  eta %s ", p.label,
		strings.Repeat("█", n), strings.Repeat("░", width-n), 100*frac, done, p.total,
		el.Round(100*time.Millisecond), eta)
}

// Done clears the line.
func (p *progress) Done() {
	if p == nil {
		return
	}
	fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 100))
}
