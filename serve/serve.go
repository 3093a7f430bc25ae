// Package serve is the web intake and the office's review desk: each
// reporting unit hands in its workbook through its own secret link and sees
// at once what collect's code finds in it; the planning office, behind a
// login, watches the round fill up, approves or returns submissions and
// writes the round and the reports. Pages are server-rendered HTML that works
// as plain forms; a little embedded JavaScript only adds drag and drop and
// progress. Nothing is fetched from elsewhere at run time.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"

	"planrep/plan"
	"planrep/store"
	"planrep/workbook"
)

// Store is what the server keeps in the year's store.
type Store interface {
	UnitTokens() ([]store.UnitToken, error)
	SetUnitToken(t store.UnitToken) error
	AdminPassword() (string, error) // the hash, "" when none is set
	SetAdminPassword(hash string, at time.Time) error
	AddSession(s store.Session) error
	Session(idHash string) (store.Session, bool, error)
	DeleteSession(idHash string) error
	// AddSubmission records a submission and its file, setting its ID and Seq.
	AddSubmission(s *store.Submission, data []byte) error
	Submissions(period string) ([]store.Submission, error) // by unit, then Seq
	UnitSubmissions(period, unit string) ([]store.Submission, error)
	SubmissionData(id int64) ([]byte, error)
	AddReview(r *store.Review) error
	Reviews(period string) ([]store.Review, error) // in the order they were made
	AddAudit(e store.AuditEntry) error
}

// Options configure a server.
type Options struct {
	Plan     *plan.Plan
	Period   plan.Period
	Deadline string // YYYY-MM-DD
	Contact  string // printed in the templates and on the pages
	Store    Store
	Now      func() time.Time
	// RoundDir and ReportDir are where the desk writes the round and the reports.
	RoundDir, ReportDir string
	// WriteReports writes the reports of a round into dir and returns the files written.
	WriteReports func(p *plan.Plan, r *plan.Round, dir string) ([]string, error)
	// Annotate, when set, adds to a round collected for the desk what the
	// store knows (the corrections since each unit's previous return)
	// before its outputs are written.
	Annotate func(res *workbook.Result) error
	// RecordRound, when set, records a round written from the desk in the store.
	RecordRound func(res *workbook.Result) error
	// Collect is what collect is given besides its inputs (limits); the
	// server sets the period and the workers.
	Collect workbook.Options
	// Earlier, when set, gives collect the store's earlier periods for the
	// period-over-period checks, as collect's own run does.
	Earlier func(plan.Period) (map[string]workbook.Prior, error)
	// MaxUpload caps the size of an uploaded file; 0 means DefaultMaxUpload.
	MaxUpload int64
	Limits    Limits
	// Judges is how many uploads are judged at once; 0 means 4.
	Judges int
	Log    io.Writer // one line per request that changes something; nil discards
	// ConnState, when set, is told of each connection's state (monitoring, tests).
	ConnState func(net.Conn, http.ConnState)
}

// DefaultMaxUpload is the largest file a unit may upload: a template is a
// few dozen KB, and a return with pictures pasted in a few MB.
const DefaultMaxUpload = 20 << 20

// Limits are the rate limits.
type Limits struct {
	PerAddr   Limit // every request, per client address
	Failures  Limit // unknown tokens and failed logins, per client address
	PerUnit   Limit // uploads, per unit
	PerLogins Limit // login attempts, per client address
}

// DefaultLimits suit an office whose units may all come from one address of
// the government network: generous per address, strict on guesses.
var DefaultLimits = Limits{
	PerAddr:   Limit{Burst: 600, Every: 50 * time.Millisecond},
	Failures:  Limit{Burst: 10, Every: 30 * time.Second},
	PerUnit:   Limit{Burst: 10, Every: 6 * time.Second},
	PerLogins: Limit{Burst: 10, Every: 30 * time.Second},
}

// collect runs collect's own code on inputs for the server's period, with
// the store's earlier periods when there is a store; a failure to read them
// fails the run rather than skip the checks.
func (s *Server) collect(inputs []string, workers int) (*workbook.Result, error) {
	o := s.opt.Collect
	o.Period, o.Workers, o.Progress, o.Exclude = &s.per, workers, nil, nil
	var mu sync.Mutex
	var failed error
	if s.opt.Earlier != nil {
		o.Earlier = func(per plan.Period) map[string]workbook.Prior {
			m, err := s.opt.Earlier(per)
			if err != nil {
				mu.Lock()
				failed = err
				mu.Unlock()
			}
			return m
		}
	}
	res, err := s.collector.Collect(inputs, o)
	if err == nil {
		err = failed
	}
	return res, err
}

// Server serves the intake and the desk.
type Server struct {
	opt   Options
	p     *plan.Plan
	per   plan.Period
	now   func() time.Time
	st    Store
	units []plan.Unit
	// collector is collect's engine with the registry indexed once.
	collector *workbook.Collector
	unitByID  map[string]plan.Unit
	tokens    *tokenTable
	forms     *forms
	addrLim   *limiter
	failLim   *limiter
	unitLim   *limiter
	loginLim  *limiter
	judges    chan struct{}
	tmp       string
	log       *log.Logger

	tplMu     sync.Mutex
	templates map[string][]byte // a unit's template, built once

	writeMu   sync.Mutex // one write of the round at a time
	outputs   []output   // what the last write wrote
	writtenAt time.Time
}

// New makes a server. Every unit that leads targets gets a token if it has
// none yet. Call Close when done.
func New(opt Options) (*Server, error) {
	if opt.Plan == nil || opt.Store == nil {
		return nil, errors.New("serve: plan and store are required")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.MaxUpload <= 0 {
		opt.MaxUpload = DefaultMaxUpload
	}
	if opt.Judges <= 0 {
		opt.Judges = 4
	}
	if opt.Limits == (Limits{}) {
		opt.Limits = DefaultLimits
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	if opt.Deadline == "" {
		opt.Deadline = opt.Period.End().AddDate(0, 0, 10).Format("2006-01-02")
	}
	tmp, err := os.MkdirTemp("", "planrep-serve-*")
	if err != nil {
		return nil, fmt.Errorf("无法创建临时文件夹：%v", err)
	}
	s := &Server{
		opt: opt, p: opt.Plan, per: opt.Period, now: opt.Now, st: opt.Store,
		units: Units(opt.Plan), unitByID: map[string]plan.Unit{}, collector: workbook.NewCollector(opt.Plan),
		// Form tokens and rate limits run on the real clock, whatever the
		// clock that dates submissions says.
		tokens: newTokenTable(), forms: newForms(time.Now),
		addrLim: newLimiter(opt.Limits.PerAddr, time.Now), failLim: newLimiter(opt.Limits.Failures, time.Now),
		unitLim: newLimiter(opt.Limits.PerUnit, time.Now), loginLim: newLimiter(opt.Limits.PerLogins, time.Now),
		judges: make(chan struct{}, opt.Judges), tmp: tmp, log: log.New(opt.Log, "", log.LstdFlags),
		templates: map[string][]byte{},
	}
	for _, u := range s.units {
		s.unitByID[u.Code] = u
	}
	if _, err := EnsureTokens(opt.Store, opt.Plan, opt.Now()); err != nil {
		s.Close()
		return nil, err
	}
	toks, err := opt.Store.UnitTokens()
	if err != nil {
		s.Close()
		return nil, err
	}
	for _, t := range toks {
		s.tokens.set(t.Unit, t.Token)
	}
	return s, nil
}

// Close removes the server's temporary files.
func (s *Server) Close() error { return os.RemoveAll(s.tmp) }

// Units are the reporting units of a plan, as collect knows them: the
// departments that lead targets, then the 区县 that carry a quota or a
// target of their own.
func Units(p *plan.Plan) []plan.Unit {
	var out []plan.Unit
	for _, d := range p.LeadDepts() {
		out = append(out, d.Unit())
	}
	for _, d := range p.ReportingDistricts() {
		out = append(out, d.Unit())
	}
	return out
}

// EnsureTokens gives every unit without a token a fresh one and returns
// every unit's token, in roster order.
func EnsureTokens(st Store, p *plan.Plan, now time.Time) ([]store.UnitToken, error) {
	have, err := st.UnitTokens()
	if err != nil {
		return nil, err
	}
	by := map[string]store.UnitToken{}
	for _, t := range have {
		by[t.Unit] = t
	}
	var out []store.UnitToken
	for _, u := range Units(p) {
		t, ok := by[u.Code]
		if !ok {
			t = store.UnitToken{Unit: u.Code, Token: NewToken(TokenBytes), Created: now}
			if err := st.SetUnitToken(t); err != nil {
				return nil, err
			}
			if err := st.AddAudit(store.AuditEntry{At: now, Actor: "cli", Action: "token", Unit: u.Code, Detail: "生成报送链接"}); err != nil {
				return nil, err
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// RotateToken gives a unit a new token: its old link stops working.
func RotateToken(st Store, unit string, now time.Time, actor string) (store.UnitToken, error) {
	t := store.UnitToken{Unit: unit, Token: NewToken(TokenBytes), Created: now}
	if err := st.SetUnitToken(t); err != nil {
		return t, err
	}
	return t, st.AddAudit(store.AuditEntry{At: now, Actor: actor, Action: "token", Unit: unit, Detail: "更换报送链接，原链接作废"})
}

// Link is a unit's address on a server reached at base (http://host:port).
func Link(base, token string) string {
	for len(base) > 0 && base[len(base)-1] == '/' {
		base = base[:len(base)-1]
	}
	return base + "/u/" + token
}

// Handler is the server's HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /static/{name}", s.static)
	mux.HandleFunc("GET /u/{token}", s.unitPage)
	mux.HandleFunc("POST /u/{token}", s.upload)
	mux.HandleFunc("GET /u/{token}/template", s.unitTemplate)
	mux.HandleFunc("GET /u/{token}/s/{seq}", s.unitSubmission)
	mux.HandleFunc("GET /u/{token}/s/{seq}/feedback", s.unitFeedback)
	mux.HandleFunc("GET /admin/login", s.loginPage)
	mux.HandleFunc("POST /admin/login", s.login)
	mux.HandleFunc("POST /admin/logout", s.admin(s.logout))
	mux.HandleFunc("GET /admin", s.admin(s.desk))
	mux.HandleFunc("GET /admin/{$}", s.admin(s.desk))
	mux.HandleFunc("GET /admin/s/{id}", s.admin(s.adminSubmission))
	mux.HandleFunc("GET /admin/s/{id}/file", s.admin(s.adminFile))
	mux.HandleFunc("GET /admin/s/{id}/feedback", s.admin(s.adminFeedback))
	mux.HandleFunc("POST /admin/s/{id}/review", s.admin(s.review))
	mux.HandleFunc("POST /admin/write", s.admin(s.writeRound))
	mux.HandleFunc("GET /admin/out/{name}", s.admin(s.output))
	mux.HandleFunc("/", s.notFound)
	return secure(s.guard(mux))
}

// guard applies the per-address rate limit and turns a panic into a page.
func (s *Server) guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Printf("panic serving %s %s: %v", r.Method, r.URL.Path, v)
				s.fail(w, r, http.StatusInternalServerError, "服务器内部错误", "处理请求时出现意外错误，请稍后重试；如仍出现，请联系市发展改革委。")
			}
		}()
		if !s.addrLim.allow(clientAddr(r)) {
			s.tooMany(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Run serves on addr until ctx is done, then stops accepting connections and
// waits up to grace for requests in flight (uploads being judged) to finish.
// ready, if not nil, is called with the address once the server listens.
func (s *Server) Run(ctx context.Context, addr string, grace time.Duration, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s：%v（端口可能已被占用，请用 --addr 换一个）", addr, err)
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // a slow line uploading a few MB
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(io.Discard, "", 0),
		ConnState:         s.opt.ConnState,
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("停止服务时仍有请求未完成：%v", err)
	}
	return nil
}

// latest returns each unit's submissions of the period, grouped by unit.
func bySubmitter(subs []store.Submission) map[string][]store.Submission {
	m := map[string][]store.Submission{}
	for _, x := range subs {
		m[x.Unit] = append(m[x.Unit], x)
	}
	for _, l := range m {
		sort.Slice(l, func(i, j int) bool { return l[i].Seq < l[j].Seq })
	}
	return m
}
