package docx_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/report"
	"planrep/report/docx"
	"planrep/report/internal/sample"
	"planrep/report/pdf"
	"planrep/report/xlsx"
)

// TestRenderersAgree draws one brief three times and reads every count back
// from each document: the PDF and the Word 通报 through pdftotext, the
// workbook through excelize. Each headline figure, each department's count
// of every status and each lagging target must read the same in all three.
func TestRenderersAgree(t *testing.T) {
	t.Parallel()
	sample.NeedTool(t, "pdftotext")
	p := sample.DefaultPlan(t)
	b := report.Compute(p, sample.Round(p, sample.Period), sample.Options())
	texts, f := renderAll(t, b)
	overview := map[string]string{}
	rows, err := f.GetRows(xlsx.SheetOverview, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) >= 2 && r[0] != "" {
			if _, dup := overview[r[0]]; !dup {
				overview[r[0]] = r[1]
			}
		}
	}

	h := b.Headline
	for _, box := range h.Boxes {
		label := box.Label
		if box.Unit != "" {
			label += "（" + box.Unit + "）"
		}
		for doc, text := range texts {
			if !strings.Contains(text, box.Value+label) {
				t.Errorf("%s: headline box %s%s not found", doc, box.Value, label)
			}
		}
	}
	for _, c := range h.ByStatus {
		want := strconv.Itoa(c.Count)
		if got := overview[string(c.Status)]; got != want {
			t.Errorf("Excel 总览: %s = %q; the brief says %s", c.Status, got, want)
		}
		phrase := string(c.Status) + strconv.Itoa(c.Count) + "项"
		for doc, text := range texts {
			if c.Count > 0 && !strings.Contains(text, phrase) {
				t.Errorf("%s: the summary lacks %s", doc, phrase)
			}
		}
	}
	if got := overview["指标总数"]; got != strconv.Itoa(h.Targets) {
		t.Errorf("Excel 总览: 指标总数 = %q; want %d", got, h.Targets)
	}
	if got := overview["已报送单位"]; got != strconv.Itoa(h.DeptsIn) {
		t.Errorf("Excel 总览: 已报送单位 = %q; want %d", got, h.DeptsIn)
	}

	// Each department's standing (in words in the documents) and its counts by status (in the workbook).
	deptRows, err := f.GetRows(xlsx.SheetDepts, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	head := deptRows[2]
	col := map[string]int{}
	for i, v := range head {
		col[v] = i
	}
	byName := map[string][]string{}
	for _, r := range deptRows[3:] {
		if len(r) > 0 {
			byName[r[0]] = r
		}
	}
	for _, d := range b.Depts {
		for doc, text := range texts {
			if !strings.Contains(text, squeeze(d.Short+"："+d.Standing)) {
				t.Errorf("%s: %s's standing %q not found", doc, d.Short, d.Standing)
			}
		}
		r := byName[d.Short]
		if r == nil {
			t.Errorf("Excel 分部门 lacks %s", d.Short)
			continue
		}
		for i, s := range report.Statuses {
			c, ok := col[string(s)]
			if !ok || c >= len(r) {
				t.Fatalf("Excel 分部门 has no column %s", s)
			}
			if r[c] != strconv.Itoa(d.Counts[i]) {
				t.Errorf("Excel 分部门 %s %s = %q; the brief says %d", d.Short, s, r[c], d.Counts[i])
			}
		}
	}
	// Every lagging target in each document's list.
	behind, err := f.GetRows(xlsx.SheetBehind)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(behind) - 3; n != len(b.Behind) {
		t.Errorf("Excel 滞后指标 has %d rows; the brief lists %d", n, len(b.Behind))
	}
	for _, row := range b.Behind {
		for doc, text := range texts {
			if !strings.Contains(text, squeeze(row.Indicator+row.Dept)) {
				t.Errorf("%s: lagging target %s (%s) not found", doc, row.Indicator, row.Dept)
			}
		}
	}
}

// text is a PDF's text in drawing order, whitespace and word joiners removed
// and page numbers (— 2 —) left out.
func text(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return regexp.MustCompile(`—\d+—`).ReplaceAllString(squeeze(string(out)), "")
}

func squeeze(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u2060", "")), "")
}

// TestRenderersAgreeOnChange: with a year, the PDF's and the Word 通报's
// tables of the main targets and the workbook's 趋势 sheet give each
// target's 环比 in the same words (+0.4个百分点, 持平, —).
func TestRenderersAgreeOnChange(t *testing.T) {
	t.Parallel()
	sample.NeedTool(t, "pdftotext")
	b, id := sample.YearBriefMoved(t)
	if got := b.Year.ChangeOf(id); got != "+0.4个百分点" {
		t.Fatalf("the brief words the 环比 of %s %q; want +0.4个百分点", id, got)
	}
	texts, f := renderAll(t, b)
	for doc, txt := range texts {
		if !strings.Contains(txt, "完成情况环比状态牵头单位") {
			t.Errorf("%s: the main targets table has no 环比 column", doc)
		}
		for _, g := range b.MainGoals {
			if row := strings.Join(strings.Fields(b.Year.ChangeOf(g.ID)+string(g.Status)), ""); !strings.Contains(txt, row) {
				t.Errorf("%s: the row of %s lacks its 环比 and status %q", doc, g.ID, row)
			}
		}
	}
	rows, err := f.GetRows(xlsx.SheetTrend)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if len(r) > 0 && r[0] == id {
			found = slices.Contains(r, "+0.4个百分点")
		}
	}
	if !found {
		t.Errorf("Excel: the 趋势 row of %s lacks 环比 +0.4个百分点", id)
	}
}

// renderAll draws b with the three renderers and reads the documents back:
// the PDF's and the Word 通报's text (pdftotext; the .docx through
// LibreOffice) by document, and the workbook, opened, closed when t ends.
func renderAll(t *testing.T, b *report.Brief) (map[string]string, *excelize.File) {
	t.Helper()
	dir := t.TempDir()
	var pb, db, xb bytes.Buffer
	if err := pdf.Write(&pb, b, nil); err != nil {
		t.Fatal(err)
	}
	if err := docx.Write(&db, b); err != nil {
		t.Fatal(err)
	}
	if err := xlsx.Write(&xb, b); err != nil {
		t.Fatal(err)
	}
	pdfPath := filepath.Join(dir, "简报.pdf")
	docPath := filepath.Join(dir, "通报.docx")
	for path, data := range map[string][]byte{pdfPath: pb.Bytes(), docPath: db.Bytes()} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(xb.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() }) // only read
	return map[string]string{"PDF": text(t, pdfPath), "Word": text(t, sample.Convert(t, docPath, "pdf"))}, f
}
