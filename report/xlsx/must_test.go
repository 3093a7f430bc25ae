package xlsx

import (
	"testing"

	"planrep/internal/testmust"
)

// Closing what was only read (a zip entry, a workbook opened to be read)
// and tearing down in t.Cleanup drop their errors on purpose: nothing a
// test checks depends on them.

// must stops the test when its own set-up failed (t.Fatal: the test's own
// goroutine only); mustGet(f())(t) does so for a call that returns a value.
var must = testmust.OK

func mustGet[T any](v T, err error) func(testing.TB) T { return testmust.Getter(v, err) }
