// Package simulate fills department templates the way departments' staff
// would — plausible values around the schedule, short Chinese narratives,
// the header block — and, on request, with a realistic share of the
// mistakes collect must find. Every injected mistake is recorded with the
// finding it should produce, so a test can hold collect to it.
//
// A simulation is deterministic for a seed: each department draws from its
// own random source (seed, department code), so the returns do not depend
// on the order, or the number of workers, they are made in.
package simulate

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/templates"
)

// ManifestName is the file, beside the returns, that lists what was made.
const ManifestName = "simulate.json"

// ReturnsDir is the folder, inside the output folder, that holds the returns.
const ReturnsDir = "returns"

// Options control a simulated round.
type Options struct {
	Period plan.Period
	Seed   uint64
	// Faults is the share of target rows given a mistake; each return is
	// also given a structural mistake (a row deleted, rows reordered) with
	// half this probability.
	Faults float64
	// Missing is how many departments send nothing.
	Missing int
	// Deadline (YYYY-MM-DD) dates the returns when a template carries none;
	// "" means ten days after the period's end.
	Deadline string
	// Now stamps templates built here (scale mode, no --templates).
	Now time.Time
	// Workers fill templates in parallel; 0 means 2.
	Workers int
	// Progress, when set, is told how many returns are done of how many.
	Progress func(done, total int)
	// Shares fills the additive targets split among 区县 — a department's
	// city figure and each 区县's quota — at exactly their share of the year
	// (when no mistake is injected in the row), so that the 区县 add up to
	// the city figure and a 口径不一致 arises only from an injected mistake.
	Shares bool
}

// Manifest is simulate.json: what was simulated and which findings collect
// should report.
type Manifest struct {
	Schema          int           `json:"schema"`
	PlanID          string        `json:"plan_id"`
	PlanFingerprint string        `json:"plan_fingerprint"`
	Period          plan.Period   `json:"period"`
	Seed            uint64        `json:"seed"`
	FaultRate       float64       `json:"fault_rate"`
	Scale           int           `json:"scale,omitempty"`   // clones per department, in scale mode
	Skipped         []string      `json:"skipped,omitempty"` // templates not used, with why
	Missing         []MissingDept `json:"missing"`
	Returns         []Return      `json:"returns"`
	Totals          *Totals       `json:"totals,omitempty"`
}

// Totals count what a simulation made.
type Totals struct {
	Returns int            `json:"returns"`
	Rows    int            `json:"rows"` // target rows filled
	Missing int            `json:"missing"`
	Faults  int            `json:"faults"`
	ByCode  map[string]int `json:"by_code"` // expected findings by code, M01 included
}

// MissingDept is a department that sends nothing.
type MissingDept struct {
	Dept string `json:"dept"`
	Code string `json:"code"` // the finding expected: plan.MissingDept
}

// Return is one filled workbook.
type Return struct {
	File     string  `json:"file"`     // path inside the output folder, with /
	Template string  `json:"template"` // the template it was filled from
	Dept     string  `json:"dept"`
	Filler   string  `json:"filler"`
	Phone    string  `json:"phone"`
	Filled   string  `json:"filled"` // 填报日期, YYYY-MM-DD
	Rows     int     `json:"rows"`   // target rows filled
	Faults   []Fault `json:"faults"`
}

// Fault is one injected mistake and the finding collect should report.
type Fault struct {
	File     string        `json:"file"` // as in Return.File
	Dept     string        `json:"dept"`
	Sheet    string        `json:"sheet"`
	Cell     string        `json:"cell"` // A1 address of the mistake; for a deleted row, where the row was
	Target   string        `json:"target,omitempty"`
	Fault    string        `json:"fault"`   // the kind of mistake, see Kinds
	Entered  string        `json:"entered"` // what the cell holds, as typed
	Code     string        `json:"code"`    // expected finding code
	Severity plan.Severity `json:"severity"`
}

// Faults lists every fault of the manifest in return order.
func (m *Manifest) Faults() []Fault {
	var out []Fault
	for _, r := range m.Returns {
		out = append(out, r.Faults...)
	}
	return out
}

// filler fills one template.
type filler struct {
	p      *plan.Plan
	opt    Options
	r      *rand.Rand
	st     templates.Stamp
	file   string // Return.File
	faults []Fault
}

// Fill fills template f in place as department staff would and returns
// what was entered; file names the return in the faults it records.
func Fill(f *excelize.File, p *plan.Plan, opt Options, file string) (Return, error) {
	st, err := templates.ReadStamp(f)
	if err != nil {
		return Return{}, err
	}
	return fill(f, p, st, opt, file)
}

func fill(f *excelize.File, p *plan.Plan, st templates.Stamp, opt Options, file string) (Return, error) {
	if opt.Period.IsZero() {
		opt.Period = st.Period
	}
	fl := &filler{p: p, opt: opt, r: newRand(opt.Seed, st.Dept), st: st, file: file}
	ret := Return{File: file, Dept: st.Dept}
	quant, miles := fl.targets(st.QuantRows), fl.targets(st.MilestoneRows)

	// Structural mistakes first: they move rows, and every cell recorded
	// afterwards is where the row ends up.
	if fl.chance(opt.Faults / 2) {
		var err error
		if quant, miles, err = fl.restructure(f, quant, miles); err != nil {
			return ret, err
		}
	}

	ret.Filler, ret.Phone = person(fl.r), phone(fl.r)
	day := filledOn(fl.r, fl.deadline())
	ret.Filled = day.Format("2006-01-02")
	sh := templates.SheetQuant
	if err := f.SetCellStr(sh, templates.CellFiller, ret.Filler); err != nil {
		return ret, err
	}
	if err := f.SetCellStr(sh, templates.CellPhone, ret.Phone); err != nil {
		return ret, err
	}
	if err := f.SetCellFloat(sh, templates.CellDate, excelSerial(day), -1, 64); err != nil {
		return ret, err
	}
	for i, t := range quant {
		if t == nil {
			continue
		}
		if err := fl.quantRow(f, *t, templates.FirstDataRow+i); err != nil {
			return ret, err
		}
		ret.Rows++
	}
	for i, t := range miles {
		if t == nil {
			continue
		}
		if err := fl.milestoneRow(f, *t, templates.FirstDataRow+i); err != nil {
			return ret, err
		}
		ret.Rows++
	}
	ret.Faults = fl.faults
	if ret.Faults == nil {
		ret.Faults = []Fault{}
	}
	return ret, nil
}

// targets resolves row ids to the registry's targets (nil where unknown).
func (fl *filler) targets(ids []string) []*plan.Target {
	out := make([]*plan.Target, len(ids))
	for i, id := range ids {
		if t, ok := fl.p.Target(id); ok {
			out[i] = &t
		}
	}
	return out
}

func (fl *filler) chance(p float64) bool { return p > 0 && fl.r.Float64() < p }

func (fl *filler) deadline() time.Time {
	for _, d := range []string{fl.st.Deadline, fl.opt.Deadline} {
		if t, err := time.Parse("2006-01-02", d); err == nil {
			return t
		}
	}
	return fl.opt.Period.End().AddDate(0, 0, 10)
}

func excelSerial(t time.Time) float64 {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	return math.Round(t.Sub(base).Hours() / 24)
}

func ref(cols []templates.Column, key string, row int) string {
	return fmt.Sprintf("%s%d", templates.Col(cols, key), row)
}

// quantRow fills one quantitative target's row, perhaps with a mistake.
func (fl *filler) quantRow(f *excelize.File, t plan.Target, row int) error {
	sh, cols, r := templates.SheetQuant, templates.QuantColumns, fl.r
	if t.Value == nil {
		return nil
	}
	v := actual(r, t, fl.opt.Period)
	if fl.opt.Shares && t.Kind.Additive() && (t.Split() || fl.st.Unit == plan.UnitDistrict) {
		v = math.Round(*t.Value*t.Expected(fl.opt.Period)*100) / 100
	}
	kind := ""
	if fl.chance(fl.opt.Faults) {
		kind = fl.pickQuantFault(t, v)
		if kind == faultNoProblems {
			v = behindValue(r, t, fl.opt.Period)
		}
	}
	ev := plan.Evaluate(t, fl.opt.Period, plan.Report{Value: &v}, fl.p.Thresholds)
	if kind == faultNoProblems && !ev.Status.Lagging() {
		kind = ""
	}
	actualRef := ref(cols, templates.ColActual, row)
	if err := f.SetCellFloat(sh, actualRef, v, -1, 64); err != nil {
		return err
	}
	note := quantNote(r, t, fl.opt.Period, v, ev)
	probs, next := "", ""
	switch {
	case ev.Status.Lagging() || (kind != "" && kind != faultFormulaText):
		// Behind schedule — or a value typed wrong, which the department
		// explains all the same — says what the trouble is and what is done.
		probs, next = pick(r, problems), pick(r, nextSteps)
	case r.IntN(3) == 0:
		next = pick(r, keepUp)
	}
	if kind == faultNoProblems {
		probs, next = "", ""
	}
	if err := setTexts(f, sh, cols, row, []cellText{{templates.ColNote, note}, {templates.ColProblems, probs}, {templates.ColNext, next}}); err != nil {
		return err
	}
	if kind == "" {
		return nil
	}
	return fl.quantFault(f, kind, t, row, v, note)
}

// milestoneRow fills one milestone's row, perhaps with a mistake.
func (fl *filler) milestoneRow(f *excelize.File, t plan.Target, row int) error {
	sh, cols, r := templates.SheetMilestone, templates.MilestoneColumns, fl.r
	status := milestoneStatus(r, t, fl.opt.Period)
	kind := ""
	if fl.chance(fl.opt.Faults) {
		kind = pick(r, milestoneFaults)
		if kind == faultNoProblems {
			status = plan.MilestoneBehind
		}
	}
	ev := plan.Evaluate(t, fl.opt.Period, plan.Report{Milestone: status}, fl.p.Thresholds)
	note := milestoneNote(r, status)
	probs, next := "", ""
	switch {
	case ev.Status.Lagging() || (kind != "" && kind != faultFormulaText):
		probs, next = pick(r, problems), pick(r, nextSteps)
	case r.IntN(4) == 0:
		next = pick(r, keepUp)
	}
	if kind == faultNoProblems {
		probs, next = "", ""
	}
	texts := []cellText{{templates.ColStatus, status}, {templates.ColNote, note}, {templates.ColProblems, probs}, {templates.ColNext, next}}
	if err := setTexts(f, sh, cols, row, texts); err != nil {
		return err
	}
	if kind == "" {
		return nil
	}
	return fl.milestoneFault(f, kind, t, row, status, note)
}

// cellText is what a department types into one column of a row.
type cellText struct{ key, text string }

// setTexts types the non-empty texts into their columns of row, as text.
func setTexts(f *excelize.File, sh string, cols []templates.Column, row int, texts []cellText) error {
	for _, x := range texts {
		if x.text == "" {
			continue
		}
		if err := f.SetCellStr(sh, ref(cols, x.key, row), x.text); err != nil {
			return err
		}
	}
	return nil
}

// record notes a fault.
func (fl *filler) record(sheet, cell string, t *plan.Target, kind, entered string) {
	code := faultCodes[kind]
	def, _ := plan.Def(code)
	id := ""
	if t != nil {
		id = t.ID
	}
	fl.faults = append(fl.faults, Fault{
		File: fl.file, Dept: fl.st.Dept, Sheet: sheet, Cell: cell, Target: id,
		Fault: kind, Entered: entered, Code: code, Severity: def.Severity,
	})
}

// Save writes f to w the way Excel saves a workbook: with the result of
// every formula beside it, so that a reader that does not calculate sees
// what the department saw.
func Save(f *excelize.File, w io.Writer) error { return writeWithResults(f, w) }

// returnName is the name a department sends its return under: the
// template's own, or with a word added the way people do.
func returnName(r *rand.Rand, template string) string {
	stem := strings.TrimSuffix(template, ".xlsx")
	switch x := r.IntN(10); {
	case x < 5:
		return template
	case x < 8:
		return stem + "_已填报.xlsx"
	default:
		return stem + "（报送）.xlsx"
	}
}
