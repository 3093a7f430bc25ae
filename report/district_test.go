package report_test

import (
	"fmt"
	"strings"
	"testing"

	"planrep/plan"
	"planrep/report"
	"planrep/report/internal/sample"
)

func TestDistrictSection(t *testing.T) {
	b := sample.DistrictBrief(t)
	ds := b.Districts
	if ds == nil {
		t.Fatal("no 区县 section")
	}
	if !ds.Example || ds.Label != "示例" || ds.Expected != 11 || ds.Submitted != 10 {
		t.Errorf("section: example %v label %q expected %d submitted %d", ds.Example, ds.Label, ds.Expected, ds.Submitted)
	}
	if len(ds.Missing) != 1 || ds.Missing[0].Short != "文昌湖区" {
		t.Errorf("missing: %+v; want 文昌湖区", ds.Missing)
	}
	// Ranked by the share on schedule, best first, the silent 区县 last and unranked.
	r := ds.Ranking
	if r[0].Short != "张店区" || r[0].Rank != 1 || r[len(r)-1].Short != "文昌湖区" || r[len(r)-1].Rank != 0 || r[len(r)-1].Rate != nil {
		t.Errorf("ranking: first %+v, last %+v", r[0], r[len(r)-1])
	}
	for i := 1; i < len(r)-1; i++ {
		if *r[i].Rate > *r[i-1].Rate {
			t.Errorf("ranking out of order at %d: %v after %v", i, *r[i].Rate, *r[i-1].Rate)
		}
	}
	if len(ds.Columns) != 11 || len(ds.Grid) != 36 || len(ds.Grid[0].Cells) != 11 {
		t.Fatalf("grid: %d columns, %d rows", len(ds.Columns), len(ds.Grid))
	}
	if c := ds.Grid[0].Cells[10]; c.Status != plan.Missing || c.Text != "未报" {
		t.Errorf("the silent 区县's cell: %+v", c)
	}
	if c := ds.Grid[0].Cells[0]; c.Progress == nil || !strings.HasSuffix(c.Text, "%") {
		t.Errorf("张店区's cell: %+v", c)
	}
	if ds.Inconsistent < 1 || len(ds.Findings) != ds.Inconsistent || !strings.Contains(ds.Findings[0].Message, "口径不一致") {
		t.Errorf("consistency: %d inconsistent, %d findings", ds.Inconsistent, len(ds.Findings))
	}
	if ds.Consistency[0].In != 10 || ds.Consistency[0].Of != 11 || ds.Consistency[0].Missing != "文昌湖区" {
		t.Errorf("first roll-up: %+v", ds.Consistency[0])
	}
	// The body says it, labelled 示例, and the grid is an attachment.
	var sec *report.Section
	for i := range b.Body {
		if strings.Contains(b.Body[i].Heading, "区县任务完成情况（示例）") {
			sec = &b.Body[i]
		}
	}
	if sec == nil {
		t.Fatalf("no 区县 section in the body: %+v", b.Body)
	}
	text := strings.Join(sec.Paragraphs, "")
	for _, w := range []string{"【示例】", "已报送 10\u00a0个", "文昌湖区未报送", "淄川区逾期报送", "张店区最好", fmt.Sprintf("口径不一致的 %d\u00a0项", ds.Inconsistent)} {
		if !strings.Contains(text, w) {
			t.Errorf("the section lacks %q: %s", w, text)
		}
	}
	found := false
	for _, a := range b.Attachments {
		found = found || a.Block == report.BlockDistrictGrid && a.Title == "区县分解任务完成情况（示例）"
	}
	if !found {
		t.Errorf("no 区县 grid attachment: %+v", b.Attachments)
	}
	// Without 区县 the brief has no such section.
	if plain := sample.Brief(t); plain.Districts != nil {
		t.Error("a round without 区县 has a 区县 section")
	}
}
