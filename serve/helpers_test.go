package serve

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/seeds"
	"planrep/simulate"
	"planrep/store"
	"planrep/templates"
)

var testPeriod = plan.MustPeriod("2025Q3")

func loadPlan(t testing.TB) *plan.Plan {
	t.Helper()
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// clock is a test clock that moves a second each time it is read.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 10, 8, 9, 0, 0, 0, time.Local)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// testEnv is a server on loopback with an in-memory store.
type testEnv struct {
	t      testing.TB
	p      *plan.Plan
	st     Store
	in     *store.Intake // the store the server writes into
	srv    *Server
	http   *httptest.Server
	tokens map[string]string // unit code -> token
	dir    string
}

func newEnv(t testing.TB, edit func(*Options)) *testEnv {
	t.Helper()
	p := loadPlan(t)
	dir := t.TempDir()
	in := openIntake(t, filepath.Join(dir, "planrep.db"), p)
	opt := Options{Plan: p, Period: testPeriod, Deadline: "2025-10-10", Contact: "市发展改革委 计划科 0533-3180000",
		Store: in, Now: newClock().now, RoundDir: filepath.Join(dir, "汇总"), ReportDir: filepath.Join(dir, "报告")}
	if edit != nil {
		edit(&opt)
	}
	srv, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	e := &testEnv{t: t, p: p, st: opt.Store, in: in, srv: srv, http: hs, tokens: map[string]string{}, dir: dir}
	toks, err := opt.Store.UnitTokens()
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range toks {
		e.tokens[tk.Unit] = tk.Token
	}
	return e
}

// client is a browser-like client: it keeps cookies and does not follow
// redirects, so tests see them.
func (e *testEnv) client() *http.Client {
	// cookiejar.New's error is always nil (so documented), and client is
	// called from goroutines too, where t.Fatal may not be.
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (e *testEnv) get(c *http.Client, path string) (*http.Response, string) {
	e.t.Helper()
	resp, err := c.Get(e.http.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, string(b)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the first form token on a page.
func csrf(t testing.TB, page string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form token on the page:\n%s", page)
	}
	return m[1]
}

// uploadBody is a multipart form as a browser sends it: the token, then the file.
func uploadBody(t testing.TB, token, name string, data []byte) (string, *bytes.Buffer) {
	t.Helper()
	ctype, body, err := newUploadBody(token, name, data)
	must(t, err)
	return ctype, body
}

// newUploadBody is uploadBody for a goroutine: the error comes back.
func newUploadBody(token, name string, data []byte) (string, *bytes.Buffer, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("csrf", token); err != nil {
		return "", nil, err
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		return "", nil, err
	}
	if _, err := fw.Write(data); err != nil {
		return "", nil, err
	}
	if err := mw.Close(); err != nil {
		return "", nil, err
	}
	return mw.FormDataContentType(), &buf, nil
}

// upload posts a file to a unit's link with a fresh form token from its page.
func (e *testEnv) upload(c *http.Client, unit, name string, data []byte) (*http.Response, string) {
	e.t.Helper()
	_, page := e.get(c, "/u/"+e.tokens[unit])
	ctype, body := uploadBody(e.t, csrf(e.t, page), name, data)
	return e.post(c, "/u/"+e.tokens[unit], ctype, body)
}

func (e *testEnv) post(c *http.Client, path, ctype string, body io.Reader) (*http.Response, string) {
	e.t.Helper()
	resp, err := c.Post(e.http.URL+path, ctype, body)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, string(b)
}

func (e *testEnv) postForm(c *http.Client, path string, v url.Values) (*http.Response, string) {
	e.t.Helper()
	return e.post(c, path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
}

// login sets a password and logs c in as user.
func (e *testEnv) login(c *http.Client, user string) {
	e.t.Helper()
	if h := mustGet(e.st.AdminPassword())(e.t); h == "" {
		h, err := HashPassword("正确的密码-2025")
		if err != nil {
			e.t.Fatal(err)
		}
		if err := e.st.SetAdminPassword(h, time.Now()); err != nil {
			e.t.Fatal(err)
		}
	}
	_, page := e.get(c, "/admin/login")
	resp, body := e.postForm(c, "/admin/login", url.Values{"csrf": {csrf(e.t, page)}, "user": {user}, "password": {"正确的密码-2025"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin" {
		e.t.Fatalf("login: %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

// tmplOptions are the options of the templates returns are filled from.
func tmplOptions() templates.Options {
	return templates.Options{Period: testPeriod, Deadline: "2025-10-10", Contact: "市发展改革委 计划科", Now: time.Date(2025, 9, 20, 9, 0, 0, 0, time.UTC)}
}

// cellOf is the sheet and A1 address of a target's column in a template.
func cellOf(p *plan.Plan, id, key string) (sheet, ref string) {
	t, _ := p.Target(id)
	cols, sheet := templates.QuantColumns, templates.SheetQuant
	if !t.Kind.Quantitative() {
		cols, sheet = templates.MilestoneColumns, templates.SheetMilestone
	}
	row := templates.FirstDataRow
	for _, o := range p.Led(t.Lead) {
		if o.ID == id {
			break
		}
		if o.Kind.Quantitative() == t.Kind.Quantitative() {
			row++
		}
	}
	return sheet, fmt.Sprintf("%s%d", templates.Col(cols, key), row)
}

// makeReturn fills unit dept's template as a careful department would (the
// simulator with no faults), lets edit change it, and returns the bytes.
func makeReturn(t testing.TB, p *plan.Plan, dept string, edit func(f *excelize.File)) []byte {
	t.Helper()
	d, ok := p.Dept(dept)
	if !ok {
		t.Fatalf("no department %s", dept)
	}
	f, err := templates.Build(p, d, tmplOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := simulate.Fill(f, p, simulate.Options{Period: testPeriod, Seed: 7}, "x.xlsx"); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(f)
	}
	var buf bytes.Buffer
	if err := simulate.Save(f, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// firstQuant is the first quantitative target unit dept leads.
func firstQuant(t testing.TB, p *plan.Plan, dept string) plan.Target {
	t.Helper()
	for _, tg := range p.Led(dept) {
		if tg.Kind.Quantitative() {
			return tg
		}
	}
	t.Fatalf("%s leads no quantitative target", dept)
	return plan.Target{}
}

type store_AuditEntry = store.AuditEntry

func hashHexBytes(b []byte) string { return hashHex(string(b)) }

// newLoadEnv is a server for plan p with limits that let one address send
// hundreds of uploads at once (the load test comes from loopback alone).
func newLoadEnv(t testing.TB, p *plan.Plan) *testEnv {
	t.Helper()
	in := openIntake(t, filepath.Join(t.TempDir(), "planrep.db"), p)
	opt := Options{Plan: p, Period: testPeriod, Deadline: "2025-10-10", Store: in, Now: newClock().now,
		Limits: Limits{PerAddr: Limit{Burst: 10000, Every: time.Millisecond}, Failures: DefaultLimits.Failures,
			PerUnit: DefaultLimits.PerUnit, PerLogins: DefaultLimits.PerLogins}}
	srv, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	e := &testEnv{t: t, p: p, st: in, in: in, srv: srv, http: hs, tokens: map[string]string{}}
	toks := mustGet(in.UnitTokens())(t)
	for _, tk := range toks {
		e.tokens[tk.Unit] = tk.Token
	}
	return e
}

// openIntake opens a fresh store file, as the commands do.
func openIntake(t testing.TB, path string, p *plan.Plan) *store.Intake {
	t.Helper()
	st, err := store.Open(path, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st.Intake(p.ID)
}

// count is the number of rows of a store table.
func (e *testEnv) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.in.DB().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// audit is the store's audit log.
func (e *testEnv) audit() []store.AuditEntry {
	e.t.Helper()
	a, err := e.in.Audit()
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}
