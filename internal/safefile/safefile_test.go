package safefile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesWhole(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "汇总表.xlsx")
	if err := WriteBytes(path, []byte("first")); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(path, []byte("second")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "second" {
		t.Fatalf("got %q, %v; want %q", got, err, "second")
	}
	assertOnly(t, filepath.Dir(path), "汇总表.xlsx")
}

func TestWriteFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "round.json")
	if err := WriteBytes(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		mustN(io.WriteString(w, "half a fi"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v; want %v", err, boom)
	}
	got := mustGet(os.ReadFile(path))
	if string(got) != "old" {
		t.Fatalf("got %q; want the old content kept", got)
	}
	assertOnly(t, dir, "round.json")
}

func TestWriteUnwritableFolder(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(filepath.Join(blocker, "x.xlsx"), []byte("x")); err == nil {
		t.Fatal("writing under a file succeeded; want an error")
	}
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(names) {
		var got []string
		for _, e := range entries {
			got = append(got, e.Name())
		}
		t.Fatalf("folder holds %v; want only %v (no temporary files left)", got, names)
	}
}

func TestWriteNoSync(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "return.xlsx")
	if err := WriteNoSync(path, func(w io.Writer) error { _, err := io.WriteString(w, "filled"); return err }); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "filled" {
		t.Fatalf("got %q, %v; want %q", got, err, "filled")
	}
	assertOnly(t, dir, "return.xlsx")
}
