// Command floor is the floor a reader of returns is measured against: it
// reads every .xlsx file under the folders given, inflates every entry of
// each (CRC checked) and scans every byte of it once, and does nothing else.
// scripts/scale.sh times it beside planrep collect.
package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: floor FOLDER...")
		os.Exit(2)
	}
	var files []string
	for _, dir := range os.Args[1:] {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(strings.ToLower(p), ".xlsx") {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	type total struct{ files, entries, bytes, tags, bad int64 }
	var (
		mu  sync.Mutex
		sum total
		wg  sync.WaitGroup
	)
	jobs := make(chan string)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 64<<10)
			for p := range jobs {
				var t total
				t.files = 1
				if err := scan(p, buf, &t.entries, &t.bytes, &t.tags); err != nil {
					t.bad = 1
				}
				mu.Lock()
				sum.files, sum.entries, sum.bytes, sum.tags, sum.bad = sum.files+t.files, sum.entries+t.entries, sum.bytes+t.bytes, sum.tags+t.tags, sum.bad+t.bad
				mu.Unlock()
			}
		}()
	}
	for _, p := range files {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	fmt.Printf("files %d, entries %d, inflated %d bytes, %d tags, %d unreadable\n", sum.files, sum.entries, sum.bytes, sum.tags, sum.bad)
}

// scan inflates every entry of one file and counts its tags.
func scan(p string, buf []byte, entries, n, tags *int64) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		*entries++
		for {
			k, err := rc.Read(buf)
			*n += int64(k)
			*tags += int64(bytes.Count(buf[:k], []byte{'<'}))
			if err == io.EOF {
				break
			}
			if err != nil {
				rc.Close()
				return err
			}
		}
		rc.Close()
	}
	return nil
}
