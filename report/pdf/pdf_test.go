package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"planrep/plan"
	"planrep/report"
	"planrep/report/internal/sample"
)

// renderPDF renders a brief with the embedded font.
func renderPDF(t testing.TB, b *report.Brief) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, b, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeTemp(t testing.TB, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "brief.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// pdfText is the PDF's text in drawing order, with all whitespace removed:
// wrapped lines join up again, so a phrase is found whatever its breaks.
func pdfText(t testing.TB, path string) (flat string, pages []string) {
	t.Helper()
	raw := run(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-")
	pages = strings.Split(raw, "\f")
	for i := range pages {
		pages[i] = squeeze(pages[i])
	}
	// Page numbers (— 2 —) fall inside a paragraph that runs over a page: leave them out.
	return folio.ReplaceAllString(squeeze(raw), ""), pages
}

var folio = regexp.MustCompile(`—\d+—`)

func squeeze(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func pageCount(t testing.TB, path string) int {
	t.Helper()
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(run(t, "pdfinfo", path))
	if m == nil {
		t.Fatal("pdfinfo: no page count")
	}
	return mustGet(strconv.Atoi(m[1]))(t)
}

func TestPDFContent(t *testing.T) {
	sample.NeedTool(t, "pdftotext")
	for name, p := range map[string]*plan.Plan{"testdata": sample.TestPlan(t), "default": sample.DefaultPlan(t)} {
		t.Run(name, func(t *testing.T) {
			b := report.Compute(p, sample.Round(p, sample.Period), sample.Options())
			path := writeTemp(t, renderPDF(t, b))
			text, pages := pdfText(t, path)
			m := b.Meta
			want := []string{m.Title, m.IssueText, m.Office, m.DateText, m.Printed,
				"报送：" + strings.Join(m.SendTo, "，"), "抄送：" + strings.Join(m.CopyTo, "，")}
			// Every sentence of the body, every heading and attachment.
			for _, s := range b.Body {
				want = append(want, s.Heading)
				want = append(want, s.Paragraphs...)
			}
			for i, a := range b.Attachments {
				want = append(want, "附件"+strconv.Itoa(i+1)+a.Title)
			}
			// The headline boxes: figure over label.
			for _, f := range b.Headline.Boxes {
				label := f.Label
				if f.Unit != "" {
					label += "（" + f.Unit + "）"
				}
				want = append(want, f.Value+label)
			}
			for _, row := range b.Behind {
				// The indicator and its department, side by side in the table.
				want = append(want, row.Indicator+row.Dept)
			}
			for _, d := range b.Depts {
				want = append(want, d.Short+"："+d.Standing)
			}
			for _, g := range b.MainGoals {
				want = append(want, g.Statement)
			}
			for _, w := range want {
				if !strings.Contains(text, squeeze(clean(w))) {
					t.Errorf("PDF text lacks %q", w)
				}
			}
			for _, w := range []string{"请以下单位尽快报送", "…"} {
				if strings.Contains(text, w) {
					t.Errorf("PDF text has %q", w)
				}
			}
			// The fingerprint once, at the end.
			if n := strings.Count(text, m.Fingerprint); n != 1 {
				t.Errorf("the fingerprint appears %d times; want once", n)
			}
			info := run(t, "pdfinfo", path)
			if !strings.Contains(info, "CreationDate:") || !strings.Contains(info, "Oct 15") || !strings.Contains(info, "2025") {
				t.Errorf("creation date is not the brief's date (2025-10-15):\n%s", info)
			}
			n := pageCount(t, path)
			if n != len(pages)-1 {
				t.Errorf("pdfinfo says %d pages, pdftotext %d", n, len(pages)-1)
			}
			if !strings.Contains(pages[n-1], m.Fingerprint) || !strings.Contains(pages[n-1], squeeze(m.Printed)) {
				t.Error("the last page lacks the 版记 with the fingerprint")
			}
			body := n
			for i, pg := range pages[:n] {
				if !strings.Contains(pg, "—"+strconv.Itoa(i+1)+"—") {
					t.Errorf("page %d lacks its number — %d —", i+1, i+1)
				}
				if strings.HasPrefix(pg, "附件1") && body == n {
					body = i
				}
			}
			if len(b.Attachments) > 0 && body == n {
				t.Error("附件1 does not start a page")
			}
			if body > 6 {
				t.Errorf("the body runs to %d pages; want at most 6", body)
			}
		})
	}
}

// TestPDFTableHeaderRepeats checks that a table running over pages repeats its header.
func TestPDFTableHeaderRepeats(t *testing.T) {
	sample.NeedTool(t, "pdftotext")
	p := sample.DefaultPlan(t)
	b := report.Compute(p, sample.Round(p, sample.Period), sample.Options())
	if len(b.Behind) < 25 {
		t.Fatalf("the sample round has %d lagging targets; the test needs 25 to fill a page", len(b.Behind))
	}
	_, pages := pdfText(t, writeTemp(t, renderPDF(t, b)))
	n := 0
	for _, pg := range pages {
		if strings.Contains(pg, "存在问题下步措施") {
			n++
		}
	}
	if n < 2 {
		t.Errorf("the behind-schedule table's header appears on %d pages; want it on each of its pages", n)
	}
}

func TestPDFWrapKeepsEveryCharacter(t *testing.T) {
	sample.NeedTool(t, "pdftotext")
	b := sample.Brief(t)
	para := strings.Repeat(sample.LongProblem, 3)
	b.Body[0].Paragraphs = []string{para}
	path := writeTemp(t, renderPDF(t, b))
	text, _ := pdfText(t, path)
	if !strings.Contains(text, squeeze(para)) {
		t.Errorf("a %d-character paragraph did not come back whole from the PDF", len([]rune(para)))
	}
	// The same paragraph inside a narrow table cell (存在问题 of a lagging target).
	if !strings.Contains(text, squeeze(sample.LongProblem)) {
		t.Error("the long 存在问题 text did not come back whole from its table cell")
	}
	// A character above U+FFFF became 〓 instead of crashing gofpdf.
	if !strings.Contains(text, "〓家庄片区征迁进度慢") {
		t.Error("the character above U+FFFF was not replaced by 〓")
	}
}

func TestPDFAstralRunesDoNotPanic(t *testing.T) {
	b := sample.Brief(t)
	b.Meta.Title = "简报😀"
	b.Meta.Office = "𠀀𠀁单位"
	b.Depts[0].Short = "𡈼局"
	b.Behind[0].Problems = "😀😀😀" + strings.Repeat("𠮷", 200)
	b.Body[0].Paragraphs = []string{strings.Repeat("😀", 500)}
	if data := renderPDF(t, b); len(data) == 0 {
		t.Error("empty PDF")
	}
}

// TestPDFFontEmbeddedAndSubset checks the three 公文 faces are embedded, and
// subset: the PDF is a small part of the 14 MB the faces weigh together.
func TestPDFFontEmbeddedAndSubset(t *testing.T) {
	sample.NeedTool(t, "pdffonts")
	data := renderPDF(t, sample.Brief(t))
	out := run(t, "pdffonts", writeTemp(t, data))
	lines := strings.Split(strings.TrimSpace(out), "\n")[2:]
	names := map[string]bool{}
	for _, l := range lines {
		f := strings.Fields(l)
		// name type… encoding emb sub uni object ID
		if len(f) < 7 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", l)
		}
		names[f[0]] = true
	}
	// gofpdf names each embedded face after its family: 宋, 黑, 楷.
	for _, want := range familyOf {
		if !names["utf8"+want] {
			t.Errorf("pdffonts lacks the %s face:\n%s", want, out)
		}
	}
	// gofpdf gives the subset no name prefix, so pdffonts says sub=no:
	// the size shows it is a subset.
	if len(data) > 600<<10 {
		t.Errorf("PDF is %d bytes: the faces are not subset", len(data))
	}
}

func TestPDFDeterministic(t *testing.T) {
	a := renderPDF(t, sample.Brief(t))
	b := renderPDF(t, sample.Brief(t))
	if !bytes.Equal(a, b) {
		t.Error("same brief, different PDF bytes")
	}
}

func TestPDFEmptyBrief(t *testing.T) {
	p := sample.TestPlan(t)
	b := report.Compute(p, &plan.Round{Period: plan.MustPeriod("2025")}, report.Options{})
	renderPDF(t, b)
	renderPDF(t, &report.Brief{})
}

func TestCheckFont(t *testing.T) {
	if err := CheckFont(DefaultFont()); err != nil {
		t.Fatalf("embedded font refused: %v", err)
	}
	for name, data := range map[string][]byte{
		"collection": append([]byte("ttcf\x00\x01\x00\x00"), make([]byte, 64)...),
		"cff":        append([]byte("OTTO"), make([]byte, 64)...),
		"empty":      nil,
		"text":       []byte("this is not a font at all"),
		"no tables":  append([]byte("\x00\x01\x00\x00\x00\x00"), make([]byte, 64)...),
	} {
		err := CheckFont(data)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !regexp.MustCompile(`\p{Han}`).MatchString(err.Error()) {
			t.Errorf("%s: message not in Chinese: %v", name, err)
		}
	}
}

func TestWritePDFBrokenFont(t *testing.T) {
	// A TrueType header and table directory, then garbage.
	font := DefaultFont()
	broken := append([]byte(nil), font[:400]...)
	broken = append(broken, bytes.Repeat([]byte{0xFF}, 4000)...)
	var buf bytes.Buffer
	if err := Write(&buf, sample.Brief(t), broken); err == nil {
		t.Error("a broken font gave no error")
	} else if !regexp.MustCompile(`\p{Han}`).MatchString(err.Error()) {
		t.Errorf("message not in Chinese: %v", err)
	} else {
		t.Log(err)
	}
}

// BenchmarkReport renders the brief of the default plan (compute and PDF).
func BenchmarkReport(b *testing.B) {
	p := sample.DefaultPlan(b)
	r := sample.Round(p, sample.Period)
	var size int
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		if err := Write(&buf, report.Compute(p, r, sample.Options()), nil); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}

// fakeFont builds a TrueType table directory whose cmap maps only the
// characters from lo to hi, like a CJK font without Latin letters.
func fakeFont(lo, hi uint16) []byte {
	be16 := func(v uint16) []byte { return []byte{byte(v >> 8), byte(v)} }
	// cmap: one (3,1) format-4 subtable with the range and the final 0xFFFF segment.
	var sub []byte
	for _, v := range []uint16{4, 0, 0, 4, 4, 1, 0} { // format, length, language, segCountX2, searchRange, entrySelector, rangeShift
		sub = append(sub, be16(v)...)
	}
	sub = append(sub, be16(hi)...)
	sub = append(sub, be16(0xFFFF)...)
	sub = append(sub, be16(0)...) // reservedPad
	sub = append(sub, be16(lo)...)
	sub = append(sub, be16(0xFFFF)...)
	sub = append(sub, be16(uint16(1-int(lo)))...) // idDelta: glyph 1 onwards
	sub = append(sub, be16(1)...)
	sub = append(sub, be16(0)...)
	sub = append(sub, be16(0)...)
	cmap := append([]byte{0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12}, sub...)
	tags := []string{"cmap", "glyf", "head", "hhea", "hmtx", "loca"}
	bodies := map[string][]byte{"cmap": cmap}
	head := []byte{0, 1, 0, 0, 0, byte(len(tags)), 0, 0, 0, 0, 0, 0}
	off := len(head) + 16*len(tags)
	var data []byte
	for _, tag := range tags {
		body := bodies[tag]
		if body == nil {
			body = []byte{0, 0, 0, 0}
		}
		head = append(head, tag...)
		head = append(head, 0, 0, 0, 0)
		head = append(head, byte(off>>24), byte(off>>16), byte(off>>8), byte(off))
		head = append(head, byte(len(body)>>24), byte(len(body)>>16), byte(len(body)>>8), byte(len(body)))
		data = append(data, body...)
		off += len(body)
	}
	return append(head, data...)
}

func TestCheckFontCoverage(t *testing.T) {
	err := CheckFont(fakeFont(0x4E00, 0x9FFF))
	if err == nil || !strings.Contains(err.Error(), "英文字母") {
		t.Errorf("a font without Latin letters: %v; want it refused for 英文字母", err)
	}
	err = CheckFont(fakeFont(0x20, 0x7E))
	if err == nil || !strings.Contains(err.Error(), "中文") {
		t.Errorf("a font without Chinese: %v; want it refused for 中文", err)
	}
	err = CheckFont(fakeFont(0x20, 0xFFFE))
	if err != nil {
		t.Errorf("a font mapping the whole BMP refused: %v", err)
	}
}

// TestWritePDFFontGofpdfRefuses passes CheckFont's look at the tables but
// not gofpdf's parser: the failure must come back as an error, not a panic
// and not a PDF without text.
func TestWritePDFFontGofpdfRefuses(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, sample.Brief(t), fakeFont(0x20, 0xFFFE))
	if err == nil {
		t.Fatal("an unusable font gave no error")
	}
	if !regexp.MustCompile(`\p{Han}`).MatchString(err.Error()) {
		t.Errorf("message not in Chinese: %v", err)
	}
	t.Log(err)
}

// TestPDFLongTextStaysOnPage fills every field with long text and checks,
// through the words' boxes, that nothing is drawn beyond the margins.
func TestPDFLongTextStaysOnPage(t *testing.T) {
	sample.NeedTool(t, "pdftotext")
	b := sample.Brief(t)
	long := "淄博市某某区某某街道办事处经济发展和社会事务综合服务中心（挂某某牌子）"
	b.Meta.Title = "关于全市国民经济和社会发展计划重点目标任务执行情况的专题简报暨督查通报"
	b.Meta.Office = long + long
	for i := range b.Depts {
		b.Depts[i].Short = long
		b.Depts[i].Name = long + long
	}
	for i := range b.Chapters {
		b.Chapters[i].Label = long
	}
	for i := range b.Behind {
		b.Behind[i].Indicator = long
		b.Behind[i].Dept = long
		b.Behind[i].Account = "https://example.com/a/very/long/path/without/any/spaces/at/all/" + long
		b.Behind[i].NextSteps = strings.Repeat("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4)
	}
	for i := range b.Missing {
		b.Missing[i].Name = long + long
		b.Missing[i].Contact = long
	}
	path := writeTemp(t, renderPDF(t, b))
	out := run(t, "pdftotext", "-bbox", path, "-")
	const mm = 72 / 25.4
	re := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	words := re.FindAllStringSubmatch(out, -1)
	if len(words) == 0 {
		t.Fatal("pdftotext -bbox found no words")
	}
	for _, w := range words {
		x0 := mustGet(strconv.ParseFloat(w[1], 64))(t)
		x1 := mustGet(strconv.ParseFloat(w[3], 64))(t)
		y1 := mustGet(strconv.ParseFloat(w[4], 64))(t)
		if x0 < marginL*mm-1 || x1 > (pageW-marginR)*mm+1 || y1 > pageH*mm-5*mm {
			t.Errorf("%q drawn at x %.0f–%.0f pt, y %.0f pt: outside the text area", w[5], x0, x1, y1)
		}
	}
}

// TestOddRound draws briefs of rounds collect would never write: no panic, no error.
func TestOddRound(t *testing.T) {
	for _, b := range sample.OddBriefs(t) {
		var buf bytes.Buffer
		if err := Write(&buf, b, nil); err != nil {
			t.Errorf("Write: %v", err)
		}
	}
}
