package workbook

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// Every return any test of this package collects is read twice, by the
// reader's own XML tokenizer and by encoding/xml's alone (Options.StdXML),
// and the test run fails if the two disagree on anything: problem, stamp,
// header block, rows, cells. scripts/readerproof does the same on a whole
// folder, comparing round.json byte for byte.
var (
	disagreeMu sync.Mutex
	disagree   []string
	compared   int
)

func init() {
	readReturnWith = func(name string, data []byte, limit int64) (*returnData, *fileProblem) {
		a, pa := readReturnStd(name, data, limit)
		b, pb := readReturnStream(name, data, limit)
		disagreeMu.Lock()
		defer disagreeMu.Unlock()
		compared++
		if !reflect.DeepEqual(pa, pb) || !reflect.DeepEqual(a, b) {
			disagree = append(disagree, fmt.Sprintf("%s (%d bytes):\n  encoding/xml: %s\n  tokenizer:    %s", name, len(data), show(a, pa), show(b, pb)))
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
		fmt.Fprintf(os.Stderr, "FAIL: the two XML readers disagree on %d of %d returns read:\n%s\n", len(disagree), compared, strings.Join(disagree[:min(len(disagree), 5)], "\n"))
		code = 1
	} else if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "the two XML readers agree on all %d returns read\n", compared)
	}
	disagreeMu.Unlock()
	os.Exit(code)
}
