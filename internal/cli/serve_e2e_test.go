package cli

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestServeInBrowser starts `parley serve`, opens the page in headless
// Chromium, drags the mediator-pressure slider and checks that the charts
// and the headline numbers change; then types an out-of-range value and
// checks that the server's message is shown. It saves a screenshot (path in
// the log; set PARLEY_SCREENSHOT to choose it).
func TestServeInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chrome := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		t.Skip("chromium is not installed (apt-get install chromium); .ci/run installs it")
	}
	// Generous: under -race, with the other packages' tests on 2 cores, the
	// simulations behind each page update are ten times slower.
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancel()

	// parley serve, on a free port.
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- serveCmd(ctx, []string{"--addr", "127.0.0.1:0"}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("parley serve printed nothing: %v", err)
	}
	go io.Copy(io.Discard, pr)
	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`).FindString(line)
	if url == "" {
		t.Fatalf("no URL in %q", line)
	}
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("parley serve: %v", err)
		}
	}()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1440, 1300))
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	const (
		median   = chromedp.CSS(`#ch-attacks path.median-whatif`)
		cfDays   = chromedp.CSS(`#headline .card[data-key="cf_days"] .to`)
		cfDiff   = chromedp.CSS(`#headline .card[data-key="cf_days"] .diff`)
		slider   = `#key-params .param[data-key="mediator.pressure"] input[type=range]`
		numInput = chromedp.CSS(`#key-params .param[data-key="mediator.pressure"] input[type=number]`)
	)
	// snapshot reads the what-if median path of the attacks chart and the
	// "days under ceasefire" card.
	snapshot := func(ready string) (path, value, diff string) {
		t.Helper()
		if err := chromedp.Do(bctx, chromedp.WaitVisible(chromedp.CSS(`body[data-ready="`+ready+`"]`))); err != nil {
			t.Fatalf("page did not render (ready=%s): %v", ready, err)
		}
		a, err := chromedp.Run(bctx, chromedp.AttributeValue(median, "d"))
		if err != nil {
			t.Fatal(err)
		}
		if value, err = chromedp.Run(bctx, chromedp.Text(cfDays)); err != nil {
			t.Fatal(err)
		}
		if diff, err = chromedp.Run(bctx, chromedp.Text(cfDiff)); err != nil {
			t.Fatal(err)
		}
		return a.Value, value, diff
	}
	// 300 runs (the URL hash carries the settings, as a shared link would)
	// keep the test quick under the race detector.
	if err := chromedp.Do(bctx, chromedp.Navigate(url+"#runs=300")); err != nil {
		t.Fatalf("browser: %v", err)
	}
	d0, v0, diff0 := snapshot("1")
	type box struct{ X, Y, W, H float64 }
	r, err := chromedp.Run(bctx, chromedp.Evaluate[box](`(() => { const r = document.querySelector('`+slider+`').getBoundingClientRect();
		return {X: r.x, Y: r.y, W: r.width, H: r.height}; })()`))
	if err != nil || r.W == 0 {
		t.Fatalf("slider: %+v, %v", r, err)
	}
	// Click near the right end of the slider, as a person would.
	if err := chromedp.Do(bctx, chromedp.MouseClickXY(r.X+0.97*r.W, r.Y+r.H/2)); err != nil {
		t.Fatal(err)
	}
	d1, v1, diff1 := snapshot("2")
	changes, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`#changes`)))
	if err != nil {
		t.Fatal(err)
	}
	if d0 == "" || d0 == d1 {
		t.Errorf("the attacks chart did not change (median path %d -> %d chars, equal: %v)", len(d0), len(d1), d0 == d1)
	}
	if v0 == "" || v0 == v1 {
		t.Errorf("days under ceasefire did not change: %q -> %q", v0, v1)
	}
	if !strings.Contains(diff0, "identical") || diff0 == diff1 {
		t.Errorf("effect line: %q -> %q, want identical first, then an effect", diff0, diff1)
	}
	if !strings.Contains(changes, "mediator.pressure: 0.4 →") {
		t.Errorf("changes = %q", changes)
	}
	t.Logf("days under ceasefire %s -> %s (%s)", v0, v1, diff1)

	png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	shot := os.Getenv("PARLEY_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(os.TempDir(), "parley-serve-e2e.png")
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shot)

	// A bad value: the server's 400 message appears on the page.
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`(() => { const e = document.querySelector('`+string(numInput)+`');
		e.value = "1.5"; return e.dispatchEvent(new Event("input")); })()`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bctx, chromedp.WaitVisible(chromedp.CSS(`#error`))); err != nil {
		t.Fatalf("the error message did not appear: %v", err)
	}
	msg, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`#error`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "mediator.pressure: 1.5 is out of range (allowed: 0 to 1 share)") {
		t.Errorf("error shown = %q", msg)
	}
}
