package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/serve"
	"planrep/store"
	"planrep/templates"
)

// serveGlobals are test globals with stdin holding input.
func serveGlobals(t *testing.T, input string) (*Globals, *bytes.Buffer, *bytes.Buffer) {
	g, out, errOut := testGlobals()
	g.IO.In = strings.NewReader(input)
	return g, out, errOut
}

var linkRe = regexp.MustCompile(`(?m)^([A-Z]+)\t(\S+)\t(http://127\.0\.0\.1:8080/u/([A-Za-z0-9_-]+))$`)

func TestServeLinksAndPasswd(t *testing.T) {
	g, out, errOut := serveGlobals(t, "")
	if code := Run(g, []string{"--db", g.DBFile, "serve", "links"}); code != ExitError || !strings.Contains(errOut.String(), "--url") {
		t.Errorf("links without --url: %d %s", code, errOut)
	}
	errOut.Reset()
	if code := Run(g, []string{"--db", g.DBFile, "serve", "links", "--url", "http://127.0.0.1:8080"}); code != ExitOK {
		t.Fatalf("links: %d %s", code, errOut)
	}
	p := defaultPlan(t)
	m := linkRe.FindAllStringSubmatch(out.String(), -1)
	if units := serve.Units(p); len(m) != len(units) || len(units) <= len(p.LeadDepts()) {
		t.Fatalf("%d links for %d units (departments and 区县):\n%s", len(m), len(units), out)
	}
	first := out.String()
	tokens := map[string]string{}
	for _, l := range m {
		if len(l[4]) < 22 { // 22 base64 characters carry 132 bits
			t.Errorf("%s: token %q is shorter than 128 bits", l[1], l[4])
		}
		d, _ := p.Unit(l[1])
		if l[2] != d.Name {
			t.Errorf("%s named %q, want %q", l[1], l[2], d.Name)
		}
		tokens[l[1]] = l[4]
	}
	// The same links again; a rotated one changes, alone.
	out.Reset()
	Run(g, []string{"--db", g.DBFile, "serve", "links", "--url", "http://127.0.0.1:8080"})
	if out.String() != first {
		t.Error("links changed between two runs")
	}
	out.Reset()
	if code := Run(g, []string{"--db", g.DBFile, "serve", "links", "--url", "http://127.0.0.1:8080", "--rotate", "swj"}); code != ExitOK {
		t.Fatalf("rotate: %d %s", code, errOut)
	}
	for _, l := range linkRe.FindAllStringSubmatch(out.String(), -1) {
		if changed := l[4] != tokens[l[1]]; changed != (l[1] == "SWJ") {
			t.Errorf("%s: token changed %v after rotating SWJ", l[1], changed)
		}
	}

	// The password: too short refused, then set; only a bcrypt hash is kept.
	g.IO.In = strings.NewReader("short\n")
	errOut.Reset()
	if code := Run(g, []string{"--db", g.DBFile, "serve", "passwd"}); code != ExitError || !strings.Contains(errOut.String(), "至少使用 10 个字符") {
		t.Errorf("short password: %d %s", code, errOut)
	}
	g.IO.In = strings.NewReader("审核台的密码-2025\n")
	out.Reset()
	if code := Run(g, []string{"--db", g.DBFile, "serve", "passwd"}); code != ExitOK || !strings.Contains(out.String(), "审核台密码已设置") {
		t.Fatalf("passwd: %d %s %s", code, out, errOut)
	}
	st, err := store.Open(g.DBFile, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := st.Intake(p.ID).AdminPassword()
	if err != nil || !strings.HasPrefix(h, "$2a$") || strings.Contains(h, "2025") {
		t.Errorf("stored password %q, %v", h, err)
	}
}

// startServe runs `serve` in the background until the returned stop is called.
func startServe(t *testing.T, g *Globals, args ...string) (base string, stop func() error) {
	t.Helper()
	ready := make(chan net.Addr, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serveRun(&ServeOptions{G: g, Addr: "127.0.0.1:0", Period: "2025Q3", MaxUpload: 20, Grace: 30 * time.Second,
			RoundDir: filepath.Join(t.TempDir(), "汇总"), ReportDir: filepath.Join(t.TempDir(), "报告"),
			Context: ctx, Ready: func(a net.Addr) { ready <- a }})
	}()
	select {
	case a := <-ready:
		return "http://" + a.String(), func() error { cancel(); return <-done }
	case err := <-done:
		cancel()
		t.Fatalf("serve did not start: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("serve did not start in 30 s")
	}
	return "", nil
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// uploadTo posts data to a unit's link as its page's form would.
func uploadTo(t *testing.T, link, name string, data []byte) int {
	t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page := mustGet(io.ReadAll(resp.Body))
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no form on %s (%d)", link, resp.StatusCode)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	must(mw.WriteField("csrf", string(m[1])))
	fw := mustGet(mw.CreateFormFile("file", name))
	mustGet(fw.Write(data))
	must(mw.Close())
	resp, err = noFollow.Post(link, mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestServeAndReview(t *testing.T) {
	g, out, errOut := serveGlobals(t, "")
	p := defaultPlan(t)
	per := plan.MustPeriod("2025Q3")
	dir := t.TempDir()
	swj, _ := p.Dept("SWJ")
	gxj, _ := p.Dept("GXJ")
	clean := mustGet(os.ReadFile(writeReturn(t, dir, p, swj, per, "2025-10-08", onSchedule(per))))
	faulty := mustGet(os.ReadFile(writeReturn(t, t.TempDir(), p, gxj, per, "2025-10-08", func(plan.Target) *float64 { return nil })))

	base, stop := startServe(t, g)
	if !strings.Contains(out.String(), "网上报送已启动："+base) || !strings.Contains(out.String(), "尚未设置密码") {
		t.Errorf("start message:\n%s", out)
	}
	lg, lout, _ := serveGlobals(t, "")
	Run(lg, []string{"--db", g.DBFile, "serve", "links", "--url", base})
	links := map[string]string{}
	for _, l := range regexp.MustCompile(`(?m)^([A-Z]+)\t\S+\t(\S+)$`).FindAllStringSubmatch(lout.String(), -1) {
		links[l[1]] = l[2]
	}
	if c := uploadTo(t, links["SWJ"], "商务局.xlsx", clean); c != http.StatusSeeOther {
		t.Fatalf("SWJ upload: %d", c)
	}
	if c := uploadTo(t, links["GXJ"], "工信局.xlsx", faulty); c != http.StatusSeeOther {
		t.Fatalf("GXJ upload: %d", c)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve: %v\n%s", err, errOut)
	}
	if !strings.HasSuffix(out.String(), "网上报送已停止。\n") {
		t.Errorf("stop message:\n%s", out)
	}

	// The office reviews from the command line.
	review := func(args ...string) (int, string, string) {
		rg, rout, rerr := serveGlobals(t, "")
		code := Run(rg, append([]string{"--db", g.DBFile, "review"}, args...))
		return code, rout.String(), rerr.String()
	}
	code, lst, _ := review("list", "--period", "2025Q3")
	if code != ExitOK {
		t.Fatalf("review list: %d", code)
	}
	for _, want := range []string{"市商务局", "已接收", "待审核", "未报送", "已报送 2/", "催报名单", "市工业和信息化局（GXJ）：第1次报送仍有"} {
		if !strings.Contains(lst, want) {
			t.Errorf("review list lacks %q:\n%s", want, lst)
		}
	}
	if code, _, e := review("return", "GXJ", "--period", "2025Q3"); code != ExitError || !strings.Contains(e, "请写明原因") {
		t.Errorf("return without a reason: %d %s", code, e)
	}
	if code, o, e := review("return", "GXJ", "--period", "2025Q3", "--reason", "请填写本期完成值", "--by", "王五"); code != ExitOK || !strings.Contains(o, "已退回市工业和信息化局（GXJ）第 1 次报送") {
		t.Errorf("return: %d %s %s", code, o, e)
	}
	if code, o, e := review("approve", "swj", "--period", "2025Q3", "--by", "王五"); code != ExitOK || !strings.Contains(o, "已审核通过") {
		t.Errorf("approve: %d %s %s", code, o, e)
	}
	if code, _, e := review("revoke", "FGW", "--period", "2025Q3"); code != ExitError || !strings.Contains(e, "没有网上报送") {
		t.Errorf("revoke without uploads: %d %s", code, e)
	}
	if code, _, e := review("approve", "XXX", "--period", "2025Q3"); code != ExitError || !strings.Contains(e, "没有“XXX”这个单位") {
		t.Errorf("unknown unit: %d %s", code, e)
	}
	code, js, _ := review("list", "--period", "2025Q3", "--json")
	var rows []reviewRow
	if err := json.Unmarshal([]byte(js), &rows); err != nil || code != ExitOK {
		t.Fatalf("list --json: %v\n%s", err, js)
	}
	got := map[string]reviewRow{}
	for _, r := range rows {
		got[r.Unit] = r
	}
	if r := got["GXJ"]; r.Review != store.ReviewReturn || r.By != "王五" || r.Reason != "请填写本期完成值" || r.Counted {
		t.Errorf("GXJ row %+v", r)
	}
	if r := got["SWJ"]; r.Review != store.ReviewApprove || !r.Counted || r.Errors != 0 {
		t.Errorf("SWJ row %+v", r)
	}
	// What the CLI did is in the audit log with who did it.
	st, err := store.Open(g.DBFile, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	audit, _ := st.Intake(p.ID).Audit()
	var acts []string
	for _, a := range audit {
		if strings.HasPrefix(a.Actor, "cli:王五") || a.Action == "upload" {
			acts = append(acts, a.Action+"/"+a.Unit)
		}
	}
	if got := strings.Join(acts, ","); got != "upload/SWJ,upload/GXJ,return/GXJ,approve/SWJ" {
		t.Errorf("audit: %s", got)
	}
}

// slowReader gives its data in two halves with a pause between, the second
// half only once released.
type slowReader struct {
	data    []byte
	sent    int
	release chan struct{}
	started chan struct{}
}

func (r *slowReader) Read(p []byte) (int, error) {
	if r.sent == len(r.data) {
		return 0, io.EOF
	}
	half := len(r.data) / 2
	if r.sent == half {
		close(r.started)
		<-r.release
	}
	end := len(r.data)
	if r.sent < half {
		end = half
	}
	n := copy(p, r.data[r.sent:end])
	r.sent += n
	return n, nil
}

// TestServeStopsGracefully sends the process SIGTERM while an upload is
// half sent: the server stops taking requests, finishes the upload (judged
// and stored) and the command returns without error.
func TestServeStopsGracefully(t *testing.T) {
	g, out, errOut := serveGlobals(t, "")
	p := defaultPlan(t)
	per := plan.MustPeriod("2025Q3")
	swj, _ := p.Dept("SWJ")
	data := mustGet(os.ReadFile(writeReturn(t, t.TempDir(), p, swj, per, "2025-10-08", onSchedule(per))))
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	active := make(chan struct{}, 16)
	go func() {
		// No Context: SIGINT and SIGTERM stop it, as from a terminal.
		done <- serveRun(&ServeOptions{G: g, Addr: "127.0.0.1:0", Period: "2025Q3", MaxUpload: 20, Grace: 30 * time.Second,
			RoundDir: t.TempDir(), ReportDir: t.TempDir(), Ready: func(a net.Addr) { ready <- a },
			ConnState: func(_ net.Conn, s http.ConnState) {
				if s == http.StateActive {
					active <- struct{}{}
				}
			}})
	}()
	var base string
	select {
	case a := <-ready:
		base = "http://" + a.String()
	case err := <-done:
		t.Fatalf("serve: %v", err)
	}
	lg, lout, _ := serveGlobals(t, "")
	Run(lg, []string{"--db", g.DBFile, "serve", "links", "--url", base})
	link := regexp.MustCompile(`(?m)^SWJ\t\S+\t(\S+)$`).FindStringSubmatch(lout.String())[1]
	// A connection of its own for each request: an idle kept-alive one is
	// closed at shutdown, as it should be.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := fresh.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page := mustGet(io.ReadAll(resp.Body))
	resp.Body.Close()
	<-active // the page's request
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	must(mw.WriteField("csrf", string(csrfField.FindSubmatch(page)[1])))
	fw := mustGet(mw.CreateFormFile("file", "商务局.xlsx"))
	mustGet(fw.Write(data))
	must(mw.Close())
	sr := &slowReader{data: body.Bytes(), release: make(chan struct{}), started: make(chan struct{})}
	req := mustGet(http.NewRequest("POST", link, sr))
	req.ContentLength = int64(body.Len())
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status := make(chan int, 1)
	go func() {
		resp, err := fresh.Do(req)
		if err != nil {
			t.Error(err)
			status <- 0
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	<-sr.started
	<-active // the server is reading the upload: it is in flight
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The server stops listening while the upload is still in flight…
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still takes connections 10 s after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("serve returned before the upload in flight finished: %v", err)
	default:
	}
	// …and finishes it.
	close(sr.release)
	if s := <-status; s != http.StatusSeeOther {
		t.Errorf("upload in flight: %d", s)
	}
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, errOut)
	}
	if !strings.Contains(out.String(), "网上报送已停止") {
		t.Errorf("output:\n%s", out)
	}
	st, err := store.Open(g.DBFile, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	subs, err := st.Intake(p.ID).UnitSubmissions("2025Q3", "SWJ")
	if err != nil || len(subs) != 1 || subs[0].Verdict != plan.Accepted {
		t.Errorf("stored: %+v %v", subs, err)
	}
}

func TestTemplatesRosterHasLinks(t *testing.T) {
	g, out, errOut := serveGlobals(t, "")
	dir := t.TempDir()
	if code := Run(g, []string{"--db", g.DBFile, "templates", "--period", "2025Q3", "--units", "all", "-o", dir, "--url", "http://10.1.2.3:8080"}); code != ExitOK {
		t.Fatalf("templates: %d %s", code, errOut)
	}
	out.Reset()
	if code := Run(g, []string{"--db", g.DBFile, "serve", "links", "--url", "http://10.1.2.3:8080"}); code != ExitOK {
		t.Fatalf("links: %d %s", code, errOut)
	}
	want := map[string]string{}
	for _, l := range regexp.MustCompile(`(?m)^([A-Z]+)\t\S+\t(\S+)$`).FindAllStringSubmatch(out.String(), -1) {
		want[l[1]] = l[2]
	}
	f, err := excelize.OpenFile(filepath.Join(dir, templates.RosterFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("发放清单")
	if err != nil {
		t.Fatal(err)
	}
	head := rows[1]
	if last := head[len(head)-1]; !strings.HasPrefix(last, "网上报送链接") {
		t.Fatalf("last heading %q", last)
	}
	n := 0
	for _, r := range rows[2:] {
		code, link := r[2], r[len(r)-1]
		if want[code] == "" || link != want[code] {
			t.Errorf("%s: link %q, want %q", code, link, want[code])
		}
		n++
	}
	if n != len(want) {
		t.Errorf("%d rows for %d links", n, len(want))
	}
	// Without --url, no column and no store needed.
	dir2 := t.TempDir()
	if code := Run(g, []string{"--db", filepath.Join(t.TempDir(), "none.db"), "templates", "--period", "2025Q3", "-o", dir2}); code != ExitOK {
		t.Fatalf("templates: %d %s", code, errOut)
	}
	f2, err := excelize.OpenFile(filepath.Join(dir2, templates.RosterFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	rows, _ = f2.GetRows("发放清单")
	if strings.Contains(strings.Join(rows[1], ""), "链接") {
		t.Error("a roster without --url has a link column")
	}
}
