package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// asPlanrep makes the test binary run as planrep itself.
const asPlanrep = "PLANREP_TEST_AS_PLANREP"

// testDBDir holds the stores of this package's tests: each Globals made by
// testGlobals gets its own, and nothing is written beside the sources.
var (
	testDBDir string
	testDBs   atomic.Int64
)

func TestMain(m *testing.M) {
	if os.Getenv(asPlanrep) == "1" {
		// The test binary stands in for planrep (see planrepCmd).
		os.Exit(Run(&Globals{IO: System(), Now: time.Now}, os.Args[1:]))
	}
	dir, err := os.MkdirTemp("", "planrep-cmd-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	testDBDir = dir
	if err := os.Setenv("PLANREP_DB", filepath.Join(dir, "shared.db")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := m.Run()
	_ = os.RemoveAll(dir) // cleanup only: a leftover temp folder does not change the result
	os.Exit(code)
}

// testDB is a fresh store path.
func testDB() string {
	return filepath.Join(testDBDir, fmt.Sprintf("t%d.db", testDBs.Add(1)))
}
