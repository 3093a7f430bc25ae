package cmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"planrep/store"
)

// TestCollectRecordsInStore: collect records the run in the store named by
// --db, and round.json is the same bytes with the store as with --no-db.
func TestCollectRecordsInStore(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	p := writeCollectReturns(t, in, "")
	db := filepath.Join(t.TempDir(), "年度.db")
	outDB, outNo := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")

	g, stdout, stderr := testGlobals()
	if code := Run(g, []string{"collect", "--db", db, "-o", outDB, in}); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	noDB := testDB()
	g, stdout, stderr = testGlobals()
	g.DBFile = noDB
	if code := Run(g, []string{"collect", "--no-db", "-o", outNo, in}); code != ExitOK {
		t.Fatalf("--no-db: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(noDB); err == nil {
		t.Error("--no-db created a store")
	}
	a, err := os.ReadFile(filepath.Join(outDB, "round.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(outNo, "round.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("round.json differs between a run with the store and one with --no-db")
	}

	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.Runs(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 {
		t.Fatalf("%d runs recorded; want 1", len(runs))
	}
	r := runs[0]
	if r.Period != "2025Q3" || r.Submitted != len(p.LeadDepts()) || r.Returns != len(p.LeadDepts()) || r.Files != len(p.LeadDepts()) ||
		!strings.HasPrefix(r.Command, "planrep collect --db ") || len(r.Inputs) != 1 || r.Inputs[0] != in {
		t.Errorf("run = %+v", r)
	}
	var filled, mtime string
	if err := st.DB().QueryRow(`SELECT filler, mtime FROM files LIMIT 1`).Scan(&filled, &mtime); err != nil || filled != "李四" || mtime == "" {
		t.Errorf("file row: filler %q, mtime %q, %v", filled, mtime, err)
	}
}
