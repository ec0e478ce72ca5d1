//go:build noevidence

package pipeline

// evidenceChecks is off in a build for measuring the cost of the checks
// (bench/run.sh builds export with -tags noevidence beside the real one).
const evidenceChecks = false
