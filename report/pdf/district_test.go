package pdf

import (
	"os"
	"strings"
	"testing"

	"planrep/report/internal/sample"
)

// TestDistrictPages reads the 区县 section and the split targets × 区县
// table back from the PDF: the headings labelled 示例, every 区县 named in
// the table, which splits into parts that each fit the type area.
func TestDistrictPages(t *testing.T) {
	sample.NeedTool(t, "pdftotext")
	b := sample.DistrictBrief(t)
	data := renderPDF(t, b)
	path := writeTemp(t, data)
	if keep := os.Getenv("PLANREP_KEEP_PDF"); keep != "" {
		must(t, os.WriteFile(keep, data, 0o644))
	}
	flat, pages := pdfText(t, path)
	for _, w := range []string{"区县任务完成情况（示例）", "表区县分解任务完成情况排名（示例）", "文昌湖区未报送", "淄川区逾期报送",
		"表区县合计与全市数口径不一致的指标", "区县分解任务完成情况（示例）", "【示例】表中分解任务为示例",
		"（一）张店区至桓台县", "（二）高青县至文昌湖区"} {
		if !strings.Contains(flat, strings.ReplaceAll(w, " ", "")) {
			t.Errorf("the PDF lacks %q", w)
		}
	}
	// Each part of the grid names its 区县 in its header on every page it reaches.
	grid := 0
	for _, p := range pages {
		if strings.Contains(p, "编号指标张店区淄川区博山区") || strings.Contains(p, "编号指标高青县沂源县") {
			grid++
		}
	}
	if grid < 2 {
		t.Errorf("the grid's header is on %d pages; want each part's on its pages", grid)
	}
	for _, r := range b.Districts.Grid {
		if !strings.Contains(flat, r.ID) {
			t.Errorf("the grid lacks %s", r.ID)
		}
	}
}
