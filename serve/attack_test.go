package serve

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/templates"
)

// Each test here is an attack the issue lists, tried against a live server.

func TestAttackOtherUnitsToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client()
	// SWJ hands in a return; GXJ, with its own valid link, cannot see it.
	if resp, _ := e.upload(c, "SWJ", "商务局机密.xlsx", makeReturn(t, e.p, "SWJ", nil)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	other := e.tokens["GXJ"]
	if other == "" {
		t.Fatal("no token for GXJ")
	}
	for _, path := range []string{"/u/" + other, "/u/" + other + "/s/1", "/u/" + other + "/s/1/feedback"} {
		resp, page := e.get(c, path)
		if strings.Contains(page, "商务局机密") || strings.Contains(page, "淄博市商务局") {
			t.Errorf("%s (%d) shows SWJ's submission", path, resp.StatusCode)
		}
		if strings.HasSuffix(path, "/1") && resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
	// GXJ uploads SWJ's return through its own link: refused with F24,
	// and nothing lands on SWJ.
	resp, _ := e.upload(c, "GXJ", "商务局.xlsx", makeReturn(t, e.p, "SWJ", nil))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	subs := mustGet(e.st.UnitSubmissions("2025Q3", "GXJ"))(t)
	if len(subs) != 1 || subs[0].Verdict != plan.Rejected || len(subs[0].Findings) != 1 || subs[0].Findings[0].Code != plan.UploadOtherUnit {
		t.Fatalf("GXJ's submissions: %+v", subs)
	}
	_, page := e.get(c, "/u/"+other+"/s/1")
	if !strings.Contains(page, "上传的不是本单位的填报表") || !strings.Contains(page, "市商务局") {
		t.Errorf("F24 not shown:\n%s", page)
	}
	if swj := mustGet(e.st.UnitSubmissions("2025Q3", "SWJ"))(t); len(swj) != 1 {
		t.Errorf("SWJ has %d submissions, want 1", len(swj))
	}
}

func TestAttackNoToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client()
	for _, path := range []string{"/u/", "/u", "/u//s/1", "/u/%20", "/admin/s/1"} {
		resp, page := e.get(c, path)
		if resp.StatusCode == http.StatusOK {
			t.Errorf("GET %s: 200\n%s", path, page)
		}
	}
	ctype, body := uploadBody(t, "x", "a.xlsx", []byte("data"))
	resp, _ := e.post(c, "/u/", ctype, body)
	if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /u/: %d", resp.StatusCode)
	}
	if n := e.count("uploads"); n != 0 {
		t.Errorf("%d submissions stored", n)
	}
}

func TestAttackGuessedToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client()
	real := e.tokens["SWJ"]
	// Near misses are refused like any other guess.
	guesses := []string{real[:len(real)-1] + flip(real[len(real)-1]), real[:len(real)-1], real + "A", strings.ToUpper(real), NewToken(TokenBytes)}
	for _, g := range guesses {
		resp, page := e.get(c, "/u/"+g)
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(page, "报送链接无效") {
			t.Errorf("guess %q: %d", g, resp.StatusCode)
		}
	}
	// Guessing at speed from one address is stopped.
	limited := false
	for i := 0; i < 20 && !limited; i++ {
		resp, _ := e.get(c, "/u/"+NewToken(TokenBytes))
		limited = resp.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Error("20 more guesses from one address were never limited")
	}
	if e.count("uploads") != 0 {
		t.Error("a guess stored something")
	}
}

func flip(b byte) string {
	if b == 'A' {
		return "B"
	}
	return "A"
}

func TestAttackReplayedForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client()
	tok := e.tokens["SWJ"]
	_, page := e.get(c, "/u/"+tok)
	form := csrf(t, page)
	data := makeReturn(t, e.p, "SWJ", nil)
	ctype, body := uploadBody(t, form, "a.xlsx", data)
	raw := body.Bytes()
	if resp, _ := e.post(c, "/u/"+tok, ctype, bytes.NewReader(raw)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first post: %d", resp.StatusCode)
	}
	resp, page := e.post(c, "/u/"+tok, ctype, bytes.NewReader(raw))
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "表单已失效") {
		t.Errorf("replay: %d", resp.StatusCode)
	}
	// A token issued to one unit is no good for another.
	_, page = e.get(c, "/u/"+tok)
	ctype, body = uploadBody(t, csrf(t, page), "a.xlsx", makeReturn(t, e.p, "GXJ", nil))
	if resp, _ := e.post(c, "/u/"+e.tokens["GXJ"], ctype, body); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another unit's form token: %d", resp.StatusCode)
	}
	// No token, or a made-up one.
	for _, f := range []string{"", NewToken(16)} {
		ctype, body = uploadBody(t, f, "a.xlsx", data)
		if resp, _ := e.post(c, "/u/"+tok, ctype, body); resp.StatusCode != http.StatusForbidden {
			t.Errorf("form token %q: %d", f, resp.StatusCode)
		}
	}
	if n := e.count("uploads"); n != 1 {
		t.Errorf("%d submissions stored, want 1", n)
	}
	// The office's forms too: a review posted twice acts once.
	e.login(c, "李四")
	_, page = e.get(c, "/admin/s/1")
	v := url.Values{"csrf": {csrf(t, page)}, "action": {"approve"}}
	if resp, _ := e.postForm(c, "/admin/s/1/review", v); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", resp.StatusCode)
	}
	if resp, _ := e.postForm(c, "/admin/s/1/review", v); resp.StatusCode != http.StatusForbidden {
		t.Errorf("replayed approval: %d", resp.StatusCode)
	}
	if n := e.count("reviews"); n != 1 {
		t.Errorf("%d reviews, want 1", n)
	}
}

// slowBody counts what the server read of it.
type countingReader struct {
	r  io.Reader
	n  int64
	mu sync.Mutex
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.mu.Lock()
	c.n += int64(n)
	c.mu.Unlock()
	return n, err
}

func TestAttackOversizedBody(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *Options) { o.MaxUpload = 1 << 20 })
	c := e.client()
	tok := e.tokens["SWJ"]
	// Declared too large: refused before a byte of the body is read.
	_, page := e.get(c, "/u/"+tok)
	ctype, body := uploadBody(t, csrf(t, page), "big.xlsx", make([]byte, 8<<20))
	cr := &countingReader{r: body}
	req := mustGet(http.NewRequest("POST", e.http.URL+"/u/"+tok, cr))(t)
	req.ContentLength = int64(body.Len())
	req.Header.Set("Content-Type", ctype)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), "文件过大") {
		t.Errorf("declared 8 MB: %d", resp.StatusCode)
	}
	// Undeclared (chunked): cut off at the cap.
	_, page = e.get(c, "/u/"+tok)
	ctype, body = uploadBody(t, csrf(t, page), "big.xlsx", make([]byte, 8<<20))
	req = mustGet(http.NewRequest("POST", e.http.URL+"/u/"+tok, io.MultiReader(body)))(t)
	req.ContentLength = -1
	req.Header.Set("Content-Type", ctype)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked 8 MB: %d", resp.StatusCode)
	}
	if n := e.count("uploads"); n != 0 {
		t.Errorf("%d submissions stored", n)
	}
}

// zipBomb is a workbook-shaped zip whose sheet inflates to 120 MB of zeros.
func zipBomb(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w := mustGet(zw.Create(name))(t)
		mustGet(io.WriteString(w, `<?xml version="1.0"?><x/>`))(t)
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for i := 0; i < 120; i++ {
		mustGet(w.Write(zeros))(t)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAttackZipBomb(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client()
	bomb := zipBomb(t)
	if len(bomb) > 1<<20 {
		t.Fatalf("bomb is %d bytes", len(bomb))
	}
	wrap := func(name string, data []byte) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w := mustGet(zw.Create(name))(t)
		mustGet(w.Write(data))(t)
		must(t, zw.Close())
		return buf.Bytes()
	}
	uploads := map[string][]byte{
		"炸弹.xlsx": bomb,                                    // a workbook whose sheet inflates past the limit
		"炸弹.zip":  wrap("填报表.xlsx", bomb),                  // the same inside a zip
		"炸弹2.zip": wrap("填报表.xlsx", make([]byte, 120<<20)), // a zip member past the limit itself
	}
	for _, name := range []string{"炸弹.xlsx", "炸弹.zip", "炸弹2.zip"} {
		resp, _ := e.upload(c, "SWJ", name, uploads[name])
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d", name, resp.StatusCode)
		}
	}
	subs := mustGet(e.st.UnitSubmissions("2025Q3", "SWJ"))(t)
	for _, s := range subs {
		if s.Verdict != plan.Rejected || len(s.Findings) == 0 {
			t.Errorf("%s: %s %+v", s.Name, s.Verdict, s.Findings)
			continue
		}
		if code := s.Findings[0].Code; code != plan.FileTooLarge && code != plan.FileArchive {
			t.Errorf("%s: finding %s %s, want %s", s.Name, code, s.Findings[0].Message, plan.FileTooLarge)
		}
	}
	_, page := e.get(c, "/u/"+e.tokens["SWJ"]+"/s/1")
	if !strings.Contains(page, "文件未被接收") || !strings.Contains(page, plan.FileTooLarge) {
		t.Errorf("bomb's page:\n%s", page)
	}
}

func TestAttackPathInFileName(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client()
	dir := t.TempDir()
	target := filepath.Join(dir, "pwned.xlsx")
	names := []string{"../../../../../../" + target, `..\..\..\Windows\pwned.xlsx`, target, "/etc/passwd", "a/../../b.xlsx", "con.xlsx", "evil\u202e.xlsx"}
	for _, n := range names {
		resp, _ := e.upload(c, "SWJ", n, makeReturn(t, e.p, "SWJ", nil))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%q: %d", n, resp.StatusCode)
		}
	}
	if _, err := os.Stat(target); err == nil {
		t.Fatalf("an upload's name became a path: %s exists", target)
	}
	subs := mustGet(e.st.UnitSubmissions("2025Q3", "SWJ"))(t)
	want := []string{"pwned.xlsx", "pwned.xlsx", "pwned.xlsx", "passwd", "b.xlsx", "con.xlsx", "evil.xlsx"}
	for i, s := range subs {
		if s.Name != want[i] {
			t.Errorf("%q shown as %q, want %q", names[i], s.Name, want[i])
		}
		if strings.ContainsAny(s.Name, `/\`) {
			t.Errorf("name %q keeps a separator", s.Name)
		}
		if s.Verdict != plan.Accepted {
			t.Errorf("%q: %s (the name must not change the verdict)", names[i], s.Verdict)
		}
	}
	// The server's scratch folder is empty again.
	if ents := mustGet(os.ReadDir(e.srv.tmp))(t); len(ents) != 0 {
		t.Errorf("scratch folder keeps %d entries", len(ents))
	}
}

func TestAttackHTMLInNarrative(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client()
	tok := e.tokens["SWJ"]
	e.upload(c, "SWJ", "a.xlsx", makeReturn(t, e.p, "SWJ", nil))
	evil := `<script>alert("x")</script><img src=x onerror=alert(1)>`
	tg := firstQuant(t, e.p, "SWJ")
	data := makeReturn(t, e.p, "SWJ", func(f *excelize.File) {
		sh, c := cellOf(e.p, tg.ID, templates.ColNote)
		must(t, f.SetCellStr(sh, c, evil))
		sh, c = cellOf(e.p, tg.ID, templates.ColActual)
		must(t, f.SetCellStr(sh, c, evil))
		must(t, f.SetCellStr(templates.SheetQuant, templates.CellFiller, evil))
	})
	e.upload(c, "SWJ", `<b>粗体<i>".xlsx`, data)
	e.login(c, "李四")
	pages := []string{"/u/" + tok, "/u/" + tok + "/s/2", "/admin", "/admin/s/2"}
	for _, p := range pages {
		resp, page := e.get(c, p)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
		for _, raw := range []string{"<script>alert", "<img src=x", "<b>粗体"} {
			if strings.Contains(page, raw) {
				t.Errorf("%s carries %q unescaped", p, raw)
			}
		}
	}
	_, page := e.get(c, "/u/"+tok+"/s/2")
	if !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Errorf("the narrative is not shown escaped")
	}
	if !strings.Contains(page, "&lt;b&gt;粗体&lt;i&gt;&#34;.xlsx") {
		t.Errorf("the file name is not shown escaped")
	}
}

func TestAttackConcurrentUploadsOneUnit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	tok := e.tokens["SWJ"]
	const n = 8
	datas := make([][]byte, n)
	for i := range datas {
		i := i
		datas[i] = makeReturn(t, e.p, "SWJ", func(f *excelize.File) {
			must(t, f.SetCellStr(templates.SheetQuant, templates.CellPhone, fmt.Sprintf("0533-000000%d", i)))
		})
	}
	forms := make([]string, n)
	for i := range forms {
		_, page := e.get(e.client(), "/u/"+tok)
		forms[i] = csrf(t, page)
	}
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctype, body, err := newUploadBody(forms[i], fmt.Sprintf("%d.xlsx", i), datas[i])
			if err != nil {
				t.Error(err)
				return
			}
			req, err := http.NewRequest("POST", e.http.URL+"/u/"+tok, body)
			if err != nil {
				t.Error(err)
				return
			}
			req.Header.Set("Content-Type", ctype)
			resp, err := e.client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		}(i)
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusSeeOther {
			t.Errorf("upload %d: %d", i, c)
		}
	}
	subs := mustGet(e.st.UnitSubmissions("2025Q3", "SWJ"))(t)
	if len(subs) != n {
		t.Fatalf("%d submissions, want %d", len(subs), n)
	}
	seqs, phones := map[int]bool{}, map[string]bool{}
	for _, s := range subs {
		seqs[s.Seq] = true
		phones[s.Phone] = true
		data := mustGet(e.st.SubmissionData(s.ID))(t)
		if hashHexBytes(data) != s.SHA256 {
			t.Errorf("submission %d: stored file does not match its hash", s.Seq)
		}
	}
	if len(seqs) != n || len(phones) != n {
		t.Errorf("sequence numbers %v, phones %v: not one each", seqs, phones)
	}
	// Past the unit's burst, uploads are limited.
	limited := false
	for i := 0; i < 10 && !limited; i++ {
		resp, _ := e.upload(e.client(), "SWJ", "x.xlsx", datas[0])
		limited = resp.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Error("a unit uploading 18 files at once was never limited")
	}
}

func TestNoDirectoryListing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client()
	for _, p := range []string{"/static/", "/static", "/static/..%2fserve.go", "/static/../serve.go", "/assets/", "/assets/unit.html",
		"/static/unit.html", "/admin/out/", "/admin/out/..%2f..%2fetc%2fpasswd"} {
		resp, page := e.get(c, p)
		if resp.StatusCode == http.StatusOK && (strings.Contains(page, "<a href") && strings.Contains(page, "app.js") || strings.Contains(page, "{{")) {
			t.Errorf("%s lists or leaks files", p)
		}
		if strings.HasPrefix(p, "/static/") && p != "/static/" && resp.StatusCode == http.StatusOK {
			t.Errorf("%s: 200", p)
		}
	}
	if resp, body := e.get(c, "/static/app.js"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "XMLHttpRequest") {
		t.Errorf("app.js: %d", resp.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	resp, _ := e.get(e.client(), "/u/"+e.tokens["SWJ"])
	h := resp.Header
	if !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") || h.Get("Referrer-Policy") != "no-referrer" ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", h)
	}
}

func TestAdminNeedsLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client()
	e.upload(c, "SWJ", "a.xlsx", makeReturn(t, e.p, "SWJ", nil))
	for _, p := range []string{"/admin", "/admin/s/1", "/admin/s/1/file", "/admin/out/round.json"} {
		resp, _ := e.get(c, p)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/login" {
			t.Errorf("GET %s: %d %s", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	for _, p := range []string{"/admin/s/1/review", "/admin/write", "/admin/logout"} {
		resp, _ := e.postForm(c, p, url.Values{"action": {"approve"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s: %d", p, resp.StatusCode)
		}
	}
	// A forged session cookie.
	req := mustGet(http.NewRequest("GET", e.http.URL+"/admin", nil))(t)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: NewToken(32)})
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("forged session: %d", resp.StatusCode)
	}
	// A wrong password.
	h := mustGet(HashPassword("正确的密码-2025"))(t)
	must(t, e.st.SetAdminPassword(h, time.Now()))
	_, page := e.get(c, "/admin/login")
	resp2, body := e.postForm(c, "/admin/login", url.Values{"csrf": {csrf(t, page)}, "user": {"王五"}, "password": {"错误的密码-2025"}})
	if resp2.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "密码不正确") {
		t.Errorf("wrong password: %d", resp2.StatusCode)
	}
	// The right one: an HttpOnly, SameSite=Strict cookie scoped to /admin.
	_, page = e.get(c, "/admin/login")
	resp2, _ = e.postForm(c, "/admin/login", url.Values{"csrf": {csrf(t, page)}, "user": {"王五"}, "password": {"正确的密码-2025"}})
	sc := resp2.Header.Get("Set-Cookie")
	for _, want := range []string{sessionCookie + "=", "HttpOnly", "SameSite=Strict", "Path=/admin"} {
		if !strings.Contains(sc, want) {
			t.Errorf("Set-Cookie %q lacks %s", sc, want)
		}
	}
	var cookie string
	for _, c := range resp2.Cookies() {
		if c.Name == sessionCookie {
			cookie = c.Value
		}
	}
	var stored string
	if err := e.in.DB().QueryRow("SELECT id_hash FROM sessions").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if cookie == "" || stored == cookie || stored != hashHex(cookie) {
		t.Errorf("the store keeps %q for the cookie %q; want its SHA-256", stored, cookie)
	}
}

func TestAuditLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client()
	e.upload(c, "SWJ", "a.xlsx", makeReturn(t, e.p, "SWJ", nil))
	e.login(c, "李四")
	_, page := e.get(c, "/admin/s/1")
	e.postForm(c, "/admin/s/1/review", url.Values{"csrf": {csrf(t, page)}, "action": {"return"}, "reason": {"请补充进展情况"}})
	byAction := map[string]store_AuditEntry{}
	for _, a := range e.audit() {
		byAction[a.Action] = store_AuditEntry(a)
	}
	up := byAction["upload"]
	subs := mustGet(e.st.UnitSubmissions("2025Q3", "SWJ"))(t)
	if up.Unit != "SWJ" || up.SHA256 != subs[0].SHA256 || up.Addr != "127.0.0.1" || up.At.IsZero() || up.Actor != "unit:SWJ" {
		t.Errorf("upload audit %+v", up)
	}
	if ret := byAction["return"]; ret.Actor != "admin:李四" || ret.Unit != "SWJ" || !strings.Contains(ret.Detail, "请补充进展情况") {
		t.Errorf("return audit %+v", ret)
	}
	if byAction["login"].Actor != "admin:李四" {
		t.Errorf("login not audited")
	}
}

// A zip of several files is refused whole (F25); a zip of the unit's one
// return is judged as that return.
func TestAttackSeveralFilesInOneUpload(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client()
	zipOf := func(files map[string][]byte) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, n := range []string{"a.xlsx", "b.xlsx"} {
			if d, ok := files[n]; ok {
				w := mustGet(zw.Create(n))(t)
				mustGet(w.Write(d))(t)
			}
		}
		must(t, zw.Close())
		return buf.Bytes()
	}
	ret := makeReturn(t, e.p, "SWJ", nil)
	e.upload(c, "SWJ", "两份.zip", zipOf(map[string][]byte{"a.xlsx": ret, "b.xlsx": makeReturn(t, e.p, "GXJ", nil)}))
	e.upload(c, "SWJ", "一份.zip", zipOf(map[string][]byte{"a.xlsx": ret}))
	subs := mustGet(e.st.UnitSubmissions("2025Q3", "SWJ"))(t)
	if len(subs) != 2 {
		t.Fatalf("%d submissions", len(subs))
	}
	if s := subs[0]; s.Verdict != plan.Rejected || len(s.Findings) != 1 || s.Findings[0].Code != plan.UploadSeveral || s.Findings[0].Severity != plan.Error {
		t.Errorf("two files in one zip: %s %+v", s.Verdict, s.Findings)
	}
	if s := subs[1]; s.Verdict != plan.Accepted || len(s.Values) == 0 {
		t.Errorf("one return in a zip: %s %+v", s.Verdict, s.Findings)
	}
	_, page := e.get(c, "/u/"+e.tokens["SWJ"]+"/s/1")
	if !strings.Contains(page, "一次上传了多个文件") || strings.Contains(page, "下载反馈表") {
		t.Errorf("F25 page:\n%s", page)
	}
}
