package xlsx

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/report/internal/sample"
)

func TestDistrictSheets(t *testing.T) {
	b := sample.DistrictBrief(t)
	var buf bytes.Buffer
	if err := Write(&buf, b); err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("PLANREP_KEEP_XLSX"); keep != "" {
		must(t, os.WriteFile(keep, buf.Bytes(), 0o644))
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := strings.Join(f.GetSheetList(), ",")
	for _, s := range []string{"区县排名（示例）", "区县分解（示例）", "区县核对（示例）"} {
		if !strings.Contains(sheets, s) {
			t.Errorf("sheets %s lack %s", sheets, s)
		}
	}
	get := func(sheet, ref string) string {
		v, err := f.GetCellValue(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := get("区县排名（示例）", "B4"); got != "张店区" {
		t.Errorf("first of the ranking: %q; want 张店区", got)
	}
	ds := b.Districts
	last := xlFirstRow + len(ds.Ranking) - 1
	if got := get("区县排名（示例）", xlCellName(2, last)); got != "文昌湖区" || get("区县排名（示例）", xlCellName(3, last)) != "未报送" {
		t.Errorf("last of the ranking: %q", got)
	}
	grid := "区县分解（示例）"
	if got := get(grid, "C3"); got != "张店区" || get(grid, "M3") != "文昌湖区" || get(grid, "A4") != ds.Grid[0].ID {
		t.Errorf("grid headings: %q … %q", got, get(grid, "M3"))
	}
	if got := get(grid, "M4"); got != "未报" {
		t.Errorf("the silent 区县's cell: %q", got)
	}
	// Each cell's fill is its status's colour.
	for _, c := range []struct {
		ref  string
		cell int
	}{{"C4", 0}, {"M4", 10}, {"F5", 3}} {
		st := ds.Grid[rowOf(t, c.ref)-xlFirstRow].Cells[c.cell].Status
		id := mustGet(f.GetCellStyle(grid, c.ref))(t)
		style := mustGet(f.GetStyle(id))(t)
		if style == nil || len(style.Fill.Color) == 0 || !strings.EqualFold("#"+strings.TrimPrefix(style.Fill.Color[0], "#"), xlStatusColors[st].fill) {
			t.Errorf("%s (%s) fill %+v; want %s", c.ref, st, style, xlStatusColors[st].fill)
		}
	}
	check := "区县核对（示例）"
	found := false
	rows := mustGet(f.GetRows(check))(t)
	for _, r := range rows {
		found = found || len(r) > 10 && r[10] == "口径不一致" && r[7] == "10/11" && r[8] == "文昌湖区"
	}
	if !found {
		t.Errorf("%s has no 口径不一致 row naming the 区县 left out", check)
	}
	if _, err := f.GetSheetIndex(SheetDistrictGrid); err != nil {
		t.Fatal(err)
	}
	if plain := sample.Brief(t); DistrictSheets(plain) != nil {
		t.Error("a brief without 区县 has 区县 sheets")
	}
	_ = plan.Missing
}

func rowOf(t testing.TB, ref string) int {
	t.Helper()
	_, r, err := excelize.CellNameToCoordinates(ref)
	must(t, err)
	return r
}
