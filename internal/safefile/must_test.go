package safefile

import "fmt"

// must stops a test whose own set-up failed (in any goroutine: the test
// binary fails); a set-up error is never ignored.
func must(err error) {
	if err != nil {
		panic(fmt.Sprintf("test set-up failed: %v", err))
	}
}

// mustN is must for a Write.
func mustN(_ int, err error) { must(err) }

// mustGet is must for a call that also returns a value.
func mustGet[T any](v T, err error) T {
	must(err)
	return v
}
