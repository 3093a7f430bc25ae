package serve

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"planrep/plan"
	"planrep/store"
	"planrep/workbook"
)

// sessionCookie carries an office session id; the store keeps its hash.
const sessionCookie = "planrep_session"

// sessionTTL is how long a login lasts.
const sessionTTL = 12 * time.Hour

// HashPassword hashes the desk's password with bcrypt.
func HashPassword(pw string) (string, error) {
	if err := CheckPasswordRules(pw); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(h), err
}

// CheckPasswordRules says what is wrong with a proposed password.
func CheckPasswordRules(pw string) error {
	switch {
	case utf8.RuneCountInString(pw) < 10:
		return errors.New("密码太短：请至少使用 10 个字符")
	case len(pw) > 72:
		return errors.New("密码太长：请不超过 72 个字节（约 24 个汉字或 72 个字母数字）")
	}
	return nil
}

type loginPage struct {
	base
	CSRF, Message string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.showLogin(w, r, http.StatusOK, "")
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, status, "login.html", loginPage{base: s.base("审核台登录"), CSRF: s.forms.issue("login:" + clientAddr(r)), Message: msg})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	addr := clientAddr(r)
	if !s.loginLim.allow(addr) {
		s.tooMany(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.showLogin(w, r, http.StatusBadRequest, "表单不完整，请重新输入。")
		return
	}
	if !s.forms.use("login:"+addr, r.PostForm.Get("csrf")) {
		s.showLogin(w, r, http.StatusForbidden, "登录页面已失效，请重新输入。")
		return
	}
	user := strings.TrimSpace(r.PostForm.Get("user"))
	if user == "" || utf8.RuneCountInString(user) > 40 {
		s.showLogin(w, r, http.StatusBadRequest, "请填写经办人姓名（不超过 40 个字）。")
		return
	}
	hash, err := s.st.AdminPassword()
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if hash == "" {
		s.showLogin(w, r, http.StatusForbidden, "审核台还没有设置密码：请在服务器上运行 planrep serve passwd 设置后再登录。")
		return
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(r.PostForm.Get("password"))) != nil {
		s.failLim.allow(addr)
		s.st.AddAudit(store.AuditEntry{At: s.now(), Actor: "admin:" + user, Action: "login-failed", Addr: addr})
		s.showLogin(w, r, http.StatusUnauthorized, "密码不正确，请重新输入。")
		return
	}
	id := NewToken(32)
	now := s.now()
	sess := store.Session{IDHash: hashHex(id), User: user, Created: now, Expires: now.Add(sessionTTL)}
	if err := s.st.AddSession(sess); err != nil {
		s.internal(w, r, err)
		return
	}
	s.st.AddAudit(store.AuditEntry{At: now, Actor: "admin:" + user, Action: "login", Addr: addr})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/admin", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS != nil, MaxAge: int(sessionTTL / time.Second)})
	http.Redirect(w, r, "/admin", http.StatusSeeOther)
}

// admin lets a handler run only for a logged-in office user.
func (s *Server) admin(h func(http.ResponseWriter, *http.Request, store.Session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		var sess store.Session
		ok := false
		if err == nil && len(c.Value) >= 32 && len(c.Value) <= 128 {
			sess, ok, err = s.st.Session(hashHex(c.Value))
			if err != nil {
				s.internal(w, r, err)
				return
			}
			ok = ok && subtle.ConstantTimeCompare([]byte(sess.IDHash), []byte(hashHex(c.Value))) == 1 && s.now().Before(sess.Expires)
		}
		if !ok {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
				return
			}
			s.failBack(w, r, http.StatusForbidden, "请先登录", "登录已过期或尚未登录：请重新登录审核台后再操作。", "/admin/login")
			return
		}
		h(w, r, sess)
	}
}

func (s *Server) adminBase(title string, sess store.Session) base {
	b := s.base(title)
	b.Admin = sess.User
	b.LogoutCSRF = s.forms.issue("admin:" + sess.IDHash)
	return b
}

// postForm parses a small form and checks its one-time token.
func (s *Server) postForm(w http.ResponseWriter, r *http.Request, sess store.Session) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.failBack(w, r, http.StatusBadRequest, "表单不完整", "请返回审核台刷新后重试。", "/admin")
		return false
	}
	if !s.forms.use("admin:"+sess.IDHash, r.PostForm.Get("csrf")) {
		s.failBack(w, r, http.StatusForbidden, "表单已失效", "这个页面已经提交过或打开太久了：请返回审核台，刷新后重新操作。", "/admin")
		return false
	}
	return true
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, sess store.Session) {
	if !s.postForm(w, r, sess) {
		return
	}
	if err := s.st.DeleteSession(sess.IDHash); err != nil {
		s.internal(w, r, err)
		return
	}
	s.st.AddAudit(store.AuditEntry{At: s.now(), Actor: "admin:" + sess.User, Action: "logout", Addr: clientAddr(r)})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/admin", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: -1})
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}

// Standing is where the round stands: every unit with its submissions.
type Standing struct {
	Units    []UnitStanding
	Expected int
	In       int // units with an accepted submission that was not returned
	Errors   int // units whose latest submission has errors or was refused
	OnTime   int
	Pending  int // accepted latest submissions nobody has reviewed
}

// UnitStanding is one unit's place in the round.
type UnitStanding struct {
	Unit   plan.Unit
	Subs   []store.Submission // by Seq
	Latest *store.Submission
	// Counted is the submission the round takes: the latest accepted one,
	// unless it was returned.
	Counted *store.Submission
	Review  *store.Review // the review standing on Latest
	OnTime  bool
}

// Stand computes where the round stands from the store.
func Stand(st Store, p *plan.Plan, per plan.Period, deadline string) (*Standing, error) {
	subs, err := st.Submissions(per.String())
	if err != nil {
		return nil, err
	}
	revs, err := st.Reviews(per.String())
	if err != nil {
		return nil, err
	}
	states := ReviewStates(revs)
	by := bySubmitter(subs)
	dl, dlErr := time.ParseInLocation("2006-01-02", deadline, time.Local)
	out := &Standing{}
	for _, u := range Units(p) {
		us := UnitStanding{Unit: u, Subs: by[u.Code]}
		if n := len(us.Subs); n > 0 {
			us.Latest = &us.Subs[n-1]
			if rv, ok := states[us.Latest.ID]; ok {
				us.Review = &rv
			}
			for i := n - 1; i >= 0; i-- {
				if us.Subs[i].Verdict == plan.Accepted {
					if rv, ok := states[us.Subs[i].ID]; !ok || rv.Action != store.ReviewReturn {
						us.Counted = &us.Subs[i]
					}
					break
				}
			}
		}
		if us.Counted != nil {
			out.In++
			for _, x := range us.Subs {
				if x.Verdict == plan.Accepted {
					us.OnTime = dlErr != nil || x.At.Before(dl.AddDate(0, 0, 1))
					break
				}
			}
			if us.OnTime {
				out.OnTime++
			}
			if _, reviewed := states[us.Counted.ID]; !reviewed {
				out.Pending++
			}
		}
		if l := us.Latest; l != nil && (l.Verdict != plan.Accepted || l.Errors > 0) {
			out.Errors++
		}
		out.Units = append(out.Units, us)
	}
	out.Expected = len(out.Units)
	return out, nil
}

// Chase is the 催报 list: one line per unit that still owes something.
func (st *Standing) Chase() []string {
	var lines []string
	for _, u := range st.Units {
		name := fmt.Sprintf("%s（%s）", u.Unit.Short, u.Unit.Code)
		contact := strings.TrimSpace(u.Unit.Contact + " " + u.Unit.Phone)
		if contact != "" {
			contact = "，联系人 " + contact
		}
		l := u.Latest
		var why string
		switch {
		case l == nil:
			why = "尚未报送"
		case u.Review != nil && u.Review.Action == store.ReviewReturn:
			why = fmt.Sprintf("第%d次报送已退回（%s），待重新报送", l.Seq, u.Review.Reason)
		case l.Verdict != plan.Accepted:
			why = fmt.Sprintf("第%d次报送的文件被拒收，待重新报送", l.Seq)
		case l.Errors > 0:
			why = fmt.Sprintf("第%d次报送仍有 %d 个错误未改正", l.Seq, l.Errors)
		default:
			continue
		}
		lines = append(lines, name+"："+why+contact)
	}
	return lines
}

type deskRow struct {
	Unit   plan.Unit
	Latest *reviewed
}

type deskPage struct {
	base
	In, Expected, WithErrors, OnTime, Pending int
	Overdue                                   bool
	CSRF                                      string
	RoundDir, ReportDir                       string
	Written                                   []string
	WrittenAt                                 time.Time
	Rows                                      []deskRow
	Chase                                     string
	ChaseRows                                 int
}

func (s *Server) desk(w http.ResponseWriter, r *http.Request, sess store.Session) {
	st, err := Stand(s.st, s.p, s.per, s.opt.Deadline)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	revs, err := s.st.Reviews(s.per.String())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	states := ReviewStates(revs)
	pg := deskPage{base: s.adminBase("报送审核台", sess), In: st.In, Expected: st.Expected, WithErrors: st.Errors, OnTime: st.OnTime,
		Pending: st.Pending, Overdue: !s.onTime(s.now()), CSRF: s.forms.issue("admin:" + sess.IDHash),
		RoundDir: s.opt.RoundDir, ReportDir: s.opt.ReportDir}
	s.writeMu.Lock()
	for _, o := range s.outputs {
		pg.Written = append(pg.Written, o.name)
	}
	pg.WrittenAt = s.writtenAt
	s.writeMu.Unlock()
	for _, u := range st.Units {
		row := deskRow{Unit: u.Unit}
		if u.Latest != nil {
			rv := s.withReview(*u.Latest, states)
			rv.OnTime = u.OnTime || (u.Counted == nil && s.onTime(u.Latest.At))
			row.Latest = &rv
		}
		pg.Rows = append(pg.Rows, row)
	}
	chase := st.Chase()
	pg.Chase = strings.Join(chase, "\n")
	pg.ChaseRows = min(max(len(chase), 2), 16)
	s.render(w, http.StatusOK, "desk.html", pg)
}

// submissionByID finds a submission of the server's period.
func (s *Server) submissionByID(w http.ResponseWriter, r *http.Request) (plan.Unit, []store.Submission, int, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		subs, err := s.st.Submissions(s.per.String())
		if err != nil {
			s.internal(w, r, err)
			return plan.Unit{}, nil, 0, false
		}
		for _, x := range subs {
			if x.ID != id {
				continue
			}
			mine := bySubmitter(subs)[x.Unit]
			for i := range mine {
				if mine[i].ID == id {
					u, ok := s.unitByID[x.Unit]
					if !ok {
						u = plan.Unit{Code: x.Unit, Short: x.Unit, Name: x.Unit}
					}
					return u, mine, i, true
				}
			}
		}
	}
	s.failBack(w, r, http.StatusNotFound, "没有这份报送", "本期没有这份报送记录。", "/admin")
	return plan.Unit{}, nil, 0, false
}

func (s *Server) adminSubmission(w http.ResponseWriter, r *http.Request, sess store.Session) {
	u, subs, i, ok := s.submissionByID(w, r)
	if !ok {
		return
	}
	revs, err := s.st.Reviews(s.per.String())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	states := ReviewStates(revs)
	pg := s.submissionView(u, subs, i, states)
	pg.base = s.adminBase(pg.Title, sess)
	pg.AdminView, pg.Back = true, "/admin"
	subj := "admin:" + sess.IDHash
	pg.CSRF, pg.CSRF2, pg.CSRF3 = s.forms.issue(subj), s.forms.issue(subj), s.forms.issue(subj)
	if hasFeedback(subs[i]) {
		pg.Feedback = fmt.Sprintf("/admin/s/%d/feedback", subs[i].ID)
	}
	for j := len(subs) - 1; j >= 0; j-- {
		pg.Others = append(pg.Others, s.withReview(subs[j], states))
	}
	s.render(w, http.StatusOK, "submission.html", pg)
}

func (s *Server) adminFile(w http.ResponseWriter, r *http.Request, sess store.Session) {
	_, subs, i, ok := s.submissionByID(w, r)
	if !ok {
		return
	}
	data, err := s.st.SubmissionData(subs[i].ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	ext := strings.ToLower(path.Ext(subs[i].Name))
	if !knownExt[ext] {
		ext = ""
	}
	attachment(w, feedbackStem(s, subs[i])+ext, "application/octet-stream", data)
}

func (s *Server) adminFeedback(w http.ResponseWriter, r *http.Request, sess store.Session) {
	_, subs, i, ok := s.submissionByID(w, r)
	if !ok {
		return
	}
	s.sendFeedback(w, r, subs[i], fmt.Sprintf("/admin/s/%d", subs[i].ID))
}

// review records 审核通过, 退回 or 撤销 on a submission.
func (s *Server) review(w http.ResponseWriter, r *http.Request, sess store.Session) {
	if !s.postForm(w, r, sess) {
		return
	}
	u, subs, i, ok := s.submissionByID(w, r)
	if !ok {
		return
	}
	back := fmt.Sprintf("/admin/s/%d", subs[i].ID)
	rv := store.Review{Submission: subs[i].ID, Period: s.per.String(), Unit: u.Code, Action: r.PostForm.Get("action"),
		Reason: strings.TrimSpace(r.PostForm.Get("reason")), By: sess.User, At: s.now()}
	revs, err := s.st.Reviews(s.per.String())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if err := CheckReview(subs[i], rv, ReviewStates(revs)); err != nil {
		s.failBack(w, r, http.StatusBadRequest, "无法审核", err.Error(), back)
		return
	}
	if err := s.st.AddReview(&rv); err != nil {
		s.internal(w, r, err)
		return
	}
	if err := s.st.AddAudit(store.AuditEntry{At: rv.At, Actor: "admin:" + sess.User, Action: rv.Action, Unit: u.Code, SHA256: subs[i].SHA256,
		Addr: clientAddr(r), Detail: fmt.Sprintf("第%d次报送 %s", subs[i].Seq, rv.Reason)}); err != nil {
		s.internal(w, r, err)
		return
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// CheckReview says why a review action cannot be taken, or nil.
func CheckReview(sub store.Submission, rv store.Review, states map[int64]store.Review) error {
	_, standing := states[sub.ID]
	switch rv.Action {
	case store.ReviewApprove:
		if sub.Verdict != plan.Accepted {
			return errors.New("这份报送的文件未被接收（校验未通过），不能审核通过：请退回，让填报单位重新报送")
		}
	case store.ReviewReturn:
		if rv.Reason == "" {
			return errors.New("退回时请写明原因，填报单位会在报送页面上看到")
		}
		if utf8.RuneCountInString(rv.Reason) > 500 {
			return errors.New("退回原因太长：请不超过 500 个字")
		}
	case store.ReviewRevoke:
		if !standing {
			return errors.New("这份报送还没有审核，无需撤销")
		}
	default:
		return errors.New("未知的审核操作：只能是审核通过、退回或撤销")
	}
	return nil
}

// output is one file the desk wrote, offered for download.
type output struct {
	name, path string
}

// writeRound writes the round from each unit's counted submission with
// collect's own code, then the reports.
func (s *Server) writeRound(w http.ResponseWriter, r *http.Request, sess store.Session) {
	if !s.postForm(w, r, sess) {
		return
	}
	outs, err := s.WriteRound()
	if err != nil {
		s.failBack(w, r, http.StatusInternalServerError, "生成失败", err.Error(), "/admin")
		return
	}
	var names []string
	for _, o := range outs {
		names = append(names, o.name)
	}
	s.st.AddAudit(store.AuditEntry{At: s.now(), Actor: "admin:" + sess.User, Action: "write-round", Addr: clientAddr(r), Detail: strings.Join(names, "、")})
	http.Redirect(w, r, "/admin#written", http.StatusSeeOther)
}

// WriteRound writes, for the server's period, the files each unit's counted
// submission came in (into RoundDir/报送文件/), the round collected from them
// (round.json, 汇总表.xlsx, 校验结果.xlsx, 反馈/) and the reports.
func (s *Server) WriteRound() ([]output, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	st, err := Stand(s.st, s.p, s.per, s.opt.Deadline)
	if err != nil {
		return nil, err
	}
	if s.opt.RoundDir == "" {
		return nil, errors.New("没有指定汇总文件夹")
	}
	if err := os.MkdirAll(s.opt.RoundDir, 0o755); err != nil {
		return nil, fmt.Errorf("无法创建汇总文件夹 %s：%v", s.opt.RoundDir, err)
	}
	final := filepath.Join(s.opt.RoundDir, ReceivedDir)
	tmp, err := os.MkdirTemp(s.opt.RoundDir, ".报送文件-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("无法在 %s 中写文件：%v", s.opt.RoundDir, err)
	}
	defer os.RemoveAll(tmp)
	n := 0
	for _, u := range st.Units {
		if u.Counted == nil {
			continue
		}
		data, err := s.st.SubmissionData(u.Counted.ID)
		if err != nil {
			return nil, err
		}
		ext := strings.ToLower(path.Ext(u.Counted.Name))
		if ext != ".zip" {
			ext = ".xlsx"
		}
		name := fmt.Sprintf("%s_%s%s", s.per, u.Unit.Code, ext)
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return nil, fmt.Errorf("无法写入 %s：%v", name, err)
		}
		n++
	}
	if err := os.RemoveAll(final); err != nil {
		return nil, fmt.Errorf("无法替换 %s：%v", final, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return nil, fmt.Errorf("无法保存 %s：%v", final, err)
	}
	res, err := s.collect([]string{final}, 0)
	if err != nil {
		return nil, err
	}
	if s.opt.Annotate != nil {
		if err := s.opt.Annotate(res); err != nil {
			return nil, err
		}
	}
	if err := res.WriteOutputs(s.opt.RoundDir); err != nil {
		return nil, err
	}
	if s.opt.RecordRound != nil {
		if err := s.opt.RecordRound(res); err != nil {
			return nil, err
		}
	}
	outs := []output{
		{workbook.RoundFile, filepath.Join(s.opt.RoundDir, workbook.RoundFile)},
		{workbook.SummaryFile, filepath.Join(s.opt.RoundDir, workbook.SummaryFile)},
		{workbook.FindingsFile, filepath.Join(s.opt.RoundDir, workbook.FindingsFile)},
	}
	if s.opt.WriteReports != nil {
		dir := s.opt.ReportDir
		if dir == "" {
			dir = s.opt.RoundDir
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("无法创建报告文件夹 %s：%v", dir, err)
		}
		files, err := s.opt.WriteReports(s.p, res.Round, dir)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			outs = append(outs, output{filepath.Base(f), f})
		}
	}
	sort.SliceStable(outs[3:], func(a, b int) bool { return outs[3+a].name < outs[3+b].name })
	s.outputs, s.writtenAt = outs, s.now()
	return outs, nil
}

// ReceivedDir is the folder of RoundDir holding the files the round was
// collected from.
const ReceivedDir = "报送文件"

func (s *Server) output(w http.ResponseWriter, r *http.Request, sess store.Session) {
	name := r.PathValue("name")
	s.writeMu.Lock()
	var found *output
	for i := range s.outputs {
		if s.outputs[i].name == name {
			found = &s.outputs[i]
		}
	}
	s.writeMu.Unlock()
	if found == nil {
		s.failBack(w, r, http.StatusNotFound, "没有这个文件", "请先点击“生成”按钮。", "/admin")
		return
	}
	data, err := os.ReadFile(found.path)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	ctype := "application/octet-stream"
	switch strings.ToLower(path.Ext(name)) {
	case ".xlsx":
		ctype = xlsxType
	case ".pdf":
		ctype = "application/pdf"
	case ".json":
		ctype = "application/json"
	case ".docx":
		ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	attachment(w, name, ctype, data)
}
