package simulate

import "testing"

func BenchmarkRun(b *testing.B) {
	p := defaultPlan(b)
	tmpl := writeTemplates(b, p)
	out := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Run(p, tmpl, out, Options{Seed: uint64(i), Faults: 0.05, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScale makes a round of 4 clones of every department (about a
// hundred returns) per iteration.
func BenchmarkScale(b *testing.B) {
	p := defaultPlan(b)
	for i := 0; i < b.N; i++ {
		out := b.TempDir()
		if _, err := Scale(p, 4, out, Options{Period: period, Seed: uint64(i), Faults: 0.02}); err != nil {
			b.Fatal(err)
		}
	}
}
