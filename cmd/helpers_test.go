package cmd

import (
	"encoding/json"
	"os"
	"testing"

	"planrep/internal/testmust"
	"planrep/plan"
	"planrep/seeds"
)

// defaultPlan loads the embedded plan, failing the test if it cannot.
func defaultPlan(t testing.TB) *plan.Plan {
	t.Helper()
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// mustWrite writes a test's input file, failing the test if it cannot.
func mustWrite(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// mustJSON writes v as JSON to path.
func mustJSON(t testing.TB, path string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, path, data)
}

// must stops a test whose own set-up failed (in any goroutine: the test
// binary fails); a set-up error is never ignored.
var must = testmust.Do

func mustGet[T any](v T, err error) T { return testmust.Get(v, err) }

// cumulativeTarget is the first cumulative target of p with a goal of at
// least 10: one whose values the year's tests can move.
func cumulativeTarget(t *testing.T, p *plan.Plan) plan.Target {
	t.Helper()
	for _, tg := range p.Targets {
		if tg.Kind == plan.Cumulative && tg.Value != nil && *tg.Value >= 10 {
			return tg
		}
	}
	t.Fatal("the plan has no cumulative target of 10 or more")
	return plan.Target{}
}
