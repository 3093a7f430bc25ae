package cmd

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// Bounds of the default memory limit: an eighth of the machine's memory,
// at least 512 MiB and at most 4 GiB.
const (
	minDefaultLimit = 512 << 20
	maxDefaultLimit = 4 << 30
)

// machineMemory is the memory this process may use: the machine's, or its
// control group's when that is smaller; 0 when it cannot be told.
func machineMemory() int64 {
	var total int64
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				fs := strings.Fields(rest)
				if len(fs) > 0 {
					if kb, err := strconv.ParseInt(fs[0], 10, 64); err == nil {
						total = kb << 10
					}
				}
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && (total == 0 || n < total) {
			total = n
		}
	}
	return total
}

// defaultMemoryLimit is the limit collect works to when none is given.
func defaultMemoryLimit() int64 {
	m := machineMemory()
	if m <= 0 {
		return 1 << 30
	}
	return min(max(m/8, minDefaultLimit), maxDefaultLimit)
}

// parseSize reads a size such as 2GiB, 1.5G, 800MB, 800M or a number of bytes.
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := 1.0
	for _, u := range []struct {
		suffix string
		mult   float64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) || v*mult > math.MaxInt64/2 {
		return 0, fmt.Errorf("--memory-limit 的值“%s”无法识别：请写成 2GiB、1500MB 这样的大小，0 表示不设上限", s)
	}
	return int64(v * mult), nil
}

// gcPercent is the pace of the collector under the limit: the heap may grow
// to five times what is live. Reading returns makes much short-lived
// garbage against a small live heap (a city's registry is about 10 MB), and
// collecting it at Go's usual pace costs CPU for no purpose while memory is
// free; a large registry reaches the limit first, and then the collector
// works to the limit.
const gcPercent = 400

// applyMemoryLimit sets the soft memory limit collect works to and the
// collector's pace below it. flag is --memory-limit ("" for the default; "0"
// for no limit and Go's usual pace). GOGC and GOMEMLIMIT set in the
// environment win. It returns a function that restores the previous settings.
func applyMemoryLimit(flag string) (restore func(), err error) {
	limit := defaultMemoryLimit()
	if flag != "" {
		if limit, err = parseSize(flag); err != nil {
			return func() {}, err
		}
	}
	if limit == 0 || (flag == "" && os.Getenv("GOMEMLIMIT") != "") {
		return func() {}, nil
	}
	oldLimit := debug.SetMemoryLimit(limit)
	oldGC := -2
	if os.Getenv("GOGC") == "" {
		oldGC = debug.SetGCPercent(gcPercent)
	}
	return func() {
		if oldGC != -2 {
			debug.SetGCPercent(oldGC)
		}
		debug.SetMemoryLimit(oldLimit)
	}, nil
}
