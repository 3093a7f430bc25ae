package docx

import (
	"os"
	"strings"
	"testing"

	"planrep/report/internal/sample"
)

// TestDistrictReadBack reads the 通报's 区县 section back through LibreOffice
// and checks the grid's cells are shaded by status in the document's XML.
func TestDistrictReadBack(t *testing.T) {
	b := sample.DistrictBrief(t)
	data := build(t, b)
	if keep := os.Getenv("PLANREP_KEEP_DOCX"); keep != "" {
		must(t, os.WriteFile(keep, data, 0o644))
	}
	doc := string(readParts(t, data)["word/document.xml"])
	for _, fill := range []string{cellFills["已完成"], cellFills["未报送"]} {
		if !strings.Contains(doc, `w:fill="`+fill+`"`) {
			t.Errorf("no grid cell shaded %s", fill)
		}
	}
	sample.NeedTool(t, "soffice")
	text, _ := docText(t, data)
	for _, w := range []string{"区县任务完成情况（示例）", "区县分解任务完成情况排名（示例）", "文昌湖区未报送", "淄川区逾期报送",
		"区县合计与全市数口径不一致的指标", "【示例】表中分解任务为示例", "（一）张店区至桓台县", "（二）高青县至文昌湖区"} {
		if !strings.Contains(text, strings.ReplaceAll(w, " ", "")) {
			t.Errorf("the 通报 lacks %q", w)
		}
	}
}
