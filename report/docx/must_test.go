package docx

import "testing"

// Closing what was only read (a zip entry, a workbook opened to be read)
// and tearing down in t.Cleanup drop their errors on purpose: nothing a
// test checks depends on them.

// must stops the test when its own set-up failed: a set-up error is never
// ignored. It calls t.Fatal, so it belongs in the test's own goroutine only.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("test set-up failed: %v", err)
	}
}

// mustGet is must for a call that also returns a value: mustGet(f())(t).
func mustGet[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		must(t, err)
		return v
	}
}
