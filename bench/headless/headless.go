// Package headless starts Chromium without a window, for the tests and the
// benchmark that open report.html in a real browser (cmd/export's
// TestInteropBrowser… tests, bench/reportopen).
//
// The browser is Debian's /usr/bin/chromium (apt-get install chromium), or
// the one $EXPORT_CHROMIUM names: nothing is downloaded. It runs with a
// profile of its own, removed when the context ends, with no sandbox when
// run as root (Chromium refuses to start otherwise), and with every host
// name resolving to nothing, so that a page that tried to fetch anything
// could reach no server (the request is still seen by the tests, which
// count every request the page makes).
package headless

import (
	"context"
	"fmt"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// Path returns the Chromium to run: $EXPORT_CHROMIUM, else
// /usr/bin/chromium, else chromium on PATH; "" when there is none.
func Path() string {
	for _, p := range []string{os.Getenv("EXPORT_CHROMIUM"), "/usr/bin/chromium"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// Start starts Chromium at exe and returns a chromedp context of one tab
// in it, with a viewport of width × height CSS pixels. The browser, its
// profile and the tab end with cancel.
func Start(parent context.Context, exe string, width, height int) (context.Context, context.CancelFunc, error) {
	profile, err := os.MkdirTemp("", "export-chromium-")
	if err != nil {
		return nil, nil, fmt.Errorf("a profile directory for Chromium: %w", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		chromedp.DisableGPU,
		chromedp.WindowSize(width, height),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-proxy-server", true),
		// No name resolves: a request that the page made anyway fails
		// here instead of leaving the machine.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		chromedp.Flag("hide-scrollbars", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	cancel := func() {
		cancelTab()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		cancel()
		return nil, nil, fmt.Errorf("starting %s: %w", exe, err)
	}
	return ctx, cancel, nil
}
