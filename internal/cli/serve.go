package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/parley-sim/parley/internal/serve"
)

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "parley serve [--addr 127.0.0.1:8080] [--max-runs N] [--max-sims N] [--timeout D] [FILE|DIR|embedded:NAME ...]", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on; anything but a loopback address exposes the explorer to your network")
	lim := serve.DefaultLimits
	fs.IntVar(&lim.MaxRuns, "max-runs", lim.MaxRuns, "most Monte Carlo runs per request")
	fs.IntVar(&lim.MaxConcurrent, "max-sims", lim.MaxConcurrent, "simulations running at once")
	fs.DurationVar(&lim.Timeout, "timeout", lim.Timeout, "longest a simulation request may take")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if lim.MaxRuns > MaxRuns {
		return fmt.Errorf("%w: --max-runs %d is above the maximum of %d runs per job", errUsage, lim.MaxRuns, MaxRuns)
	}
	if m := maxWorkers(); lim.MaxConcurrent > m {
		fmt.Fprintf(stderr, "parley: --max-sims %d is above the maximum of %d; using %d\n", lim.MaxConcurrent, m, m)
		lim.MaxConcurrent = m
	}
	srcs, skipped, err := serve.Load(pos)
	for _, s := range skipped {
		fmt.Fprintf(stderr, "parley serve: skipped %s\n", s)
	}
	if err != nil {
		return err
	}
	srv, err := serve.New(srcs, lim)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		fmt.Fprintf(stderr, "parley serve: warning: listening on %s, reachable from other machines\n", ln.Addr())
	}
	srv.Warm(ctx)
	hs := serve.NewHTTPServer(*addr, srv, lim)
	fmt.Fprintf(stdout, "Parley what-if explorer: http://%s/  (%d scenario(s); Ctrl-C to stop)\n", ln.Addr(), len(srcs))
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Ctrl-C or SIGTERM: stop accepting, answer queued requests 503, let
	// running simulations (each bounded by --timeout) finish, then exit 0.
	// A second Ctrl-C stops at once.
	grace := lim.Timeout + 5*time.Second
	fmt.Fprintf(stderr, "parley serve: shutting down: no new requests; waiting up to %s for running simulations (Ctrl-C again to stop now)\n", grace)
	again := make(chan os.Signal, 1)
	signal.Notify(again, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(again)
	force, stopped := make(chan struct{}), make(chan struct{})
	defer close(stopped)
	go func() {
		select {
		case <-again:
			close(force)
		case <-stopped:
		}
	}()
	if err := srv.Shutdown(hs, grace, force); errors.Is(err, serve.ErrGraceExpired) {
		fmt.Fprintf(stderr, "parley serve: %v\n", err)
	}
	return nil
}
