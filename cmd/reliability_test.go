package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"planrep/store"
)

// planrepCmd runs this test binary as planrep with args, with the store db.
func planrepCmd(db string, env []string, args ...string) *exec.Cmd {
	c := exec.Command(os.Args[0], append([]string{"--db", db}, args...)...)
	c.Env = append(os.Environ(), append([]string{asPlanrep + "=1"}, env...)...)
	return c
}

// storeState is what must be whole after any failure: the runs and the
// rows they hold, and db check's verdict.
func storeState(t *testing.T, db string) (runs []store.RunInfo, rows map[string]int) {
	t.Helper()
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatalf("open after the run: %v", err)
	}
	defer st.Close()
	probs, err := st.Check(context.Background())
	if err != nil || len(probs) > 0 {
		t.Fatalf("db check: %v %v", probs, err)
	}
	runs, err = st.Runs(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	rows = map[string]int{}
	for _, tb := range []string{"runs", "files", "submissions", "target_values", "findings", "registries"} {
		var n int
		if err := st.DB().QueryRow("SELECT count(*) FROM " + tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		rows[tb] = n
	}
	return runs, rows
}

// TestCollectKilled kills collect with SIGKILL at spread-out moments, more
// of them near the end where the round is recorded: after each kill the
// store is either as it was or holds the whole round, and db check passes.
func TestCollectKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 24 collects in a subprocess")
	}
	t.Parallel()
	in := t.TempDir()
	writeCollectReturns(t, in, "")
	dir := t.TempDir()
	db := filepath.Join(dir, "planrep.db")
	out := filepath.Join(dir, "out")
	// One whole run to learn how long a run takes and what a round adds.
	start := time.Now()
	if b, err := planrepCmd(db, nil, "collect", "-o", out, in).CombinedOutput(); err != nil {
		t.Fatalf("first collect: %v\n%s", err, b)
	}
	took := time.Since(start)
	runs0, rows0 := storeState(t, db)
	perRun := map[string]int{"runs": 1, "files": rows0["files"], "findings": rows0["findings"]}

	const kills = 24
	var before, whole int
	for i := 0; i < kills; i++ {
		// Half spread over the whole run, half over its last third.
		frac := float64(i) / (kills / 2)
		if i >= kills/2 {
			frac = 2.0/3 + float64(i-kills/2)/(kills/2)/3
		}
		delay := time.Duration(frac * float64(took))
		_, rowsBefore := storeState(t, db)
		c := planrepCmd(db, nil, "collect", "-o", out, in)
		var stderr bytes.Buffer
		c.Stderr = &stderr
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		// Ignored: the run may already have finished by itself; Wait tells.
		_ = c.Process.Signal(syscall.SIGKILL)
		err := c.Wait()
		var ee *exec.ExitError
		killed := errors.As(err, &ee) && !ee.Exited()
		runs, rows := storeState(t, db)
		switch {
		case equalCounts(rows, rowsBefore, nil):
			before++
		case equalCounts(rows, rowsBefore, perRun):
			whole++
		default:
			t.Fatalf("kill %d after %v (killed %v): the store holds part of a run: before %v, after %v\n%s", i+1, delay, killed, rowsBefore, rows, stderr.String())
		}
		if len(runs) < len(runs0) {
			t.Fatalf("kill %d: runs went from %d to %d", i+1, len(runs0), len(runs))
		}
	}
	t.Logf("%d kills: %d left the store as it was, %d found the round recorded whole (a run takes %v)", kills, before, whole, took)
	if before == 0 {
		t.Error("no kill landed before the round was recorded: the test did not probe the run")
	}
}

// equalCounts reports whether after = before + add for every table.
func equalCounts(after, before, add map[string]int) bool {
	for k, v := range before {
		if after[k] != v+add[k] {
			return false
		}
	}
	return true
}

// TestCollectWaitsForAnotherWriter: two collects at once both finish, one
// after the other; a collect that cannot get the store within its bound
// exits 2, says why, and leaves the store as it was.
func TestCollectWaitsForAnotherWriter(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	writeCollectReturns(t, in, "")
	dir := t.TempDir()
	db := filepath.Join(dir, "planrep.db")
	a := planrepCmd(db, nil, "collect", "-o", filepath.Join(dir, "a"), in)
	b := planrepCmd(db, nil, "collect", "-o", filepath.Join(dir, "b"), in)
	var ab, bb bytes.Buffer
	a.Stderr, b.Stderr = &ab, &bb
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	if err := a.Wait(); err != nil {
		t.Fatalf("first collect: %v\n%s", err, ab.String())
	}
	if err := b.Wait(); err != nil {
		t.Fatalf("second collect: %v\n%s", err, bb.String())
	}
	runs, rows := storeState(t, db)
	if len(runs) != 2 || runs[0].Files != runs[1].Files || runs[0].Returns+runs[1].Returns != runs[0].Submitted {
		t.Errorf("two collects at once recorded %+v", runs)
	}

	// Another process holds the write lock: the collect waits 1 s, then gives up.
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	conn, err := st.DB().Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	c := planrepCmd(db, []string{"PLANREP_DB_WAIT=1s"}, "collect", "-o", filepath.Join(dir, "c"), in)
	var stderr bytes.Buffer
	c.Stderr = &stderr
	start := time.Now()
	err = c.Run()
	waited := time.Since(start)
	mustGet(conn.ExecContext(context.Background(), "ROLLBACK"))
	if c.ProcessState.ExitCode() != ExitError {
		t.Fatalf("collect against a held lock: %v, exit %d\n%s", err, c.ProcessState.ExitCode(), stderr.String())
	}
	if msg := stderr.String(); !strings.Contains(msg, "正被另一个 planrep 进程写入") || !strings.Contains(msg, db) || !strings.Contains(msg, "1 秒") {
		t.Errorf("message: %s", msg)
	}
	if waited < time.Second {
		t.Errorf("gave up after %v; the bound is 1 s", waited)
	}
	runs2, rows2 := storeState(t, db)
	if len(runs2) != 2 || !equalCounts(rows2, rows, nil) {
		t.Errorf("the store changed: %v → %v", rows, rows2)
	}
}

// TestCollectRefusesDamagedStore: a store that is not one, or is damaged,
// stops collect and history with exit 2, a message naming the file, and
// the file untouched.
func TestCollectRefusesDamagedStore(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	writeCollectReturns(t, in, "")
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	g, _, _ := testGlobals()
	g.DBFile = good
	if code := Run(g, []string{"collect", "-o", filepath.Join(dir, "o"), in}); code != ExitOK {
		t.Fatalf("collect: exit %d", code)
	}
	whole, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	// A page in the middle overwritten: SQLite's own check finds it.
	smashed := append([]byte(nil), whole...)
	for i := 4096 * 3; i < 4096*4 && i < len(smashed); i++ {
		smashed[i] = 0x5a
	}
	cases := map[string][]byte{
		"text.db":      []byte("这不是数据库\n"),
		"empty.db":     {},
		"truncated.db": whole[:len(whole)/3],
		"smashed.db":   smashed,
	}
	for name, data := range cases {
		path := filepath.Join(dir, name)
		mustWrite(t, path, data)
		for _, args := range [][]string{
			{"collect", "-o", filepath.Join(dir, "x"), in},
			{"history"},
			{"db", "check"},
		} {
			g, stdout, stderr := testGlobals()
			g.DBFile = path
			code := Run(g, args)
			msg := stderr.String() + stdout.String()
			want := ExitError
			if name == "smashed.db" && args[0] != "collect" {
				want = -1 // history may fail (2) or check find problems (1)
			}
			if (want >= 0 && code != want) || code == ExitOK || !strings.Contains(msg, path) {
				t.Errorf("%s %v: exit %d; want 2 and the file named\n%s", name, args, code, msg)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(after, data) {
				t.Errorf("%s %v: the file was changed", name, args)
			}
		}
	}
}

// inTmpfs runs script in a private mount namespace where dir is a small
// tmpfs of size bytes: a disk that fills, or that is read-only, for real.
func inTmpfs(t *testing.T, dir string, size int, script string, env ...string) string {
	t.Helper()
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Fatalf("unshare (util-linux) is needed: %v", err)
	}
	full := fmt.Sprintf("set -e\nmount -t tmpfs -o size=%d tmpfs %q\n%s", size, dir, script)
	c := exec.Command("unshare", "-rm", "sh", "-c", full)
	c.Env = append(os.Environ(), env...)
	out, err := c.CombinedOutput()
	if err != nil {
		t.Fatalf("unshare: %v\n%s", err, out)
	}
	return string(out)
}

// TestCollectDiskFullOrReadOnly: a store whose disk fills during the run, or
// whose folder is read-only, gives a clear error and stays as it was.
func TestCollectDiskFullOrReadOnly(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	writeCollectReturns(t, in, "")
	dir := t.TempDir()
	db := filepath.Join(dir, "planrep.db")
	g, _, _ := testGlobals()
	g.DBFile = db
	if code := Run(g, []string{"collect", "-o", filepath.Join(dir, "o"), in}); code != ExitOK {
		t.Fatalf("collect: exit %d", code)
	}
	_, rows := storeState(t, db)
	fi, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	mnt := filepath.Join(dir, "mnt")
	res := filepath.Join(dir, "res")
	for _, d := range []string{mnt, res} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := os.Args[0]
	run := fmt.Sprintf(`set +e
%s=1 %q --db %q collect -o %q %q >%q 2>&1
echo $? >%q
set -e
cp %q %q
`, asPlanrep, bin, filepath.Join(mnt, "planrep.db"), filepath.Join(dir, "out2"), in, filepath.Join(res, "msg"), filepath.Join(res, "code"),
		filepath.Join(mnt, "planrep.db"), filepath.Join(res, "planrep.db"))
	for _, c := range []struct {
		name, prepare, says string
	}{
		// Room for the store and its shared-memory index, not for the round.
		{"disk full", fmt.Sprintf("cp %q %q\nhead -c %d /dev/zero >%q || true\n", db, mnt, 1<<20-fi.Size()-64<<10, filepath.Join(mnt, "fill")), "磁盘空间不足"},
		{"read-only", fmt.Sprintf("cp %q %q\nmount -o remount,ro %q\n", db, mnt, mnt), "无法写入"},
	} {
		// The previous case's copy, if any: the first case has none.
		if err := os.Remove(filepath.Join(res, "planrep.db")); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		inTmpfs(t, mnt, 1<<20, c.prepare+run)
		code, _ := os.ReadFile(filepath.Join(res, "code"))
		msg, _ := os.ReadFile(filepath.Join(res, "msg"))
		if strings.TrimSpace(string(code)) != "2" || !strings.Contains(string(msg), c.says) || !strings.Contains(string(msg), "planrep.db") {
			t.Errorf("%s: exit %s; want 2 saying %q\n%s", c.name, code, c.says, msg)
		}
		_, after := storeState(t, filepath.Join(res, "planrep.db"))
		if !equalCounts(after, rows, nil) {
			t.Errorf("%s: the store changed: %v → %v", c.name, rows, after)
		}
	}
}
