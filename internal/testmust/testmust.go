// Package testmust stops a test whose own set-up failed: a set-up error is
// never ignored. It is imported by tests only.
//
// Two ways are offered. Do, N and Get panic, so they may be called from any
// goroutine (the test binary then fails). OK and Getter call t.Fatal, so they
// belong in the test's own goroutine, and name the test that failed.
package testmust

import (
	"fmt"
	"testing"
)

// Do panics when err is not nil.
func Do(err error) {
	if err != nil {
		panic(fmt.Sprintf("test set-up failed: %v", err))
	}
}

// N is Do for a Write.
func N(_ int, err error) { Do(err) }

// Get is Do for a call that also returns a value.
func Get[T any](v T, err error) T {
	Do(err)
	return v
}

// OK stops the test t when err is not nil.
func OK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("test set-up failed: %v", err)
	}
}

// Getter is OK for a call that also returns a value: Getter(f())(t).
func Getter[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		OK(t, err)
		return v
	}
}
