package serve

import (
	"bytes"
	"context"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"planrep/templates"
	"planrep/workbook"
)

const chromiumPath = "/usr/bin/chromium"

// browserCtx starts Debian's chromium headless with a fresh profile and
// returns a tab. Without chromium the test skips, except in CI.
func browserCtx(t *testing.T) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is required in CI: %v", err)
		}
		t.Skipf("chromium not installed (%v): skipping the browser test", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	// Cancelling the browser at cleanup is deliberate teardown: its error
	// (a browser already gone) changes nothing a test checks.
	t.Cleanup(func() { chromedp.Cancel(bctx); bcancel() })
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatal(err)
	}
	return bctx
}

// shots keeps screenshots: in $PLANREP_SCREENSHOTS when set (to refresh
// docs/), else in a temporary folder.
type shots struct {
	t   *testing.T
	dir string
}

func newShots(t *testing.T) *shots {
	dir := os.Getenv("PLANREP_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	return &shots{t: t, dir: dir}
}

// take captures the whole page and checks it is a real picture.
func (s *shots) take(ctx context.Context, name string) {
	s.t.Helper()
	img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		s.t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil || cfg.Width < 300 || cfg.Height < 300 {
		s.t.Fatalf("screenshot %s: %v %+v", name, err, cfg)
	}
	if err := os.WriteFile(filepath.Join(s.dir, name+".png"), img, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// download clicks sel and waits for the browser to save the file into dir.
func download(t *testing.T, ctx context.Context, dir string, sel string) []byte {
	t.Helper()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	if err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true)})
			return err
		}),
		chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible),
	); err != nil {
		t.Fatal(err)
	}
	for ev, err := range progress {
		if err != nil {
			t.Fatal(err)
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			data, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				t.Fatal(err)
			}
			return data
		case browser.DownloadProgressStateCanceled:
			t.Fatalf("download of %s canceled", sel)
		}
	}
	t.Fatalf("no download from %s", sel)
	return nil
}

func ptr[T any](v T) *T { return &v }

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// TestBrowser drives the unit's and the office's pages in chromium as people
// would: a unit opens its link, takes its template, hands in a clean return
// and a faulty one (by script, and by the plain form with scripts off),
// reads the findings and takes the 反馈 copy; the office logs in, returns one
// submission with a reason, approves another and writes the round and the
// reports.
func TestBrowser(t *testing.T) {
	ctx := browserCtx(t)
	// The desk names its folders as the office sees them: relative to
	// the folder the server runs in.
	t.Chdir(t.TempDir())
	e := newEnv(t, func(o *Options) {
		o.WriteReports = ReportWriter(o.Now, o.Deadline)
		o.RoundDir, o.ReportDir = filepath.Join("汇总", "2025Q3"), filepath.Join("报告", "2025Q3")
	})
	srv := httptest.NewServer(e.srv.Handler()) // the env's server, reached by the browser
	defer srv.Close()
	base := srv.URL
	pics := newShots(t)
	files := t.TempDir()
	downloads := t.TempDir()
	clean := filepath.Join(files, "2025Q3_市商务局_SWJ.xlsx")
	if err := os.WriteFile(clean, makeReturn(t, e.p, "SWJ", nil), 0o644); err != nil {
		t.Fatal(err)
	}
	tg := firstQuant(t, e.p, "SWJ")
	sheet, cell := cellOf(e.p, tg.ID, templates.ColActual)
	faulty := filepath.Join(files, "2025Q3_市商务局_SWJ_改.xlsx")
	if err := os.WriteFile(faulty, makeReturn(t, e.p, "SWJ", func(f *excelize.File) {
		must(t, f.SetCellStr(sheet, cell, "约5万"))
		sh, c := cellOf(e.p, tg.ID, templates.ColNote)
		must(t, f.SetCellStr(sh, c, "招商引资稳步推进，9月新签约项目<待核实>"))
	}), 0o644); err != nil {
		t.Fatal(err)
	}
	gxjTg := firstQuant(t, e.p, "GXJ")
	gs, gc := cellOf(e.p, gxjTg.ID, templates.ColActual)
	gxj := filepath.Join(files, "2025Q3_市工信局_GXJ.xlsx")
	if err := os.WriteFile(gxj, makeReturn(t, e.p, "GXJ", func(f *excelize.File) { must(t, f.SetCellStr(gs, gc, "待统计")) }), 0o644); err != nil {
		t.Fatal(err)
	}
	swj := base + "/u/" + e.tokens["SWJ"]

	// The unit's page, empty.
	if err := chromedp.Do(ctx, chromedp.Navigate(swj), chromedp.WaitVisible(chromedp.CSS("#upload"))); err != nil {
		t.Fatal(err)
	}
	if h := text(t, ctx, "h1"); h != "淄博市商务局" {
		t.Errorf("heading %q", h)
	}
	pics.take(ctx, "serve-unit")

	// Its template.
	tpl := download(t, ctx, downloads, `a[href$="/template"]`)
	f, err := excelize.OpenReader(bytes.NewReader(tpl))
	if err != nil {
		t.Fatal(err)
	}
	st, err := templates.ReadStamp(f)
	f.Close()
	if err != nil || st.Dept != "SWJ" {
		t.Fatalf("downloaded template: %+v %v", st, err)
	}

	// A clean return, by script (progress, then the result page).
	if err := chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{clean}),
		chromedp.Click(chromedp.CSS(`#upload button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#verdict")),
	); err != nil {
		t.Fatal(err)
	}
	if v := text(t, ctx, "#verdict .big"); v != "已接收，校验通过" {
		t.Errorf("clean verdict %q", v)
	}
	loc := mustGet(chromedp.Run(ctx, chromedp.Location()))(t)
	if !strings.HasSuffix(loc, "/s/1") {
		t.Errorf("after the upload the browser is at %s", loc)
	}

	// A faulty one, by the plain form with scripts turned off, as an old
	// locked-down browser would send it.
	if err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}),
		chromedp.Navigate(swj),
		chromedp.WaitVisible(chromedp.CSS("#upload")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{faulty}),
	); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#upload button[type=submit]`))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#verdict")),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})
			return err
		}),
	); err != nil {
		t.Fatal(err)
	}
	if v := text(t, ctx, "#verdict .big"); !strings.Contains(v, "1 个错误") {
		t.Errorf("faulty verdict %q", v)
	}
	table := text(t, ctx, "table.findings")
	for _, want := range []string{cell, tg.ID, "不是有效数字", "约5万"} {
		if !strings.Contains(table, want) {
			t.Errorf("findings table lacks %q:\n%s", want, table)
		}
	}
	html := mustGet(chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main"))))(t)
	if strings.Contains(html, "<待核实>") || !strings.Contains(html, "&lt;待核实&gt;") {
		t.Errorf("the narrative is not shown escaped")
	}
	pics.take(ctx, "serve-findings")

	// The 反馈 copy.
	fb := download(t, ctx, downloads, "#feedback")
	ff, err := excelize.OpenReader(bytes.NewReader(fb))
	if err != nil {
		t.Fatal(err)
	}
	if sh := ff.GetSheetList(); sh[0] != workbook.IssuesSheet {
		t.Errorf("反馈 copy sheets %v", sh)
	}
	ff.Close()

	// On a phone.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Navigate(swj), chromedp.WaitVisible(chromedp.CSS("#upload"))); err != nil {
		t.Fatal(err)
	}
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if err != nil || overflow {
		t.Errorf("the unit's page is wider than a phone (%v)", err)
	}
	pics.take(ctx, "serve-phone")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatal(err)
	}

	// GXJ hands in a return with an error.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/u/"+e.tokens["GXJ"]),
		chromedp.WaitVisible(chromedp.CSS("#upload")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{gxj}),
		chromedp.Click(chromedp.CSS(`#upload button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#verdict")),
	); err != nil {
		t.Fatal(err)
	}

	// The office logs in.
	h := mustGet(HashPassword("审核台密码-2025"))(t)
	must(t, e.st.SetAdminPassword(h, time.Now()))
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#user"), "李四"),
		chromedp.SendKeys(chromedp.CSS("#password"), "审核台密码-2025"),
	); err != nil {
		t.Fatal(err)
	}
	pics.take(ctx, "serve-login")
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#login"))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("table.units"))); err != nil {
		t.Fatal(err)
	}
	if s := text(t, ctx, ".cards"); !strings.Contains(s, "2/") {
		t.Errorf("desk cards %q", s)
	}
	if s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#chase"))); err != nil || !strings.Contains(s, "GXJ") {
		t.Errorf("催报 list %q lacks GXJ", s)
	}
	pics.take(ctx, "serve-desk")

	// Return GXJ's with a reason.
	gsubs := mustGet(e.st.UnitSubmissions("2025Q3", "GXJ"))(t)
	reason := "“待统计”不是数值，请填写截至9月底的累计数"
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/admin/s/"+itoa(int(gsubs[0].ID))),
		chromedp.WaitVisible(chromedp.CSS("#reason")),
		chromedp.SendKeys(chromedp.CSS("#reason"), reason),
	); err != nil {
		t.Fatal(err)
	}
	pics.take(ctx, "serve-review")
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#return"))); err != nil {
		t.Fatal(err)
	}
	if s := text(t, ctx, "#verdict"); !strings.Contains(s, "退回原因："+reason) {
		t.Errorf("after return: %q", s)
	}
	// Approve SWJ's latest.
	ssubs := mustGet(e.st.UnitSubmissions("2025Q3", "SWJ"))(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/admin/s/"+itoa(int(ssubs[1].ID))), chromedp.WaitVisible(chromedp.CSS("#approve"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#approve"))); err != nil {
		t.Fatal(err)
	}
	if s := text(t, ctx, "#verdict"); !strings.Contains(s, "审核通过（李四") {
		t.Errorf("after approval: %q", s)
	}
	// Write the round and the reports.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/admin"), chromedp.WaitVisible(chromedp.CSS("#write"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#write"))); err != nil {
		t.Fatal(err)
	}
	if s := text(t, ctx, "#written"); !strings.Contains(s, "round.json") || !strings.Contains(s, "2025Q3_简报.pdf") {
		t.Errorf("written: %q", s)
	}
	pics.take(ctx, "serve-written")
	for _, p := range []string{filepath.Join("汇总", "2025Q3", "round.json"), filepath.Join("报告", "2025Q3", "2025Q3_简报.pdf")} {
		if _, err := os.Stat(p); err != nil {
			t.Error(err)
		}
	}

	// GXJ sees the reason on its page.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/u/"+e.tokens["GXJ"]), chromedp.WaitVisible(chromedp.CSS(".state"))); err != nil {
		t.Fatal(err)
	}
	if s := text(t, ctx, ".state"); !strings.Contains(s, reason) {
		t.Errorf("GXJ's state %q lacks the reason", s)
	}
	pics.take(ctx, "serve-returned")
}
