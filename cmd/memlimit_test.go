package cmd

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"2GiB": 2 << 30, "1.5G": 3 << 29, "800MB": 800 << 20, "800m": 800 << 20, "4096": 4096, "0": 0, " 64 KiB ": 64 << 10} {
		got, err := parseSize(in)
		if err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "两G", "-1G", "1e30G", "NaN"} {
		if _, err := parseSize(bad); err == nil || !strings.Contains(err.Error(), "--memory-limit") {
			t.Errorf("parseSize(%q): %v", bad, err)
		}
	}
}

func TestApplyMemoryLimit(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetMemoryLimit(-1)
	restore, err := applyMemoryLimit("300MiB")
	if err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != 300<<20 {
		t.Errorf("limit %d", got)
	}
	if gc := debug.SetGCPercent(-1); gc != gcPercent {
		t.Errorf("GOGC %d; want %d below the limit", gc, gcPercent)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit not restored: %d", got)
	}
	if d := defaultMemoryLimit(); d < minDefaultLimit || d > maxDefaultLimit {
		t.Errorf("default %d", d)
	}
	if _, err := applyMemoryLimit("很多"); err == nil {
		t.Error("a bad size was accepted")
	}
}
