package testmust

import (
	"errors"
	"strings"
	"testing"
)

func TestDoPanicsOnError(t *testing.T) {
	Do(nil)
	if got := Get(7, nil); got != 7 {
		t.Fatalf("Get = %d", got)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "test set-up failed: boom") {
			t.Fatalf("recovered %v", r)
		}
	}()
	N(0, errors.New("boom"))
	t.Fatal("N did not panic")
}

// fatalT records a Fatalf instead of stopping.
type fatalT struct {
	testing.TB
	msg string
}

func (f *fatalT) Helper()                        {}
func (f *fatalT) Fatalf(format string, a ...any) { f.msg = format }

func TestOKFailsTheTest(t *testing.T) {
	var ft fatalT
	OK(&ft, nil)
	if Getter("v", nil)(&ft) != "v" || ft.msg != "" {
		t.Fatalf("a nil error failed the test: %q", ft.msg)
	}
	Getter(0, errors.New("boom"))(&ft)
	if ft.msg == "" {
		t.Fatal("an error did not fail the test")
	}
}
