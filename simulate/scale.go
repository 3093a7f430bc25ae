package simulate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"path/filepath"
	"slices"
	"sort"
	"strconv"

	"github.com/xuri/excelize/v2"

	"planrep/internal/safefile"
	"planrep/plan"
	"planrep/templates"
)

// PlanName is the synthetic registry Scale writes beside the returns.
const PlanName = "plan.yaml"

// cloner makes the departments and targets of a synthetic plan: clone k of
// department FGW is FGW-0001 (市发展改革委（0001）) and leads copies of the
// targets FGW leads, with ids such as 1-01-0001.
type cloner struct {
	p     *plan.Plan
	n     int
	width int
}

func newCloner(p *plan.Plan, n int) cloner {
	return cloner{p: p, n: n, width: max(4, len(strconv.Itoa(n)))}
}

func (c cloner) suffix(k int) string { return fmt.Sprintf("%0*d", c.width, k) }

func (c cloner) dept(d plan.Department, k int) plan.Department {
	s := c.suffix(k)
	d.Code += "-" + s
	d.Name += "（" + s + "）"
	d.Short += "（" + s + "）"
	return d
}

// district is clone k of 区县 d, as dept names a department's.
func (c cloner) district(d plan.District, k int) plan.District {
	s := c.suffix(k)
	d.Code += "-" + s
	d.Name += "（" + s + "）"
	d.Short += "（" + s + "）"
	return d
}

// rekey gives quotas or own targets the codes of clone k's 区县.
func rekey(m map[string]float64, s string) map[string]float64 {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]float64, len(m))
	for code, v := range m {
		out[code+"-"+s] = v
	}
	return out
}

func (c cloner) target(t plan.Target, k int) plan.Target {
	s := c.suffix(k)
	t.ID += "-" + s
	t.Lead += "-" + s
	t.Quotas, t.Own = rekey(t.Quotas, s), rekey(t.Own, s)
	if len(t.Support) > 0 {
		sup := make([]string, len(t.Support))
		for i, x := range t.Support {
			sup[i] = x + "-" + s
		}
		t.Support = sup
	}
	return t
}

// head is the synthetic plan without departments and targets.
func (c cloner) head() *plan.Plan {
	h := *c.p
	h.ID = fmt.Sprintf("%s-x%d", c.p.ID, c.n)
	h.Title = c.p.Title
	h.Depts, h.Targets = nil, nil
	h.Districts, h.Split = nil, nil // the 区县 are cloned like the departments; a synthetic split is no example
	if h.Source == "" {
		h.Source = "plan.txt"
	}
	return &h
}

// Clone makes the synthetic plan of scale n: every department of p n times
// over, each clone leading copies of its original's targets.
func Clone(p *plan.Plan, n int) *plan.Plan {
	c := newCloner(p, n)
	sp := c.withDepts()
	sp.Targets = slices.AppendSeq(make([]plan.Target, 0, len(p.Targets)*n), c.targets())
	return sp
}

// withDepts is the synthetic plan with its departments and no targets.
func (c cloner) withDepts() *plan.Plan {
	sp := c.head()
	sp.Depts = make([]plan.Department, 0, len(c.p.Depts)*c.n)
	for _, d := range c.p.Depts {
		for k := 1; k <= c.n; k++ {
			sp.Depts = append(sp.Depts, c.dept(d, k))
		}
	}
	for _, d := range c.p.Districts {
		for k := 1; k <= c.n; k++ {
			sp.Districts = append(sp.Districts, c.district(d, k))
		}
	}
	return sp
}

// targets yields the synthetic plan's targets in registry order, one at a time.
func (c cloner) targets() iter.Seq[plan.Target] {
	return func(yield func(plan.Target) bool) {
		for k := 1; k <= c.n; k++ {
			for _, t := range c.p.Targets {
				if !yield(c.target(t, k)) {
					return
				}
			}
		}
	}
}

// fingerprint is Clone(p, n).Fingerprint() without holding the cloned targets:
// at 100,000 returns they are 460,000.
func (c cloner) fingerprint() string {
	if len(c.p.Targets)*c.n < 1000 {
		return Clone(c.p, c.n).Fingerprint()
	}
	return plan.FingerprintOf(c.withDepts(), c.targets())
}

// MaxScale bounds --scale: a hundred thousand returns need a few thousand clones.
const MaxScale = 100000

// Scale writes a synthetic round of n clones of every department of p:
// the registry as outDir/plan.yaml with the plan's text beside it, and for
// each clone that leads targets a template (built in memory, never written)
// filled as a return. Returns are made and written one at a time on
// opt.Workers workers, so memory does not grow with their number.
func Scale(p *plan.Plan, n int, outDir string, opt Options) (*Manifest, error) {
	if n < 1 || n > MaxScale {
		return nil, fmt.Errorf("--scale %d 超出范围：应为 1 到 %d 之间的整数", n, MaxScale)
	}
	if opt.Period.Year == 0 {
		return nil, errors.New("没有指定报告期：请用 --period 指定，如 2025Q3")
	}
	if p.Text == "" {
		return nil, errors.New("计划登记表缺少原文：规模测试需要把原文写在合成登记表旁边")
	}
	c := newCloner(p, n)
	fp := c.fingerprint()
	if err := writePlan(outDir, c); err != nil {
		return nil, err
	}
	if err := safefile.WriteBytes(filepath.Join(outDir, filepath.Base(c.head().Source)), []byte(p.Text)); err != nil {
		return nil, err
	}

	topt := opt.templateOptions()
	var jobs []job
	for _, d := range p.LeadDepts() {
		led := p.Led(d.Code)
		for k := 1; k <= n; k++ {
			d, k := c.dept(d, k), k
			name := templates.FileName(opt.Period, d)
			jobs = append(jobs, job{dept: d.Code, template: name,
				registry: func() *plan.Plan { return miniPlan(c, d, led, k) },
				open:     func(mini *plan.Plan) (*excelize.File, error) { return scaleTemplate(mini, d.Unit(), topt, fp) }})
		}
	}
	// The 区县 of each clone report on the clone's split targets.
	for _, d := range p.ReportingDistricts() {
		var carried []plan.Target
		for _, t := range p.Targets {
			if _, ok := t.ForDistrict(d.Code); ok {
				carried = append(carried, t)
			}
		}
		for k := 1; k <= n; k++ {
			d, k := c.district(d, k), k
			name := templates.FileName(opt.Period, d.Unit().Department())
			city := func() *plan.Plan { return miniDistrictPlan(c, d, carried, k) }
			jobs = append(jobs, job{dept: d.Code, district: true, template: name,
				// Filled against the 区县's own targets (its quotas); built from the city's.
				registry: func() *plan.Plan {
					view := c.head()
					view.Districts = []plan.District{d}
					view.Targets = city().DistrictTargets(d.Code)
					return view
				},
				open: func(*plan.Plan) (*excelize.File, error) { return scaleTemplate(city(), d.Unit(), topt, fp) }})
		}
	}
	opt.Shares = len(p.ReportingDistricts()) > 0
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].dept < jobs[j].dept })
	m := &Manifest{
		Schema: ManifestSchema, PlanID: c.head().ID, PlanFingerprint: fp, Period: opt.Period,
		Seed: opt.Seed, FaultRate: opt.Faults, Scale: n,
	}
	if err := produce(outDir, m, jobs, opt, nil); err != nil {
		return nil, err
	}
	return m, nil
}

// miniPlan is the part of the synthetic plan one clone's return needs: the
// clone and the targets it leads.
func miniPlan(c cloner, d plan.Department, led []plan.Target, k int) *plan.Plan {
	mini := c.head()
	mini.Depts = []plan.Department{d}
	for _, t := range led {
		mini.Targets = append(mini.Targets, c.target(t, k))
	}
	return mini
}

// miniDistrictPlan is the part of the synthetic plan a 区县 clone's return
// needs: the clone and the city targets it carries a quota or own target of.
func miniDistrictPlan(c cloner, d plan.District, carried []plan.Target, k int) *plan.Plan {
	mini := c.head()
	mini.Districts = []plan.District{d}
	for _, t := range carried {
		mini.Targets = append(mini.Targets, c.target(t, k))
	}
	return mini
}

// scaleTemplate builds a clone's template from the part of the synthetic
// plan it needs, then stamps the whole plan's fingerprint, which a part
// cannot compute: building from the whole plan would hash every target of
// every clone once per template.
func scaleTemplate(mini *plan.Plan, u plan.Unit, opt templates.Options, fp string) (*excelize.File, error) {
	f, err := templates.BuildUnit(mini, u, opt)
	if err != nil {
		return nil, err
	}
	if err := setStamp(f, templates.MetaPlanFingerprint, fp); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// setStamp changes one key of a template's stamp, in both its copies.
func setStamp(f *excelize.File, key, value string) error {
	rows, err := f.GetRows(templates.SheetMeta, excelize.Options{RawCellValue: true})
	if err != nil {
		return err
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == key {
			if err := f.SetCellStr(templates.SheetMeta, fmt.Sprintf("B%d", i+1), value); err != nil {
				return err
			}
			return f.SetCustomProps(excelize.CustomProperty{Name: templates.CustomPropPrefix + key, Value: value})
		}
	}
	return fmt.Errorf("stamp has no %s", key)
}

// writePlan writes the synthetic registry clone by clone, so that a plan of
// hundreds of thousands of targets is never encoded in one piece. It is
// written as JSON, which is YAML too: plan.Parse reads JSON with
// encoding/json, in a fraction of the YAML decoder's memory and time. One
// department or target a line keeps it readable.
func writePlan(outDir string, c cloner) error {
	return safefile.Write(filepath.Join(outDir, PlanName), func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 256<<10)
		head, err := jsonLine(c.head())
		if err != nil {
			return err
		}
		// The head ends with its empty lists; the clones take their place.
		const tail = `,"departments":null,"targets":null}`
		if !bytes.HasSuffix(head, []byte(tail)) {
			return errors.New("plan.yaml: unexpected layout")
		}
		bw.Write(head[:len(head)-len(tail)])
		bw.WriteString(",\n\"departments\": [")
		sep := "\n  "
		for _, d := range c.p.Depts {
			for k := 1; k <= c.n; k++ {
				b, err := jsonLine(c.dept(d, k))
				if err != nil {
					return err
				}
				bw.WriteString(sep)
				bw.Write(b)
				sep = ",\n  "
			}
		}
		if len(c.p.Districts) > 0 {
			bw.WriteString("\n],\n\"districts\": [")
			sep = "\n  "
			for _, d := range c.p.Districts {
				for k := 1; k <= c.n; k++ {
					b, err := jsonLine(c.district(d, k))
					if err != nil {
						return err
					}
					bw.WriteString(sep)
					bw.Write(b)
					sep = ",\n  "
				}
			}
		}
		bw.WriteString("\n],\n\"targets\": [")
		sep = "\n  "
		for k := 1; k <= c.n; k++ {
			for _, t := range c.p.Targets {
				b, err := jsonLine(c.target(t, k))
				if err != nil {
					return err
				}
				bw.WriteString(sep)
				bw.Write(b)
				sep = ",\n  "
			}
		}
		bw.WriteString("\n]}\n")
		return bw.Flush()
	})
}

// jsonLine encodes v on one line, leaving Chinese and <>& as they are.
func jsonLine(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
