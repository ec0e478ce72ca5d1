package main

// What the browser tests of report.html (report_browser_test.go) share:
// starting Chromium, watching everything a page does while it loads and is
// used (requests, console messages, exceptions, the browser's log, CSP
// violations, dialogs), and running axe-core in it. TestInteropBrowserHarness
// shows that each watch catches what it watches for, on pages made to trip
// it.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"export/bench/headless"
)

// interopMissing skips, or with EXPORT_REQUIRE_INTEROP=1 (CI) fails, a
// test whose tool is missing: the same as in package output, whose
// "SKIPPED, NOT RUN: " message .ci/testsummary looks for.
func interopMissing(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("EXPORT_REQUIRE_INTEROP") == "1" || os.Getenv("CI") == "true" {
		t.Fatalf("EXPORT_REQUIRE_INTEROP=1 or CI=true, but %s", msg)
	}
	fmt.Fprintf(os.Stderr, "WARNING: %s SKIPPED: %s\n", t.Name(), msg) // seen without -v too
	t.Skip("SKIPPED, NOT RUN: " + msg)
}

// axeSource returns axe-core's axe.min.js, installed from the version
// pinned by testdata/axe/package-lock.json.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		interopMissing(t, "axe-core is not installed: install it with npm ci --prefix cmd/export/testdata/axe (Node.js and npm: apt-get install nodejs npm) to run this test")
	}
	return string(b)
}

// browser starts Chromium (Debian's, or $EXPORT_CHROMIUM) for the test,
// with a viewport of 1280 × 900 CSS pixels, and returns its tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	exe := headless.Path()
	if exe == "" {
		interopMissing(t, "Chromium is not installed: install it with apt-get install chromium (or name one in $EXPORT_CHROMIUM) to run this test")
	}
	ctx, cancel, err := headless.Start(context.Background(), exe, 1280, 900)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return ctx
}

// cspWatch records, in every document the tab loads and before any script
// of the page runs, each securitypolicyviolation event. DevTools adds it,
// so the page's own policy does not apply to it.
const cspWatch = `window.__exportTestCSP = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__exportTestCSP.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at line " + e.lineNumber);
}, true);`

// pageWatch is what the pages of a tab did: every request, every console
// message and uncaught exception, every entry of the browser's log (where
// Chromium reports a refused resource and a CSP violation), every dialog.
type pageWatch struct {
	ctx      context.Context
	mu       sync.Mutex
	requests []string
	messages []string
	dialogs  []string
}

// watch starts watching the tab; call it before navigating.
func watch(t *testing.T, ctx context.Context) *pageWatch {
	t.Helper()
	w := &pageWatch{ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		// This runs in the tab's event loop: record, and send no command here.
		w.mu.Lock()
		defer w.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			w.requests = append(w.requests, ev.Request.URL)
		case *runtime.EventConsoleAPICalled:
			var args []string
			for _, a := range ev.Args {
				if len(a.Value) > 0 {
					args = append(args, string(a.Value))
				} else {
					args = append(args, a.Description)
				}
			}
			w.messages = append(w.messages, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil {
				text += " " + d.Exception.Description
			}
			w.messages = append(w.messages, fmt.Sprintf("exception at %d:%d: %s", d.LineNumber+1, d.ColumnNumber+1, text))
		case *cdplog.EventEntryAdded:
			w.messages = append(w.messages, fmt.Sprintf("log %s %s: %s", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text))
		case *page.EventJavascriptDialogOpening:
			w.dialogs = append(w.dialogs, fmt.Sprintf("%s: %s", ev.Type, ev.Message))
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		t.Fatal(err)
	}
	return w
}

// open loads the file at path from file:// and waits until it is loaded
// and one frame is rendered.
func open(t *testing.T, ctx context.Context, path string) string {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	u := "file://" + filepath.ToSlash(abs)
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("opening %s: %v", u, err)
	}
	rendered(t, ctx)
	return u
}

// rendered waits for the next frame the page renders.
func rendered(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](
		`new Promise(function (done) { requestAnimationFrame(function () { setTimeout(done, 0); }); })`,
		chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
}

// trouble lists what the page did beyond loading the document at docURL:
// any other request (a data: URL is not one: it is in the page), console
// message, exception, log entry, CSP violation or dialog.
func (w *pageWatch) trouble(t *testing.T, docURL string) []string {
	t.Helper()
	violations, err := chromedp.Run(w.ctx, evaluate[[]string](`window.__exportTestCSP || ["the CSP watch did not run"]`))
	if err != nil {
		t.Fatal(err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, r := range w.requests {
		if r != docURL && !strings.HasPrefix(r, "data:") {
			out = append(out, "request "+r)
		}
	}
	out = append(out, w.messages...)
	for _, v := range violations {
		out = append(out, "CSP violation: "+v)
	}
	for _, d := range w.dialogs {
		out = append(out, "dialog "+d)
	}
	return out
}

// evaluate is chromedp.Evaluate, awaiting a promise the expression returns.
func evaluate[T any](js string) chromedp.Action[T] {
	return chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise)
}

// colorScheme emulates prefers-color-scheme (light or dark) and checks
// that the page sees it.
func colorScheme(t *testing.T, ctx context.Context, scheme string) {
	t.Helper()
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ok, err := chromedp.Run(ctx, evaluate[bool](`matchMedia("(prefers-color-scheme: `+scheme+`)").matches`))
	if err != nil || !ok {
		t.Fatalf("prefers-color-scheme: %s is not emulated (%v)", scheme, err)
	}
	rendered(t, ctx)
}

// axeViolation is one rule that axe-core found broken, with (some of) the
// elements that break it.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

func (v axeViolation) String() string {
	return fmt.Sprintf("%s (%s): %s, at %s", v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
}

// axeTags are the rules axe runs: WCAG 2.0, 2.1 and 2.2, A and AA, and
// axe's best practices.
const axeTags = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]`

// axeRun injects axe-core into the page, through DevTools (the page's CSP
// does not apply to it), runs it on the whole document and returns the
// violations. It fails the test when axe checked nothing.
func axeRun(t *testing.T, ctx context.Context, axe string) []axeViolation {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		t.Fatalf("injecting axe-core: %v", err)
	}
	raw, err := chromedp.Run(ctx, evaluate[[]byte](`axe.run(document, {runOnly: {type: "tag", values: `+axeTags+`}}).then(function (r) {
  return {
    passes: r.passes.length,
    violations: r.violations.map(function (v) {
      return {id: v.id, impact: v.impact || "", help: v.help,
        targets: v.nodes.slice(0, 5).map(function (n) { return n.target.join(" "); })};
    })
  };
})`))
	if err != nil {
		t.Fatalf("running axe-core: %v", err)
	}
	var res struct {
		Passes     int            `json:"passes"`
		Violations []axeViolation `json:"violations"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatalf("axe-core's result %s: %v", raw, err)
	}
	if res.Passes == 0 && len(res.Violations) == 0 {
		t.Fatal("axe-core checked no rule")
	}
	return res.Violations
}

// TestInteropBrowserHarness shows that the watches of the browser tests
// catch what they watch for: a request to another host, a console error,
// an uncaught exception, a CSP violation, a dialog (what an injected
// script would open) and an accessibility violation each appear, on pages
// made to have them, and a clean page has none.
func TestInteropBrowserHarness(t *testing.T) {
	axe := axeSource(t)
	ctx := browser(t)
	dir := t.TempDir()
	const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'">`
	page := func(head, body string) string {
		return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` + head +
			`<title>t</title></head><body><main><h1>t</h1>` + body + `</main></body></html>`
	}
	cases := []struct {
		name, html string
		want       []string // each is in some line of trouble
		axe        string   // a violation axe must find
	}{
		{name: "clean", html: page(csp, `<p>Nothing to see.</p>`)},
		{name: "request", html: page("", `<img src="http://report.invalid/x.png" alt="x">`), want: []string{"request http://report.invalid/x.png"}},
		{name: "console", html: page("", `<script>console.error("boom")</script>`), want: []string{"console.error: \"boom\""}},
		{name: "exception", html: page("", `<script>null.x</script>`), want: []string{"exception"}},
		{name: "csp", html: page(csp, `<script>window.ran = 1</script><img src="http://report.invalid/y.png" alt="y">`),
			want: []string{"CSP violation: script-src-elem blocked inline", "CSP violation: img-src blocked http://report.invalid/y.png", "log security error"}},
		{name: "dialog", html: page("", `<script>alert(1)</script>`), want: []string{"dialog alert: 1"}},
		{name: "axe", html: page("", `<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">`), axe: "image-alt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tab, cancel := chromedp.NewContext(ctx)
			defer cancel()
			w := watch(t, tab)
			path := filepath.Join(dir, c.name+".html")
			if err := os.WriteFile(path, []byte(c.html), 0o644); err != nil {
				t.Fatal(err)
			}
			u := open(t, tab, path)
			got := w.trouble(t, u)
			if len(c.want) == 0 && len(got) > 0 {
				t.Errorf("a clean page: %q", got)
			}
			for _, want := range c.want {
				found := false
				for _, g := range got {
					found = found || strings.Contains(g, want)
				}
				if !found {
					t.Errorf("%q not seen; seen: %q", want, got)
				}
			}
			violations := axeRun(t, tab, axe)
			found := c.axe == ""
			for _, v := range violations {
				found = found || v.ID == c.axe
				if c.axe == "" {
					t.Errorf("axe on a clean page: %s", v)
				}
			}
			if !found {
				t.Errorf("axe did not find %s: %v", c.axe, violations)
			}
		})
	}
}
