//go:build !noevidence

package pipeline

// evidenceChecks turns the checks of figures and countries against the
// quote on. Only a benchmark turns them off (go build -tags noevidence), to
// measure what they cost: users have no switch.
const evidenceChecks = true
