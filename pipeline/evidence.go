package pipeline

import (
	"fmt"
	"strconv"
	"strings"

	"export/input"
	"export/schema"
)

// The evidence checks: what the record claims against what its source
// says. A field the record declares in derived is not checked.

// pageRange reads a source's pages when they are one page ("12") or a range
// ("190-191", with a hyphen or a dash): the first and last page.
func pageRange(pages string) (first, last int64, ok bool) {
	lo, hi, isRange := strings.Cut(strings.TrimSpace(pages), "-")
	if !isRange {
		lo, hi, isRange = strings.Cut(strings.TrimSpace(pages), "–")
	}
	first, err := strconv.ParseInt(strings.TrimSpace(lo), 10, 64)
	if err != nil || first < 1 {
		return 0, 0, false
	}
	if !isRange {
		return first, first, true
	}
	last, err = strconv.ParseInt(strings.TrimSpace(hi), 10, 64)
	if err != nil || last < first {
		return 0, 0, false
	}
	return first, last, true
}

// checkPage checks a record's page against its source's pages.
func checkPage(it *input.Item, prov *schema.Provenance, derived schema.Derived, src *schema.Source) []Problem {
	if prov.Page == nil || derived["page"] != "" || it.HasProblem("page") {
		return nil
	}
	first, last, ok := pageRange(src.Pages)
	if !ok || first <= *prov.Page && *prov.Page <= last {
		return nil
	}
	where := fmt.Sprintf("page %d", first)
	if last > first {
		where = fmt.Sprintf("pages %d to %d", first, last)
	}
	return []Problem{{Severity: schema.Error, Pos: it.FieldPos("page", -1), Field: "page", Rule: ruleFigureStated,
		Message: fmt.Sprintf("%d is outside the source's pages (%s: %s); fix the page, or the source's pages, or declare the page in derived with the reason",
			*prov.Page, src.ID, where)}}
}

// The rules of the evidence checks.
const (
	ruleFigureStated = "figure_stated"
)
