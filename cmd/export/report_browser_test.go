package main

// report.html in a real browser (issue 14, item 5): Debian's Chromium,
// headless, driven by chromedp, opens the page that export run writes from
// file://, as a reviewer opens a CI artifact. The page loads with no
// request but itself, no console message, no exception and no CSP
// violation; its inline style and script run under its own policy; the
// words it highlights are the ones figures.json says state each figure;
// the filter box filters; axe-core finds no accessibility violation in the
// light or the dark colour scheme; a hostile text in every field renders
// as text. The page's hooks (ids, classes, data attributes) are listed at
// the top of pipeline/htmlreport/report.html.tmpl.
//
// A screenshot of the default dataset's report is written to the test's
// artifact directory (go test -artifacts keeps it; the path is logged),
// and with -screenshot FILE to FILE too. docs/report.png, which the
// README shows, is regenerated with:
//
//	go test ./cmd/export -run 'TestInteropBrowserReport$' -args -screenshot ../../docs/report.png

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"export/pipeline/textnorm"
)

var screenshotFile = flag.String("screenshot", "", "also write the screenshot of the default dataset's report.html to this PNG `file`")

// exportRun runs export run --quiet -o DIR with args and returns DIR.
func exportRun(t *testing.T, args ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runBin(t, t.TempDir(), append([]string{"run", "--quiet", "-o", out}, args...)...)
	if code != 0 {
		t.Fatalf("export run %q: exit %d\n%s", args, code, stderr)
	}
	return out
}

// statedWords reads figures.json: record id -> field -> the words that
// state it.
func statedWords(t *testing.T, path string) map[string]map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for key, raw := range doc {
		var records []struct {
			ID     string `json:"id"`
			Stated map[string]struct {
				Text string `json:"text"`
			} `json:"stated"`
		}
		if key == "sources" || json.Unmarshal(raw, &records) != nil {
			continue // not a kind's records
		}
		for _, r := range records {
			words := map[string]string{}
			for field, s := range r.Stated {
				words[field] = s.Text
			}
			out[r.ID] = words
		}
	}
	return out
}

// pageStated reads the page: record id -> field -> the text of its
// mark.stated[data-field] inside the figure's mark.quote. It fails on a
// stated mark outside the quote, a card with no id, and a field marked
// twice.
const pageStated = `(function () {
  var out = {}, bad = [];
  document.querySelectorAll(".figure").forEach(function (card) {
    var id = card.dataset.id, words = {};
    if (!id) { bad.push("a .figure with no data-id"); return; }
    card.querySelectorAll("mark.stated").forEach(function (m) {
      if (!m.closest("mark.quote")) { bad.push(id + ": a mark.stated outside mark.quote"); }
      (m.dataset.field || "").split(/\s+/).filter(Boolean).forEach(function (f) {
        if (f in words) { bad.push(id + ": " + f + " marked twice"); }
        words[f] = m.textContent;
      });
    });
    out[id] = words;
  });
  return {stated: out, bad: bad};
})()`

// sameWords says whether the page's marked words are the stated ones.
// The page marks the source's words, figures.json gives the quote's: the
// two may differ as the quote matcher allows (white space, ligatures,
// curly quotes and dashes, which textnorm folds), and a word the source
// breaks at a line end ("enter-" "prises") is shown with its hyphen.
func sameWords(marked, stated string) bool {
	fold := func(s string) string {
		return strings.NewReplacer(string(textnorm.Shy), "", "-", "").Replace(string(textnorm.Append(nil, s, textnorm.Quote)))
	}
	return fold(marked) == fold(stated)
}

// visibleRows counts the problems and figures the reader sees.
const visibleRows = `Array.prototype.filter.call(document.querySelectorAll(".problem, .figure"), function (e) { return e.checkVisibility(); }).length`

// clearFilter empties the filter box without an input event: the
// keys typed next give it one.
var clearFilter = chromedp.Evaluate[chromedp.Void](`document.getElementById("filter").value = ""`)

// TestInteropBrowserReport opens the default dataset's report.html.
func TestInteropBrowserReport(t *testing.T) {
	axe := axeSource(t)
	ctx := browser(t)
	out := exportRun(t)
	w := watch(t, ctx)
	u := open(t, ctx, filepath.Join(out, "report.html"))

	t.Run("loads with no request, message or CSP violation", func(t *testing.T) {
		if got := w.trouble(t, u); len(got) > 0 {
			t.Errorf("the page, opened from %s:\n%s", u, strings.Join(got, "\n"))
		}
		// The policy is the page's own, and its inline style and script
		// ran under it: the script shows the filter bar, the style sets a
		// width on main.
		csp, err := chromedp.Run(ctx, evaluate[string](`(document.querySelector('meta[http-equiv="Content-Security-Policy"]') || {}).content || ""`))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"default-src 'none'", "style-src 'sha256-", "script-src 'sha256-"} {
			if !strings.Contains(csp, want) {
				t.Errorf("the page's Content-Security-Policy %q lacks %q", csp, want)
			}
		}
		ran, err := chromedp.Run(ctx, evaluate[bool](`!document.getElementById("filterbar").hidden`))
		if err != nil || !ran {
			t.Errorf("the inline script did not run (the filter bar is hidden): %v", err)
		}
		rules, err := chromedp.Run(ctx, evaluate[int](`document.styleSheets.length === 1 && document.styleSheets[0].cssRules.length`))
		if err != nil || rules == 0 {
			t.Errorf("the inline style did not apply (%d rules): %v", rules, err)
		}
	})

	t.Run("marks the stated words", func(t *testing.T) {
		want := statedWords(t, filepath.Join(out, "figures.json"))
		raw, err := chromedp.Run(ctx, evaluate[[]byte](pageStated))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Stated map[string]map[string]string
			Bad    []string
		}
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		for _, b := range got.Bad {
			t.Error(b)
		}
		marks := 0
		for _, words := range want {
			marks += len(words)
		}
		if marks == 0 {
			t.Fatal("figures.json states no figure: the default dataset changed?")
		}
		for _, id := range slices.Sorted(maps.Keys(want)) {
			if !maps.EqualFunc(got.Stated[id], want[id], sameWords) {
				t.Errorf("%s: the page marks %q, figures.json states %q", id, got.Stated[id], want[id])
			}
		}
		if len(got.Stated) != len(want) {
			t.Errorf("the page has %d figures, figures.json %d", len(got.Stated), len(want))
		}
	})

	t.Run("the filter box filters", func(t *testing.T) {
		all, err := chromedp.Run(ctx, evaluate[int](visibleRows))
		if err != nil {
			t.Fatal(err)
		}
		ids := slices.Sorted(maps.Keys(statedWords(t, filepath.Join(out, "figures.json"))))
		rows := map[string]int{} // id -> its figure and problems
		counted, err := chromedp.Run(ctx, evaluate[[]string](`Array.prototype.map.call(document.querySelectorAll(".problem, .figure"), function (e) { return e.dataset.id; })`))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range counted {
			rows[id]++
		}
		if all != len(counted) || all < len(ids) {
			t.Fatalf("%d problems and figures shown before filtering, of %d in the page, for %d records", all, len(counted), len(ids))
		}
		for _, c := range append([]filterCase{{words: "no-record-has-these-words"}, {words: " ", want: all}}, idFilters(ids, rows)...) {
			if err := chromedp.Do(ctx, clearFilter, chromedp.SendKeys(chromedp.ID("filter"), c.words)); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(ctx, evaluate[int](visibleRows))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("typing %q: %d problems and figures shown, want %d", c.words, got, c.want)
			}
			if c.id != "" {
				others, err := chromedp.Run(ctx, evaluate[[]string](`Array.prototype.filter.call(document.querySelectorAll(".problem, .figure"), function (e) { return e.checkVisibility() && e.dataset.id !== `+strconv.Quote(c.id)+`; }).map(function (e) { return e.id; })`))
				if err != nil {
					t.Fatal(err)
				}
				if len(others) > 0 {
					t.Errorf("typing %q shows rows of other records: %q", c.words, others)
				}
			}
			shown, _ := chromedp.Run(ctx, evaluate[string](`document.getElementById("shown").textContent`))
			if wantShown := fmt.Sprintf("%d of %d shown", c.want, all); strings.TrimSpace(c.words) != "" && shown != wantShown {
				t.Errorf("typing %q: the count reads %q, want %q", c.words, shown, wantShown)
			}
		}
		if err := chromedp.Do(ctx, clearFilter, chromedp.SendKeys(chromedp.ID("filter"), " ")); err != nil {
			t.Fatal(err)
		}
		if got, _ := chromedp.Run(ctx, evaluate[int](visibleRows)); got != all {
			t.Errorf("after clearing the filter, %d shown, want %d", got, all)
		}
		if got := w.trouble(t, u); len(got) > 0 {
			t.Errorf("while filtering:\n%s", strings.Join(got, "\n"))
		}
	})

	t.Run("without JavaScript everything is shown", func(t *testing.T) {
		tab, cancel := chromedp.NewContext(ctx)
		defer cancel()
		if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		// No watch here: its script would not run. Navigate waits for the
		// load event; no frame callback runs without scripts.
		abs, _ := filepath.Abs(filepath.Join(out, "report.html"))
		if err := chromedp.Do(tab, chromedp.Navigate("file://"+abs)); err != nil {
			t.Fatal(err)
		}
		raw, err := chromedp.Run(tab, evaluate[[]byte](`({rows: document.querySelectorAll(".problem, .figure").length, shown: `+visibleRows+`,
  bar: document.getElementById("filterbar").checkVisibility(), marks: document.querySelectorAll("mark.stated").length})`))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Rows, Shown, Marks int
			Bar                bool
		}
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		if got.Rows == 0 || got.Shown != got.Rows || got.Marks == 0 {
			t.Errorf("without JavaScript, %d of %d problems and figures are shown, with %d stated words marked", got.Shown, got.Rows, got.Marks)
		}
		if got.Bar {
			t.Error("without JavaScript, the filter box (which needs it) is shown")
		}
	})

	for _, scheme := range []string{"light", "dark"} {
		t.Run("axe-core in the "+scheme+" colour scheme", func(t *testing.T) {
			colorScheme(t, ctx, scheme)
			for _, v := range axeRun(t, ctx, axe) {
				t.Errorf("axe-core: %s", v)
			}
		})
	}
	t.Run("the dark colour scheme is dark", func(t *testing.T) {
		colorScheme(t, ctx, "dark")
		dark, _ := chromedp.Run(ctx, evaluate[string](`getComputedStyle(document.body).backgroundColor`))
		colorScheme(t, ctx, "light")
		light, _ := chromedp.Run(ctx, evaluate[string](`getComputedStyle(document.body).backgroundColor`))
		if dark == light {
			t.Errorf("the page's background is %s in both colour schemes", dark)
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		// A new tab: the page as a reader first sees it, not as the
		// subtests above left it.
		ctx, cancel := chromedp.NewContext(ctx)
		defer cancel()
		open(t, ctx, filepath.Join(out, "report.html"))
		colorScheme(t, ctx, "light")
		whole, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.ArtifactDir(), "report.png")
		if err := os.WriteFile(p, whole, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("the default dataset's report.html, as Chromium shows it (go test -artifacts keeps it): %s", p)
		if *screenshotFile == "" {
			return
		}
		// The README's picture: the page down to the first figure's card,
		// so that the verdict, the counts, the problems and a quote with
		// its stated words are in it.
		bottom, err := chromedp.Run(ctx, evaluate[float64](`Math.ceil(document.querySelector(".figure").getBoundingClientRect().bottom + scrollY + 24)`))
		if err != nil {
			t.Fatal(err)
		}
		top, err := chromedp.Run(ctx, func(ctx context.Context, tab *chromedp.Target) ([]byte, error) {
			r, err := cdp.Call(ctx, tab, page.CaptureScreenshot, page.CaptureScreenshotParams{
				Clip:                  &page.Viewport{Width: 1280, Height: bottom, Scale: 1},
				CaptureBeyondViewport: new(true),
			})
			return r.Data, err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(*screenshotFile, top, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("the page down to its first figure: %s", *screenshotFile)
	})
}

// filterCase is words typed in the filter box and how many problems and
// figures must stay shown; with id set, each must be that record's.
type filterCase struct {
	words, id string
	want      int
}

// idFilters types each record's id: the rows left are its figure and its
// problems (rows counts them by data-id).
func idFilters(ids []string, rows map[string]int) []filterCase {
	var out []filterCase
	for _, id := range ids {
		out = append(out, filterCase{words: id, id: id, want: rows[id]})
	}
	return out
}

// hostileStrings are the strings of the Big List of Naughty Strings
// (output/testdata/blns) that hold markup characters (<, >, &, quotes,
// backticks) and no control character (which the nocontrol rule refuses
// before any page shows them), and some more that, if they ever became
// markup, would set window.__hostile or open a dialog.
func hostileStrings(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "output", "testdata", "blns", "blns.txt"))
	if err != nil {
		t.Fatal(err)
	}
	strs := []string{
		`<script>window.__hostile = 1</script>`,
		`"><img src=x onerror="window.__hostile = 2">`,
		`'><svg onload=window.__hostile=3>`,
		`</mark></blockquote></pre><script>window.__hostile = 4</script>`,
		`javascript:window.__hostile = 5`,
		`<!-- {{.}} ]]> <style>body{display:none}</style>`,
		`&lt;b&gt; &amp; &#60;i&#62; &nbsp;`,
	}
	for _, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "#") || !strings.ContainsAny(l, "<>&\"'`") ||
			strings.ContainsFunc(l, func(r rune) bool { return r < 0x20 || r >= 0x7f && r < 0xa0 }) {
			continue
		}
		strs = append(strs, l)
	}
	if len(strs) < 200 {
		t.Fatalf("only %d hostile strings in blns.txt", len(strs))
	}
	return strs
}

// hostileDataset writes into dir one source and one record per string,
// with the string in every free-text field of both (the quote after a
// sentence that states the record's figures, the derived reason after a
// prefix), and a source text that holds every quote.
func hostileDataset(t *testing.T, dir string, strs []string) {
	t.Helper()
	var data, text strings.Builder
	data.WriteString("{\"sources\": [\n")
	for i, s := range strs {
		src := map[string]any{"id": fmt.Sprintf("s-%03d", i), "title": s, "chapter": s, "pages": s, "publisher": s, "text": "text.txt"}
		data.Write(rawJSON(src))
		if i < len(strs)-1 {
			data.WriteString(",")
		}
		data.WriteString("\n")
	}
	data.WriteString("],\n\"records\": [\n")
	for i, s := range strs {
		quote := "South Korea had invested 3 billion US dollars in Kazakhstan. " + s
		rec := map[string]any{
			"id": fmt.Sprintf("r-%03d", i), "kind": "investment_total", "investor": "KR", "recipient": "KZ",
			"amount": 3000000000, "currency": "USD", "as_of": "2008-09-30", "source": fmt.Sprintf("s-%03d", i),
			"quote": quote, "citation": s, "authority": s, "note": s,
			"derived": map[string]string{"as_of": "the date of the table: " + s},
		}
		data.Write(rawJSON(rec))
		if i < len(strs)-1 {
			data.WriteString(",")
		}
		data.WriteString("\n")
		text.WriteString(quote + "\n\n")
	}
	data.WriteString("]}\n")
	if err := os.WriteFile(filepath.Join(dir, "hostile.json"), []byte(data.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "text.txt"), []byte(text.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// rawJSON is v in JSON with < > & as they are (json.Marshal writes
// \u003c for <): the input lines the problems show are then hostile too.
func rawJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// defused is s with its markup characters replaced by one that is not,
// for the control page: the same records, the same problems, no markup.
func defused(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune("<>&\"'`", r) {
			return '_'
		}
		return r
	}, s)
}

// pageShape counts the page's elements by tag and attributes by name, and
// lists what a script injected by the data would have left.
const pageShape = `(function () {
  var tags = {}, attrs = {}, els = document.getElementsByTagName("*");
  for (var i = 0; i < els.length; i++) {
    var e = els[i];
    tags[e.localName] = (tags[e.localName] || 0) + 1;
    for (var j = 0; j < e.attributes.length; j++) {
      var a = e.attributes[j].name;
      attrs[a] = (attrs[a] || 0) + 1;
    }
  }
  return {tags: tags, attrs: attrs, hostile: typeof window.__hostile === "undefined" ? "" : String(window.__hostile),
    text: document.body.textContent.replace(/\s+/g, " ")};
})()`

type shape struct {
	Tags    map[string]int `json:"tags"`
	Attrs   map[string]int `json:"attrs"`
	Hostile string         `json:"hostile"`
	Text    string         `json:"text"`
}

// TestInteropBrowserHostileText puts every hostile string into every
// free-text field of a record and of its source, and opens the report
// that export validate --report html writes (the strings break some
// rules, so the problems show the input lines around them too). With the
// page's CSP (which would block an injected script) and again without it
// (so that one would run), no script of the data runs (window.__hostile
// stays undefined, no dialog opens) and the page has exactly the elements
// and attributes of the control page, made from the same dataset with the
// markup characters replaced; every string is in the page's text.
func TestInteropBrowserHostileText(t *testing.T) {
	ctx := browser(t)
	strs := hostileStrings(t)
	pages := map[string]string{}
	for name, strs := range map[string][]string{"hostile": strs, "control": mapStrings(strs, defused)} {
		dir := filepath.Join(t.TempDir(), name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		hostileDataset(t, dir, strs)
		code, stdout, stderr := runBin(t, t.TempDir(), "validate", "--report", "html", dir)
		if code != 0 && code != 1 {
			t.Fatalf("export validate --report html on the %s dataset: exit %d\n%s", name, code, stderr)
		}
		pages[name] = filepath.Join(dir, "report.html")
		if err := os.WriteFile(pages[name], []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	shapes := map[string]shape{}
	for _, bypass := range []bool{false, true} {
		for _, name := range []string{"control", "hostile"} {
			tab, cancel := chromedp.NewContext(ctx)
			defer cancel()
			if _, err := chromedp.Call(tab, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: bypass}); err != nil {
				t.Fatal(err)
			}
			w := watch(t, tab)
			u := open(t, tab, pages[name])
			what := fmt.Sprintf("the %s page (CSP bypassed: %v)", name, bypass)
			if got := w.trouble(t, u); len(got) > 0 {
				t.Errorf("%s:\n%s", what, strings.Join(got, "\n"))
			}
			raw, err := chromedp.Run(tab, evaluate[[]byte](pageShape))
			if err != nil {
				t.Fatal(err)
			}
			var s shape
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatal(err)
			}
			if s.Hostile != "" {
				t.Errorf("%s: a script of the data ran (window.__hostile = %s)", what, s.Hostile)
			}
			shapes[name] = s
		}
		control, hostile := shapes["control"], shapes["hostile"]
		if d := countDiff(hostile.Tags, control.Tags); d != "" {
			t.Errorf("CSP bypassed: %v: elements by tag, hostile page against control page: %s", bypass, d)
		}
		if d := countDiff(hostile.Attrs, control.Attrs); d != "" {
			t.Errorf("CSP bypassed: %v: attributes by name, hostile page against control page: %s", bypass, d)
		}
	}
	missing := 0
	for _, s := range strs {
		if !strings.Contains(shapes["hostile"].Text, strings.Join(strings.Fields(s), " ")) {
			if missing++; missing <= 10 {
				t.Errorf("%q is not in the page's text", s)
			}
		}
	}
}

// countDiff says where two counts differ ("script: 2, want 1"), or "".
func countDiff(got, want map[string]int) string {
	keys := maps.Clone(got)
	maps.Copy(keys, want)
	var d []string
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if got[k] != want[k] {
			d = append(d, fmt.Sprintf("%s: %d, want %d", k, got[k], want[k]))
		}
	}
	return strings.Join(d, "; ")
}

func mapStrings(strs []string, f func(string) string) []string {
	out := make([]string, len(strs))
	for i, s := range strs {
		out[i] = f(s)
	}
	return out
}
