package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"planrep/plan"
	"planrep/store"
	"planrep/templates"
)

// unitOf resolves the token in the path; an unknown token counts against
// the address's failures, so tokens cannot be guessed at speed.
func (s *Server) unitOf(w http.ResponseWriter, r *http.Request) (plan.Unit, string, bool) {
	tok := r.PathValue("token")
	code := s.tokens.unit(tok)
	if code == "" {
		if !s.failLim.allow(clientAddr(r)) {
			s.tooMany(w, r)
			return plan.Unit{}, "", false
		}
		s.fail(w, r, http.StatusNotFound, "报送链接无效", "这个链接不是有效的报送链接，或已被更换：请使用市发展改革委最近发给本单位的专用链接，并确认复制完整。")
		return plan.Unit{}, "", false
	}
	u, ok := s.unitByID[code]
	if !ok {
		s.fail(w, r, http.StatusNotFound, "本期无需报送", "本单位在本期没有牵头的指标，无需报送；如有疑问请联系市发展改革委。")
		return plan.Unit{}, "", false
	}
	return u, tok, true
}

// reviewed is a submission with the review state that stands on it.
type reviewed struct {
	Sub         store.Submission
	State       string // "", approve, return (a revoke leaves "")
	ReviewLabel string
	Reason      string
	ReviewBy    string
	ReviewAt    time.Time
	OnTime      bool
}

// ReviewStates folds the period's review actions into the state standing
// on each submission: the last approval or return, unless revoked since.
func ReviewStates(rs []store.Review) map[int64]store.Review {
	m := map[int64]store.Review{}
	for _, r := range rs {
		if r.Action == store.ReviewRevoke {
			delete(m, r.Submission)
			continue
		}
		m[r.Submission] = r
	}
	return m
}

func (s *Server) withReview(sub store.Submission, states map[int64]store.Review) reviewed {
	rv := reviewed{Sub: sub, OnTime: s.onTime(sub.At)}
	if st, ok := states[sub.ID]; ok {
		rv.State, rv.ReviewLabel, rv.ReviewBy, rv.ReviewAt = st.Action, store.ReviewLabel(st.Action), st.By, st.At
		if st.Action == store.ReviewReturn {
			rv.Reason = st.Reason
		}
	} else if sub.Verdict == plan.Accepted {
		rv.State, rv.ReviewLabel = "pending", "待审核"
	} else {
		rv.State = "rejected"
	}
	return rv
}

// onTime reports whether t falls on or before the deadline (local time).
func (s *Server) onTime(t time.Time) bool {
	dl, err := time.ParseInLocation("2006-01-02", s.opt.Deadline, time.Local)
	if err != nil {
		return true
	}
	return t.Before(dl.AddDate(0, 0, 1))
}

type unitPage struct {
	base
	Unit    plan.Unit
	Token   string
	Covers  string
	CSRF    string
	Targets int
	MaxMB   int64
	Latest  *reviewed
	History []reviewed
}

func (s *Server) unitPage(w http.ResponseWriter, r *http.Request) {
	u, tok, ok := s.unitOf(w, r)
	if !ok {
		return
	}
	subs, err := s.st.UnitSubmissions(s.per.String(), u.Code)
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
	pg := unitPage{base: s.base(u.Short), Unit: u, Token: tok, Covers: s.per.Covers(), CSRF: s.forms.issue("unit:" + u.Code),
		Targets: len(s.p.UnitTargets(u.Code)), MaxMB: s.opt.MaxUpload >> 20}
	for i := len(subs) - 1; i >= 0; i-- {
		pg.History = append(pg.History, s.withReview(subs[i], states))
	}
	if len(pg.History) > 0 {
		pg.Latest = &pg.History[0]
	}
	s.render(w, http.StatusOK, "unit.html", pg)
}

func (s *Server) unitTemplate(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.unitOf(w, r)
	if !ok {
		return
	}
	data, err := s.template(u)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	attachment(w, templates.FileName(s.per, u.Department()), xlsxType, data)
}

// template builds a unit's template once: the same file every time it is
// downloaded while the server runs.
func (s *Server) template(u plan.Unit) ([]byte, error) {
	s.tplMu.Lock()
	defer s.tplMu.Unlock()
	if b, ok := s.templates[u.Code]; ok {
		return b, nil
	}
	var buf bytes.Buffer
	if err := templates.WriteUnit(&buf, s.p, u, templates.Options{Period: s.per, Deadline: s.opt.Deadline, Contact: s.opt.Contact, Now: s.now()}); err != nil {
		return nil, err
	}
	s.templates[u.Code] = buf.Bytes()
	return buf.Bytes(), nil
}

// upload takes one file from a unit's plain multipart form (or the same
// form sent by script), judges it and records it. The size is capped before
// anything is read; the form token must come first and be fresh.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	u, tok, ok := s.unitOf(w, r)
	if !ok {
		return
	}
	back := "/u/" + tok
	addr := clientAddr(r)
	if !s.unitLim.allow(u.Code) {
		s.tooMany(w, r)
		return
	}
	max := s.opt.MaxUpload
	tooBig := func() {
		s.failBack(w, r, http.StatusRequestEntityTooLarge, "文件过大", fmt.Sprintf("上传的文件超过 %d MB 的上限：填报表正常只有几十 KB，请确认上传的是本单位的填报表，没有粘贴大量图片。", max>>20), back)
	}
	if r.ContentLength > max+64<<10 {
		tooBig()
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, max+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		s.failBack(w, r, http.StatusBadRequest, "上传格式不对", "请在报送页面上选择文件后点击“上传并校验”。", back)
		return
	}
	var csrfOK bool
	var name string
	var data []byte
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			if tooLarge(err) {
				tooBig()
				return
			}
			s.failBack(w, r, http.StatusBadRequest, "上传没有完成", "网络中断或表单不完整，请刷新页面后重新上传。", back)
			return
		}
		switch part.FormName() {
		case "csrf":
			v, _ := io.ReadAll(io.LimitReader(part, 256))
			csrfOK = s.forms.use("unit:"+u.Code, string(v))
			if !csrfOK {
				s.failBack(w, r, http.StatusForbidden, "表单已失效", "这个页面已经提交过或打开太久了：请返回报送页面，刷新后重新上传。", back)
				return
			}
		case "file":
			if !csrfOK {
				s.failBack(w, r, http.StatusForbidden, "表单已失效", "请返回报送页面，刷新后重新上传。", back)
				return
			}
			if data != nil {
				s.failBack(w, r, http.StatusBadRequest, "一次只能上传一个文件", "请每次只上传本单位的一个 .xlsx 填报表。", back)
				return
			}
			name = displayName(part.FileName())
			data, err = io.ReadAll(io.LimitReader(part, max+1))
			if err != nil {
				if tooLarge(err) {
					tooBig()
					return
				}
				s.failBack(w, r, http.StatusBadRequest, "上传没有完成", "网络中断，文件没有传完：请重新上传。", back)
				return
			}
			if int64(len(data)) > max {
				tooBig()
				return
			}
			if data == nil {
				data = []byte{}
			}
		default:
			io.Copy(io.Discard, io.LimitReader(part, 1<<10))
		}
	}
	if !csrfOK {
		s.failBack(w, r, http.StatusForbidden, "表单已失效", "请返回报送页面，刷新后重新上传。", back)
		return
	}
	if data == nil {
		s.failBack(w, r, http.StatusBadRequest, "没有选择文件", "请先选择本单位填好的 .xlsx 填报表，再点击“上传并校验”。", back)
		return
	}
	sub, err := s.judge(u, name, data)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	sub.At, sub.Addr = s.now(), addr
	if err := s.st.AddSubmission(sub, data); err != nil {
		s.internal(w, r, err)
		return
	}
	if err := s.st.AddAudit(store.AuditEntry{At: sub.At, Actor: "unit:" + u.Code, Action: "upload", Unit: u.Code, SHA256: sub.SHA256, Addr: addr,
		Detail: fmt.Sprintf("第%d次报送 %s：%s，错误%d 警告%d", sub.Seq, name, verdict(*sub), sub.Errors, sub.Warnings)}); err != nil {
		s.internal(w, r, err)
		return
	}
	s.log.Printf("upload %s #%d %s %s errors=%d warnings=%d from %s", u.Code, sub.Seq, sub.SHA256[:12], sub.Verdict, sub.Errors, sub.Warnings, addr)
	url := fmt.Sprintf("/u/%s/s/%d", tok, sub.Seq)
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]any{"url": url, "seq": sub.Seq, "verdict": sub.Verdict, "errors": sub.Errors, "warnings": sub.Warnings, "sha256": sub.SHA256})
		return
	}
	http.Redirect(w, r, url, http.StatusSeeOther)
}

func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Printf("error serving %s %s: %v", r.Method, r.URL.Path, err)
	s.fail(w, r, http.StatusInternalServerError, "服务器暂时无法处理", "请稍后重试；如仍不行，请联系市发展改革委。")
}

type submissionPage struct {
	base
	reviewed
	Unit       plan.Unit
	Back       string
	Feedback   string
	Previous   *store.Submission
	Changes    []change
	Superseded bool
	AdminView  bool
	CSRF       string
	CSRF2      string
	CSRF3      string
	Others     []reviewed
}

// submissionView builds the page of one submission among its unit's.
func (s *Server) submissionView(u plan.Unit, subs []store.Submission, i int, states map[int64]store.Review) submissionPage {
	sub := subs[i]
	pg := submissionPage{base: s.base(fmt.Sprintf("%s 第%d次报送", u.Short, sub.Seq)), reviewed: s.withReview(sub, states), Unit: u,
		Superseded: i < len(subs)-1}
	for j := i - 1; j >= 0; j-- {
		if subs[j].Verdict == plan.Accepted {
			prev := subs[j]
			pg.Previous = &prev
			break
		}
	}
	if pg.Previous != nil && sub.Verdict == plan.Accepted {
		pg.Changes = diff(s.p, pg.Previous.Values, sub.Values)
	} else {
		pg.Previous = nil
	}
	return pg
}

// hasFeedback reports whether a submission gets a 反馈 copy: collect writes
// one for a return of this unit with errors or warnings.
func hasFeedback(sub store.Submission) bool {
	if sub.Errors+sub.Warnings == 0 {
		return false
	}
	for _, f := range sub.Findings {
		if f.Code == plan.UploadOtherUnit || f.Code == plan.UploadSeveral {
			return false
		}
	}
	return true
}

func (s *Server) unitSubmissionAt(w http.ResponseWriter, r *http.Request) (plan.Unit, string, []store.Submission, int, bool) {
	u, tok, ok := s.unitOf(w, r)
	if !ok {
		return u, tok, nil, 0, false
	}
	seq, err := strconv.Atoi(r.PathValue("seq"))
	subs, err2 := s.st.UnitSubmissions(s.per.String(), u.Code)
	if err2 != nil {
		s.internal(w, r, err2)
		return u, tok, nil, 0, false
	}
	for i := range subs {
		if err == nil && subs[i].Seq == seq {
			return u, tok, subs, i, true
		}
	}
	s.failBack(w, r, http.StatusNotFound, "没有这次报送", "本单位本期没有这一次报送记录。", "/u/"+tok)
	return u, tok, nil, 0, false
}

func (s *Server) unitSubmission(w http.ResponseWriter, r *http.Request) {
	u, tok, subs, i, ok := s.unitSubmissionAt(w, r)
	if !ok {
		return
	}
	revs, err := s.st.Reviews(s.per.String())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	pg := s.submissionView(u, subs, i, ReviewStates(revs))
	pg.Back = "/u/" + tok
	if hasFeedback(subs[i]) {
		pg.Feedback = fmt.Sprintf("/u/%s/s/%d/feedback", tok, subs[i].Seq)
	}
	s.render(w, http.StatusOK, "submission.html", pg)
}

func (s *Server) unitFeedback(w http.ResponseWriter, r *http.Request) {
	_, tok, subs, i, ok := s.unitSubmissionAt(w, r)
	if !ok {
		return
	}
	s.sendFeedback(w, r, subs[i], "/u/"+tok)
}

func (s *Server) sendFeedback(w http.ResponseWriter, r *http.Request, sub store.Submission, back string) {
	if !hasFeedback(sub) {
		s.failBack(w, r, http.StatusNotFound, "没有反馈表", "这次报送没有需要修改的问题，或文件不是填报表，因此没有反馈表。", back)
		return
	}
	data, err := s.feedback(sub)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if data == nil {
		s.failBack(w, r, http.StatusNotFound, "没有反馈表", "这个文件无法生成反馈表（文件无法读取），问题清单见报送结果页面。", back)
		return
	}
	attachment(w, feedbackStem(s, sub)+"_反馈.xlsx", xlsxType, data)
}
