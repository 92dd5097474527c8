package serve

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// reply is one client's answer.
type reply struct {
	status int
	body   string
	err    error
}

func fetchAsync(url string) <-chan reply {
	ch := make(chan reply, 1)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			ch <- reply{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		ch <- reply{status: resp.StatusCode, body: string(b)}
	}()
	return ch
}

// waitFor polls cond until it holds; it fails the test after a minute (a
// hang detector, not a measure of speed).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func recv(t *testing.T, what string, ch <-chan reply) reply {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(time.Minute):
		t.Fatalf("%s: no answer", what)
		return reply{}
	}
}

// TestShutdownWithQueuedClients: Ctrl-C on a busy server stops accepting
// connections, answers the queued clients 503 saying the server is shutting
// down, lets the running simulation finish and answer 200, and returns
// nil (parley serve then exits 0).
func TestShutdownWithQueuedClients(t *testing.T) {
	s := newTestServer(t)
	s.lim.MaxConcurrent = 1
	s.sem = make(chan struct{}, 1)
	running, release := make(chan struct{}), make(chan struct{})
	first := true
	testHookSimulating = func() {
		if first { // only the first what-if (the others never get a slot)
			first = false
			close(running)
			<-release
		}
	}
	defer func() { testHookSimulating = nil }()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := NewHTTPServer("", s, s.lim)
	go hs.Serve(ln)
	base := "http://" + ln.Addr().String() + "/api/whatif?runs=20&"

	a := fetchAsync(base + "mediator.pressure=0.9")
	<-running // a holds the only slot
	b := fetchAsync(base + "mediator.pressure=0.5")
	c := fetchAsync(base + "mediator.pressure=0.1")
	waitFor(t, "two queued clients", func() bool { return s.Waiting() == 2 })

	done := make(chan error, 1)
	go func() { done <- s.Shutdown(hs, time.Minute, nil) }()
	for _, q := range []struct {
		name string
		ch   <-chan reply
	}{{"b", b}, {"c", c}} {
		r := recv(t, q.name, q.ch)
		var body struct{ Error string }
		json.Unmarshal([]byte(r.body), &body)
		if r.err != nil || r.status != http.StatusServiceUnavailable || !strings.Contains(body.Error, "the server is shutting down") {
			t.Errorf("queued client %s: %d %q %v; want 503 saying the server is shutting down", q.name, r.status, r.body, r.err)
		}
	}
	// No new connections while the running request finishes.
	waitFor(t, "the listener to close", func() bool {
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
		if err == nil {
			conn.Close()
		}
		return err != nil
	})
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned (%v) before the running request finished", err)
	default:
	}
	close(release)
	if r := recv(t, "a", a); r.err != nil || r.status != http.StatusOK {
		t.Errorf("running client: %d %v %.200s; want 200", r.status, r.err, r.body)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Shutdown = %v, want nil", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Shutdown hung")
	}
}

// TestQueuedTimeoutMessage: a request that waited for a slot until its
// deadline is told it waited too long, not to try fewer runs.
func TestQueuedTimeoutMessage(t *testing.T) {
	s := newTestServer(t)
	s.lim.Timeout = 100 * time.Millisecond
	for i := 0; i < cap(s.sem); i++ {
		s.sem <- struct{}{} // every slot busy
	}
	rec := get(t, s, "/api/whatif?runs=20&mediator.pressure=0.3")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "waited too long") || strings.Contains(rec.Body.String(), "fewer runs") {
		t.Errorf("got %d %s; want 503 saying it waited too long", rec.Code, rec.Body.String())
	}
}
