package simulate

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/seeds"
	"planrep/templates"
)

var period = plan.MustPeriod("2025Q3")

func defaultPlan(t testing.TB) *plan.Plan {
	t.Helper()
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// writeTemplates writes the templates of every lead department into a temporary folder.
func writeTemplates(t testing.TB, p *plan.Plan) string {
	t.Helper()
	dir := t.TempDir()
	opt := templates.Options{Period: period, Deadline: "2025-10-10", Now: time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC)}
	if _, err := templates.WriteAll(dir, p, p.LeadDepts(), opt); err != nil {
		t.Fatal(err)
	}
	return dir
}

func open(t testing.TB, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func cellValue(t testing.TB, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRunFillsInputsAndHeader(t *testing.T) {
	p := defaultPlan(t)
	tmpl := writeTemplates(t, p)
	out := t.TempDir()
	m, err := Run(p, tmpl, out, Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(m.Returns), len(p.LeadDepts()); got != want {
		t.Fatalf("%d returns; want %d (one per lead department)", got, want)
	}
	if len(m.Faults()) != 0 {
		t.Errorf("faults without --faults: %+v", m.Faults())
	}
	if m.Period.String() != "2025Q3" {
		t.Errorf("period %q; want 2025Q3 (from the templates' stamps)", m.Period)
	}
	if len(m.Skipped) != 1 || !strings.HasPrefix(m.Skipped[0], templates.RosterFile) {
		t.Errorf("skipped %q; want only the distribution list", m.Skipped)
	}
	phoneRe := regexp.MustCompile(`^(0533-\d{7}|1\d{10})$`)
	lagging, ahead := 0, 0
	for _, r := range m.Returns {
		f := open(t, filepath.Join(out, filepath.FromSlash(r.File)))
		st, err := templates.ReadStamp(f)
		if err != nil || st.Dept != r.Dept {
			t.Fatalf("%s: stamp %v, %v; want department %s", r.File, st.Dept, err, r.Dept)
		}
		q := templates.SheetQuant
		if got := cellValue(t, f, q, templates.CellFiller); got != r.Filler || len([]rune(got)) < 2 {
			t.Errorf("%s 填报人 %q; want %q", r.File, got, r.Filler)
		}
		if got := cellValue(t, f, q, templates.CellPhone); !phoneRe.MatchString(got) {
			t.Errorf("%s 联系电话 %q", r.File, got)
		}
		serial, _ := strconv.ParseFloat(cellValue(t, f, q, templates.CellDate), 64)
		day := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(serial))
		if got := day.Format("2006-01-02"); got != r.Filled || got > "2025-10-10" || got < "2025-10-01" {
			t.Errorf("%s 填报日期 %s (%v); want %s, a few days before the deadline", r.File, got, serial, r.Filled)
		}
		rows := 0
		for i, id := range st.QuantRows {
			row := templates.FirstDataRow + i
			tg, _ := p.Target(id)
			cell := ref(templates.QuantColumns, templates.ColActual, row)
			v, err := strconv.ParseFloat(cellValue(t, f, q, cell), 64)
			if err != nil {
				t.Errorf("%s!%s (%s) is not a number: %v", q, cell, id, err)
				continue
			}
			if typ, _ := f.GetCellType(q, cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("%s!%s stored as %v; want a number", q, cell, typ)
			}
			if note := cellValue(t, f, q, ref(templates.QuantColumns, templates.ColNote, row)); note == "" {
				t.Errorf("%s!%s: 进展情况 empty", q, cell)
			}
			ev := plan.Evaluate(tg, period, plan.Report{Value: &v}, p.Thresholds)
			probs := cellValue(t, f, q, ref(templates.QuantColumns, templates.ColProblems, row))
			if ev.Status.Lagging() {
				lagging++
				if probs == "" {
					t.Errorf("%s row %d (%s) behind (%s) with 存在问题 empty", r.File, row, id, ev.Explanation)
				}
			} else if ev.Progress != nil && *ev.Progress > ev.Expected {
				ahead++
			}
			// The self-check formula carries the result Excel would save:
			// empty on a clean row.
			chk := ref(templates.QuantColumns, templates.ColCheck, row)
			if fo, _ := f.GetCellFormula(q, chk); fo == "" {
				t.Errorf("%s!%s lost its formula", q, chk)
			}
			if got := cellValue(t, f, q, chk); got != "" {
				t.Errorf("%s!%s self-check says %q on a clean row (%s, %v)", q, chk, got, id, v)
			}
			rows++
		}
		ms := templates.SheetMilestone
		for i := range st.MilestoneRows {
			row := templates.FirstDataRow + i
			status := cellValue(t, f, ms, ref(templates.MilestoneColumns, templates.ColStatus, row))
			if !contains(plan.MilestoneChoices, status) {
				t.Errorf("%s!%s status %q not in the list", ms, ref(templates.MilestoneColumns, templates.ColStatus, row), status)
			}
			chk := ref(templates.MilestoneColumns, templates.ColCheck, row)
			if got := cellValue(t, f, ms, chk); got != "" {
				t.Errorf("%s!%s self-check says %q on a clean row", ms, chk, got)
			}
			rows++
		}
		if rows != r.Rows || rows != len(p.Led(r.Dept)) {
			t.Errorf("%s: %d rows filled, manifest says %d, department leads %d", r.File, rows, r.Rows, len(p.Led(r.Dept)))
		}
	}
	if lagging == 0 || ahead == 0 {
		t.Errorf("%d rows behind and %d ahead; want some of each", lagging, ahead)
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func TestRunIsDeterministic(t *testing.T) {
	p := defaultPlan(t)
	tmpl := writeTemplates(t, p)
	opt := Options{Seed: 42, Faults: 0.2, Missing: 2}
	a, b := t.TempDir(), t.TempDir()
	if _, err := Run(p, tmpl, a, opt); err != nil {
		t.Fatal(err)
	}
	opt.Workers = 1
	if _, err := Run(p, tmpl, b, opt); err != nil {
		t.Fatal(err)
	}
	ja := mustGet(os.ReadFile(filepath.Join(a, ManifestName)))
	jb := mustGet(os.ReadFile(filepath.Join(b, ManifestName)))
	if !bytes.Equal(ja, jb) {
		t.Fatalf("simulate.json differs between runs with the same seed")
	}
	m, err := ReadManifest(filepath.Join(a, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range m.Returns {
		fa := open(t, filepath.Join(a, filepath.FromSlash(r.File)))
		fb := open(t, filepath.Join(b, filepath.FromSlash(r.File)))
		for _, sh := range []string{templates.SheetQuant, templates.SheetMilestone} {
			ra, _ := fa.GetRows(sh, excelize.Options{RawCellValue: true})
			rb, _ := fb.GetRows(sh, excelize.Options{RawCellValue: true})
			if strings.Join(flat(ra), "\x00") != strings.Join(flat(rb), "\x00") {
				t.Errorf("%s!%s differs between runs with the same seed", r.File, sh)
			}
		}
	}
	c := t.TempDir()
	opt.Seed = 43
	if _, err := Run(p, tmpl, c, opt); err != nil {
		t.Fatal(err)
	}
	jc := mustGet(os.ReadFile(filepath.Join(c, ManifestName)))
	if bytes.Equal(ja, jc) {
		t.Errorf("another seed made the same simulation")
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r, "\x01"))
	}
	return out
}

func TestFaultsAreRecordedAtRealCells(t *testing.T) {
	p := defaultPlan(t)
	tmpl := writeTemplates(t, p)
	out := t.TempDir()
	m, err := Run(p, tmpl, out, Options{Seed: 3, Faults: 0.3, Missing: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Missing) != 1 || m.Missing[0].Code != plan.MissingDept {
		t.Errorf("missing %+v; want one department with %s", m.Missing, plan.MissingDept)
	}
	if got, want := len(m.Returns), len(p.LeadDepts())-1; got != want {
		t.Errorf("%d returns; want %d", got, want)
	}
	kinds := map[string]int{}
	for _, fl := range m.Faults() {
		kinds[fl.Fault]++
		def, ok := plan.Def(fl.Code)
		if !ok || def.Severity != fl.Severity {
			t.Errorf("%+v: code not in the catalogue or severity differs", fl)
		}
		f := open(t, filepath.Join(out, filepath.FromSlash(fl.File)))
		st, _ := templates.ReadStamp(f)
		if fl.Dept != st.Dept {
			t.Errorf("%+v: file belongs to %s", fl, st.Dept)
		}
		got := cellValue(t, f, fl.Sheet, fl.Cell)
		switch fl.Fault {
		case faultFormula:
			fo, _ := f.GetCellFormula(fl.Sheet, fl.Cell)
			if "="+fo != fl.Entered || got == "" {
				t.Errorf("%+v: cell holds formula %q with result %q", fl, fo, got)
			}
		case faultRowDeleted:
			// The row is gone: the cell now holds the next row or nothing.
		case faultReordered:
			if got != fl.Target || fl.Entered != fl.Target {
				t.Errorf("%+v: cell holds %q; want the moved target's id", fl, got)
			}
		default:
			if got != fl.Entered && !(fl.Fault == faultNegative || fl.Fault == faultImplausible || fl.Fault == faultPercent || fl.Fault == faultAltered) {
				t.Errorf("%+v: cell holds %q", fl, got)
			}
		}
	}
	if len(kinds) < 8 {
		t.Errorf("only %d kinds of fault at rate 0.3: %v", len(kinds), kinds)
	}
}

// TestFillInMemory fills a template built in memory — the period taken from
// its stamp — and saves it the way Excel would.
func TestFillInMemory(t *testing.T) {
	p := defaultPlan(t)
	d := p.LeadDepts()[0]
	f, err := templates.Build(p, d, templates.Options{Period: period, Now: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	ret, err := Fill(f, p, Options{Seed: 1}, "x.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if ret.Dept != d.Code || ret.Rows != len(p.Led(d.Code)) {
		t.Errorf("filled %+v; want %d rows of %s", ret, len(p.Led(d.Code)), d.Code)
	}
	var buf bytes.Buffer
	if err := Save(f, &buf); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if got := cellValue(t, g, templates.SheetQuant, templates.CellFiller); got != ret.Filler {
		t.Errorf("填报人 %q; want %q", got, ret.Filler)
	}
	if _, err := Fill(excelize.NewFile(), p, Options{}, "y.xlsx"); err == nil {
		t.Error("a workbook without a stamp was filled")
	}
}
