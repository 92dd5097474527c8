package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/parley-sim/parley/internal/serve"
)

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "parley serve [--addr 127.0.0.1:8080] [FILE|DIR|embedded:NAME ...]", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on; anything but a loopback address exposes the explorer to your network")
	lim := serve.DefaultLimits
	fs.IntVar(&lim.MaxRuns, "max-runs", lim.MaxRuns, "most Monte Carlo runs per request")
	fs.IntVar(&lim.MaxConcurrent, "max-sims", lim.MaxConcurrent, "simulations running at once")
	fs.DurationVar(&lim.Timeout, "timeout", lim.Timeout, "longest a simulation request may take")
	pos, err := parse(fs, args)
	if err != nil {
		return errUsageOr(err)
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
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
