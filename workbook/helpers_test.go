package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/internal/testmust"
	"planrep/plan"
	"planrep/seeds"
	"planrep/templates"
)

var testPeriod = plan.MustPeriod("2025Q3")

func loadPlan(t testing.TB) *plan.Plan {
	t.Helper()
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func tmplOptions() templates.Options {
	return templates.Options{Period: testPeriod, Deadline: "2025-10-10", Contact: "市发展改革委 计划科", Now: time.Date(2025, 9, 20, 9, 0, 0, 0, time.UTC)}
}

// cellOf is the A1 address of a target's column key on its row in a
// freshly generated template.
func cellOf(p *plan.Plan, id, key string) (sheet, ref string) {
	t, _ := p.Target(id)
	cols, sheet := templates.QuantColumns, templates.SheetQuant
	if !t.Kind.Quantitative() {
		cols, sheet = templates.MilestoneColumns, templates.SheetMilestone
	}
	row := templates.FirstDataRow
	for _, o := range p.Led(t.Lead) {
		if o.ID == id {
			break
		}
		if o.Kind.Quantitative() == t.Kind.Quantitative() {
			row++
		}
	}
	return sheet, fmt.Sprintf("%s%d", templates.Col(cols, key), row)
}

// goodValue is a plausible on-schedule value for a quantitative target.
func goodValue(t plan.Target, per plan.Period) float64 {
	v := *t.Value
	switch t.Kind {
	case plan.Cumulative, plan.Level, plan.Reduction:
		if t.Kind == plan.Level && t.Baseline != nil {
			return t.Baseline.Value + (v-t.Baseline.Value)*t.Expected(per)
		}
		return v * t.Expected(per)
	case plan.Ceiling:
		return v * 0.98
	}
	return v + 0.2
}

// fillGood fills a template the way a careful department would.
func fillGood(t testing.TB, f *excelize.File, p *plan.Plan, dept string) {
	t.Helper()
	must(f.SetCellStr(templates.SheetQuant, templates.CellFiller, "张三"))
	must(f.SetCellStr(templates.SheetQuant, templates.CellPhone, "0533-1234567"))
	must(f.SetCellValue(templates.SheetQuant, templates.CellDate, time.Date(2025, 10, 8, 0, 0, 0, 0, time.UTC)))
	for _, tg := range p.Led(dept) {
		if tg.Kind.Quantitative() {
			sh, c := cellOf(p, tg.ID, templates.ColActual)
			must(f.SetCellFloat(sh, c, goodValue(tg, testPeriod), -1, 64))
		} else {
			sh, c := cellOf(p, tg.ID, templates.ColStatus)
			must(f.SetCellStr(sh, c, plan.MilestoneOnPlan))
		}
		sh, c := cellOf(p, tg.ID, templates.ColNote)
		must(f.SetCellStr(sh, c, "按计划推进，进展顺利。"))
		sh, c = cellOf(p, tg.ID, templates.ColNext)
		must(f.SetCellStr(sh, c, "继续抓好落实。"))
	}
}

// makeReturn builds department dept's template, fills it well, lets edit
// change it, and returns the bytes.
func makeReturn(t testing.TB, p *plan.Plan, dept string, edit func(f *excelize.File)) []byte {
	t.Helper()
	d, ok := p.Dept(dept)
	if !ok {
		t.Fatalf("no department %s", dept)
	}
	f, err := templates.Build(p, d, tmplOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fillGood(t, f, p, dept)
	if edit != nil {
		edit(f)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t testing.TB, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeAll writes a good return of every lead department into dir.
func writeAll(t testing.TB, p *plan.Plan, dir string) {
	t.Helper()
	for _, d := range p.LeadDepts() {
		writeFile(t, filepath.Join(dir, templates.FileName(testPeriod, d)), makeReturn(t, p, d.Code, nil))
	}
}

func findingsWith(r *plan.Round, code string) []plan.Finding {
	var out []plan.Finding
	for _, f := range r.Findings {
		if f.Code == code {
			out = append(out, f)
		}
	}
	return out
}

func dumpFindings(r *plan.Round) string {
	var b bytes.Buffer
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%s %s %s %s!%s %s: %s\n", f.Code, f.Severity, f.Dept, f.Sheet, f.Cell, f.Target, f.Message)
	}
	return b.String()
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

func itoa(n int) string { return fmt.Sprint(n) }

func unzipEntry(t testing.TB, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc := mustGet(f.Open())
			defer rc.Close()
			b := mustGet(io.ReadAll(rc))
			return b
		}
	}
	return nil
}

// must stops a test whose own set-up failed (in any goroutine: the test
// binary fails); a set-up error is never ignored.
var (
	must  = testmust.Do
	mustN = testmust.N
)

func mustGet[T any](v T, err error) T { return testmust.Get(v, err) }
