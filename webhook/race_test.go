//go:build race

package webhook_test

// raceEnabled is true when the race detector is on, which slows code
// unevenly and makes timing comparisons meaningless.
const raceEnabled = true
