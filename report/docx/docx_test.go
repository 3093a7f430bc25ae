package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"planrep/plan"
	"planrep/report"
	"planrep/report/internal/sample"
)

var docxOut = flag.String("docx-out", "", "also write the test's 通报.docx to this file, to look at")

func build(t testing.TB, b *report.Brief) []byte {
	t.Helper()
	data, err := Build(b)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readParts opens the package and reads every part (CRC checked).
func readParts(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if _, dup := parts[f.Name]; dup {
			t.Errorf("part %s twice", f.Name)
		}
		parts[f.Name] = b
	}
	return parts
}

// attrs collects the values of attribute local name attr on elements of
// local name elem, over a part's XML; it fails on XML that is not well formed.
func attrs(t *testing.T, name string, data []byte, elem, attr string) []string {
	t.Helper()
	var out []string
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok && (elem == "" || se.Name.Local == elem) {
			for _, a := range se.Attr {
				if a.Name.Local == attr {
					out = append(out, a.Value)
				}
			}
		}
	}
}

// TestPackageParts validates the package against what Word requires:
// every part well-formed and typed, every relationship's target present,
// every reference to a relationship or a style defined.
func TestPackageParts(t *testing.T) {
	for name, b := range map[string]*report.Brief{"sample": sample.Brief(t), "odd": sample.OddBriefs(t)[0], "empty": sample.OddBriefs(t)[1]} {
		t.Run(name, func(t *testing.T) {
			parts := readParts(t, build(t, b))
			for _, need := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"} {
				if parts[need] == nil {
					t.Fatalf("no %s", need)
				}
			}
			// Content types: each part has one, each override names a part.
			defaults := map[string]bool{}
			for _, e := range attrs(t, "[Content_Types].xml", parts["[Content_Types].xml"], "Default", "Extension") {
				defaults[e] = true
			}
			overrides := map[string]bool{}
			for _, p := range attrs(t, "[Content_Types].xml", parts["[Content_Types].xml"], "Override", "PartName") {
				overrides[p] = true
				if parts[strings.TrimPrefix(p, "/")] == nil {
					t.Errorf("content type for a missing part %s", p)
				}
			}
			for p, data := range parts {
				if !overrides["/"+p] && !defaults[strings.TrimPrefix(path.Ext(p), ".")] {
					t.Errorf("part %s has no content type", p)
				}
				if strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".rels") {
					attrs(t, p, data, "", "") // well-formed
				}
			}
			if !overrides["/word/document.xml"] {
				t.Error("word/document.xml is not typed as the main document")
			}
			// Relationships: every target exists; every r:id used is declared.
			rels := map[string]map[string]bool{}
			for p, data := range parts {
				if !strings.HasSuffix(p, ".rels") {
					continue
				}
				dir := path.Dir(path.Dir(p)) // _rels/.rels → ., word/_rels/x.rels → word
				ids := map[string]bool{}
				targets := attrs(t, p, data, "Relationship", "Target")
				for i, id := range attrs(t, p, data, "Relationship", "Id") {
					if ids[id] {
						t.Errorf("%s: relationship %s twice", p, id)
					}
					ids[id] = true
					target := path.Clean(path.Join(dir, targets[i]))
					if parts[target] == nil {
						t.Errorf("%s: %s points at a missing part %s", p, id, target)
					}
				}
				owner := path.Join(dir, strings.TrimSuffix(path.Base(p), ".rels"))
				rels[owner] = ids
			}
			for _, p := range []string{"word/document.xml", "word/footer1.xml", "word/footer2.xml"} {
				for _, attr := range []string{"id", "embed"} {
					for _, id := range attrs(t, p, parts[p], "", attr) {
						if strings.HasPrefix(id, "rId") && !rels[p][id] {
							t.Errorf("%s uses relationship %s, which %s's rels lack", p, id, p)
						}
					}
				}
			}
			// Styles: unique ids; every one used is defined; the built-in ones are real.
			styles := map[string]bool{}
			for _, id := range attrs(t, "styles", parts["word/styles.xml"], "style", "styleId") {
				if styles[id] {
					t.Errorf("style %s defined twice", id)
				}
				styles[id] = true
			}
			for _, p := range []string{"word/document.xml", "word/footer1.xml", "word/footer2.xml"} {
				for _, el := range []string{"pStyle", "tblStyle"} {
					for _, id := range attrs(t, p, parts[p], el, "val") {
						if !styles[id] {
							t.Errorf("%s uses style %s, which styles.xml lacks", p, id)
						}
					}
				}
			}
			for _, id := range []string{"Normal", "Title", "Heading1", "Heading2"} {
				if !styles[id] {
					t.Errorf("built-in style %s missing", id)
				}
			}
			// Page numbers: a PAGE field in each footer.
			for _, p := range []string{"word/footer1.xml", "word/footer2.xml"} {
				if !bytes.Contains(parts[p], []byte(" PAGE ")) || !bytes.Contains(parts[p], []byte("— ")) {
					t.Errorf("%s lacks the — PAGE — number", p)
				}
			}
			// Pictures: one PNG per chart, typed and related.
			doc := string(parts["word/document.xml"])
			if i := strings.Index(doc, "<w:sectPr>"); i < 0 || !strings.HasSuffix(doc[:i], "</w:p>") {
				t.Error("the body's last element before its section properties is not a paragraph")
			}
			if name == "sample" {
				if n := strings.Count(doc, "<a:blip "); n != 2 {
					t.Errorf("%d pictures; want 2 charts", n)
				}
				if n := strings.Count(doc, "<w:tblHeader/>"); n < 4 {
					t.Errorf("%d tables with a repeating header; want at least 4", n)
				}
			}
			for p, data := range parts {
				if strings.HasSuffix(p, ".png") && !bytes.HasPrefix(data, []byte("\x89PNG")) {
					t.Errorf("%s is not a PNG", p)
				}
			}
		})
	}
}

// docText converts a .docx with LibreOffice and returns its text, whitespace
// and word joiners removed, page numbers (— 2 —) left out, and per page.
func docText(t *testing.T, data []byte) (string, []string) {
	t.Helper()
	sample.NeedTool(t, "pdftotext")
	dir := t.TempDir()
	in := filepath.Join(dir, "通报.docx")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	pdf := sample.Convert(t, in, "pdf")
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(string(out), "\f")
	for i := range pages {
		pages[i] = squeeze(pages[i])
	}
	return folio.ReplaceAllString(squeeze(string(out)), ""), pages
}

var folio = regexp.MustCompile(`—\d+—`)

func squeeze(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u2060", "")), "")
}

// TestReadBack converts the 通报 with LibreOffice to PDF and finds every
// sentence of the brief in it with pdftotext.
func TestReadBack(t *testing.T) {
	t.Parallel()
	p := sample.DefaultPlan(t)
	b := report.Compute(p, sample.Round(p, sample.Period), sample.Options())
	data := build(t, b)
	if *docxOut != "" {
		if err := os.WriteFile(*docxOut, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	text, pages := docText(t, data)
	m := b.Meta
	want := []string{m.Title, m.IssueText, m.Office, m.DateText, m.Printed,
		"报送：" + strings.Join(m.SendTo, "，"), "抄送：" + strings.Join(m.CopyTo, "，")}
	for _, s := range b.Body {
		want = append(want, s.Heading)
		want = append(want, s.Paragraphs...)
	}
	for i, a := range b.Attachments {
		want = append(want, "附件"+itoa(i+1)+a.Title)
	}
	for _, f := range b.Headline.Boxes {
		label := f.Label
		if f.Unit != "" {
			label += "（" + f.Unit + "）"
		}
		want = append(want, f.Value+label)
	}
	for _, row := range b.Behind {
		want = append(want, row.Indicator+row.Dept)
	}
	for _, d := range b.Depts {
		want = append(want, d.Short+"："+d.Standing)
	}
	for _, w := range want {
		// A character above U+FFFF reaches the PDF as whatever the
		// substitute font draws: look for the text on either side of it.
		for _, piece := range astral.Split(w, -1) {
			if !strings.Contains(text, squeeze(piece)) {
				t.Errorf("the 通报 lacks %q (in %q)", piece, w)
			}
		}
	}
	if n := strings.Count(text, m.Fingerprint); n != 1 {
		t.Errorf("the fingerprint appears %d times; want once", n)
	}
	body := len(pages)
	for i, pg := range pages {
		if strings.HasPrefix(pg, "附件1") {
			body = i
			break
		}
	}
	if body == len(pages) {
		t.Error("附件1 does not start a page")
	}
	if body > 6 {
		t.Errorf("the body runs to %d pages; want at most 6", body)
	}
	for i, pg := range pages[:len(pages)-1] {
		if !strings.Contains(pg, "—"+itoa(i+1)+"—") {
			t.Errorf("page %d lacks its number — %d —", i+1, i+1)
		}
	}
}

var astral = regexp.MustCompile(`[\x{10000}-\x{10FFFF}]`)

func itoa(i int) string { return strconv.Itoa(i) }

func TestDeterministic(t *testing.T) {
	if !bytes.Equal(build(t, sample.Brief(t)), build(t, sample.Brief(t))) {
		t.Error("same brief, different .docx bytes")
	}
}

func TestOddRound(t *testing.T) {
	for _, b := range sample.OddBriefs(t) {
		var buf bytes.Buffer
		if err := Write(&buf, b); err != nil {
			t.Errorf("Write: %v", err)
		}
	}
	if err := Write(io.Discard, &report.Brief{}); err != nil {
		t.Error(err)
	}
	_ = plan.Done
}

// BenchmarkDocx builds the Word 通报 of the default plan (charts included).
func BenchmarkDocx(b *testing.B) {
	p := sample.DefaultPlan(b)
	r := sample.Round(p, sample.Period)
	var size int
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		data, err := Build(report.Compute(p, r, sample.Options()))
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size), "docx-bytes")
}
