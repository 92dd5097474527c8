package serve

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// errShuttingDown answers requests that have not started simulating when
// the server begins to shut down.
var errShuttingDown = &apiError{http.StatusServiceUnavailable,
	"the server is shutting down; this request was not simulated — try again when the server is back"}

// errWaited answers a request that waited for a simulation slot (or for
// the same baseline another request was simulating) until its deadline.
var errWaited = &apiError{http.StatusServiceUnavailable,
	"the request waited too long for the server, busy with other simulations, and gave up before simulating; try again in a moment"}

// Drain makes the server refuse work it has not started: requests waiting
// for a simulation slot, and requests asking for a simulation from now on,
// are answered 503 with errShuttingDown's message. Simulations already
// running go on. It is safe to call more than once.
func (s *Server) Drain() { s.drainOnce.Do(func() { close(s.closing) }) }

// Waiting returns how many requests are waiting for a simulation slot.
func (s *Server) Waiting() int { return int(s.waiting.Load()) }

// ErrGraceExpired is returned by Shutdown when requests were still running
// at the end of the grace period and their connections were closed.
var ErrGraceExpired = errors.New("serve: the grace period ended with simulations still running; their connections were closed")

// Shutdown stops hs, serving s, gracefully: it stops accepting
// connections, answers queued requests 503 (Drain), lets running requests
// finish for up to grace (or until force is closed), then closes what is
// left. It returns nil when every request was answered, ErrGraceExpired
// otherwise.
func (s *Server) Shutdown(hs *http.Server, grace time.Duration, force <-chan struct{}) error {
	s.Drain()
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	go func() {
		select {
		case <-force:
			cancel()
		case <-ctx.Done():
		}
	}()
	err := hs.Shutdown(ctx)
	if err == nil || errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	hs.Close()
	return ErrGraceExpired
}
