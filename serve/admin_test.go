package serve

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/store"
	"planrep/templates"
	"planrep/workbook"
)

func TestDeskFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *Options) { o.WriteReports = ReportWriter(o.Now, o.Deadline) })
	unit := e.client()
	// SWJ clean, GXJ with an error, FGW nothing.
	e.upload(unit, "SWJ", "商务局.xlsx", makeReturn(t, e.p, "SWJ", nil))
	tg := firstQuant(t, e.p, "GXJ")
	sheet, cell := cellOf(e.p, tg.ID, templates.ColActual)
	e.upload(unit, "GXJ", "工信局.xlsx", makeReturn(t, e.p, "GXJ", func(f *excelize.File) { must(t, f.SetCellStr(sheet, cell, "五万")) }))

	office := e.client()
	e.login(office, "李四")
	resp, page := e.get(office, "/admin")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("desk: %d", resp.StatusCode)
	}
	expected := len(Units(e.p))
	for _, want := range []string{"2/" + itoa(expected), "单位已报送", "催报名单", "市工业和信息化局（GXJ）：第1次报送仍有 1 个错误未改正", "尚未报送", "李四", "退出登录"} {
		if !strings.Contains(page, want) {
			t.Errorf("desk lacks %q", want)
		}
	}
	if strings.Contains(page, "市商务局（SWJ）：") {
		t.Error("the 催报 list names SWJ, which is in and clean")
	}

	// Return GXJ's submission with a reason: the unit sees it.
	gxj := mustGet(e.st.UnitSubmissions("2025Q3", "GXJ"))(t)
	swj := mustGet(e.st.UnitSubmissions("2025Q3", "SWJ"))(t)
	_, page = e.get(office, "/admin/s/"+itoa(int(gxj[0].ID)))
	for _, want := range []string{"五万", "退回原因", "审核通过", plan.ValueNotNumber} {
		if !strings.Contains(page, want) {
			t.Errorf("submission page lacks %q", want)
		}
	}
	reason := "本期完成值请填写阿拉伯数字，并补充存在问题"
	resp, _ = e.postForm(office, "/admin/s/"+itoa(int(gxj[0].ID))+"/review", url.Values{"csrf": {csrf(t, page)}, "action": {"return"}})
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusBadRequest {
		t.Errorf("return without a reason: %d", resp.StatusCode)
	}
	_, page = e.get(office, "/admin/s/"+itoa(int(gxj[0].ID)))
	forms := csrfRe.FindAllStringSubmatch(page, -1)
	resp, _ = e.postForm(office, "/admin/s/"+itoa(int(gxj[0].ID))+"/review", url.Values{"csrf": {forms[2][1]}, "action": {"return"}, "reason": {reason}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d", resp.StatusCode)
	}
	_, upage := e.get(unit, "/u/"+e.tokens["GXJ"])
	if !strings.Contains(upage, "退回原因："+reason) || !strings.Contains(upage, "已退回") {
		t.Errorf("the unit does not see the return and its reason")
	}
	// Approve SWJ's; then revoke and approve again.
	for _, action := range []string{"approve", "revoke", "approve"} {
		_, page = e.get(office, "/admin/s/"+itoa(int(swj[0].ID)))
		resp, body := e.postForm(office, "/admin/s/"+itoa(int(swj[0].ID))+"/review", url.Values{"csrf": {csrf(t, page)}, "action": {action}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", action, resp.StatusCode, body)
		}
	}
	_, upage = e.get(unit, "/u/"+e.tokens["SWJ"])
	if !strings.Contains(upage, "审核通过") {
		t.Errorf("SWJ does not see its approval")
	}
	revs := mustGet(e.st.Reviews("2025Q3"))(t)
	if len(revs) != 4 || revs[0].By != "李四" || revs[0].At.IsZero() || revs[0].Reason != reason {
		t.Errorf("reviews %+v", revs)
	}
	// Approving a refused file is refused.
	e.upload(unit, "FGW", "乱码.xlsx", []byte("not a workbook"))
	fgw := mustGet(e.st.UnitSubmissions("2025Q3", "FGW"))(t)
	if len(fgw) == 1 {
		_, page = e.get(office, "/admin/s/"+itoa(int(fgw[0].ID)))
		resp, _ = e.postForm(office, "/admin/s/"+itoa(int(fgw[0].ID))+"/review", url.Values{"csrf": {csrf(t, page)}, "action": {"approve"}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("approving a refused file: %d", resp.StatusCode)
		}
	}

	// Write the round and the reports: SWJ is in; GXJ, returned, is not.
	_, page = e.get(office, "/admin")
	resp, body := e.postForm(office, "/admin/write", url.Values{"csrf": {csrf(t, page)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("write: %d %s", resp.StatusCode, body)
	}
	raw, err := os.ReadFile(filepath.Join(e.dir, "汇总", workbook.RoundFile))
	if err != nil {
		t.Fatal(err)
	}
	var rd plan.Round
	if err := json.Unmarshal(raw, &rd); err != nil {
		t.Fatal(err)
	}
	in := map[string]bool{}
	for _, d := range rd.Departments {
		in[d.Code] = d.Submitted
	}
	if rd.Period.String() != "2025Q3" || !in["SWJ"] || in["GXJ"] || in["FGW"] {
		t.Errorf("round %s: submitted %v", rd.Period, in)
	}
	for _, f := range []string{workbook.SummaryFile, workbook.FindingsFile, filepath.Join(ReceivedDir, "2025Q3_SWJ.xlsx")} {
		if _, err := os.Stat(filepath.Join(e.dir, "汇总", f)); err != nil {
			t.Error(err)
		}
	}
	for _, f := range []string{"2025Q3_进度报告.xlsx", "2025Q3_简报.pdf"} {
		if _, err := os.Stat(filepath.Join(e.dir, "报告", f)); err != nil {
			t.Error(err)
		}
	}
	_, page = e.get(office, "/admin")
	if !strings.Contains(page, `href="/admin/out/round.json"`) || !strings.Contains(page, "2025Q3_简报.pdf") {
		t.Errorf("desk does not offer what it wrote")
	}
	resp, body = e.get(office, "/admin/out/round.json")
	if resp.StatusCode != http.StatusOK || body != string(raw) {
		t.Errorf("round.json download: %d", resp.StatusCode)
	}
	// Logout ends the session.
	_, page = e.get(office, "/admin")
	e.postForm(office, "/admin/logout", url.Values{"csrf": {csrf(t, page)}})
	if resp, _ := e.get(office, "/admin"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout: %d", resp.StatusCode)
	}
	var actions []string
	for _, a := range e.audit() {
		if strings.HasPrefix(a.Actor, "admin:") {
			actions = append(actions, a.Action)
		}
	}
	if got := strings.Join(actions, ","); got != "login,return,approve,revoke,approve,write-round,logout" {
		t.Errorf("audited %s", got)
	}
}

func TestStandingAndChase(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client()
	e.upload(c, "SWJ", "a.xlsx", makeReturn(t, e.p, "SWJ", nil))
	st, err := Stand(e.st, e.p, testPeriod, "2025-10-10")
	if err != nil {
		t.Fatal(err)
	}
	if st.In != 1 || st.Pending != 1 || st.Expected != len(Units(e.p)) || st.OnTime != 1 {
		t.Errorf("standing %+v", st)
	}
	if got := len(st.Chase()); got != st.Expected-1 {
		t.Errorf("chase has %d lines, want %d", got, st.Expected-1)
	}
	subs := mustGet(e.st.UnitSubmissions("2025Q3", "SWJ"))(t)
	must(t, e.st.AddReview(&store.Review{Submission: subs[0].ID, Period: "2025Q3", Unit: "SWJ", Action: store.ReviewReturn, Reason: "补充说明", By: "x"}))
	st = mustGet(Stand(e.st, e.p, testPeriod, "2025-10-10"))(t)
	if st.In != 0 || !strings.Contains(strings.Join(st.Chase(), "\n"), "市商务局（SWJ）：第1次报送已退回（补充说明）") {
		t.Errorf("after return: %+v %v", st.In, st.Chase())
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
