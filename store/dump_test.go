package store_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"planrep/plan"
	"planrep/store"
)

// yearStore is a store with five runs: Q1, Q1 twice again (nothing new), H1, and H1
// with one department's return corrected.
func yearStore(t *testing.T) (*store.Store, *plan.Plan) {
	t.Helper()
	p := defaultPlan(t)
	st := mustOpen(t)
	q1 := fakeRound(p, "2025Q1", func(i int, _ plan.Target) float64 { return float64(i) + 0.25 })
	// The first run notes the plan file it read, as collect with --plan does.
	if _, err := st.RecordRound(ctx, store.Record{Plan: p, Round: q1, PlanFile: &store.PlanFile{SHA256: strings.Repeat("0f", 32), Size: 40960,
		Stat: "2049:1234:40960:1744246800000000000:1744246800000000000"},
		Run: store.Run{Kind: store.KindCollect, Started: day.AddDate(0, -6, 0), Finished: day.AddDate(0, -6, 0), Command: "planrep collect", Inputs: []string{"收件箱"}}}); err != nil {
		t.Fatal(err)
	}
	record(t, st, p, q1, day.AddDate(0, -6, 1))
	record(t, st, p, q1, day.AddDate(0, -6, 2))
	record(t, st, p, fakeRound(p, "2025H1", func(i int, _ plan.Target) float64 { return float64(2 * i) }), day.AddDate(0, -3, 0))
	record(t, st, p, fakeRound(p, "2025H1", func(i int, _ plan.Target) float64 {
		if i == 0 {
			return 7
		}
		return float64(2 * i)
	}), day.AddDate(0, -3, 1))
	return st, p
}

func TestExportImportIdentical(t *testing.T) {
	t.Parallel()
	st, _ := yearStore(t)
	var a bytes.Buffer
	n, err := st.Export(ctx, &a)
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 || !strings.HasPrefix(a.String(), `{"format":"planrep-store","schema":`) {
		t.Fatalf("export of %d rows begins %.80q", n, a.String())
	}
	var again bytes.Buffer
	if _, err := st.Export(ctx, &again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), again.Bytes()) {
		t.Error("two exports of one store differ")
	}
	fresh, err := store.Open(filepath.Join(t.TempDir(), "新.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	m, err := fresh.Import(ctx, bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if m != n {
		t.Errorf("imported %d rows; exported %d", m, n)
	}
	var b bytes.Buffer
	if _, err := fresh.Export(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		al, bl := strings.Split(a.String(), "\n"), strings.Split(b.String(), "\n")
		for i := range al {
			if i >= len(bl) || al[i] != bl[i] {
				t.Fatalf("the imported store exports differently at line %d:\n%s\n%s", i+1, al[i], bl[min(i, len(bl)-1)])
			}
		}
	}
	if probs, err := fresh.Check(ctx); err != nil || len(probs) > 0 {
		t.Errorf("check of the imported store: %v %v", probs, err)
	}
	// Into a store with data: refused, nothing added.
	if _, err := fresh.Import(ctx, bytes.NewReader(a.Bytes())); err == nil || !strings.Contains(err.Error(), "已有数据") {
		t.Errorf("import into a full store: %v", err)
	}
	// A damaged file: refused, the store stays empty.
	empty, err := store.Open(filepath.Join(t.TempDir(), "空.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	lines := strings.Split(a.String(), "\n")
	broken := strings.Join(lines[:len(lines)/2], "\n") + "\n{\"table\":\"runs\",\"row\":{\"id\":\n"
	if _, err := empty.Import(ctx, strings.NewReader(broken)); err == nil || !strings.Contains(err.Error(), "备份文件第") {
		t.Errorf("import of a cut file: %v", err)
	}
	if runs, _ := empty.Runs(ctx, ""); len(runs) != 0 {
		t.Errorf("a failed import left %d runs", len(runs))
	}
	for _, bad := range []string{"", "hello\n", `{"format":"planrep-store","schema":99}` + "\n"} {
		if _, err := empty.Import(ctx, strings.NewReader(bad)); err == nil {
			t.Errorf("import of %q succeeded", bad)
		}
	}
}

func TestCheckAndPrune(t *testing.T) {
	t.Parallel()
	st, p := yearStore(t)
	if probs, err := st.Check(ctx); err != nil || len(probs) > 0 {
		t.Fatalf("check of a sound store: %v %v", probs, err)
	}
	dry, err := st.Prune(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if dry.Runs != 1 || dry.RunIDs[0] != 2 || dry.Files != len(p.LeadDepts()) {
		t.Errorf("dry run = %+v; want run 2 and its %d files", dry, len(p.LeadDepts()))
	}
	if runs, _ := st.Runs(ctx, p.ID); len(runs) != 5 {
		t.Errorf("a dry run removed runs: %d left", len(runs))
	}
	before, _ := st.TargetYear(ctx, p.ID, p.Targets[0].ID)
	got, err := st.Prune(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if got.Runs != 1 {
		t.Errorf("prune = %+v", got)
	}
	after, _ := st.TargetYear(ctx, p.ID, p.Targets[0].ID)
	if len(before) != len(after) || len(after) != 2 {
		t.Errorf("prune changed the year of %s: %d → %d periods", p.Targets[0].ID, len(before), len(after))
	}
	if probs, err := st.Check(ctx); err != nil || len(probs) > 0 {
		t.Errorf("check after prune: %v %v", probs, err)
	}
	// Break an invariant behind the store's back: check names it.
	if _, err := st.DB().Exec(`UPDATE runs SET errors = errors + 5 WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`INSERT INTO submissions (run_id, file_id, plan_id, period, period_end, dept, sha256, filled, received_at)
		SELECT run_id, file_id, plan_id, period, period_end, dept, sha256, filled, received_at FROM submissions WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	probs, err := st.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(probs, "\n")
	for _, want := range []string{"错误/警告/提示数", "份当前报送", "没有任何数值记录"} {
		if !strings.Contains(text, want) {
			t.Errorf("check does not report %q:\n%s", want, text)
		}
	}
}

// TestDocumentedQueries runs the example queries of docs/store.md on a store
// with two periods and a correction: each must run and answer.
func TestDocumentedQueries(t *testing.T) {
	t.Parallel()
	st, _ := yearStore(t)
	doc, err := os.ReadFile("../docs/store.md")
	if err != nil {
		t.Fatal(err)
	}
	var queries []string
	for _, block := range strings.Split(string(doc), "```sql\n")[1:] {
		body := block[:strings.Index(block, "```")]
		for _, q := range strings.Split(body, ";") {
			if strings.TrimSpace(stripComments(q)) != "" {
				queries = append(queries, q)
			}
		}
	}
	if len(queries) != 2 {
		t.Fatalf("docs/store.md has %d example queries; want 2", len(queries))
	}
	for _, q := range queries {
		rows, err := st.DB().Query(q)
		if err != nil {
			t.Errorf("%s\n: %v", q, err)
			continue
		}
		n := 0
		for rows.Next() {
			n++
		}
		rows.Close()
		if n == 0 && strings.Contains(q, "supersedes") {
			t.Errorf("the resubmission query found no correction:\n%s", q)
		}
	}
}

func stripComments(q string) string {
	var b strings.Builder
	for _, l := range strings.Split(q, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}
