package workbook

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/templates"
)

// benchReturns writes n returns of the default plan into dir: every lead
// department in turn, each copy with its own 填报日期 and modification time.
func benchReturns(b testing.TB, dir string, n int) {
	p := loadPlan(b)
	depts := p.LeadDepts()
	const variants = 3
	data := map[string][][]byte{}
	for _, d := range depts {
		for v := 0; v < variants; v++ {
			day := fmt.Sprintf("2025-10-%02d", 1+v)
			data[d.Code] = append(data[d.Code], makeReturn(b, p, d.Code, func(f *excelize.File) {
				must(f.SetCellStr(templates.SheetQuant, templates.CellDate, day))
			}))
		}
	}
	base := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		d := depts[i%len(depts)]
		path := filepath.Join(dir, fmt.Sprintf("批次%02d", i/100), fmt.Sprintf("%04d_%s.xlsx", i, d.Short))
		writeFile(b, path, data[d.Code][i%variants])
		mt := base.Add(time.Duration(i) * time.Minute)
		must(os.Chtimes(path, mt, mt))
	}
}

// BenchmarkCollect reads, validates and merges 1,000 returns.
func BenchmarkCollect(b *testing.B) {
	p := loadPlan(b)
	dir := b.TempDir()
	benchReturns(b, dir, 1000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Collect(p, []string{dir}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Round.Files) != 1000 {
			b.Fatalf("%d files", len(res.Round.Files))
		}
	}
}

// BenchmarkCollectOutputs adds writing the outputs to a 1,000-return run.
func BenchmarkCollectOutputs(b *testing.B) {
	p := loadPlan(b)
	dir := b.TempDir()
	benchReturns(b, dir, 1000)
	out := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Collect(p, []string{dir}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := res.WriteOutputs(out); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuPerOp resets the timer and, when the returned function is called,
// reports the process's CPU time (user+sys, all threads, the collector's
// included) per operation: on a shared machine wall time says little.
func cpuPerOp(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		must(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	b.ResetTimer()
	start := cpu()
	return func() {
		b.StopTimer()
		b.ReportMetric(float64(cpu()-start)/float64(b.N), "cpu-ns/op")
	}
}

// TestWriteScaleReturns writes PLANREP_SCALE_N returns (default 1,000) into
// PLANREP_SCALE_DIR, for timing `planrep collect` on a large folder.
func TestWriteScaleReturns(t *testing.T) {
	dir := os.Getenv("PLANREP_SCALE_DIR")
	if dir == "" {
		t.Skip("set PLANREP_SCALE_DIR to write a scale-test folder")
	}
	n := 1000
	if s := os.Getenv("PLANREP_SCALE_N"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil {
			t.Fatalf("PLANREP_SCALE_N=%q: %v", s, err)
		}
	}
	benchReturns(t, dir, n)
}

// BenchmarkReadReturn is the cost of reading one return.
func BenchmarkReadReturn(b *testing.B) {
	p := loadPlan(b)
	data := makeReturn(b, p, p.LeadDepts()[0].Code, nil)
	defer cpuPerOp(b)()
	for i := 0; i < b.N; i++ {
		if _, pr := readReturnStream("x.xlsx", data, DefaultMaxUnzipped); pr != nil {
			b.Fatal(pr.Message)
		}
	}
}
