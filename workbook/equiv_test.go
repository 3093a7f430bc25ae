package workbook

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"planrep/plan"
)

// Until the excelize reader is retired, every return any test of this
// package collects is read by both readers, and the test run fails if they
// disagree on anything: problem, stamp, header block, rows, cells.
var (
	disagreeMu sync.Mutex
	disagree   []string
	compared   int
)

func init() {
	readReturnWith = func(name string, data []byte, limit int64) (*returnData, *fileProblem) {
		a, pa := readReturn(name, data, limit)
		b, pb := readReturnStream(name, data, limit)
		disagreeMu.Lock()
		defer disagreeMu.Unlock()
		compared++
		if !reflect.DeepEqual(pa, pb) || !reflect.DeepEqual(a, b) {
			disagree = append(disagree, fmt.Sprintf("%s (%d bytes):\n  excelize: %s\n  stream:   %s", name, len(data), show(a, pa), show(b, pb)))
		}
		return b, pb
	}
}

func show(r *returnData, p *fileProblem) string {
	if p != nil {
		return fmt.Sprintf("problem %s %s", p.Code, p.Message)
	}
	return fmt.Sprintf("%+v", *r)
}

func TestMain(m *testing.M) {
	code := m.Run()
	disagreeMu.Lock()
	if len(disagree) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: the two readers disagree on %d of %d returns read:\n%s\n", len(disagree), compared, strings.Join(disagree[:min(len(disagree), 5)], "\n"))
		code = 1
	} else if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "readers agree on all %d returns read\n", compared)
	}
	disagreeMu.Unlock()
	os.Exit(code)
}

// TestEquivalenceCorpus collects the folders named in PLANREP_EQUIV (a
// list of plan.yaml=folder pairs, separated by commas) once with each reader
// alone and compares the two round.json byte for byte.
func TestEquivalenceCorpus(t *testing.T) {
	spec := os.Getenv("PLANREP_EQUIV")
	if spec == "" {
		t.Skip("set PLANREP_EQUIV=plan.yaml=folder,... to compare the readers on a corpus")
	}
	for _, pair := range strings.Split(spec, ",") {
		planFile, dir, ok := strings.Cut(pair, "=")
		if !ok {
			t.Fatalf("bad pair %q", pair)
		}
		p, _, err := plan.Load(os.DirFS(filepath.Dir(planFile)), filepath.Base(planFile))
		if err != nil {
			t.Fatal(err)
		}
		round := func(read func(string, []byte, int64) (*returnData, *fileProblem)) []byte {
			saved := readReturnWith
			readReturnWith = read
			defer func() { readReturnWith = saved }()
			res, err := Collect(p, []string{dir}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := MarshalRound(res.Round)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		old, stream := round(readReturn), round(readReturnStream)
		if !bytes.Equal(old, stream) {
			must(os.WriteFile(filepath.Join(t.TempDir(), "a"), old, 0o644))
			t.Errorf("%s: round.json differs (%d vs %d bytes)", dir, len(old), len(stream))
		} else {
			t.Logf("%s: round.json identical (%d bytes, %d files)", dir, len(old), bytes.Count(old, []byte(`"sha256"`)))
		}
	}
}
