package store_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"planrep/plan"
	"planrep/seeds"
	"planrep/store"
)

var ctx = context.Background()

// mustOpen opens a new store in a temporary folder.
func mustOpen(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "planrep.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func defaultPlan(t testing.TB) *plan.Plan {
	t.Helper()
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fakeRound builds a round of period per in which every lead department
// submitted one file whose values are value(target index); depts listed in
// skip sent nothing. The file's content hash follows the values, as a real
// file's would.
func fakeRound(p *plan.Plan, per string, value func(i int, t plan.Target) float64, skip ...string) *plan.Round {
	pd := plan.MustPeriod(per)
	rd := &plan.Round{Schema: plan.RoundSchema, PlanID: p.ID, PlanTitle: p.Title, PlanFingerprint: p.Fingerprint(), Period: pd,
		Findings: []plan.Finding{}, Files: []plan.InputFile{}}
	missing := map[string]bool{}
	for _, d := range skip {
		missing[d] = true
	}
	content := map[string]*strings.Builder{}
	for i, t := range p.Targets {
		tr := plan.TargetResult{ID: t.ID, Lead: t.Lead, Kind: t.Kind, Status: plan.Missing, Expected: t.Expected(pd), Explanation: "牵头部门未报送"}
		if !missing[t.Lead] {
			tr.File = fmt.Sprintf("收件箱/%s_%s.xlsx", per, t.Lead)
			tr.Sheet, tr.Cell = "指标进度", fmt.Sprintf("J%d", 5+i%20)
			if t.Kind.Quantitative() {
				v := value(i, t)
				tr.Value, tr.Raw = &v, plan.FormatNumber(v)
				ev := plan.Evaluate(t, pd, plan.Report{Value: &v}, p.Thresholds)
				tr.Status, tr.Progress, tr.Explanation = ev.Status, ev.Progress, ev.Explanation
			} else {
				tr.Sheet, tr.Raw, tr.Milestone = "重点任务", plan.MilestoneOnPlan, plan.MilestoneOnPlan
				tr.Status, tr.Explanation = plan.OnTrack, "按计划推进"
			}
			if content[t.Lead] == nil {
				content[t.Lead] = &strings.Builder{}
			}
			fmt.Fprintf(content[t.Lead], "%s=%s;", t.ID, tr.Raw)
		}
		rd.Targets = append(rd.Targets, tr)
	}
	for _, d := range p.LeadDepts() {
		dr := plan.DeptResult{Code: d.Code, Name: d.Name, Short: d.Short, Targets: len(p.Led(d.Code))}
		if !missing[d.Code] {
			dr.Submitted, dr.File, dr.Filled = true, fmt.Sprintf("收件箱/%s_%s.xlsx", per, d.Code), "2025-10-09"
			on := true
			dr.OnTime = &on
			sum := sha256.Sum256([]byte(content[d.Code].String()))
			rd.Files = append(rd.Files, plan.InputFile{Path: dr.File, SHA256: hex.EncodeToString(sum[:]), Size: 30000, Dept: d.Code,
				Period: pd, Verdict: plan.Accepted})
		} else {
			rd.Findings = append(rd.Findings, plan.Finding{Code: plan.MissingDept, Severity: plan.Error, Dept: d.Code, Message: d.Short + "未报送"})
		}
		rd.Departments = append(rd.Departments, dr)
	}
	return rd
}

func record(t *testing.T, st *store.Store, p *plan.Plan, rd *plan.Round, at time.Time) store.Recorded {
	t.Helper()
	rec, err := st.RecordRound(ctx, store.Record{Plan: p, Round: rd,
		Run: store.Run{Kind: store.KindCollect, Started: at, Finished: at.Add(time.Second), Command: "planrep collect", Inputs: []string{"收件箱"}}})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

var day = time.Date(2025, 10, 11, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func TestRecordAndQuery(t *testing.T) {
	t.Parallel()
	p := defaultPlan(t)
	st := mustOpen(t)
	quant := 0
	for _, tg := range p.Targets {
		if tg.Kind.Quantitative() {
			quant++
		}
	}
	skip := p.LeadDepts()[len(p.LeadDepts())-1].Code // sends nothing in Q1
	if skip == p.Targets[0].Lead {
		t.Fatal("fixture: the first target's lead is the one that skips Q1")
	}
	q1 := fakeRound(p, "2025Q1", func(i int, t plan.Target) float64 { return float64(i) }, skip)
	r1 := record(t, st, p, q1, day.AddDate(0, -6, 0))
	if r1.Returns != len(p.LeadDepts())-1 {
		t.Errorf("returns recorded = %d; want %d", r1.Returns, len(p.LeadDepts())-1)
	}
	// The same round again: a second run, no new return.
	r1b := record(t, st, p, q1, day.AddDate(0, -6, 1))
	if r1b.Returns != 0 || r1b.Values != 0 {
		t.Errorf("same files again recorded %d returns, %d values; want 0, 0", r1b.Returns, r1b.Values)
	}
	h1 := fakeRound(p, "2025H1", func(i int, t plan.Target) float64 { return float64(i) * 2 })
	record(t, st, p, h1, day.AddDate(0, -3, 0))
	// A correction of one department's H1 return.
	dept := p.Targets[0].Lead
	h1c := fakeRound(p, "2025H1", func(i int, t plan.Target) float64 {
		if i == 0 && t.Lead == dept {
			return 999
		}
		return float64(i) * 2
	})
	rc := record(t, st, p, h1c, day.AddDate(0, -3, 2))
	if rc.Returns != 1 {
		t.Fatalf("a correction of one department recorded %d returns; want 1", rc.Returns)
	}

	runs, err := st.Runs(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 4 || runs[0].Period != "2025Q1" || runs[3].Period != "2025H1" || runs[3].Returns != 1 {
		t.Errorf("runs = %+v", runs)
	}
	if runs[0].Submitted != len(p.LeadDepts())-1 || runs[0].Expected != len(p.LeadDepts()) || runs[0].Errors != 1 {
		t.Errorf("run 1: submitted %d of %d, errors %d", runs[0].Submitted, runs[0].Expected, runs[0].Errors)
	}

	year, err := st.TargetYear(ctx, p.ID, p.Targets[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(year) != 2 || year[0].Period != "2025Q1" || year[1].Period != "2025H1" {
		t.Fatalf("year of %s = %+v", p.Targets[0].ID, year)
	}
	if p.Targets[0].Kind.Quantitative() && (year[1].Value == nil || *year[1].Value != 999) {
		t.Errorf("H1 value after the correction = %v; want 999", year[1].Value)
	}

	earlier, err := st.Earlier(ctx, p.ID, plan.MustPeriod("2025Q3"))
	if err != nil {
		t.Fatal(err)
	}
	var got int
	for i, tg := range p.Targets {
		pr, ok := earlier[tg.ID]
		if !tg.Kind.Quantitative() {
			if ok {
				t.Errorf("milestone %s has a prior value", tg.ID)
			}
			continue
		}
		got++
		want := float64(i) * 2
		if i == 0 {
			want = 999
		}
		if !ok || pr.Period != "2025H1" || pr.Value != want {
			t.Errorf("prior of %s = %+v, %v; want 2025H1 %v", tg.ID, pr, ok, want)
		}
	}
	if got != quant {
		t.Errorf("%d priors; want %d", got, quant)
	}
	// Earlier than H1: only Q1, where FGW sent nothing.
	earlier, err = st.Earlier(ctx, p.ID, plan.MustPeriod("2025H1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range p.Targets {
		if pr, ok := earlier[tg.ID]; ok && (pr.Period != "2025Q1" || tg.Lead == skip) {
			t.Errorf("prior of %s before H1 = %+v", tg.ID, pr)
		}
	}

	log, err := st.Log(ctx, p.ID, dept)
	if err != nil {
		t.Fatal(err)
	}
	if len(log.Returns) != 3 {
		t.Fatalf("returns of %s = %d; want 3 (Q1, H1, H1 corrected)", dept, len(log.Returns))
	}
	last := log.Returns[2]
	if last.Supersedes != log.Returns[1].ID || log.Returns[1].SupersededBy != last.ID || !last.Current() || log.Returns[1].Current() {
		t.Errorf("supersession: %+v / %+v", log.Returns[1], last)
	}
	if len(last.Changes) != 1 || last.Changes[0].Target != p.Targets[0].ID || last.Changes[0].Old != "0" || last.Changes[0].New != "999" {
		t.Errorf("changes = %+v; want %s 0 → 999", last.Changes, p.Targets[0].ID)
	}
	if len(log.Files) != 3 || log.Files[0].Runs != 2 {
		t.Errorf("files of %s = %+v", dept, log.Files)
	}

	// The views answer plain SQL.
	var n int
	if err := st.DB().QueryRow(`SELECT count(*) FROM latest_values WHERE period = '2025H1' AND value = 999`).Scan(&n); err != nil || n != 1 {
		t.Errorf("latest_values with 999: %d, %v", n, err)
	}
	if err := st.DB().QueryRow(`SELECT count(*) FROM returns WHERE NOT current`).Scan(&n); err != nil || n != 1 {
		t.Errorf("superseded returns: %d, %v", n, err)
	}
}

func TestOpenRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// A real store, then a truncated copy of it.
	good := filepath.Join(dir, "good.db")
	st, err := store.Open(good, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	p := defaultPlan(t)
	record(t, st, p, fakeRound(p, "2025Q1", func(i int, _ plan.Target) float64 { return float64(i) }), day)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE contacts (name TEXT)`); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name string
		path string
		kind store.Kind
		says string
	}{
		{"missing", filepath.Join(dir, "none.db"), store.NotFound, "不存在"},
		{"empty", write("empty.db", nil), store.NotStore, "文件为空"},
		{"text", write("text.db", []byte("姓名,电话\n张三,123\n")), store.NotStore, "不是 SQLite 数据库文件"},
		{"xlsx", write("x.db", []byte("PK\x03\x04 and the rest of a zip")), store.NotStore, "不是 SQLite 数据库文件"},
		{"truncated", write("cut.db", whole[:len(whole)/2]), store.NotStore, "已被截断"},
		{"header only", write("head.db", whole[:60]), store.NotStore, "文件不完整"},
		{"folder", dir, store.NotStore, "是文件夹"},
		{"other program", other, store.NotStore, "其他程序的 SQLite 数据库"},
	}
	for _, c := range cases {
		var before []byte
		if fi, err := os.Stat(c.path); err == nil && !fi.IsDir() {
			before, _ = os.ReadFile(c.path)
		}
		_, err := store.Open(c.path, store.Options{})
		if !store.IsKind(err, c.kind) || !strings.Contains(err.Error(), c.says) || !strings.Contains(err.Error(), c.path) {
			t.Errorf("%s: err = %v; want kind %d saying %q and naming the file", c.name, err, c.kind, c.says)
		}
		if before != nil {
			after, _ := os.ReadFile(c.path)
			if string(after) != string(before) {
				t.Errorf("%s: the file was changed", c.name)
			}
		}
		for _, suffix := range []string{"-wal", "-shm", "-journal"} {
			if c.kind != store.NotFound && c.name != "folder" {
				if _, err := os.Stat(c.path + suffix); err == nil && c.name != "other program" {
					t.Errorf("%s: %s left beside it", c.name, suffix)
				}
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("opening a missing store without Create created it")
	}
}

func TestNewerStoreRefused(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "planrep.db")
	st, err := store.Open(path, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(fmt.Sprintf("PRAGMA user_version = %d", store.Version()+3)); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	_, err = store.Open(path, store.Options{})
	want := fmt.Sprintf("第 %d 版），本程序只支持到第 %d 版", store.Version()+3, store.Version())
	if !store.IsKind(err, store.Newer) || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v; want a Newer error saying %q", err, want)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("the newer store was changed")
	}
}

func TestMigrationsSetVersion(t *testing.T) {
	t.Parallel()
	st := mustOpen(t)
	var v int
	var mode string
	var fk int
	if err := st.DB().QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if err := st.DB().QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := st.DB().QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if v != store.Version() || mode != "wal" || fk != 1 {
		t.Errorf("user_version %d, journal_mode %s, foreign_keys %d; want %d, wal, 1", v, mode, fk, store.Version())
	}
	// Reopening an up-to-date store changes nothing.
	path := st.Path()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st2, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st2.Close()
}

// TestMigratesEveryOlderStore: a store left at any earlier version is
// brought up to date when opened, and is sound.
func TestMigratesEveryOlderStore(t *testing.T) {
	t.Parallel()
	for v := 1; v < store.Version(); v++ {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("v%d.db", v))
		if err := store.CreateAt(path, v); err != nil {
			t.Fatalf("version %d: %v", v, err)
		}
		st, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatalf("opening a version %d store: %v", v, err)
		}
		var got int
		if err := st.DB().QueryRow("PRAGMA user_version").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != store.Version() {
			t.Errorf("version %d store migrated to %d; want %d", v, got, store.Version())
		}
		if probs, err := st.Check(ctx); err != nil || len(probs) > 0 {
			t.Errorf("version %d store after migration: %v %v", v, probs, err)
		}
		st.Close()
	}
}
