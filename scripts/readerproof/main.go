// Command readerproof collects a folder of returns twice, once with the
// return reader's own XML tokenizer and once with encoding/xml's token
// reader alone (workbook.Options.StdXML), and compares the two round.json
// byte for byte. It exits 1 when they differ.
//
// usage: go run ./scripts/readerproof PLAN.yaml FOLDER...
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"planrep/plan"
	"planrep/workbook"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: readerproof PLAN.yaml FOLDER...")
		os.Exit(2)
	}
	p, _, err := plan.Load(os.DirFS(filepath.Dir(os.Args[1])), filepath.Base(os.Args[1]))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	round := func(std bool) []byte {
		start := time.Now()
		res, err := workbook.Collect(p, os.Args[2:], workbook.Options{StdXML: std})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		b, err := workbook.MarshalRound(res.Round)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Fprintf(os.Stderr, "std=%v: %d files in %v\n", std, len(res.Round.Files), time.Since(start).Round(time.Millisecond))
		return b
	}
	own, std := round(false), round(true)
	if !bytes.Equal(own, std) {
		fmt.Printf("round.json DIFFERS: %d bytes with the tokenizer, %d with encoding/xml\n", len(own), len(std))
		os.Exit(1)
	}
	fmt.Printf("round.json identical: %d bytes, %d files\n", len(own), bytes.Count(own, []byte(`"sha256"`)))
}
