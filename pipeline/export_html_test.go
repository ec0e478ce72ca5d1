package pipeline

import "testing"

// CheckHTMLReport parses an HTML report as parseReport does (only the
// template's elements and attributes) and returns how many problems it
// shows and its verdict's data-valid, for the tests outside the package
// (FuzzPipeline).
func CheckHTMLReport(t *testing.T, out []byte) (problems int, valid string) {
	t.Helper()
	doc := parseReport(t, out)
	verdict := byClass(doc, "verdict")
	if len(verdict) != 1 {
		t.Fatalf("html: %d verdicts", len(verdict))
	}
	return len(byClass(doc, "problem")), nodeAttr(verdict[0], "data-valid")
}

// HTMLMaxProblems is how many problems the HTML report shows at most.
const HTMLMaxProblems = htmlMaxProblems
