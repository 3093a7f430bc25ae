package store_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"planrep/plan"
	"planrep/store"
)

// definitionOf is what the store must keep of t: every defining field, none
// of the narrative.
func definitionOf(t plan.Target) plan.Target {
	return plan.Target{ID: t.ID, Indicator: t.Indicator, Kind: t.Kind, Value: t.Value, Unit: t.Unit, Comparator: t.Comparator,
		Qualifiers: t.Qualifiers, Binding: t.Binding, Baseline: t.Baseline, Schedule: t.Schedule, Due: t.Due, Lead: t.Lead}
}

// checkDefinitions asserts that registry id holds every target of p and its head.
func checkDefinitions(t *testing.T, st *store.Store, id int64, p *plan.Plan) {
	t.Helper()
	for _, tg := range p.Targets {
		got, short, ok, err := st.TargetDefinition(ctx, id, tg.ID)
		if err != nil || !ok {
			t.Fatalf("definition of %s: %v %v", tg.ID, ok, err)
		}
		d, _ := p.Dept(tg.Lead)
		if !reflect.DeepEqual(got, definitionOf(tg)) || short != d.Short {
			t.Errorf("definition of %s = %+v, %q; want %+v, %q", tg.ID, got, short, definitionOf(tg), d.Short)
		}
		if got.TargetText() != tg.TargetText() || got.Expected(plan.MustPeriod("2025Q3")) != tg.Expected(plan.MustPeriod("2025Q3")) {
			t.Errorf("%s: statement %q, 序时 %v; want %q, %v", tg.ID, got.TargetText(), got.Expected(plan.MustPeriod("2025Q3")),
				tg.TargetText(), tg.Expected(plan.MustPeriod("2025Q3")))
		}
	}
	if _, _, ok, err := st.TargetDefinition(ctx, id, "无此编号"); ok || err != nil {
		t.Errorf("an unknown target: %v %v", ok, err)
	}
	head, err := st.Head(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if head.ID != p.ID || head.Title != p.Title || !reflect.DeepEqual(head.Depts, p.Depts) || !reflect.DeepEqual(head.Districts, p.Districts) || head.Targets != nil {
		t.Errorf("head = %s %s, %d departments, %d districts, %d targets; want %s %s, %d, %d, 0", head.ID, head.Title, len(head.Depts),
			len(head.Districts), len(head.Targets), p.ID, p.Title, len(p.Depts), len(p.Districts))
	}
}

// TestPlanFilesAndDefinitions: a recorded registry keeps its targets'
// definitions and the file it came from; check notices a definition that
// disagrees with the registry.
func TestPlanFilesAndDefinitions(t *testing.T) {
	t.Parallel()
	p := defaultPlan(t)
	st := mustOpen(t)
	rd := fakeRound(p, "2025Q3", func(i int, _ plan.Target) float64 { return float64(i) })
	f := &store.PlanFile{SHA256: strings.Repeat("ab", 32), Size: 12345, Stat: "2049:77:12345:1700000000000000000:1700000000000000000"}
	for k := 0; k < 2; k++ { // the second run finds the file already noted
		if _, err := st.RecordRound(ctx, store.Record{Plan: p, Round: rd, PlanFile: f, Run: store.Run{Started: day, Finished: day}}); err != nil {
			t.Fatal(err)
		}
	}
	var files int
	if err := st.DB().QueryRow(`SELECT count(*) FROM plan_files`).Scan(&files); err != nil || files != 1 {
		t.Errorf("plan_files rows: %d %v; want 1", files, err)
	}
	byStat, ok, err := st.RegistryByStat(ctx, f.Stat)
	if err != nil || !ok || byStat.PlanID != p.ID || byStat.Title != p.Title {
		t.Fatalf("by stat: %+v %v %v", byStat, ok, err)
	}
	byContent, ok, err := st.RegistryByContent(ctx, f.SHA256, f.Size)
	if err != nil || !ok || byContent != byStat {
		t.Errorf("by content: %+v %v %v; want %+v", byContent, ok, err, byStat)
	}
	for _, miss := range []func() (store.Registry, bool, error){
		func() (store.Registry, bool, error) { return st.RegistryByStat(ctx, "2049:78:12345:1:1") },
		func() (store.Registry, bool, error) { return st.RegistryByStat(ctx, "") },
		func() (store.Registry, bool, error) { return st.RegistryByContent(ctx, f.SHA256, f.Size+1) },
	} {
		if r, ok, err := miss(); ok || err != nil {
			t.Errorf("an unknown file was found: %+v %v", r, err)
		}
	}
	checkDefinitions(t, st, byStat.ID, p)
	if probs, err := st.Check(ctx); err != nil || len(probs) > 0 {
		t.Fatalf("check: %v %v", probs, err)
	}

	// Behind the store's back: one definition changed, one removed, the head changed.
	for _, q := range []string{
		`UPDATE registry_targets SET definition = replace(definition, '"kind":"', '"kind":"x') WHERE target = '` + p.Targets[0].ID + `'`,
		`DELETE FROM registry_targets WHERE target = '` + p.Targets[1].ID + `'`,
		`UPDATE registries SET head = replace(head, '` + p.Title + `', '另一个标题')`,
	} {
		if res, err := st.DB().Exec(q); err != nil {
			t.Fatal(err)
		} else if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("%s changed %d rows", q, n)
		}
	}
	probs, err := st.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(probs, "\n")
	for _, want := range []string{"1 个指标的定义记录与登记表 JSON 不符（" + p.Targets[0].ID + "）",
		"1 个指标没有定义记录（" + p.Targets[1].ID + "）", "基本信息（head）与登记表 JSON 不符"} {
		if !strings.Contains(text, want) {
			t.Errorf("check does not report %q:\n%s", want, text)
		}
	}
}

// TestDefinitionsBackFilled: a store of schema 3 holding a registry gains
// its definitions when opened.
func TestDefinitionsBackFilled(t *testing.T) {
	t.Parallel()
	p := defaultPlan(t)
	path := filepath.Join(t.TempDir(), "planrep.db")
	if err := store.CreateAt(path, 3); err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO registries (plan_id, fingerprint, title, year, targets, registry, recorded_at) VALUES (?,?,?,?,?,?,?)`,
		p.ID, p.Fingerprint(), p.Title, p.Year, len(p.Targets), string(js), "2025-04-10T09:00:00+08:00"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	checkDefinitions(t, st, 1, p)
	if probs, err := st.Check(ctx); err != nil || len(probs) > 0 {
		t.Errorf("check after the migration: %v %v", probs, err)
	}
}

// TestImportOlderExport: an export made before the definitions were kept
// imports into a store that exports exactly as the original does: the
// back-fill writes what recording writes.
func TestImportOlderExport(t *testing.T) {
	t.Parallel()
	st, _ := yearStore(t)
	var now bytes.Buffer
	if _, err := st.Export(ctx, &now); err != nil {
		t.Fatal(err)
	}
	// The same store as schema 3 exported it; the plan files it noted
	// are not known then.
	var old, want bytes.Buffer
	dropped := 0
	for i, line := range strings.Split(strings.TrimSuffix(now.String(), "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		switch {
		case i == 0:
			want.WriteString(line + "\n")
			m["schema"] = 3
		case m["table"] == "plan_files":
			dropped++
			continue
		case m["table"] == "registry_targets":
			dropped++
			want.WriteString(line + "\n")
			continue
		case m["table"] == "registries":
			want.WriteString(line + "\n")
			delete(m["row"].(map[string]any), "head")
		default:
			want.WriteString(line + "\n")
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		old.Write(append(b, '\n'))
	}
	if dropped < 2 {
		t.Fatal("the export holds no definitions or no plan file")
	}
	fresh, err := store.Open(filepath.Join(t.TempDir(), "旧备份.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if _, err := fresh.Import(ctx, &old); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if _, err := fresh.Export(ctx, &again); err != nil {
		t.Fatal(err)
	}
	if again.String() != want.String() {
		t.Error("an export of schema 3 imports into a store that exports differently from the original (its plan files aside)")
	}
}

// TestReadPlanFile: a registry file is known by its bytes, and, where the
// system tells, by its status on disk until anything writes to it.
func TestReadPlanFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(path, []byte("id: a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Just written: it could be written again within the same tick of the
	// clock, so its status does not identify it yet.
	if _, _, id, err := store.ReadPlanFile(path); err != nil || id.Stat != "" {
		t.Errorf("a file just written: stat %q, %v; want none", id.Stat, err)
	}
	time.Sleep(2100 * time.Millisecond)
	data, fi, id, err := store.ReadPlanFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "id: a\n" || fi.Size() != 6 || id.Size != 6 || id.SHA256 != hashOf(data) {
		t.Errorf("read %q, %d bytes, identity %+v", data, fi.Size(), id)
	}
	if sum, size, err := store.HashPlanFile(path); err != nil || sum != id.SHA256 || size != id.Size {
		t.Errorf("hash of the file: %s %d %v; want %s %d", sum, size, err, id.SHA256, id.Size)
	}
	if runtime.GOOS != "linux" {
		if id.Stat != "" || store.PlanFileStat(path) != "" {
			t.Errorf("stat %q on %s; want none", id.Stat, runtime.GOOS)
		}
		return
	}
	if id.Stat == "" || store.PlanFileStat(path) != id.Stat {
		t.Errorf("stat of an unchanged file: %q, then %q", id.Stat, store.PlanFileStat(path))
	}
	// Rewritten with the same size, even with its mtime put back: another status.
	if err := os.WriteFile(path, []byte("id: b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if s := store.PlanFileStat(path); s == id.Stat || s == "" {
		t.Errorf("stat of a rewritten file %q; was %q", s, id.Stat)
	}
	if _, _, _, err := store.ReadPlanFile(filepath.Join(dir, "无.yaml")); !os.IsNotExist(err) {
		t.Errorf("a missing file: %v", err)
	}
}
