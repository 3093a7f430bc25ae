package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"planrep/plan"
	"planrep/simulate"
	"planrep/store"
	"planrep/workbook"
)

var (
	benchScale = flag.Int("scale", 36, "BenchmarkScale: clones of every department of the default plan (36 ≈ 1,000 returns, 3572 ≈ 100,000)")
	benchKeep  = flag.String("keep", "", "BenchmarkScale: keep the synthetic registry as DIR/plan.yaml and the store as DIR/planrep.db, the file recorded as collect records it, for timing whole commands")
)

// scaleRound is a round of the plan cloned n times in which every lead
// department sent one return with every value on schedule, give or take.
func scaleRound(p *plan.Plan) *plan.Round {
	per := plan.MustPeriod("2025Q3")
	rd := &plan.Round{Schema: plan.RoundSchema, PlanID: p.ID, PlanTitle: p.Title, PlanFingerprint: p.Fingerprint(), Period: per,
		Deadline: "2025-10-10", Findings: []plan.Finding{}, Files: []plan.InputFile{}}
	file := func(code string) string { return "returns/2025Q3_" + code + ".xlsx" }
	for i, t := range p.Targets {
		tr := plan.TargetResult{ID: t.ID, Lead: t.Lead, Kind: t.Kind, File: file(t.Lead), Sheet: "指标进度", Cell: fmt.Sprintf("I%d", 5+i%7)}
		rep := plan.Report{}
		if t.Kind.Quantitative() && t.Value != nil {
			v := *t.Value * per.Elapsed() * (0.85 + float64(i%30)/100)
			tr.Value, tr.Raw, rep.Value = &v, plan.FormatNumber(v), &v
		} else {
			tr.Raw, tr.Milestone, rep.Milestone = plan.MilestoneOnPlan, plan.MilestoneOnPlan, plan.MilestoneOnPlan
			tr.Sheet = "重点任务"
		}
		ev := plan.Evaluate(t, per, rep, p.Thresholds)
		tr.Status, tr.Progress, tr.Expected, tr.Explanation = ev.Status, ev.Progress, ev.Expected, ev.Explanation
		tr.Note = "已按计划推进，各项工作有序开展。"
		rd.Targets = append(rd.Targets, tr)
	}
	on := true
	led := map[string]int{}
	for _, t := range p.Targets {
		led[t.Lead]++
	}
	for _, d := range p.LeadDepts() {
		sum := sha256.Sum256([]byte(d.Code))
		rd.Departments = append(rd.Departments, plan.DeptResult{Code: d.Code, Name: d.Name, Short: d.Short, Submitted: true,
			File: file(d.Code), Filler: "李四", Phone: "0533-1234567", Filled: "2025-10-09", OnTime: &on, Targets: led[d.Code]})
		rd.Files = append(rd.Files, plan.InputFile{Path: file(d.Code), SHA256: hex.EncodeToString(sum[:]), Size: 31000,
			Dept: d.Code, Period: per, Verdict: plan.Accepted})
	}
	return rd
}

type counter int64

func (c *counter) Write(p []byte) (int, error) { *c += counter(len(p)); return len(p), nil }

// BenchmarkScale records a synthetic round of -scale clones of every
// department and reports the store's size against round.json's and the
// time of a target's year (what `history target` asks the store):
//
//	go test ./store -run - -bench Scale -benchtime 1x -scale 3572
//
// With -keep DIR the registry and the store stay in DIR, for timing a
// whole command: planrep --plan DIR/plan.yaml --db DIR/planrep.db history target ID.
func BenchmarkScale(b *testing.B) {
	base := defaultPlan(b)
	p := simulate.Clone(base, *benchScale)
	rd := scaleRound(p)
	var roundBytes counter
	if err := workbook.WriteRound(&roundBytes, rd); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		var file *store.PlanFile
		if *benchKeep != "" {
			dir = *benchKeep
			file = keepPlan(b, dir, p)
		}
		path := filepath.Join(dir, "planrep.db")
		st, err := store.Open(path, store.Options{Create: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if _, err := st.RecordRound(ctx, store.Record{Plan: p, Round: rd, PlanFile: file, Run: store.Run{Started: day, Finished: day}}); err != nil {
			b.Fatal(err)
		}
		record := time.Since(start)
		b.StopTimer()
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		// A target's year, on a store opened afresh, as `history target` does.
		st, err = store.Open(path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		id := p.Targets[len(p.Targets)/2].ID
		start = time.Now()
		const asks = 20
		for k := 0; k < asks; k++ {
			pts, err := st.TargetYear(ctx, p.ID, id)
			if err != nil || len(pts) != 1 {
				b.Fatalf("year of %s: %v %v", id, pts, err)
			}
		}
		year := time.Since(start) / asks
		st.Close()
		b.ReportMetric(float64(len(rd.Departments)), "returns")
		b.ReportMetric(float64(fi.Size())/float64(roundBytes), "store/round.json")
		b.ReportMetric(float64(fi.Size())/1e6, "store-MB")
		b.ReportMetric(float64(roundBytes)/1e6, "round.json-MB")
		b.ReportMetric(record.Seconds(), "record-s")
		b.ReportMetric(float64(year.Microseconds())/1000, "target-year-ms")
		b.StartTimer()
	}
}

var _ io.Writer = (*counter)(nil)

// keepPlan writes p as dir/plan.yaml (JSON, which is also YAML), removes a
// store left in dir by an earlier run, and returns the file's identity.
func keepPlan(b *testing.B, dir string, p *plan.Plan) *store.PlanFile {
	b.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	for _, f := range []string{"planrep.db", "planrep.db-wal", "planrep.db-shm"} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !os.IsNotExist(err) {
			b.Fatal(err)
		}
	}
	js, err := json.Marshal(p)
	if err != nil {
		b.Fatal(err)
	}
	name := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(name, js, 0o644); err != nil {
		b.Fatal(err)
	}
	// As a registry file is when collected: not written in the last moments
	// (see ReadPlanFile), so that its status on disk identifies it.
	time.Sleep(2100 * time.Millisecond)
	_, _, id, err := store.ReadPlanFile(name)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("kept %s (%d bytes) and %s; target %s is in the middle", name, id.Size, filepath.Join(dir, "planrep.db"), p.Targets[len(p.Targets)/2].ID)
	return id
}
