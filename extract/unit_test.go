package extract_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"planrep/extract"
	"planrep/plan"
)

func TestInferYear(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"淄博市2025年国民经济和社会发展计划", 2025},
		{"关于2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划草案的报告", 2024},
		{"一、2024年国民经济和社会发展计划执行情况\n二、2025年经济社会发展主要预期目标", 2025},
		{"2026年全市经济社会发展的主要目标是：", 2026},
		{"2024年，全市地区生产总值增长5%。", 0},
		{"", 0},
	}
	for _, tt := range tests {
		got, ok := extract.InferYear(tt.text)
		if got != tt.want || ok != (tt.want != 0) {
			t.Errorf("InferYear(%q) = %d, %v; want %d", tt.text, got, ok, tt.want)
		}
	}
}

func TestTitle(t *testing.T) {
	text := "标题\n某市人民政府关于印发某市2025年国民经济和社会发展计划的通知发文机关\n关于印发某市2025年国民经济和社会发展计划的通知\n"
	if got, want := extract.Title(text, 2025), "某市2025年国民经济和社会发展计划"; got != want {
		t.Errorf("Title = %q; want %q", got, want)
	}
}

func TestNoYear(t *testing.T) {
	_, err := extract.Extract("全市地区生产总值增长5%以上。", extract.Options{})
	if !errors.Is(err, extract.ErrNoYear) {
		t.Fatalf("got %v; want ErrNoYear", err)
	}
	p, err := extract.Extract("全市地区生产总值增长5%以上。", extract.Options{Year: 2025})
	if err != nil || len(p.Targets) != 1 || p.Year != 2025 {
		t.Fatalf("with --year: got %v, %+v", err, p)
	}
}

// TestNotTargets lists numbers a plan holds that are not targets.
func TestNotTargets(t *testing.T) {
	for _, s := range []string{
		"聚焦“3510”发展目标，高水平举办“1+2+N”系列活动。",
		"2025年是“十四五”收官之年，编制好“十五五”规划。",
		"全市5G基站实现全覆盖，建设5A级景区，打造“15分钟生活圈”。",
		"列全省第3位，举办第十五届全民健身运动会。",
		"推动省级以上平台建设，支持过百亿元项目，力争过亿元项目顺利落地。",
		"扎实推进532个省市重大项目建设，抓好河道治理等29个重点工程建设。",
		"2024年，全市地区生产总值实现4884亿元，同比增长5.5%。",
		"前三季度，全市地区生产总值增长7%，1—11月社会消费品零售总额增长5.6%。",
		"上半年，规模以上工业增加值增长8.2%。",
		"PM2.5浓度持续下降，实施“5+N”行动。",
		"实施3年行动计划，建设24小时自助服务区，开展60岁以上老年人健康体检。",
		"截至目前，全市累计建成5G基站1万个。",
		"新开工投资10亿元以上项目，引进世界500强企业。",
	} {
		p, err := extract.Extract(s, extract.Options{Year: 2025})
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range p.Targets {
			if tg.Kind != plan.Milestone {
				t.Errorf("%s: took %v%s (%s) as a target", s, *tg.Value, tg.Unit, tg.Indicator)
			}
		}
	}
}

// TestSeveral checks sentences that hold several targets.
func TestSeveral(t *testing.T) {
	p, err := extract.Extract("万元地区生产总值用水量、万元工业增加值用水量分别较2020年下降15%、11%；新改扩建中小学5所、幼儿园3所。", extract.Options{Year: 2025})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name  string
		value float64
		kind  plan.Kind
	}{
		{"万元地区生产总值用水量较2020年下降", 15, plan.Reduction},
		{"万元工业增加值用水量较2020年下降", 11, plan.Reduction},
		{"新改扩建中小学", 5, plan.Cumulative},
		{"新改扩建幼儿园", 3, plan.Cumulative},
	}
	if len(p.Targets) != len(want) {
		t.Fatalf("got %d targets; want %d", len(p.Targets), len(want))
	}
	for i, w := range want {
		g := p.Targets[i]
		if g.Indicator != w.name || *g.Value != w.value || g.Kind != w.kind {
			t.Errorf("target %d: got %s %v %s; want %s %v %s", i, g.Indicator, *g.Value, g.Kind, w.name, w.value, w.kind)
		}
	}
}

func docx(t *testing.T, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w := mustGet(zw.Create("[Content_Types].xml"))
	mustN(w.Write([]byte(`<?xml version="1.0"?><Types/>`)))
	w = mustGet(zw.Create("word/document.xml"))
	mustN(w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`)))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDocx(t *testing.T) {
	// What Word writes around the text: properties, proofing marks,
	// bookmarks, hyperlinks, runs split mid-word.
	body := `<w:p><w:pPr><w:jc w:val="center"/><w:rPr><w:rFonts w:eastAsia="方正小标宋简体"/></w:rPr></w:pPr><w:bookmarkStart w:id="0" w:name="_GoBack"/><w:r><w:rPr><w:rFonts w:hint="eastAsia"/><w:sz w:val="44"/></w:rPr><w:t>某市2025年</w:t></w:r><w:proofErr w:type="spellStart"/><w:hyperlink r:id="rId5" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:r><w:t>国民经济和社会发展计划</w:t></w:r></w:hyperlink><w:proofErr w:type="spellEnd"/><w:bookmarkEnd w:id="0"/></w:p>` +
		`<w:p><w:r><w:t>一、主要</w:t></w:r><w:r><w:t xml:space="preserve">目标</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>地区生产总值增长</w:t></w:r><w:r><w:t>5%</w:t></w:r><w:r><w:t>左右</w:t></w:r><w:r><w:br/><w:t>城镇新增就业3万人以上。</w:t></w:r></w:p>` +
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>单位</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2025年目标</w:t></w:r></w:p></w:tc></w:tr>` +
		`<w:tr><w:tc><w:p><w:r><w:t>城镇调查失业率</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>%</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>5.5以内</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`
	body += `<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice><w:t>文本框</w:t></mc:Choice><mc:Fallback><w:t>文本框</w:t></mc:Fallback></mc:AlternateContent></w:r><w:del><w:r><w:delText>删除的文字</w:delText></w:r></w:del></w:p>`
	txt, err := extract.DocxText(docx(t, body))
	if err != nil {
		t.Fatal(err)
	}
	want := "某市2025年国民经济和社会发展计划\n一、主要目标\n地区生产总值增长5%左右\n城镇新增就业3万人以上。\n指标\t单位\t2025年目标\n城镇调查失业率\t%\t5.5以内\n文本框\n"
	if txt != want {
		t.Errorf("got %q; want %q", txt, want)
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "计划.docx")
	must(os.WriteFile(name, docx(t, body), 0o644))
	txt2, err := extract.ReadFile(name)
	if err != nil || txt2 != want {
		t.Fatalf("ReadFile: %q, %v", txt2, err)
	}
	p, err := extract.Extract(txt2, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Targets) != 3 {
		t.Fatalf("got %d targets from the .docx; want 3", len(p.Targets))
	}
	if c := p.Targets[2]; c.Kind != plan.Ceiling || c.Comparator != plan.AtMost || *c.Value != 5.5 {
		t.Errorf("table row: got %s %s %v", c.Kind, c.Comparator, *c.Value)
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		must(os.WriteFile(p, data, 0o644))
		return p
	}
	tests := []struct {
		path, want string
	}{
		{write("gbk.txt", []byte{0xb5, 0xd8, 0xc7, 0xf8}), "不是 UTF-8"},
		{write("old.doc", []byte{0xd0, 0xcf, 0x11, 0xe0}), "另存为 .docx"},
		{write("bad.docx", []byte("PK\x03\x04 not really")), "不是有效的 .docx"},
		{write("nodoc.docx", func() []byte {
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			mustGet(zw.Create("x.xml"))
			must(zw.Close())
			return b.Bytes()
		}()), "缺少 word/document.xml"},
		{write("broken.docx", docx(t, "<w:p><w:t>未闭合")), "已损坏"},
		{filepath.Join(dir, "absent.txt"), "无法读取"},
	}
	for _, tt := range tests {
		_, err := extract.ReadFile(tt.path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v; want an error saying %q", filepath.Base(tt.path), err, tt.want)
		}
	}
	bom := write("bom.txt", []byte("\xef\xbb\xbf2025年计划"))
	if txt, err := extract.ReadFile(bom); err != nil || txt != "2025年计划" {
		t.Errorf("BOM: got %q, %v", txt, err)
	}
}

func TestCompare(t *testing.T) {
	text := "地区生产总值增长5%以上，新建学校3所、幼儿园2所，完成重点项目建设。"
	v := func(f float64) *float64 { return &f }
	reg := []plan.Target{
		{ID: "R1", Kind: plan.Growth, Value: v(5), Unit: "%", Quote: "地区生产总值增长5%以上"},
		{ID: "R2", Kind: plan.Cumulative, Value: v(3), Unit: "所", Quote: "新建学校3所"},
		{ID: "R3", Kind: plan.Cumulative, Value: v(2), Unit: "所", Quote: "幼儿园2所"},
		{ID: "R4", Kind: plan.Milestone, Quote: "完成重点项目建设"},
	}
	draft := []plan.Target{
		{ID: "D1", Kind: plan.Level, Value: v(5), Unit: "%", Quote: "地区生产总值增长5%以上"},
		{ID: "D2", Kind: plan.Cumulative, Value: v(4), Unit: "所", Quote: "新建学校3所、幼儿园2所"},
		{ID: "D3", Kind: plan.Cumulative, Value: v(2), Unit: "所", Quote: "新建学校3所、幼儿园2所"},
		{ID: "D4", Kind: plan.Cumulative, Value: v(1), Unit: "个", Quote: "完成重点项目建设"},
	}
	for _, txt := range []string{text, ""} {
		c := extract.Compare(draft, reg, txt)
		if len(c.Matched) != 2 || c.Matched[0].Registry.ID != "R1" || c.Matched[1].Registry.ID != "R3" || c.Matched[1].Draft.ID != "D3" {
			t.Errorf("text %q: matched %+v", txt, c.Matched)
		}
		if k := c.KindDiffers(); len(k) != 1 || k[0].Draft.ID != "D1" {
			t.Errorf("kind differs: %+v", k)
		}
		if len(c.Differ) != 1 || c.Differ[0].Draft.ID != "D2" || c.Differ[0].Registry.ID != "R2" {
			t.Errorf("differ: %+v", c.Differ)
		}
		if len(c.Missing) != 1 || c.Missing[0].ID != "R2" {
			t.Errorf("missing: %+v", c.Missing)
		}
		if len(c.Extra) != 2 || len(c.Milestones) != 1 || c.Milestones[0].Registry.ID != "R4" {
			t.Errorf("extra %+v, milestones %+v", c.Extra, c.Milestones)
		}
		if c.Recall() != 2.0/3 || c.Precision() != 0.5 {
			t.Errorf("recall %v precision %v", c.Recall(), c.Precision())
		}
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"2025年国民经济和社会发展计划\n一、目标\n地区生产总值增长5%左右，新建学校3所、幼儿园2所。",
		"指标\t单位\t2025年目标\n失业率\t%\t≤5.5",
		"（一）分别增长、、5%、6%以上",
		"１２３４％以上，第3位，过10亿元",
		"分别", "一是", "1.", "（", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := extract.Extract(s, extract.Options{Year: 2025})
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range p.Targets {
			if !strings.Contains(s, tg.Quote) || (tg.Value == nil) != (tg.Kind == plan.Milestone) {
				t.Fatalf("target %+v: quote not in the text or no value", tg)
			}
		}
	})
}
