package workbook

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"planrep/plan"
	"planrep/templates"
)

func TestCollectClean(t *testing.T) {
	p := loadPlan(t)
	dir := t.TempDir()
	writeAll(t, p, dir)
	res, err := Collect(p, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Round
	if len(r.Findings) != 0 {
		t.Errorf("findings on clean returns:\n%s", dumpFindings(r))
	}
	if r.Period.String() != "2025Q3" {
		t.Errorf("period %q", r.Period)
	}
	for _, tr := range r.Targets {
		if tr.Status == plan.Invalid || tr.Status == plan.Missing {
			t.Errorf("target %s: %s %s", tr.ID, tr.Status, tr.Explanation)
		}
	}
	for _, d := range r.Departments {
		if !d.Submitted {
			t.Errorf("dept %s not submitted", d.Code)
		}
	}
	out := filepath.Join(t.TempDir(), "out")
	if err := res.WriteOutputs(out); err != nil {
		t.Fatal(err)
	}
}

// gbkZip packs files under GBK-encoded names without the UTF-8 flag, as
// Windows' built-in zip does on a Chinese system.
func gbkZip(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	enc := simplifiedchinese.GBK.NewEncoder()
	for _, n := range names {
		gbk, err := enc.String(n)
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: gbk, Method: zip.Deflate, NonUTF8: true})
		if err != nil {
			t.Fatal(err)
		}
		mustN(w.Write(files[n]))
	}
	must(zw.Close())
	return buf.Bytes()
}

func TestGBKZip(t *testing.T) {
	p := loadPlan(t)
	files := map[string][]byte{}
	var nested map[string][]byte
	for i, d := range p.LeadDepts() {
		name := "各部门报表/" + templates.FileName(testPeriod, d)
		if i == 0 {
			nested = map[string][]byte{templates.FileName(testPeriod, d): goodReturn(t, p, d.Code)}
			continue
		}
		files[name] = goodReturn(t, p, d.Code)
	}
	files["补报.zip"] = gbkZip(t, nested)
	data := gbkZip(t, files)
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	for _, f := range zr.File {
		if f.Flags&0x800 != 0 || utf8.ValidString(f.Name) {
			t.Fatalf("member %q is not a GBK name without the UTF-8 flag", f.Name)
		}
	}
	dir := t.TempDir()
	zipPath := writeFile(t, filepath.Join(dir, "收件.zip"), data)
	res, err := Collect(p, []string{zipPath}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Round
	if len(r.Findings) != 0 {
		t.Errorf("findings:\n%s", dumpFindings(r))
	}
	d0 := p.LeadDepts()[0]
	want := filepath.ToSlash(zipPath) + "!补报.zip!" + templates.FileName(testPeriod, d0)
	if r.Departments[0].File != want {
		t.Errorf("nested member path %q; want %q", r.Departments[0].File, want)
	}
	for _, f := range r.Files {
		if !strings.Contains(f.Path, "市") || f.Verdict != plan.Accepted || len(f.SHA256) != 64 {
			t.Errorf("file %+v", f)
		}
	}
}

// messyInputs writes a folder of returns with duplicates, wrong files and
// errors, and returns the inputs as a list of paths.
func messyInputs(t *testing.T, p *plan.Plan) []string {
	dir := t.TempDir()
	pk := pick(t, p)
	var inputs []string
	same := time.Date(2025, 10, 9, 8, 0, 0, 0, time.UTC)
	for i, d := range p.LeadDepts() {
		if i == 1 {
			continue // a department that sends nothing
		}
		f := writeFile(t, filepath.Join(dir, templates.FileName(testPeriod, d)), goodReturn(t, p, d.Code))
		must(os.Chtimes(f, same, same))
		inputs = append(inputs, f)
	}
	sh, c := cellOf(p, pk.cum.ID, templates.ColActual)
	// Two more returns of one department: same date, so mod time and then name decide.
	a := writeFile(t, filepath.Join(dir, "重报", "a.xlsx"), makeReturn(t, p, pk.cum.Lead, set(sh, c, "约5")))
	b := writeFile(t, filepath.Join(dir, "重报", "b.xlsx"), makeReturn(t, p, pk.cum.Lead, set(sh, c, 1.0)))
	ms, mc := cellOf(p, pk.mile.ID, templates.ColStatus)
	later := func(sheet, ref string, v any) func(f *excelize.File) {
		return func(f *excelize.File) {
			set(sheet, ref, v)(f)
			must(f.SetCellStr(templates.SheetQuant, templates.CellDate, "2025-10-09"))
		}
	}
	must(os.Chtimes(a, same, same))
	must(os.Chtimes(b, same, same))
	inputs = append(inputs, a, b,
		writeFile(t, filepath.Join(dir, "~$锁定.xlsx"), []byte{0}),
		writeFile(t, filepath.Join(dir, "旧.xls"), readTestdata(t, "old.xls")),
		writeFile(t, filepath.Join(dir, "打包.zip"), gbkZip(t, map[string][]byte{"里面.xlsx": makeReturn(t, p, pk.mile.Lead, later(ms, mc, "差不多"))})),
	)
	return inputs
}

func TestOrderIndependence(t *testing.T) {
	p := loadPlan(t)
	inputs := messyInputs(t, p)
	var first []byte
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 4; i++ {
		in := append([]string(nil), inputs...)
		rng.Shuffle(len(in), func(a, b int) { in[a], in[b] = in[b], in[a] })
		res, err := Collect(p, in, Options{Workers: 1 + i%3})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := MarshalRound(res.Round)
		if first == nil {
			first = got
			if len(res.Round.Findings) < 5 {
				t.Fatalf("too few findings to prove anything:\n%s", dumpFindings(res.Round))
			}
			continue
		}
		if !bytes.Equal(first, got) {
			t.Fatalf("round.json differs with input order %v", in)
		}
	}
	// The superseded return is the one with the smaller name (b wins over a).
	var r plan.Round
	must(json.Unmarshal(first, &r))
	for _, f := range r.Files {
		if strings.HasSuffix(f.Path, "重报/a.xlsx") && f.Verdict != plan.Superseded {
			t.Errorf("a.xlsx verdict %s; want superseded", f.Verdict)
		}
		if strings.HasSuffix(f.Path, "重报/b.xlsx") && f.Verdict != plan.Accepted {
			t.Errorf("b.xlsx verdict %s; want accepted", f.Verdict)
		}
	}
}

func hashTree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	must(filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			out[p] = "dir"
			return nil
		}
		b := mustGet(os.ReadFile(p))
		fi := mustGet(d.Info())
		sum := sha256.Sum256(b)
		out[p] = hex.EncodeToString(sum[:]) + fi.ModTime().String()
		return nil
	}))
	return out
}

func TestInputsUntouchedNothingOutside(t *testing.T) {
	p := loadPlan(t)
	inputs := messyInputs(t, p)
	root := filepath.Dir(inputs[0])
	// An archive member whose name tries to climb out of the output folder.
	pk := pick(t, p)
	sh, c := cellOf(p, pk.growth.ID, templates.ColActual)
	evil := zipOf(t, map[string][]byte{"../../../逃逸.xlsx": makeReturn(t, p, pk.growth.Lead, func(f *excelize.File) {
		must(f.SetCellStr(sh, c, "待统计"))
		must(f.SetCellStr(templates.SheetQuant, templates.CellDate, "2025-10-10"))
	})}, zip.Deflate)
	inputs = append(inputs, writeFile(t, filepath.Join(root, "恶意.zip"), evil))

	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	before := hashTree(t, root)
	res, err := Collect(p, inputs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.WriteOutputs(out); err != nil {
		t.Fatal(err)
	}
	if err := res.WriteOutputs(out); err != nil { // a second run over the same folder
		t.Fatal(err)
	}
	if after := hashTree(t, root); !reflect.DeepEqual(before, after) {
		t.Errorf("inputs changed")
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 || entries[0].Name() != "out" {
		t.Errorf("written beside the output folder: %v", entries)
	}
	var names []string
	must(filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := mustGet(filepath.Rel(out, p))
		names = append(names, filepath.ToSlash(rel))
		return nil
	}))
	sort.Strings(names)
	want := []string{".", "round.json", "反馈", "校验结果.xlsx", "汇总表.xlsx"}
	var fb int
	for _, n := range names {
		if strings.HasPrefix(n, "反馈/") {
			fb++
			if strings.Count(n, "/") != 1 || !strings.HasSuffix(n, "_反馈.xlsx") {
				t.Errorf("feedback file %q", n)
			}
			continue
		}
		if !slices.Contains(want, n) {
			t.Errorf("unexpected output %q", n)
		}
	}
	if !slices.Contains(names, "反馈/逃逸_反馈.xlsx") {
		t.Errorf("no feedback for the climbing member: %v", names)
	}
	if fb != len(res.Feedback) || fb < 2 {
		t.Errorf("%d feedback files for %d feedback entries", fb, len(res.Feedback))
	}
}

func TestPeriodFromReturns(t *testing.T) {
	p := loadPlan(t)
	depts := p.LeadDepts()
	dir := t.TempDir()
	for _, d := range depts[:2] {
		writeFile(t, filepath.Join(dir, d.Code+".xlsx"), goodReturn(t, p, d.Code))
	}
	// A third department sends last half-year's template.
	d := depts[2]
	opt := tmplOptions()
	opt.Period = plan.MustPeriod("2025H1")
	f, err := templates.Build(p, d, opt)
	if err != nil {
		t.Fatal(err)
	}
	must(f.SaveAs(filepath.Join(dir, d.Code+".xlsx")))
	f.Close() // saved already: this only frees excelize's temporary files
	var calls []int
	res, err := Collect(p, []string{dir}, Options{Progress: func(done, total int) {
		if total != 3 {
			t.Errorf("total %d", total)
		}
		calls = append(calls, done)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Round.Period.String() != "2025Q3" {
		t.Errorf("period %s; want the one most returns carry", res.Round.Period)
	}
	if fs := findingsWith(res.Round, plan.FileOtherPeriod); len(fs) != 1 || fs[0].Dept != d.Code || fs[0].Severity != plan.Error {
		t.Errorf("F12: %+v", fs)
	}
	if !reflect.DeepEqual(calls, []int{1, 2, 3}) {
		t.Errorf("progress calls %v", calls)
	}

	// Nothing identifiable and no period asked for: the run cannot go on.
	empty := t.TempDir()
	writeFile(t, filepath.Join(empty, "旧.xls"), readTestdata(t, "old.xls"))
	if _, err := Collect(p, []string{empty}, Options{}); !errors.Is(err, ErrNoPeriod) {
		t.Errorf("err %v; want ErrNoPeriod", err)
	}
	per := plan.MustPeriod("2025Q3")
	res, err = Collect(p, []string{empty}, Options{Period: &per})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(findingsWith(res.Round, plan.MissingDept)); got != len(depts) {
		t.Errorf("%d M01 findings; want %d", got, len(depts))
	}
}

// A Collector gives what Collect gives, however many times it is used.
func TestCollectorMatchesCollect(t *testing.T) {
	p := loadPlan(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.xlsx"), makeReturn(t, p, "SWJ", nil))
	writeFile(t, filepath.Join(dir, "b.xlsx"), []byte("not a workbook"))
	want, err := Collect(p, []string{dir}, Options{Period: &testPeriod})
	if err != nil {
		t.Fatal(err)
	}
	wb, _ := MarshalRound(want.Round)
	c := NewCollector(p)
	for i := 0; i < 2; i++ {
		got, err := c.Collect([]string{dir}, Options{Period: &testPeriod})
		if err != nil {
			t.Fatal(err)
		}
		if gb, _ := MarshalRound(got.Round); !bytes.Equal(gb, wb) {
			t.Fatalf("run %d of the Collector differs from Collect", i+1)
		}
	}
}
