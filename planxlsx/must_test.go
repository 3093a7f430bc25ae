package planxlsx

import "planrep/internal/testmust"

// A set-up error is never ignored: must stops the test (from any goroutine).
var (
	must  = testmust.Do
	mustN = testmust.N
)

func mustGet[T any](v T, err error) T { return testmust.Get(v, err) }
