package serve

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"planrep/plan"
	"planrep/store"
)

//go:embed assets
var assets embed.FS

// static are the files served under /static/: exactly these, so that no
// folder is ever listed and no other file is ever reachable.
var static = map[string]string{
	"style.css": "text/css; charset=utf-8",
	"app.js":    "text/javascript; charset=utf-8",
}

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Local().Format("2006-01-02 15:04")
	},
	"size": func(n int64) string {
		switch {
		case n >= 1<<20:
			return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
		case n >= 1<<10:
			return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
		}
		return fmt.Sprintf("%d 字节", n)
	},
	"title": func(code string) string {
		d, _ := plan.Def(code)
		return d.Title
	},
	"verdict":      verdict,
	"verdictLong":  verdictLong,
	"verdictClass": verdictClass,
}).ParseFS(assets, "assets/*.html"))

// verdict is a submission's verdict in a few words.
func verdict(s store.Submission) string {
	switch {
	case s.Verdict != plan.Accepted:
		return "拒收"
	case s.Errors > 0:
		return "已接收，有错误"
	case s.Warnings > 0:
		return "已接收，有警告"
	}
	return "已接收"
}

func verdictLong(s store.Submission) string {
	switch {
	case s.Verdict != plan.Accepted:
		return "文件未被接收，请按下面的说明处理后重新上传"
	case s.Errors > 0:
		return fmt.Sprintf("已接收，但有 %d 个错误需要修改后重新上传", s.Errors)
	case s.Warnings > 0:
		return fmt.Sprintf("已接收；有 %d 条警告，请核对", s.Warnings)
	}
	return "已接收，校验通过"
}

func verdictClass(s store.Submission) string {
	switch {
	case s.Verdict != plan.Accepted:
		return "rejected"
	case s.Errors > 0:
		return "errors"
	}
	return "clean"
}

// base is what every page shows.
type base struct {
	Title, PlanTitle, PeriodLabel, Deadline, Contact string
	Admin, LogoutCSRF                                string
}

func (s *Server) base(title string) base {
	return base{Title: title, PlanTitle: s.p.Title, PeriodLabel: s.per.Label(), Deadline: s.opt.Deadline, Contact: s.opt.Contact}
}

// render executes a page into a buffer first, so that a failure never sends
// half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Printf("render %s: %v", name, err)
		http.Error(w, "页面生成失败，请稍后重试", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type errorPage struct {
	base
	Heading, Message, Back string
}

// fail answers with a page saying what went wrong and what to do; a script
// asking for JSON gets the message as JSON.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	s.failBack(w, r, status, heading, msg, "")
}

func (s *Server) failBack(w http.ResponseWriter, r *http.Request, status int, heading, msg, back string) {
	if wantsJSON(r) {
		writeJSON(w, status, map[string]string{"message": heading + "：" + msg})
		return
	}
	s.render(w, status, "error.html", errorPage{base: s.base(heading), Heading: heading, Message: msg, Back: back})
}

func (s *Server) tooMany(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "60")
	s.fail(w, r, http.StatusTooManyRequests, "操作过于频繁", "请稍等一分钟后再试。")
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, "页面不存在", "请检查链接是否完整；填报单位请使用市发展改革委发给本单位的专用报送链接。")
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "home.html", struct{ base }{s.base("网上报送")})
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	ctype, ok := static[name]
	if !ok {
		s.notFound(w, r)
		return
	}
	data, err := fs.ReadFile(assets, "assets/"+name)
	if err != nil {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(data)
}

func wantsJSON(r *http.Request) bool {
	return r.Header.Get("X-Requested-With") == "XMLHttpRequest" || strings.Contains(r.Header.Get("Accept"), "application/json")
}

// attachment sends a file for download under a Chinese name (RFC 6266/5987,
// with an ASCII fallback for old browsers).
func attachment(w http.ResponseWriter, name, ctype string, data []byte) {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, pathEscape(name)))
	h.Set("Cache-Control", "no-store")
	w.Write(data)
}

func pathEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
