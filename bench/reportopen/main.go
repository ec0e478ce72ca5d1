// Command reportopen measures how long report.html takes to open in a
// browser (issue 14, item 4: under 3 s at 1,000,000 records and 10,000
// problems): headless Chromium (Debian's, through package bench/headless)
// opens each page from file:// R times, each time in a new tab, and the
// time of one opening is from the start of the navigation
// (performance.timeOrigin) until the first frame drawn after the load
// event, the page's own script having run. It prints one line per page,
// with the page's title, its size, the median and range of the openings,
// the navigation timing, what the page shows, and whether it is within the
// targets (-max-mb, -max-ms: the 5 MB and 3 s by default):
//
//	report.html (VALID: export report, 1000000 records, 0 errors, 0 warnings): 1.61 MB (1614057 bytes), median 1908 ms to load and render (5 runs: 1646–2859 ms, in order 2859 1974 1908 1646 1695; DOMContentLoaded 1039 ms, load 1093 ms), 31578 elements, 0 problems and 900 figures shown; under 5 MB and 3000 ms: yes
//
//	go run ./bench/reportopen [-r 5] report.html ...
//
// bench/report.sh generates the data, writes the reports and runs it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"export/bench/headless"
)

func main() {
	r := flag.Int("r", 5, "openings of each page; the median is printed")
	maxMB := flag.Float64("max-mb", 5, "the target page size, in MB (10⁶ bytes)")
	maxMS := flag.Float64("max-ms", 3000, "the target median time to load and render, in ms")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: reportopen [-r N] report.html ...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 || *r < 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Args(), *r, *maxMB, *maxMS); err != nil {
		fmt.Fprintln(os.Stderr, "reportopen:", err)
		os.Exit(2)
	}
}

// opening is what one opening of a page measured, in milliseconds from
// the start of the navigation, and what the page holds.
type opening struct {
	Rendered float64 `json:"rendered"` // the first frame after the load event
	DOM      float64 `json:"dom"`      // DOMContentLoaded ended
	Load     float64 `json:"load"`     // the load event ended
	Elements int     `json:"elements"`
	Problems int     `json:"problems"`
	Figures  int     `json:"figures"`
	Filter   bool    `json:"filter"` // the page's script ran (it shows the filter bar)
	Title    string  `json:"title"`
}

// measure runs in the page once it has loaded: it waits for the next
// frame and the task after it (so the frame is drawn), then reads the
// clock and the navigation timing.
const measure = `new Promise(function (done) {
  requestAnimationFrame(function () {
    setTimeout(function () {
      var nav = performance.getEntriesByType("navigation")[0];
      var bar = document.getElementById("filterbar");
      done({
        rendered: performance.now(),
        dom: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
        elements: document.getElementsByTagName("*").length,
        problems: document.querySelectorAll(".problem").length,
        figures: document.querySelectorAll(".figure").length,
        filter: !!bar && !bar.hidden,
        title: document.title
      });
    }, 0);
  });
})`

func run(paths []string, r int, maxMB, maxMS float64) error {
	exe := headless.Path()
	if exe == "" {
		return fmt.Errorf("no Chromium: install it with apt-get install chromium, or name one in $EXPORT_CHROMIUM")
	}
	ctx, cancel, err := headless.Start(context.Background(), exe, 1280, 900)
	if err != nil {
		return err
	}
	defer cancel()
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		st, err := os.Stat(abs)
		if err != nil {
			return err
		}
		var runs []opening
		for range r {
			o, err := open(ctx, "file://"+filepath.ToSlash(abs))
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			if !o.Filter {
				return fmt.Errorf("%s: the page's script did not run (its filter bar is hidden)", p)
			}
			runs = append(runs, o)
		}
		med := func(f func(opening) float64) float64 {
			v := make([]float64, len(runs))
			for i, o := range runs {
				v[i] = f(o)
			}
			slices.Sort(v)
			if len(v)%2 == 1 {
				return v[len(v)/2]
			}
			return (v[len(v)/2-1] + v[len(v)/2]) / 2
		}
		rendered := func(o opening) float64 { return o.Rendered }
		lo := slices.MinFunc(runs, func(a, b opening) int { return int(a.Rendered - b.Rendered) }).Rendered
		hi := slices.MaxFunc(runs, func(a, b opening) int { return int(a.Rendered - b.Rendered) }).Rendered
		o := runs[0]
		mb, ms := float64(st.Size())/1e6, med(rendered)
		met := "yes"
		if mb >= maxMB || ms >= maxMS {
			met = "no"
		}
		var order []string
		for _, o := range runs {
			order = append(order, fmt.Sprintf("%.0f", o.Rendered))
		}
		fmt.Printf("%s (%s): %.2f MB (%d bytes), median %.0f ms to load and render (%d runs: %.0f–%.0f ms, in order %s; DOMContentLoaded %.0f ms, load %.0f ms), %d elements, %d problems and %d figures shown; under %g MB and %g ms: %s\n",
			p, o.Title, mb, st.Size(), ms, len(runs), lo, hi, strings.Join(order, " "),
			med(func(o opening) float64 { return o.DOM }), med(func(o opening) float64 { return o.Load }),
			o.Elements, o.Problems, o.Figures, maxMB, maxMS, met)
	}
	return nil
}

// open opens the page in a new tab and measures it.
func open(browser context.Context, u string) (opening, error) {
	tab, cancel := chromedp.NewContext(browser)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(tab, 2*time.Minute)
	defer cancelTimeout()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		return opening{}, err
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](measure, chromedp.EvalAwaitPromise))
	if err != nil {
		return opening{}, err
	}
	var o opening
	if err := json.Unmarshal(raw, &o); err != nil {
		return opening{}, fmt.Errorf("the page's timing %s: %w", raw, err)
	}
	return o, nil
}
