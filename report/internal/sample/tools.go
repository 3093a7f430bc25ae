package sample

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// NeedTool skips when an external program is absent, except in CI where it must run.
func NeedTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI: .ci/run must install it", name)
		}
		t.Skipf("%s is not installed: skipping (it runs in CI)", name)
	}
}

// Convert converts the file at in with LibreOffice (headless, its own profile)
// to format (pdf, docx, …) in in's folder and returns the new file's path.
func Convert(t testing.TB, in, format string) string {
	t.Helper()
	NeedTool(t, "soffice")
	dir := filepath.Dir(in)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "soffice", "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(t.TempDir(), "profile")),
		"--headless", "--convert-to", format, "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	out := filepath.Join(dir, trimExt(filepath.Base(in))+"."+format)
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("soffice wrote no %s: %v", out, err)
	}
	return out
}

func trimExt(name string) string { return name[:len(name)-len(filepath.Ext(name))] }
