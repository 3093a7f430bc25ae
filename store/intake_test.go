package store_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	"planrep/plan"
	"planrep/store"
)

var t0 = time.Date(2025, 10, 8, 9, 0, 0, 123456789, time.Local)

func TestIntake(t *testing.T) {
	t.Parallel()
	st := mustOpen(t)
	in := st.Intake("zibo-2025")

	// Tokens: the latest of a unit is current.
	for i, tok := range []string{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"} {
		if err := in.SetUnitToken(store.UnitToken{Unit: "SWJ", Token: tok, Created: t0.Add(time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := in.SetUnitToken(store.UnitToken{Unit: "GXJ", Token: "cccccccccccccccccccccccccccccccc", Created: t0}); err != nil {
		t.Fatal(err)
	}
	toks, err := in.UnitTokens()
	if err != nil || len(toks) != 2 || toks[1].Unit != "SWJ" || toks[1].Token[0] != 'b' || !toks[1].Created.Equal(t0.Add(time.Hour)) {
		t.Fatalf("tokens %+v, %v", toks, err)
	}

	// Sessions end when the password changes.
	if err := in.AddSession(store.Session{IDHash: "h1", User: "李四", Created: t0, Expires: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if s, ok, err := in.Session("h1"); !ok || err != nil || s.User != "李四" || !s.Expires.Equal(t0.Add(time.Hour)) {
		t.Fatalf("session %+v %v %v", s, ok, err)
	}
	if h, _ := in.AdminPassword(); h != "" {
		t.Fatalf("password %q before any was set", h)
	}
	if err := in.SetAdminPassword("$2a$10$first", t0); err != nil {
		t.Fatal(err)
	}
	if err := in.SetAdminPassword("$2a$10$second", t0); err != nil {
		t.Fatal(err)
	}
	if h, _ := in.AdminPassword(); h != "$2a$10$second" {
		t.Errorf("password %q", h)
	}
	if _, ok, _ := in.Session("h1"); ok {
		t.Error("a session outlived a new password")
	}

	// Uploads: numbered per unit and period, files kept once by hash.
	v := 217.0
	data := []byte("PK\x03\x04 a return")
	add := func(unit, period string, data []byte) store.Submission {
		s := store.Submission{Period: period, Unit: unit, At: t0, Name: "商务局.xlsx", Size: int64(len(data)), SHA256: hashOf(data),
			Verdict: plan.Accepted, Errors: 1, Filled: "2025-10-05", Filler: "张三", Addr: "10.0.0.7",
			Findings: []plan.Finding{{Code: plan.ValueNotNumber, Severity: plan.Error, Sheet: "指标进度", Cell: "I5", Message: "“约5”不是一个数字"}},
			Values:   []plan.TargetResult{{ID: "1-01", Lead: unit, Kind: plan.Cumulative, Value: &v, Raw: "217"}}}
		if err := in.AddSubmission(&s, data); err != nil {
			t.Fatal(err)
		}
		return s
	}
	a := add("SWJ", "2025Q3", data)
	b := add("SWJ", "2025Q3", data)
	c := add("GXJ", "2025Q3", []byte("another"))
	d := add("SWJ", "2025H1", data)
	if a.Seq != 1 || b.Seq != 2 || c.Seq != 1 || d.Seq != 1 || a.ID == b.ID {
		t.Errorf("seqs %d %d %d %d", a.Seq, b.Seq, c.Seq, d.Seq)
	}
	var files int
	if err := st.DB().QueryRow("SELECT count(*) FROM upload_files").Scan(&files); err != nil {
		t.Fatal(err)
	}
	if files != 2 {
		t.Errorf("%d files kept, want 2 (the same file twice is kept once)", files)
	}
	subs, err := in.UnitSubmissions("2025Q3", "SWJ")
	if err != nil || len(subs) != 2 {
		t.Fatalf("SWJ 2025Q3: %d, %v", len(subs), err)
	}
	got := subs[1]
	if got.Name != "商务局.xlsx" || got.Filler != "张三" || got.Addr != "10.0.0.7" || !got.At.Equal(t0) || len(got.Findings) != 1 ||
		got.Findings[0].Cell != "I5" || len(got.Values) != 1 || *got.Values[0].Value != 217 {
		t.Errorf("read back %+v", got)
	}
	if all, _ := in.Submissions("2025Q3"); len(all) != 3 || all[0].Unit != "GXJ" {
		t.Errorf("2025Q3 uploads %d, first %s", len(all), all[0].Unit)
	}
	if back, err := in.SubmissionData(b.ID); err != nil || !bytes.Equal(back, data) {
		t.Errorf("file read back %q, %v", back, err)
	}
	if other, _ := st.Intake("another-plan").Submissions("2025Q3"); len(other) != 0 {
		t.Error("another plan's intake sees these uploads")
	}

	// Reviews and the audit log.
	if err := in.AddReview(&store.Review{Submission: a.ID, Period: "2025Q3", Unit: "SWJ", Action: store.ReviewReturn, Reason: "请补充", By: "李四", At: t0}); err != nil {
		t.Fatal(err)
	}
	if err := in.AddReview(&store.Review{Submission: a.ID, Period: "2025Q3", Unit: "SWJ", Action: store.ReviewRevoke, By: "李四", At: t0}); err != nil {
		t.Fatal(err)
	}
	if err := in.AddReview(&store.Review{Submission: a.ID, Period: "2025Q3", Unit: "SWJ", Action: "delete", By: "x", At: t0}); err == nil {
		t.Error("an unknown review action was stored")
	}
	revs, _ := in.Reviews("2025Q3")
	if len(revs) != 2 || revs[0].Action != store.ReviewReturn || revs[0].Reason != "请补充" || revs[1].Action != store.ReviewRevoke {
		t.Errorf("reviews %+v", revs)
	}
	if err := in.AddAudit(store.AuditEntry{At: t0, Actor: "unit:SWJ", Action: "upload", Unit: "SWJ", SHA256: a.SHA256, Addr: "10.0.0.7"}); err != nil {
		t.Fatal(err)
	}
	if log, _ := in.Audit(); len(log) != 1 || log[0].SHA256 != a.SHA256 || log[0].Addr != "10.0.0.7" {
		t.Errorf("audit %+v", log)
	}

	// The intake is part of the store's backup, and of its checks.
	var dump bytes.Buffer
	if _, err := st.Export(ctx, &dump); err != nil {
		t.Fatal(err)
	}
	st2, err := store.Open(filepath.Join(t.TempDir(), "copy.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if _, err := st2.Import(ctx, bytes.NewReader(dump.Bytes())); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if _, err := st2.Export(ctx, &again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(dump.Bytes(), again.Bytes()) {
		t.Error("the intake does not export identically after an import")
	}
	if back, err := st2.Intake("zibo-2025").SubmissionData(b.ID); err != nil || !bytes.Equal(back, data) {
		t.Errorf("imported file %q, %v", back, err)
	}
	if problems, err := st2.Check(ctx); err != nil || len(problems) != 0 {
		t.Errorf("check: %v %v", problems, err)
	}
}

// A store made before the intake existed gains its tables when opened.
func TestIntakeMigratesOlderStore(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "planrep.db")
	if err := store.CreateAt(path, 1); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var v int
	if err := st.DB().QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != store.Version() {
		t.Errorf("user_version %d, want %d", v, store.Version())
	}
	if err := st.Intake("p").SetUnitToken(store.UnitToken{Unit: "SWJ", Token: "t", Created: t0}); err != nil {
		t.Errorf("intake after migration: %v", err)
	}
}

func hashOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
