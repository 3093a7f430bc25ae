package workbook

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/templates"
)

// TestFeedbackPatched checks a feedback copy made by patching the return's
// zip: unchanged entries are the original's compressed bytes, every cell of
// every sheet of the original is in the copy unchanged, the copy reads back
// as a return with the same findings, and excelize, openpyxl and LibreOffice
// open it.
func TestFeedbackPatched(t *testing.T) {
	p := loadPlan(t)
	pk := pick(t, p)
	sh, actual := cellOf(p, pk.cum.ID, templates.ColActual)
	_, target := cellOf(p, pk.cum.ID, templates.ColTarget)
	msh, status := cellOf(p, pk.mile.ID, templates.ColStatus)
	if pk.mile.Lead != pk.cum.Lead {
		msh = ""
	}
	orig := makeReturn(t, p, pk.cum.Lead, func(f *excelize.File) {
		must(f.SetCellStr(sh, actual, "约5"))
		must(f.SetCellFloat(sh, target, 1, -1, 64))
		if msh != "" {
			must(f.SetCellStr(msh, status, "推进中"))
		}
	})
	s := newScene(t, p)
	s.skip[pk.cum.Lead] = true
	s.files["退回.xlsx"] = orig
	res := s.run()
	if len(res.Feedback) != 1 {
		t.Fatalf("%d feedback entries", len(res.Feedback))
	}
	copyData, ok := patchFeedback(orig, res.Feedback[0], nil)
	if !ok {
		t.Fatal("the patch gave up on a plain return")
	}
	out := t.TempDir()
	if err := res.WriteOutputs(out); err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(filepath.Join(out, FeedbackDir, "退回_反馈.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(written, copyData) {
		t.Fatal("WriteOutputs did not write the patched copy")
	}

	// Unchanged entries: the same compressed bytes.
	raw := func(data []byte) map[string][]byte {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string][]byte{}
		for _, f := range zr.File {
			r, err := f.OpenRaw()
			if err != nil {
				t.Fatal(err)
			}
			m[f.Name], _ = io.ReadAll(r)
		}
		return m
	}
	a, b := raw(orig), raw(copyData)
	for _, name := range []string{"xl/sharedStrings.xml", "xl/theme/theme1.xml", "docProps/custom.xml"} {
		if a[name] == nil || !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s was not copied as it was", name)
		}
	}
	if bytes.Equal(a["xl/styles.xml"], b["xl/styles.xml"]) {
		t.Error("styles unchanged: no tint added")
	}

	// Every cell of the original, in the copy.
	fo, err := excelize.OpenReader(bytes.NewReader(orig))
	if err != nil {
		t.Fatal(err)
	}
	defer fo.Close()
	fc, err := excelize.OpenReader(bytes.NewReader(copyData))
	if err != nil {
		t.Fatalf("excelize cannot open the copy: %v", err)
	}
	defer fc.Close()
	if got := fc.GetSheetList(); got[0] != IssuesSheet || strings.Join(got[1:], ",") != strings.Join(fo.GetSheetList(), ",") {
		t.Fatalf("sheets %v", got)
	}
	cells := 0
	for _, name := range fo.GetSheetList() {
		ro, _ := fo.GetRows(name, excelize.Options{RawCellValue: true})
		rc, _ := fc.GetRows(name, excelize.Options{RawCellValue: true})
		if len(ro) != len(rc) {
			t.Errorf("%s: %d rows, copy %d", name, len(ro), len(rc))
			continue
		}
		for i := range ro {
			if strings.Join(ro[i], "\x00") != strings.Join(rc[i], "\x00") {
				t.Errorf("%s row %d differs:\n%q\n%q", name, i+1, ro[i], rc[i])
			}
			cells += len(ro[i])
		}
	}
	if cells < 100 {
		t.Fatalf("only %d cells compared", cells)
	}
	for _, c := range []string{actual, target} {
		id, _ := fc.GetCellStyle(sh, c)
		st, _ := fc.GetStyle(id)
		if st == nil || len(st.Fill.Color) == 0 || !strings.HasSuffix(st.Fill.Color[0], "FFC7CE") {
			t.Errorf("%s not tinted", c)
		}
		// The tint keeps the cell's other formatting: its lock and its number format.
		oid, _ := fo.GetCellStyle(sh, c)
		ost, _ := fo.GetStyle(oid)
		if st != nil && ost != nil && (st.NumFmt != ost.NumFmt || (st.Protection == nil) != (ost.Protection == nil) ||
			(st.Protection != nil && st.Protection.Locked != ost.Protection.Locked)) {
			t.Errorf("%s lost its format: %+v, was %+v", c, st, ost)
		}
	}
	comments, _ := fc.GetComments(sh)
	got := map[string]string{}
	for _, c := range comments {
		got[c.Cell] = c.Text
		for _, p := range c.Paragraph {
			got[c.Cell] += p.Text
		}
	}
	if !strings.Contains(got[actual], "不是一个数字") || !strings.Contains(got[target], "年度目标被改为") {
		t.Errorf("comments %v", got)
	}
	if idx := fc.GetActiveSheetIndex(); idx != 0 {
		t.Errorf("active sheet %d", idx)
	}

	// It reads back as a return, with the same findings.
	s2 := newScene(t, p)
	s2.skip[pk.cum.Lead] = true
	s2.files["退回_反馈.xlsx"] = copyData
	r2 := s2.run()
	if len(r2.Feedback) != 1 || len(r2.Feedback[0].Findings) != len(res.Feedback[0].Findings) {
		t.Errorf("read back: %d findings, were %d", len(r2.Feedback[0].Findings), len(res.Feedback[0].Findings))
	}

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "orig.xlsx"), orig)
	writeFile(t, filepath.Join(dir, "copy.xlsx"), copyData)
	// openpyxl, the reader of many scripts, opens it and sees the same cells.
	if _, err := exec.Command("/usr/bin/python3", "-c", "import openpyxl").CombinedOutput(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("/usr/bin/python3 with openpyxl is required in CI")
		}
		t.Log("openpyxl not installed: skipped that check")
	} else {
		script := `
import sys, openpyxl
o = openpyxl.load_workbook(sys.argv[1]); c = openpyxl.load_workbook(sys.argv[2])
assert c.sheetnames[0] == "问题清单" and c.sheetnames[1:] == o.sheetnames, c.sheetnames
n = 0
for ws in o.worksheets:
    for row in ws.iter_rows():
        for cell in row:
            assert c[ws.title][cell.coordinate].value == cell.value, (ws.title, cell.coordinate)
            n += 1
assert c["问题清单"]["G2"].value == "问题说明"
ro = openpyxl.load_workbook(sys.argv[2], read_only=True)["问题清单"]
assert ro.max_row == c["问题清单"].max_row, (ro.max_row, c["问题清单"].max_row)
print(n)
`
		if out, err := exec.Command("/usr/bin/python3", "-c", script, filepath.Join(dir, "orig.xlsx"), filepath.Join(dir, "copy.xlsx")).CombinedOutput(); err != nil {
			t.Errorf("openpyxl: %v\n%s", err, out)
		}
	}
	// LibreOffice opens it and reads the 问题清单.
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("soffice is required in CI")
		}
		t.Log("soffice not installed: skipped that check")
		return
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+t.TempDir(), "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1", "--outdir", dir, filepath.Join(dir, "copy.xlsx"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "copy-"+IssuesSheet+".csv"))
	if err != nil {
		matches, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
		t.Fatalf("LibreOffice wrote %v: %v", matches, err)
	}
	if !strings.Contains(string(csv), "问题说明") || !strings.Contains(string(csv), "不是一个数字") {
		t.Errorf("LibreOffice reads the 问题清单 as:\n%s", csv)
	}
}
